import { type CorrectnessMatrix, type Seed, TbError, type Workspace, workspaceKey, workspaceOf } from "@tb/core";
import { type DistanceMetric, distanceSource, exampleEmbedding } from "@tb/embedding";
import { assign, clara, claraSampling, type DistanceSource, retainedBytes } from "@tb/kmedoids";

/** Options of {@link buildNSet} (docs/METHOD.md §3 steps 5–6). */
export interface NSetOptions {
  /** Distance between example embeddings; default `"manhattan"`. */
  metric?: DistanceMetric;
  /** Standardise each native source's column across examples; default true. */
  standardize?: boolean;
  /**
   * CLARA sample size; default `n` (binary benchmarks in the reference) up to `claraThreshold`
   * examples, above it `max(750, 40 + 2K)` (ARC/HellaSwag used 750).
   */
  sampleSize?: number;
  /** CLARA sub-runs; default 1, or 10 when sampling above `claraThreshold` (the reference's 750-sample setting). */
  subRuns?: number;
  /**
   * Examples above which the N-set is clustered on CLARA samples when no `sampleSize` is given
   * (docs/METHOD.md §2.4, §9.16); default 3000 (`DEFAULT_CLARA_THRESHOLD` of `@tb/kmedoids`).
   * `Infinity` always clusters all points.
   */
  claraThreshold?: number;
  /** PAM swap cap; default 9000 (binary benchmarks in the reference), 5000 when sampling (ARC/HellaSwag). */
  maxIter?: number;
  /** CLARA result choice; default `"last"` (reference behaviour, docs/METHOD.md §2.4d). */
  claraSelect?: "last" | "fullInertia";
  /** K-Medoids algorithm inside CLARA; default `"pam"` (the reference). */
  algorithm?: "pam" | "fasterpam";
  /**
   * Where K-Medoids keeps its work for later calls (a `Workspace` of `@tb/core`: the quantized
   * matrix of a shared source, near lists, buffers); without one nothing outlives the call. Same
   * N-set either way.
   */
  workspace?: Workspace;
}

/** A target's Native coreset and the cluster of every example. */
export interface NSet {
  /** Medoid list `L_t`: the G-set ascending, then the `k` extra slots (docs/METHOD.md §3 step 5). */
  medoids: Int32Array;
  /** For every example, the slot in `medoids` of its cluster (docs/METHOD.md §2.5). */
  labels: Int32Array;
  /** Cluster sizes per slot. */
  sizes: Int32Array;
}

/**
 * The N-set of one target (docs/METHOD.md §3 steps 5–6): K-Medoids over examples embedded by the
 * target's native sources, with the G-set held fixed and `k` extra medoids from a random start,
 * then assignment of every example to its nearest medoid (K × n distances only).
 *
 * @param sources all source models
 * @param natives row indices (in `sources`) of the target's native sources
 * @param gset the G-set, example indices (any order; used ascending)
 * Above `claraThreshold` examples (default 3000) it clusters CLARA samples (docs/METHOD.md §2.4) and
 * builds no `n × n` matrix. Targets with the same native sources can share one `distances`
 * source: with the default `s = n` its quantized distance matrix is then computed once (the
 * distance source of `@tb/embedding` is immutable, so CLARA may keep it).
 *
 * @param sources all source models
 * @param natives row indices (in `sources`) of the target's native sources
 * @param gset the G-set, example indices (any order; used ascending)
 * @param k extra medoids, `N − g`
 * @param rng the stream for this target (e.g. `trial.child("nset", t)`) or an integer seed
 * @param distances the examples' distance source over these natives, when the caller already has
 *   one (from {@link nsetDistances} with the same options); built here otherwise
 */
