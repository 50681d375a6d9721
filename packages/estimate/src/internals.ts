// @tb/estimate/internals — the building blocks of TailoredBench and tailored-plus, for researchers
// composing their own variants. UNSTABLE: names and signatures may change in any minor release;
// the root export ("@tb/estimate") is the stable surface.
export {
  type ClipMode,
  type EstimateOptions,
  type EstimatorKind,
  estimateFromClusters,
  nativeMean,
} from "./calibrate.js";
export {
  agrestiMinSe,
  calibrationHalf,
  kthPairGap,
  type LearnedDifference,
  learnedDifference,
  normalCdf,
  type PairedDesignKind,
  type PairedDifference,
  type PairedEstimator,
  PairedRun,
  type PairedRunOptions,
  type PairedState,
} from "./evaluation/compare.js";
export {
  protocolOptions,
  type SlotFields,
  TailoredRun,
  type TailoredRunOptions,
  type TargetEstimate,
} from "./evaluation/run.js";
export {
  checkOptionNames,
  describeMode,
  describePlan,
  estimateRangeNote,
  outOfRangeNote,
  reasonPhase,
} from "./evaluation/session.js";
export {
  type ClusterPlan,
  clusterSamplingVariance,
  DEFAULT_INTERVAL_SCALE,
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
  nsetDistances,
  trimKept,
} from "./nset.js";
export {
  type Allocation,
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
export { BLEND_GRID, conformalHalfWidth, type LearnedEstimate, learnedEstimate, ridgeLearn } from "./plus/learned.js";
export {
  type AfterLook,
  afterSecondLook,
  beyondEstimate,
  checkPlusOptions,
  coresetGapBound,
  DEFAULT_LEARN_ALPHAS,
  DEFAULT_RANGE_QUANTILE,
  DEFAULT_RESIDUAL_ALPHA,
  DEFAULT_SECOND_LOOK,
  gsetScores,
  type PlusEstimate,
  plausibleEnds,
  plusBeyond,
  plusMode,
  plusWithin,
  scoreOutOfRange,
  secondLookSize,
  unreadPlusOptions,
} from "./plus/method.js";
export { checkTailoredOptions, nsetOptions, tailorWith, unreadWithNativeCount } from "./tailored.js";
