import { type CorrectnessMatrix, checkPrecisionOptions, type RandomStream, TbError, wilsonInterval } from "@tb/core";
import type { DistanceSource } from "@tb/kmedoids";
import { normalQuantile } from "../interval.js";
import { checkTailoredOptions, type TailoredOptions, type TailorPlan, tailorWith } from "../tailored.js";
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

/** x clipped to [0, 1]. */
export const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * Boundary-aware ends of an interval (docs/TAILORED-PLUS.md, "Intervals"): an end reaches 0 or 1
 * only when the target's answers make it plausible, never by rule.
 *
 * `lo`/`hi` are the model's ends (`estimate ∓ half-width`, unclamped). On a side where the
 * target is flagged out of the sources' range (`flag`), the end is the wider of the model's end
 * and the Wilson bound at `level` of the target's mean on what it was asked (the sources' errors
 * do not describe it there, its own answers do). An end that still falls outside [0, 1] says
 * nothing and is replaced by that Wilson bound (or the estimate, if the bound lies beyond it).
 * The Wilson lower (upper) bound is 0 (1) only when every answer is 0 (1).
 */
export function plausibleEnds(
  accuracy: number,
  lo: number,
  hi: number,
  answers: ArrayLike<number>,
  level: number,
  flag: OutOfRange = null,
): [number, number] {
  let sum = 0;
  for (let i = 0; i < answers.length; i++) sum += answers[i] as number;
  const [wLo, wHi] = wilsonInterval(Math.min(sum, answers.length), answers.length, level);
  let a = flag === "below" ? Math.min(lo, wLo) : lo;
  let b = flag === "above" ? Math.max(hi, wHi) : hi;
  if (!(a >= 0)) a = Math.max(0, Math.min(wLo, accuracy));
  if (!(b <= 1)) b = Math.min(1, Math.max(wHi, accuracy));
  return [clamp01(a), clamp01(b)];
}

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
  const interval = plausibleEnds(b.accuracy, b.accuracy - hw, b.accuracy + hw, answers, level);
  return { accuracy: b.accuracy, interval, averaged: b.averaged };
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
 *   describe it — it may be stronger (weaker) than all of them — and `outOfRange` says which side.
 *   That end is then the widest of three, none of them a rule: the model's end; the Wilson bound at
 *   `level` of the target's answers on the coreset; and its coreset score plus the one-sided
 *   conformal bound of the sources' `accuracy − coreset score` on the same examples
 *   ({@link coresetGapBound}: the coreset was chosen to separate the sources near the target, not
 *   drawn, so a score on it is off the accuracy by a shift the sources show there). It reaches 1
 *   (0) only when every answer is right (wrong), or the conformal end or the sources' shift
 *   carries it there — or, for want of data, when there are too few sources to bound the shift
 *   at the level (fewer than `level/(1 − level)`: 9 at 90 %). Measured in
 *   docs/RESULTS.md, "Boundary-aware intervals": the Wilson bound alone undercovered (GSM8K
 *   interpolation N = 40: 81.6 % at 90 %); with the shift coverage equals the rule's in 23 of 24 cells.
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
  const coresetScores = gsetScores(sources, nset);
  const outOfRange = scoreOutOfRange(score, Float64Array.from(coresetScores).sort(), level);
  let lo = clamp01(est.accuracy - hw);
  let hi = clamp01(est.accuracy + hw);
  if (outOfRange !== null) {
    const [wLo, wHi] = wilsonInterval(Math.round(score * answers.length), answers.length, level);
    const gap = coresetGapBound(acc, coresetScores, level, outOfRange);
    if (outOfRange === "above") hi = clamp01(Math.max(hi, wHi, score + gap));
    else lo = clamp01(Math.min(lo, wLo, score + gap));
  }
  return { accuracy: est.accuracy, interval: [lo, hi], blend: est.blend, outOfRange };
}

