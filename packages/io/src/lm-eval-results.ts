import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { LmEvalResultsInfo } from "./lm-eval-samples.js";

/**
 * The lm-eval results file of a folder: `results_<date>.json` with the given date (0.4.3 on), else
 * `results.json` (0.4.0–0.4.2), else the newest `results_*.json`; `undefined` when there is none
 * or it is not readable JSON (the results file only helps; it is never required for `samples_`
 * files).
 *
 * @param dir - A model folder.
 * @param date - The date of the samples file (`samples_<task>_<date>`), if any.
 */
export function findLmEvalResults(
  dir: string,
  date: string | undefined,
  read: (file: string) => string,
): LmEvalResultsInfo | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return undefined;
  }
  const dated = entries.filter((f) => /^results_.+\.json$/.test(f)).sort();
  const name =
    (date !== undefined && entries.includes(`results_${date}.json`) ? `results_${date}.json` : undefined) ??
    (entries.includes("results.json") ? "results.json" : undefined) ??
    dated[dated.length - 1];
  if (name === undefined) return undefined;
  const file = join(dir, name);
  let obj: unknown;
  try {
    obj = JSON.parse(read(file));
  } catch {
    return undefined;
  }
  if (typeof obj !== "object" || obj === null) return undefined;
  const o = obj as Record<string, unknown>;
  const config = o.config as Record<string, unknown> | undefined;
  const modelArgs = typeof config?.model_args === "string" ? config.model_args : undefined;
  const filters = new Map<string, string[]>();
  const configs = o.configs;
  if (typeof configs === "object" && configs !== null) {
    for (const [task, c] of Object.entries(configs as Record<string, unknown>)) {
      const fl = (c as Record<string, unknown> | null)?.filter_list;
      const names = Array.isArray(fl)
        ? fl.map((f) => (f as Record<string, unknown> | null)?.name).filter((n): n is string => typeof n === "string")
        : [];
      filters.set(task, names.length > 0 ? names : ["none"]);
    }
  }
  return { file, modelArgs, filters };
}
