import { normalSf } from "./normal.js";
import { requireLength, toFiniteFloat64 } from "./validate.js";

/** A mean with its standard error. */
export interface MeanSe {
  /** Arithmetic mean of the values. */
  mean: number;
  /** Standard error `std(ddof=0) / √n` (docs/METHOD.md §4); 0 for a single value. */
  se: number;
}

/** Result of {@link oneSidedZTest}. */
export interface ZTestResult {
  /** The z statistic `(mean(a) − mean(b)) / √(var(a)/n_a + var(b)/n_b)`, variances with ddof = 1. */
  z: number;
  /** One-sided p-value `P(Z ≥ z)` for the alternative "mean of a > mean of b". */
  p: number;
}

/**
 * Mean over runs and its error bar as the protocol reports it (docs/METHOD.md §4): the mean and
 * `std(ddof=0) / √n`, i.e. NumPy's `np.mean(v)` and `np.std(v) / np.sqrt(len(v))`. Two-pass
 * (mean first, then squared deviations), summed in index order.
 *
 * @param values - One number per run (e.g. the Kendall τ of each run).
 * @throws TbError `E_INPUT` when `values` is empty or holds a non-finite entry or a non-number (`E_USAGE` for a non-array).
 */
export function meanSe(values: ArrayLike<number>): MeanSe {
  const v = toFiniteFloat64("meanSe", "values", values);
  requireLength("meanSe", "values", v, 1);
  const n = v.length;
  const mean = sum(v) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (v[i] as number) - mean;
    ss += d * d;
  }
  return { mean, se: Math.sqrt(ss / n) / Math.sqrt(n) };
}

/**
 * One-sided two-sample z-test of "the mean of `a` is greater than the mean of `b`", as the paper
 * uses to compare methods over runs. Unpooled (Welch-style) standard error with sample variances
 * (ddof = 1): `z = (ā − b̄) / √(s_a²/n_a + s_b²/n_b)`, `p = P(Z ≥ z)` under the standard normal
 * (large-sample approximation; no t correction). A small `p` supports "a > b".
 *
 * Degenerate case: when both samples have zero variance the standard error is 0 and
 * `z = (ā − b̄)/0`, i.e. `+Infinity` (p = 0), `−Infinity` (p = 1) or `NaN` (p = NaN) when the means
 * are equal.
 *
 * @param a - Sample whose mean is claimed to be larger (e.g. per-run τ of method A).
 * @param b - The other sample (e.g. per-run τ of method B). The samples need not be paired or of
 *   equal size.
 * @throws TbError `E_INPUT` when a sample has fewer than 2 entries, a non-finite entry or a
 *   non-number (`E_USAGE` for a non-array).
 */
export function oneSidedZTest(a: ArrayLike<number>, b: ArrayLike<number>): ZTestResult {
  const x = toFiniteFloat64("oneSidedZTest", "a", a);
  const y = toFiniteFloat64("oneSidedZTest", "b", b);
  requireLength("oneSidedZTest", "a", x, 2);
  requireLength("oneSidedZTest", "b", y, 2);
  const mx = sum(x) / x.length;
  const my = sum(y) / y.length;
  const se = Math.sqrt(sampleVariance(x, mx) / x.length + sampleVariance(y, my) / y.length);
  const z = (mx - my) / se;
  return { z, p: normalSf(z) };
}

function sum(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  return s;
}

/** Variance with ddof = 1 around a given mean. */
function sampleVariance(v: Float64Array, mean: number): number {
  let ss = 0;
  for (let i = 0; i < v.length; i++) {
    const d = (v[i] as number) - mean;
    ss += d * d;
  }
  return ss / (v.length - 1);
}
