import { TbError } from "./errors.js";

/**
 * The arithmetic of precision on demand (docs/DESIGN.md §3.5), shared by every method that can
 * stop: the standard normal quantile, the Wilson score interval of a mean of 0/1 answers (with the
 * finite-population correction), the geometric schedule of the rounds and the Bonferroni level of
 * each look.
 */

/**
 * Standard normal quantile `Φ⁻¹(p)` for `p ∈ (0, 1)`: Acklam's rational approximation (relative
 * error below 1.2e-9, ample for interval widths).
 *
 * @param p - A probability in (0, 1).
 * @returns `z` with `Φ(z) = p`.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new TbError("E_USAGE", `normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const lowP = 0.02425;
  if (p < lowP) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  } else if (p <= 1 - lowP) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
      (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
}

/**
 * The Wilson score interval (Wilson 1927) of a mean of `m` answers in [0, 1] summing to `sum`, at
 * two-sided `level`:
 *
 *   centre = (p̂ + z²/2m) / (1 + z²/m),  half = z/(1 + z²/m) · √(p̂(1−p̂)/m + z²/4m²).
 *
 * With `population` (the `N` examples the `m` were drawn from without replacement) `z²` is
 * multiplied by the finite-population correction `(N − m)/(N − 1)`: the interval shrinks to the
 * point `p̂` when every example was asked. An end is 0 (1) only when every answer is 0 (1) (or the
 * whole population was asked). `m = 0` gives [0, 1].
 */
export function wilsonInterval(sum: number, m: number, level: number, population?: number): [number, number] {
  if (!(level > 0 && level < 1)) throw new TbError("E_USAGE", `wilsonInterval: level must be in (0, 1), got ${level}`);
  if (!(Number.isInteger(m) && m >= 0 && sum >= 0 && sum <= m)) {
    throw new TbError("E_USAGE", `wilsonInterval: ${sum} successes of ${m} answers`);
  }
  if (population !== undefined && !(Number.isInteger(population) && population >= m)) {
    throw new TbError("E_USAGE", `wilsonInterval: population ${population} is smaller than the ${m} answers`);
  }
  if (m === 0) return [0, 1];
  const p = sum / m;
  const fpc = population === undefined || population <= 1 ? 1 : Math.max(0, (population - m) / (population - 1));
  const z = normalQuantile(0.5 + level / 2);
  const z2 = z * z * fpc;
  const den = 1 + z2 / m;
  const centre = (p + z2 / (2 * m)) / den;
  const half = (Math.sqrt(z2) / den) * Math.sqrt((p * (1 - p)) / m + z2 / (4 * m * m));
  // exact ends where the answers make them exact (rounding would leave 1e-17 off)
  const lo = sum === 0 ? 0 : Math.max(0, centre - half);
  const hi = sum === m ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}

/**
 * The totals of a precision schedule: after a base design of `base` distinct examples, the
 * total doubles each round, capped at `maxBudget`: `[min(2·base, M), min(4·base, M), …, M]`
 * (empty when `maxBudget ≤ base`). Fixed before any answer, so the number of looks is too.
 */
export function precisionTotals(base: number, maxBudget: number): number[] {
  if (!(Number.isInteger(base) && base >= 1)) {
    throw new TbError("E_USAGE", `precision schedule: base must be an integer ≥ 1, got ${base}`);
  }
  const out: number[] = [];
  for (let t = base * 2; out[out.length - 1] !== maxBudget && maxBudget > base; t *= 2)
    out.push(Math.min(t, maxBudget));
  return out;
}

/**
 * The level of each of `looks` looks at the data so that all of them hold at once with
 * probability ≥ `level` (Bonferroni): `1 − (1 − level)/looks`. An interval reported at whichever
 * look the stopping rule chose then covers with probability ≥ `level`.
 */
export function lookLevel(level: number, looks: number): number {
  if (!(level > 0 && level < 1)) throw new TbError("E_USAGE", `lookLevel: level must be in (0, 1), got ${level}`);
  if (!(Number.isInteger(looks) && looks >= 1)) {
    throw new TbError("E_USAGE", `lookLevel: looks must be an integer ≥ 1, got ${looks}`);
  }
  return 1 - (1 - level) / looks;
}

/**
 * Check the precision options of a method that can stop; `where` names the function called.
 * `precision` is the target half-width in (0, 0.5]; `maxBudget` an integer in [budget, n].
 * `maxBudget` without `precision` is refused (it would be silently ignored).
 */
export function checkPrecisionOptions(
  o: { precision?: number | undefined; maxBudget?: number | undefined },
  budget: number,
  n: number,
  where: string,
): void {
  if (o.precision === undefined) {
    if (o.maxBudget !== undefined) {
      throw new TbError("E_USAGE", `${where}: maxBudget is given without precision (it only caps precision rounds)`);
    }
    return;
  }
  const p = o.precision;
  if (!(typeof p === "number" && p > 0 && p <= 0.5)) {
    throw new TbError("E_USAGE", `${where}: precision must be a half-width in (0, 0.5], got ${String(p)}`);
  }
  const m = o.maxBudget;
  if (m === undefined) {
    throw new TbError(
      "E_USAGE",
      `${where}: precision needs maxBudget (the most distinct examples a target may be asked)`,
    );
  }
  if (!(typeof m === "number" && Number.isSafeInteger(m))) {
    throw new TbError("E_USAGE", `${where}: maxBudget must be an integer, got ${JSON.stringify(m) ?? String(m)}`);
  }
  if (!(m >= budget && m <= n)) {
    throw new TbError(
      "E_USAGE",
      `${where}: maxBudget must be an integer in [budget ${budget}, ${n} examples], got ${String(m)}`,
    );
  }
}
