import { RandomStream, range, TbError } from "@tb/core";

/** Row indices of the source and target models of one trial. */
export interface Split {
  source: Int32Array;
  target: Int32Array;
}

/**
 * How sources and targets are chosen:
 * - `"meta"`: the fixed split stored with the data (the TailoredBench paper's GSM8K split);
 * - `"random"`: a seeded random share of the models are targets in each trial (default share 0.5);
 * - `"interpolation"`: the same with a default share of 0.25 (BenchPred's interpolation setting);
 * - `"extrapolation"`: one fixed split by accuracy — the weakest half of the models are sources, the
 *   strongest 30 % targets (BenchPred's extrapolation setting: a new model is better than all the
 *   models a leaderboard already holds).
 */
export type SplitKind = "meta" | "random" | "interpolation" | "extrapolation";

/** Every split kind, for option parsing. */
export const SPLIT_KINDS: readonly SplitKind[] = ["meta", "random", "interpolation", "extrapolation"];

/** Default share of the models that are targets, per split kind (meta: not used). */
export function defaultTargetFraction(kind: SplitKind): number {
  if (kind === "interpolation") return 0.25;
  if (kind === "extrapolation") return 0.3;
  return 0.5;
}

/** Default share of the models that are sources in the extrapolation split. */
export const DEFAULT_EXTRAPOLATION_SOURCE_FRACTION = 0.5;

/**
 * A seeded random split: `round(models · targetFraction)` targets drawn uniformly without
 * replacement, the rest sources; both lists ascending. The stream is keyed by
 * `(seed, "split", trial)` so that every method sees the same split in a trial.
 */
export function randomSplit(models: number, targetFraction: number, seed: number, trial: number): Split {
  if (!(targetFraction > 0 && targetFraction < 1)) {
    throw new TbError("E_USAGE", `target fraction must be in (0, 1), got ${targetFraction}`);
  }
  const T = Math.round(models * targetFraction);
  if (T < 1 || models - T < 2) {
    throw new TbError(
      "E_USAGE",
      `a split of ${models} models with target fraction ${targetFraction} leaves too few models`,
    );
  }
  const target = RandomStream.derive(seed, "split", trial).sample(range(models), T).sort();
  const isT = new Uint8Array(models);
  for (const t of target) isT[t] = 1;
  const source = Int32Array.from(range(models).filter((i) => isT[i] === 0));
  return { source, target };
}

/**
 * The extrapolation split: models ranked by accuracy (ascending; equal accuracies keep row order),
 * sources = the first `⌊models · sourceFraction⌋`, targets = the last `⌊models · targetFraction⌋`
 * (whole numbers by truncation, as `int()` in the reference protocol). The same split in every trial.
 * Both lists ascending by row index.
 *
 * @param accuracy true score of every model (row order)
 */
export function extrapolationSplit(
  accuracy: ArrayLike<number>,
  sourceFraction = DEFAULT_EXTRAPOLATION_SOURCE_FRACTION,
  targetFraction = 0.3,
): Split {
  const models = accuracy.length;
  if (!(sourceFraction > 0 && sourceFraction < 1)) {
    throw new TbError("E_USAGE", `source fraction must be in (0, 1), got ${sourceFraction}`);
  }
  if (!(targetFraction > 0 && targetFraction < 1)) {
    throw new TbError("E_USAGE", `target fraction must be in (0, 1), got ${targetFraction}`);
  }
  if (sourceFraction + targetFraction > 1 + 1e-12) {
    throw new TbError(
      "E_USAGE",
      `source fraction ${sourceFraction} + target fraction ${targetFraction} exceed 1: sources and targets would overlap`,
    );
  }
  const S = Math.floor(models * sourceFraction + 1e-9);
  const T = Math.floor(models * targetFraction + 1e-9);
  if (S < 2 || T < 1) {
    throw new TbError(
      "E_USAGE",
      `an extrapolation split of ${models} models (source fraction ${sourceFraction}, target fraction ${targetFraction}) leaves ${S} sources and ${T} targets; need ≥ 2 and ≥ 1`,
    );
  }
  const order = Array.from({ length: models }, (_, i) => i);
  order.sort((a, b) => (accuracy[a] as number) - (accuracy[b] as number) || a - b);
  return {
    source: Int32Array.from(order.slice(0, S)).sort(),
    target: Int32Array.from(order.slice(models - T)).sort(),
  };
}