export function buildNSet(
  sources: CorrectnessMatrix,
  natives: ArrayLike<number>,
  gset: ArrayLike<number>,
  k: number,
  rng: Seed,
  options: NSetOptions = {},
  distances?: DistanceSource,
): NSet {
  const n = sources.cols;
  if (natives.length === 0) throw new TbError("E_USAGE", "buildNSet: the native source set is empty");
  if (!(Number.isInteger(k) && k >= 1 && gset.length + k <= n)) {
    throw new TbError("E_USAGE", `buildNSet: need 1 ≤ k and g + k ≤ n, got k = ${k}, g = ${gset.length}, n = ${n}`);
  }
  const fixed = Int32Array.from(gset).sort();
  const source = distances ?? nsetDistances(sources, natives, options);
  if (source.n !== n) throw new TbError("E_USAGE", `buildNSet: distances over ${source.n} points for ${n} examples`);
  const sampling: Parameters<typeof claraSampling>[2] = {};
  const K = fixed.length + k;
  if (
    options.sampleSize !== undefined &&
    !(Number.isInteger(options.sampleSize) && options.sampleSize >= K && options.sampleSize <= n)
  ) {
    throw new TbError(
      "E_USAGE",
      `buildNSet: the N-set sample size (option sampleSize) must be an integer from K = ${K} (the budget) to the ${n} examples, got ${options.sampleSize}`,
    );
  }
  if (options.sampleSize !== undefined && options.claraThreshold !== undefined) {
    throw new TbError(
      "E_USAGE",
      "buildNSet: claraThreshold chooses the CLARA sample size when sampleSize is not given; with sampleSize it is never read: give one of them",
    );
  }
  if (options.sampleSize !== undefined) sampling.sampleSize = options.sampleSize;
  if (options.subRuns !== undefined) sampling.subRuns = options.subRuns;
  if (options.claraThreshold !== undefined) sampling.threshold = options.claraThreshold;
  const { sampleSize, subRuns, sampled } = claraSampling(n, fixed.length + k, sampling);
  const claraOpts: Parameters<typeof clara>[1] = {
    k,
    fixed,
    sampleSize,
    subRuns,
    maxIter: options.maxIter ?? (sampled ? 5000 : 9000),
    rng,
    select: options.claraSelect ?? "last",
  };
  if (options.algorithm !== undefined) claraOpts.algorithm = options.algorithm;
  const ws = workspaceOf(options.workspace, "buildNSet: workspace");
  claraOpts.workspace = ws;
  const { medoids } = clara(source, claraOpts);
  const { labels, sizes } = assign(source, medoids, ws);
  return { medoids, labels, sizes };
}

/**
 * The distance source of a target's examples (docs/METHOD.md §3 step 5): the example embedding over
 * its native sources, each standardised across examples (packed for 0/1 data), under the options'
 * metric. Share it among targets with the same native sources.
 */
export function nsetDistances(
  sources: CorrectnessMatrix,
  natives: ArrayLike<number>,
  options: Pick<NSetOptions, "metric" | "standardize"> = {},
): DistanceSource {
  if (natives.length === 0) throw new TbError("E_USAGE", "nsetDistances: the native source set is empty");
  const emb = exampleEmbedding(sources, natives, { standardize: options.standardize !== false });
  return distanceSource(emb, options.metric ?? "manhattan");
}

/**
 * Default bytes of native-set distance sources {@link keptNsetDistances} keeps in a workspace: 48 MiB,
 * the largest multiple of 16 MiB with which the full GSM8K protocol on 2 workers peaks well below
 * 500 MB (415–438 MiB measured; 64 MiB: 452–461 MiB, too close; docs/PERFORMANCE.md, "Worker heaps").
 * A larger budget skips more near-list builds (per 12 trials of that protocol: 713 at 32 MiB, 582
 * at 48, 467 at 64, 286 at 256); whether that shows in wall time depends on the host (≈ 10 % at
 * 64–256 against 32 MiB on one, within the noise on others).
 */
export const DEFAULT_CACHE_BYTES = 48 * 1024 * 1024;

/** The native-set sources a workspace keeps (see {@link keptNsetDistances}). */
class KeptNsetSources {
  /** A number per source matrix (by identity, weakly), so that keys do not hold the matrices. */
  readonly matrixIds = new WeakMap<CorrectnessMatrix, number>();
  nextMatrixId = 0;
  /** Kept sources, least recently used first. */
  readonly sources = new Map<string, DistanceSource>();
  /** The source handed out last: the only one whose rows are kept (the others shed theirs). */
  current: DistanceSource | undefined;
  constructor(private readonly ws: Workspace) {}
  entries(): number {
    return this.sources.size;
  }
  /** The sources' own data and rows, and the near lists K-Medoids keeps for them. */
  bytes(): number {
    let b = 0;
    for (const source of this.sources.values()) b += this.keptBytesOf(source);
    return b;
  }
  /** What keeping `source` costs: its own data and rows, plus the near lists K-Medoids keeps for it. */
  keptBytesOf(source: DistanceSource): number {
    return (source.retainedBytes?.() ?? 0) + retainedBytes(source, this.ws);
  }
}
const KEPT = workspaceKey<KeptNsetSources>("@tb/estimate native-set sources");

