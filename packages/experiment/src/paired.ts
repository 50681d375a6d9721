/**
 * The paired mode of `reproduce` (docs/DESIGN.md §3.3, "Paired cells"): in each trial the targets
 * are shuffled into consecutive pairs; the paired designs (`paired`, `paired-random`) compare each
 * pair on one shared design (`PairedRun`), and any other method is scored on the same pairs from
 * its per-target estimates. Scores: pair order on the pairs, and, with difference intervals, their
 * coverage of the true difference and their width.
 */
import { type CorrectnessMatrix, drive, type Oracle, RandomStream, TbError, type Workspace } from "@tb/core";
import { PairedRun, type PairedRunOptions } from "@tb/estimate/internals";
import { pairOrder } from "@tb/metrics";
import type { MethodConfig } from "./registry.js";

/** The paired designs run in paired mode only: `paired` (G-set + strata) and `paired-random` (one shared uniform sample). */
export const PAIRED_METHODS = ["paired", "paired-random"] as const;

/** Whether `name` is one of the paired designs. */
export function isPairedMethod(name: string): boolean {
  return (PAIRED_METHODS as readonly string[]).includes(name);
}

/**
 * The pairs of a trial: a seeded shuffle of the `targets` target positions (stream `(seed,
 * "pairs", trial)`, the same for every method and budget) cut into consecutive pairs; with an odd
 * count the last position is left out.
 */
export function trialPairs(targets: number, seed: number, trial: number): [number, number][] {
  const order = RandomStream.derive(seed, "pairs", trial).shuffle(Int32Array.from({ length: targets }, (_, i) => i));
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < order.length; k += 2) out.push([order[k] as number, order[k + 1] as number]);
  return out;
}

/** The `config` fields a paired design reads (the rest are refused when only such designs run). */
export function pairedConfigFields(method: string): readonly string[] {
  return method === "paired" ? ["level", "gset", "distance", "standardize"] : ["level"];
}

/** What a paired design gives in a trial: both targets' estimates and each pair's difference interval. */
export interface PairedDesignRun {
  /** Per target (NaN for a target in no pair). */
  estimates: Float64Array;
  /** Per pair: the interval for estimate[a] − estimate[b]. */
  differenceLower: Float64Array;
  differenceUpper: Float64Array;
  level: number;
}

/**
 * Run a paired design on every pair of a trial: pair `p` is a `PairedRun` (stratified for
 * `paired`, `design: "random"` for `paired-random`) through the two targets' budgeted oracles,
 * with the stream `rng.child("pair", p)` (`rng` the task's `(seed, method, budget, trial)`).
 */
export function runPairedDesign(
  method: string,
  sources: CorrectnessMatrix,
  oracles: readonly Oracle[],
  pairs: readonly (readonly [number, number])[],
  budget: number,
  rng: RandomStream,
  config: MethodConfig,
  workspace?: Workspace,
): PairedDesignRun {
  if (!isPairedMethod(method)) throw new TbError("E_INTERNAL", `${method} is not a paired design`);
  const o: PairedRunOptions = { design: method === "paired-random" ? "random" : "stratified" };
  if (config.level !== undefined) o.level = config.level;
  if (method === "paired") {
    if (config.gset !== undefined) o.gset = config.gset;
    if (config.distance !== undefined) o.metric = config.distance;
    if (config.standardize !== undefined) o.standardize = config.standardize;
  }
  const estimates = new Float64Array(oracles.length).fill(Number.NaN);
  const lower = new Float64Array(pairs.length);
  const upper = new Float64Array(pairs.length);
  let level = o.level ?? 0.9;
  pairs.forEach(([a, b], p) => {
    const ctx = { sources, targets: 2, budget, rng: rng.child("pair", p), ...(workspace ? { workspace } : {}) };
    const run = new PairedRun(ctx, o);
    drive(run, [oracles[a] as Oracle, oracles[b] as Oracle]);
    const d = run.difference();
    estimates[a] = d.accuracies[0];
    estimates[b] = d.accuracies[1];
    lower[p] = d.interval[0];
    upper[p] = d.interval[1];
    level = d.level;
  });
  return { estimates, differenceLower: lower, differenceUpper: upper, level };
}

/** The paired scores of one trial. */
export interface PairedScores {
  /** Target positions in the pairs, pair by pair (the targets the trial's other metrics are computed on). */
  members: Int32Array;
  /** Pair order over the pairs whose true difference is ≥ `gap` (NaN when none is). */
  pairOrder: number;
  pairOrderPairs: number;
  /** With difference intervals: the share of pairs whose interval holds the true difference, and the mean width. */
  differenceCoverage?: number;
  differenceWidth?: number;
}

/**
 * Score a trial's estimates on its pairs: pair order (`pairOrder` of @tb/metrics on the pairs,
 * ties half right) and, given each pair's interval for estimate[a] − estimate[b], its coverage of
 * truth[a] − truth[b] and its mean width.
 */
export function scorePairs(
  estimates: ArrayLike<number>,
  truth: ArrayLike<number>,
  pairs: readonly (readonly [number, number])[],
  gap: number,
  differences?: { lower: ArrayLike<number>; upper: ArrayLike<number> },
): PairedScores {
  const members = Int32Array.from(pairs.flat());
  const e = Float64Array.from(members, (t) => estimates[t] as number);
  const tr = Float64Array.from(members, (t) => truth[t] as number);
  const local = pairs.map((_, p) => [2 * p, 2 * p + 1] as const);
  const po = pairOrder(e, tr, gap, local);
  const out: PairedScores = { members, pairOrder: po.share, pairOrderPairs: po.pairs };
  if (differences !== undefined && pairs.length > 0) {
    let inside = 0;
    let width = 0;
    pairs.forEach(([a, b], p) => {
      const d = (truth[a] as number) - (truth[b] as number);
      const lo = differences.lower[p] as number;
      const hi = differences.upper[p] as number;
      if (d >= lo - 1e-12 && d <= hi + 1e-12) inside++;
      width += hi - lo;
    });
    out.differenceCoverage = inside / pairs.length;
    out.differenceWidth = width / pairs.length;
  }
  return out;
}
