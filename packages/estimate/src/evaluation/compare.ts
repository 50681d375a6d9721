/**
 * The paired comparison of two models A and B (docs/DESIGN.md §3.6): one shared design for both —
 * the G-set, then a difficulty-stratified random sample of the other examples — and an estimate of
 * the difference of their accuracies: the sources' learned one when both models are inside the
 * sources' range on those examples, else the model-assisted design estimate with its design
 * standard error. A resumable evaluation of a group of two targets (`EvaluationRun`), driven like
 * any other.
 */
import {
  type CorrectnessMatrix,
  checkAnswers,
  checkOptionKeys,
  type EvaluationContext,
  type EvaluationRequest,
  type EvaluationRun,
  type MethodResult,
  optionNames,
  type RandomStream,
  range,
  TbError,
  type Workspace,
  workspaceOf,
} from "@tb/core";
import type { DistanceMetric } from "@tb/embedding";
import { ridgePredict } from "@tb/linear";
import { normalQuantile } from "../interval.js";
import {
  type Allocation,
  defaultStrata,
  designEstimate,
  designFromPicks,
  sourceMeans,
  stratifiedDesign,
} from "../plus/design.js";
import { sourceRidge } from "../plus/learned.js";
import {
  clamp01,
  DEFAULT_LEARN_ALPHAS,
  DEFAULT_RESIDUAL_ALPHA,
  gsetScores,
  type OutOfRange,
  scoreOutOfRange,
} from "../plus/method.js";
import { probe } from "../tailored.js";

/** How the shared examples are chosen: `stratified` (G-set + difficulty strata, the default) or a plain shared `random` sample. */
export type PairedDesignKind = "stratified" | "random";

/** Options of a {@link PairedRun}. */
export interface PairedRunOptions {
  /** `stratified` (default): the G-set, then a difficulty-stratified sample; `random`: one uniform sample. */
  design?: PairedDesignKind;
  /** G-set size (stratified design); default 10. */
  gset?: number;
  /** Nominal level of the difference's interval; default 0.9. */
  level?: number;
  /** Number of strata (stratified design); default `defaultStrata(budget − gset)`. */
  strata?: number;
  /** G-set distance and standardisation, as in tailored-plus. */
  metric?: DistanceMetric;
  standardize?: boolean;
  workspace?: Workspace;
}

/**
 * Which estimate gave a paired difference: `learned` (both models inside the sources' range on
 * the shared examples: the sources' ridge of accuracy on their answers) or `design` (the
 * model-assisted stratified estimate; always for the random design).
 */
export type PairedEstimator = "learned" | "design";

/** The estimated difference A − B of a paired comparison. */
export interface PairedDifference {
  /** Estimated accuracy of A minus that of B. */
  difference: number;
  /** Its standard error. */
  se: number;
  /** Interval for the difference at `level`, within [−1, 1]. */
  interval: [number, number];
  level: number;
  /** P(A is better than B): `Φ(difference / se)`, the normal approximation. */
  probabilityABetter: number;
  /** Each model's own estimate from the same examples (their difference is `difference`). */
  accuracies: [number, number];
  /** Examples where A and B answered differently, of those asked. */
  disagreements: number;
  /** Which estimate gave the difference. */
  estimator: PairedEstimator;
  /**
   * Each model's score on the shared examples against the sources' scores on them (stratified
   * design; `null` for the random design): `"above"` at or above their `level`-quantile (and
   * their median), `"below"` mirrored, `null` inside.
   */
  outOfRange: [OutOfRange, OutOfRange] | null;
}

/** What a {@link PairedRun} keeps (for saving and restoring). */
export interface PairedState {
  gset: Int32Array;
  picks: Int32Array;
  strata: number;
  answers: [Float64Array | null, Float64Array | null];
  /**
   * The sources (row indices, ascending) whose leave-one-out errors calibrate the learned
   * difference's interval — the half that took no part in choosing the G-set ({@link
   * calibrationHalf}) — or `null` for the rule before 2026-12-07 (every source, the design's
   * interval as a floor), which comparisons saved then keep.
   */
  calibration: Int32Array | null;
  /**
   * How the stratified draws were shared among the strata ({@link Allocation}): `"pooled"` since
   * 2026-12-07 (around the G-set, which the design estimate pools into the strata), `"proportional"`
   * for the random design and for comparisons saved before, which keep it.
   */
  allocation: Allocation;
}

