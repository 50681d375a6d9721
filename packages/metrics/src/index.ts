export { averageRanks, kendallTauB, pearson, spearman } from "./correlation.js";
export { mae, mse, pairwiseRankAccuracy } from "./deviation.js";
export { type EvaluationMetrics, evaluateEstimates, nanToZero } from "./evaluate.js";
export { type MeanSe, meanSe, oneSidedZTest, type ZTestResult } from "./summary.js";
