import {
  type CorrectnessMatrix,
  checkOptionKeys,
  optionNames,
  RandomStream,
  type Seed,
  TbError,
  type Workspace,
} from "@tb/core";
import type { DistanceMetric } from "@tb/embedding";
import type { DistanceSource } from "@tb/kmedoids";
import {
  DEFAULT_GSET_SIZE,
  type GSetOptions,
  modelDistances,
  type NativeSelection,
  selectGSet,
  selectNativeSources,
  type ThresholdCompare,
} from "@tb/native-selection";
import { checkEstimateOptions, type EstimateOptions, estimateFromClusters, nativeMean } from "./calibrate.js";
import { buildNSet, type NSetOptions } from "./nset.js";

/** All options of TailoredBench (docs/METHOD.md §3). Every default is the reference's. */
export interface TailoredOptions extends EstimateOptions {
  /** G-set size g; default 10. */
  gset?: number;
  /** Distance for every step (G-set, model distances, N-set); default `"manhattan"`. */
  metric?: DistanceMetric;
  /** Standardise embeddings (G-set, model embedding, N-set); default true. */
  standardize?: boolean;
  /** Native threshold test; default `"le"`. */
  thresholdCompare?: ThresholdCompare;
  /**
   * When no source is within d̄ (n̄ = 0, e.g. a target far beyond every source): `"fallback"`
   * (default) relaxes the threshold to the mean target–source distance, then to every source, and
   * reports it (`nativeFallbacks` in the diagnostics); `"error"` throws `E_DEGENERATE` as the
   * reference does.
   */
  onNoNatives?: "fallback" | "error";
  /**
   * `"joint"` (default, the reference): model embedding, d̄ and n̄ from all sources plus all targets
   * of the batch. `"single"`: from the sources plus one target at a time — for users evaluating one
   * model; gives different numbers because z-scores, d̄ and n̄ depend on the batch.
   */
  targetPooling?: "joint" | "single";
  /** G-set K-Medoids settings (defaults: s = n, R = 1, maxIter 5000). */
  gsetClustering?: Omit<GSetOptions, "size" | "metric" | "standardize">;
  /** N-set K-Medoids settings (defaults: s = n, R = 1, maxIter 9000, PAM). */
  nsetClustering?: Omit<NSetOptions, "metric" | "standardize">;
  /**
   * Override the native-set size instead of n̄ (the paper's top-k sweep, Fig. 4). Sources are
   * still ranked by distance to the target.
   */
  nativeCount?: number;
  /**
   * With `nativeCount`: skip this many of the nearest sources first, i.e. take the sources ranked
   * `nativeOffset … nativeOffset + nativeCount − 1` by distance to the target (the paper's
   * consistency-percentile bands, Fig. 3b). Default 0.
   */
  nativeOffset?: number;
  /**
   * Bytes of native-set distances (with the near lists and rows K-Medoids keeps for them) kept
   * in the workspace between calls, for the trials of a protocol; default 48 MiB per workspace
   * (`DEFAULT_CACHE_BYTES`). 0 keeps none beyond one call. Results do not depend on it.
   */
  cacheBytes?: number;
  /**
   * Where the G-set source, the native-set sources (up to `cacheBytes`) and K-Medoids' work are
   * kept between calls (a `Workspace` of `@tb/core`). `tailoredBench().run` uses the context's
   * workspace first (`reproduce` gives one per worker and run), then this one; without either,
   * a fresh one per call, so nothing outlives it. Results do not depend on it.
   */
  workspace?: Workspace;
  /**
   * When given, `tailoredBench().run` also returns per-target intervals at this nominal level:
   * split-conformal over every source's leave-one-out error on the target's own plan
   * (`sourceCalibrationErrors`; the half-width is the `⌈(S+1)·level⌉`-th smallest absolute error).
   * Off by default (the reference has none).
   */
  level?: number;
}

/** Result of the probe phase: the G-set. */
export interface Probe {
  /** G-set example indices, ascending. */
  gset: Int32Array;
}

/** Per-target plan from the tailor phase. */
export interface TailorPlan {
  /** Native sources, as source row indices ascending. */
  natives: Int32Array;
  /** Medoid list: the G-set ascending, then the k extra slots. */
  nset: Int32Array;
  /** The examples still to evaluate: `nset` minus the G-set. */
  toEvaluate: Int32Array;
  /** Cluster slot of each example. */
  labels: Int32Array;
  /** Threshold and native-set size of the batch this target was tailored in. */
  dBar: number;
  nBar: number;
}

/**
 * Phase 1 (docs/METHOD.md §3 step 1): the G-set from the sources alone.
 */
export function probe(sources: CorrectnessMatrix, rng: Seed, options: TailoredOptions = {}): Probe {
  checkPhaseOptions(options, "probe");
  return probeWith(sources, rng, options);
}

