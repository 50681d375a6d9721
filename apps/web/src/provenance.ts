/**
 * The provenance of a study made on this page (see @tb/plot's ReportProvenance): the build's
 * versions and commit (read at build time by vite.config.ts), the date, the matrix and its
 * sha256, and every method option with its value — the page's settings and, for the rest, the
 * methods' documented defaults.
 */
import { methodOptions } from "@tb/experiment/browser";
import type { ReportProvenance } from "@tb/plot";
import { buildInfo } from "./build-info.js";
import type { StudySettings } from "./settings.js";

export { buildInfo } from "./build-info.js";

/**
 * Every option of the chosen methods with its value: the study's own (G-set size, interval
 * level), then each method's documented default (the library's `methodOptions`).
 */
export function studyOptions(s: StudySettings): Record<string, string | number | boolean> {
  return methodOptions(s.methods, {
    ...(s.gset !== undefined ? { gset: s.gset } : {}),
    ...(s.level !== undefined ? { level: s.level } : {}),
  });
}

/** The provenance of a study on `data` (name, file name, sha256 of the file). */
export function studyProvenance(
  s: StudySettings,
  data: { name: string; file?: string; sha256?: string },
  date = new Date(),
): ReportProvenance {
  return {
    tool: "TailoredBench web app",
    ...buildInfo(),
    date: date.toISOString(),
    data,
    options: studyOptions(s),
  };
}
