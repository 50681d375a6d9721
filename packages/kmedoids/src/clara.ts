import {
  checkOptionKeys,
  optionNames,
  RandomStream,
  range,
  type Seed,
  TbError,
  type Workspace,
  workspaceOf,
} from "@tb/core";
import { assign } from "./assign.js";
import { type DistanceSource, GRID_KERNEL, GRID_MATRIX } from "./distance-source.js";
import { quantizeDistances, roundToGrid } from "./exact.js";
import { DEFAULT_MAX_PASSES, fasterPamCore } from "./fasterpam.js";
import { type NearIndex, nearIndex, roundWithNear, SparseState, sortedRows, sparseNear } from "./near.js";
import { DEFAULT_EPS, DEFAULT_MAX_ITER, pamSwapCore } from "./pam.js";
import type { PhiKernel } from "./phi-kernel.js";
import { type KMedoidsScratch, kmedoidsScratch, peekKmedoidsScratch } from "./scratch.js";
import type { RowSource } from "./swap-state.js";
import { checkEps, checkInt } from "./validate.js";

/** Options of {@link clara} (docs/METHOD.md §2.4). */
export interface ClaraOptions {
  /** Number `k ≥ 1` of extra (swappable) medoids; `K = f + k`. */
  k: number;
  /** The fixed medoids `F` (example indices, unique; any list of numbers); used sorted ascending. Default none. */
  fixed?: ArrayLike<number>;
  /** Sample size `s`, `K ≤ s ≤ n`. Default `n` (then CLARA is one PAM run on all points). */
  sampleSize?: number;
  /** Number of sub-runs `R`. Default 1. */
  subRuns?: number;
  /** Cap on swaps (`"pam"`, default 5000) or on passes (`"fasterpam"`, default 100). */
  maxIter?: number;
  /**
   * Randomness: a `RandomStream` or an integer seed (`RandomStream.derive(seed)`); sub-run `r`
   * draws from `rng.child("clara", r)` (docs/METHOD.md §10). Not advanced.
   */
  rng: Seed;
  /**
   * `"last"` (default, [REF] §2.4d): the last sub-run's medoids, as the reference's bug yields.
   * `"fullInertia"` ([OPT]): the sub-run with the smallest inertia on all `n` points (first on ties).
   */
  select?: "last" | "fullInertia";
  /** Relative acceptance threshold of a swap (§9.18). Default 1e-9. */
  eps?: number;
  /** Swap search run on each sample: `"pam"` (§2.3, default) or `"fasterpam"` (§5, index order). */
  algorithm?: "pam" | "fasterpam";
  /**
   * With `s = n`, PAM, at least one fixed medoid and a source that offers `nearPairs` (the
   * packed 0/1 embeddings of `@tb/embedding`): work from the near lists and single rows instead
   * of the quantized `n × n` matrix (default `true`). Same medoids; `false` forces the matrix.
   */
  sparse?: boolean;
  /**
   * Where to keep work for later calls (a `Workspace` of `@tb/core`): the quantized sample matrix
   * of an `immutable` source (reused when the same source and sample come again, e.g. targets
   * sharing their native sources), the near lists of the sparse path per immutable source, and
   * the swap search's buffers. Without one, a fresh workspace serves this call only (its
   * sub-runs) and nothing is kept. The medoids are the same either way.
   */
  workspace?: Workspace;
}

/** Result of {@link clara} (docs/METHOD.md §2.4). */
export interface ClaraResult {
  /** Example indices: `F` ascending, then the `k` extra slots in slot order. */
  medoids: Int32Array;
  /** Inertia on all `n` points (`select: "fullInertia"` only). */
  inertia?: number;
  /** Index of the sub-run the medoids come from. */
  subRun: number;
}

/**
 * Number of points above which TailoredBench clusters CLARA samples instead of all points
 * (docs/METHOD.md §2.4, §9.16): 3000. Below it one PAM run on the full `n × n` matrix (the reference's
 * setting for every benchmark up to GSM8K's 1319 examples) costs at most 72 MB.
 */
export const DEFAULT_CLARA_THRESHOLD = 3000;

