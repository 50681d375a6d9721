import { type CorrectnessMatrix, TbError } from "@tb/core";
import { type DistanceMetric, isDegenerateRow, rowDistance } from "./distance.js";
import { scaleOf, standardizeColumns } from "./standardize.js";

/**
 * A set of points embedded as rows of a row-major `n × dim` matrix, optionally with a packed
 * binary form that makes manhattan/euclidean distances weighted Hamming distances.
 */
export interface Embedding {
  /**
   * Row-major `n × dim` coordinates. For embeddings of 0/1 matrices from {@link exampleEmbedding}
   * it is computed on first access (and kept): the distances of {@link distanceSource} need only
   * the packed form, so a 100k-example × 2k-model embedding never holds 1.6 GB of doubles.
   */
  readonly data: Float64Array;
  readonly n: number;
  readonly dim: number;
  /**
   * Present when every column takes at most two values, one for raw 0 and one for raw 1
   * (true for standardised 0/1 correctness): `bytes` packs each point's raw bits
   * (`n × stride`, bit `k & 7` of byte `k >> 3` is column `k`), `weights[k] = |z₁ − z₀|` of
   * column `k` (0 for a constant column).
   */
  readonly binary?: { readonly bytes: Uint8Array; readonly stride: number; readonly weights: Float64Array };
}

/** Options shared by the embedding builders. */
export interface EmbeddingOptions {
  /** Standardise columns (ALGORITHMS §2.1); default true (the reference). `false` = the paper's raw vectors. */
  standardize?: boolean;
}

function checkModelRows(matrix: CorrectnessMatrix, modelRows: ArrayLike<number>): void {
  for (let k = 0; k < modelRows.length; k++) {
    const r = modelRows[k] as number;
    if (!(Number.isInteger(r) && r >= 0 && r < matrix.rows)) {
      throw new TbError("E_USAGE", `exampleEmbedding: model row ${r} out of range [0, ${matrix.rows})`);
    }
  }
}

/** The dense `n × q` embedding: raw columns `modelRows` of the matrix, standardised or not. */
function denseExampleEmbedding(matrix: CorrectnessMatrix, modelRows: ArrayLike<number>, standardize: boolean) {
  const n = matrix.cols;
  const q = modelRows.length;
  const raw = new Float64Array(n * q);
  const src = matrix.data;
  for (let k = 0; k < q; k++) {
    const base = (modelRows[k] as number) * n;
    for (let x = 0; x < n; x++) raw[x * q + k] = src[base + x] as number;
  }
  return standardize ? standardizeColumns(raw, n, q) : raw;
}

/**
 * Example embedding over a subset of models (paper Eq. 1; ALGORITHMS §3 steps 1 and 5):
 * `E = Z(C_rowsᵀ)`, an `n × |rows|` matrix whose rows are examples and whose column `k` is model
 * `rows[k]`'s correctness, standardised across examples (a constant model becomes a zero column).
 *
 * For a `binary` matrix the packed form is built straight from the matrix rows, with each
 * column's mean and scale summed exactly as {@link standardizeColumns} does (ALGORITHMS §2.1), and
 * `data` is computed only when first read: memory is `n·⌈q/8⌉` bytes instead of `16·n·q`, and
 * `data` (when read) and the distances are bit for bit those of the dense construction.
 */
export function exampleEmbedding(
  matrix: CorrectnessMatrix,
  modelRows: ArrayLike<number>,
  options: EmbeddingOptions = {},
): Embedding {
  checkModelRows(matrix, modelRows);
  const n = matrix.cols;
  const q = modelRows.length;
  const standardize = options.standardize !== false;
  if (matrix.kind !== "binary") return { data: denseExampleEmbedding(matrix, modelRows, standardize), n, dim: q };
  const rows = Int32Array.from(modelRows);
  const binary = packRows(matrix, rows, standardize);
  let data: Float64Array | undefined;
  return {
    n,
    dim: q,
    binary,
    get data(): Float64Array {
      data ??= denseExampleEmbedding(matrix, rows, standardize);
      return data;
    },
  };
}

/**
 * Model embedding on a subset of examples (paper Eq. 3; ALGORITHMS §3 step 2): the rows are
 * models (sources then targets), the columns are the G-set examples, and each column is
 * standardised across models. `values` is row-major `models × g`.
 */
