import {
  aipw,
  anchorPoints,
  anchorPredictor,
  doubleOptimize,
  gpIrt,
  lasso,
  pcaImpute,
  randomBaseline,
  randomLearn,
  randomSearchLearn,
} from "@tb/baselines";
import { checkOptionKeys, type EvaluationMethod, optionNames, TbError } from "@tb/core";
import type { DistanceMetric } from "@tb/embedding";
import {
  type ClipMode,
  type EstimatorKind,
  EVALUATION_DEFAULTS,
  type TailoredOptions,
  type TailoredPlusOptions,
  tailoredBench,
  tailoredPlus,
} from "@tb/estimate";
import {
  DEFAULT_CACHE_BYTES,
  DEFAULT_RANGE_QUANTILE,
  DEFAULT_RESIDUAL_ALPHA,
  unreadPlusOptions,
  unreadWithNativeCount,
} from "@tb/estimate/internals";
import { isPairedMethod, pairedConfigFields } from "./paired.js";

/**
 * JSON-serialisable options for every registered method (they travel to worker threads).
 * Each method reads the fields that concern it.
 */
export interface MethodConfig {
  /** TailoredBench G-set size; default 10. */
  gset?: number;
  /** TailoredBench distance; default manhattan. */
  distance?: DistanceMetric;
  estimator?: EstimatorKind;
  clip?: ClipMode;
  thresholdCompare?: "le" | "lt";
  /** TailoredBench: throw when no source is within d̄ (n̄ = 0) instead of falling back. */
  strictNatives?: boolean;
  targetPooling?: "joint" | "single";
  standardize?: boolean;
  /** Fixed native-set size instead of n̄ (top-k sweep). */
  nativeCount?: number;
  /** Skip this many nearest sources before taking `nativeCount` (percentile bands). */
  nativeOffset?: number;
  claraSelect?: "last" | "fullInertia";
  /** N-set clustering algorithm; default pam. */
  nsetAlgorithm?: "pam" | "fasterpam";
  /** N-set CLARA sample size and sub-runs (default: all examples, 1). */
  nsetSampleSize?: number;
  nsetSubRuns?: number;
  /** TailoredBench: MiB of native-set distances kept per thread between trials; default 48 (`DEFAULT_CACHE_BYTES`). */
  cacheMiB?: number;
  /** Random baseline mode; default shared. */
  randomMode?: "shared" | "perTarget";
  /** Anchor Points K-Medoids algorithm; default fasterpam. */
  anchorAlgorithm?: "fasterpam" | "pam";
  /** gp-IRT: anchor space (default irt), fixed IRT dimension (default: chosen by validation), fit method. */
  irtAnchorSpace?: "irt" | "correctness" | "random";
  irtDim?: number;
  irtFit?: "map" | "vi";
  /** gp-IRT: end each IRT fit early when its loss stalls (`earlyStop: true`); default false. */
  irtEarlyStop?: boolean;
  /** gp-IRT estimator; default gp-irt. */
  irtEstimator?: "gp-irt" | "p-irt" | "naive";
  /**
   * Interval level: tailored-plus's (default 0.9); given, TailoredBench returns intervals too.
   * tailored-plus also takes its range quantile (default 0.75) and a forced mode.
   */
  level?: number;
  rangeQuantile?: number;
  /** tailored-plus: share of the budget after the G-set spent on its second look (default 0.3; 0 = off). */
  secondLook?: number;
  plusMode?: "auto" | "within" | "beyond";
  /** tailored-plus: coordinated draws after a second look (permanent random numbers); default true. */
  coordinated?: boolean;
  /** tailored-plus: ridge penalty of the beyond mode's residual model (default 10). */
  residualAlpha?: number;
  /** random-search-learn: number of random subsets searched; default 10,000. */
  search?: number;
}

/** Every field of {@link MethodConfig} (the compiler checks the list is complete). */
const CONFIG_FIELDS = optionNames<MethodConfig>()(
  "gset",
  "distance",
  "estimator",
  "clip",
  "thresholdCompare",
  "strictNatives",
  "targetPooling",
  "standardize",
  "nativeCount",
  "nativeOffset",
  "claraSelect",
  "nsetAlgorithm",
  "nsetSampleSize",
  "nsetSubRuns",
  "cacheMiB",
  "randomMode",
  "anchorAlgorithm",
  "irtAnchorSpace",
  "irtDim",
  "irtFit",
  "irtEarlyStop",
  "irtEstimator",
  "level",
  "rangeQuantile",
  "secondLook",
  "plusMode",
  "coordinated",
  "residualAlpha",
  "search",
);

