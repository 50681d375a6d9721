import { checkOptionKeys, RandomStream, TbError } from "@tb/core";
import { assign } from "./assign.js";
import { clara } from "./clara.js";
import { type DistanceSource, gridSource, precomputed } from "./distance-source.js";
import { exactGrid, isOnGrid, roundToGrid } from "./exact.js";
import { kernelOf, PHI_KERNEL_MIN_POINTS, type PhiKernel, phiKernel } from "./phi-kernel.js";

/**
 * A square distance matrix in any of the forms {@link kmedoids} accepts: rows of numbers, a flat
 * row-major `Float64Array` of length `n·n`, or a matrix object with `rows`, `columns` and
 * `get(i, j)` (an `ml-matrix` `Matrix`, without this package depending on it).
 */
export type DistanceInput = readonly (readonly number[])[] | Float64Array | MatrixLikeDistances;

/** The part of an `ml-matrix` `Matrix` that {@link kmedoids} reads. */
export interface MatrixLikeDistances {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

/** The swap search {@link kmedoids} runs. */
export type KMedoidsMethod = "pam" | "fasterpam" | "clara";

/** Options of {@link kmedoids}. */
export interface KMedoidsOptions {
  /** Seed of every random choice (the starting medoids, CLARA's samples). Default 0. */
  seed?: number;
  /** Point indices that are always medoids; they count in `K` and come first in the result. */
  fixed?: ArrayLike<number>;
  /**
   * `"pam"` (default): best-improvement swaps from a seeded random start, on all points.
   * `"fasterpam"`: eager swaps (FasterPAM), usually faster, sometimes a slightly higher cost.
   * `"clara"`: PAM on random samples of the points, the medoids of the sample whose medoids
   * serve all points best; for large `n`.
   */
  method?: KMedoidsMethod;
  /** Cap on swaps (`"pam"`, `"clara"`; default 5000) or on passes (`"fasterpam"`; default 100). */
  maxIter?: number;
  /** `"clara"` only: points per sample, `K ≤ s ≤ n`. Default `min(n, 40 + 2K)`. */
  sampleSize?: number;
  /** `"clara"` only: number of samples. Default 5. */
  subRuns?: number;
}

/** Result of {@link kmedoids}. */
export interface KMedoidsResult {
  /** The `K` medoids (point indices): the fixed ones first (ascending), then the others. */
  medoids: Int32Array;
  /** Per point, the position in `medoids` of its nearest medoid (ties to the earlier one). */
  labels: Int32Array;
  /** Points per medoid, in the order of `medoids`. */
  sizes: Int32Array;
  /** Σ over points of the distance to their medoid, on the distances given. */
  cost: number;
}

const OPTION_KEYS = new Set(["seed", "fixed", "method", "maxIter", "sampleSize", "subRuns"]);
const METHODS: readonly KMedoidsMethod[] = ["pam", "fasterpam", "clara"];

/**
 * K-Medoids clustering of `n` points given by their pairwise distances: picks `K` of the points
 * (the medoids) so that the sum of distances from every point to its nearest medoid (the cost)
 * is as small as the swap search can make it, and returns the medoids, each point's medoid, the
 * cluster sizes and the cost. Deterministic for a given `seed`.
 *
 * ```ts
 * const { medoids, labels, cost } = kmedoids(distances, 3, { seed: 1, fixed: [0] });
 * ```
 *
 * The distances must be a symmetric matrix with zeros on the diagonal and finite entries ≥ 0;
 * anything else is refused up front (an asymmetric matrix would make the swap search oscillate
 * between two solutions until its iteration cap). The low-level functions ({@link pamSwap},
 * {@link fasterPam}, {@link clara}, {@link assign}) stay available for composing pipelines.
 *
 * @param distances `number[][]`, a flat row-major `Float64Array` (`n·n`) or an `ml-matrix` `Matrix`.
 * @param K number of medoids, `1 ≤ K ≤ n`, at least the number of fixed medoids.
 * @throws TbError `E_INPUT` for a non-square, asymmetric, negative, NaN or infinite matrix or a
 *   non-zero diagonal (naming the entry); `E_USAGE` for a bad `K` or option (naming it).
 */
export function kmedoids(distances: DistanceInput, K: number, options: KMedoidsOptions = {}): KMedoidsResult {
  const { dist, n } = toFlatMatrix(distances);
  // a kernelMatrix is checked by its wasm kernel (the same checks, ≈ 3× faster)
  const kern = kernelOf(dist, n);
  const max = kern !== undefined ? kernelValidDistances(kern, dist, n) : validDistances(dist, n);
  checkOptionKeys(options, [...OPTION_KEYS], "kmedoids");
  if (typeof K !== "number" || !Number.isInteger(K) || K < 1 || K > n) {
    throw new TbError(
      "E_USAGE",
      `kmedoids: K must be an integer in [1, ${n}] (the number of points), got ${String(K)}`,
    );
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new TbError("E_USAGE", `kmedoids: seed must be an integer, got ${String(seed)}`);
  }
  const method = options.method ?? "pam";
  if (!METHODS.includes(method)) {
    throw new TbError("E_USAGE", `kmedoids: method must be one of ${METHODS.join(", ")}, got "${String(method)}"`);
  }
  if (method !== "clara") {
    for (const key of ["sampleSize", "subRuns"] as const) {
      if (options[key] !== undefined) {
        throw new TbError("E_USAGE", `kmedoids: option ${key} applies to method "clara" only (method is "${method}")`);
      }
    }
  }
  const fixed = checkFixed(options.fixed, n, K);
  const source = precomputed(dist, n);
  // the options are checked whether or not there is a search (every medoid fixed: none)
  const clara_ = method === "clara";
  const sampleSize = clara_ ? (options.sampleSize ?? Math.min(n, 40 + 2 * K)) : n;
  const subRuns = clara_ ? (options.subRuns ?? 5) : 1;
  for (const [name, v, lo, hi] of [
    ["sampleSize", options.sampleSize, K, n],
    ["subRuns", options.subRuns, 1, Number.MAX_SAFE_INTEGER],
    ["maxIter", options.maxIter, 0, Number.MAX_SAFE_INTEGER],
  ] as const) {
    if (v !== undefined && (typeof v !== "number" || !Number.isSafeInteger(v) || v < lo || v > hi)) {
      throw new TbError(
        "E_USAGE",
        `kmedoids: ${name} must be an integer ${name === "sampleSize" ? `in [K, n] = [${lo}, ${hi}]` : `≥ ${lo}`}, got ${String(v)}`,
      );
    }
  }
  const maxIter = options.maxIter;
  let medoids: Int32Array;
  if (fixed.length === K) {
    medoids = fixed.sort();
  } else {
    const rng = RandomStream.derive(seed, "kmedoids");
    // PAM and FasterPAM search all points: the matrix on the exact grid, as it is when it already
    // is (no copy), else rounded once. CLARA keeps the source of the given distances: its samples
    // are rounded on their own grid and its sub-runs compared on the given distances.
    // PAM and FasterPAM: the matrix as it is when it is on the grid (FasterPAM in the wasm kernel
    // when it is a kernelMatrix), else rounded once — for FasterPAM on n ≥ PHI_KERNEL_MIN_POINTS
    // points into a kernel's memory, which its search then reads
    let searched: DistanceSource = source;
    if (!clara_) {
      const grid = exactGrid(max, n);
      if (kern !== undefined && grid > 0 ? kern.onGrid(1 / grid) : isOnGrid(dist, max, n, true)) {
        searched = gridSource(dist, n, method === "fasterpam" ? kern : undefined);
      } else {
        const kernel = method === "fasterpam" && n >= PHI_KERNEL_MIN_POINTS ? phiKernel(n) : undefined;
        const q = roundToGrid(dist, max, n, kernel?.matrix ?? new Float64Array(n * n));
        searched = gridSource(q, n, kernel);
      }
    }
    medoids = clara(searched, {
      k: K - fixed.length,
      fixed,
      sampleSize,
      subRuns,
      rng,
      // with several samples, keep the one whose medoids serve all points best (CLARA as
      // published); with one sample there is nothing to choose
      select: subRuns > 1 ? "fullInertia" : "last",
      algorithm: method === "fasterpam" ? "fasterpam" : "pam",
      ...(maxIter !== undefined ? { maxIter } : {}),
    }).medoids;
  }
  const { labels, sizes, cost } = assign(source, medoids);
  return { medoids, labels, sizes, cost };
}

function isMatrixLike(x: unknown): x is MatrixLikeDistances {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as MatrixLikeDistances).rows === "number" &&
    typeof (x as MatrixLikeDistances).columns === "number" &&
    typeof (x as MatrixLikeDistances).get === "function"
  );
}