/**
 * The split of the sources of a stratified paired design (split-conformal proper): a seeded random
 * half (`⌊S/2⌋` rows) chooses the G-set, the other `⌈S/2⌉` calibrate the learned difference's
 * interval. Returns both halves as ascending row indices.
 */
export function calibrationHalf(S: number, rng: RandomStream): { design: Int32Array; calibration: Int32Array } {
  const order = rng.sample(range(S), S);
  const design = Int32Array.from(order.subarray(0, Math.floor(S / 2))).sort();
  const calibration = Int32Array.from(order.subarray(Math.floor(S / 2))).sort();
  return { design, calibration };
}

/**
 * The random draws of a paired design after its G-set (`gset`, empty for the random design):
 * `extra` examples, by stream `rng.child("strata")` in `strata` difficulty strata allocated by
 * `allocation` (stratified) or `rng.child("sample")` uniformly (random), ascending. What a {@link PairedRun} asks after the G-set,
 * and what restoring a saved comparison draws again to check its stream.
 */
export function pairedDraws(
  sources: CorrectnessMatrix,
  design: PairedDesignKind,
  gset: Int32Array,
  extra: number,
  rng: RandomStream,
  strata: number,
  allocation: Allocation = "proportional",
): { picks: Int32Array; strata: number } {
  if (design === "random") return { picks: rng.child("sample").sample(range(sources.cols), extra).sort(), strata: 1 };
  const d = stratifiedDesign(sourceMeans(sources), gset, extra, rng.child("strata"), strata, undefined, allocation);
  return { picks: d.picks, strata: d.strata };
}

/**
 * Standard normal CDF Φ(z) by Abramowitz & Stegun 26.2.17 (absolute error below 7.5e-8, ample
 * for a displayed probability).
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  if (z === 0) return 0.5; // exactly: a difference of 0 favours neither
  const x = Math.abs(z);
  const t = 1 / (1 + 0.2316419 * x);
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return z >= 0 ? 1 - upper : upper;
}

/**
 * The Agresti–Min standard error of a difference of matched proportions (Agresti & Min 2005,
 * *Stat. Med.* 24:729–740: add ½ to each cell of the 2×2 table, so to each discordant count, and 2
 * to n), here of the mean of `d = y_A − y_B` over `m` random draws from `R` examples, with the
 * finite-population correction: `√(((p̃₁₂ + p̃₂₁) − (p̃₁₂ − p̃₂₁)²)/(m + 2) · (1 − m/R))`, `p̃₁₂ =
 * (Σ max(d, 0) + ½)/(m + 2)`, `p̃₂₁ = (Σ max(−d, 0) + ½)/(m + 2)`. Never 0: a sample where A and B
 * agreed everywhere still says the disagreement is uncertain.
 */
export function agrestiMinSe(d: ArrayLike<number>, R: number): number {
  const m = d.length;
  let up = 0;
  let down = 0;
  for (let i = 0; i < m; i++) {
    const v = d[i] as number;
    if (v > 0) up += v;
    else down -= v;
  }
  const p12 = (up + 0.5) / (m + 2);
  const p21 = (down + 0.5) / (m + 2);
  const v = (p12 + p21 - (p12 - p21) ** 2) / (m + 2);
  return Math.sqrt(v * Math.max(0, 1 - m / R));
}

const PAIRED_RUN_OPTION_NAMES = optionNames<PairedRunOptions>()(
  "design",
  "gset",
  "level",
  "strata",
  "metric",
  "standardize",
  "workspace",
);

/**
 * A paired comparison as a resumable evaluation of two targets (A = 0, B = 1) with one request
 * each: the same examples for both (reason `"paired"`). The design does not depend on any answer,
 * so one round is enough. Streams: `calibration` (the half of the sources that chooses the G-set,
 * {@link calibrationHalf}), `gset` and `strata` (stratified) or `sample` (random) under the
 * evaluation's stream.
 */
