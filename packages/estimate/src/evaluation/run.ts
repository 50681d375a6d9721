/**
 * The per-target protocol of TailoredBench and tailored-plus, written once: a resumable
 * {@link EvaluationRun} over one target or a group of targets evaluated jointly. `tailoredBench()`,
 * `tailoredPlus()`, `reproduce`, `evaluate()`, the CLI and the web page all drive this object;
 * none of them holds a stream key, a mode rule or a design of its own.
 *
 * Rounds (docs/METHOD.md §3, docs/TAILORED-PLUS.md):
 * 1. every target answers the G-set (stream `gset`);
 * 2. jointly over the group (or one by one with single pooling): native sources; then per target
 *    - TailoredBench: the rest of its N-set (stream `nset`, t);
 *    - tailored-plus, within: the rest of its tailored coreset (`nset`, t);
 *    - tailored-plus, top quartile on the G-set: a second look at `m` more medoids (`look`, t), or,
 *      without a second look or for a target above every source on the G-set, one stratified
 *      design shared by those targets (`strata`; coordinated by `prn` when others look);
 * 3. tailored-plus after a second look: the rest of its tailored coreset (`nset`, t) or stratified
 *    draws around the examples answered (coordinated by default: the run's permanent random
 *    numbers `prn`; with `coordinated: false`, `look-strata`, t).
 * 4. tailored-plus with `precision` (docs/DESIGN.md §3.5, "Precision on demand"): while the
 *    interval's half-width is above `precision` and fewer than `maxBudget` examples were asked,
 *    difficulty-stratified random draws over the examples not yet asked (`prn-precision`, shared;
 *    with `coordinated: false`, `precision`, t), the
 *    total doubling each round; every look at the Bonferroni level of the schedule's looks.
 */
import {
  type CorrectnessMatrix,
  checkAnswers,
  checkPrecisionOptions,
  type EvaluationContext,
  type EvaluationRequest,
  type EvaluationRun,
  lookLevel,
  type MethodResult,
  normalQuantile,
  precisionTotals,
  type RandomStream,
  TbError,
  type Workspace,
  wilsonInterval,
  workspaceOf,
} from "@tb/core";
import type { DistanceSource } from "@tb/kmedoids";
import { DEFAULT_GSET_SIZE, type NativeSelection } from "@tb/native-selection";
import { estimateFromClusters, nativeMean } from "../calibrate.js";
import { sourceCalibrationErrors } from "../interval.js";
import { DEFAULT_CACHE_BYTES, keptNsetDistances, trimKept } from "../nset.js";
import {
  beyondStandardError,
  defaultStrata,
  designEstimate,
  designFromPicks,
  type StratifiedDesign,
  sourceMeans,
  stratifiedDesign,
  stratify,
} from "../plus/design.js";
import { conformalHalfWidth } from "../plus/learned.js";
import {
  afterSecondLook,
  DEFAULT_LEARN_ALPHAS,
  DEFAULT_RANGE_QUANTILE,
  DEFAULT_RESIDUAL_ALPHA,
  DEFAULT_SECOND_LOOK,
  gsetScores,
  type OutOfRange,
  plusBeyond,
  plusMode,
  plusWithin,
  secondLookSize,
  type TailoredPlusOptions,
} from "../plus/method.js";
import {
  COMMON_OPTION_KEYS,
  nsetOptions,
  probeWith,
  selectNativesWith,
  TAILORED_ONLY_OPTION_KEYS,
  type TailoredOptions,
  tailorWith,
} from "../tailored.js";

/** The two adaptive methods of this package. */
export type TailoredMethod = "tailored" | "tailored-plus";

/** Options of a {@link TailoredRun}: TailoredBench's and tailored-plus's, with their defaults. */
export type TailoredRunOptions = TailoredOptions & Omit<TailoredPlusOptions, keyof TailoredOptions>;

/** Where a target is in the protocol. */
export type TargetStage = "gset" | "look" | "final" | "precision" | "done";

/**
 * A target's precision stage: the examples its base design asked (`fixed`, counted exactly), the
 * strata of the others by difficulty and the random draws from them so far, in the order drawn.
 */
export interface PrecisionDesign {
  fixed: Int32Array;
  strata: number;
  picks: Int32Array;
  /** The half-width at the last look (why the open round was asked). */
  halfWidth: number;
}

