import { TbError } from "@tb/core";

/** float64 machine epsilon, 2⁻⁵². */
const EPS = 2 ** -52;

/**
 * Column standardisation with scikit-learn `StandardScaler` semantics (docs/METHOD.md §2.1).
 *
 * For an `r × q` row-major matrix, each column becomes `(x − μ)/σ` with the population standard
 * deviation (divide by `r`). A column is treated as constant when
 * `σ² ≤ r·ε·σ² + (r·μ·ε)²` (ε = 2⁻⁵²): it is then only centred (scale 1), so it becomes zero up to
 * rounding. Never divides by zero, never produces NaN for finite input.
 *
 * @param x row-major `r × q` values (not modified)
 * @returns a new row-major `r × q` array
 */
export function standardizeColumns(x: Float64Array, r: number, q: number): Float64Array {
  if (x.length !== r * q) throw new TbError("E_USAGE", `standardizeColumns: ${x.length} values for ${r}×${q}`);
  const out = new Float64Array(r * q);
  const mean = new Float64Array(q);
  const sq = new Float64Array(q);
  for (let i = 0; i < r; i++) {
    const base = i * q;
    for (let j = 0; j < q; j++) mean[j] = (mean[j] as number) + (x[base + j] as number);
  }
  for (let j = 0; j < q; j++) mean[j] = (mean[j] as number) / r;
  for (let i = 0; i < r; i++) {
    const base = i * q;
    for (let j = 0; j < q; j++) {
      const d = (x[base + j] as number) - (mean[j] as number);
      sq[j] = (sq[j] as number) + d * d;
    }
  }
  const scale = new Float64Array(q);
  for (let j = 0; j < q; j++) scale[j] = scaleOf(sq[j] as number, mean[j] as number, r);
  for (let i = 0; i < r; i++) {
    const base = i * q;
    for (let j = 0; j < q; j++) out[base + j] = ((x[base + j] as number) - (mean[j] as number)) / (scale[j] as number);
  }
  return out;
}

/**
 * The scale {@link standardizeColumns} gives a column of `r` values from its mean and its sum of
 * squared deviations `Σ (x − mean)²` summed in row order (§2.1, constant rule included). Internal.
 */
export function scaleOf(sq: number, mu: number, r: number): number {
  const v = sq / r;
  const bound = r * EPS * v + (r * mu * EPS) ** 2;
  return v <= bound || v === 0 ? 1 : Math.sqrt(v);
}