export class PairedRun implements EvaluationRun {
  readonly method = "paired";
  readonly targets = 2;
  readonly budget: number;
  readonly sources: CorrectnessMatrix;
  readonly design: PairedDesignKind;
  readonly level: number;
  /** Examples asked of both, in order: the G-set, then the draws ascending. */
  readonly examples: Int32Array;
  readonly state: PairedState;

  constructor(ctx: EvaluationContext, options: PairedRunOptions = {}, restored?: PairedState) {
    const where = "paired";
    checkOptionKeys(options, PAIRED_RUN_OPTION_NAMES, where);
    // the random design has no G-set, strata or distances: those options would be unread
    if (options.design === "random") {
      const unread = (["gset", "strata", "metric", "standardize"] as const).filter((k) => options[k] !== undefined);
      if (unread.length > 0) {
        throw new TbError(
          "E_USAGE",
          `${where}: ${unread.join(", ")} ${unread.length > 1 ? "apply" : "applies"} to design "stratified" only; design "random" never reads ${unread.length > 1 ? "them" : "it"}`,
        );
      }
    }
    this.sources = ctx.sources;
    this.budget = ctx.budget;
    this.design = options.design ?? "stratified";
    this.level = options.level ?? 0.9;
    if (this.design !== "stratified" && this.design !== "random") {
      throw new TbError(
        "E_USAGE",
        `${where}: design must be "stratified" or "random", got ${JSON.stringify(this.design)}`,
      );
    }
    if (!(this.level > 0 && this.level < 1)) {
      throw new TbError("E_USAGE", `${where}: level must be in (0, 1), got ${String(this.level)}`);
    }
    if (ctx.targets !== 2) throw new TbError("E_USAGE", `${where}: a comparison has 2 targets, got ${ctx.targets}`);
    const n = ctx.sources.cols;
    if (ctx.sources.rows < 3) {
      throw new TbError("E_INPUT", `${where}: need at least 3 source models, got ${ctx.sources.rows}`);
    }
    const g = this.design === "random" ? 0 : (options.gset ?? 10);
    if (!(Number.isInteger(g) && g >= 1) && this.design === "stratified") {
      throw new TbError("E_USAGE", `${where}: gset must be an integer ≥ 1, got ${String(options.gset)}`);
    }
    if (!(Number.isInteger(ctx.budget) && ctx.budget >= g + 2 && ctx.budget <= n)) {
      throw new TbError(
        "E_USAGE",
        `${where}: budget must be an integer of at least ${g + 2} (${g > 0 ? "the G-set and two draws" : "two draws"}) and at most the ${n} examples, got ${String(ctx.budget)}`,
      );
    }
    const extra = ctx.budget - g;
    if (
      options.strata !== undefined &&
      !(Number.isInteger(options.strata) && options.strata >= 1 && options.strata <= extra)
    ) {
      throw new TbError(
        "E_USAGE",
        `${where}: strata must be an integer in [1, ${extra}], got ${String(options.strata)}`,
      );
    }
    if (restored) {
      this.state = restored;
    } else if (this.design === "random") {
      const { picks } = pairedDraws(ctx.sources, "random", new Int32Array(0), ctx.budget, ctx.rng, 1);
      this.state = {
        gset: new Int32Array(0),
        picks,
        strata: 1,
        answers: [null, null],
        calibration: null,
        allocation: "proportional",
      };
    } else {
      const ws = workspaceOf(ctx.workspace ?? options.workspace, `${where}: workspace`);
      const po: { gset: number; metric?: DistanceMetric; standardize?: boolean; workspace?: Workspace } = { gset: g };
      if (options.metric !== undefined) po.metric = options.metric;
      if (options.standardize !== undefined) po.standardize = options.standardize;
      if (ws !== undefined) po.workspace = ws;
      // the G-set is chosen on one half of the sources; the other half calibrates the interval
      const half = calibrationHalf(ctx.sources.rows, ctx.rng.child("calibration"));
      const gset = probe(ctx.sources.selectRows(half.design), ctx.rng.child("gset"), po).gset;
      // the draws are allocated around the G-set, which the design estimate pools into the strata
      const strata = options.strata ?? defaultStrata(extra);
      const d = pairedDraws(ctx.sources, "stratified", gset, extra, ctx.rng, strata, "pooled");
      this.state = {
        gset,
        picks: d.picks,
        strata: d.strata,
        answers: [null, null],
        calibration: half.calibration,
        allocation: "pooled",
      };
    }
    const ex = new Int32Array(this.state.gset.length + this.state.picks.length);
    ex.set(this.state.gset, 0);
    ex.set(this.state.picks, this.state.gset.length);
    this.examples = ex;
  }

