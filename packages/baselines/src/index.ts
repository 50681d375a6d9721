// What a user composes with: the method factories, their options, and the @tb/core names their
// signatures use (so that `pnpm add @tb/baselines` alone is enough). The building blocks (IRT,
// k-means, BFGS, lasso, PCA, fits and estimates for a given coreset, the one-round helper) are in
// `@tb/baselines/internals`, unstable between minor versions.
export {
  CorrectnessMatrix,
  createOracle,
  drive,
  type EvaluationContext,
  type EvaluationMethod,
  type EvaluationRequest,
  type EvaluationRun,
  isTbError,
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
export { type AipwOptions, aipw } from "./aipw.js";
export { type AnchorPointsOptions, anchorPoints } from "./anchor-points.js";
export { type AnchorPredictorOptions, anchorPredictor } from "./anchor-predictor.js";
export { type DoubleOptimizeMethodOptions, type DoubleOptimizeOptions, doubleOptimize } from "./double-optimize.js";
export { type GpIrtOptions, gpIrt } from "./gp-irt.js";
export type { IrtStop } from "./irt.js";
export { type LassoFitOptions, type LassoOptions, type LassoSelectOptions, lasso } from "./lasso.js";
export { type PcaImputeMethodOptions, pcaImpute } from "./pca.js";
export { type RandomBaselineOptions, randomBaseline } from "./random.js";
export { type RandomLearnOptions, randomLearn } from "./random-learn.js";
export { type RandomSearchLearnOptions, randomSearchLearn } from "./random-search-learn.js";