/** One target's design: what it was asked and how its estimate is computed (all indices). */
export interface TargetDesign {
  /** Stream index of the target (its number in the batch it was tailored in). */
  index: number;
  stage: TargetStage;
  /** tailored-plus: `"look"` while a second look is open, then `"within"` or `"beyond"`. */
  mode?: "within" | "beyond" | "look";
  /** Where its G-set score lies against every source's. */
  outOfRange: OutOfRange;
  /** Native sources (row indices), when it has a tailored coreset. */
  natives?: Int32Array;
  dBar?: number;
  nBar?: number;
  fallback?: NativeSelection["fallback"];
  /** The coreset (G-set, then medoids) and each example's cluster slot; within mode and TailoredBench. */
  nset?: Int32Array;
  labels?: Int32Array;
  /** tailored-plus: the examples a second look asked (after the G-set). */
  looked?: Int32Array;
  /** tailored-plus: the cluster slot of every example in the second look's coreset. */
  lookLabels?: Int32Array;
  /** tailored-plus beyond: the fixed examples (G-set, and a second look's), draws and strata. */
  design?: { fixed: Int32Array; picks: Int32Array; strata: number };
  /** Whether a second look was taken. */
  secondLook: boolean;
  /** tailored-plus with `precision`, once its base design was not precise enough. */
  precision?: PrecisionDesign;
}

interface Slot extends SlotFields {
  built?: StratifiedDesign;
  est?: {
    accuracy: number;
    interval: [number, number] | null;
    blend?: number;
    averaged?: boolean;
    flag?: OutOfRange;
    /** With `precision`: whether the interval's half-width reached it. */
    reached?: boolean;
  };
}

/** The per-target estimate of a finished target. */
export interface TargetEstimate {
  accuracy: number;
  /** At the run's level; `null` for TailoredBench without a level. */
  interval: [number, number] | null;
  /** With `precision`: whether the interval's half-width `(upper − lower)/2` is at most it. */
  reachedPrecision?: boolean;
  /** Rounds of questions the target answered. */
  rounds: number;
}

/** Protocol options of tailored-plus alone. */
export const PLUS_ONLY_OPTION_KEYS = [
  "rangeQuantile",
  "mode",
  "learnAlphas",
  "residualAlpha",
  "strata",
  "secondLook",
  "coordinated",
  "precision",
  "maxBudget",
] as const;

/** The option names a saved evaluation may hold (`protocolOptions`). */
export const OPTION_KEYS = [
  ...COMMON_OPTION_KEYS,
  ...TAILORED_ONLY_OPTION_KEYS,
  "level",
  ...PLUS_ONLY_OPTION_KEYS,
] as const;

/** The options that shape the protocol (everything but the workspace and cache size), for JSON. */
export function protocolOptions(o: TailoredRunOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of OPTION_KEYS) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * The resumable per-target protocol of TailoredBench (`method: "tailored"`) and tailored-plus
 * (`"tailored-plus"`) for `ctx.targets` targets (see the module comment for its rounds). Options
 * are checked by the method factories ({@link tailoredBench}, {@link tailoredPlus}).
 */
export class TailoredRun implements EvaluationRun {
  readonly method: TailoredMethod;
  readonly targets: number;
  readonly budget: number;
  readonly sources: CorrectnessMatrix;
  readonly rng: RandomStream;
  readonly options: TailoredRunOptions;
  /** The G-set, ascending. */
  readonly gset: Int32Array;
  private readonly ws: Workspace;
  private readonly slots: Slot[];
  private groupDone = false;
  private readonly kept = new Map<string, DistanceSource>();
  private acc: Float64Array | undefined;
  private difficulty: Float64Array | undefined;
  private prn: Float64Array | undefined;
  private precisionPrn: Float64Array | undefined;
  private fallbacks = 0;
  private readonly nBars: number[] = [];
  /** Per target, the order in which its precision stage draws (recomputed from the stream). */
  private readonly drawOrder = new Map<number, Int32Array>();

  /**
   * @param restored internal: the state of a saved run ({@link restoreRun}); a new run computes
   *   its G-set from `ctx.rng`
   */
  constructor(
    method: TailoredMethod,
    ctx: EvaluationContext,
    options: TailoredRunOptions,
    restored?: { gset: Int32Array; slots: SlotFields[]; groupDone: boolean; fallbacks: number; nBars: number[] },
  ) {
    this.method = method;
    this.sources = ctx.sources;
    this.targets = ctx.targets;
    this.budget = ctx.budget;
    this.rng = ctx.rng;
    this.options = options;
    this.ws = workspaceOf(ctx.workspace ?? options.workspace, `${method}: workspace`);
    const g = options.gset ?? DEFAULT_GSET_SIZE;
    const n = ctx.sources.cols;
    if (!(Number.isInteger(ctx.targets) && ctx.targets >= 1)) {
      throw new TbError("E_USAGE", `${method}: targets must be an integer ≥ 1, got ${String(ctx.targets)}`);
    }
    if (!(Number.isInteger(ctx.budget) && ctx.budget > g && ctx.budget <= n)) {
      throw new TbError(
        "E_USAGE",
        `${method}: budget ${ctx.budget} must be an integer larger than the G-set size ${g} and at most the ${n} examples`,
      );
    }
    if (options.precision !== undefined && method !== "tailored-plus") {
      throw new TbError("E_USAGE", `${method}: precision applies to tailored-plus only`);
    }
    checkPrecisionOptions(options, ctx.budget, n, method);
    if (options.strata !== undefined && options.strata > ctx.budget - g) {
      throw new TbError(
        "E_USAGE",
        `${method}: strata (${options.strata}) must be at most budget − G-set = ${ctx.budget - g}`,
      );
    }
    if (restored) {
      this.gset = restored.gset;
      this.slots = restored.slots.map((f) => ({ ...f }));
      this.groupDone = restored.groupDone;
      this.fallbacks = restored.fallbacks;
      this.nBars.push(...restored.nBars);
      return;
    }
    this.gset = probeWith(ctx.sources, ctx.rng.child("gset"), { ...options, workspace: this.ws }).gset;
    this.slots = Array.from({ length: ctx.targets }, (_, t) => ({
      index: t,
      stage: "gset" as TargetStage,
      outOfRange: null,
      secondLook: false,
      answers: new Map<number, number>(),
      asked: [],
      pending: this.gset,
      reason: "gset",
    }));
  }

