import { range, TbError, type Workspace } from "@tb/core";
import type { DistanceSource } from "./distance-source.js";
import { exactGrid, roundToGrid } from "./exact.js";
import type { RowSource } from "./swap-state.js";

/**
 * Per-point lists of the near entries of a distance matrix, for the PAM swap search with fixed
 * medoids (docs/METHOD.md §2.3 with the G-set held fixed, §3 step 6). Internal.
 *
 * Why it is exact: let `cap(j)` be the distance from point j to its nearest fixed medoid,
 * `min_t Δ(F_t, j)`. The fixed medoids are medoids in every state of the search, so always
 * `d1(j) ≤ cap(j)`. The sums of {@link SwapState} read, for a point j, only the entries `Δ(j, h)`
 * below `d1(j)` (its A term) or, when j is served by a swappable slot (its B term), below
 * `d2(j)` — and then its nearest medoid is not a fixed one while a fixed one is at `cap(j)`, so
 * `d2(j) ≤ cap(j)` too. (These hold for the old and the new state of a swap alike.) Listing, once
 * per matrix and fixed set, the `h` with `Δ(j, h) < cap(j)` (2.1–3.7 %, mean 2.9 %, of the entries of GSM8K's native sets with
 * the 10-point G-set) and scanning those lists instead of whole rows visits exactly the same
 * entries below the thresholds, with the same values: the sums, hence the swaps, are unchanged.
 */
export interface NearIndex {
  /** Number of points. */
  readonly m: number;
  /** The fixed medoids (point indices, ascending) the caps were taken from. */
  readonly fixed: Int32Array;
  /** Row j's entries are `[start[j], start[j + 1])` of `idx`/`val`. Length m + 1. */
  readonly start: Int32Array;
  /** Column `h` of each listed entry, ascending within a row. */
  readonly idx: Int32Array;
  /** `Δ(j, h)` of each listed entry (the matrix's own value). */
  readonly val: Float64Array;
  /**
   * Every entry of every row is listed, each row in ascending order of distance
   * ({@link sortedRows}): valid for any fixed set, and a scan for the entries below a threshold
   * stops at the first one at or above it.
   */
  readonly sorted?: boolean;
  /**
   * Each row's entries are in ascending order of distance, ties by column (implied by `sorted`):
   * a scan for the entries below a threshold stops at the first one at or above it.
   */
  readonly byDistance?: boolean;
}

/**
 * Default largest share of the `m²` entries worth listing: beyond it the lists (12 bytes an entry)
 * cost more memory and scan time than they save, and the callers scan whole rows instead.
 */
const MAX_SHARE = 0.25;

/**
 * The near lists of `dist` (an `m × m` symmetric row-major matrix) for the fixed medoids `fixed`
 * (distinct point indices, any order), or `undefined` when they cannot help: no fixed medoid (no
 * cap), or more than `maxShare` (default a quarter) of the entries below their caps.
 */
export function nearIndex(
  dist: Float64Array,
  m: number,
  fixed: ArrayLike<number>,
  maxShare = MAX_SHARE,
): NearIndex | undefined {
  if (fixed.length < 1) return undefined;
  const F = Int32Array.from(fixed).sort();
  return listRows(dist, m, F, nearestOf(dist, F, m, m), maxShare, 0, undefined);
}

/**
 * {@link roundToGrid} and {@link nearIndex} in one pass over the matrix: rounds `dist` (m × m,
 * symmetric, entries finite and ≥ 0 with largest `max`) to the exact grid in place, row by row,
 * and lists each row's near entries while the row is still in cache. The fixed medoids' rows are
 * rounded first: the caps come from them. Same matrix and same lists as the two calls in turn.
 * Internal (CLARA's sample matrix).
 */
export function roundWithNear(
  dist: Float64Array,
  max: number,
  m: number,
  fixed: ArrayLike<number>,
  maxShare = MAX_SHARE,
): NearIndex | undefined {
  const f = fixed.length;
  if (f < 1) {
    roundToGrid(dist, max, m, dist);
    return undefined;
  }
  const grid = exactGrid(max, m);
  const inv = grid === 0 ? 0 : 1 / grid;
  const R = 4503599627370496; // 2^52, as in roundToGrid
  const F = Int32Array.from(fixed).sort();
  const done = new Uint8Array(m);
  for (let t = 0; t < f; t++) {
    const p = F[t] as number;
    const row = p * m;
    if (done[p] === 0 && grid !== 0) {
      for (let r = row; r < row + m; r++) dist[r] = ((dist[r] as number) * inv + R - R) * grid;
    }
    done[p] = 1;
  }
  return listRows(dist, m, F, nearestOf(dist, F, m, m), maxShare, grid, done);
}

