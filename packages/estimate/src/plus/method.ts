import {
  type CorrectnessMatrix,
  type EvaluationMethod,
  type MethodContext,
  type MethodResult,
  type RandomStream,
  TbError,
  workspaceOf,
} from "@tb/core";
import type { DistanceSource } from "@tb/kmedoids";
import { normalQuantile } from "../interval.js";
import { DEFAULT_CACHE_BYTES, keptNsetDistances, trimKept } from "../nset.js";
import {
  checkTailoredOptions,
  nsetOptions,
  probe,
  selectNatives,
  type TailoredOptions,
  type TailorPlan,
  tailorWith,
} from "../tailored.js";
import {
  beyondStandardError,
  defaultStrata,
  designEstimate,
  type Strata,
  type StratifiedDesign,
  sourceMeans,
  stratifiedDesign,
} from "./design.js";
import { conformalHalfWidth, learnedEstimate, ridgeLearn } from "./learned.js";

/** Default of {@link TailoredPlusOptions.rangeQuantile}: the sources' upper quartile. */
export const DEFAULT_RANGE_QUANTILE = 0.75;
/** Default ridge penalties of the learned estimate (Random-Sampling-Learn's grid). */
export const DEFAULT_LEARN_ALPHAS: readonly number[] = Object.freeze([0.1, 1, 10]);
/** Default penalty of the beyond mode's residual ridge (AIPW's). */
export const DEFAULT_RESIDUAL_ALPHA = 10;
/**
 * Default of {@link TailoredPlusOptions.secondLook}: the share of the budget after the G-set that a
 * target in the sources' top quartile spends on more of its tailored coreset before its design is
 * chosen.
 */
export const DEFAULT_SECOND_LOOK = 0.3;

/**
 * Examples a second look asks for with `extra = budget − g` examples after the G-set:
 * `⌈share · extra⌉`, or 0 (no second look) when that leaves no draw for the beyond design.
 */
export function secondLookSize(extra: number, share: number): number {
  const m = Math.ceil(share * extra);
  return m >= 1 && m < extra ? m : 0;
}