/**
 * Refuse a `config` field that no built-in method reads (a typo would otherwise be ignored), as
 * `E_USAGE` `<where>: unknown option "<field>" (known: …)`; `where` is the caller's name for the
 * config (`config` for `reproduce`, the function's name for `createMethod` and `methodOptions`).
 * Skipped when a method comes from a user's module, which may read fields of its own.
 */
export function checkConfigFields(config: object, builtInOnly: boolean, where = "config"): void {
  if (!builtInOnly) return;
  checkOptionKeys(config, CONFIG_FIELDS, where);
}

type Factory = (config: MethodConfig) => EvaluationMethod;

/** Precision on demand (docs/DESIGN.md §3.3): the half-width to reach and the most examples a target may be asked. */
export interface StoppingOptions {
  precision: number;
  maxBudget: number;
}

const STOPPING_FIELDS = optionNames<StoppingOptions>()("precision", "maxBudget");

/** The methods that can stop at a precision (`reproduce --precision`): tailored-plus and sequential random sampling. */
export const STOPPING_METHODS: readonly string[] = ["tailored-plus", "random"];

function plusFromConfig(c: MethodConfig, stop?: StoppingOptions): EvaluationMethod {
  const o: TailoredPlusOptions = {};
  if (stop !== undefined) {
    o.precision = stop.precision;
    o.maxBudget = stop.maxBudget;
  }
  if (c.gset !== undefined) o.gset = c.gset;
  if (c.distance !== undefined) o.metric = c.distance;
  if (c.standardize !== undefined) o.standardize = c.standardize;
  if (c.thresholdCompare !== undefined) o.thresholdCompare = c.thresholdCompare;
  if (c.strictNatives) o.onNoNatives = "error";
  if (c.cacheMiB !== undefined) o.cacheBytes = c.cacheMiB * 1024 * 1024;
  if (c.level !== undefined) o.level = c.level;
  if (c.rangeQuantile !== undefined) o.rangeQuantile = c.rangeQuantile;
  if (c.secondLook !== undefined) o.secondLook = c.secondLook;
  if (c.plusMode !== undefined) o.mode = c.plusMode;
  if (c.coordinated !== undefined) o.coordinated = c.coordinated;
  if (c.residualAlpha !== undefined) o.residualAlpha = c.residualAlpha;
  // said in the config's own field names (the CLI turns the first into its flag)
  const unread = unreadPlusOptions(o)[0];
  if (unread !== undefined) {
    const when =
      o.mode !== undefined && o.mode !== "auto"
        ? `when the mode is forced to "${o.mode}"`
        : "without a second look or precision";
    throw new TbError("E_USAGE", `config: ${unread.option} is never read ${when} (${unread.why}): leave it out`);
  }
  return tailoredPlus(o);
}

