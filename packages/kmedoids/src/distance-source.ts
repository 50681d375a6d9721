import { TbError, type Workspace } from "@tb/core";
import type { PhiKernel } from "./phi-kernel.js";

/**
 * Distances among `n` points, read in blocks, so that CLARA and assignment never need an `n × n`
 * matrix when `n` is large (docs/METHOD.md §2.4, §2.5, §9.16). Distances must be finite, ≥ 0,
 * symmetric and 0 on the diagonal.
 */
export interface DistanceSource {
  /** Number of points. */
  readonly n: number;
  /**
   * `s × s` row-major matrix over the given points, in that order. Must return a fresh array:
   * callers own it and may overwrite it.
   */
  submatrix(points: Int32Array): Float64Array;
  /** `|from| × n` row-major: distances from each of `from` to all `n` points. Fresh array, as above. */
  rowsTo(from: Int32Array): Float64Array;
  /**
   * Optional: `rowsTo` written into the first `|from| × n` entries of `out` instead of a fresh
   * array. The sparse path of {@link clara} reads single rows this way (about 50 per GSM8K target).
   */
  rowsInto?(from: Int32Array, out: Float64Array): void;
  /**
   * Optional fast path (docs/METHOD.md §3 "Cost"): writes the `s × s` submatrix over `points` into the
   * first `s²` entries of `out` instead of allocating, and returns its largest entry — or `NaN`
   * when an entry is negative, NaN or infinite. {@link clara} then fills one buffer kept per
   * thread and rounds it to the exact grid (§9.18) without a separate validation pass.
   */
  submatrixInto?(points: Int32Array, out: Float64Array): number;
  /**
   * Optional sparse fast path for PAM with fixed medoids over all `n` points
   * (docs/METHOD.md §3 "Cost"): for each point `a`, the points `b` with `Δ(a, b) < caps[a]` — `a`
   * itself included when `0 < caps[a]` — in ascending order, as compressed rows, and the largest
   * distance over all pairs (`NaN` when a distance is negative, NaN or infinite). The values must
   * be those `rowsTo` gives. `workspace`, when given, may hold the source's scratch buffers
   * between calls (nothing else: the lists returned are fresh). Every pair is computed once and no `n × n` matrix is built:
   * {@link clara} (with `s = n`) then needs only these lists and single rows from `rowsTo`.
   */
  nearPairs?(caps: Float64Array, workspace?: Workspace): NearPairs;
  /**
   * Optional promise that the distances never change between calls (a source over data nobody
   * mutates). {@link clara} then keeps the quantized sample matrix of its last call in its
   * workspace and reuses it when called again with the same source object and the same sample —
   * e.g. the TailoredBench targets of a trial that share their native sources (§3 step 5). Only
   * sources with {@link DistanceSource.submatrixInto} benefit. Leave it unset otherwise.
   */
  readonly immutable?: boolean;
  /**
   * Optional: bytes the source holds (its data and any rows it keeps for later calls), so that a
   * caller keeping sources between calls can bound its cache. Add `retainedBytes(source, workspace)`
   * of `@tb/kmedoids` for what {@link clara} keeps alongside in a workspace.
   */
  retainedBytes?(): number;
  /** Optional: drop the rows it keeps for later calls (made again on demand, the same values). */
  shedRows?(): void;
}

/** What {@link DistanceSource.nearPairs} returns: compressed rows of the near pairs. */
export interface NearPairs {
  /** Largest distance over all pairs (`NaN` when one is invalid). */
  max: number;
  /** Row `a`'s entries are `[start[a], start[a + 1])` of `idx`/`val`; length `n + 1`. */
  start: Int32Array;
  /** The near points `b` of each row, ascending within a row. */
  idx: Int32Array;
  /** `Δ(a, b)` of each entry. */
  val: Float64Array;
}

/**
 * Internal mark of a source over a full matrix already on the exact grid (docs/METHOD.md §9.18):
 * {@link clara} with all points as its sample (`s = n`) clusters that matrix as it is, without
 * the copy and rounding pass of `submatrixInto`. Not exported from the package.
 */
export const GRID_MATRIX: unique symbol = Symbol("@tb/kmedoids grid matrix");

/** Internal mark of a {@link gridSource} whose matrix lives in a FasterPAM wasm kernel's memory. */
export const GRID_KERNEL: unique symbol = Symbol("@tb/kmedoids grid kernel");

/**
 * A {@link precomputed} source whose matrix is known to be on the exact grid for `n` points;
 * with `kernel`, that matrix is the kernel's (FasterPAM then runs on it as it is). Internal.
 */
export function gridSource(
  dist: Float64Array,
  n: number,
  kernel?: PhiKernel,
): DistanceSource & { [GRID_MATRIX]: Float64Array; [GRID_KERNEL]?: PhiKernel } {
  return Object.assign(
    precomputed(dist, n),
    { [GRID_MATRIX]: dist },
    kernel === undefined ? {} : { [GRID_KERNEL]: kernel },
  );
}

function checkPoints(points: Int32Array, n: number, fn: string): void {
  for (let a = 0; a < points.length; a++) {
    const p = points[a] as number;
    if (p < 0 || p >= n) throw new TbError("E_USAGE", `${fn}: point ${p} at position ${a} is not in [0, ${n})`);
  }
}

/**
 * A {@link DistanceSource} over an existing `n × n` row-major matrix (docs/METHOD.md §2.4). The
 * matrix is read, never modified; every call returns a copy of the requested block.
 *
 * @throws TbError `E_USAGE` when `dist.length !== n·n`, or on out-of-range points.
 */
export function precomputed(dist: Float64Array, n: number): DistanceSource {
  if (!Number.isInteger(n) || n < 1 || !(dist instanceof Float64Array) || dist.length !== n * n) {
    throw new TbError(
      "E_USAGE",
      `precomputed: need a Float64Array of length n·n with n ≥ 1, got n = ${String(n)}, length ${String(dist?.length)}`,
    );
  }
  return {
    n,
    submatrix(points: Int32Array): Float64Array {
      checkPoints(points, n, "submatrix");
      const s = points.length;
      const out = new Float64Array(s * s);
      for (let a = 0; a < s; a++) {
        const row = (points[a] as number) * n;
        const base = a * s;
        for (let b = 0; b < s; b++) out[base + b] = dist[row + (points[b] as number)] as number;
      }
      return out;
    },
    submatrixInto(points: Int32Array, out: Float64Array): number {
      checkPoints(points, n, "submatrixInto");
      const s = points.length;
      let max = 0;
      let bad = false;
      for (let a = 0; a < s; a++) {
        const row = (points[a] as number) * n;
        const base = a * s;
        for (let b = 0; b < s; b++) {
          const x = dist[row + (points[b] as number)] as number;
          out[base + b] = x;
          if (x > max) max = x;
          else if (!(x >= 0)) bad = true;
        }
      }
      return bad || !(max < Number.POSITIVE_INFINITY) ? Number.NaN : max;
    },
    rowsTo(from: Int32Array): Float64Array {
      checkPoints(from, n, "rowsTo");
      const out = new Float64Array(from.length * n);
      for (let a = 0; a < from.length; a++) {
        const row = (from[a] as number) * n;
        out.set(dist.subarray(row, row + n), a * n);
      }
      return out;
    },
  };
}
