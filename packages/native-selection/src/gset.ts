import {
  type CorrectnessMatrix,
  checkOptionKeys,
  KeyedByObject,
  range,
  type Seed,
  TbError,
  type Workspace,
  workspaceKey,
  workspaceOf,
} from "@tb/core";
import { type DistanceMetric, distanceSource, exampleEmbedding } from "@tb/embedding";
import { clara, claraSampling, type DistanceSource } from "@tb/kmedoids";

/** Options of {@link selectGSet} (docs/METHOD.md §3 step 1). */
export interface GSetOptions {
  /** G-set size g; default 10. */
  size?: number;
  /** Distance between example embeddings; default `"manhattan"`. */
  metric?: DistanceMetric;
  /** Standardise each source's column across examples; default true (the reference). */
  standardize?: boolean;
  /** PAM swap cap; default 5000 (the reference's hard-coded value). */
  maxIter?: number;
  /**
   * CLARA sample size; default `n` (the reference: all points, one sub-run) up to
   * `claraThreshold` examples, `max(750, 40 + 2g)` above it, so that no `n × n` matrix is built.
   */
  sampleSize?: number;
  /** CLARA sub-runs; default 1, or 10 when sampling above `claraThreshold`. */
  subRuns?: number;
  /**
   * Examples above which the G-set is clustered on CLARA samples when no `sampleSize` is given
   * (docs/METHOD.md §2.4, §9.16); default 3000 (`DEFAULT_CLARA_THRESHOLD` of `@tb/kmedoids`).
   * `Infinity` always clusters all points, as the reference does.
   */
  claraThreshold?: number;
  /** CLARA result choice; default `"last"` (the reference's behaviour, docs/METHOD.md §2.4d). */
  claraSelect?: "last" | "fullInertia";
  /**
   * Where to keep the examples' distance source (per source matrix and options) and CLARA's work
   * for later calls — a `Workspace` of `@tb/core`. A protocol clusters the same sources in every
   * trial (only the random start differs), so with one workspace the embedding, its packed bits
   * and the quantized matrix are made once. Without one, nothing outlives the call. Same G-set
   * either way.
   */
  workspace?: Workspace;
}

/**
 * The G-set's example distance sources in a workspace, per source matrix (by identity, weakly:
 * an entry goes with its matrix) and options. A `CorrectnessMatrix` is not to be mutated after
 * construction (its validation would not hold either).
 */
type GSetSources = KeyedByObject<CorrectnessMatrix, DistanceSource>;
const GSET_SOURCES = workspaceKey<GSetSources>("@tb/native-selection G-set sources");

function gsetDistances(
  ws: Workspace,
  sources: CorrectnessMatrix,
  standardize: boolean,
  metric: DistanceMetric,
): DistanceSource {
  const bySetting = ws
    .slot(GSET_SOURCES, (): GSetSources => new KeyedByObject((s: DistanceSource) => s.retainedBytes?.() ?? 0))
    .of(sources);
  const key = `${standardize}:${metric}`;
  let source = bySetting.get(key);
  if (source === undefined) {
    source = distanceSource(exampleEmbedding(sources, range(sources.rows), { standardize }), metric);
    bySetting.set(key, source);
  }
  return source;
}

/** The G-set size of the paper and the reference code (10 examples), the default everywhere. */
export const DEFAULT_GSET_SIZE = 10;

/**
 * The global probe set, G-set (docs/METHOD.md §3 step 1): K-Medoids with `K = g` over the examples
 * embedded by the source models' standardised correctness, from a random start. Targets are not
 * used. Returns example indices sorted ascending.
 *
 * Above `claraThreshold` examples (default 3000) it clusters CLARA samples of `max(750, 40 + 2g)`
 * points, 10 sub-runs (§2.4), and builds no `n × n` matrix: the example embedding keeps 0/1 data
 * packed, and distances are computed for the sample only.
 *
 * @param sources source models × examples
 * @param rng the stream for this purpose (e.g. `trialStream.child("gset")`) or an integer seed
 * @param distances the examples' distance source, when the caller already has one; default
 *   `distanceSource(exampleEmbedding(sources, all rows))` under the options' metric, made once per
 *   source matrix and kept in `options.workspace` (when given) for later calls with the same
 *   matrix (a protocol's trials)
 */
export function selectGSet(
  sources: CorrectnessMatrix,
  rng: Seed,
  options: GSetOptions = {},
  distances?: DistanceSource,
): Int32Array {
  checkOptionKeys(
    options,
    ["size", "metric", "standardize", "maxIter", "sampleSize", "subRuns", "claraThreshold", "claraSelect", "workspace"],
    "selectGSet",
  );
  const g = options.size ?? DEFAULT_GSET_SIZE;
  const n = sources.cols;
  if (!(Number.isInteger(g) && g >= 1 && g < n)) {
    throw new TbError("E_USAGE", `G-set size must be an integer in [1, ${n - 1}] for ${n} examples, got ${g}`);
  }
  if (sources.rows < 1) throw new TbError("E_USAGE", "the G-set needs at least one source model");
  const ws = workspaceOf(options.workspace, "selectGSet: workspace");
  const source = distances ?? gsetDistances(ws, sources, options.standardize !== false, options.metric ?? "manhattan");
  if (source.n !== n) throw new TbError("E_USAGE", `selectGSet: distances over ${source.n} points for ${n} examples`);
  if (options.sampleSize !== undefined && options.claraThreshold !== undefined) {
    throw new TbError(
      "E_USAGE",
      "selectGSet: claraThreshold chooses the CLARA sample size when sampleSize is not given; with sampleSize it is never read: give one of them",
    );
  }
  const sampling: Parameters<typeof claraSampling>[2] = {};
  if (options.sampleSize !== undefined) sampling.sampleSize = options.sampleSize;
  if (options.subRuns !== undefined) sampling.subRuns = options.subRuns;
  if (options.claraThreshold !== undefined) sampling.threshold = options.claraThreshold;
  const { sampleSize, subRuns } = claraSampling(n, g, sampling);
  const result = clara(source, {
    k: g,
    sampleSize,
    subRuns,
    maxIter: options.maxIter ?? 5000,
    rng,
    select: options.claraSelect ?? "last",
    workspace: ws,
  });
  return Int32Array.from(result.medoids).sort();
}