  get done(): boolean {
    return this.state.answers[0] !== null && this.state.answers[1] !== null;
  }

  requests(): EvaluationRequest[] {
    const out: EvaluationRequest[] = [];
    for (const t of [0, 1]) {
      if (this.state.answers[t] === null) out.push({ target: t, examples: this.examples.slice(), reason: "paired" });
    }
    return out;
  }

  answer(target: number, answers: ArrayLike<number>): void {
    if (target !== 0 && target !== 1)
      throw new TbError("E_USAGE", `paired: target must be 0 (A) or 1 (B), got ${String(target)}`);
    if (this.state.answers[target] !== null) {
      throw new TbError("E_USAGE", `paired: target ${target} has no open request (it is done)`);
    }
    this.state.answers[target] = checkAnswers(answers, this.examples.length, `paired: answers of target ${target}`);
  }

  /**
   * The difference A − B with its interval and P(A better). Stratified design: when both models'
   * scores on the shared examples are inside the sources' range there ({@link scoreOutOfRange} at
   * `level`) and the calibration half's pairs are enough for the level, the *learned* difference —
   * the sources' ridge of accuracy on their answers to the shared examples (α by exact
   * leave-one-out, as tailored-plus's learned estimate), applied to each model — ± the half-width
   * from the pairs of the sources that did not choose the G-set ({@link learnedDifference},
   * {@link calibrationHalf}; a comparison saved before 2026-12-07 keeps its rule: every source's
   * pairs, never narrower than the design's interval); otherwise the *design* estimate: the G-set counted
   * exactly and pooled with the draws into the strata's residual means, the rest by the
   * source-regression prediction (tailored-plus's beyond estimator), with its design SE.
   */
  difference(): PairedDifference {
    const [a, b] = this.state.answers;
    if (a === null || b === null) throw new TbError("E_USAGE", "paired: both models must answer before the difference");
    const n = this.sources.cols;
    const d = Float64Array.from(a, (v, i) => v - (b[i] as number));
    const g = this.state.gset.length;
    const draws = d.subarray(g);
    let diff: number;
    let learned: LearnedDifference | undefined;
    let useLearned = false;
    let accA: number;
    let accB: number;
    let designSe: number;
    if (this.design === "random") {
      accA = mean(a);
      accB = mean(b);
      diff = mean(d);
      designSe = Math.sqrt((sampleVar(d) / d.length) * Math.max(0, 1 - d.length / n));
    } else {
      const st = designFromPicks(sourceMeans(this.sources), this.state.gset, this.state.picks, this.state.strata);
      // the G-set counts exactly and is pooled with the draws into the strata's residual means,
      // as tailored-plus's beyond estimate does: model-assisted rather than design-unbiased (the
      // G-set was chosen, not drawn), measured to lower the error and the width with coverage
      // nearer the level (docs/RESULTS.md, "Paired comparisons")
      const est = (y: Float64Array) =>
        designEstimate(this.sources, st, this.state.gset, this.examples, y, DEFAULT_RESIDUAL_ALPHA);
      learned = learnedDifference(this.sources, this.examples, a, b, this.level, this.state.calibration ?? undefined);
      useLearned =
        learned.outOfRange[0] === null && learned.outOfRange[1] === null && Number.isFinite(learned.halfWidth);
      // the design estimate of A − B when it gives the result, or (a comparison saved before
      // 2026-12-07) when its SE floors the learned interval; each model's own only in the first case
      designSe = 0;
      diff = 0;
      if (!useLearned || this.state.calibration === null) {
        const e = est(d);
        diff = e.accuracy;
        designSe = e.se;
      }
      accA = useLearned ? learned.accuracies[0] : est(a).accuracy;
      accB = useLearned ? learned.accuracies[1] : est(b).accuracy;
      if (useLearned) diff = accA - accB;
    }
    const R = n - g;
    // The random design: the Agresti–Min SE of matched proportions floors the plain one (its
    // small-sample form). The stratified design: the design's own SE — the floor gave back the
    // variance the sources' regression removes (docs/RESULTS.md, "Paired comparisons") — except
    // where every draw's difference is alike: the ridge then fits the draws exactly and the
    // design's SE is 0 whatever the examples not drawn hold (the rule of a precision look).
    let alike = true;
    for (let i = 1; i < draws.length && alike; i++) alike = draws[i] === draws[0];
    const floor = (R / n) * agrestiMinSe(draws, R);
    let se = this.design === "random" || alike ? Math.max(designSe, floor) : designSe;
    const z = normalQuantile(0.5 + this.level / 2);
    // the learned difference's interval: the half-width from the calibration half's pairs (split
    // conformal: those sources took no part in choosing the examples); under the rule before
    // 2026-12-07 (every source's pairs, whose G-set they chose) never narrower than the design's
    if (useLearned) {
      const hw = (learned as LearnedDifference).halfWidth / z;
      se = this.state.calibration !== null ? hw : Math.max(se, hw);
    }
    let disagreements = 0;
    for (const v of d) if (v !== 0) disagreements++;
    return {
      difference: diff,
      se,
      interval: [Math.max(-1, diff - z * se), Math.min(1, diff + z * se)],
      level: this.level,
      probabilityABetter: se > 0 ? normalCdf(diff / se) : diff > 0 ? 1 : diff < 0 ? 0 : 0.5,
      accuracies: [accA, accB],
      disagreements,
      estimator: useLearned ? "learned" : "design",
      outOfRange: learned?.outOfRange ?? null,
    };
  }

