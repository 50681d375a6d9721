import { requireLength, toFinitePair } from "./validate.js";

/**
 * Mean absolute error: `mean_i |estimates[i] − truth[i]|`, summed in index order
 * (docs/METHOD.md §4: a mean over targets).
 *
 * @throws TbError `E_INPUT` when the inputs are empty, differ in length or hold a non-finite entry
 *   or a non-number (`E_USAGE` for a non-array).
 */
export function mae(estimates: ArrayLike<number>, truth: ArrayLike<number>): number {
  const [e, t] = toFinitePair("mae", "estimates", estimates, "truth", truth);
  requireLength("mae", "estimates", e, 1);
  return maeUnchecked(e, t);
}

/**
 * Mean squared error: `mean_i (estimates[i] − truth[i])²`, summed in index order
 * (docs/METHOD.md §4: a mean over targets).
 *
 * @throws TbError `E_INPUT` when the inputs are empty, differ in length or hold a non-finite entry
 *   or a non-number (`E_USAGE` for a non-array).
 */
export function mse(estimates: ArrayLike<number>, truth: ArrayLike<number>): number {
  const [e, t] = toFinitePair("mse", "estimates", estimates, "truth", truth);
  requireLength("mse", "estimates", e, 1);
  return mseUnchecked(e, t);
}

/**
 * Pairwise rank accuracy: over all pairs of items whose TRUE scores differ, the fraction whose
 * estimated order agrees with the true order. Rule for ties: a pair tied in `truth` has no order
 * to recover and is left out; a pair tied in `estimates` only (but not in `truth`) counts as
 * half right. So with no ties at all this is `P / (P + Q)` = `(1 + τ) / 2`.
 * Computed exactly over all O(n²) pairs.
 *
 * @param estimates - Estimated scores.
 * @param truth - True scores, paired with `estimates`. The arguments are not interchangeable.
 * @returns A value in [0, 1], or `NaN` when no pair has distinct true scores (fewer than 2
 *   items, or constant `truth`).
 * @throws TbError `E_INPUT` when the lengths differ or an entry is not finite or a non-number (`E_USAGE` for a non-array).
 */
export function pairwiseRankAccuracy(estimates: ArrayLike<number>, truth: ArrayLike<number>): number {
  const [e, t] = toFinitePair("pairwiseRankAccuracy", "estimates", estimates, "truth", truth);
  const n = e.length;
  let agree = 0;
  let tiedEstimate = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const ei = e[i] as number;
    const ti = t[i] as number;
    for (let j = i + 1; j < n; j++) {
      const tj = t[j] as number;
      if (ti === tj) continue;
      counted++;
      const ej = e[j] as number;
      if (ei === ej) tiedEstimate++;
      else if (ei < ej === ti < tj) agree++;
    }
  }
  return counted === 0 ? Number.NaN : (agree + 0.5 * tiedEstimate) / counted;
}

/** MAE on validated, non-empty input. @internal */
export function maeUnchecked(e: Float64Array, t: Float64Array): number {
  let s = 0;
  for (let i = 0; i < e.length; i++) s += Math.abs((e[i] as number) - (t[i] as number));
  return s / e.length;
}

/** MSE on validated, non-empty input. @internal */
export function mseUnchecked(e: Float64Array, t: Float64Array): number {
  let s = 0;
  for (let i = 0; i < e.length; i++) {
    const d = (e[i] as number) - (t[i] as number);
    s += d * d;
  }
  return s / e.length;
}