/** Options of {@link claraSampling}. */
export interface ClaraSamplingOptions {
  /** An explicit sample size: used as given (CLARA checks `K ≤ s ≤ n`). */
  sampleSize?: number;
  /** An explicit number of sub-runs. */
  subRuns?: number;
  /** Points above which sampling starts when no sample size is given; default {@link DEFAULT_CLARA_THRESHOLD}. */
  threshold?: number;
}

const SAMPLING_OPTION_NAMES = optionNames<ClaraSamplingOptions>()("sampleSize", "subRuns", "threshold");

/**
 * CLARA's sample size and sub-runs for `n` points and `K` medoids (docs/METHOD.md §2.4, §3 table):
 * an explicit `sampleSize` is used (with `threshold` too, refused: it would be unread); otherwise all points in one run (`s = n`, `R = 1`) up to
 * `threshold` points, and above it the reference's ARC/HellaSwag N-set settings, `s = 750` (or
 * `40 + 2K`, CLARA's classic size, when larger; at most `n`) and `R = 10`, so that no `n × n`
 * matrix is ever built (§9.16). An explicit `subRuns` always wins.
 */
export function claraSampling(
  n: number,
  K: number,
  opts: ClaraSamplingOptions = {},
): { sampleSize: number; subRuns: number; sampled: boolean } {
  checkOptionKeys(opts, SAMPLING_OPTION_NAMES, "claraSampling");
  const threshold = opts.threshold ?? DEFAULT_CLARA_THRESHOLD;
  if (!(threshold >= 0)) throw new TbError("E_USAGE", `CLARA threshold must be a number ≥ 0, got ${String(threshold)}`);
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(K) && K >= 1 && K <= n)) {
    throw new TbError("E_USAGE", `claraSampling: n and K must be integers with 1 ≤ K ≤ n, got n = ${n}, K = ${K}`);
  }
  const ss = opts.sampleSize;
  if (ss !== undefined && !(Number.isInteger(ss) && ss >= K && ss <= n)) {
    throw new TbError("E_USAGE", `claraSampling: sampleSize must be an integer in [K, n] = [${K}, ${n}], got ${ss}`);
  }
  if (opts.subRuns !== undefined && !(Number.isInteger(opts.subRuns) && opts.subRuns >= 1)) {
    throw new TbError("E_USAGE", `claraSampling: subRuns must be an integer ≥ 1, got ${opts.subRuns}`);
  }
  if (opts.sampleSize !== undefined && opts.threshold !== undefined) {
    throw new TbError(
      "E_USAGE",
      "claraSampling: threshold chooses the sample size when none is given; with sampleSize it is never read: give one of them",
    );
  }
  if (opts.sampleSize !== undefined) {
    return { sampleSize: opts.sampleSize, subRuns: opts.subRuns ?? 1, sampled: opts.sampleSize < n };
  }
  if (n <= threshold) return { sampleSize: n, subRuns: opts.subRuns ?? 1, sampled: false };
  const s = Math.min(n, Math.max(750, 40 + 2 * K));
  return { sampleSize: s, subRuns: opts.subRuns ?? 10, sampled: s < n };
}

/** Largest sample matrix a workspace keeps between calls: 2^23 doubles = 64 MiB (s ≤ 2896). */
const MAX_KEPT = 1 << 23;
/** Largest matrix whose rows are sorted: 2^22 entries (m ≤ 2048; 48 MiB of lists). */
const MAX_SORTED = 1 << 22;

function sameList(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let t = 0; t < a.length; t++) if (a[t] !== b[t]) return false;
  return true;
}

/**
 * The `s × s` distance matrix of a CLARA sample, rounded to the exact grid (docs/METHOD.md §9.18),
 * read-only and valid until the next call with the same workspace slot. Sources with
 * `submatrixInto` fill one buffer the slot keeps (no fresh `s²` allocation, no separate validation
 * pass); for `immutable` ones the last matrix is reused when the same source and sample come
 * again (§3 step 5: targets that share their native sources). Other sources: `submatrix`,
 * quantized in place, as before. The values are the same either way. Internal.
 */