  /** Both models' estimates (from the shared examples), with the difference in the diagnostics. */
  result(): MethodResult {
    if (!this.done) throw new TbError("E_USAGE", "paired: result() before both models answered");
    const r = this.difference();
    return {
      estimates: Float64Array.from(r.accuracies),
      diagnostics: {
        difference: r.difference,
        differenceSe: r.se,
        differenceLower: r.interval[0],
        differenceUpper: r.interval[1],
        level: r.level,
        probabilityABetter: r.probabilityABetter,
        estimator: r.estimator,
      },
    };
  }
}

/** What {@link learnedDifference} gives. */
export interface LearnedDifference {
  /** Each model's learned estimate, clipped to [0, 1]. */
  accuracies: [number, number];
  /** The half-width of the difference at `level` from the sources' pairs (`Infinity` when they are too few for the level). */
  halfWidth: number;
  /** Each model's score on the examples against the sources' scores on them ({@link scoreOutOfRange}). */
  outOfRange: [OutOfRange, OutOfRange];
  /** The ridge penalty chosen by leave-one-out. */
  alpha: number;
}

/**
 * The learned paired difference on shared examples: a ridge over the sources (one row per source,
 * features = its answers on `examples`, label = its mean over all examples; unpenalised
 * intercept; α from {0.1, 1, 10} by exact leave-one-out), applied to A's and B's answers. Its
 * half-width comes from the sources' pairs in the manner of split-conformal: with e_s the signed
 * leave-one-out error of source s, the `⌈(M+1)·level⌉`-th smallest of the M = C(C−1)/2 values
 * |e_s − e_t| over the C sources of `calibration` (default: all; `Infinity` when k > M). Those
 * should be sources that took no part in choosing `examples` — the paired design's calibration
 * half ({@link calibrationHalf}) — or their errors understate a new model's. The pairs share
 * sources, so they are not exchangeable with a new pair as split-conformal assumes: there is no
 * finite-sample guarantee, only the measured coverage (docs/RESULTS.md, "Paired comparisons").
 *
 * @throws TbError `E_INPUT` with fewer than 3 sources; `E_USAGE` for a `calibration` that is not
 *   distinct ascending source rows
 */
