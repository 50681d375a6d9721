// Distance sources over an embedding — what K-Medoids and assignment consume — and the full
// pairwise matrix for small inputs. Binary embeddings take the packed path (binary-source.ts).
import { checkOptionKeys, TbError, type Workspace } from "@tb/core";
import { binarySource } from "./binary-source.js";
import { assertMetric, type DistanceMetric, isDegenerateRow, rowDistance } from "./distance.js";
import type { Embedding } from "./embedding.js";

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
   * With a `workspace` (a `Workspace` of `@tb/core`) its pair buffers are kept there for the next
   * call; without one they are fresh. The result is the same (and fresh) either way.
   */
  nearPairs?(caps: Float64Array, workspace?: Workspace): NearPairs;
  /** Always true: the distances depend only on the embedding, which must not be mutated. */
  readonly immutable: true;
  /** Bytes the source holds: its data (packed bits and tables, or the dense embedding) and kept rows. */
  retainedBytes(): number;
  /**
   * Drops the rows it keeps for repeated `rowsTo`/`rowsInto` calls (they are made again on demand,
   * the same values): what a cache of many sources calls on the ones it is not using.
   */
  shedRows(): void;
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
 * A {@link DistanceSource} over an embedding (docs/METHOD.md §2.2). Distances are computed on demand
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
  assertMetric(metric, "distanceSource");
  checkOptionKeys(options, ["binaryFastPath", "diagnostics"], "distanceSource");
  const bin = options.binaryFastPath !== false ? emb.binary : undefined;
  if (bin !== undefined && (metric === "manhattan" || metric === "euclidean")) {
    return binarySource(emb.n, emb.dim, bin, metric === "euclidean");
  }
  return denseSource(emb, metric, options.diagnostics);
}

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
    shedRows(): void {}, // keeps no rows
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
