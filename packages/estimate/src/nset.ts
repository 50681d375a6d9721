import { type CorrectnessMatrix, type RandomStream, TbError } from "@tb/core";
import { type DistanceMetric, distanceSource, exampleEmbedding } from "@tb/embedding";
import { assign, clara } from "@tb/kmedoids";

/** Options of {@link buildNSet} (ALGORITHMS §3 steps 5–6). */
export interface NSetOptions {
  /** Distance between example embeddings; default `"manhattan"`. */
  metric?: DistanceMetric;
  /** Standardise each native source's column across examples; default true. */
  standardize?: boolean;
  /** CLARA sample size; default `n` (binary benchmarks in the reference). ARC/HellaSwag used 750. */
  sampleSize?: number;
  /** CLARA sub-runs; default 1 (10 with a 750 sample in the reference). */
  subRuns?: number;
  /** PAM swap cap; default 9000 (binary benchmarks in the reference). */
  maxIter?: number;
  /** CLARA result choice; default `"last"` (reference behaviour, ALGORITHMS §2.4d). */
  claraSelect?: "last" | "fullInertia";
  /** K-Medoids algorithm inside CLARA; default `"pam"` (the reference). */
  algorithm?: "pam" | "fasterpam";
}

/** A target's Native coreset and the cluster of every example. */
export interface NSet {
  /** Medoid list `L_t`: the G-set ascending, then the `k` extra slots (ALGORITHMS §3 step 5). */
  medoids: Int32Array;
  /** For every example, the slot in `medoids` of its cluster (ALGORITHMS §2.5). */
  labels: Int32Array;
  /** Cluster sizes per slot. */
  sizes: Int32Array;
}

/**
 * The N-set of one target (ALGORITHMS §3 steps 5–6): K-Medoids over examples embedded by the
 * target's native sources, with the G-set held fixed and `k` extra medoids from a random start,
 * then assignment of every example to its nearest medoid (K × n distances only).
 *
 * @param sources all source models
 * @param natives row indices (in `sources`) of the target's native sources
 * @param gset the G-set, example indices (any order; used ascending)
 * @param k extra medoids, `N − g`
 * @param rng the stream for this target (e.g. `trial.child("nset", t)`)
 */
export function buildNSet(
  sources: CorrectnessMatrix,
  natives: ArrayLike<number>,
  gset: ArrayLike<number>,
  k: number,
  rng: RandomStream,
  options: NSetOptions = {},
): NSet {
  const n = sources.cols;
  if (natives.length === 0) throw new TbError("E_USAGE", "buildNSet: the native source set is empty");
  if (!(Number.isInteger(k) && k >= 1 && gset.length + k <= n)) {
    throw new TbError("E_USAGE", `buildNSet: need 1 ≤ k and g + k ≤ n, got k = ${k}, g = ${gset.length}, n = ${n}`);
  }
  const fixed = Int32Array.from(gset).sort();
  const emb = exampleEmbedding(sources, natives, { standardize: options.standardize !== false });
  const source = distanceSource(emb, options.metric ?? "manhattan");
  const claraOpts: Parameters<typeof clara>[1] = {
    k,
    fixed,
    sampleSize: options.sampleSize ?? n,
    subRuns: options.subRuns ?? 1,
    maxIter: options.maxIter ?? 9000,
    rng,
    select: options.claraSelect ?? "last",
  };
  if (options.algorithm !== undefined) claraOpts.algorithm = options.algorithm;
  const { medoids } = clara(source, claraOpts);
  const { labels, sizes } = assign(source, medoids);
  return { medoids, labels, sizes };
}