export function learnedDifference(
  sources: CorrectnessMatrix,
  examples: Int32Array,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  level: number,
  calibration?: Int32Array,
): LearnedDifference {
  const S = sources.rows;
  const n = sources.cols;
  const N = examples.length;
  const src = sources.data;
  if (S < 3) throw new TbError("E_INPUT", `learned difference: need at least 3 source models, got ${S}`);
  // the label is each source's mean over all examples: what the design estimate estimates too
  const acc = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let t = 0;
    for (let x = 0; x < n; x++) t += src[s * n + x] as number;
    acc[s] = t / n;
  }
  const loo = sourceRidge(sources, acc, examples, DEFAULT_LEARN_ALPHAS);
  const sorted = gsetScores(sources, examples).sort();
  const score = (y: ArrayLike<number>): number => {
    let t = 0;
    for (let i = 0; i < N; i++) t += y[i] as number;
    return t / N;
  };
  let errors = loo.errors;
  if (calibration !== undefined) {
    for (let i = 0; i < calibration.length; i++) {
      const s = calibration[i] as number;
      if (!(Number.isInteger(s) && s >= 0 && s < S) || (i > 0 && s <= (calibration[i - 1] as number))) {
        throw new TbError(
          "E_USAGE",
          `learned difference: calibration must list distinct source rows in [0, ${S - 1}], ascending (index ${i})`,
        );
      }
    }
    errors = Float64Array.from(calibration, (s) => loo.errors[s] as number);
  }
  const C = errors.length;
  const M = (C * (C - 1)) / 2;
  const k = Math.ceil((M + 1) * level);
  return {
    accuracies: [clamp01(ridgePredict(loo.fit, a)), clamp01(ridgePredict(loo.fit, b))],
    halfWidth: k <= M ? kthPairGap(errors.sort(), k) : Number.POSITIVE_INFINITY,
    outOfRange: [scoreOutOfRange(score(a), sorted, level), scoreOutOfRange(score(b), sorted, level)],
    alpha: loo.alpha,
  };
}

/**
 * The k-th smallest (1-based) of the gaps `v[t] − v[s]`, s < t, of ascending finite values,
 * exactly, without listing the S(S−1)/2 gaps: bisection on the value with an O(S) two-pointer
 * count until the bounds are adjacent doubles, then the smallest gap above the lower one.
 *
 * @throws TbError `E_USAGE` unless 1 ≤ k ≤ S(S−1)/2 and the values are finite and ascending
 */
export function kthPairGap(v: Float64Array, k: number): number {
  const S = v.length;
  const M = (S * (S - 1)) / 2;
  if (!(Number.isInteger(k) && k >= 1 && k <= M)) {
    throw new TbError("E_USAGE", `kthPairGap: k must be an integer in [1, ${M}] for ${S} values, got ${String(k)}`);
  }
  for (let s = 0; s < S; s++) {
    if (!Number.isFinite(v[s] as number) || (s > 0 && (v[s] as number) < (v[s - 1] as number))) {
      throw new TbError("E_USAGE", `kthPairGap: values must be finite and ascending (index ${s})`);
    }
  }
  const below = (x: number): number => {
    // the number of pairs with a gap ≤ x
    let c = 0;
    let t = 0;
    for (let s = 0; s < S; s++) {
      if (t < s + 1) t = s + 1;
      while (t < S && (v[t] as number) - (v[s] as number) <= x) t++;
      c += t - s - 1;
    }
    return c;
  };
  let lo = -1; // counts 0 < k pairs
  let hi = (v[S - 1] as number) - (v[0] as number); // counts every pair
  // halve until lo and hi are adjacent doubles (about 1,100 steps at the most): then no gap lies
  // strictly between them, and the k-th gap is the smallest one above lo
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (below(mid) >= k) hi = mid;
    else lo = mid;
  }
  // the answer is the smallest gap > lo (every gap ≤ lo is among fewer than k)
  let best = Number.POSITIVE_INFINITY;
  let t = 0;
  for (let s = 0; s < S; s++) {
    if (t < s + 1) t = s + 1;
    while (t < S && (v[t] as number) - (v[s] as number) <= lo) t++;
    if (t < S) {
      const gap = (v[t] as number) - (v[s] as number);
      if (gap < best) best = gap;
    }
  }
  return best;
}

function mean(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

function sampleVar(v: Float64Array): number {
  const m = mean(v);
  let s = 0;
  for (const x of v) s += (x - m) * (x - m);
  return v.length > 1 ? s / (v.length - 1) : 0;
}
