import { type CorrectnessMatrix, type RandomStream, range, TbError } from "@tb/core";
import { type DistanceMetric, distanceSource, exampleEmbedding } from "@tb/embedding";
import { clara } from "@tb/kmedoids";

/** Options of {@link selectGSet} (ALGORITHMS §3 step 1). */
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
   * CLARA sample size; default `n` (the reference: all points, one sub-run). Set it (with
   * `subRuns`) for very large benchmarks so that no `n × n` matrix is built.
   */
  sampleSize?: number;
  /** CLARA sub-runs; default 1. */
  subRuns?: number;
  /** CLARA result choice; default `"last"` (the reference's behaviour, ALGORITHMS §2.4d). */
  claraSelect?: "last" | "fullInertia";
}

/**
 * The global probe set, G-set (ALGORITHMS §3 step 1): K-Medoids with `K = g` over the examples
 * embedded by the source models' standardised correctness, from a random start. Targets are not
 * used. Returns example indices sorted ascending.
 *
 * @param sources source models × examples
 * @param rng the stream for this purpose (e.g. `trialStream.child("gset")`)
 */
export function selectGSet(sources: CorrectnessMatrix, rng: RandomStream, options: GSetOptions = {}): Int32Array {
  const g = options.size ?? 10;
  const n = sources.cols;
  if (!(Number.isInteger(g) && g >= 1 && g < n)) {
    throw new TbError("E_USAGE", `G-set size must be an integer in [1, ${n - 1}] for ${n} examples, got ${g}`);
  }
  if (sources.rows < 1) throw new TbError("E_USAGE", "the G-set needs at least one source model");
  const emb = exampleEmbedding(sources, range(sources.rows), { standardize: options.standardize !== false });
  const source = distanceSource(emb, options.metric ?? "manhattan");
  const result = clara(source, {
    k: g,
    sampleSize: options.sampleSize ?? n,
    subRuns: options.subRuns ?? 1,
    maxIter: options.maxIter ?? 5000,
    rng,
    select: options.claraSelect ?? "last",
  });
  return Int32Array.from(result.medoids).sort();
}
