import { randomBaseline } from "@tb/baselines";
import { type EvaluationMethod, TbError } from "@tb/core";
import type { DistanceMetric } from "@tb/embedding";
import { type ClipMode, type EstimatorKind, type TailoredOptions, tailoredBench } from "@tb/estimate";

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
  targetPooling?: "joint" | "single";
  standardize?: boolean;
  /** Fixed native-set size instead of n̄ (top-k sweep). */
  nativeCount?: number;
  claraSelect?: "last" | "fullInertia";
  /** N-set clustering algorithm; default pam. */
  nsetAlgorithm?: "pam" | "fasterpam";
  /** N-set CLARA sample size and sub-runs (default: all examples, 1). */
  nsetSampleSize?: number;
  nsetSubRuns?: number;
  /** Random baseline mode; default shared. */
  randomMode?: "shared" | "perTarget";
}

type Factory = (config: MethodConfig) => EvaluationMethod;

function tailoredFromConfig(c: MethodConfig): EvaluationMethod {
  const o: TailoredOptions = {};
  if (c.gset !== undefined) o.gset = c.gset;
  if (c.distance !== undefined) o.metric = c.distance;
  if (c.estimator !== undefined) o.estimator = c.estimator;
  if (c.clip !== undefined) o.clip = c.clip;
  if (c.thresholdCompare !== undefined) o.thresholdCompare = c.thresholdCompare;
  if (c.targetPooling !== undefined) o.targetPooling = c.targetPooling;
  if (c.standardize !== undefined) o.standardize = c.standardize;
  if (c.nativeCount !== undefined) o.nativeCount = c.nativeCount;
  const ns: NonNullable<TailoredOptions["nsetClustering"]> = {};
  if (c.claraSelect !== undefined) {
    ns.claraSelect = c.claraSelect;
    o.gsetClustering = { claraSelect: c.claraSelect };
  }
  if (c.nsetAlgorithm !== undefined) ns.algorithm = c.nsetAlgorithm;
  if (c.nsetSampleSize !== undefined) ns.sampleSize = c.nsetSampleSize;
  if (c.nsetSubRuns !== undefined) ns.subRuns = c.nsetSubRuns;
  o.nsetClustering = ns;
  return tailoredBench(o);
}

const REGISTRY = new Map<string, Factory>([
  ["tailored", tailoredFromConfig],
  ["random", (c) => randomBaseline(c.randomMode !== undefined ? { mode: c.randomMode } : {})],
]);

/** Names of the registered methods, in registration order. */
export function methodNames(): string[] {
  return [...REGISTRY.keys()];
}

/** Register (or replace) a method factory under `name`, e.g. a user's own pipeline. */
export function registerMethod(name: string, factory: Factory): void {
  REGISTRY.set(name, factory);
}

/** Instantiate a registered method. Throws `E_USAGE` naming the known methods. */
export function createMethod(name: string, config: MethodConfig = {}): EvaluationMethod {
  const f = REGISTRY.get(name);
  if (!f) throw new TbError("E_USAGE", `unknown method "${name}" (known: ${methodNames().join(", ")})`);
  return f(config);
}