/**
 * The near lists of every row (entries below `cap[j]`, ascending columns), in one pass; with a
 * non-zero `grid`, the rows not marked in `done` are first rounded to it in place (as
 * `roundToGrid` does), each while it is in cache. `undefined` (the matrix still fully rounded)
 * when more than `maxShare` of the entries would be listed.
 */
function listRows(
  dist: Float64Array,
  m: number,
  F: Int32Array,
  cap: Float64Array,
  maxShare: number,
  grid: number,
  done: Uint8Array | undefined,
): NearIndex | undefined {
  const inv = grid === 0 ? 0 : 1 / grid;
  const R = 4503599627370496; // 2^52, as in roundToGrid
  const limit = maxShare * m * m;
  const start = new Int32Array(m + 1);
  // room for a whole row past the entries listed so far, grown by doubling
  let idx = new Int32Array(Math.max(1024, Math.ceil((m * m) / 8)) + m);
  let val = new Float64Array(idx.length);
  let total = 0;
  let lists = true;
  for (let j = 0; j < m; j++) {
    const row = j * m;
    const end = row + m;
    const round = grid !== 0 && done !== undefined && done[j] === 0;
    if (!lists) {
      if (round) for (let r = row; r < end; r++) dist[r] = ((dist[r] as number) * inv + R - R) * grid;
      continue;
    }
    if (total + m > idx.length) {
      const ni = new Int32Array(2 * idx.length + m);
      ni.set(idx.subarray(0, total));
      const nv = new Float64Array(ni.length);
      nv.set(val.subarray(0, total));
      idx = ni;
      val = nv;
    }
    const c = cap[j] as number;
    if (round) {
      for (let r = row; r < end; r++) {
        const x = ((dist[r] as number) * inv + R - R) * grid;
        dist[r] = x;
        if (x < c) {
          idx[total] = r - row;
          val[total] = x;
          total++;
        }
      }
    } else {
      for (let r = row; r < end; r++) {
        const x = dist[r] as number;
        if (x < c) {
          idx[total] = r - row;
          val[total] = x;
          total++;
        }
      }
    }
    start[j + 1] = total;
    if (total > limit) lists = false; // keep rounding; no lists
  }
  if (!lists) return undefined;
  return { m, fixed: F, start, idx: idx.subarray(0, total), val: val.subarray(0, total) };
}

/**
 * For every j in [0, m): the smallest of `src[r·stride + j]` over the rows r listed in `rows` — the
 * distance from point j to its nearest fixed medoid, when `rows` are the fixed medoids' rows.
 */
function nearestOf(src: Float64Array, rows: Int32Array, m: number, stride: number): Float64Array {
  const cap = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  for (let t = 0; t < rows.length; t++) {
    const row = (rows[t] as number) * stride;
    for (let j = 0; j < m; j++) {
      const v = src[row + j] as number;
      if (v < (cap[j] as number)) cap[j] = v;
    }
  }
  return cap;
}

/** Whether `near` was built for exactly these fixed medoids (`fixed` ascending) over m points. */
export function nearMatches(near: NearIndex, m: number, fixed: ArrayLike<number>): boolean {
  if (near.sorted === true) return near.m === m;
  if (near.m !== m || near.fixed.length !== fixed.length) return false;
  for (let t = 0; t < fixed.length; t++) if (near.fixed[t] !== fixed[t]) return false;
  return true;
}

/**
 * The sparse path of PAM with fixed medoids over all `n` points of a source (docs/METHOD.md §3 "Cost"):
 * the near lists and single rows, both on the exact grid of the full matrix, without building it.
 * Gives the same lists and rows as quantizing the full `n × n` matrix and calling
 * {@link nearIndex}: rounding is monotone, so the pairs below the unrounded cap are a superset of
 * those below the rounded cap, and are filtered to them after rounding.
 *
 * `undefined` when the source has no `nearPairs`, a distance is invalid (the dense path then
 * reports it), or the lists would hold more than `maxShare` of the `n²` entries.
 * Internal (used by CLARA with `s = n`).
 */
export function sparseNear(
  source: DistanceSource,
  fixed: Int32Array,
  maxShare = MAX_SHARE,
  workspace?: Workspace,
): { near: NearIndex; rows: RowSource } | undefined {
  if (source.nearPairs === undefined || fixed.length < 1) return undefined;
  const state = new SparseState(source, maxShare, workspace);
  const near = state.near(Int32Array.from(fixed).sort());
  return near === undefined ? undefined : { near, rows: state.rows };
}