  get done(): boolean {
    return this.slots.every((s) => s.stage === "done");
  }

  requests(): EvaluationRequest[] {
    const out: EvaluationRequest[] = [];
    // a copy: a caller writing into a request's examples must not change the run (the G-set's
    // request would otherwise be the G-set itself)
    this.slots.forEach((s, t) => {
      if (s.pending !== null) out.push({ target: t, examples: s.pending.slice(), reason: s.reason });
    });
    return out;
  }

  answer(target: number, answers: ArrayLike<number>): void {
    const s = this.slot(target);
    if (s.pending === null) {
      throw new TbError(
        "E_USAGE",
        `${this.method}: target ${target} has no open request (${s.stage === "done" ? "it is done" : "the others must answer first"})`,
      );
    }
    const values = checkAnswers(answers, s.pending.length, `${this.method}: answers of target ${target}`);
    // All or nothing: when the step these answers start throws (no native source with
    // onNoNatives "error", a clustering option refused), the run is as it was before the call —
    // the request still open, nothing recorded — instead of a target that can neither answer nor
    // finish. The step of the last G-set answer touches every target, any other step only its own.
    const pending = s.pending;
    const touched = s.stage === "gset" && this.slots.every((x) => x === s || x.pending === null) ? this.slots : [s];
    const before = touched.map(snapshotSlot);
    const group = { groupDone: this.groupDone, fallbacks: this.fallbacks, nBars: this.nBars.length };
    try {
      pending.forEach((j, i) => {
        if (!s.answers.has(j)) s.asked.push(j);
        s.answers.set(j, values[i] as number);
      });
      s.pending = null;
      s.rounds = (s.rounds ?? 0) + 1;
      if (s.stage === "gset") {
        if (this.slots.every((x) => x.pending === null)) this.afterGset();
      } else if (s.stage === "look") {
        this.afterLook(s);
      } else if (s.stage === "final") {
        this.finish(s);
      } else if (s.stage === "precision") {
        this.afterPrecision(s);
      }
    } catch (e) {
      touched.forEach((x, i) => {
        const snap = before[i] as Slot;
        for (const k of Object.keys(x)) if (!(k in snap)) delete (x as unknown as Record<string, unknown>)[k];
        Object.assign(x, snap);
      });
      this.groupDone = group.groupDone;
      this.fallbacks = group.fallbacks;
      this.nBars.length = group.nBars;
      this.drawOrder.clear();
      throw e;
    }
    if (this.done) this.kept.clear();
  }

  /** Target `t`'s design so far (copies of nothing: do not mutate). */
  design(target: number): TargetDesign {
    return this.slot(target);
  }

  /** Target `t`'s answers so far, by column. */
  answersOf(target: number): ReadonlyMap<number, number> {
    return this.slot(target).answers;
  }

  /** Columns asked of target `t`, in the order asked. */
  askedOf(target: number): readonly number[] {
    return this.slot(target).asked;
  }

  /** tailored-plus within: whether the target's score on its coreset put it at the top (bottom) of the sources. */
  coresetFlag(target: number): OutOfRange {
    return this.slot(target).est?.flag ?? null;
  }

  /** A second look's examples so far (the G-set and its medoids), while or after it was taken. */
  lookNsetOf(target: number): Int32Array | undefined {
    return this.slot(target).lookNset;
  }

  /** Internal, after a restore: the estimates of the targets saved as done. */
  recompute(): void {
    for (const s of this.slots) {
      if (s.stage !== "done" || s.est !== undefined) continue;
      if (s.precision !== undefined) {
        this.precisionLook(s);
        this.afterLookAt(s);
      } else this.finish(s);
    }
  }