/**
 * Any accepted form as a row-major Float64Array, checking that it is square: a flat Float64Array
 * as it is (only read), the other forms copied.
 */
function toFlatMatrix(distances: DistanceInput): { dist: Float64Array; n: number } {
  if (distances instanceof Float64Array) {
    const n = Math.round(Math.sqrt(distances.length));
    if (n * n !== distances.length || n === 0) {
      throw new TbError(
        "E_INPUT",
        `kmedoids: a flat Float64Array of distances must hold n·n entries for some n ≥ 1, got ${distances.length}`,
      );
    }
    return { dist: distances, n };
  }
  if (Array.isArray(distances)) {
    const n = distances.length;
    if (n === 0) throw new TbError("E_INPUT", "kmedoids: the distance matrix has no rows");
    const dist = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = distances[i];
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
        throw new TbError(
          "E_INPUT",
          `kmedoids: distance row ${i} is not an array (a flat list of numbers is not a matrix)`,
        );
      }
      const r = row as ArrayLike<number>;
      if (r.length !== n) {
        throw new TbError(
          "E_INPUT",
          `kmedoids: the distance matrix must be square (n × n, n = ${n}); row ${i} has ${r.length} entries`,
        );
      }
      for (let j = 0; j < n; j++) dist[i * n + j] = r[j] as number;
    }
    return { dist, n };
  }
  if (isMatrixLike(distances)) {
    const n = distances.rows;
    if (distances.columns !== n || n === 0) {
      throw new TbError(
        "E_INPUT",
        `kmedoids: the distance matrix must be square and non-empty, got ${n} × ${distances.columns}`,
      );
    }
    const dist = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist[i * n + j] = distances.get(i, j);
    return { dist, n };
  }
  throw new TbError(
    "E_INPUT",
    "kmedoids: distances must be number[][], a flat row-major Float64Array (n·n) or a matrix with rows, columns and get(i, j)",
  );
}