/** {@link probe} without its option checks (the protocol's options hold tailored-plus's too). Internal. */
export function probeWith(sources: CorrectnessMatrix, rng: Seed, options: TailoredOptions): Probe {
  const gOpts: GSetOptions = { ...options.gsetClustering };
  gOpts.size = options.gset ?? DEFAULT_GSET_SIZE;
  if (options.metric !== undefined) gOpts.metric = options.metric;
  if (options.standardize !== undefined) gOpts.standardize = options.standardize;
  if (options.workspace !== undefined) gOpts.workspace = options.workspace;
  return { gset: selectGSet(sources, rng, gOpts) };
}

/**
 * Native selection for a batch of targets (docs/METHOD.md §3 steps 2–4) from their answers on the
 * G-set. `gAnswers[t]` holds target t's correctness on `probe.gset`, in that order.
 */
export function selectNatives(
  sources: CorrectnessMatrix,
  gset: ArrayLike<number>,
  gAnswers: readonly ArrayLike<number>[],
  options: TailoredOptions = {},
): NativeSelection {
  checkPhaseOptions(options, "selectNatives");
  return selectNativesWith(sources, gset, gAnswers, options);
}

/** {@link selectNatives} without its option checks (the protocol's options hold tailored-plus's too). Internal. */
export function selectNativesWith(
  sources: CorrectnessMatrix,
  gset: ArrayLike<number>,
  gAnswers: readonly ArrayLike<number>[],
  options: TailoredOptions,
): NativeSelection {
  const S = sources.rows;
  const T = gAnswers.length;
  const g = gset.length;
  const M = S + T;
  const values = new Float64Array(M * g);
  for (let s = 0; s < S; s++) {
    const row = sources.row(s);
    for (let j = 0; j < g; j++) values[s * g + j] = row[gset[j] as number] as number;
  }
  gAnswers.forEach((ans, t) => {
    if (ans.length !== g) throw new TbError("E_USAGE", `target ${t}: ${ans.length} G-set answers, expected ${g}`);
    for (let j = 0; j < g; j++) values[(S + t) * g + j] = ans[j] as number;
  });
  const nOpts: { metric?: DistanceMetric; standardize?: boolean } = {};
  if (options.metric !== undefined) nOpts.metric = options.metric;
  if (options.standardize !== undefined) nOpts.standardize = options.standardize;
  const dist = modelDistances(values, M, g, nOpts);
  const nsOpts: { thresholdCompare?: ThresholdCompare; onNoNatives?: "fallback" | "error" } = {};
  if (options.thresholdCompare !== undefined) nsOpts.thresholdCompare = options.thresholdCompare;
  if (options.onNoNatives !== undefined) nsOpts.onNoNatives = options.onNoNatives;
  const sel = selectNativeSources(dist, S, T, nsOpts);
  if (options.nativeOffset !== undefined && options.nativeCount === undefined) {
    throw new TbError("E_USAGE", "nativeOffset needs nativeCount");
  }
  if (options.nativeCount !== undefined) {
    const c = options.nativeCount;
    const off = options.nativeOffset ?? 0;
    if (!(Number.isInteger(c) && c >= 1 && Number.isInteger(off) && off >= 0 && off + c <= S)) {
      throw new TbError(
        "E_USAGE",
        `nativeCount (${c}) and nativeOffset (${off}) must be integers with 1 ≤ count and offset + count ≤ ${S} sources`,
      );
    }
    sel.natives = sel.natives.map((_, t) => {
      const base = (S + t) * M;
      const order = Array.from({ length: S }, (_, s) => s);
      order.sort((a, b) => (dist[base + a] as number) - (dist[base + b] as number) || a - b);
      return Int32Array.from(order.slice(off, off + c)).sort();
    });
    sel.nBar = c;
  }
  return sel;
}

/**
 * Phase 2 (docs/METHOD.md §3 steps 5–6) for one target whose native sources are known: its N-set
 * of `budget` distinct examples (the G-set plus `budget − g` medoids) and the cluster of every
 * example.
 */
export function tailor(
  sources: CorrectnessMatrix,
  gset: ArrayLike<number>,
  natives: ArrayLike<number>,
  budget: number,
  rng: Seed,
  options: TailoredOptions = {},
): Omit<TailorPlan, "dBar" | "nBar"> {
  checkPhaseOptions(options, "tailor");
  return tailorWith(
    sources,
    indexList(gset, "tailor: gset"),
    indexList(natives, "tailor: natives"),
    budget,
    RandomStream.from(rng, "tailor: rng"),
    options,
    undefined,
  );
}

