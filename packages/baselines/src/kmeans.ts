import { checkOptionKeys, optionNames, RandomStream, type Seed, TbError } from "@tb/core";

/** Options of {@link kmeans} (docs/METHOD.md §6.5, scikit-learn `KMeans` semantics). */
export interface KMeansOptions {
  /** Number of clusters `K`. */
  k: number;
  /** Lloyd iterations per restart (default 300). */
  maxIter?: number;
  /** Relative tolerance: stop when the squared centre shift ≤ `tol · mean feature variance` (default 1e-4). */
  tol?: number;
  /**
   * One stream per restart; the best (lowest inertia, first on ties) restart wins. The gp-IRT
   * baseline passes `ctx.rng.child("kmeans", t)` for `t = 0..4`.
   */
  streams: readonly Seed[];
}

/** Result of {@link kmeans}. */
export interface KMeansResult {
  /** `k × q` centres, row-major. */
  centers: Float64Array;
  /** Cluster of every point (consistent with `centers`). */
  labels: Int32Array;
  /** Sum of squared distances of points to their centre. */
  inertia: number;
  /** Which restart won. */
  restart: number;
  /** Lloyd iterations of the winning restart. */
  iterations: number;
}

function sqDist(X: Float64Array, i: number, C: Float64Array, c: number, q: number): number {
  const xo = i * q;
  const co = c * q;
  let s = 0;
  for (let f = 0; f < q; f++) {
    const t = (X[xo + f] as number) - (C[co + f] as number);
    s += t * t;
  }
  return s;
}

/**
 * Greedy k-means++ seeding as in scikit-learn (`2 + ⌊ln k⌋` local trials per centre, each
 * candidate drawn with probability ∝ squared distance; the candidate giving the lowest potential
 * wins, first on ties). Returns the chosen point indices.
 */
export function kmeansPlusPlus(X: Float64Array, n: number, q: number, k: number, seed: Seed): Int32Array {
  const rng = RandomStream.from(seed, "kmeansPlusPlus: rng");
  const chosen = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));
  const closest = new Float64Array(n);
  const first = rng.nextInt(n);
  chosen[0] = first;
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(X, i, X, first, q);
    closest[i] = v;
    pot += v;
  }
  const cum = new Float64Array(n);
  const cand = new Float64Array(n);
  const bestCand = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += closest[i] as number;
      cum[i] = s;
    }
    let bestPot = Number.POSITIVE_INFINITY;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      const r = rng.nextFloat() * pot;
      // searchsorted(cum, r, side="left"), clipped to n − 1
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cum[mid] as number) < r) lo = mid + 1;
        else hi = mid;
      }
      const id = Math.min(lo, n - 1);
      let p = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i] as number, sqDist(X, i, X, id, q));
        cand[i] = v;
        p += v;
      }
      if (p < bestPot) {
        bestPot = p;
        bestId = id;
        bestCand.set(cand);
      }
    }
    chosen[c] = bestId;
    closest.set(bestCand);
    pot = bestPot;
  }
  return chosen;
}

/** Nearest centre of every point (first on ties); returns the inertia. */
function assignLabels(
  X: Float64Array,
  n: number,
  q: number,
  C: Float64Array,
  k: number,
  labels: Int32Array,
  dist: Float64Array,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = Number.POSITIVE_INFINITY;
    let bi = 0;
    for (let c = 0; c < k; c++) {
      const v = sqDist(X, i, C, c, q);
      if (v < best) {
        best = v;
        bi = c;
      }
    }
    labels[i] = bi;
    dist[i] = best;
    inertia += best;
  }
  return inertia;
}

/**
 * k-means (docs/METHOD.md §6.5) on `n` points of dimension `q` (`X` row-major) with uniform weights:
 * greedy k-means++ start, Lloyd iterations until the labels stop changing or the squared centre
 * shift falls to `tol ·` (mean feature variance), at most `maxIter`; an empty cluster is moved to
 * the point farthest from its centre (scikit-learn's relocation). One run per stream in
 * `streams`; the lowest inertia wins (first on ties).
 */
const KMEANS_OPTION_NAMES = optionNames<KMeansOptions>()("k", "maxIter", "tol", "streams");

