// The @tb/core types and values this package's signatures use, so that `pnpm add @tb/estimate` alone is enough.
export {
  CorrectnessMatrix,
  createOracle,
  type EvaluationMethod,
  isTbError,
  type MatrixLike,
  type MethodContext,
  type MethodIntervals,
  type MethodResult,
  type Oracle,
  RandomStream,
  type Seed,
  TbError,
  type TbErrorCode,
  Workspace,
} from "@tb/core";
export {
  type ClipMode,
  type EstimateOptions,
  type EstimatorKind,
  estimateFromClusters,
  nativeMean,
} from "./calibrate.js";
export { type Ask, type EvaluateOptions, type EvaluateResult, evaluate } from "./evaluate.js";
export {
  type ClusterPlan,
  clusterSamplingVariance,
  DEFAULT_INTERVAL_SCALE,
  type EstimateInterval,
  estimateInterval,
  type IntervalOptions,
  nativeCalibrationErrors,
  normalQuantile,
  sourceCalibrationErrors,
} from "./interval.js";
export {
  buildNSet,
  clearKept,
  DEFAULT_CACHE_BYTES,
  keptNsetDistances,
  keptStats,
  type NSet,
  type NSetOptions,
  nsetDistances,
} from "./nset.js";
export {
  beyondStandardError,
  type DesignEstimate,
  defaultStrata,
  designEstimate,
  designFromPicks,
  type Strata,
  type StratifiedDesign,
  sourceMeans,
  stratifiedDesign,
  stratify,
} from "./plus/design.js";
export {
  BLEND_GRID,
  conformalHalfWidth,
  type LearnedEstimate,
  learnedEstimate,
  ridgeLearn,
} from "./plus/learned.js";
export {
  beyondEstimate,
  DEFAULT_LEARN_ALPHAS,
  DEFAULT_RANGE_QUANTILE,
  DEFAULT_RESIDUAL_ALPHA,
  DEFAULT_SECOND_LOOK,
  gsetScores,
  type OutOfRange,
  type PlusEstimate,
  type PlusMode,
  plusBeyond,
  plusMode,
  plusWithin,
  secondLookSize,
  type TailoredPlusOptions,
  tailoredPlus,
} from "./plus/method.js";
export {
  checkTailoredOptions,
  estimate,
  type Probe,
  probe,
  selectNatives,
  type TailoredOptions,
  type TailorPlan,
  tailor,
  tailoredBench,
} from "./tailored.js";