/** Fixed sets whose lists a {@link SparseState} keeps, the most recently used ones. */
const MAX_FIXED_SETS = 8;

/**
 * What the sparse path keeps for one immutable source: the near lists of the last
 * {@link MAX_FIXED_SETS} fixed sets, and the grid of the full matrix — it depends only on the
 * largest distance over all pairs, so the rows, rounded to it as they are read, serve every fixed
 * set. A protocol meets the same native sources and G-set again and again (GSM8K: 1474
 * distinct pairs among 11000 target groups of 500 trials), and the lists are its most costly step.
 * Internal.
 */
export class SparseState {
  /** The rows on the grid, on demand (valid once {@link near} has returned lists). */
  readonly rows: RowSource;
  private grid = Number.NaN;
  private readonly lists = new Map<string, NearIndex | undefined>();

  /**
   * @param workspace handed to `source.nearPairs` for its scratch buffers (the state is kept in
   *   that workspace's K-Medoids slot, so it lives no longer than the workspace)
   */
  constructor(
    private readonly source: DistanceSource,
    private readonly maxShare = MAX_SHARE,
    private readonly workspace?: Workspace,
  ) {
    const n = source.n;
    const one = new Int32Array(1);
    // Rows are rounded as they are read, not kept here: a row source that keeps rows (the packed
    // 0/1 sources of @tb/embedding do) serves the repeats, and rounding a row costs ≈ 1.8 µs against
    // ≈ 14 µs to compute it (GSM8K, 40 native sources, min of 5 passes over all 1319 rows; about
    // 50 rows are read per target).
    this.rows = {
      row: (p: number, out: Float64Array): void => {
        if (Number.isNaN(this.grid)) throw new TbError("E_INTERNAL", "SparseState: a row was asked before the lists");
        one[0] = p;
        if (source.rowsInto !== undefined) source.rowsInto(one, out);
        else {
          const r = source.rowsTo(one);
          if (r.length !== n)
            throw new TbError("E_INTERNAL", `sparseNear: rowsTo gave ${r.length} values, expected ${n}`);
          out.set(r);
        }
        const grid = this.grid;
        if (grid === 0) return;
        const inv = 1 / grid;
        const R = 4503599627370496; // 2^52, as in roundToGrid
        for (let j = 0; j < n; j++) out[j] = ((out[j] as number) * inv + R - R) * grid;
      },
    };
  }

  /**
   * The near lists for the fixed medoids `F` (ascending), made once per fixed set while it stays
   * among the last few; `undefined` when a distance is invalid or the lists would be too long.
   */
  near(F: Int32Array): NearIndex | undefined {
    const key = F.join(",");
    if (this.lists.has(key)) {
      const kept = this.lists.get(key);
      this.lists.delete(key); // most recently used last
      this.lists.set(key, kept);
      return kept;
    }
    const near = this.make(F);
    this.lists.set(key, near);
    if (this.lists.size > MAX_FIXED_SETS) this.lists.delete(this.lists.keys().next().value as string);
    return near;
  }

  /** Bytes of the lists kept. */
  bytes(): number {
    let b = 0;
    for (const near of this.lists.values()) {
      if (near !== undefined) b += near.start.byteLength + near.idx.byteLength + near.val.byteLength;
    }
    return b;
  }

  private make(F: Int32Array): NearIndex | undefined {
    const source = this.source;
    const n = source.n;
    const f = F.length;
    if (source.nearPairs === undefined || f < 1) return undefined;
    const fr = source.rowsTo(F);
    if (fr.length !== f * n)
      throw new TbError("E_INTERNAL", `sparseNear: rowsTo gave ${fr.length} values, expected ${f * n}`);
    const cap = nearestOf(fr, range(f), n, n);
    const { max, start, idx, val } = source.nearPairs(cap, this.workspace);
    if (!(max >= 0 && max < Number.POSITIVE_INFINITY)) return undefined;
    if (start.length !== n + 1 || idx.length < (start[n] as number) || val.length < (start[n] as number)) {
      throw new TbError("E_INTERNAL", "sparseNear: nearPairs returned malformed rows");
    }
    const grid = exactGrid(max, n);
    if (!Number.isNaN(this.grid) && grid !== this.grid) {
      throw new TbError("E_INTERNAL", "sparseNear: an immutable source gave two different largest distances");
    }
    this.grid = grid;
    // round to the grid of the full matrix (same rounding as roundToGrid), then keep the entries
    // below the rounded cap — compacting in place, rows stay ascending
    const inv = grid === 0 ? 0 : 1 / grid;
    const R = 4503599627370496; // 2^52, as in roundToGrid
    const ns = new Int32Array(n + 1);
    let total = 0;
    for (let a = 0; a < n; a++) {
      const c = grid === 0 ? (cap[a] as number) : ((cap[a] as number) * inv + R - R) * grid;
      const end = start[a + 1] as number;
      for (let t = start[a] as number; t < end; t++) {
        const x = grid === 0 ? (val[t] as number) : ((val[t] as number) * inv + R - R) * grid;
        if (x < c) {
          idx[total] = idx[t] as number;
          val[total] = x;
          total++;
        }
      }
      ns[a + 1] = total;
    }
    if (total > this.maxShare * n * n) return undefined;
    // copies of the compacted lists: kept across calls, they should not pin the longer buffers
    const outIdx = idx.slice(0, total);
    const outVal = val.slice(0, total);
    const byDistance = grid !== 0;
    if (byDistance) sortRowsByDistance(ns, outIdx, outVal, n, grid);
    return { m: n, fixed: F.slice(), start: ns, idx: outIdx, val: outVal, byDistance };
  }
}

