import { TbError } from "@tb/core";

/** Throws `E_USAGE` unless `x` is an integer in `[lo, hi]`. Internal. */
export function checkInt(x: unknown, lo: number, hi: number, what: string): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < lo || x > hi) {
    throw new TbError("E_USAGE", `${what} must be an integer in [${lo}, ${hi}], got ${String(x)}`);
  }
  return x;
}

/** Throws `E_USAGE` unless `x` is a finite number ≥ 0. Internal. */
export function checkEps(x: unknown, what: string): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
    throw new TbError("E_USAGE", `${what} must be a finite number ≥ 0, got ${String(x)}`);
  }
  return x;
}

/** Validates an m×m matrix shape. Internal. */
export function checkSquare(dist: Float64Array, m: number, fn: string): void {
  checkInt(m, 1, 0x7fff_ffff, `${fn}: m`);
  if (!(dist instanceof Float64Array) || dist.length !== m * m) {
    throw new TbError(
      "E_USAGE",
      `${fn}: dist must be a Float64Array of length m·m = ${m * m}, got length ${String(dist?.length)}`,
    );
  }
}

/**
 * Copies a medoid list into an Int32Array after checking it: 1 ≤ K ≤ m entries, each an integer
 * point index in `[0, m)`, no duplicates. Internal.
 */
export function checkMedoids(initial: ArrayLike<number>, m: number, fn: string): Int32Array {
  const K = initial.length;
  if (K < 1 || K > m) {
    throw new TbError("E_USAGE", `${fn}: need 1 ≤ K ≤ m initial medoids (m = ${m}), got K = ${K}`);
  }
  const med = new Int32Array(K);
  const seen = new Uint8Array(m);
  for (let i = 0; i < K; i++) {
    const p = initial[i] as number;
    if (!Number.isInteger(p) || p < 0 || p >= m) {
      throw new TbError("E_USAGE", `${fn}: medoid slot ${i} is ${String(p)}, not a point index in [0, ${m})`);
    }
    if (seen[p] === 1) throw new TbError("E_USAGE", `${fn}: point ${p} appears twice among the initial medoids`);
    seen[p] = 1;
    med[i] = p;
  }
  return med;
}