function tailoredFromConfig(c: MethodConfig): EvaluationMethod {
  // what tailoredBench refuses as unread, said first in the config's field names (the CLI's flags)
  if (c.estimator === "medoid" && c.clip !== undefined) {
    throw new TbError(
      "E_USAGE",
      'config: clip applies to the calibrated estimator; estimator "medoid" never reads it: leave it out',
    );
  }
  const o: TailoredOptions = {};
  if (c.gset !== undefined) o.gset = c.gset;
  if (c.distance !== undefined) o.metric = c.distance;
  if (c.estimator !== undefined) o.estimator = c.estimator;
  if (c.clip !== undefined) o.clip = c.clip;
  if (c.thresholdCompare !== undefined) o.thresholdCompare = c.thresholdCompare;
  if (c.strictNatives) o.onNoNatives = "error";
  if (c.targetPooling !== undefined) o.targetPooling = c.targetPooling;
  if (c.standardize !== undefined) o.standardize = c.standardize;
  if (c.nativeCount !== undefined) o.nativeCount = c.nativeCount;
  if (c.nativeOffset !== undefined) o.nativeOffset = c.nativeOffset;
  if (c.cacheMiB !== undefined) o.cacheBytes = c.cacheMiB * 1024 * 1024;
  if (c.level !== undefined) o.level = c.level;
  const ns: NonNullable<TailoredOptions["nsetClustering"]> = {};
  if (c.claraSelect !== undefined) {
    ns.claraSelect = c.claraSelect;
    o.gsetClustering = { claraSelect: c.claraSelect };
  }
  if (c.nsetAlgorithm !== undefined) ns.algorithm = c.nsetAlgorithm;
  if (c.nsetSampleSize !== undefined) ns.sampleSize = c.nsetSampleSize;
  if (c.nsetSubRuns !== undefined) ns.subRuns = c.nsetSubRuns;
  o.nsetClustering = ns;
  // the library's rule, said in the config's field names (strictNatives sets onNoNatives)
  const unread = unreadWithNativeCount(o)[0];
  if (unread !== undefined) {
    const k = unread === "onNoNatives" ? "strictNatives" : unread;
    throw new TbError("E_USAGE", `config: ${k} applies to the native count n̄ that nativeCount sets: leave it out`);
  }
  return tailoredBench(o);
}

const REGISTRY = new Map<string, Factory>([
  ["tailored", tailoredFromConfig],
  ["tailored-plus", plusFromConfig],
  ["random", (c) => randomBaseline(c.randomMode !== undefined ? { mode: c.randomMode } : {})],
  ["anchor-points", (c) => anchorPoints(c.anchorAlgorithm !== undefined ? { algorithm: c.anchorAlgorithm } : {})],
  [
    "gp-irt",
    (c) => {
      const o: Parameters<typeof gpIrt>[0] = {};
      if (c.irtAnchorSpace !== undefined) o.anchorSpace = c.irtAnchorSpace;
      if (c.irtDim !== undefined) o.dims = [c.irtDim];
      if (c.irtFit !== undefined) o.fitMethod = c.irtFit;
      if (c.irtEarlyStop !== undefined) o.earlyStop = c.irtEarlyStop;
      if (c.irtEstimator !== undefined) o.estimator = c.irtEstimator;
      return gpIrt(o);
    },
  ],
  ["random-learn", () => randomLearn()],
  ["random-search-learn", (c) => randomSearchLearn(c.search !== undefined ? { search: c.search } : {})],
  ["aipw", () => aipw()],
  ["lasso", () => lasso()],
  ["pca", () => pcaImpute()],
  ["double-optimize", () => doubleOptimize()],
  ["anchor-predictor", () => anchorPredictor()],
]);

/** The methods every thread knows (worker threads import this module afresh and see only these). */
const BUILT_IN: ReadonlySet<string> = new Set(REGISTRY.keys());

/** True for the methods of this package; false for names added by {@link registerMethod}. */
export function isBuiltInMethod(name: string): boolean {
  return BUILT_IN.has(name);
}

/** Names of the registered methods, in registration order. */
export function methodNames(): string[] {
  return [...REGISTRY.keys()];
}

/**
 * Register (or replace) a method factory under `name`, e.g. a user's own pipeline, for this
 * thread: `reproduce` with `workers > 1` refuses it (each worker imports the registry afresh).
 * To run your method on workers, give `reproduce` a `MethodModule` (`{ module, export }`) instead.
 * The name of a built-in or paired method is refused (`E_USAGE`): replaced here only, it would
 * run on one thread while the workers, and the documented defaults, kept the built-in.
 */
export function registerMethod(name: string, factory: Factory): void {
  if (typeof name !== "string" || name === "") {
    throw new TbError("E_USAGE", `registerMethod: name must be a non-empty string, got ${String(name)}`);
  }
  if (BUILT_IN.has(name) || isPairedMethod(name)) {
    throw new TbError(
      "E_USAGE",
      `registerMethod: "${name}" is a method of this package; register yours under another name`,
    );
  }
  if (typeof factory !== "function") {
    throw new TbError(
      "E_USAGE",
      `registerMethod: factory must be a function (config) => method, got ${typeof factory}`,
    );
  }
  REGISTRY.set(name, factory);
}