function sampleMatrix(
  ws: KMedoidsScratch,
  source: DistanceSource,
  sample: Int32Array,
  fixedPos: Int32Array | undefined,
  wantSorted = false,
): { sub: Float64Array; near: NearIndex | undefined; kernel?: PhiKernel } {
  const s = sample.length;
  const len = s * s;
  const onGrid = (source as { [GRID_MATRIX]?: Float64Array })[GRID_MATRIX];
  if (onGrid !== undefined && s === source.n) {
    // kmedoids(): the whole matrix, already on the grid for s = n points (the sample is all points
    // in order): clustered as it is — the same values the copy below would hold — and by
    // FasterPAM in the wasm kernel it was written into, if any
    const kernel = (source as { [GRID_KERNEL]?: PhiKernel })[GRID_KERNEL];
    return {
      sub: onGrid,
      near: fixedPos === undefined ? undefined : nearIndex(onGrid, s, fixedPos),
      ...(kernel !== undefined ? { kernel } : {}),
    };
  }
  if (source.submatrixInto === undefined) {
    const sub = source.submatrix(sample);
    if (sub.length !== len) {
      throw new TbError("E_INTERNAL", `clara: source.submatrix returned ${sub.length} values, expected ${len}`);
    }
    quantizeDistances(sub, s, sub);
    return { sub, near: fixedPos === undefined ? undefined : nearIndex(sub, s, fixedPos) };
  }
  const keptFor = ws.keptFor;
  if (keptFor !== undefined && keptFor.source === source && sameList(keptFor.sample, sample)) {
    const sub = (ws.kept as Float64Array).subarray(0, len);
    if (fixedPos === undefined) {
      // clustered again (e.g. the G-set in every trial of a protocol): sort its rows once
      if (wantSorted && ws.keptSorted === undefined && len <= MAX_SORTED) ws.keptSorted = sortedRows(sub, s);
      return { sub, near: wantSorted ? ws.keptSorted : undefined };
    }
    if (ws.keptNear === undefined || !sameList(ws.keptNear.fixed, fixedPos)) {
      ws.keptNear = { fixed: fixedPos.slice(), near: nearIndex(sub, s, fixedPos) };
    }
    return { sub, near: ws.keptNear.near };
  }
  let out: Float64Array;
  if (len <= MAX_KEPT) {
    if (ws.kept === undefined || ws.kept.length < len) ws.kept = new Float64Array(len);
    out = ws.kept.subarray(0, len);
    ws.keptFor = undefined;
    ws.keptNear = undefined;
    ws.keptSorted = undefined;
  } else {
    out = new Float64Array(len);
  }
  const max = source.submatrixInto(sample, out);
  let near: NearIndex | undefined;
  if (max >= 0 && max < Number.POSITIVE_INFINITY) {
    // rounding and the near lists in one pass over the matrix
    if (fixedPos === undefined) roundToGrid(out, max, s, out);
    else near = roundWithNear(out, max, s, fixedPos);
  } else {
    quantizeDistances(out, s, out); // throws E_INPUT naming the bad entry
  }
  if (source.immutable === true && out.buffer === ws.kept?.buffer) {
    ws.keptFor = { source, sample: Int32Array.from(sample) };
    ws.keptNear = fixedPos === undefined ? undefined : { fixed: fixedPos.slice(), near };
  }
  return { sub: out, near };
}

const EMPTY = new Float64Array(0);

/**
 * The near lists and rows of the sparse path for all points of `source` and the fixed medoids `F`
 * (ascending). For an immutable source the lists are kept in the workspace slot, with the source
 * as a weak key, and reused while the same fixed set comes again: the targets of a trial that
 * share their native sources and the G-set, and — when the caller keeps both the source and the
 * workspace (TailoredBench in a protocol does) — later trials meeting the same native sources and
 * G-set. Internal.
 */
function sparseFor(
  scratch: KMedoidsScratch,
  ws: Workspace,
  source: DistanceSource,
  F: Int32Array,
): { near: NearIndex; rows: RowSource } | undefined {
  if (source.nearPairs === undefined) return undefined;
  if (source.immutable !== true) return sparseNear(source, F, undefined, ws);
  let state = scratch.sparse.get(source);
  if (state === undefined) scratch.sparse.set(source, (state = new SparseState(source, undefined, ws)));
  const near = state.near(F);
  return near === undefined ? undefined : { near, rows: state.rows };
}

/**
 * Bytes {@link clara} keeps in `workspace` for `source` (the sparse path's near lists of an
 * immutable source; freed with the source or the workspace). For callers that keep sources in a
 * bounded cache. 0 when the workspace holds nothing for it.
 */