  /**
   * Target `t`'s open round of precision draws: r ≥ 1 while it is asked the r-th round after its
   * base design (the r-th total of {@link precisionTotals}), 0 otherwise (the G-set, a second look,
   * the rest of the design, or nothing open).
   */
  precisionRoundOf(target: number): number {
    const s = this.slot(target);
    const M = this.options.maxBudget;
    if (s.pending === null || s.reason !== "precision" || s.precision === undefined || M === undefined) return 0;
    return precisionTotals(s.precision.fixed.length, M).indexOf(s.asked.length + s.pending.length) + 1;
  }

  /** Rounds of questions target `t` answered so far. */
  roundsOf(target: number): number {
    return this.slot(target).rounds ?? 0;
  }

  /** The estimate of a finished target. */
  estimateOf(target: number): TargetEstimate {
    const s = this.slot(target);
    if (s.est === undefined) {
      throw new TbError("E_USAGE", `${this.method}: target ${target} is not done (it is at the ${s.stage} step)`);
    }
    const out: TargetEstimate = { accuracy: s.est.accuracy, interval: s.est.interval, rounds: this.roundsOf(target) };
    if (s.est.reached !== undefined) out.reachedPrecision = s.est.reached;
    return out;
  }

  result(): MethodResult {
    if (!this.done) throw new TbError("E_USAGE", `${this.method}: the evaluation is not done`);
    const T = this.targets;
    const estimates = Float64Array.from(this.slots, (s) => (s.est as NonNullable<Slot["est"]>).accuracy);
    const hasIntervals = this.method === "tailored-plus" || this.options.level !== undefined;
    const lower = new Float64Array(hasIntervals ? T : 0);
    const upper = new Float64Array(hasIntervals ? T : 0);
    if (hasIntervals) {
      this.slots.forEach((s, t) => {
        const iv = (s.est as NonNullable<Slot["est"]>).interval as [number, number];
        lower[t] = iv[0];
        upper[t] = iv[1];
      });
    }
    const level = this.options.level ?? 0.9;
    const intervals = hasIntervals ? { intervals: { lower, upper, level } } : {};
    if (this.method === "tailored") {
      return {
        estimates,
        ...intervals,
        diagnostics: {
          nBarMean: this.nBars.reduce((a, b) => a + b, 0) / this.nBars.length,
          gset: Array.from(this.gset),
          nativeFallbacks: this.fallbacks,
        },
      };
    }
    let blendSum = 0;
    let withinCount = 0;
    let averaged = 0;
    let lookedBeyond = 0;
    let coresetFlags = 0;
    let beyond = 0;
    let looks = 0;
    let outside = 0;
    for (const s of this.slots) {
      const e = s.est as NonNullable<Slot["est"]>;
      if (s.outOfRange !== null) outside++;
      if (s.secondLook) looks++;
      if (s.mode === "beyond") {
        beyond++;
        if (s.secondLook) lookedBeyond++;
        if (e.averaged) averaged++;
      } else {
        blendSum += e.blend as number;
        withinCount++;
        if (e.flag !== null && e.flag !== undefined) coresetFlags++;
      }
    }
    return {
      estimates,
      ...intervals,
      diagnostics: {
        beyondTargets: beyond,
        // targets given a second look, and how many of those it sent to the beyond design
        secondLooks: looks,
        secondLookBeyond: lookedBeyond,
        // beyond-mode targets whose design estimate fell inside the sources' range (averaged)
        beyondAveraged: averaged,
        outOfRangeTargets: outside,
        // within-mode targets at the top (bottom) of the sources' range on their coreset
        coresetOutOfRange: coresetFlags,
        meanBlend: withinCount > 0 ? blendSum / withinCount : -1,
        ...(this.options.precision !== undefined
          ? {
              // with precision: per target, whether it reached it and the distinct examples asked
              reachedPrecision: this.slots.map((s) => (s.est?.reached === true ? 1 : 0)),
              asked: this.slots.map((s) => s.asked.length),
            }
          : {}),
        nativeFallbacks: this.fallbacks,
        gset: Array.from(this.gset),
      },
    };
  }

  /** Internal: the slots, for saving ({@link saveRun}). */
  get state(): { slots: readonly Slot[]; groupDone: boolean; fallbacks: number; nBars: readonly number[] } {
    return { slots: this.slots, groupDone: this.groupDone, fallbacks: this.fallbacks, nBars: this.nBars };
  }

  private slot(target: number): Slot {
    const s = Number.isInteger(target) ? this.slots[target] : undefined;
    if (s === undefined) {
      throw new TbError("E_USAGE", `${this.method}: target ${String(target)} is not in [0, ${this.targets})`);
    }
    return s;
  }