/** `x` as an Int32Array (itself when it is one), refusing non-integers instead of truncating them. */
function indexList(x: ArrayLike<number>, what: string): Int32Array {
  if (x instanceof Int32Array) return x;
  if (typeof x !== "object" || x === null || typeof x.length !== "number") {
    throw new TbError("E_USAGE", `${what} must be a list of indices, got ${String(x)}`);
  }
  for (let t = 0; t < x.length; t++) {
    const v = x[t];
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new TbError("E_USAGE", `${what}[${t}] is ${String(v)}, not an index`);
    }
  }
  return Int32Array.from(x);
}

/** The N-set options of TailoredBench's options. */
export function nsetOptions(options: TailoredOptions): NSetOptions {
  const nOpts: NSetOptions = { ...options.nsetClustering };
  if (options.metric !== undefined) nOpts.metric = options.metric;
  if (options.standardize !== undefined) nOpts.standardize = options.standardize;
  if (options.workspace !== undefined) nOpts.workspace = options.workspace;
  return nOpts;
}

/** {@link tailor} with an optional shared distance source over the natives (same options). */
export function tailorWith(
  sources: CorrectnessMatrix,
  gset: Int32Array,
  natives: Int32Array,
  budget: number,
  rng: RandomStream,
  options: TailoredOptions,
  distances: DistanceSource | undefined,
): Omit<TailorPlan, "dBar" | "nBar"> {
  const g = gset.length;
  const n = sources.cols;
  if (!(Number.isInteger(budget) && budget > g && budget <= n)) {
    throw new TbError(
      "E_USAGE",
      `budget ${budget} must be larger than the G-set (${g}) and at most the number of examples (${n})`,
    );
  }
  const ns = buildNSet(sources, natives, gset, budget - g, rng, nsetOptions(options), distances);
  return { natives, nset: ns.medoids, toEvaluate: ns.medoids.slice(g), labels: ns.labels };
}

/**
 * Phase 3 (docs/METHOD.md §3 step 7): the accuracy estimate from the target's answers on the N-set
 * (`answers[s]` for medoid slot `s` of `plan.nset`).
 */
export function estimate(
  sources: CorrectnessMatrix,
  plan: Pick<TailorPlan, "natives" | "nset" | "labels">,
  answers: ArrayLike<number>,
  options: EstimateOptions = {},
): { accuracy: number; perExample: Float64Array } {
  checkPhaseOptions(options, "estimate");
  return estimateFromClusters(nativeMean(sources, plan.natives), plan.nset, plan.labels, answers, options);
}

/** Protocol options of both methods (a run's `TailoredRunOptions`; tailored-plus's and TailoredBench's factories). */
export const COMMON_OPTION_KEYS = [
  "gset",
  "metric",
  "standardize",
  "thresholdCompare",
  "onNoNatives",
  "targetPooling",
  "gsetClustering",
  "nsetClustering",
] as const;

/** Protocol options TailoredBench reads and tailored-plus does not (the top-k ablation, the calibrated estimate's forms). */
export const TAILORED_ONLY_OPTION_KEYS = ["nativeCount", "nativeOffset", "clip", "estimator"] as const;

/** Every option of TailoredBench ({@link TailoredOptions}; a name not listed is refused, not ignored). */
export const TAILORED_OPTION_NAMES = optionNames<TailoredOptions>()(
  ...COMMON_OPTION_KEYS,
  ...TAILORED_ONLY_OPTION_KEYS,
  "level",
  "cacheBytes",
  "workspace",
);

/**
 * The checks of the phase functions ({@link probe}, {@link selectNatives}, {@link tailor},
 * {@link estimate}): a name that is not an option of TailoredBench is refused (each phase reads
 * only its part, so that one options object can go to every phase), and the values as
 * {@link checkTailoredOptions} checks them, in the terms of the function called.
 */
function checkPhaseOptions(options: TailoredOptions, fn: string): void {
  checkOptionKeys(options, TAILORED_OPTION_NAMES, fn);
  checkTailoredOptions(options, fn);
}

/**
 * The options `nativeCount` leaves unread — `thresholdCompare` and `onNoNatives` decide the native
 * count n̄, which it sets — in the order checked. Internal: the reproduce config says the same in its
 * own field names.
 */
export function unreadWithNativeCount(o: TailoredOptions): ("thresholdCompare" | "onNoNatives")[] {
  if (o.nativeCount === undefined) return [];
  return (["thresholdCompare", "onNoNatives"] as const).filter((k) => o[k] !== undefined);
}

/**
 * Check the options TailoredBench and tailored-plus share, up front: an unknown metric, clip,
 * estimator or threshold test, or a G-set size that is not a positive integer, is `E_USAGE`
 * naming the option (instead of an error far downstream that blames the data).
 */
