// The @tb/core types and values this package's signatures use, so that `pnpm add @tb/baselines` alone is enough.
export {
  CorrectnessMatrix,
  createOracle,
  type EvaluationMethod,
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
export { type AipwOptions, aipw, aipwEstimate } from "./aipw.js";
export {
  type AnchorPointsOptions,
  anchorPoints,
  anchorWeights,
  correlationDistance,
  type ExampleCorrelation,
  exampleCorrelation,
} from "./anchor-points.js";
// BenchPred peers (lasso, pca, double-optimize, anchor-predictor).
export {
  type AnchorPredictorFit,
  type AnchorPredictorOptions,
  anchorPredictor,
  anchorPredictorEstimate,
  anchorPredictorFit,
} from "./anchor-predictor.js";
export { type BfgsOptions, type BfgsResult, bfgs, type ObjectiveWithGradient } from "./bfgs.js";
export {
  type DoubleOptimizeFit,
  type DoubleOptimizeMethodOptions,
  type DoubleOptimizeOptions,
  doubleOptimize,
  doubleOptimizeFit,
  projectCappedSimplex,
  topK,
} from "./double-optimize.js";
export {
  type AnchorSelection,
  calibrateGpIrt,
  type GpIrtCalibration,
  type GpIrtEstimateInput,
  type GpIrtOptions,
  gpIrt,
  gpIrtEstimates,
  gpIrtLambda,
  selectAnchors,
} from "./gp-irt.js";
export {
  type AbilityFit,
  abilityObjective,
  binarizationThreshold,
  type FitAbilityOptions,
  type FitIrtOptions,
  fitAbility,
  fitIrt,
  type IrtFit,
  type IrtItems,
  irtMapObjective,
  irtParamCount,
  irtProbabilities,
  irtProbability,
} from "./irt.js";
export { type KMeansOptions, type KMeansResult, kmeans, kmeansPlusPlus, nearestPoints } from "./kmeans.js";
export {
  type LassoFit,
  type LassoFitOptions,
  type LassoOptions,
  LassoProblem,
  type LassoSelection,
  type LassoSelectOptions,
  lasso,
  lassoAlphas,
  lassoFit,
  lassoSelect,
} from "./lasso.js";
export {
  type ImputePcaOptions,
  type ImputePcaResult,
  imputePca,
  type PcaImputeMethodOptions,
  pcaImpute,
  symmetricEigen,
} from "./pca.js";
export { type RandomBaselineOptions, randomBaseline } from "./random.js";
export {
  applyRandomLearnModel,
  RANDOM_LEARN_ALPHAS,
  type RandomLearnModel,
  type RandomLearnOptions,
  randomLearn,
  randomLearnEstimate,
  randomLearnModel,
} from "./random-learn.js";
export { type RandomSearchLearnOptions, randomSearchLearn } from "./random-search-learn.js";
