// The @tb/core error type this package throws, so that `pnpm add @tb/metrics` alone is enough to test for it.
export { isTbError, TbError, type TbErrorCode } from "@tb/core";
export { averageRanks, kendallTauB, pearson, spearman } from "./correlation.js";
export { mae, mse, pairwiseRankAccuracy } from "./deviation.js";
export { type EvaluationMetrics, evaluateEstimates, nanToZero } from "./evaluate.js";
export { type PairOrder, pairOrder } from "./pair-order.js";
export { type MeanSe, meanSe, oneSidedZTest, type ZTestResult } from "./summary.js";