/**
 * Every row of `dist` (m × m) with its entries in ascending order of distance (ties by column),
 * as a {@link NearIndex} that lists everything: the swap sums then read, for each point, only the
 * entries below its threshold, stopping at the first one above — whatever the medoids. Sorting
 * costs about as much as a few PAM runs, so it pays off for a matrix clustered many times (the
 * G-set of a protocol: same sources in every trial). Internal.
 */
export function sortedRows(dist: Float64Array, m: number): NearIndex {
  const start = new Int32Array(m + 1);
  const idx = new Int32Array(m * m);
  const val = new Float64Array(m * m);
  // On the exact grid every entry is an integer multiple k·grid with k < 2^(53 − headroom), and
  // the headroom exceeds log2 m: the key k·2^b + h (b bits for the column h) is an exact double,
  // so a plain numeric sort of the keys orders by (distance, column). Otherwise: a comparator.
  let max = 0;
  for (let t = 0; t < m * m; t++) if ((dist[t] as number) > max) max = dist[t] as number;
  const grid = exactGrid(max, m);
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(m)));
  const keys = new Float64Array(m);
  const order = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const row = j * m;
    let exact = grid > 0;
    if (exact) {
      for (let h = 0; h < m; h++) {
        const k = (dist[row + h] as number) / grid;
        if (!Number.isInteger(k) || k * scale >= 2 ** 52) exact = false;
        keys[h] = k * scale + h;
      }
    }
    if (exact) {
      keys.sort();
      for (let t = 0; t < m; t++) {
        const key = keys[t] as number;
        order[t] = key - Math.floor(key / scale) * scale;
      }
    } else {
      for (let h = 0; h < m; h++) order[h] = h;
      order.sort((a, b) => (dist[row + a] as number) - (dist[row + b] as number) || a - b);
    }
    idx.set(order, row);
    for (let t = 0; t < m; t++) val[row + t] = dist[row + (order[t] as number)] as number;
    start[j + 1] = row + m;
  }
  return { m, fixed: new Int32Array(0), start, idx, val, sorted: true };
}

/**
 * Sorts each row `[start[j], start[j + 1])` of `idx`/`val` in place by ascending distance, ties by
 * column. Every `val` is an integer multiple k of `grid` (a power of two) with k·2^b + column
 * exact (b bits for a column: the grid's headroom exceeds log2 n), so the key orders by
 * (distance, column). Rows are short (the entries below a cap): insertion sort.
 */
function sortRowsByDistance(start: Int32Array, idx: Int32Array, val: Float64Array, n: number, grid: number): void {
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(n)));
  const invScale = 1 / scale;
  const mul = scale / grid; // both powers of two: x · mul is exact
  let keys = new Float64Array(64);
  for (let j = 0; j < n; j++) {
    const s = start[j] as number;
    const e = start[j + 1] as number;
    const len = e - s;
    if (len < 2) continue;
    if (len > keys.length) keys = new Float64Array(Math.max(len, 2 * keys.length));
    for (let t = 0; t < len; t++) keys[t] = (val[s + t] as number) * mul + (idx[s + t] as number);
    if (len > 48) keys.subarray(0, len).sort();
    else {
      for (let t = 1; t < len; t++) {
        const k = keys[t] as number;
        let u = t - 1;
        while (u >= 0 && (keys[u] as number) > k) {
          keys[u + 1] = keys[u] as number;
          u--;
        }
        keys[u + 1] = k;
      }
    }
    for (let t = 0; t < len; t++) {
      const k = keys[t] as number;
      const q = Math.floor(k * invScale); // exact: scale is a power of two
      idx[s + t] = k - q * scale;
      val[s + t] = q * grid;
    }
  }
}