export function retainedBytes(source: DistanceSource, workspace: Workspace): number {
  if (workspace === undefined) throw new TbError("E_USAGE", "retainedBytes: the workspace to look in is required");
  return peekKmedoidsScratch(workspaceOf(workspace, "retainedBytes: workspace"))?.sparse.get(source)?.bytes() ?? 0;
}

function sortedFixed(fixed: ArrayLike<number> | undefined, n: number): Int32Array {
  if (fixed === undefined) return new Int32Array(0);
  if (typeof fixed !== "object" || fixed === null || typeof fixed.length !== "number") {
    throw new TbError("E_USAGE", "clara: fixed must be a list of example indices");
  }
  for (let t = 0; t < fixed.length; t++) {
    const p = fixed[t];
    if (typeof p !== "number" || !Number.isInteger(p)) {
      throw new TbError("E_USAGE", `clara: fixed[${t}] is ${String(p)}, not an example index`);
    }
  }
  const F = Int32Array.from(fixed).sort();
  for (let t = 0; t < F.length; t++) {
    const p = F[t] as number;
    if (p < 0 || p >= n) throw new TbError("E_USAGE", `clara: fixed medoid ${p} is not an example index in [0, ${n})`);
    if (t > 0 && p === F[t - 1]) throw new TbError("E_USAGE", `clara: fixed medoid ${p} is listed twice`);
  }
  return F;
}

/**
 * CLARA with fixed medoids — the patched scikit-learn-extra `CLARA(init="random")` used by
 * TailoredBench for the N-set (docs/METHOD.md §2.4), with the [SPEC] ordering rules:
 *
 * a. (only when `s < n`) draw `k` points with `rng.child("clara", r).sample(nonFixed, k)` from the
 *    non-fixed points (ascending), then `s − K` more from the remaining non-fixed points
 *    (ascending). The sample is `F` ∪ those, sorted by ascending example index, so PAM scans
 *    candidates in increasing example index (§2.3 [SPEC]). When `s = n` the sample is all points
 *    in index order and nothing is drawn.
 * b. Initial medoids: `F`, then `k` points drawn *again* (same stream) from the non-fixed sample
 *    points, ascending list — a second draw (§2.4b, §9.9).
 * c. PAM swap (§2.3) with the `f` fixed slots on the `s × s` sample matrix (or FasterPAM).
 * d. `select: "last"` keeps the last sub-run (the reference's bug). Each sub-run has its own keyed
 *    stream, so earlier sub-runs cannot influence the last one and are not computed at all.
 *    `"fullInertia"` runs every sub-run and keeps the smallest full-data inertia (via
 *    `source.rowsTo`, K × n).
 *
 * @throws TbError `E_USAGE` unless k ≥ 1, F unique and in range, K = f + k ≤ s ≤ n, R ≥ 1.
 */