/**
 * `config` behind a proxy that records the fields read through it: the built-in factories read
 * every field they use when they are made, so after making methods from `watched`, a field set
 * and not in `read` is one none of them uses. Internal (createMethod, reproduce).
 */
export function watchReads(config: MethodConfig): { watched: MethodConfig; read: Set<string> } {
  const read = new Set<string>();
  const watched = new Proxy(config, {
    get(target, key, receiver) {
      if (typeof key === "string") read.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  return { watched, read };
}

/**
 * Instantiate a registered method. Throws `E_USAGE` naming the known methods. `stop`: precision on
 * demand, for the methods of {@link STOPPING_METHODS} only (another method is refused, by name);
 * random then samples sequentially with intervals at `config.level` (default 0.9). A `config`
 * field no built-in method reads, or a `stop` field other than `precision` and `maxBudget`, is
 * refused (`createMethod: unknown option "<name>"`), and so is a field of another built-in method
 * that this one does not read (`createMethod: "random" does not read config.gset`); a method added
 * with {@link registerMethod} gets every `config` field, as it may read fields of its own.
 */
export function createMethod(name: string, config: MethodConfig = {}, stop?: StoppingOptions): EvaluationMethod {
  checkConfigFields(config, isBuiltInMethod(name), "createMethod");
  checkOptionKeys(stop, STOPPING_FIELDS, "createMethod");
  if (!isBuiltInMethod(name)) return makeMethod(name, config, stop);
  // a built-in factory reads every field it uses when it is made: a field set that this one did
  // not read is another method's, and would be ignored here
  const { watched, read } = watchReads(config);
  const method = makeMethod(name, watched, stop);
  const unread = Object.keys(config).filter(
    (k) => (config as Record<string, unknown>)[k] !== undefined && !read.has(k),
  );
  if (unread.length > 0) {
    throw new TbError(
      "E_USAGE",
      `createMethod: "${name}" does not read ${unread.map((k) => `config.${k}`).join(", ")} (another method's option: it would be ignored)`,
    );
  }
  return method;
}

/**
 * {@link createMethod} without its check of the option names, for the protocol: a run that mixes
 * built-in methods with a user's module passes every `config` field to all of them (reproduce
 * checks the names once, for the whole run).
 */
export function makeMethod(name: string, config: MethodConfig, stop?: StoppingOptions): EvaluationMethod {
  const f = REGISTRY.get(name);
  if (!f) throw new TbError("E_USAGE", `methods: unknown method "${name}" (known: ${methodNames().join(", ")})`);
  if (stop === undefined) return f(config);
  if (!(isBuiltInMethod(name) && STOPPING_METHODS.includes(name))) {
    throw new TbError(
      "E_USAGE",
      `methods: "${name}" cannot stop at a precision (the methods that can: ${STOPPING_METHODS.join(", ")})`,
    );
  }
  if (name === "tailored-plus") return plusFromConfig(config, stop);
  return randomBaseline({
    ...(config.randomMode !== undefined ? { mode: config.randomMode } : {}),
    precision: stop.precision,
    maxBudget: stop.maxBudget,
    level: config.level ?? 0.9,
  });
}

/**
 * The fields of `config` that none of `methods` reads, whatever their value — a documented default
 * included, which `reproduce` lets through because a page may send every field. For a command line
 * or a form that sets a field only when its user did, so that it can say the field would be
 * ignored. A field is read by a built-in method when making the method from that field alone reads
 * it (a value the method refuses counts as read: the refusal is the method's to say); a paired
 * design reads its own fields; a method that is not built in may read any field. `stop`: precision
 * on demand, for the methods that can stop.
 */
export function unreadConfigFields(methods: readonly string[], config: MethodConfig, stop?: StoppingOptions): string[] {
  const reads = (m: string, k: string, v: unknown): boolean => {
    if (isPairedMethod(m)) return pairedConfigFields(m).includes(k);
    if (!isBuiltInMethod(m)) return true;
    const { watched, read } = watchReads({ [k]: v } as MethodConfig);
    try {
      makeMethod(m, watched, stop !== undefined && STOPPING_METHODS.includes(m) ? stop : undefined);
    } catch {
      return true;
    }
    return read.has(k);
  };
  return Object.entries(config)
    .filter(([k, v]) => v !== undefined && !methods.some((m) => reads(m, k, v)))
    .map(([k]) => k);
}

/** A method option's value as a report shows it. */
export type OptionValue = string | number | boolean;

const TAILORED_SHARED: Readonly<Record<string, OptionValue>> = {
  gset: EVALUATION_DEFAULTS.gset,
  distance: "manhattan",
  standardize: true,
  thresholdCompare: "le",
  strictNatives: false,
  cacheMiB: DEFAULT_CACHE_BYTES / (1024 * 1024),
};

const freezeAll = (o: Record<string, Record<string, OptionValue>>) =>
  Object.freeze(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Object.freeze(v)])));