/**
 * The checks of {@link checkDistances} in one pass over the matrix, in 64 × 64 tiles (an entry
 * and its mirror are read while both are in cache), returning the largest entry. When an entry
 * fails, {@link checkDistances} names the first one (and throws). (Fusing the grid test into this
 * pass, or reading the mirror tile through a transposed buffer, measured slower.) Internal
 * (exported for tests).
 */
export function validDistances(dist: Float64Array, n: number): number {
  const B = 64;
  let max = 0;
  let min = 0;
  let ok = true;
  for (let i = 0; i < n; i++) if (dist[i * n + i] !== 0) ok = false;
  for (let i0 = 0; i0 < n && ok; i0 += B) {
    const i1 = Math.min(i0 + B, n);
    for (let j0 = i0; j0 < n; j0 += B) {
      const j1 = Math.min(j0 + B, n);
      for (let i = i0; i < i1; i++) {
        const j = j0 === i0 ? i + 1 : j0;
        let mirror = j * n + i; // [j][i], one row further each step
        const end = i * n + j1;
        for (let r = i * n + j; r < end; r++, mirror += n) {
          const a = dist[r] as number;
          // a NaN differs from everything, its mirror included
          if (a !== dist[mirror]) ok = false;
          if (a > max) max = a;
          else if (a < min) min = a;
        }
      }
    }
  }
  if (!ok || min < 0 || !(max < Number.POSITIVE_INFINITY)) {
    checkDistances(dist, n);
    throw new TbError("E_INTERNAL", "kmedoids: the distance checks disagree");
  }
  return max;
}

