/**
 * The provenance of a study made on this page (see @tb/plot's ReportProvenance): the build's
 * versions and commit (read at build time by vite.config.ts), the date, the matrix and its
 * sha256, and every method option with its value — the page's settings and, for the rest, the
 * methods' documented defaults.
 */
import { EVALUATION_DEFAULTS } from "@tb/estimate";
import { DEFAULT_RANGE_QUANTILE } from "@tb/estimate/internals";
import type { ReportProvenance } from "@tb/plot";
import { buildInfo } from "./build-info.js";
import type { StudySettings } from "./settings.js";

export { buildInfo } from "./build-info.js";

/**
 * Every option of the chosen methods with its value: the study's own (G-set size, interval
 * level), then each method's documented default for the options the page does not set.
 */
export function studyOptions(s: StudySettings): Record<string, string | number | boolean> {
  const has = (m: string) => s.methods.includes(m);
  const o: Record<string, string | number | boolean> = {};
  const tb = has("tailored") || has("tailored-plus");
  if (tb) {
    o.gset = s.gset ?? EVALUATION_DEFAULTS.gset;
    o.distance = "manhattan";
    o.standardize = true;
    o.thresholdCompare = "le";
    o.onNoNatives = "fallback";
  }
  if (has("tailored")) {
    o.targetPooling = "joint";
    o.estimator = "calibrated";
    o.clip = "upper";
    o["level (tailored)"] = s.level ?? "none (no interval)";
  }
  if (has("tailored-plus")) {
    o["level (tailored-plus)"] = s.level ?? EVALUATION_DEFAULTS.level;
    o.rangeQuantile = DEFAULT_RANGE_QUANTILE;
    o.secondLook = EVALUATION_DEFAULTS.secondLook;
    o.plusMode = "auto";
  }
  if (has("random")) o.randomMode = "shared";
  if (has("anchor-points")) o.anchorAlgorithm = "fasterpam";
  if (has("gp-irt")) {
    o.irtAnchorSpace = "irt";
    o.irtDim = "chosen by validation";
    o.irtEstimator = "gp-irt";
  }
  if (has("random-search-learn")) o.search = 10_000;
  return o;
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