export function clara(source: DistanceSource, opts: ClaraOptions): ClaraResult {
  if (opts === undefined) throw new TbError("E_USAGE", "clara: options (k and rng at least) are required");
  checkOptionKeys(
    opts,
    ["k", "fixed", "sampleSize", "subRuns", "maxIter", "rng", "select", "eps", "algorithm", "sparse", "workspace"],
    "clara",
  );
  const n = checkInt(source?.n, 1, 0x7fff_ffff, "clara: source.n");
  const F = sortedFixed(opts.fixed, n);
  const f = F.length;
  const k = checkInt(opts.k, 1, Math.max(1, n - f), `clara: k (extra medoids; n = ${n}, f = ${f})`);
  const K = f + k;
  if (K > n) throw new TbError("E_USAGE", `clara: K = f + k = ${K} exceeds the ${n} points`);
  const s = checkInt(opts.sampleSize ?? n, K, n, "clara: sampleSize s (need K ≤ s ≤ n)");
  const R = checkInt(opts.subRuns ?? 1, 1, Number.MAX_SAFE_INTEGER, "clara: subRuns");
  const select = opts.select ?? "last";
  if (select !== "last" && select !== "fullInertia") {
    throw new TbError("E_USAGE", `clara: select must be "last" or "fullInertia", got "${String(select)}"`);
  }
  const algorithm = opts.algorithm ?? "pam";
  if (algorithm !== "pam" && algorithm !== "fasterpam") {
    throw new TbError("E_USAGE", `clara: algorithm must be "pam" or "fasterpam", got "${String(algorithm)}"`);
  }
  const maxIter = checkInt(
    opts.maxIter ?? (algorithm === "pam" ? DEFAULT_MAX_ITER : DEFAULT_MAX_PASSES),
    0,
    Number.MAX_SAFE_INTEGER,
    "clara: maxIter",
  );
  const eps = checkEps(opts.eps ?? DEFAULT_EPS, "clara: eps");
  if (opts.rng === undefined)
    throw new TbError("E_USAGE", "clara: rng (an integer seed or a RandomStream) is required");
  const rng = RandomStream.from(opts.rng, "clara: rng");
  const ws = workspaceOf(opts.workspace, "clara: workspace");
  const scratch = kmedoidsScratch(ws);

  const isFixed = new Uint8Array(n);
  for (let t = 0; t < f; t++) isFixed[F[t] as number] = 1;
  const nonFixed = new Int32Array(n - f);
  for (let p = 0, c = 0; p < n; p++) if (isFixed[p] === 0) nonFixed[c++] = p;

  let best: ClaraResult | undefined;
  for (let r = select === "last" ? R - 1 : 0; r < R; r++) {
    const rr = rng.child("clara", r);
    // (a) the sample, ascending example indices
    let sample: Int32Array;
    if (s === n) {
      sample = range(n);
    } else {
      const inSample = isFixed.slice();
      const first = rr.sample(nonFixed, k);
      for (let t = 0; t < k; t++) inSample[first[t] as number] = 1;
      const rest = new Int32Array(n - K);
      for (let p = 0, c = 0; p < n; p++) if (inSample[p] === 0) rest[c++] = p;
      const more = rr.sample(rest, s - K);
      for (let t = 0; t < more.length; t++) inSample[more[t] as number] = 1;
      sample = new Int32Array(s);
      for (let p = 0, c = 0; p < n; p++) if (inSample[p] === 1) sample[c++] = p;
    }
    // (b) the initial medoids: F, then a second draw from the non-fixed sample points
    const pos = new Int32Array(n).fill(-1);
    for (let t = 0; t < s; t++) pos[sample[t] as number] = t;
    const pool = new Int32Array(s - f);
    for (let t = 0, c = 0; t < s; t++) if (isFixed[sample[t] as number] === 0) pool[c++] = sample[t] as number;
    const drawn = rr.sample(pool, k);
    const med = new Int32Array(K);
    for (let t = 0; t < f; t++) med[t] = pos[F[t] as number] as number;
    for (let t = 0; t < k; t++) med[f + t] = pos[drawn[t] as number] as number;
    // (c) the swap search on the quantized sample matrix (read-only from here on)
    // near lists (PAM with fixed medoids): the fixed slots' sample positions, ascending
    const listFor = algorithm === "pam" && f >= 1 && f < K && maxIter > 0 ? med.slice(0, f) : undefined;
    // the sparse path (s = n, a source with nearPairs): lists and single rows, no n × n matrix
    const sparse =
      listFor !== undefined && s === n && opts.sparse !== false ? sparseFor(scratch, ws, source, F) : undefined;
    if (sparse !== undefined) {
      pamSwapCore(EMPTY, s, med, f, maxIter, eps, true, sparse.near, sparse.rows, scratch.pool);
    } else {
      const wantSorted = algorithm === "pam" && f === 0 && maxIter > 0;
      const { sub, near, kernel } = sampleMatrix(scratch, source, sample, listFor, wantSorted);
      if (algorithm === "pam") pamSwapCore(sub, s, med, f, maxIter, eps, true, near, undefined, scratch.pool);
      else fasterPamCore(sub, s, med, f, maxIter, eps, undefined, scratch.pool, kernel);
    }
    const medoids = new Int32Array(K);
    for (let t = 0; t < K; t++) medoids[t] = sample[med[t] as number] as number;
    // (d) the choice of result
    if (select === "last") {
      best = { medoids, subRun: r };
    } else {
      const inertia = assign(source, medoids, ws).cost;
      if (best === undefined || inertia < (best.inertia as number)) best = { medoids, inertia, subRun: r };
    }
  }
  if (best === undefined) throw new TbError("E_INTERNAL", "clara: no sub-run ran");
  return best;
}
