/**
 * `@tb/baselines/internals`: the building blocks of the baselines, for research code that
 * recombines them (a fit on a given coreset, an IRT model, k-means, BFGS, a lasso path, PCA
 * imputation, the one-round evaluation helper). UNSTABLE: names and signatures may change in any
 * minor version. The methods themselves are the root export, `@tb/baselines`.
 */
export { aipwEstimate } from "./aipw.js";
export { anchorWeights, correlationDistance, type ExampleCorrelation, exampleCorrelation } from "./anchor-points.js";
export { type AnchorPredictorFit, anchorPredictorEstimate, anchorPredictorFit } from "./anchor-predictor.js";
export { type BfgsOptions, type BfgsResult, bfgs, type ObjectiveWithGradient } from "./bfgs.js";
export { type DoubleOptimizeFit, doubleOptimizeFit, projectCappedSimplex, topK } from "./double-optimize.js";
export {
  type AnchorSelection,
  calibrateGpIrt,
  type GpIrtCalibration,
  type GpIrtEstimateInput,
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
  type IrtStop,
  irtMapObjective,
  irtParamCount,
  irtProbabilities,
  irtProbability,
} from "./irt.js";
export { type KMeansOptions, type KMeansResult, kmeans, kmeansPlusPlus, nearestPoints } from "./kmeans.js";
export { type LassoFit, LassoProblem, type LassoSelection, lassoAlphas, lassoFit, lassoSelect } from "./lasso.js";
export { evaluationContext, type OneRoundPlan, oneRound, oneRoundMethod } from "./one-round.js";
export { type ImputePcaOptions, type ImputePcaResult, imputePca, imputePcaWith, symmetricEigen } from "./pca.js";
export {
  applyRandomLearnModel,
  RANDOM_LEARN_ALPHAS,
  type RandomLearnModel,
  randomLearnEstimate,
  randomLearnModel,
} from "./random-learn.js";
