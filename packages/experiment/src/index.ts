export { loadMethodModule, type MethodModule, type ResolvedMethodModule, resolveMethodModule } from "./custom.js";
export { executeTasks, type ProgressFn, type SharedMatrix, shareMatrix, unshareMatrix } from "./executor.js";
export {
  isPairedMethod,
  PAIRED_METHODS,
  type PairedScores,
  scorePairs,
  trialPairs,
} from "./paired.js";
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
  isBuiltInMethod,
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
export { type ReproduceConfig, type ReproduceReport, reproduce } from "./reproduce.js";
export { type RunOptions, reproduceWith, type TaskRunner } from "./reproduce-core.js";
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
