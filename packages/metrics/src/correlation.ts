import { toFiniteFloat64, toFinitePair } from "./validate.js";

/**
 * Kendall rank correlation τ-b, exactly as `scipy.stats.kendalltau(x, y)` (its default
 * `variant="b"`), computed by an exact O(n²) pass over all pairs (docs/METHOD.md §9.3):
 *
 * `τ_b = (P − Q) / √((P + Q + T_x)(P + Q + T_y))`
 *
 * where P and Q count concordant and discordant pairs, `T_x` the pairs tied in x only and `T_y`
 * the pairs tied in y only; pairs tied in both are left out. The result is clipped to [−1, 1]
 * like SciPy's. The pair counts are exact integers, so the result agrees with SciPy to a few ulp,
 * is exactly symmetric in its arguments and is exactly 1 for `τ(x, x)`.
 *
 * @param x - First sample (e.g. estimated scores).
 * @param y - Second sample, paired with `x` (e.g. true scores).
 * @returns τ-b, or `NaN` when undefined: fewer than 2 points, or `x` or `y` constant.
 * @throws TbError `E_INPUT` when the lengths differ or an entry is not finite or a non-number (`E_USAGE` for a non-array).
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [a, b] = toFinitePair("kendallTauB", "x", x, "y", y);
  return kendallTauBUnchecked(a, b);
}

/**
 * Pearson product-moment correlation, as `scipy.stats.pearsonr(x, y).statistic`: centred
 * vectors scaled by their maximum absolute deviation (no premature overflow), then the dot product
 * of the unit vectors, clipped to [−1, 1].
 *
 * @returns r, or `NaN` when undefined: fewer than 2 points (SciPy raises there instead), or an
 *   input whose entries are all equal (SciPy's exact constant-input test).
 * @throws TbError `E_INPUT` when the lengths differ or an entry is not finite or a non-number (`E_USAGE` for a non-array).
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [a, b] = toFinitePair("pearson", "x", x, "y", y);
  return pearsonUnchecked(a, b);
}

/**
 * Spearman rank correlation ρ, as `scipy.stats.spearmanr(x, y).statistic`: the Pearson
 * correlation of the average ranks (midranks) of `x` and of `y` (docs/METHOD.md §4, §9.4).
 *
 * @returns ρ, or `NaN` when undefined: fewer than 2 points, or a constant input.
 * @throws TbError `E_INPUT` when the lengths differ or an entry is not finite or a non-number (`E_USAGE` for a non-array).
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [a, b] = toFinitePair("spearman", "x", x, "y", y);
  return spearmanUnchecked(a, b);
}

/**
 * Average ranks (midranks), 1-based, as `scipy.stats.rankdata(x, method="average")`: tied values
 * all get the mean of the ranks they span, e.g. `[10, 20, 10, 30]` → `[1.5, 3, 1.5, 4]`.
 *
 * @throws TbError `E_INPUT` when an entry is not finite or a non-number (`E_USAGE` for a non-array).
 */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  return averageRanksUnchecked(toFiniteFloat64("averageRanks", "x", x));
}

/** τ-b on validated input. @internal */
export function kendallTauBUnchecked(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  let tiedXOnly = 0;
  let tiedYOnly = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    for (let j = i + 1; j < n; j++) {
      const xj = x[j] as number;
      const yj = y[j] as number;
      const dx = xi < xj ? -1 : xi > xj ? 1 : 0;
      const dy = yi < yj ? -1 : yi > yj ? 1 : 0;
      if (dx === 0) {
        if (dy !== 0) tiedXOnly++;
        // tied in both: left out
      } else if (dy === 0) tiedYOnly++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const notTiedInX = concordant + discordant + tiedYOnly;
  const notTiedInY = concordant + discordant + tiedXOnly;
  if (notTiedInX === 0 || notTiedInY === 0) return Number.NaN;
  const tau = (concordant - discordant) / Math.sqrt(notTiedInX * notTiedInY);
  return clip1(tau);
}

/** Pearson r on validated input. @internal */
export function pearsonUnchecked(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2 || isConstant(x) || isConstant(y)) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i] as number;
    sy += y[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  let maxX = 0;
  let maxY = 0;
  for (let i = 0; i < n; i++) {
    const u = (x[i] as number) - mx;
    const v = (y[i] as number) - my;
    dx[i] = u;
    dy[i] = v;
    if (Math.abs(u) > maxX) maxX = Math.abs(u);
    if (Math.abs(v) > maxY) maxY = Math.abs(v);
  }
  let ssx = 0;
  let ssy = 0;
  for (let i = 0; i < n; i++) {
    const u = (dx[i] as number) / maxX;
    const v = (dy[i] as number) / maxY;
    ssx += u * u;
    ssy += v * v;
  }
  const normX = maxX * Math.sqrt(ssx);
  const normY = maxY * Math.sqrt(ssy);
  let r = 0;
  for (let i = 0; i < n; i++) r += ((dx[i] as number) / normX) * ((dy[i] as number) / normY);
  return clip1(r);
}

/** Spearman ρ on validated input. @internal */
export function spearmanUnchecked(x: Float64Array, y: Float64Array): number {
  if (x.length < 2) return Number.NaN;
  return pearsonUnchecked(averageRanksUnchecked(x), averageRanksUnchecked(y));
}

/** Midranks on validated input. @internal */
export function averageRanksUnchecked(x: Float64Array): Float64Array {
  const n = x.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const va = x[a] as number;
    const vb = x[b] as number;
    return va < vb ? -1 : va > vb ? 1 : a - b;
  });
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    const v = x[order[i] as number] as number;
    let j = i;
    while (j + 1 < n && x[order[j + 1] as number] === v) j++;
    // positions i..j (0-based) hold ranks i+1..j+1; their mean is (i + j) / 2 + 1
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    i = j + 1;
  }
  return ranks;
}

/** True when every entry equals the first (SciPy's exact constant-input test). */
function isConstant(x: Float64Array): boolean {
  const first = x[0] as number;
  for (let i = 1; i < x.length; i++) if (x[i] !== first) return false;
  return true;
}

function clip1(v: number): number {
  return Math.min(1, Math.max(-1, v));
}