  /** One permanent random number per example, shared by the run's targets (stream `prn`). */
  private priority(): Float64Array {
    if (this.prn === undefined) {
      const r = this.rng.child("prn");
      this.prn = Float64Array.from({ length: this.sources.cols }, () => r.nextFloat());
    }
    return this.prn;
  }

  /** The precision stage's permanent random numbers (stream `prn-precision`), one per example, shared by the run's targets. */
  private precisionPriority(): Float64Array {
    if (this.precisionPrn === undefined) {
      const r = this.rng.child("prn-precision");
      this.precisionPrn = Float64Array.from({ length: this.sources.cols }, () => r.nextFloat());
    }
    return this.precisionPrn;
  }

  private trueScores(): Float64Array {
    if (this.acc === undefined) this.acc = this.sources.trueScores();
    return this.acc;
  }

  private base(): TailoredOptions {
    return { ...this.options, workspace: this.ws };
  }

  private cacheBytes(): number {
    return this.options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  }

  /** The native-set distances of a target, shared by targets with the same natives during the run. */
  private distances(natives: Int32Array): DistanceSource {
    const key = natives.join(",");
    let d = this.kept.get(key);
    if (d === undefined) {
      d = keptNsetDistances(this.ws, this.sources, natives, nsetOptions(this.base()), this.cacheBytes());
      this.kept.set(key, d);
    }
    return d;
  }

  private gAnswers(s: Slot): Float64Array {
    return Float64Array.from(this.gset, (j) => s.answers.get(j) as number);
  }

  private answersFor(s: Slot, cols: Int32Array): Float64Array {
    return Float64Array.from(cols, (j) => {
      const v = s.answers.get(j);
      if (v === undefined) throw new TbError("E_INTERNAL", `${this.method}: example ${j} was not answered`);
      return v;
    });
  }

  private ask(s: Slot, cols: Int32Array, reason: string, stage: TargetStage): void {
    const fresh = cols.filter((j) => !s.answers.has(j));
    s.stage = stage;
    if (fresh.length === 0) {
      s.pending = null;
      if (stage === "look") this.afterLook(s);
      else this.finish(s);
      return;
    }
    s.pending = Int32Array.from(fresh);
    s.reason = reason;
  }

  /** Native selection over `list` (jointly, or one by one with single pooling). */
  private selectNatives(list: number[]): void {
    const single = (this.options.targetPooling ?? "joint") === "single";
    const opts = this.method === "tailored" ? this.options : this.base();
    const sel = (ts: number[]) => {
      const r = selectNativesWith(
        this.sources,
        this.gset,
        ts.map((t) => this.gAnswers(this.slots[t] as Slot)),
        opts,
      );
      this.nBars.push(r.nBar);
      if (r.fallback !== "none") this.fallbacks++;
      ts.forEach((t, i) => {
        const s = this.slots[t] as Slot;
        s.natives = r.natives[i] as Int32Array;
        s.dBar = r.dBar;
        s.nBar = r.nBar;
        s.fallback = r.fallback;
      });
    };
    if (single) for (const t of list) sel([t]);
    else if (list.length > 0) sel(list);
  }

