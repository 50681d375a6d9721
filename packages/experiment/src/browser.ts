/**
 * The browser-safe entry of `@tb/experiment` (`@tb/experiment/browser`): everything but the
 * worker-thread executor, which needs `node:os` and tinypool. `reproduce` here runs the trials
 * inline, yielding to the event loop between trials so a Web Worker can post progress; its
 * report equals the Node entry's for the same configuration (only the `seconds` timings differ).
 */
import { type CorrectnessMatrix, checkOptionKeys, TbError, Workspace } from "@tb/core";
import { runTrial, type TrialRecord, type TrialTask } from "./protocol.js";
import {
  checkReproduceFields,
  type ReproduceConfig,
  type ReproduceReport,
  RUN_OPTION_FIELDS,
  type RunOptions,
  reproduceWith,
} from "./reproduce-core.js";

export {
  type CellSummary,
  type MeanSe,
  runTrial,
  SPEC_VERSION,
  summarize,
  type TargetEstimate,
  type TrialEstimates,
  type TrialRecord,
  type TrialTask,
  trialEstimates,
} from "./protocol.js";
export {
  createMethod,
  DEFAULT_RULES,
  METHOD_DEFAULTS,
  type MethodConfig,
  methodNames,
  methodOptions,
  type OptionValue,
  registerMethod,
  STOPPING_METHODS,
  type StoppingOptions,
  unreadConfigFields,
} from "./registry.js";
export type { ProgressFn, ReproduceConfig, ReproduceReport, RunOptions, TaskRunner } from "./reproduce-core.js";
export {
  DEFAULT_EXTRAPOLATION_SOURCE_FRACTION,
  defaultTargetFraction,
  extrapolationSplit,
  randomSplit,
  SPLIT_KINDS,
  type Split,
  type SplitKind,
} from "./split.js";
export { type SyntheticOptions, syntheticPopulation } from "./synthetic.js";

/** Run the tasks one after another on this thread, yielding between trials. */
export async function executeInline(
  matrix: CorrectnessMatrix,
  tasks: readonly TrialTask[],
  options: RunOptions = {},
): Promise<TrialRecord[]> {
  checkOptionKeys(options, RUN_OPTION_FIELDS, "executeInline");
  if (options.workers !== undefined && options.workers !== 1) {
    throw new TbError(
      "E_USAGE",
      `the browser entry of @tb/experiment runs trials on one thread; workers must be 1, got ${options.workers}`,
    );
  }
  options.onWorkers?.(1);
  const out: TrialRecord[] = [];
  // the run owns the work kept across trials, and drops it at the end (as a Node worker does)
  const workspace = new Workspace();
  try {
    for (const task of tasks) {
      const rec = runTrial(matrix, task, undefined, workspace);
      out.push(rec);
      options.onProgress?.(out.length, tasks.length, rec);
      await new Promise((r) => setTimeout(r, 0));
    }
  } finally {
    workspace.dispose();
  }
  return out;
}

/** {@link reproduceWith} with trials run inline: the reproduce protocol without worker threads. */
export async function reproduce(matrix: CorrectnessMatrix, cfg: ReproduceConfig): Promise<ReproduceReport> {
  checkReproduceFields(cfg, "reproduce");
  return reproduceWith(matrix, cfg, executeInline);
}