export function checkTailoredOptions(options: TailoredOptions, method: string): void {
  const oneOf = (name: string, v: unknown, allowed: readonly string[]) => {
    if (v !== undefined && !allowed.includes(v as string)) {
      throw new TbError(
        "E_USAGE",
        `${method}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(v) ?? String(v)}`,
      );
    }
  };
  oneOf("metric", options.metric, ["manhattan", "euclidean", "cosine", "correlation"]);
  // the estimator's values, and a clip the medoid estimator never reads (estimateInterval's rule too)
  checkEstimateOptions(options, method);
  oneOf("thresholdCompare", options.thresholdCompare, ["le", "lt"]);
  oneOf("onNoNatives", options.onNoNatives, ["fallback", "error"]);
  oneOf("targetPooling", options.targetPooling, ["joint", "single"]);
  const cb = options.cacheBytes;
  if (cb !== undefined && !(typeof cb === "number" && cb >= 0 && !Number.isNaN(cb))) {
    throw new TbError("E_USAGE", `${method}: cacheBytes must be a number of bytes ≥ 0, got ${String(cb)}`);
  }
  if (options.gset !== undefined && !(Number.isInteger(options.gset) && options.gset >= 1)) {
    throw new TbError("E_USAGE", `${method}: gset must be an integer ≥ 1, got ${String(options.gset)}`);
  }
  if (options.standardize !== undefined && typeof options.standardize !== "boolean") {
    throw new TbError("E_USAGE", `${method}: standardize must be true or false, got ${String(options.standardize)}`);
  }
  checkClustering(method, "gsetClustering", options.gsetClustering, GSET_CLUSTERING_KEYS);
  checkClustering(method, "nsetClustering", options.nsetClustering, NSET_CLUSTERING_KEYS);
  const nc = options.nativeCount;
  const off = options.nativeOffset;
  if (nc !== undefined && !(Number.isSafeInteger(nc) && nc >= 1)) {
    throw new TbError("E_USAGE", `${method}: nativeCount must be an integer ≥ 1, got ${String(nc)}`);
  }
  if (off !== undefined && !(Number.isSafeInteger(off) && off >= 0)) {
    throw new TbError("E_USAGE", `${method}: nativeOffset must be an integer ≥ 0, got ${String(off)}`);
  }
  if (off !== undefined && nc === undefined) throw new TbError("E_USAGE", `${method}: nativeOffset needs nativeCount`);
  const unread = unreadWithNativeCount(options);
  if (unread.length > 0) {
    throw new TbError(
      "E_USAGE",
      `${method}: ${unread.join(" and ")} ${unread.length > 1 ? "decide" : "decides"} the native count n̄, which nativeCount sets: leave ${unread.length > 1 ? "them" : "it"} out`,
    );
  }
}

const GSET_CLUSTERING_KEYS = ["maxIter", "sampleSize", "subRuns", "claraThreshold", "claraSelect", "workspace"];
const NSET_CLUSTERING_KEYS = [...GSET_CLUSTERING_KEYS, "algorithm"];

/**
 * The K-Medoids settings of the G-set or the N-set, checked when the method is made (they are
 * first read after the targets answered the G-set, so a typo or a bad value would otherwise be
 * ignored or refused only then, in K-Medoids' terms).
 */
function checkClustering(method: string, name: string, v: unknown, keys: readonly string[]): void {
  if (v === undefined) return;
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new TbError(
      "E_USAGE",
      `${method}: ${name} must be an object of K-Medoids settings, got ${JSON.stringify(v)}`,
    );
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) {
      throw new TbError("E_USAGE", `${method}: ${name}.${k} is not a setting (known: ${keys.join(", ")})`);
    }
  }
  const int = (k: string, min: number) => {
    const x = o[k];
    if (x !== undefined && !(typeof x === "number" && Number.isSafeInteger(x) && x >= min)) {
      throw new TbError("E_USAGE", `${method}: ${name}.${k} must be an integer ≥ ${min}, got ${String(x)}`);
    }
  };
  if (o.sampleSize !== undefined && o.claraThreshold !== undefined) {
    throw new TbError(
      "E_USAGE",
      `${method}: ${name}.claraThreshold chooses the CLARA sample size when sampleSize is not given; with ${name}.sampleSize it is never read: give one of them`,
    );
  }
  int("maxIter", 0);
  int("sampleSize", 1);
  int("subRuns", 1);
  const t = o.claraThreshold;
  if (t !== undefined && !(typeof t === "number" && t >= 0 && !Number.isNaN(t))) {
    throw new TbError(
      "E_USAGE",
      `${method}: ${name}.claraThreshold must be a number ≥ 0 (or Infinity), got ${String(t)}`,
    );
  }
  const one = (k: string, allowed: readonly string[]) => {
    if (o[k] !== undefined && !allowed.includes(o[k] as string)) {
      throw new TbError(
        "E_USAGE",
        `${method}: ${name}.${k} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(o[k])}`,
      );
    }
  };
  one("claraSelect", ["last", "fullInertia"]);
  one("algorithm", ["pam", "fasterpam"]);
}