  private afterGset(): void {
    this.groupDone = true;
    const g = this.gset.length;
    const budget = this.budget;
    const srcG = gsetScores(this.sources, this.gset);
    const scores = this.slots.map((s) => {
      const a = this.gAnswers(s);
      let t = 0;
      for (let j = 0; j < a.length; j++) t += a[j] as number;
      return t / g;
    });
    const q = this.options.rangeQuantile ?? DEFAULT_RANGE_QUANTILE;
    const ranges = scores.map((x) => plusMode(srcG, x, q));
    this.slots.forEach((s, t) => {
      s.outOfRange = (ranges[t] as ReturnType<typeof plusMode>).outOfRange;
    });
    if (this.method === "tailored") {
      this.selectNatives(this.slots.map((_, t) => t));
      for (const s of this.slots) {
        const nat = s.natives as Int32Array;
        const plan = tailorWith(
          this.sources,
          this.gset,
          nat,
          budget,
          this.rng.child("nset", s.index),
          this.base(),
          this.distances(nat),
        );
        s.nset = plan.nset;
        s.labels = plan.labels;
        this.ask(s, plan.toEvaluate, "nset", "final");
      }
      trimKept(this.ws, this.cacheBytes());
      return;
    }
    const forced = this.options.mode ?? "auto";
    const modes = ranges.map((m) => (forced === "auto" ? m.mode : forced));
    const extra = budget - g;
    const look = forced === "auto" ? secondLookSize(extra, this.options.secondLook ?? DEFAULT_SECOND_LOOK) : 0;
    // A target above every source on the G-set takes no second look: the look asks whether a
    // target at the top of the sources fits within their range, and its own medoids would stand
    // where the targets share random draws (docs/TAILORED-PLUS.md, "Ranks"). Native selection
    // still pools it with the others, so their natives are what they were.
    const above = (t: number) => look > 0 && (ranges[t] as ReturnType<typeof plusMode>).outOfRange === "above";
    const pooled = modes.flatMap((m, t) => (m === "within" || look > 0 ? [t] : []));
    const tailored = pooled.filter((t) => !above(t));
    this.selectNatives(pooled);
    for (const t of tailored) {
      const s = this.slots[t] as Slot;
      const nat = s.natives as Int32Array;
      if (modes[t] === "beyond") {
        // the second look: `look` more medoids of its tailored coreset decide the design
        const first = tailorWith(
          this.sources,
          this.gset,
          nat,
          g + look,
          this.rng.child("look", s.index),
          this.base(),
          this.distances(nat),
        );
        s.mode = "look";
        s.secondLook = true;
        s.lookNset = first.nset;
        s.lookLabels = first.labels;
        s.looked = first.toEvaluate;
        this.ask(s, first.toEvaluate, "look", "look");
      } else {
        const plan = tailorWith(
          this.sources,
          this.gset,
          nat,
          budget,
          this.rng.child("nset", s.index),
          this.base(),
          this.distances(nat),
        );
        s.mode = "within";
        s.nset = plan.nset;
        s.labels = plan.labels;
        this.ask(s, plan.toEvaluate, "nset", "final");
      }
    }
    if (tailored.length > 0) trimKept(this.ws, this.cacheBytes());
    // beyond without a second look: one stratified design, shared by these targets (by the run's
    // permanent random numbers when others look, so that it shares draws with theirs)
    const beyond = modes.flatMap((m, t) => (m === "beyond" && (look === 0 || above(t)) ? [t] : []));
    if (beyond.length > 0) {
      const design = stratifiedDesign(
        sourceMeans(this.sources),
        this.gset,
        extra,
        this.rng.child("strata"),
        this.options.strata ?? defaultStrata(extra),
        look > 0 && this.options.coordinated !== false ? this.priority() : undefined,
        "pooled",
      );
      for (const t of beyond) {
        const s = this.slots[t] as Slot;
        s.mode = "beyond";
        s.built = design;
        s.design = { fixed: this.gset, picks: design.picks, strata: design.strata };
        this.ask(s, design.picks, "strata", "final");
      }
    }
  }

  private afterLook(s: Slot): void {
    const fixed = s.lookNset as Int32Array;
    if (this.difficulty === undefined) this.difficulty = sourceMeans(this.sources);
    const nat = s.natives as Int32Array;
    const next = afterSecondLook(this.sources, fixed, this.answersFor(s, fixed), nat, this.budget, this.rng, s.index, {
      rangeQuantile: this.options.rangeQuantile ?? DEFAULT_RANGE_QUANTILE,
      ...(this.options.strata !== undefined ? { strata: this.options.strata } : {}),
      tailored: this.base(),
      distances: this.distances(nat),
      difficulty: this.difficulty,
      ...(this.options.coordinated !== false ? { priority: this.priority() } : {}),
    });
    if (next.mode === "beyond") {
      s.mode = "beyond";
      s.built = next.design;
      s.design = { fixed, picks: next.design.picks, strata: next.design.strata };
      this.ask(s, next.design.picks, "look-strata", "final");
    } else {
      s.mode = "within";
      s.nset = next.plan.nset;
      s.labels = next.plan.labels;
      this.ask(s, next.plan.toEvaluate, "nset", "final");
    }
  }

  private finish(s: Slot): void {
    const o = this.options;
    const level = this.lookLevelOf(s);
    if (this.method === "tailored") {
      const nat = s.natives as Int32Array;
      const plan = { natives: nat, nset: s.nset as Int32Array, labels: s.labels as Int32Array };
      const answers = this.answersFor(s, plan.nset);
      const accuracy = estimateFromClusters(nativeMean(this.sources, nat), plan.nset, plan.labels, answers, o).accuracy;
      let interval: [number, number] | null = null;
      if (o.level !== undefined) {
        const hw = conformalHalfWidth(sourceCalibrationErrors(this.sources, plan, o), o.level);
        interval = [Math.max(0, accuracy - hw), Math.min(1, accuracy + hw)];
      }
      s.est = { accuracy, interval };
    } else if (s.mode === "beyond") {
      const d = s.design as NonNullable<Slot["design"]>;
      const built = s.built ?? designFromPicks(sourceMeans(this.sources), d.fixed, d.picks, d.strata);
      const observed = Int32Array.from([...d.fixed, ...built.picks]);
      const b = plusBeyond(
        this.sources,
        this.trueScores(),
        built,
        d.fixed,
        observed,
        this.answersFor(s, observed),
        level,
        o.residualAlpha ?? DEFAULT_RESIDUAL_ALPHA,
        o.learnAlphas ?? DEFAULT_LEARN_ALPHAS,
      );
      s.est = { accuracy: b.accuracy, interval: b.interval, averaged: b.averaged };
    } else {
      const nset = s.nset as Int32Array;
      const w = plusWithin(
        this.sources,
        this.trueScores(),
        s.natives as Int32Array,
        nset,
        s.labels as Int32Array,
        this.answersFor(s, nset),
        level,
        o.learnAlphas ?? DEFAULT_LEARN_ALPHAS,
      );
      s.est = { accuracy: w.accuracy, interval: w.interval, blend: w.blend, flag: w.outOfRange };
    }
    s.stage = "done";
    s.pending = null;
    if (this.method === "tailored-plus" && o.precision !== undefined) this.afterLookAt(s);
  }

