import type { CorrectnessMatrix } from "@tb/core";
import { type DistanceMetric, isDegenerateRow, rowDistance } from "./distance.js";
import { standardizeColumns } from "./standardize.js";

/**
 * A set of points embedded as rows of a row-major `n × dim` matrix, optionally with a packed
 * binary form that makes manhattan/euclidean distances weighted Hamming distances.
 */
export interface Embedding {
  /** Row-major `n × dim` coordinates. */
  readonly data: Float64Array;
  readonly n: number;
  readonly dim: number;
  /**
   * Present when every column takes at most two values, one for raw 0 and one for raw 1
   * (true for standardised 0/1 correctness): `bytes` packs each point's raw bits
   * (`n × stride`), `weights[k] = |z₁ − z₀|` of column `k`.
   */
  readonly binary?: { readonly bytes: Uint8Array; readonly stride: number; readonly weights: Float64Array };
}

/** Options shared by the embedding builders. */
export interface EmbeddingOptions {
  /** Standardise columns (ALGORITHMS §2.1); default true (the reference). `false` = the paper's raw vectors. */
  standardize?: boolean;
}

/**
 * Example embedding over a subset of models (paper Eq. 1; ALGORITHMS §3 steps 1 and 5):
 * `E = Z(C_rowsᵀ)`, an `n × |rows|` matrix whose rows are examples and whose column `k` is model
 * `rows[k]`'s correctness, standardised across examples (a constant model becomes a zero column).
 */
export function exampleEmbedding(
  matrix: CorrectnessMatrix,
  modelRows: ArrayLike<number>,
  options: EmbeddingOptions = {},
): Embedding {
  const n = matrix.cols;
  const q = modelRows.length;
  const raw = new Float64Array(n * q);
  const src = matrix.data;
  for (let k = 0; k < q; k++) {
    const r = modelRows[k] as number;
    if (!(Number.isInteger(r) && r >= 0 && r < matrix.rows)) {
      throw new RangeError(`exampleEmbedding: model row ${r} out of range [0, ${matrix.rows})`);
    }
    const base = r * n;
    for (let x = 0; x < n; x++) raw[x * q + k] = src[base + x] as number;
  }
  const data = options.standardize === false ? raw : standardizeColumns(raw, n, q);
  if (matrix.kind !== "binary") return { data, n, dim: q };
  return { data, n, dim: q, binary: packBinary(raw, data, n, q) };
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

function packBinary(
  raw: Float64Array,
  z: Float64Array,
  n: number,
  q: number,
): { bytes: Uint8Array; stride: number; weights: Float64Array } {
  const stride = Math.ceil(q / 8);
  const bytes = new Uint8Array(n * stride);
  const z0 = new Float64Array(q).fill(Number.NaN);
  const z1 = new Float64Array(q).fill(Number.NaN);
  for (let x = 0; x < n; x++) {
    for (let k = 0; k < q; k++) {
      const idx = x * q + k;
      const zv = z[idx] as number;
      if ((raw[idx] as number) === 1) {
        bytes[x * stride + (k >> 3)]! |= 1 << (k & 7);
        z1[k] = zv;
      } else {
        z0[k] = zv;
      }
    }
  }
  const weights = new Float64Array(q);
  for (let k = 0; k < q; k++) {
    const a = z0[k] as number;
    const b = z1[k] as number;
    weights[k] = Number.isNaN(a) || Number.isNaN(b) ? 0 : Math.abs(b - a);
  }
  return { bytes, stride, weights };
}

/** Distances from one point to others; what K-Medoids and assignment consume. */
export interface DistanceSource {
  readonly n: number;
  /** `s × s` row-major distances among the given points, in that order. */
  submatrix(points: Int32Array): Float64Array;
  /** `|from| × n` row-major distances from each of `from` to every point. */
  rowsTo(from: Int32Array): Float64Array;
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
 * (blockwise), so no `n × n` matrix is built unless the caller asks for one. For embeddings with a
 * binary form, manhattan is a weighted Hamming distance summed from per-byte weight tables over
 * the XOR of packed bits (euclidean: the square root of the same with squared weights).
 */
export function distanceSource(
  emb: Embedding,
  metric: DistanceMetric = "manhattan",
  options: DistanceSourceOptions = {},
): DistanceSource {
  const { n, dim, data } = emb;
  const bin = options.binaryFastPath !== false ? emb.binary : undefined;
  const diag = options.diagnostics;
  let dist: (i: number, j: number) => number;
  if (bin !== undefined && (metric === "manhattan" || metric === "euclidean")) {
    const { bytes, stride, weights } = bin;
    const tables = new Float64Array(stride * 256);
    for (let b = 0; b < stride; b++) {
      for (let v = 1; v < 256; v++) {
        let s = 0;
        for (let bit = 0; bit < 8; bit++) {
          const k = b * 8 + bit;
          if (k < dim && v & (1 << bit)) {
            const w = weights[k] as number;
            s += metric === "euclidean" ? w * w : w;
          }
        }
        tables[b * 256 + v] = s;
      }
    }
    const sqrt = metric === "euclidean";
    dist = (i, j) => {
      if (i === j) return 0;
      const a = i * stride;
      const c = j * stride;
      let s = 0;
      for (let b = 0; b < stride; b++)
        s += tables[b * 256 + ((bytes[a + b] as number) ^ (bytes[c + b] as number))] as number;
      return sqrt ? Math.sqrt(s) : s;
    };
  } else {
    const degenerate = new Uint8Array(n);
    if (metric === "correlation" || metric === "cosine") {
      for (let i = 0; i < n; i++) degenerate[i] = isDegenerateRow(data, dim, i, metric) ? 1 : 0;
    }
    dist = (i, j) => {
      if (diag && i !== j && (degenerate[i] || degenerate[j])) diag.undefinedPairs++;
      return rowDistance(data, dim, i, j, metric);
    };
  }
  return {
    n,
    submatrix(points: Int32Array): Float64Array {
      const s = points.length;
      const out = new Float64Array(s * s);
      for (let a = 0; a < s; a++) {
        const pa = points[a] as number;
        for (let b = a + 1; b < s; b++) {
          const d = dist(pa, points[b] as number);
          out[a * s + b] = d;
          out[b * s + a] = d;
        }
      }
      return out;
    },
    rowsTo(from: Int32Array): Float64Array {
      const out = new Float64Array(from.length * n);
      for (let a = 0; a < from.length; a++) {
        const pa = from[a] as number;
        const base = a * n;
        for (let j = 0; j < n; j++) out[base + j] = dist(pa, j);
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