export function modelEmbedding(
  values: Float64Array,
  models: number,
  g: number,
  options: EmbeddingOptions = {},
): Embedding {
  const data = options.standardize === false ? Float64Array.from(values) : standardizeColumns(values, models, g);
  return { data, n: models, dim: g };
}

/**
 * Packed bits and column weights of the example embedding of a 0/1 matrix over `rows`
 * (ALGORITHMS §2.1–2.2): bit `k` of example `x` is `C[rows[k]][x]`; the weight of column `k` is
 * `|z₁ − z₀|` with `z_v = (v − mean)/scale` (`|1 − 0|` unstandardised), 0 when the column is
 * constant. One pass over the matrix: eight model rows at a time are packed into a byte column,
 * counting ones (the exact column sum); the squared deviations are then summed per model in
 * example order from that byte column, term by term as {@link standardizeColumns} sums them, so
 * mean, scale and weights are bit for bit the dense construction's.
 */
function packRows(
  matrix: CorrectnessMatrix,
  rows: Int32Array,
  standardize: boolean,
): { bytes: Uint8Array; stride: number; weights: Float64Array } {
  const n = matrix.cols;
  const q = rows.length;
  const src = matrix.data;
  const stride = Math.ceil(q / 8);
  const bytes = new Uint8Array(n * stride);
  const weights = new Float64Array(q);
  const col = new Uint8Array(n);
  const ones = new Float64Array(8);
  const sq = new Float64Array(8);
  const terms = new Float64Array(16); // per bit b: (0 − mean)², (1 − mean)²
  for (let byte = 0; byte < stride; byte++) {
    const k0 = byte * 8;
    const bits = Math.min(8, q - k0);
    ones.fill(0);
    for (let b = 0; b < bits; b++) {
      const base = (rows[k0 + b] as number) * n;
      let c = 0;
      const bit = 1 << b;
      // binary cells are exactly 0 or 1: OR in the bit without a branch
      for (let x = 0; x < n; x++) {
        const v = src[base + x] as number;
        col[x] = (col[x] as number) | (v * bit);
        c += v;
      }
      ones[b] = c;
    }
    for (let x = 0; x < n; x++) bytes[x * stride + byte] = col[x] as number;
    if (standardize) {
      for (let b = 0; b < bits; b++) {
        const mean = (ones[b] as number) / n;
        const d0 = 0 - mean;
        const d1 = 1 - mean;
        terms[2 * b] = d0 * d0;
        terms[2 * b + 1] = d1 * d1;
      }
      sq.fill(0);
      for (let x = 0; x < n; x++) {
        const v = col[x] as number;
        for (let b = 0; b < bits; b++) sq[b] = (sq[b] as number) + (terms[2 * b + ((v >> b) & 1)] as number);
      }
    }
    for (let b = 0; b < bits; b++) {
      const c = ones[b] as number;
      if (c === 0 || c === n) continue; // one value only: weight 0
      if (!standardize) {
        weights[k0 + b] = 1;
        continue;
      }
      const mean = c / n;
      const scale = scaleOf(sq[b] as number, mean, n);
      weights[k0 + b] = Math.abs((1 - mean) / scale - (0 - mean) / scale);
    }
    col.fill(0);
  }
  return { bytes, stride, weights };
}

/**
 * Distances from one point to others; what K-Medoids and assignment consume (structurally the
 * `DistanceSource` of `@tb/kmedoids`, including its optional fast path and immutability flag).
 */
export interface DistanceSource {
  readonly n: number;
  /** `s × s` row-major distances among the given points, in that order (a fresh array). */
  submatrix(points: Int32Array): Float64Array;
  /** `|from| × n` row-major distances from each of `from` to every point (a fresh array). */
  rowsTo(from: Int32Array): Float64Array;
  /** Packed (0/1) sources only: `rowsTo` written into the first `|from| × n` entries of `out`. */
  rowsInto?(from: Int32Array, out: Float64Array): void;
  /**
   * Writes the `s × s` submatrix into the first `s²` entries of `out` and returns its largest
   * entry (`NaN` if an entry is negative, NaN or infinite).
   */
  submatrixInto(points: Int32Array, out: Float64Array): number;
  /**
   * Binary (packed) embeddings only: for each point `a` the points `b` with `Δ(a, b) < caps[a]`
   * (ascending, `a` itself when `0 < caps[a]`) as compressed rows, and the largest distance over
   * all pairs — each pair computed once, no `n × n` matrix (the sparse path of `@tb/kmedoids`).
   */
  nearPairs?(caps: Float64Array): NearPairs;
  /** Always true: the distances depend only on the embedding, which must not be mutated. */
  readonly immutable: true;
  /** Bytes the source holds: its data (packed bits and tables, or the dense embedding) and kept rows. */
  retainedBytes(): number;
}