export function kmeans(X: Float64Array, n: number, q: number, options: KMeansOptions): KMeansResult {
  checkOptionKeys(options, KMEANS_OPTION_NAMES, "kmeans");
  const k = options.k;
  if (!(Number.isInteger(k) && k >= 1 && k <= n)) throw new TbError("E_USAGE", `k-means: k=${k} must be in [1, ${n}]`);
  if (X.length !== n * q) throw new TbError("E_USAGE", `k-means: X has ${X.length} values, expected ${n}×${q}`);
  if (options.streams.length < 1) throw new TbError("E_USAGE", "k-means: need at least one restart stream");
  const maxIter = options.maxIter ?? 300;
  // tol · mean of the per-feature (population) variances
  let meanVar = 0;
  for (let f = 0; f < q; f++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X[i * q + f] as number;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const t = (X[i * q + f] as number) - m;
      v += t * t;
    }
    meanVar += v / n;
  }
  const tol = (options.tol ?? 1e-4) * (q > 0 ? meanVar / q : 0);
  let best: KMeansResult | undefined;
  options.streams.forEach((rng, restart) => {
    const seeds = kmeansPlusPlus(X, n, q, k, rng);
    const C = new Float64Array(k * q);
    for (let c = 0; c < k; c++) C.set(X.subarray((seeds[c] as number) * q, ((seeds[c] as number) + 1) * q), c * q);
    const labels = new Int32Array(n);
    const prev = new Int32Array(n).fill(-1);
    const dist = new Float64Array(n);
    const Cn = new Float64Array(k * q);
    const counts = new Int32Array(k);
    let strict = false;
    let it = 0;
    for (; it < maxIter; it++) {
      assignLabels(X, n, q, C, k, labels, dist);
      Cn.fill(0);
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const c = labels[i] as number;
        counts[c] = (counts[c] as number) + 1;
        for (let f = 0; f < q; f++) Cn[c * q + f] = (Cn[c * q + f] as number) + (X[i * q + f] as number);
      }
      relocateEmpty(X, n, q, k, labels, dist, Cn, counts);
      for (let c = 0; c < k; c++) {
        const cnt = counts[c] as number;
        // A cluster emptied by a relocation keeps its centre (scikit-learn leaves it unscaled).
        if (cnt === 0) for (let f = 0; f < q; f++) Cn[c * q + f] = C[c * q + f] as number;
        else for (let f = 0; f < q; f++) Cn[c * q + f] = (Cn[c * q + f] as number) / cnt;
      }
      let shift = 0;
      for (let i = 0; i < k * q; i++) {
        const t = (Cn[i] as number) - (C[i] as number);
        shift += t * t;
      }
      C.set(Cn);
      let same = true;
      for (let i = 0; i < n; i++) {
        if (labels[i] !== prev[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        strict = true;
        it++;
        break;
      }
      prev.set(labels);
      if (shift <= tol) {
        it++;
        break;
      }
    }
    // scikit-learn reruns the E-step unless the labels converged strictly.
    const inertia = strict ? computeInertia(X, n, q, C, labels) : assignLabels(X, n, q, C, k, labels, dist);
    if (best === undefined || inertia < best.inertia) {
      best = { centers: C, labels, inertia, restart, iterations: it };
    }
  });
  return best as unknown as KMeansResult;
}

function computeInertia(X: Float64Array, n: number, q: number, C: Float64Array, labels: Int32Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += sqDist(X, i, C, labels[i] as number, q);
  return s;
}

/**
 * scikit-learn `_relocate_empty_clusters_dense`: the empty clusters take, in order, the points
 * farthest from their current centre (largest first; a stable sort keeps lower indices first on
 * ties); each such point's contribution moves from its old cluster's sum to the new one.
 */
function relocateEmpty(
  X: Float64Array,
  n: number,
  q: number,
  k: number,
  labels: Int32Array,
  dist: Float64Array,
  sums: Float64Array,
  counts: Int32Array,
): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (dist[j] as number) - (dist[i] as number) || i - j,
  );
  empty.forEach((c, idx) => {
    const p = order[idx] as number;
    const old = labels[p] as number;
    for (let f = 0; f < q; f++) {
      const v = X[p * q + f] as number;
      sums[old * q + f] = (sums[old * q + f] as number) - v;
      sums[c * q + f] = v;
    }
    counts[old] = (counts[old] as number) - 1;
    counts[c] = 1;
    labels[p] = c;
  });
}

/**
 * Index of the point nearest (Euclidean) to each centre, first on ties (docs/METHOD.md §6.5 anchors).
 */
export function nearestPoints(X: Float64Array, n: number, q: number, centers: Float64Array, k: number): Int32Array {
  const out = new Int32Array(k);
  for (let c = 0; c < k; c++) {
    let best = Number.POSITIVE_INFINITY;
    let bi = 0;
    for (let i = 0; i < n; i++) {
      const v = sqDist(X, i, centers, c, q);
      if (v < best) {
        best = v;
        bi = i;
      }
    }
    out[c] = bi;
  }
  return out;
}
