// @tb/estimate — what a user composes with: the one-call evaluate(), the resumable evaluation,
// the method factories and the phases of the file workflow. Building blocks for researchers are in
// "@tb/estimate/internals" (unstable: they may change in any minor release).
export {
  CorrectnessMatrix,
  createOracle,
  drive,
  type EvaluationContext,
  type EvaluationMethod,
  type EvaluationRequest,
  type EvaluationRun,
  isTbError,
  type MatrixLike,
  type MethodContext,
  type MethodIntervals,
  type MethodResult,
  type Oracle,
  RandomStream,
  type Seed,
  type SourceRef,
  TbError,
  type TbErrorCode,
  Workspace,
} from "@tb/core";
export type { ClipMode, EstimateOptions, EstimatorKind } from "./calibrate.js";
export { type Ask, type EvaluateOptions, type EvaluateResult, evaluate } from "./evaluate.js";
export type { PairedDesignKind, PairedEstimator } from "./evaluation/compare.js";
export {
  type CompareAsk,
  type CompareOptions,
  Comparison,
  type ComparisonOptions,
  type ComparisonResult,
  type ComparisonSide,
  type ComparisonStep,
  compare,
  createComparison,
  restoreComparison,
  type SavedComparison,
} from "./evaluation/comparison.js";
export { tailoredBench, tailoredPlus } from "./evaluation/methods.js";
export type { TailoredMethod, TargetDesign, TargetStage } from "./evaluation/run.js";
export {
  createEvaluation,
  EVALUATION_DEFAULTS,
  Evaluation,
  type EvaluationEstimate,
  type EvaluationOptions,
  type EvaluationStep,
  type LegacyPlan,
  type Rank,
  type RestoreOptions,
  type RoundPhase,
  rankAmongSources,
  reasonLabel,
  restoreEvaluation,
  type SavedEvaluation,
  type SavedTarget,
} from "./evaluation/session.js";
export { type EstimateInterval, estimateInterval, type IntervalOptions } from "./interval.js";
export type { NSet, NSetOptions } from "./nset.js";
export type { OutOfRange, PlusMode, TailoredPlusOptions } from "./plus/method.js";
export {
  estimate,
  type Probe,
  probe,
  selectNatives,
  type TailoredOptions,
  type TailorPlan,
  tailor,
} from "./tailored.js";
