import { TbError } from "@tb/core";
import type { KMedoidsScratch } from "./scratch.js";

/**
 * The spacing of the exact grid (docs/METHOD.md §9.18) that {@link quantizeDistances} rounds to: a power
 * of two chosen so that every
 * sum the swap search forms (at most `2m + 2` terms of magnitude ≤ max distance) is an integer
 * multiple of it below 2^53, hence exact in float64 whatever the order of summation.
 * Returns 0 when every distance is 0.
 */
export function exactGrid(maxDistance: number, m: number): number {
  if (maxDistance === 0) return 0;
  let e = Math.ceil(Math.log2(maxDistance));
  while (2 ** e < maxDistance) e++;
  while (e > -1022 && 2 ** (e - 1) >= maxDistance) e--;
  const headroom = Math.ceil(Math.log2(2 * m + 4));
  return 2 ** Math.max(e + headroom - 53, -1022);
}

/**
 * Rounds a distance matrix to the grid of {@link exactGrid} (docs/METHOD.md §9.18, "evaluate Φ
 * exactly"). Afterwards every Φ of §2.3 — whether summed literally, in the fast form, or kept
 * up to date incrementally — is computed without rounding, so exact ties stay exact ties, swap
 * choices do not depend on the order of summation, and a non-improving swap has Φ ≥ 0 exactly.
 * The relative change of each entry is below `2^-(52 − log2(2m+4))` of the largest distance
 * (≈ 1e-12 for m = 1319): far below any meaningful difference.
 *
 * Zero, duplicate and symmetric entries stay zero, duplicate and symmetric. The function is
 * idempotent. Throws `E_INPUT` on a negative, NaN or infinite entry.
 *
 * @param dist any distances (row-major matrix or a block of rows); not modified.
 * @param m the number of points whose costs are summed (sets the headroom of the grid).
 * @param out where to write (may be `dist` itself); a new array when omitted.
 */
export function quantizeDistances(dist: Float64Array, m: number, out?: Float64Array): Float64Array {
  const len = dist.length;
  let max = 0;
  for (let t = 0; t < len; t++) {
    const x = dist[t] as number;
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) {
      throw new TbError("E_INPUT", `distance matrix entry ${t} is ${x}; distances must be finite and ≥ 0`);
    }
    if (x > max) max = x;
  }
  return roundToGrid(dist, max, m, out ?? new Float64Array(len));
}

/**
 * The rounding step of {@link quantizeDistances} for distances already known to be finite and
 * ≥ 0 with largest entry `max` (e.g. reported by `DistanceSource.submatrixInto`). Internal.
 */
export function roundToGrid(dist: Float64Array, max: number, m: number, target: Float64Array): Float64Array {
  const len = dist.length;
  const grid = exactGrid(max, m);
  if (grid === 0) {
    if (target !== dist) target.set(dist);
    return target;
  }
  // x/grid < 2^51, so adding and subtracting 2^52 rounds it to the nearest integer (ties to even)
  // without a branch; both scalings are exact (powers of two).
  const inv = 1 / grid;
  const C = 4503599627370496; // 2^52
  for (let t = 0; t < len; t++) target[t] = ((dist[t] as number) * inv + C - C) * grid;
  return target;
}

/**
 * Whether `dist` (entries finite and ≥ 0, largest `max`) already lies on the grid of
 * {@link exactGrid}`(max, m)`: then {@link quantizeDistances} would return it unchanged, bit for bit
 * (−0 excluded: rounding makes it +0), and it can be used as it is. One read pass, nothing
 * written; with `symmetric` (an m × m matrix known to be symmetric with a zero diagonal) only the
 * entries above the diagonal are read. Internal.
 */
export function isOnGrid(dist: Float64Array, max: number, m: number, symmetric = false): boolean {
  const len = dist.length;
  const grid = exactGrid(max, m);
  if (grid === 0) {
    for (let t = 0; t < len; t++) if (1 / (dist[t] as number) < 0) return false; // −0
    return true;
  }
  // x is on the grid iff x/grid is an integer (x/grid < 2^51: adding and subtracting 2^52 rounds
  // it to an integer, exactly as roundToGrid does)
  const inv = 1 / grid;
  const C = 4503599627370496; // 2^52
  const rows = symmetric ? m : 1;
  const stride = symmetric ? m : len;
  for (let i = 0; i < rows; i++) {
    const end = i * stride + stride;
    for (let t = symmetric ? i * stride + i + 1 : 0; t < end; t++) {
      const x = dist[t] as number;
      const y = x * inv;
      if (y + C - C !== y) return false;
      if (x === 0 && 1 / x < 0) return false;
    }
  }
  // the diagonal of a symmetric matrix: zeros, +0 or −0
  if (symmetric) for (let i = 0; i < m; i++) if (1 / (dist[i * m + i] as number) < 0) return false;
  return true;
}

/** The largest entry of `dist`; `E_INPUT` on a negative, NaN or infinite one. Internal. */
export function checkedMax(dist: Float64Array): number {
  const len = dist.length;
  let max = 0;
  for (let t = 0; t < len; t++) {
    const x = dist[t] as number;
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) {
      throw new TbError("E_INPUT", `distance matrix entry ${t} is ${x}; distances must be finite and ≥ 0`);
    }
    if (x > max) max = x;
  }
  return max;
}

/** Largest quantized copy a workspace keeps between calls: 2^22 doubles = 32 MiB (m ≈ 2048). */
const MAX_SCRATCH = 1 << 22;

/**
 * `dist` on the exact grid, read-only: `dist` itself when it is already on it ({@link isOnGrid}:
 * two read passes, no copy), else a quantized copy. With a workspace's K-Medoids slot the copy is
 * written into a buffer the slot keeps, valid only until the next call with that slot — which
 * saves the first-touch page faults of a fresh `m²` allocation on every PAM run; then the result
 * must not escape the synchronous call that requested it. Without one, a fresh array. Throws
 * `E_INPUT` on a negative, NaN or infinite entry. Internal.
 */
export function gridMatrix(dist: Float64Array, m: number, scratch?: KMedoidsScratch): Float64Array {
  const max = checkedMax(dist);
  if (isOnGrid(dist, max, m)) return dist;
  return roundToGrid(dist, max, m, gridBuffer(scratch, dist.length));
}

/**
 * Where {@link gridMatrix} writes a quantized copy of `len` entries: the slot's kept buffer (valid
 * until the next call with that slot), or a fresh array without one or above `MAX_SCRATCH`. Internal.
 */
export function gridBuffer(scratch: KMedoidsScratch | undefined, len: number): Float64Array {
  if (scratch === undefined || len > MAX_SCRATCH) return new Float64Array(len);
  const kept = scratch.quantized;
  if (kept === undefined || kept.length < len) scratch.quantized = new Float64Array(Math.max(len, kept?.length ?? 0));
  return (scratch.quantized as Float64Array).subarray(0, len);
}