  /**
   * The level of each look of target `s` (Bonferroni): with `precision`, the looks are the base
   * design and one per round of the geometric schedule ({@link precisionTotals}), fixed before
   * any answer; each is taken at `1 − (1 − level)/looks`, so the interval reported at whichever
   * look the stopping rule chose covers with probability ≥ `level`. Without precision, `level`.
   */
  private lookLevelOf(s: Slot): number {
    const level = this.options.level ?? 0.9;
    const M = this.options.maxBudget;
    if (this.options.precision === undefined || M === undefined) return level;
    const base = s.precision?.fixed.length ?? s.asked.length;
    return lookLevel(level, 1 + precisionTotals(base, M).length);
  }

  /** After a look: done when the half-width is at most `precision` or `maxBudget` is spent; else the next round. */
  private afterLookAt(s: Slot): void {
    const P = this.options.precision as number;
    const M = this.options.maxBudget as number;
    const e = s.est as NonNullable<Slot["est"]>;
    const iv = e.interval as [number, number];
    const reached = (iv[1] - iv[0]) / 2 <= P + 1e-12;
    e.reached = reached;
    // Only a design-based look may stop: the base design's interval rests on the sources' model,
    // which is what fails for the targets it would let stop early (measured: MuSR extrapolation,
    // P = .05, 23 of 128 targets stopped at the base design and none was covered). So at least one
    // round of random draws is asked; the base look still counts among the Bonferroni looks.
    if ((reached && s.precision !== undefined) || s.asked.length >= M) return;
    const n = this.sources.cols;
    if (s.precision === undefined) {
      const fixed = Int32Array.from(s.asked);
      const first = (precisionTotals(fixed.length, M)[0] as number) - fixed.length;
      s.precision = {
        fixed,
        strata: defaultStrata(Math.min(first, n - fixed.length)),
        picks: new Int32Array(0),
        halfWidth: 0,
      };
    }
    const pd = s.precision;
    pd.halfWidth = (iv[1] - iv[0]) / 2;
    const totals = precisionTotals(pd.fixed.length, M);
    const have = pd.fixed.length + pd.picks.length;
    const next = totals.find((t) => t > have) as number;
    const order = this.orderOf(s);
    const more = order.subarray(pd.picks.length, pd.picks.length + (next - have));
    delete s.est;
    this.ask(s, Int32Array.from(more), "precision", "precision");
  }

  /**
   * The order in which target `s`'s precision stage draws the examples outside its base design:
   * those examples cut into `strata` strata by difficulty ({@link stratify}); in stratum h a
   * uniformly random permutation (stream `rng.child("precision", index, h)`), its i-th example
   * keyed `(i + ½)/|h|`; all of them by key (ties: lower stratum first). Any prefix is a stratified
   * sample with each stratum's share within one draw of proportional, and a simple random sample
   * inside each stratum; the prefixes are nested, so the rounds only add draws. With coordinated
   * draws (the default) the permutation of stratum h is its members ordered by one permanent
   * random number per example (stream `prn-precision`, shared by the run's targets and drawn apart
   * from the base design's `prn`, so the pool that is left does not depend on it): still a uniformly
   * random permutation of each target's pool, but targets draw the same examples wherever their
   * pools overlap, so their estimates differ by their answers rather than by their draws.
   */
  private orderOf(s: Slot): Int32Array {
    let order = this.drawOrder.get(s.index);
    if (order !== undefined) return order;
    const pd = s.precision as PrecisionDesign;
    if (this.difficulty === undefined) this.difficulty = sourceMeans(this.sources);
    const st = stratify(this.difficulty, pd.fixed, pd.strata);
    const keyed: { x: number; key: number; h: number }[] = [];
    for (let h = 0; h < st.strata; h++) {
      const pool = st.members[h] as Int32Array;
      const prn = this.options.coordinated !== false ? this.precisionPriority() : undefined;
      const perm =
        prn === undefined
          ? this.rng.child("precision", s.index, h).sample(pool, pool.length)
          : Array.from(pool).sort((a, b) => (prn[a] as number) - (prn[b] as number) || a - b);
      perm.forEach((x, i) => {
        keyed.push({ x, key: (i + 0.5) / pool.length, h });
      });
    }
    keyed.sort((a, b) => a.key - b.key || a.h - b.h);
    order = Int32Array.from(keyed, (k) => k.x);
    this.drawOrder.set(s.index, order);
    return order;
  }