/** One target's estimate with its interval (both within [0, 1]). */
export interface PlusEstimate {
  accuracy: number;
  interval: [number, number];
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * The beyond mode's estimate of one target: the design estimate; when it lies within the sources'
 * accuracy range (≤ the best source's accuracy) the sources can describe the target after all,
 * and the estimate is the mean of the design estimate and the learned one on the same examples
 * ({@link ridgeLearn}). The standard error is {@link beyondStandardError}'s.
 */
export function beyondEstimate(
  sources: CorrectnessMatrix,
  acc: Float64Array,
  design: Strata,
  gset: Int32Array,
  observed: Int32Array,
  answers: ArrayLike<number>,
  residualAlpha: number = DEFAULT_RESIDUAL_ALPHA,
  learnAlphas: readonly number[] = DEFAULT_LEARN_ALPHAS,
  poolCount: number = gset.length,
): { accuracy: number; se: number; averaged: boolean } {
  const est = designEstimate(sources, design, gset, observed, answers, residualAlpha, -1, poolCount);
  let best = 0;
  for (const v of acc) best = Math.max(best, v);
  let a = clamp01(est.accuracy);
  const averaged = a <= best;
  if (averaged) a = clamp01((a + ridgeLearn(sources, acc, observed, answers, learnAlphas)) / 2);
  return { accuracy: a, se: beyondStandardError(est.se, answers, sources.cols), averaged };
}

/** {@link beyondEstimate} with its interval `± z·SE` at `level`: the beyond mode, whole. */
export function plusBeyond(
  sources: CorrectnessMatrix,
  acc: Float64Array,
  design: Strata,
  gset: Int32Array,
  observed: Int32Array,
  answers: ArrayLike<number>,
  level: number,
  residualAlpha: number = DEFAULT_RESIDUAL_ALPHA,
  learnAlphas: readonly number[] = DEFAULT_LEARN_ALPHAS,
): PlusEstimate & { averaged: boolean } {
  const b = beyondEstimate(sources, acc, design, gset, observed, answers, residualAlpha, learnAlphas);
  const hw = normalQuantile(0.5 + level / 2) * b.se;
  return { accuracy: b.accuracy, interval: [clamp01(b.accuracy - hw), clamp01(b.accuracy + hw)], averaged: b.averaged };
}

/**
 * {@link learnedEstimate} with its split-conformal interval at `level`: the within mode, whole.
 *
 * - The scale is {@link conformalHalfWidth} of the leave-one-out errors of the sources that are
 *   *not* natives (all sources when there are too few of those for the level): the coreset was
 *   clustered on the natives' answers, so their errors on it understate a new model's (measured in
 *   docs/TAILORED-PLUS.md, "Intervals").
 * - When the target's score on its coreset is at or above the `level`-quantile of the sources'
 *   scores on the same examples (at or below the `(1 − level)`-quantile), the sources' errors do not
 *   describe it — it may be stronger (weaker) than all of them — and the interval reaches 1 (0) on
 *   that side; `outOfRange` says which.
 */
export function plusWithin(
  sources: CorrectnessMatrix,
  acc: Float64Array,
  natives: Int32Array,
  nset: Int32Array,
  labels: Int32Array,
  answers: ArrayLike<number>,
  level: number,
  learnAlphas: readonly number[] = DEFAULT_LEARN_ALPHAS,
): PlusEstimate & { blend: number; outOfRange: OutOfRange } {
  const est = learnedEstimate(sources, acc, natives, nset, labels, answers, learnAlphas);
  const isNative = new Uint8Array(sources.rows);
  for (const s of natives) isNative[s] = 1;
  const outside = Float64Array.from(est.errors.filter((_, s) => isNative[s] === 0));
  let hw = conformalHalfWidth(outside, level);
  if (!Number.isFinite(hw)) hw = conformalHalfWidth(est.errors, level);
  let score = 0;
  for (let i = 0; i < answers.length; i++) score += answers[i] as number;
  score /= answers.length;
  const sorted = gsetScores(sources, nset).sort();
  const outOfRange: OutOfRange =
    score >= quantileSorted(sorted, level) && score > quantileSorted(sorted, 0.5)
      ? "above"
      : score <= quantileSorted(sorted, 1 - level) && score < quantileSorted(sorted, 0.5)
        ? "below"
        : null;
  const lo = outOfRange === "below" ? 0 : clamp01(est.accuracy - hw);
  const hi = outOfRange === "above" ? 1 : clamp01(est.accuracy + hw);
  return { accuracy: est.accuracy, interval: [lo, hi], blend: est.blend, outOfRange };
}

/** What a second look decides ({@link afterSecondLook}). */
export type AfterLook =
  | { mode: "within"; plan: Omit<TailorPlan, "dBar" | "nBar"> }
  | { mode: "beyond"; design: StratifiedDesign; observed: Int32Array };

/**
 * The end of a second look, as `tailoredPlus`, `evaluate()`, `tb tailor --plan` and the web page
 * all take it: the target's score on the examples answered so far (`fixed`: the G-set, then the
 * look's medoids) against the sources' scores on the same examples, by the upper-quartile rule of
 * {@link plusMode}, chooses either the rest of its tailored coreset (`within`: K-Medoids with
 * `fixed` held, stream `rng.child("nset", index)`) or stratified draws around `fixed` (`beyond`:
 * stream `rng.child("look-strata", index)`).
 */
export function afterSecondLook(
  sources: CorrectnessMatrix,
  fixed: Int32Array,
  answers: ArrayLike<number>,
  natives: Int32Array,
  budget: number,
  rng: RandomStream,
  index: number,
  o: {
    rangeQuantile?: number;
    strata?: number;
    tailored?: TailoredOptions;
    distances?: DistanceSource;
    difficulty?: Float64Array;
  } = {},
): AfterLook {
  if (answers.length !== fixed.length) {
    throw new TbError("E_USAGE", `second look: ${answers.length} answers for ${fixed.length} examples`);
  }
  let score = 0;
  for (let i = 0; i < answers.length; i++) score += answers[i] as number;
  const q = o.rangeQuantile ?? DEFAULT_RANGE_QUANTILE;
  if (plusMode(gsetScores(sources, fixed), score / fixed.length, q).mode === "beyond") {
    const rest = budget - fixed.length;
    const design = stratifiedDesign(
      o.difficulty ?? sourceMeans(sources),
      fixed,
      rest,
      rng.child("look-strata", index),
      o.strata ?? defaultStrata(rest),
    );
    return { mode: "beyond", design, observed: Int32Array.from([...fixed, ...design.picks]) };
  }
  const plan = tailorWith(sources, fixed, natives, budget, rng.child("nset", index), o.tailored ?? {}, o.distances);
  return { mode: "within", plan };
}

/** Options of {@link tailoredPlus}. */
export interface TailoredPlusOptions
  extends Pick<
    TailoredOptions,
    | "gset"
    | "metric"
    | "standardize"
    | "thresholdCompare"
    | "onNoNatives"
    | "cacheBytes"
    | "workspace"
    | "gsetClustering"
    | "nsetClustering"
  > {
  /** Nominal coverage of the per-target intervals; default 0.9. */
  level?: number;
  /**
   * A target whose G-set score is at or above this quantile of the sources' G-set scores is
   * treated as beyond the sources ("beyond" mode); default 0.75 (the upper quartile).
   */
  rangeQuantile?: number;
  /** Force one mode for every target (for ablations); default `"auto"`. */
  mode?: "auto" | "within" | "beyond";
  /** Ridge penalties for the learned estimate, chosen by leave-one-out; default [0.1, 1, 10]. */
  learnAlphas?: readonly number[];
  /** Ridge penalty of the beyond mode's residual model; default 10 (AIPW's). */
  residualAlpha?: number;
  /** Strata of the beyond mode; default {@link defaultStrata}`(N − g)`. */
  strata?: number;
  /**
   * Share of the budget after the G-set that a target in the sources' top quartile on the G-set
   * spends on a second look — more medoids of its tailored coreset — before its design is chosen;
   * 0 turns the second look off (the mode then rests on the G-set alone). Default 0.3.
   */
  secondLook?: number;
}

/** How one target was treated. */
export type PlusMode = "within" | "beyond";

/** Where a target's G-set score lies relative to every source's: `null` inside the range. */
export type OutOfRange = "above" | "below" | null;

/** Per-source G-set scores (mean correctness on the G-set). */
export function gsetScores(sources: CorrectnessMatrix, gset: Int32Array): Float64Array {
  const n = sources.cols;
  const d = sources.data;
  return Float64Array.from({ length: sources.rows }, (_, s) => {
    let t = 0;
    for (const j of gset) t += d[s * n + j] as number;
    return t / gset.length;
  });
}

/** Linear-interpolation quantile (NumPy's default) of ascending values. */
function quantileSorted(v: Float64Array, q: number): number {
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(v.length - 1, lo + 1);
  return (v[lo] as number) + (pos - lo) * ((v[hi] as number) - (v[lo] as number));
}

/**
 * The mode of a target from its G-set score: `"beyond"` when at or above the `q`-quantile of the
 * sources' G-set scores, else `"within"`; and whether the score is outside the sources' range.
 */
export function plusMode(
  sourceG: Float64Array,
  targetG: number,
  q: number,
): { mode: PlusMode; outOfRange: OutOfRange } {
  const sorted = Float64Array.from(sourceG).sort();
  const mode: PlusMode = targetG >= quantileSorted(sorted, q) ? "beyond" : "within";
  const outOfRange: OutOfRange =
    targetG > (sorted[sorted.length - 1] as number) ? "above" : targetG < (sorted[0] as number) ? "below" : null;
  return { mode, outOfRange };
}

function checkPlusOptions(o: TailoredPlusOptions): void {
  checkTailoredOptions(o, "tailored-plus");
  const level = o.level ?? 0.9;
  if (!(level > 0 && level < 1))
    throw new TbError("E_USAGE", `tailored-plus: level must be in (0, 1), got ${String(level)}`);
  const q = o.rangeQuantile ?? DEFAULT_RANGE_QUANTILE;
  if (!(q >= 0 && q <= 1)) {
    throw new TbError("E_USAGE", `tailored-plus: rangeQuantile must be in [0, 1], got ${String(q)}`);
  }
  const mode = o.mode ?? "auto";
  if (mode !== "auto" && mode !== "within" && mode !== "beyond") {
    throw new TbError("E_USAGE", `tailored-plus: mode must be "auto", "within" or "beyond", got "${String(mode)}"`);
  }
  for (const a of o.learnAlphas ?? [0.1]) {
    if (!(typeof a === "number" && a > 0 && Number.isFinite(a))) {
      throw new TbError("E_USAGE", `tailored-plus: learnAlphas must be finite numbers > 0, got ${String(a)}`);
    }
  }
  if (o.learnAlphas !== undefined && o.learnAlphas.length === 0) {
    throw new TbError("E_USAGE", "tailored-plus: learnAlphas must not be empty");
  }
  const ra = o.residualAlpha ?? DEFAULT_RESIDUAL_ALPHA;
  if (!(ra > 0 && Number.isFinite(ra))) {
    throw new TbError("E_USAGE", `tailored-plus: residualAlpha must be a finite number > 0, got ${String(ra)}`);
  }
  const sl = o.secondLook ?? DEFAULT_SECOND_LOOK;
  if (!(typeof sl === "number" && sl >= 0 && sl < 1)) {
    throw new TbError("E_USAGE", `tailored-plus: secondLook must be a share in [0, 1), got ${String(sl)}`);
  }
  if (o.strata !== undefined && !(Number.isInteger(o.strata) && o.strata >= 1)) {
    throw new TbError("E_USAGE", `tailored-plus: strata must be an integer ≥ 1, got ${String(o.strata)}`);
  }
}

/**
 * tailored-plus as an {@link EvaluationMethod}: TailoredBench's G-set probe for every target,
 * then per target one of two designs, chosen from its G-set answers alone:
 *
 * - **within** (the target looks like the sources): native sources and an N-set by K-Medoids
 *   with the G-set fixed, as TailoredBench; the estimate blends a ridge model learned over all
 *   sources with the calibrated estimate ({@link learnedEstimate}); the interval is split-conformal
 *   over the sources' leave-one-out errors.
 * - **beyond** (its G-set score is in the sources' top quartile or above): the rest of the budget
 *   is a difficulty-stratified random sample and the estimate is design-based with a ridge
 *   correction ({@link designEstimate}); the interval is `± z·SE`.
 *
 * Each target is asked for exactly `budget` distinct examples, G-set included.
 */
export function tailoredPlus(options: TailoredPlusOptions = {}): EvaluationMethod {
  checkPlusOptions(options);
  const g = options.gset ?? 10;
  const level = options.level ?? 0.9;
  const q = options.rangeQuantile ?? DEFAULT_RANGE_QUANTILE;
  const forced = options.mode ?? "auto";
  const alphas = options.learnAlphas ?? DEFAULT_LEARN_ALPHAS;
  const residualAlpha = options.residualAlpha ?? DEFAULT_RESIDUAL_ALPHA;
  const secondLook = options.secondLook ?? DEFAULT_SECOND_LOOK;
  const common: TailoredOptions = {};
  for (const k of [
    "gset",
    "metric",
    "standardize",
    "thresholdCompare",
    "onNoNatives",
    "gsetClustering",
    "nsetClustering",
  ] as const) {
    if (options[k] !== undefined) (common as Record<string, unknown>)[k] = options[k];
  }
  const cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  if (options.workspace !== undefined) workspaceOf(options.workspace, "tailoredPlus: workspace");
  return {
    name: "tailored-plus",
    run(ctx: MethodContext): MethodResult {
      const { sources, oracles, budget } = ctx;
      const ws = workspaceOf(ctx.workspace ?? options.workspace, "tailoredPlus: context workspace");
      const base: TailoredOptions = { ...common, workspace: ws };
      const n = sources.cols;
      if (!(Number.isInteger(budget) && budget > g && budget <= n)) {
        throw new TbError(
          "E_USAGE",
          `tailored-plus: budget ${budget} must be larger than the G-set size ${g} and at most ${n}`,
        );
      }
      if (options.strata !== undefined && options.strata > budget - g) {
        throw new TbError(
          "E_USAGE",
          `tailored-plus: strata (${options.strata}) must be at most budget − G-set = ${budget - g}`,
        );
      }
      const acc = sources.trueScores();
      const { gset } = probe(sources, ctx.rng.child("gset"), base);
      const gAnswers = oracles.map((o) => o.queryMany(gset));
      const srcG = gsetScores(sources, gset);
      const T = oracles.length;
      const modes: PlusMode[] = [];
      let outside = 0;
      gAnswers.forEach((a) => {
        let t = 0;
        for (let j = 0; j < a.length; j++) t += a[j] as number;
        const m = plusMode(srcG, t / g, q);
        modes.push(forced === "auto" ? m.mode : forced);
        if (m.outOfRange !== null) outside++;
      });
      const estimates = new Float64Array(T);
      const lower = new Float64Array(T);
      const upper = new Float64Array(T);
      const extra = budget - g;
      const look = forced === "auto" ? secondLookSize(extra, secondLook) : 0;
      // a second look for the targets at the top of the sources' range on the G-set
      const looked = modes.flatMap((m, t) => (m === "beyond" && look > 0 ? [t] : []));
      // within (and looked) targets: joint native selection, as TailoredBench
      const tailored = modes.flatMap((m, t) => (m === "within" || look > 0 ? [t] : []));
      let blendSum = 0;
      let withinCount = 0;
      let averaged = 0;
      let fallbacks = 0;
      let lookedBeyond = 0;
      let coresetFlags = 0;
      const beyond = modes.flatMap((m, t) => (m === "beyond" && look === 0 ? [t] : []));
      if (tailored.length > 0) {
        const sel = selectNatives(
          sources,
          gset,
          tailored.map((t) => gAnswers[t] as Float64Array),
          base,
        );
        if (sel.fallback !== "none") fallbacks++;
        const nOpts = nsetOptions(base);
        const difficulty = looked.length > 0 ? sourceMeans(sources) : undefined;
        tailored.forEach((t, i) => {
          const nat = sel.natives[i] as Int32Array;
          const oracle = oracles[t] as (typeof oracles)[number];
          const distances = keptNsetDistances(ws, sources, nat, nOpts, cacheBytes);
          let plan: Omit<TailorPlan, "dBar" | "nBar">;
          if (modes[t] === "beyond") {
            // the second look: `look` more medoids of its tailored coreset decide the design
            const first = tailorWith(sources, gset, nat, g + look, ctx.rng.child("look", t), base, distances);
            const next = afterSecondLook(sources, first.nset, oracle.queryMany(first.nset), nat, budget, ctx.rng, t, {
              rangeQuantile: q,
              ...(options.strata !== undefined ? { strata: options.strata } : {}),
              tailored: base,
              distances,
              difficulty: difficulty as Float64Array,
            });
            if (next.mode === "beyond") {
              lookedBeyond++;
              const b = plusBeyond(
                sources,
                acc,
                next.design,
                first.nset,
                next.observed,
                oracle.queryMany(next.observed),
                level,
                residualAlpha,
                alphas,
              );
              estimates[t] = b.accuracy;
              [lower[t], upper[t]] = b.interval;
              if (b.averaged) averaged++;
              return;
            }
            plan = next.plan;
          } else {
            plan = tailorWith(sources, gset, nat, budget, ctx.rng.child("nset", t), base, distances);
          }
          const answers = oracle.queryMany(plan.nset);
          const est = plusWithin(sources, acc, nat, plan.nset, plan.labels, answers, level, alphas);
          estimates[t] = est.accuracy;
          [lower[t], upper[t]] = est.interval;
          blendSum += est.blend;
          withinCount++;
          if (est.outOfRange !== null) coresetFlags++;
        });
        trimKept(ws, cacheBytes);
      }
      // beyond without a second look: one stratified design per trial, shared by these targets
      if (beyond.length > 0) {
        const design = stratifiedDesign(
          sourceMeans(sources),
          gset,
          extra,
          ctx.rng.child("strata"),
          options.strata ?? defaultStrata(extra),
        );
        const observed = Int32Array.from([...gset, ...design.picks]);
        for (const t of beyond) {
          const answers = (oracles[t] as (typeof oracles)[number]).queryMany(observed);
          const b = plusBeyond(sources, acc, design, gset, observed, answers, level, residualAlpha, alphas);
          estimates[t] = b.accuracy;
          [lower[t], upper[t]] = b.interval;
          if (b.averaged) averaged++;
        }
      }
      return {
        estimates,
        intervals: { lower, upper, level },
        diagnostics: {
          beyondTargets: beyond.length + lookedBeyond,
          // targets given a second look, and how many of those it sent to the beyond design
          secondLooks: looked.length,
          secondLookBeyond: lookedBeyond,
          // beyond-mode targets whose design estimate fell inside the sources' range (averaged)
          beyondAveraged: averaged,
          outOfRangeTargets: outside,
          // within-mode targets at the top (bottom) of the sources' range on their coreset
          coresetOutOfRange: coresetFlags,
          meanBlend: withinCount > 0 ? blendSum / withinCount : -1,
          nativeFallbacks: fallbacks,
          gset: Array.from(gset),
        },
      };
    },
  };
}
