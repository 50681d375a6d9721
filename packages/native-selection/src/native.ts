import { checkOptionKeys, optionNames, TbError } from "@tb/core";
import { type DistanceMetric, modelEmbedding, pairwiseDistances } from "@tb/embedding";

/** `"le"`: `Dis ≤ d̄` (the reference, default). `"lt"`: `Dis < d̄` (paper Eq. 5). */
export type ThresholdCompare = "le" | "lt";

/** Options of {@link modelDistances} and {@link selectNativeSources}. */
export interface NativeOptions {
  /** Distance between model rows on the G-set; default `"manhattan"`. */
  metric?: DistanceMetric;
  /** Standardise each G example across models; default true (the reference). */
  standardize?: boolean;
  /** Threshold test; default `"le"`. */
  thresholdCompare?: ThresholdCompare;
  /**
   * What to do when no source is within d̄ for the average target (n̄ = 0), as happens when the
   * targets are far stronger (or weaker) than every source. `"fallback"` (default): count again
   * against the mean target–source distance (the same "mean distance" rule, taken over the pairs
   * that decide nativeness), and if that still leaves n̄ = 0, take every source; the result says so
   * in `fallback`. `"error"`: throw `E_DEGENERATE` (the reference implementation crashes there).
   */
  onNoNatives?: "fallback" | "error";
}

/** {@link modelDistances} reads the distance's options, {@link selectNativeSources} the threshold's. */
const DISTANCE_OPTION_NAMES = optionNames<Pick<NativeOptions, "metric" | "standardize">>()("metric", "standardize");
const SELECTION_OPTION_NAMES = optionNames<Pick<NativeOptions, "thresholdCompare" | "onNoNatives">>()(
  "thresholdCompare",
  "onNoNatives",
);

/**
 * Model distances on the G-set (docs/METHOD.md §3 step 2): rows of `values` are models (all sources
 * first, then the targets being evaluated), columns are the `g` G-set examples. Each column is
 * standardised across models, then distances between model rows are taken.
 *
 * @param values row-major `models × g` correctness on the G-set
 * @returns row-major `models × models` distances
 */
export function modelDistances(
  values: Float64Array,
  models: number,
  g: number,
  options: Pick<NativeOptions, "metric" | "standardize"> = {},
): Float64Array {
  checkOptionKeys(options, DISTANCE_OPTION_NAMES, "modelDistances");
  const emb = modelEmbedding(values, models, g, { standardize: options.standardize !== false });
  return pairwiseDistances(emb, options.metric ?? "manhattan");
}

/**
 * The threshold d̄ (docs/METHOD.md §3 step 3): the mean distance over all unordered pairs `i < j` of
 * models (source–source, source–target and target–target pairs all count).
 */
export function meanPairDistance(dist: Float64Array, models: number): number {
  if (models < 2) throw new TbError("E_USAGE", "the native-source threshold needs at least two models");
  let s = 0;
  for (let i = 0; i < models; i++) {
    const base = i * models;
    for (let j = i + 1; j < models; j++) s += dist[base + j] as number;
  }
  return s / ((models * (models - 1)) / 2);
}

/** Native sources of a batch of targets (docs/METHOD.md §3 steps 3–4). */
export interface NativeSelection {
  /** The threshold d̄. */
  dBar: number;
  /** Per target, the number of sources within the threshold, `n_t`. */
  counts: Int32Array;
  /** n̄ = ⌊mean_t n_t⌋, the native-set size used for every target in the batch. */
  nBar: number;
  /** Per target, its n̄ nearest sources (ties by source index), as source indices sorted ascending. */
  natives: Int32Array[];
  /**
   * `"none"` when n̄ came from d̄; otherwise which fallback gave it (see
   * {@link NativeOptions.onNoNatives}): `"target-source-mean"` or `"all-sources"`.
   */
  fallback: "none" | "target-source-mean" | "all-sources";
  /** The threshold that gave n̄: d̄, the mean target–source distance, or `Infinity` (all sources). */
  threshold: number;
}

