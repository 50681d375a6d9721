/** Test helpers (not exported from the package). */

/** Manhattan distance matrix of points given as rows of coordinates. */
export function manhattanMatrix(points: readonly (readonly number[])[]): Float64Array {
  const m = points.length;
  const d = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const p = points[i] as readonly number[];
      const q = points[j] as readonly number[];
      let s = 0;
      for (let c = 0; c < p.length; c++) s += Math.abs((p[c] as number) - (q[c] as number));
      d[i * m + j] = s;
    }
  }
  return d;
}

/** Points on a line → |x_i − x_j|. */
export function lineMatrix(xs: readonly number[]): Float64Array {
  return manhattanMatrix(xs.map((x) => [x]));
}

/**
 * 0/1 rows (points × features), each feature column z-scored (population std, constant → 0),
 * then Manhattan: the TailoredBench embedding of §3, with many exact ties.
 */
export function zScoredBinaryMatrix(bits: readonly (readonly number[])[]): Float64Array {
  const m = bits.length;
  const q = (bits[0] as readonly number[]).length;
  const z = bits.map((r) => r.slice());
  for (let c = 0; c < q; c++) {
    let mu = 0;
    for (let i = 0; i < m; i++) mu += (bits[i] as readonly number[])[c] as number;
    mu /= m;
    let v = 0;
    for (let i = 0; i < m; i++) v += (((bits[i] as readonly number[])[c] as number) - mu) ** 2;
    const sd = v > 0 ? Math.sqrt(v / m) : 1;
    for (let i = 0; i < m; i++) (z[i] as number[])[c] = (((bits[i] as readonly number[])[c] as number) - mu) / sd;
  }
  return manhattanMatrix(z);
}

/** Σ_j min over medoids of d(μ, j), computed directly. */
export function bruteCost(d: Float64Array, m: number, medoids: ArrayLike<number>): number {
  let c = 0;
  for (let j = 0; j < m; j++) {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < medoids.length; i++) best = Math.min(best, d[(medoids[i] as number) * m + j] as number);
    c += best;
  }
  return c;
}

/** All K-subsets of 0..m−1 in lexicographic order. */
export function* subsets(m: number, K: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === K) {
    yield acc.slice();
    return;
  }
  for (let p = start; p <= m - (K - acc.length); p++) {
    acc.push(p);
    yield* subsets(m, K, p + 1, acc);
    acc.pop();
  }
}
