import { kendallTauBUnchecked, pearsonUnchecked, spearmanUnchecked } from "./correlation.js";
import { maeUnchecked, mseUnchecked } from "./deviation.js";
import { requireLength, toFinitePair } from "./validate.js";

/** The per-run metrics of docs/METHOD.md §4, comparing all targets' estimates with their true scores. */
export interface EvaluationMetrics {
  /** Kendall τ-b (NaN recorded as 0). */
  kendallTau: number;
  /** Pearson r (NaN recorded as 0). */
  pearson: number;
  /** Spearman ρ on average ranks (NaN recorded as 0). */
  spearman: number;
  /** Mean absolute error over targets. */
  mae: number;
  /** Mean squared error over targets. */
  mse: number;
}

/**
 * Map an undefined correlation (`NaN`, e.g. from a constant vector) to 0, as the protocol
 * records it (docs/METHOD.md §4, §9.4). Any other value, including ±Infinity, is returned unchanged.
 */
export function nanToZero(x: number): number {
  return Number.isNaN(x) ? 0 : x;
}

/**
 * All per-run metrics of one run (docs/METHOD.md §4): Kendall τ-b, Pearson r and Spearman ρ between
 * the estimates and the true scores of all targets — each `NaN` recorded as 0 — plus MAE and MSE.
 *
 * @param estimates - One estimated score per target.
 * @param truth - The targets' true scores, in the same order.
 * @throws TbError `E_INPUT` when the inputs are empty, differ in length or hold a non-finite entry
 *   or a non-number (`E_USAGE` for a non-array).
 */
export function evaluateEstimates(estimates: ArrayLike<number>, truth: ArrayLike<number>): EvaluationMetrics {
  const [e, t] = toFinitePair("evaluateEstimates", "estimates", estimates, "truth", truth);
  requireLength("evaluateEstimates", "estimates", e, 1);
  return {
    kendallTau: nanToZero(kendallTauBUnchecked(e, t)),
    pearson: nanToZero(pearsonUnchecked(e, t)),
    spearman: nanToZero(spearmanUnchecked(e, t)),
    mae: maeUnchecked(e, t),
    mse: mseUnchecked(e, t),
  };
}
