import { TbError } from "@tb/core";
import { toFinitePair } from "./validate.js";

/** Result of {@link pairOrder}. */
export interface PairOrder {
  /** Of the pairs whose true scores differ by at least `gap`, the share whose estimates are in the same order; `NaN` when there is no such pair. */
  share: number;
  /** How many pairs differ by at least `gap` in truth. */
  pairs: number;
}

/**
 * Pair order (docs/DESIGN.md §3.3): of the pairs of items whose TRUE scores differ by at least
 * `gap` (default 0.05, five percentage points), the share whose estimates are in the same order —
 * "is A better than B?" answered right. A pair tied in the estimates counts as half right (a coin
 * toss, as in {@link pairwiseRankAccuracy}). A true difference counts as reaching the gap when it
 * is at least `gap − 1e-12` (so 0.55 − 0.50 reaches 0.05 despite rounding). Exact over all
 * O(n²) pairs, or over the given pairs.
 *
 * @param estimates - Estimated scores.
 * @param truth - True scores, paired with `estimates`.
 * @param gap - Smallest true difference that makes a pair count, ≥ 0.
 * @param pairs - Optional list of the pairs to score, as index pairs `[i, j]`; default all pairs.
 * @throws TbError `E_INPUT` when the lengths differ or an entry is not finite; `E_USAGE` for a bad
 *   `gap` or a pair outside the items.
 */
export function pairOrder(
  estimates: ArrayLike<number>,
  truth: ArrayLike<number>,
  gap = 0.05,
  pairs?: readonly (readonly [number, number])[],
): PairOrder {
  const [e, t] = toFinitePair("pairOrder", "estimates", estimates, "truth", truth);
  if (!(typeof gap === "number" && Number.isFinite(gap) && gap >= 0)) {
    throw new TbError("E_USAGE", `pairOrder: \`gap\` must be a finite number ≥ 0, got ${String(gap)}`);
  }
  const n = e.length;
  let agree = 0;
  let counted = 0;
  const score = (i: number, j: number) => {
    const ti = t[i] as number;
    const tj = t[j] as number;
    if (!(Math.abs(ti - tj) >= gap - 1e-12) || ti === tj) return;
    counted++;
    const ei = e[i] as number;
    const ej = e[j] as number;
    if (ei === ej) agree += 0.5;
    else if (ei < ej === ti < tj) agree++;
  };
  if (pairs === undefined) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) score(i, j);
  } else {
    pairs.forEach((p, k) => {
      const [i, j] = p;
      if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < n && j < n && i !== j)) {
        throw new TbError(
          "E_USAGE",
          `pairOrder: \`pairs[${k}]\` must be two distinct indices in [0, ${n}), got [${i}, ${j}]`,
        );
      }
      score(i, j);
    });
  }
  return { share: counted === 0 ? Number.NaN : agree / counted, pairs: counted };
}