/**
 * Threshold, native-set size and native sources (docs/METHOD.md §3 steps 3–4) from a model distance
 * matrix whose first `sources` rows are the sources and the rest the targets.
 * When n̄ = 0 it falls back as {@link NativeOptions.onNoNatives} says (default), or throws
 * `E_DEGENERATE` with `onNoNatives: "error"`. `counts` are those of the threshold finally used.
 */
export function selectNativeSources(
  dist: Float64Array,
  sources: number,
  targets: number,
  options: Pick<NativeOptions, "thresholdCompare" | "onNoNatives"> = {},
): NativeSelection {
  const where = "selectNativeSources";
  checkOptionKeys(options, SELECTION_OPTION_NAMES, where);
  if (!(Number.isInteger(sources) && sources >= 1 && Number.isInteger(targets) && targets >= 1)) {
    throw new TbError(
      "E_USAGE",
      `${where}: sources and targets must be integers ≥ 1, got ${String(sources)} and ${String(targets)}`,
    );
  }
  const models = sources + targets;
  if (dist.length !== models * models) {
    throw new TbError("E_USAGE", `${where}: ${dist.length} distances for ${models} models`);
  }
  const onNone = options.onNoNatives ?? "fallback";
  if (onNone !== "fallback" && onNone !== "error") {
    throw new TbError("E_USAGE", `${where}: onNoNatives must be "fallback" or "error", got "${String(onNone)}"`);
  }
  const tc = options.thresholdCompare;
  if (tc !== undefined && tc !== "le" && tc !== "lt") {
    throw new TbError("E_USAGE", `${where}: thresholdCompare must be "le" or "lt", got ${JSON.stringify(tc)}`);
  }
  // a NaN sorts and compares as no number does: it would make a source native, or none
  for (let i = 0; i < dist.length; i++) {
    const d = dist[i] as number;
    if (!(d >= 0 && d < Number.POSITIVE_INFINITY)) {
      throw new TbError(
        "E_INPUT",
        `${where}: the distance between models ${Math.floor(i / models)} and ${i % models} is ${d}, not a finite number ≥ 0`,
      );
    }
  }
  const dBar = meanPairDistance(dist, models);
  const lt = options.thresholdCompare === "lt";
  const counts = new Int32Array(targets);
  const countWithin = (threshold: number): number => {
    let total = 0;
    for (let t = 0; t < targets; t++) {
      const base = (sources + t) * models;
      let c = 0;
      for (let s = 0; s < sources; s++) {
        const d = dist[base + s] as number;
        if (lt ? d < threshold : d <= threshold) c++;
      }
      counts[t] = c;
      total += c;
    }
    return Math.trunc(total / targets);
  };
  let nBar = countWithin(dBar);
  let threshold = dBar;
  let fallback: NativeSelection["fallback"] = "none";
  if (nBar === 0) {
    if (onNone === "error") {
      throw new TbError(
        "E_DEGENERATE",
        `no source model is within the native threshold d̄ = ${dBar} for the average target (n̄ = 0); ` +
          'try more source models, a larger G-set, thresholdCompare "le", or the default fallback',
      );
    }
    let ts = 0;
    for (let t = 0; t < targets; t++) {
      const base = (sources + t) * models;
      for (let s = 0; s < sources; s++) ts += dist[base + s] as number;
    }
    threshold = ts / (targets * sources);
    nBar = countWithin(threshold);
    fallback = "target-source-mean";
    if (nBar === 0) {
      threshold = Number.POSITIVE_INFINITY;
      nBar = countWithin(threshold);
      fallback = "all-sources";
    }
  }
  const natives: Int32Array[] = [];
  const order = new Int32Array(sources);
  for (let t = 0; t < targets; t++) {
    const base = (sources + t) * models;
    for (let s = 0; s < sources; s++) order[s] = s;
    // stable: ties keep ascending source index
    const sorted = Array.from(order).sort((a, b) => (dist[base + a] as number) - (dist[base + b] as number) || a - b);
    natives.push(Int32Array.from(sorted.slice(0, nBar)).sort());
  }
  return { dBar, counts, nBar, natives, fallback, threshold };
}
