/**
 * "Study" in the browser: a reproduce run (`tb reproduce` / `tb demo`) on the built-in synthetic
 * population or an uploaded correctness CSV, with the same report, plots and HTML page as the CLI.
 */
import type { CorrectnessMatrix } from "@tb/core";
import { TbError } from "@tb/core";
import { EVALUATION_DEFAULTS } from "@tb/estimate";
import {
  defaultTargetFraction,
  type MethodConfig,
  methodNames,
  type ProgressFn,
  type ReproduceConfig,
  type ReproduceReport,
  reproduce,
  SPLIT_KINDS,
  type SplitKind,
  syntheticPopulation,
  type TrialEstimates,
  type TrialTask,
  trialEstimates,
  unreadConfigFields,
} from "@tb/experiment/browser";
import { loadSourceCsv } from "./evaluate.js";
import type { StudyData, StudySettings } from "./settings.js";
import { checkSyntheticSize } from "./shape.js";

export { DEMO_STUDY, type StudyData, type StudySettings } from "./settings.js";

/** The study's report with the run's wall time (the CLI's `--json` output). */
export type StudyReport = ReproduceReport & { wallSeconds: number };

export interface StudyResult {
  report: StudyReport;
  /** Trial 0 at the largest budget, per method, for the estimate-vs-truth plot. */
  trials: TrialEstimates[];
}

/** The matrix and its display name. */
export function studyMatrix(data: StudyData): { matrix: CorrectnessMatrix; name: string } {
  if (data.kind === "synthetic") {
    const matrix = syntheticPopulation({ seed: data.seed, models: data.models, examples: data.examples });
    const name =
      data.seed === 0 && data.models === 120 && data.examples === 600
        ? "synthetic (seed 0: 120 models in 8 families × 600 examples)"
        : `synthetic (seed ${data.seed}: ${data.models} models × ${data.examples} examples)`;
    return { matrix, name };
  }
  return { matrix: loadSourceCsv(data.text, data.name), name: data.title?.trim() || data.name.replace(/\.csv$/i, "") };
}

/** Check the settings before any work, naming the bad field. */
export function checkStudy(s: StudySettings): void {
  const known = methodNames();
  if (s.data.kind === "synthetic") {
    try {
      checkSyntheticSize(s.data.models, s.data.examples);
    } catch (err) {
      throw new TbError("E_USAGE", (err as Error).message);
    }
  }
  if (s.methods.length === 0) throw new TbError("E_USAGE", "choose at least one method");
  for (const m of s.methods) {
    if (!known.includes(m)) throw new TbError("E_USAGE", `unknown method "${m}" (known: ${known.join(", ")})`);
  }
  if (s.budgets.length === 0) throw new TbError("E_USAGE", "give at least one budget N");
  if (!SPLIT_KINDS.includes(s.split) || s.split === ("meta" as SplitKind)) {
    throw new TbError("E_USAGE", `split must be random, interpolation or extrapolation, got "${s.split}"`);
  }
}

/**
 * The `config` of the form's fields. A field none of the ticked methods reads is refused, naming it
 * — except the G-set size at the form's default (10), which is always filled in: then it is left
 * out rather than recorded for a study that draws no G-set.
 */
function methodConfig(s: StudySettings): MethodConfig {
  const c: MethodConfig = {};
  if (s.gset !== undefined) c.gset = s.gset;
  if (s.level !== undefined) c.level = s.level;
  for (const k of unreadConfigFields(s.methods, c)) {
    if (k === "gset" && s.gset === EVALUATION_DEFAULTS.gset) {
      delete c.gset;
      continue;
    }
    throw new TbError(
      "E_USAGE",
      `“${STUDY_FIELD[k] ?? k}” is read by none of the methods ticked (${s.methods.join(", ")}): ${k === "gset" ? `set it back to ${EVALUATION_DEFAULTS.gset}` : "leave it empty"}, or tick a method that reads it`,
    );
  }
  return c;
}

/** The study form's label of each `config` field the page sets. */
const STUDY_FIELD: Record<string, string> = { level: "interval level", gset: "G-set size" };

/** A reproduce error about a `config` field, said with the form's label ("config: level …" → "“interval level” …"). */
export function studyInFields(e: unknown): unknown {
  if (!(e instanceof TbError)) return e;
  const m = /^config: (\w+) (.*)$/s.exec(e.message);
  const field = m === null ? undefined : STUDY_FIELD[m[1] as string];
  return m !== null && field !== undefined ? new TbError(e.code, `“${field}” ${m[2]}`, e.location) : e;
}

/** Run the study: the reproduce report and trial 0's per-target estimates at the largest budget. */
export async function runStudy(s: StudySettings, onProgress?: ProgressFn): Promise<StudyResult> {
  checkStudy(s);
  const { matrix, name } = studyMatrix(s.data);
  const cfg: ReproduceConfig = {
    methods: s.methods,
    budgets: s.budgets,
    trials: s.trials,
    seed: s.seed,
    split: s.split,
    config: methodConfig(s),
    dataName: name,
  };
  if (s.targetFraction !== undefined) cfg.targetFraction = s.targetFraction;
  if (onProgress) cfg.onProgress = onProgress;
  const t0 = performance.now();
  let report: Awaited<ReturnType<typeof reproduce>>;
  try {
    report = await reproduce(matrix, cfg);
  } catch (e) {
    // a split too small for the data, said with the page's "setting" (the form has no fractions)
    const small = e instanceof TbError ? /^(?:a|an extrapolation) split of (\d+) models/.exec(e.message) : null;
    if (small !== null && s.targetFraction === undefined) {
      throw new TbError(
        (e as TbError).code,
        `the data's ${small[1]} models are too few for setting “${s.split}”: its shares of sources and targets leave fewer than 2 sources or no target — choose data with more models`,
      );
    }
    throw studyInFields(e);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const budget = Math.max(...s.budgets);
  const trials = s.methods.map((method) => {
    const task: TrialTask = {
      method,
      budget,
      trial: 0,
      seed: s.seed,
      config: cfg.config ?? {},
      split: s.split,
      targetFraction: s.targetFraction ?? defaultTargetFraction(s.split),
    };
    return trialEstimates(matrix, task);
  });
  return { report: { ...report, wallSeconds }, trials };
}