  /** A precision round answered: record the draws, estimate, and look. */
  private afterPrecision(s: Slot): void {
    const pd = s.precision as PrecisionDesign;
    const order = this.orderOf(s);
    let k = pd.picks.length;
    while (k < order.length && s.answers.has(order[k] as number)) k++;
    pd.picks = order.slice(0, k);
    this.precisionLook(s);
    s.stage = "done";
    s.pending = null;
    this.afterLookAt(s);
  }

  /**
   * The estimate at a look of the precision stage: the base design's examples count exactly (they
   * were chosen, not drawn: none is pooled into the residual means), the others are estimated by
   * the regression-corrected stratified estimate of the random draws ({@link designEstimate},
   * `poolCount` 0). SE: the design's own (stratified, over the ridge's leave-one-out residuals).
   * Unlike the beyond mode's fixed-N interval it is not floored by the plain random-sampling SE
   * of the draws: a precision look always rests on at least one round of random draws (30 or
   * more), and the floor gave back exactly the variance the sources' regression removes (it stays
   * only where the draws are all alike, all right or all wrong: the ridge then fits them exactly
   * and the design's SE is 0 whatever the examples not drawn hold) —
   * measured (docs/RESULTS.md, "Precision on demand"): without it coverage stayed 94.6–99.3 % in
   * all 16 cells and tailored-plus asked 0.59–1.00× sequential random sampling's examples (with
   * it 1.00–1.16×). Interval `± z·SE` at the look's level; an end past what the exact part allows
   * (`[Σ fixed, Σ fixed + R]/n`) is replaced by the Wilson bound of the draws with the
   * finite-population correction.
   */
  private precisionLook(s: Slot): void {
    const pd = s.precision as PrecisionDesign;
    const o = this.options;
    const n = this.sources.cols;
    if (this.difficulty === undefined) this.difficulty = sourceMeans(this.sources);
    const design = designFromPicks(this.difficulty, pd.fixed, pd.picks, pd.strata);
    const observed = Int32Array.from([...pd.fixed, ...pd.picks]);
    const answers = this.answersFor(s, observed);
    const est = designEstimate(
      this.sources,
      design,
      pd.fixed,
      observed,
      answers,
      o.residualAlpha ?? DEFAULT_RESIDUAL_ALPHA,
      -1,
      0,
    );
    const R = n - pd.fixed.length;
    const drawn = answers.subarray(pd.fixed.length);
    let exact = 0;
    for (let i = 0; i < pd.fixed.length; i++) exact += answers[i] as number;
    let sum = 0;
    for (const v of drawn) sum += v;
    // Draws all alike (every one right, or every one wrong): the ridge fits them exactly and the
    // design's SE is 0 whatever the examples not drawn hold; then the Agresti–Coull SE of the draws.
    const se =
      sum === 0 || sum === drawn.length ? Math.max(est.se, (R / n) * beyondStandardError(0, drawn, R)) : est.se;
    const level = this.lookLevelOf(s);
    const z = normalQuantile(0.5 + level / 2);
    const lowest = exact / n;
    const highest = (exact + R) / n;
    const acc = Math.min(highest, Math.max(lowest, est.accuracy));
    const [wLo, wHi] = wilsonInterval(Math.min(sum, drawn.length), drawn.length, level, R);
    let lo = acc - z * se;
    let hi = acc + z * se;
    if (lo < lowest) lo = Math.min(acc, (exact + R * wLo) / n);
    if (hi > highest) hi = Math.max(acc, (exact + R * wHi) / n);
    s.est = { accuracy: acc, interval: [lo, hi] };
  }
}

/** A copy of a target's state deep enough to undo a step: the fields a step writes in place are copied. */
function snapshotSlot(x: Slot): Slot {
  const c: Slot = { ...x, answers: new Map(x.answers), asked: x.asked.slice() };
  if (x.precision !== undefined) c.precision = { ...x.precision };
  if (x.est !== undefined) c.est = { ...x.est };
  return c;
}

/** Internal: the saved fields of one target ({@link TailoredRun} restores from them). */
export interface SlotFields extends TargetDesign {
  answers: Map<number, number>;
  asked: number[];
  pending: Int32Array | null;
  reason: string;
  /** Rounds of questions answered. */
  rounds?: number;
  /** The second look's coreset so far (G-set and its medoids, as K-Medoids returned them). */
  lookNset?: Int32Array;
}