/** Compressed rows of near pairs (structurally `NearPairs` of `@tb/kmedoids`). */
export interface NearPairs {
  /** Largest distance over all pairs. */
  max: number;
  /** Row `a`'s entries are `[start[a], start[a + 1])` of `idx`/`val`; length `n + 1`. */
  start: Int32Array;
  /** The near points of each row, ascending. */
  idx: Int32Array;
  /** Their distances. */
  val: Float64Array;
}

/** Options of {@link distanceSource}. */
export interface DistanceSourceOptions {
  /** Use the packed binary form when the embedding has one (manhattan/euclidean); default true. */
  binaryFastPath?: boolean;
  /** Receives counts of undefined (degenerate) cases, e.g. constant vectors under correlation. */
  diagnostics?: { undefinedPairs: number };
}

/**
 * A {@link DistanceSource} over an embedding (ALGORITHMS §2.2). Distances are computed on demand
 * (blockwise), so no `n × n` matrix is built unless the caller asks for one. The embedding is read
 * when the distances are computed; do not mutate it while the source is in use.
 *
 * For embeddings with a binary form, manhattan is a weighted Hamming distance: per pair, the
 * per-byte weight tables are summed over the XOR of the packed bits, byte 0 first (euclidean: the
 * square root of the same with squared weights). The bits are read as 32-bit words, four table
 * lookups per word, with the bytes past the last column contributing exact zeros — so every
 * distance is bit for bit the byte-by-byte sum, whatever path (submatrix, rowsTo) computes it.
 */
export function distanceSource(
  emb: Embedding,
  metric: DistanceMetric = "manhattan",
  options: DistanceSourceOptions = {},
): DistanceSource {
  const bin = options.binaryFastPath !== false ? emb.binary : undefined;
  if (bin !== undefined && (metric === "manhattan" || metric === "euclidean")) {
    return binarySource(emb.n, emb.dim, bin, metric === "euclidean");
  }
  return denseSource(emb, metric, options.diagnostics);
}

/** Words per point and the per-byte tables of {@link binarySource}. */
interface Packed {
  /** `n × W` little-endian 32-bit words of the packed bits, zero-padded. */
  words: Int32Array;
  W: number;
  /** `4W × 256`: table `b` maps a byte of XORed bits to the summed weights (squared for euclidean). */
  tables: Float64Array;
}

function packWords(n: number, dim: number, bin: NonNullable<Embedding["binary"]>, squared: boolean): Packed {
  const { bytes, stride, weights } = bin;
  const W = Math.max(1, Math.ceil(stride / 4));
  const words = new Int32Array(n * W);
  for (let x = 0; x < n; x++) {
    for (let b = 0; b < stride; b++) {
      const t = x * W + (b >> 2);
      words[t] = (words[t] as number) | ((bytes[x * stride + b] as number) << ((b & 3) * 8));
    }
  }
  const tables = new Float64Array(W * 4 * 256);
  for (let b = 0; b < stride; b++) {
    for (let v = 1; v < 256; v++) {
      let s = 0;
      for (let bit = 0; bit < 8; bit++) {
        const k = b * 8 + bit;
        if (k < dim && v & (1 << bit)) {
          const w = weights[k] as number;
          s += squared ? w * w : w;
        }
      }
      tables[b * 256 + v] = s;
    }
  }
  return { words, W, tables };
}

/**
 * The weighted Hamming distance (ALGORITHMS §2.2, binary fast path) of two points given by their
 * packed words: the per-byte table values summed byte 0 first — `((T₀ + T₁) + T₂) + …` — so the
 * value equals the byte-at-a-time sum bit for bit (padding bytes would add +0 and are skipped
 * where the word count allows). Generic form; {@link hammingBlock} and {@link hammingRows}
 * inline the common widths.
 */