/**
 * The one-sided split-conformal bound of `accuracy − coreset score` over the sources, on the same
 * coreset: the `⌈(S+1)·level⌉`-th smallest gap (`"above"`: an upper bound) or the
 * `⌊(S+1)·(1 − level)⌋`-th smallest (`"below"`: a lower bound); ±1 when S is too small for the
 * level. The coreset is chosen to separate the sources near the target, not drawn, so a model's
 * score on it is off its accuracy by a shift the sources show on the same examples.
 */
export function coresetGapBound(
  acc: Float64Array,
  scores: Float64Array,
  level: number,
  side: "above" | "below",
): number {
  const S = acc.length;
  const gaps = Float64Array.from(acc, (a, s) => a - (scores[s] as number)).sort();
  if (side === "above") {
    const k = Math.ceil((S + 1) * level);
    return k <= S ? (gaps[k - 1] as number) : 1;
  }
  const k = Math.floor((S + 1) * (1 - level));
  return k >= 1 ? (gaps[k - 1] as number) : -1;
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
 * by `priority`, the run's permanent random numbers, when given — coordinated draws — else stream
 * `rng.child("look-strata", index)`).
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
    /** Permanent random numbers shared by the targets of a run: coordinated draws ({@link stratifiedDesign}). */
    priority?: Float64Array;
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
      o.priority,
      "pooled",
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
    | "targetPooling"
    | "cacheBytes"
    | "workspace"
    | "gsetClustering"
    | "nsetClustering"
  > {
  /**
   * Coordinate the random draws of the targets' designs after a second look: one permanent random
   * number per example (stream `prn`) shared by the targets of a run, so that targets draw the
   * same examples wherever their strata allow ({@link stratifiedDesign}). Each target's design
   * is still a stratified simple random sample, so its estimate has the distribution it has with
   * independent draws; the targets' order among themselves holds better (docs/TAILORED-PLUS.md,
   * "Ranks"). Default true; false draws each target's examples from its own stream
   * (`look-strata`/target).
   */
  coordinated?: boolean;
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
   * a target above every source there takes none (docs/TAILORED-PLUS.md, "Ranks"). 0 turns the
   * second look off (the mode then rests on the G-set alone). Default 0.3.
   */
  secondLook?: number;
  /**
   * Precision on demand (docs/DESIGN.md §3.5): the target half-width of the interval at `level`.
   * After the base design (`budget` examples), while the half-width is above it, more rounds of
   * difficulty-stratified random draws, the total doubling each round up to `maxBudget`. Off by
   * default. Needs `maxBudget`.
   */
  precision?: number;
  /** With `precision`: the most distinct examples a target is asked, in all (≥ budget). */
  maxBudget?: number;
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

/**
 * Where a model's score on some examples stands among the sources' scores on the same examples
 * (`sorted`, ascending): `"above"` at or above their `level`-quantile and above their median,
 * `"below"` at or below their `(1 − level)`-quantile and below their median, else `null`.
 */
export function scoreOutOfRange(score: number, sorted: Float64Array, level: number): OutOfRange {
  if (score >= quantileSorted(sorted, level) && score > quantileSorted(sorted, 0.5)) return "above";
  if (score <= quantileSorted(sorted, 1 - level) && score < quantileSorted(sorted, 0.5)) return "below";
  return null;
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

/** Check tailored-plus's options up front; errors name the option and `where` (the function called). */
export function checkPlusOptions(o: TailoredPlusOptions, where = "tailored-plus"): void {
  checkTailoredOptions(o, where);
  const level = o.level ?? 0.9;
  if (!(level > 0 && level < 1))
    throw new TbError("E_USAGE", `${where}: level must be in (0, 1), got ${String(level)}`);
  const q = o.rangeQuantile ?? DEFAULT_RANGE_QUANTILE;
  if (!(q >= 0 && q <= 1)) {
    throw new TbError("E_USAGE", `${where}: rangeQuantile must be in [0, 1], got ${String(q)}`);
  }
  const mode = o.mode ?? "auto";
  if (mode !== "auto" && mode !== "within" && mode !== "beyond") {
    throw new TbError("E_USAGE", `${where}: mode must be "auto", "within" or "beyond", got "${String(mode)}"`);
  }
  for (const a of o.learnAlphas ?? [0.1]) {
    if (!(typeof a === "number" && a > 0 && Number.isFinite(a))) {
      throw new TbError("E_USAGE", `${where}: learnAlphas must be finite numbers > 0, got ${String(a)}`);
    }
  }
  if (o.learnAlphas !== undefined && o.learnAlphas.length === 0) {
    throw new TbError("E_USAGE", `${where}: learnAlphas must not be empty`);
  }
  if (o.coordinated !== undefined && typeof o.coordinated !== "boolean") {
    throw new TbError("E_USAGE", `${where}: coordinated must be true or false, got ${String(o.coordinated)}`);
  }
  const ra = o.residualAlpha ?? DEFAULT_RESIDUAL_ALPHA;
  if (!(ra > 0 && Number.isFinite(ra))) {
    throw new TbError("E_USAGE", `${where}: residualAlpha must be a finite number > 0, got ${String(ra)}`);
  }
  const sl = o.secondLook ?? DEFAULT_SECOND_LOOK;
  if (!(typeof sl === "number" && sl >= 0 && sl < 1)) {
    throw new TbError("E_USAGE", `${where}: secondLook must be a share in [0, 1), got ${String(sl)}`);
  }
  if (o.precision !== undefined || o.maxBudget !== undefined) {
    // the budget and the examples are checked where they are known (the evaluation's start)
    checkPrecisionOptions(o, 1, Number.MAX_SAFE_INTEGER, where);
  }
  if (o.strata !== undefined && !(Number.isInteger(o.strata) && o.strata >= 1)) {
    throw new TbError("E_USAGE", `${where}: strata must be an integer ≥ 1, got ${String(o.strata)}`);
  }
  const unread = unreadPlusOptions(o);
  if (unread.length > 0) {
    const when =
      o.mode !== undefined && o.mode !== "auto" ? `with mode "${o.mode}"` : "with secondLook 0 and no precision";
    throw new TbError(
      "E_USAGE",
      `${where}: ${unread.map((u) => `${u.option} (${u.why})`).join("; ")} — ${when} ${unread.length > 1 ? "they are" : "it is"} never read: leave ${unread.length > 1 ? "them" : "it"} out`,
    );
  }
}

/**
 * The options of tailored-plus that the others make unread (so a run would ignore them): with a
 * forced `mode`, the second look (`secondLook` > 0: only mode "auto" takes one) and `rangeQuantile`
 * (it only chooses the mode); coordinated draws (`coordinated`: they follow a second look, or feed
 * the precision stage) when there is neither — a forced mode or `secondLook: 0`, and no
 * `precision`; in mode "within" the beyond mode's `strata` and, without precision, its
 * `residualAlpha`. Internal: the reproduce config says the same in its own field names.
 */
export function unreadPlusOptions(
  o: TailoredPlusOptions,
): { option: "secondLook" | "rangeQuantile" | "coordinated" | "strata" | "residualAlpha"; why: string }[] {
  const mode = o.mode ?? "auto";
  const out: ReturnType<typeof unreadPlusOptions> = [];
  const forced = mode !== "auto";
  if (forced && o.secondLook !== undefined && o.secondLook !== 0) {
    out.push({ option: "secondLook", why: "a forced mode takes no second look" });
  }
  if (forced && o.rangeQuantile !== undefined) {
    out.push({ option: "rangeQuantile", why: "it chooses each target's mode, and the mode is forced" });
  }
  if (o.coordinated !== undefined && o.precision === undefined && (forced || o.secondLook === 0)) {
    out.push({
      option: "coordinated",
      why: "draws are coordinated after a second look or in the precision stage, and neither happens",
    });
  }
  if (mode === "within") {
    if (o.strata !== undefined) out.push({ option: "strata", why: "the strata of the beyond mode's design" });
    if (o.residualAlpha !== undefined && o.precision === undefined) {
      out.push({
        option: "residualAlpha",
        why: "the beyond mode's residual model, read in mode within only by the precision stage",
      });
    }
  }
  return out;
}