/**
 * {@link validDistances} for a kernelMatrix: the same checks and result, the tiles read by the wasm
 * kernel (one pass; SIMD). Internal.
 */
export function kernelValidDistances(kern: PhiKernel, dist: Float64Array, n: number): number {
  let ok = true;
  for (let i = 0; i < n; i++) if (dist[i * n + i] !== 0) ok = false;
  const max = ok ? kern.check(KERNEL_TILE) : -1;
  if (!(max >= 0 && max < Number.POSITIVE_INFINITY)) {
    checkDistances(dist, n);
    throw new TbError("E_INTERNAL", "kmedoids: the distance checks disagree");
  }
  return max;
}

/** Tile side of the kernel's check (its mirror reads then touch at most 32 rows' pages per tile). */
const KERNEL_TILE = 32;

/** Finite, ≥ 0, zero diagonal, exactly symmetric; names the first offending entry. */
function checkDistances(dist: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = dist[i * n + j];
      if (typeof v !== "number" || !(v >= 0 && v < Number.POSITIVE_INFINITY)) {
        throw new TbError(
          "E_INPUT",
          `kmedoids: distance [${i}][${j}] is ${String(v)}; distances must be finite numbers ≥ 0`,
        );
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (dist[i * n + i] !== 0) {
      throw new TbError("E_INPUT", `kmedoids: distance [${i}][${i}] is ${dist[i * n + i]}; the diagonal must be 0`);
    }
    for (let j = i + 1; j < n; j++) {
      const a = dist[i * n + j] as number;
      const b = dist[j * n + i] as number;
      if (a !== b) {
        throw new TbError(
          "E_INPUT",
          `kmedoids: the distance matrix is not symmetric: [${i}][${j}] = ${a} but [${j}][${i}] = ${b} ` +
            "(symmetrize it first, e.g. with (d[i][j] + d[j][i]) / 2)",
        );
      }
    }
  }
}

/** The fixed medoids as an Int32Array: integers in [0, n), no duplicates, at most K of them. */
function checkFixed(fixed: ArrayLike<number> | undefined, n: number, K: number): Int32Array {
  if (fixed === undefined) return new Int32Array(0);
  if (typeof fixed !== "object" || fixed === null || typeof fixed.length !== "number") {
    throw new TbError("E_USAGE", `kmedoids: fixed must be a list of point indices, got ${String(fixed)}`);
  }
  if (fixed.length > K) {
    throw new TbError("E_USAGE", `kmedoids: ${fixed.length} fixed medoids but K = ${K}; fixed medoids count in K`);
  }
  const out = new Int32Array(fixed.length);
  const seen = new Set<number>();
  for (let t = 0; t < fixed.length; t++) {
    const p = fixed[t];
    if (typeof p !== "number" || !Number.isInteger(p) || p < 0 || p >= n) {
      throw new TbError("E_USAGE", `kmedoids: fixed[${t}] is ${String(p)}, not a point index in [0, ${n})`);
    }
    if (seen.has(p)) throw new TbError("E_USAGE", `kmedoids: fixed lists point ${p} twice`);
    seen.add(p);
    out[t] = p;
  }
  return out;
}