function hammingGeneric(T: Float64Array, W: number, A: Int32Array, pa: number, P: Int32Array, pb: number): number {
  let d = 0;
  for (let k = 0; k < W; k++) {
    const w = (A[pa + k] as number) ^ (P[pb + k] as number);
    const t = k << 10;
    d =
      d +
      (T[t | (w & 255)] as number) +
      (T[(t + 256) | ((w >>> 8) & 255)] as number) +
      (T[(t + 512) | ((w >>> 16) & 255)] as number) +
      (T[(t + 768) | (w >>> 24)] as number);
  }
  return d;
}

/**
 * The full symmetric `s × s` block of distances among the points whose words are `P` (`s × W`),
 * into `out` (upper triangle computed, mirrored); returns its largest entry. `bytes` is the
 * packed width (1–4 bytes: one word; 5, 6 or 7–8: two words; more: the generic loop).
 */
function hammingBlock(T: Float64Array, W: number, bytes: number, P: Int32Array, s: number, out: Float64Array): number {
  let max = 0;
  for (let a = 0; a < s; a++) out[a * s + a] = 0;
  if (W === 1) {
    for (let a = 0; a < s; a++) {
      const a0 = P[a] as number;
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const w = a0 ^ (P[b] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  } else if (W === 2 && bytes === 5) {
    // 33–40 columns (GSM8K's ~40 native sources): bytes 5–7 are padding
    for (let a = 0; a < s; a++) {
      const a0 = P[2 * a] as number;
      const a1 = P[2 * a + 1] as number;
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const w = a0 ^ (P[2 * b] as number);
        const u = a1 ^ (P[2 * b + 1] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  } else if (W === 2 && bytes === 6) {
    for (let a = 0; a < s; a++) {
      const a0 = P[2 * a] as number;
      const a1 = P[2 * a + 1] as number;
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const w = a0 ^ (P[2 * b] as number);
        const u = a1 ^ (P[2 * b + 1] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number) +
          (T[1280 | ((u >>> 8) & 255)] as number);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  } else if (W === 2) {
    for (let a = 0; a < s; a++) {
      const a0 = P[2 * a] as number;
      const a1 = P[2 * a + 1] as number;
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const w = a0 ^ (P[2 * b] as number);
        const u = a1 ^ (P[2 * b + 1] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number) +
          (T[1280 | ((u >>> 8) & 255)] as number) +
          (T[1536 | ((u >>> 16) & 255)] as number) +
          (T[1792 | (u >>> 24)] as number);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  } else {
    for (let a = 0; a < s; a++) {
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const d = hammingGeneric(T, W, P, a * W, P, b * W);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  }
  return max;
}

/** Distances from each of the points with words `A` (`f × W`) to all `n` points (`words`), `f × n` into `out`. */
function hammingRows(
  T: Float64Array,
  W: number,
  bytes: number,
  A: Int32Array,
  f: number,
  words: Int32Array,
  n: number,
  out: Float64Array,
): void {
  for (let a = 0; a < f; a++) {
    const o = a * n;
    if (W === 1) {
      const a0 = A[a] as number;
      for (let b = 0; b < n; b++) {
        const w = a0 ^ (words[b] as number);
        out[o + b] =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number);
      }
    } else if (W === 2 && bytes <= 6) {
      const a0 = A[2 * a] as number;
      const a1 = A[2 * a + 1] as number;
      const six = bytes === 6;
      for (let b = 0; b < n; b++) {
        const w = a0 ^ (words[2 * b] as number);
        const u = a1 ^ (words[2 * b + 1] as number);
        let d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number);
        if (six) d += T[1280 | ((u >>> 8) & 255)] as number;
        out[o + b] = d;
      }
    } else {
      for (let b = 0; b < n; b++) out[o + b] = hammingGeneric(T, W, A, a * W, words, b * W);
    }
  }
}

/** Reused pair buffers of {@link hammingNearPairs} (one set per thread: calls are synchronous). */
const pairScratch = {
  ub: new Int32Array(0),
  ud: new Float64Array(0),
  lb: new Int32Array(0),
  ld: new Float64Array(0),
};
/** Largest pair buffers kept between calls: 2^22 entries each (96 MiB in all). */
const MAX_PAIR_SCRATCH = 1 << 22;

/** Buffers of at least `need` entries, grown by doubling (kept in `pairScratch` up to the limit). */
function growPairs<T extends Int32Array | Float64Array>(buf: T, len: number, need: number, make: (k: number) => T): T {
  if (need <= buf.length) return buf;
  const out = make(Math.max(need, 2 * buf.length, 4096));
  out.set(buf.subarray(0, len));
  return out;
}

/**
 * The near pairs of all `n` points (see {@link DistanceSource.nearPairs}): every pair a < b once,
 * with the same per-pair sums as {@link hammingBlock}. Row a's own entries (b > a, below
 * `caps[a]`) come out in order and are kept as they come; the entries of the later rows b (a < b,
 * below `caps[b]`) are kept per a and bucketed by row at the end. Each row is then its columns
 * a < r (ascending a), r itself (when `0 < caps[r]`), then b > r: ascending.
 */
function hammingNearPairs(
  T: Float64Array,
  W: number,
  bytes: number,
  P: Int32Array,
  n: number,
  caps: Float64Array,
  sqrt: boolean,
): NearPairs {
  // pair kernel: 1 = one word, 5/6/8 = two words of which 5, 6 or 7–8 bytes are used, 0 = generic
  const kind = W === 1 ? 1 : W === 2 ? (bytes === 5 ? 5 : bytes === 6 ? 6 : 8) : 0;
  let { ub, ud, lb, ld } = pairScratch;
  let nu = 0;
  let nl = 0;
  const uStart = new Int32Array(n + 1);
  const lStart = new Int32Array(n + 1);
  const lCount = new Int32Array(n);
  let max = 0;
  for (let a = 0; a < n; a++) {
    const ca = caps[a] as number;
    // room for all of this row's pairs on both sides
    const room = n - a;
    if (nu + room > ub.length) {
      ub = growPairs(ub, nu, nu + room, (k) => new Int32Array(k));
      ud = growPairs(ud, nu, nu + room, (k) => new Float64Array(k));
    }
    if (nl + room > lb.length) {
      lb = growPairs(lb, nl, nl + room, (k) => new Int32Array(k));
      ld = growPairs(ld, nl, nl + room, (k) => new Float64Array(k));
    }
    const a0 = P[a * W] as number;
    const a1 = W > 1 ? (P[a * W + 1] as number) : 0;
    const l0 = nl;
    if (kind === 5 && !sqrt) {
      // GSM8K's ~40 native sources: 33–40 columns, bytes 5–7 of the second word are padding.
      // Four pairs per step (independent sums, more work in flight), the same sums and order.
      let b = a + 1;
      for (; b + 3 < n; b += 4) {
        const w0 = a0 ^ (P[2 * b + 0] as number);
        const u0 = a1 ^ (P[2 * b + 1] as number);
        const d0 =
          (T[w0 & 255] as number) +
          (T[256 | ((w0 >>> 8) & 255)] as number) +
          (T[512 | ((w0 >>> 16) & 255)] as number) +
          (T[768 | (w0 >>> 24)] as number) +
          (T[1024 | (u0 & 255)] as number);
        const w1 = a0 ^ (P[2 * b + 2] as number);
        const u1 = a1 ^ (P[2 * b + 3] as number);
        const d1 =
          (T[w1 & 255] as number) +
          (T[256 | ((w1 >>> 8) & 255)] as number) +
          (T[512 | ((w1 >>> 16) & 255)] as number) +
          (T[768 | (w1 >>> 24)] as number) +
          (T[1024 | (u1 & 255)] as number);
        const w2 = a0 ^ (P[2 * b + 4] as number);
        const u2 = a1 ^ (P[2 * b + 5] as number);
        const d2 =
          (T[w2 & 255] as number) +
          (T[256 | ((w2 >>> 8) & 255)] as number) +
          (T[512 | ((w2 >>> 16) & 255)] as number) +
          (T[768 | (w2 >>> 24)] as number) +
          (T[1024 | (u2 & 255)] as number);
        const w3 = a0 ^ (P[2 * b + 6] as number);
        const u3 = a1 ^ (P[2 * b + 7] as number);
        const d3 =
          (T[w3 & 255] as number) +
          (T[256 | ((w3 >>> 8) & 255)] as number) +
          (T[512 | ((w3 >>> 16) & 255)] as number) +
          (T[768 | (w3 >>> 24)] as number) +
          (T[1024 | (u3 & 255)] as number);
        if (d0 > max) max = d0;
        if (d0 < ca) {
          ub[nu] = b;
          ud[nu] = d0;
          nu++;
        }
        if (d0 < (caps[b] as number)) {
          lb[nl] = b;
          ld[nl] = d0;
          nl++;
        }
        if (d1 > max) max = d1;
        if (d1 < ca) {
          ub[nu] = b + 1;
          ud[nu] = d1;
          nu++;
        }
        if (d1 < (caps[b + 1] as number)) {
          lb[nl] = b + 1;
          ld[nl] = d1;
          nl++;
        }
        if (d2 > max) max = d2;
        if (d2 < ca) {
          ub[nu] = b + 2;
          ud[nu] = d2;
          nu++;
        }
        if (d2 < (caps[b + 2] as number)) {
          lb[nl] = b + 2;
          ld[nl] = d2;
          nl++;
        }
        if (d3 > max) max = d3;
        if (d3 < ca) {
          ub[nu] = b + 3;
          ud[nu] = d3;
          nu++;
        }
        if (d3 < (caps[b + 3] as number)) {
          lb[nl] = b + 3;
          ld[nl] = d3;
          nl++;
        }
      }
      for (; b < n; b++) {
        const w = a0 ^ (P[2 * b] as number);
        const u = a1 ^ (P[2 * b + 1] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number);
        if (d > max) max = d;
        if (d < ca) {
          ub[nu] = b;
          ud[nu] = d;
          nu++;
        }
        if (d < (caps[b] as number)) {
          lb[nl] = b;
          ld[nl] = d;
          nl++;
        }
      }
    } else {
      for (let b = a + 1; b < n; b++) {
        let d: number;
        if (kind === 1) {
          const w = a0 ^ (P[b] as number);
          d =
            (T[w & 255] as number) +
            (T[256 | ((w >>> 8) & 255)] as number) +
            (T[512 | ((w >>> 16) & 255)] as number) +
            (T[768 | (w >>> 24)] as number);
        } else if (kind !== 0) {
          // two words, 5, 6 or 7–8 bytes used: the same left-to-right sum as hammingBlock
          const w = a0 ^ (P[2 * b] as number);
          const u = a1 ^ (P[2 * b + 1] as number);
          d =
            (T[w & 255] as number) +
            (T[256 | ((w >>> 8) & 255)] as number) +
            (T[512 | ((w >>> 16) & 255)] as number) +
            (T[768 | (w >>> 24)] as number) +
            (T[1024 | (u & 255)] as number);
          if (kind !== 5) d += T[1280 | ((u >>> 8) & 255)] as number;
          if (kind === 8) {
            d += T[1536 | ((u >>> 16) & 255)] as number;
            d += T[1792 | (u >>> 24)] as number;
          }
        } else {
          d = hammingGeneric(T, W, P, a * W, P, b * W);
        }
        if (sqrt) d = Math.sqrt(d);
        if (d > max) max = d;
        if (d < ca) {
          ub[nu] = b;
          ud[nu] = d;
          nu++;
        }
        if (d < (caps[b] as number)) {
          lb[nl] = b;
          ld[nl] = d;
          nl++;
        }
      }
    }
    uStart[a + 1] = nu;
    lStart[a + 1] = nl;
    for (let t = l0; t < nl; t++) {
      const r = lb[t] as number;
      lCount[r] = (lCount[r] as number) + 1;
    }
  }
  if (ub.length <= MAX_PAIR_SCRATCH && lb.length <= MAX_PAIR_SCRATCH) {
    pairScratch.ub = ub;
    pairScratch.ud = ud;
    pairScratch.lb = lb;
    pairScratch.ld = ld;
  }
  // rows: [lower entries (a < r), r itself, upper entries (b > r)]
  const start = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) {
    const diag = 0 < (caps[r] as number) ? 1 : 0;
    start[r + 1] =
      (start[r] as number) + (lCount[r] as number) + diag + ((uStart[r + 1] as number) - (uStart[r] as number));
  }
  const total = start[n] as number;
  const idx = new Int32Array(total);
  const val = new Float64Array(total);
  const next = start.slice(0, n);
  for (let a = 0; a < n; a++) {
    const end = lStart[a + 1] as number;
    for (let t = lStart[a] as number; t < end; t++) {
      const r = lb[t] as number;
      const p = next[r] as number;
      next[r] = p + 1;
      idx[p] = a;
      val[p] = ld[t] as number;
    }
  }
  for (let r = 0; r < n; r++) {
    let p = next[r] as number;
    if (0 < (caps[r] as number)) {
      idx[p] = r;
      val[p] = 0;
      p++;
    }
    const u0 = uStart[r] as number;
    const u1 = uStart[r + 1] as number;
    idx.set(ub.subarray(u0, u1), p);
    val.set(ud.subarray(u0, u1), p);
  }
  return { max, start, idx, val };
}

/** Words of the given points, contiguous (`|points| × W`). */
function gather(pk: Packed, points: Int32Array, n: number, fn: string): Int32Array {
  const { words, W } = pk;
  const out = new Int32Array(points.length * W);
  for (let a = 0; a < points.length; a++) {
    const p = points[a] as number;
    if (!(p >= 0 && p < n)) throw new TbError("E_USAGE", `${fn}: point ${p} at position ${a} is not in [0, ${n})`);
    out.set(words.subarray(p * W, p * W + W), a * W);
  }
  return out;
}

function binarySource(n: number, dim: number, bin: NonNullable<Embedding["binary"]>, sqrt: boolean): DistanceSource {
  const stride = bin.stride;
  let packed: Packed | undefined;
  const get = (): Packed => {
    packed ??= packWords(n, dim, bin, sqrt);
    return packed;
  };
  // Rows handed out by rowsTo, kept (the source is immutable): a TailoredBench target asks for
  // the same medoid rows while clustering and again to assign the examples, and the targets that
  // share native sources ask for many of the same rows. At most 4 MiB (≈ 400 GSM8K rows; a source
  // may be kept across the trials of a protocol), emptied when full.
  const rowCache = new Map<number, Float64Array>();
  const maxCached = Math.floor(ROW_CACHE_BYTES / (8 * n));
  const into = (points: Int32Array, out: Float64Array): number => {
    const pk = get();
    const s = points.length;
    const P = gather(pk, points, n, "submatrix");
    let max = hammingBlock(pk.tables, pk.W, stride, P, s, out);
    if (sqrt) {
      for (let t = 0; t < s * s; t++) out[t] = Math.sqrt(out[t] as number);
      max = Math.sqrt(max);
    }
    return max;
  };
  const rowsInto = (from: Int32Array, out: Float64Array, fn: string): void => {
    const pk = get();
    if (out.length < from.length * n) {
      throw new TbError("E_USAGE", `${fn}: out holds ${out.length} values, need ${from.length} × ${n}`);
    }
    // rows already computed come from the cache; the others are computed together
    let missing: number[] | undefined;
    for (let a = 0; a < from.length; a++) {
      const p = from[a] as number;
      const row = rowCache.get(p);
      if (row !== undefined) out.set(row, a * n);
      else if (!(p >= 0 && p < n))
        throw new TbError("E_USAGE", `${fn}: point ${p} at position ${a} is not in [0, ${n})`);
      else (missing ??= []).push(a);
    }
    if (missing === undefined) return;
    const pts = Int32Array.from(missing, (a) => from[a] as number);
    // all missing (e.g. a single new row): computed straight into the result
    const direct = missing.length === from.length;
    const rows = direct ? out : new Float64Array(pts.length * n);
    hammingRows(pk.tables, pk.W, stride, gather(pk, pts, n, fn), pts.length, pk.words, n, rows);
    if (sqrt) for (let t = 0; t < pts.length * n; t++) rows[t] = Math.sqrt(rows[t] as number);
    for (let t = 0; t < pts.length; t++) {
      const row = rows.subarray(t * n, t * n + n);
      if (!direct) out.set(row, (missing[t] as number) * n);
      if (rowCache.size >= maxCached) rowCache.clear(); // the recent rows are the ones asked again
      if (maxCached > 0) rowCache.set(pts[t] as number, row.slice());
    }
  };
  return {
    n,
    immutable: true,
    submatrixInto: into,
    submatrix(points: Int32Array): Float64Array {
      const out = new Float64Array(points.length * points.length);
      into(points, out);
      return out;
    },
    nearPairs(caps: Float64Array): NearPairs {
      if (!(caps instanceof Float64Array) || caps.length !== n) {
        throw new TbError("E_USAGE", `nearPairs: need a Float64Array of ${n} caps, got length ${String(caps?.length)}`);
      }
      const pk = get();
      return hammingNearPairs(pk.tables, pk.W, stride, pk.words, n, caps, sqrt);
    },
    retainedBytes(): number {
      const data = packed === undefined ? 0 : packed.words.byteLength + packed.tables.byteLength;
      return bin.bytes.byteLength + data + rowCache.size * 8 * n;
    },
    rowsTo(from: Int32Array): Float64Array {
      const out = new Float64Array(from.length * n);
      rowsInto(from, out, "rowsTo");
      return out;
    },
    rowsInto(from: Int32Array, out: Float64Array): void {
      rowsInto(from, out, "rowsInto");
    },
  };
}

/** Bytes of rows a binary distance source keeps for repeated `rowsTo` calls. */
const ROW_CACHE_BYTES = 4 * 1024 * 1024;

/** The general path: {@link rowDistance} per pair on the dense coordinates. */
function denseSource(
  emb: Embedding,
  metric: DistanceMetric,
  diag: { undefinedPairs: number } | undefined,
): DistanceSource {
  const { n, dim } = emb;
  let prepared: { data: Float64Array; degenerate: Uint8Array } | undefined;
  const get = () => {
    if (prepared === undefined) {
      const data = emb.data;
      const degenerate = new Uint8Array(n);
      if (metric === "correlation" || metric === "cosine") {
        for (let i = 0; i < n; i++) degenerate[i] = isDegenerateRow(data, dim, i, metric) ? 1 : 0;
      }
      prepared = { data, degenerate };
    }
    return prepared;
  };
  const check = (points: Int32Array, fn: string): void => {
    for (let a = 0; a < points.length; a++) {
      const p = points[a] as number;
      if (!(p >= 0 && p < n)) throw new TbError("E_USAGE", `${fn}: point ${p} at position ${a} is not in [0, ${n})`);
    }
  };
  const into = (points: Int32Array, out: Float64Array): number => {
    check(points, "submatrix");
    const { data, degenerate } = get();
    const s = points.length;
    let max = 0;
    let bad = false;
    for (let a = 0; a < s; a++) {
      const pa = points[a] as number;
      out[a * s + a] = 0;
      for (let b = a + 1; b < s; b++) {
        const pb = points[b] as number;
        if (diag && pa !== pb && (degenerate[pa] || degenerate[pb])) diag.undefinedPairs++;
        const d = rowDistance(data, dim, pa, pb, metric);
        out[a * s + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
        else if (!(d >= 0)) bad = true;
      }
    }
    return bad || !(max < Number.POSITIVE_INFINITY) ? Number.NaN : max;
  };
  return {
    n,
    immutable: true,
    submatrixInto: into,
    submatrix(points: Int32Array): Float64Array {
      const out = new Float64Array(points.length * points.length);
      into(points, out);
      return out;
    },
    retainedBytes(): number {
      return prepared === undefined ? 0 : prepared.data.byteLength + prepared.degenerate.byteLength;
    },
    rowsTo(from: Int32Array): Float64Array {
      check(from, "rowsTo");
      const { data, degenerate } = get();
      const out = new Float64Array(from.length * n);
      for (let a = 0; a < from.length; a++) {
        const pa = from[a] as number;
        const base = a * n;
        for (let j = 0; j < n; j++) {
          if (diag && pa !== j && (degenerate[pa] || degenerate[j])) diag.undefinedPairs++;
          out[base + j] = rowDistance(data, dim, pa, j, metric);
        }
      }
      return out;
    },
  };
}

/** The full `n × n` distance matrix of an embedding (small inputs only: it is `n²` doubles). */
export function pairwiseDistances(
  emb: Embedding,
  metric: DistanceMetric = "manhattan",
  options: DistanceSourceOptions = {},
): Float64Array {
  const all = new Int32Array(emb.n);
  for (let i = 0; i < emb.n; i++) all[i] = i;
  return distanceSource(emb, metric, options).submatrix(all);
}