/**
 * The documented default of every {@link MethodConfig} field each built-in method reads, in
 * `MethodConfig` terms (a test checks that passing these gives the same numbers as passing
 * nothing). `level` is method-qualified because its default differs: TailoredBench gives no
 * interval unless asked, tailored-plus a 90 % one. Options whose default is a rule rather than a
 * value (gp-IRT's dimension, TailoredBench's native count and N-set sampling) are absent here;
 * {@link methodOptions} names the rule ({@link DEFAULT_RULES}).
 */
export const METHOD_DEFAULTS: Readonly<Record<string, Readonly<Record<string, OptionValue>>>> = freezeAll({
  tailored: {
    ...TAILORED_SHARED,
    targetPooling: "joint",
    estimator: "calibrated",
    clip: "upper",
    nsetAlgorithm: "pam",
    claraSelect: "last",
  },
  "tailored-plus": {
    ...TAILORED_SHARED,
    level: EVALUATION_DEFAULTS.level,
    rangeQuantile: DEFAULT_RANGE_QUANTILE,
    secondLook: EVALUATION_DEFAULTS.secondLook,
    plusMode: "auto",
    coordinated: true,
    residualAlpha: DEFAULT_RESIDUAL_ALPHA,
  },
  random: { randomMode: "shared" },
  "anchor-points": { anchorAlgorithm: "fasterpam" },
  "gp-irt": { irtAnchorSpace: "irt", irtFit: "map", irtEstimator: "gp-irt", irtEarlyStop: false },
  "random-search-learn": { search: 10_000 },
});

/** The options whose default is a rule, not a value, by method: what {@link methodOptions} prints unless set. */
export const DEFAULT_RULES: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.freeze({
  tailored: Object.freeze({
    level: "none (no interval)",
    nativeCount: "n̄ (the sources within the mean distance d̄)",
    nativeOffset: "0 (with nativeCount)",
    nsetSampleSize: "all examples up to 3000, 750 above",
    nsetSubRuns: "1 (10 when sampled)",
  }),
  "gp-irt": Object.freeze({ irtDim: "chosen by validation" }),
});

const PER_METHOD_FIELDS = new Set(["level"]);

/**
 * Every option the chosen built-in methods read, with its value: `config`'s where it sets one,
 * else the method's documented default ({@link METHOD_DEFAULTS}) or the rule that sets it
 * ({@link DEFAULT_RULES}) — the "method options" of a report's provenance. `level` appears once
 * per TailoredBench-family method as `"level (<method>)"`. Methods without options add nothing; a
 * name not built in is refused with `E_USAGE`, and so is a `config` field no built-in method reads
 * (`methodOptions: unknown option "<name>"`).
 */
export function methodOptions(methods: readonly string[], config: MethodConfig = {}): Record<string, OptionValue> {
  checkConfigFields(config, true, "methodOptions");
  const out: Record<string, OptionValue> = {};
  const given = config as Record<string, unknown>;
  for (const m of methods) {
    if (!isBuiltInMethod(m)) {
      throw new TbError("E_USAGE", `methods: unknown method "${m}" (known: ${methodNames().join(", ")})`);
    }
    const defaults: Record<string, OptionValue> = { ...(METHOD_DEFAULTS[m] ?? {}), ...(DEFAULT_RULES[m] ?? {}) };
    for (const [f, d] of Object.entries(defaults)) {
      const v = given[f];
      out[PER_METHOD_FIELDS.has(f) ? `${f} (${m})` : f] = v !== undefined ? (v as OptionValue) : d;
    }
  }
  return out;
}