function checkWorkspace(workspace: Workspace, fn: string): Workspace {
  if (workspace === undefined)
    throw new TbError("E_USAGE", `${fn}: the first argument must be a Workspace (new Workspace())`);
  return workspaceOf(workspace, `${fn}: workspace`);
}

/**
 * {@link nsetDistances}, kept in `workspace` while the sources, the natives and the options are
 * the same (a protocol meets the same native sets in trial after trial: GSM8K's 500 trials have
 * 112 distinct ones). A kept source keeps its rows, and K-Medoids keeps its near lists for each
 * G-set alongside in the same workspace, so the costliest step of a target is skipped when a
 * native set and G-set come again. Kept sources are immutable, so results do not depend on what
 * is kept. The least recently used ones are dropped once the kept bytes (the sources' data and
 * rows plus `retainedBytes` of `@tb/kmedoids`) exceed `maxBytes`; `maxBytes = 0` keeps nothing.
 * A `CorrectnessMatrix` must not be mutated after construction (its validation would not hold
 * either). Drop the workspace, or `workspace.clear()`, to free everything.
 */
export function keptNsetDistances(
  workspace: Workspace,
  sources: CorrectnessMatrix,
  natives: ArrayLike<number>,
  options: Pick<NSetOptions, "metric" | "standardize"> = {},
  maxBytes = DEFAULT_CACHE_BYTES,
): DistanceSource {
  const ws = checkWorkspace(workspace, "keptNsetDistances");
  if (!(maxBytes >= 0)) throw new TbError("E_USAGE", `the cache size must be ≥ 0 bytes, got ${maxBytes}`);
  if (maxBytes === 0) {
    clearKept(ws);
    return nsetDistances(sources, natives, options);
  }
  const kept = ws.slot(KEPT, () => new KeptNsetSources(ws));
  let id = kept.matrixIds.get(sources);
  if (id === undefined) kept.matrixIds.set(sources, (id = kept.nextMatrixId++));
  const key = `${id}|${options.standardize !== false}|${options.metric ?? "manhattan"}|${Array.from(natives).join(",")}`;
  let source = kept.sources.get(key);
  if (source !== undefined) {
    kept.sources.delete(key); // most recently used last
  } else {
    source = nsetDistances(sources, natives, options);
  }
  kept.sources.set(key, source);
  // the rows of the source used before are dropped when another comes (a native set's targets are
  // tailored one after another, and rows are cheap to make again: one Hamming pass each), so the
  // budget holds the near lists of many more native sets instead of rows nobody asks for
  if (kept.current !== source) kept.current?.shedRows?.();
  kept.current = source;
  trimKept(ws, maxBytes);
  return source;
}

/** Drops the least recently used sources kept in `workspace` until the rest hold at most `maxBytes` (the newest stays). */
export function trimKept(workspace: Workspace, maxBytes: number): void {
  const kept = checkWorkspace(workspace, "trimKept").peek(KEPT);
  if (kept === undefined) return;
  let total = 0;
  const sizes = new Map<string, number>();
  for (const [key, source] of kept.sources) {
    const b = kept.keptBytesOf(source);
    sizes.set(key, b);
    total += b;
  }
  for (const key of [...kept.sources.keys()]) {
    if (total <= maxBytes || kept.sources.size <= 1) break;
    total -= sizes.get(key) as number;
    kept.sources.delete(key);
  }
}

/**
 * Drops every source {@link keptNsetDistances} keeps in `workspace` (the rest of the workspace
 * stays; `workspace.clear()` drops everything).
 */
export function clearKept(workspace: Workspace): void {
  const kept = checkWorkspace(workspace, "clearKept").peek(KEPT);
  kept?.sources.clear();
  if (kept !== undefined) kept.current = undefined;
}

/** Bytes and number of the sources {@link keptNsetDistances} keeps in `workspace` (with K-Medoids' lists for them). */
export function keptStats(workspace: Workspace): { sources: number; bytes: number } {
  const kept = checkWorkspace(workspace, "keptStats").peek(KEPT);
  if (kept === undefined) return { sources: 0, bytes: 0 };
  let bytes = 0;
  for (const source of kept.sources.values()) bytes += kept.keptBytesOf(source);
  return { sources: kept.sources.size, bytes };
}
