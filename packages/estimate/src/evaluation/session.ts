/**
 * The resumable evaluation users drive (docs/DESIGN.md §3.5): {@link createEvaluation} →
 * `next()` / `answer()` rounds → `estimate()`; saved with `toJSON()` and resumed with
 * {@link restoreEvaluation}. Example ids instead of column indices, the rank among the sources,
 * and the one place the defaults live.
 */
import {
  CorrectnessMatrix,
  checkOptionKeys,
  checkPrecisionOptions,
  type MatrixLike,
  RandomStream,
  type SourceRef,
  type StreamKey,
  sourceRef,
  TbError,
  type Workspace,
  workspaceOf,
} from "@tb/core";
import { DEFAULT_GSET_SIZE } from "@tb/native-selection";
import { estimateInterval } from "../interval.js";
import { checkPlusOptions, DEFAULT_SECOND_LOOK, type OutOfRange } from "../plus/method.js";
import { checkTailoredOptions, type TailoredOptions } from "../tailored.js";
import {
  OPTION_KEYS,
  protocolOptions,
  type SlotFields,
  TailoredRun,
  type TailoredRunOptions,
  type TargetStage,
} from "./run.js";

/** Defaults of an evaluation (docs/DESIGN.md §3.5): each lives here and only here. */
export const EVALUATION_DEFAULTS = Object.freeze({
  method: "tailored-plus" as const,
  budget: 30,
  seed: 0,
  level: 0.9,
  gset: DEFAULT_GSET_SIZE,
  secondLook: DEFAULT_SECOND_LOOK,
});

/** Options of {@link createEvaluation}. */
export interface EvaluationOptions
  extends Pick<
    TailoredOptions,
    "metric" | "standardize" | "thresholdCompare" | "onNoNatives" | "gsetClustering" | "nsetClustering" | "cacheBytes"
  > {
  /** `"tailored-plus"` (default) or the faithful `"tailored"`. */
  method?: "tailored-plus" | "tailored";
  /** N: distinct examples each target is run on, G-set included; default 30 (at most the benchmark). */
  budget?: number;
  /** Seed of every random choice; default 0. */
  seed?: number;
  /** Nominal coverage of the interval; default 0.9. */
  level?: number;
  /** G-set size; default 10. */
  gset?: number;
  /**
   * tailored-plus: share of the budget after the G-set that a target in the sources' top quartile
   * on the G-set (but not above every source there) spends on a second look before its design is
   * chosen; default 0.3, 0 = off.
   */
  secondLook?: number;
  /**
   * tailored-plus: precision on demand — the target half-width of the interval at `level`. After
   * the base design of `budget` examples, `next()` asks more rounds (reason `"precision"`) while
   * the half-width is above it, the total doubling each round up to `maxBudget`. Off by default.
   */
  precision?: number;
  /** With `precision`: the most distinct examples a target is asked, in all (≥ budget, ≤ the examples). */
  maxBudget?: number;
  /**
   * tailored-plus: coordinated draws (default true). The random draws after a second look and in
   * the precision rounds take, inside each stratum, the examples with the smallest of one
   * permanent random number per example, shared by the evaluation's targets: each target's draws
   * are still a stratified simple random sample, but targets evaluated together share every draw
   * their strata allow, so their order holds better. `false` draws each target's examples from its
   * own stream (the numbers of earlier releases).
   */
  coordinated?: boolean;
  /**
   * Names of the targets evaluated together (default one, `"target"`). Several targets share the
   * G-set and, with `pooling: "joint"`, their native selection (the reference protocol).
   */
  targets?: readonly string[];
  /** `"joint"` (default with several targets, the reference) or `"single"` (each target alone). */
  pooling?: "joint" | "single";
  /** Example ids when `sources` is a plain array (default `"0"…"n−1"`). */
  examples?: readonly string[];
  /** Where work is kept between evaluations (caller-owned; results never depend on it). */
  workspace?: Workspace;
}

/** What to run next for one target. */
export interface EvaluationStep {
  /** Target index (0 for one target). */
  target: number;
  /** Target name. */
  name: string;
  /** Example ids to run the target on, in the order the answers are expected. */
  ids: string[];
  /** The same examples as column indices of the sources. */
  examples: Int32Array;
  /** `"gset"`, `"look"`, `"nset"`, `"strata"`, `"look-strata"` or `"precision"`. */
  reason: string;
  /**
   * The phase the reason belongs to ({@link reasonPhase}): `probe`, `look`, `design` or
   * `precision` — where a front end shows the step, without restating which reason follows which.
   */
  phase: RoundPhase;
  /** One sentence on why these examples, for people. */
  why: string;
}

/** The rank of a target among the sources by their true scores (1 = best). */
export interface Rank {
  /** 1 + the number of sources whose true score is above the estimate. */
  position: number;
  /** Sources + 1 (the target). */
  of: number;
  /** The positions of the interval's ends: [rank of the upper end, rank of the lower end]. */
  interval: [number, number] | null;
}

/** The estimate of one finished target. */
export interface EvaluationEstimate {
  target: string;
  /** Estimated accuracy on the whole benchmark. */
  accuracy: number;
  /** Interval at `level` (within [0, 1]); `null` when the faithful method's plan shows no spread. */
  interval: [number, number] | null;
  level: number;
  rank: Rank;
  method: "tailored-plus" | "tailored";
  /** tailored-plus: how the target was treated (`"beyond"`: a stratified sample). */
  mode?: "within" | "beyond";
  /** tailored-plus: whether it took a second look. */
  secondLook?: boolean;
  /**
   * Its G-set score is above (below) every source's; or, tailored-plus within, its score on its
   * coreset is at the top (bottom) of the sources' there, and that end of the interval is widened to
   * what its answers and the sources' shift on the coreset allow (docs/TAILORED-PLUS.md, step 3).
   */
  outOfRange: OutOfRange;
  /** Example ids asked, in the order asked (G-set first). */
  asked: string[];
  budget: number;
  /** Native sources of its coreset (0 in the beyond mode). */
  nativeSources: number;
  /** Rounds of questions it answered (the G-set round included). */
  rounds: number;
  /** With `precision`: whether the interval's half-width `(upper − lower)/2` is at most it. */
  reachedPrecision?: boolean;
}

/** A saved evaluation (`toJSON()`; docs/DESIGN.md §3.5). */
export interface SavedEvaluation {
  specVersion: 1;
  kind: "tailoredbench/evaluation";
  method: "tailored-plus" | "tailored";
  budget: number;
  /** The key path of the evaluation's random stream (`[seed]` for a user's evaluation). */
  rng: StreamKey[];
  /** Every option that shapes the protocol, defaults filled in. */
  options: Record<string, unknown>;
  source: SourceRef;
  gset: string[];
  /** Whether the joint step after the G-set was taken. */
  joint: boolean;
  nativeFallbacks: number;
  nBars: number[];
  targets: SavedTarget[];
}

/** One target of a {@link SavedEvaluation}. */
export interface SavedTarget {
  name: string;
  index: number;
  stage: TargetStage;
  mode?: "within" | "beyond" | "look";
  outOfRange: OutOfRange;
  secondLook: boolean;
  natives?: string[];
  dBar?: number;
  nBar?: number;
  fallback?: "none" | "target-source-mean" | "all-sources";
  nset?: string[];
  labels?: number[];
  looked?: string[];
  lookNset?: string[];
  lookLabels?: number[];
  design?: { fixed: string[]; picks: string[]; strata: number };
  /** The precision stage: base examples (exact), strata, random draws so far, last half-width. */
  precision?: { fixed: string[]; strata: number; picks: string[]; halfWidth: number };
  /** Rounds of questions answered. */
  rounds?: number;
  /** Example ids answered, in the order asked, and the answers. */
  asked: string[];
  answers: number[];
  /** The open request, or `null`. */
  pending: string[] | null;
  reason: string;
}

const WHY: Record<string, string> = {
  gset: "the G-set: the same examples for every target; their answers choose its native sources and its design",
  look: "a second look: its G-set score is in the sources' top quartile, and more of its tailored coreset decides between that coreset and a stratified sample",
  nset: "the rest of its tailored coreset: medoids of the examples as its native sources answer them",
  strata:
    "a difficulty-stratified random sample: its G-set score is in the sources' top quartile (above every source's, or with no second look)",
  "look-strata":
    "a difficulty-stratified random sample around the examples answered: its second look put it at the top of the sources",
};

/** Short names of the reasons, for a table of rounds ({@link reasonLabel}). */
const LABEL: Record<string, string> = {
  gset: "the G-set",
  look: "a second look",
  nset: "the rest of its N-set",
  strata: "a stratified sample",
  "look-strata": "a stratified sample",
  precision: "more precision",
};

/**
 * Why a plan asks for the examples it asks for, in a sentence that names the rule (the web page's
 * plan line; {@link Evaluation.describe} is the CLI's shorter phrase): `mode`, `outOfRange`,
 * `fallback` as {@link Evaluation.design} gives them, `nativeSources` their count.
 */
export function describePlan(p: {
  mode: string;
  outOfRange: "above" | "below" | null;
  nativeSources: number;
  fallback: string;
}): string {
  const relaxed = p.fallback !== "none" ? " (no source was within the mean distance d̄: the threshold was relaxed)" : "";
  switch (p.mode) {
    case "beyond":
      return p.outOfRange === "above"
        ? "beyond: above every source model on the G-set, so the rest is a stratified random sample of the benchmark (it does not lean on sources that answer like it)"
        : "beyond: at the top of the sources on the examples answered (at or above the upper quartile of their scores), so the rest is a stratified random sample of the benchmark — not necessarily out of the sources' range";
    case "look":
      return "second look: at the top of the sources on the G-set (at or above the upper quartile of their scores there); a few more of its tailored examples decide between within and beyond";
    case "within":
      return `within: among the sources on the examples answered (below the upper quartile of their scores); ${p.nativeSources} native sources, and the N-set is their cluster medoids${relaxed}`;
    default:
      return `${p.nativeSources} native sources; the N-set is their cluster medoids${relaxed}`;
  }
}

/**
 * What a G-set score out of the sources' range says about a target (`outOfRange` of
 * {@link Evaluation.design}), in a clause: "its G-set score is above every source's: it is probably
 * stronger than all of them".
 */
export function outOfRangeNote(side: "above" | "below"): string {
  return `its G-set score is ${side} every source's: it is probably ${side === "above" ? "stronger" : "weaker"} than all of them`;
}

/**
 * The design a finished tailored-plus target ended on, in a phrase (the web page's method row):
 * `"beyond: …; a stratified sample"` or `"within the sources' range"`; null for any other mode
 * (TailoredBench has none).
 */
export function describeMode(mode: string | undefined): string | null {
  if (mode === "beyond") return "beyond: at the top of the sources on the examples answered; a stratified sample";
  if (mode === "within") return "within the sources' range";
  return null;
}

/**
 * What an estimate out of the sources' range means for its interval, in a sentence (`tb estimate`'s
 * "out of range" line), or null when it is in range: `flag` is the estimate's `outOfRange`,
 * `onGset` the G-set flag of tailored-plus's design (null for TailoredBench), `mode` its mode.
 */
export function estimateRangeNote(
  flag: "above" | "below" | null,
  onGset: "above" | "below" | null,
  mode: string | undefined,
): string | null {
  if (flag === null) return null;
  const end = flag === "above" ? "upper" : "lower";
  if (onGset !== null) {
    return (
      `its G-set score is ${onGset} every source's, so the sources say little about it; ` +
      (mode === "beyond"
        ? "the estimate rests on its own answers (a stratified random sample) and the interval is design-based"
        : `the interval's ${end} end is widened to what its own answers and the sources' shift on its coreset allow`)
    );
  }
  return `its score on its coreset is at the ${flag === "above" ? "top" : "bottom"} of the sources' there, so the interval's ${end} end is widened to what its own answers and the sources' shift on those examples allow`;
}

/**
 * One phrase on the design a target of `ev` is on — why these examples: TailoredBench's native
 * sources and N-set, or tailored-plus's mode (a second look pending, within the sources' range,
 * or a stratified random sample beyond it), with a relaxed native threshold noted. For a plan's
 * line in the CLI and the web page; `why` on each step says the same of one round.
 */
function describeDesign(ev: Evaluation, target: number | string = 0): string {
  const budget = ev.budget;
  const d = ev.design(target);
  let what: string;
  if (ev.method === "tailored") {
    what = `${d.natives.length} native sources (d̄ = ${d.dBar.toFixed(3)}), N-set of ${budget} examples`;
  } else if (d.mode === "look") {
    what = `in the sources' top quartile on the G-set: a second look at ${d.pending.length} more examples of its tailored coreset decides its design`;
  } else if (d.mode === "within") {
    what = d.looked
      ? `within the sources' range on the second look: the rest of its tailored coreset`
      : `within the sources' range: ${d.natives.length} native sources, N-set of ${budget} medoids`;
  } else {
    what = d.looked
      ? `at the top of the sources on the second look too: a stratified random sample (${d.strata} difficulty strata)`
      : d.outOfRange === "above"
        ? `above every source on the G-set: a stratified random sample (${d.strata} difficulty strata)`
        : `in the sources' top quartile on the G-set: a stratified random sample (${d.strata} difficulty strata)`;
  }
  if (d.mode !== "beyond" && d.fallback !== "none") what += " (no source within d̄: native threshold relaxed)";
  return what;
}

/**
 * A few words for a step's `reason` (`gset`, `look`, `nset`, `strata`, `look-strata`,
 * `precision`), for a table of rounds; `why` on the step says it in a sentence. An unknown reason
 * comes back as it is.
 */
export function reasonLabel(reason: string): string {
  return LABEL[reason] ?? reason;
}

/** The phase of an evaluation a round belongs to ({@link reasonPhase}). */
export type RoundPhase = "probe" | "look" | "design" | "precision";

const PHASE: Record<string, RoundPhase> = {
  gset: "probe",
  look: "look",
  nset: "design",
  strata: "design",
  "look-strata": "design",
  precision: "precision",
};

/**
 * The phase a step's `reason` belongs to: `probe` (the G-set), `look` (tailored-plus's second
 * look), `design` (the rest of the fixed-budget design: an N-set or a stratified sample) or
 * `precision` (a round of precision on demand) — what a front end needs to show the step in the
 * right place, without restating which reason follows which.
 *
 * @throws TbError `E_USAGE` for a reason no evaluation gives
 */
export function reasonPhase(reason: string): RoundPhase {
  const p = PHASE[reason];
  if (p === undefined) throw new TbError("E_USAGE", `reasonPhase: unknown reason ${JSON.stringify(reason)}`);
  return p;
}

/**
 * A resumable evaluation of one target (or of a group evaluated jointly) by tailored-plus or
 * TailoredBench. Create it with {@link createEvaluation}, then repeat `next()` → run the model →
 * `answer()` until `done`, then `estimate()`. `toJSON()` saves it at any point and
 * {@link restoreEvaluation} resumes it with the same sources.
 */
export class Evaluation {
  /**
   * The options of {@link createEvaluation} among `options` (those set, not undefined) that
   * `method` does not read: `secondLook`, `precision`, `maxBudget` and `coordinated` belong to
   * tailored-plus alone. The one place that says which method reads what; `createEvaluation`
   * refuses these, and a front end (the CLI) asks it to name its own flags in the refusal.
   */
  static unreadOptions(
    method: "tailored-plus" | "tailored",
    options: { readonly [K in keyof EvaluationOptions]?: EvaluationOptions[K] | undefined },
  ): string[] {
    if (method === "tailored-plus") return [];
    return PLUS_ONLY_OPTIONS.filter((k) => options[k] !== undefined);
  }

  readonly sources: CorrectnessMatrix;
  readonly names: readonly string[];
  readonly level: number;
  /** The protocol object this drives (for researchers: per-target designs, `result()`). */
  readonly run: TailoredRun;

  /** @internal use {@link createEvaluation} or {@link restoreEvaluation} */
  constructor(sources: CorrectnessMatrix, names: readonly string[], run: TailoredRun) {
    this.sources = sources;
    this.names = names;
    this.run = run;
    this.level = run.options.level ?? EVALUATION_DEFAULTS.level;
  }

  get method(): "tailored-plus" | "tailored" {
    return this.run.method;
  }

  get budget(): number {
    return this.run.budget;
  }

  /** Whether every target is done. */
  get done(): boolean {
    return this.run.done;
  }

  /** The G-set's example ids. */
  get gset(): string[] {
    return this.ids(this.run.gset);
  }

  /**
   * Whether `ids` (in order) are this evaluation's G-set — the draw of its seed, size and distances.
   * A G-set saved by an earlier step (a probe file) must be, or answers given on it would be taken
   * for another G-set's; a front end refuses the saved file when it is not.
   */
  drewGset(ids: readonly string[]): boolean {
    const g = this.gset;
    return ids.length === g.length && g.every((id, k) => id === ids[k]);
  }

  /**
   * Whether answering target `target`'s open step may lead to another step: after the G-set or a
   * second look always, after the design or a precision round when the evaluation asks for a
   * precision (it stops once the interval is tight enough); false when the target has no open step.
   */
  mayAskAfter(target: number | string = 0): boolean {
    const t = this.targetIndex(target, "mayAskAfter");
    const open = this.run.requests().find((r) => r.target === t);
    if (open === undefined) return false;
    const phase = reasonPhase(open.reason);
    return phase === "probe" || phase === "look" || this.run.options.precision !== undefined;
  }

  /**
   * Whether target `target`'s open step is a second look: its answers choose the design and give
   * no estimate, so a front end asks for them and then for the design's (false when the target has
   * another step open, or none).
   */
  isSecondLook(target: number | string = 0): boolean {
    const t = this.targetIndex(target, "isSecondLook");
    const open = this.run.requests().find((r) => r.target === t);
    return open !== undefined && reasonPhase(open.reason) === "look";
  }

  /** What to run next: one step per target still to answer this round; empty when done. */
  next(): EvaluationStep[] {
    return this.run.requests().map((r) => ({
      target: r.target,
      name: this.names[r.target] as string,
      ids: this.ids(r.examples),
      examples: r.examples,
      reason: r.reason,
      phase: reasonPhase(r.reason),
      why: r.reason === "precision" ? this.precisionWhy(r.target, r.examples.length) : (WHY[r.reason] ?? r.reason),
    }));
  }

  /** Why a precision round: how many more, how many so far, and the half-width that asks for them. */
  private precisionWhy(t: number, more: number): string {
    const d = this.run.design(t);
    const pd = d.precision;
    const O = this.run.options;
    const asked = this.run.askedOf(t).length;
    const hw = pd === undefined ? Number.NaN : pd.halfWidth;
    return (
      `${more} more difficulty-stratified random examples (${asked} asked so far, at most ${String(O.maxBudget)}): ` +
      `the interval's half-width ${hw.toFixed(3)} is above the precision ${String(O.precision)} asked for`
    );
  }

  /**
   * Give target `target`'s answers to its open step: an array in the step's order, or an object
   * keyed by example id (every id of the step; other ids are refused).
   *
   * @throws TbError `E_USAGE` when the target has no open step or answers are missing or extra;
   *   `E_INPUT` for an answer that is not a number in [0, 1].
   */
  answer(target: number | string, answers: ArrayLike<number> | Readonly<Record<string, number>>): void {
    const t = this.targetIndex(target, "answer");
    const open = this.run.requests().find((r) => r.target === t);
    if (open === undefined) {
      throw new TbError(
        "E_USAGE",
        `answer: target "${this.names[t]}" has no open step (${this.run.done ? "the evaluation is done" : "the other targets answer the G-set first"})`,
      );
    }
    if (answers !== null && typeof answers === "object" && typeof (answers as ArrayLike<number>).length !== "number") {
      const rec = answers as Readonly<Record<string, number>>;
      const ids = this.ids(open.examples);
      const want = new Set(ids);
      const missing = ids.filter((id) => !Object.hasOwn(rec, id));
      const extra = Object.keys(rec).filter((id) => !want.has(id));
      if (missing.length > 0 || extra.length > 0) {
        throw new TbError(
          "E_USAGE",
          `answer: target "${this.names[t]}"` +
            (missing.length > 0
              ? ` is missing ${missing.length} of the ${ids.length} ids asked (${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""})`
              : "") +
            (extra.length > 0
              ? `${missing.length > 0 ? " and" : ""} answers ids not asked (${extra.slice(0, 5).join(", ")}${extra.length > 5 ? ", …" : ""})`
              : ""),
        );
      }
      const values = ids.map((id) => rec[id] as number);
      this.checkStep(t, ids, values);
      this.run.answer(t, values);
      return;
    }
    const list = answers as ArrayLike<number>;
    if (list === null || typeof list !== "object" || typeof list.length !== "number") {
      throw new TbError(
        "E_USAGE",
        `answer: answers must be an array (in the step's order) or an object keyed by example id`,
      );
    }
    this.checkStep(t, this.ids(open.examples), list);
    this.run.answer(t, list);
  }

  /** A step's answers in `answer`'s terms: one per example asked, each a number in [0, 1], named by its id. */
  private checkStep(t: number, ids: readonly string[], values: ArrayLike<number>): void {
    if (values.length !== ids.length) {
      throw new TbError(
        "E_USAGE",
        `answer: target "${this.names[t]}" gave ${values.length} answers for the ${ids.length} examples asked`,
      );
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(typeof v === "number" && v >= 0 && v <= 1)) {
        throw new TbError(
          "E_INPUT",
          `answer: target "${this.names[t]}"'s answer for example "${ids[i]}" is ${String(v)}, not a number in [0, 1]`,
        );
      }
    }
  }

  /**
   * Answer target `target`'s open step from answers keyed by column (e.g. read from a file that may
   * hold more examples than asked): when every example of the step is there, it is answered and
   * `missing` is empty; otherwise nothing is answered and `missing` lists the ids not there.
   *
   * @throws TbError `E_INPUT` when an example answered before is answered differently here.
   */
  answerFrom(target: number | string, byColumn: ReadonlyMap<number, number>): { missing: string[]; asked: number } {
    const t = this.targetIndex(target);
    const open = this.run.requests().find((r) => r.target === t);
    if (open === undefined) {
      throw new TbError("E_USAGE", `answerFrom: target "${this.names[t]}" has no open step`);
    }
    const before = this.run.answersOf(t);
    for (const [j, v] of before) {
      const now = byColumn.get(j);
      if (now !== undefined && now !== v) {
        throw new TbError(
          "E_INPUT",
          `answers: example "${this.sources.exampleIds[j]}" is answered ${now}, but it was answered ${v} before`,
        );
      }
    }
    const missing: string[] = [];
    for (const j of open.examples) if (!byColumn.has(j)) missing.push(this.sources.exampleIds[j] as string);
    if (missing.length === 0)
      this.run.answer(
        t,
        Array.from(open.examples, (j) => byColumn.get(j) as number),
      );
    return { missing, asked: open.examples.length };
  }

  /**
   * The estimate of a finished target: accuracy, interval at `level`, rank among the sources with
   * its interval, and how it was reached.
   *
   * @throws TbError `E_USAGE` when the target is not done.
   */
  estimate(target: number | string = 0): EvaluationEstimate {
    const t = this.targetIndex(target);
    const d = this.run.design(t);
    const est = this.run.estimateOf(t);
    let interval = est.interval;
    if (this.method === "tailored") {
      // the faithful method's interval as `tb estimate` has always given it (estimateInterval)
      const plan = { natives: d.natives as Int32Array, nset: d.nset as Int32Array, labels: d.labels as Int32Array };
      interval = estimateInterval(this.sources, plan, est.accuracy, { level: this.level }).interval;
    }
    const outOfRange = d.outOfRange ?? this.run.coresetFlag(t);
    return {
      target: this.names[t] as string,
      accuracy: est.accuracy,
      interval,
      level: this.level,
      rank: rankAmongSources(this.sources.trueScores(), est.accuracy, interval),
      method: this.method,
      ...(this.method === "tailored-plus" ? { mode: d.mode as "within" | "beyond", secondLook: d.secondLook } : {}),
      outOfRange,
      asked: this.ids(this.run.askedOf(t)),
      budget: this.budget,
      nativeSources: d.mode === "beyond" ? 0 : (d.natives?.length ?? 0),
      rounds: est.rounds,
      ...(est.reachedPrecision !== undefined ? { reachedPrecision: est.reachedPrecision } : {}),
    };
  }

  /**
   * One phrase on the design target `target` is on — why these examples: TailoredBench's native
   * sources and N-set, or tailored-plus's mode (a second look pending, within the sources' range,
   * or a stratified random sample beyond it), with a relaxed native threshold noted. For a plan's
   * line in the CLI; `why` on each step says the same of one round.
   */
  describe(target: number | string = 0): string {
    return describeDesign(this, target);
  }

  /**
   * Why target `target` is asked for what it is asked, in a sentence that names the rule (the web
   * page's plan line; {@link describe} is the CLI's shorter phrase).
   */
  describePlan(target: number | string = 0): string {
    const d = this.design(target);
    return describePlan({
      mode: d.mode ?? "",
      outOfRange: d.outOfRange,
      nativeSources: d.natives.length,
      fallback: d.fallback,
    });
  }

  /**
   * Target `target`'s score on everything it has answered so far (its share of right answers; NaN
   * before any answer): after a second look, the score on the G-set and the look that chose its design.
   */
  answeredScore(target: number | string = 0): number {
    const answers = this.run.answersOf(this.targetIndex(target));
    let sum = 0;
    for (const v of answers.values()) sum += v;
    return sum / answers.size;
  }

  /** What target `target`'s G-set score out of the sources' range says ({@link outOfRangeNote}), or null when it is in range. */
  outOfRangeNote(target: number | string = 0): string | null {
    const side = this.design(target).outOfRange;
    return side === null ? null : outOfRangeNote(side);
  }

  /** The design finished target `target` ended on, in a phrase ({@link describeMode}); null for TailoredBench. */
  describeMode(target: number | string = 0): string | null {
    return describeMode(this.design(target).mode);
  }

  /**
   * What finished target `target`'s estimate out of the sources' range means for its interval
   * ({@link estimateRangeNote}), or null when it is in range.
   */
  estimateRangeNote(target: number | string = 0): string | null {
    const est = this.estimate(target);
    const onGset = this.method === "tailored-plus" ? this.design(target).outOfRange : null;
    return estimateRangeNote(est.outOfRange, onGset, est.mode);
  }

  /** Target `target`'s design so far, in ids (what the CLI writes in its plan files). */
  design(target: number | string = 0): {
    stage: TargetStage;
    index: number;
    mode?: "within" | "beyond" | "look";
    outOfRange: OutOfRange;
    natives: string[];
    dBar: number;
    nBar: number;
    fallback: "none" | "target-source-mean" | "all-sources";
    /**
     * The examples the estimate will rest on: G-set first (look plans: the G-set and the look; at a
     * precision round, the base design — the round's draws, which it rests on too, are `pending`).
     */
    nset: string[];
    labels: number[];
    looked?: string[];
    strata?: number;
    pending: string[];
    gAnswers: Record<string, number>;
  } {
    const t = this.targetIndex(target);
    const d = this.run.design(t);
    const answers = this.run.answersOf(t);
    const gAnswers: Record<string, number> = {};
    for (const j of this.run.gset) gAnswers[this.sources.exampleIds[j] as string] = answers.get(j) as number;
    const open = this.run.requests().find((r) => r.target === t);
    const beyond = d.mode === "beyond";
    const nsetCols = beyond
      ? Int32Array.from([
          ...(d.design as NonNullable<typeof d.design>).fixed,
          ...(d.design as NonNullable<typeof d.design>).picks,
        ])
      : d.mode === "look"
        ? (this.run.lookNsetOf(t) as Int32Array)
        : (d.nset ?? this.run.gset);
    return {
      stage: d.stage,
      index: d.index,
      ...(d.mode !== undefined ? { mode: d.mode } : {}),
      outOfRange: d.outOfRange,
      natives: beyond ? [] : this.models(d.natives ?? new Int32Array(0)),
      dBar: beyond ? 0 : (d.dBar ?? 0),
      nBar: beyond ? 0 : (d.nBar ?? 0),
      fallback: d.fallback ?? "none",
      nset: this.ids(nsetCols),
      labels: beyond ? [] : Array.from((d.mode === "look" ? d.lookLabels : d.labels) ?? []),
      ...(d.looked !== undefined && d.mode !== "look" ? { looked: this.ids(d.looked) } : {}),
      ...(beyond ? { strata: (d.design as NonNullable<typeof d.design>).strata } : {}),
      pending: open === undefined ? [] : this.ids(open.examples),
      gAnswers,
    };
  }

  /**
   * The evaluation as versioned JSON: all of it, or one target alone (after the G-set round, a
   * target goes on by itself: `tb tailor` writes one file per target).
   */
  toJSON(target?: number | string): SavedEvaluation {
    const st = this.run.state;
    const pick = target === undefined ? st.slots.map((_, t) => t) : [this.targetIndex(target)];
    if (target !== undefined && !st.groupDone && this.run.targets > 1) {
      throw new TbError("E_USAGE", "toJSON: one target of a group can be saved alone only after the G-set round");
    }
    const O = this.run.options;
    return {
      specVersion: 1,
      kind: "tailoredbench/evaluation",
      method: this.method,
      budget: this.budget,
      rng: [...this.run.rng.keys],
      options: {
        ...protocolOptions(O),
        level: this.level,
        gset: O.gset ?? EVALUATION_DEFAULTS.gset,
        // always written for tailored-plus: a save without it comes from a release whose draws were independent
        ...(this.method === "tailored-plus" ? { coordinated: O.coordinated !== false } : {}),
      },
      source: sourceRef(this.sources),
      gset: this.gset,
      joint: st.groupDone,
      nativeFallbacks: st.fallbacks,
      nBars: [...st.nBars],
      targets: pick.map((t) => {
        const s = st.slots[t] as (typeof st.slots)[number];
        const out: SavedTarget = {
          name: this.names[t] as string,
          index: s.index,
          stage: s.stage,
          outOfRange: s.outOfRange,
          secondLook: s.secondLook,
          asked: this.ids(s.asked),
          answers: s.asked.map((j) => s.answers.get(j) as number),
          pending: s.pending === null ? null : this.ids(s.pending),
          reason: s.reason,
        };
        if (s.mode !== undefined) out.mode = s.mode;
        if (s.natives !== undefined) out.natives = this.models(s.natives);
        if (s.dBar !== undefined) out.dBar = s.dBar;
        if (s.nBar !== undefined) out.nBar = s.nBar;
        if (s.fallback !== undefined) out.fallback = s.fallback;
        if (s.nset !== undefined) out.nset = this.ids(s.nset);
        if (s.labels !== undefined) out.labels = Array.from(s.labels);
        if (s.looked !== undefined) out.looked = this.ids(s.looked);
        if (s.lookNset !== undefined) out.lookNset = this.ids(s.lookNset);
        if (s.lookLabels !== undefined) out.lookLabels = Array.from(s.lookLabels);
        if (s.design !== undefined) {
          out.design = { fixed: this.ids(s.design.fixed), picks: this.ids(s.design.picks), strata: s.design.strata };
        }
        if (s.precision !== undefined) {
          out.precision = {
            fixed: this.ids(s.precision.fixed),
            strata: s.precision.strata,
            picks: this.ids(s.precision.picks),
            halfWidth: s.precision.halfWidth,
          };
        }
        if (s.rounds !== undefined) out.rounds = s.rounds;
        return out;
      }),
    };
  }

  private ids(cols: ArrayLike<number>): string[] {
    return Array.from(cols, (j) => this.sources.exampleIds[j] as string);
  }

  private models(rows: ArrayLike<number>): string[] {
    return Array.from(rows, (s) => this.sources.modelIds[s] as string);
  }

  private targetIndex(target: number | string, where?: string): number {
    const at = where === undefined ? "" : `${where}: `;
    if (typeof target === "string") {
      const t = this.names.indexOf(target);
      if (t < 0) throw new TbError("E_USAGE", `${at}no target named "${target}" (targets: ${this.names.join(", ")})`);
      return t;
    }
    if (!(Number.isInteger(target) && target >= 0 && target < this.names.length)) {
      throw new TbError("E_USAGE", `${at}target ${String(target)} is not in [0, ${this.names.length})`);
    }
    return target;
  }
}

/** The rank of an estimate among sources with these true scores, and of its interval's ends. */
export function rankAmongSources(scores: ArrayLike<number>, accuracy: number, interval: [number, number] | null): Rank {
  const rankOf = (x: number) => {
    let above = 0;
    for (let s = 0; s < scores.length; s++) if ((scores[s] as number) > x) above++;
    return above + 1;
  };
  return {
    position: rankOf(accuracy),
    of: scores.length + 1,
    interval: interval === null ? null : [rankOf(interval[1]), rankOf(interval[0])],
  };
}

/**
 * The sources as a matrix: a CorrectnessMatrix as it is, a plain array (or ml-matrix) with
 * `examples` as its column ids. Errors name `examples` and `where` (the function called).
 */
export function toMatrix(
  sources: MatrixLike | CorrectnessMatrix,
  examples: readonly string[] | undefined,
  where: string,
): CorrectnessMatrix {
  if (sources === null || typeof sources !== "object") {
    throw new TbError(
      "E_INPUT",
      `${where}: sources must be a matrix (one array of values per model, an ml-matrix or a CorrectnessMatrix), got ${sources === null ? "null" : typeof sources}`,
    );
  }
  if (sources instanceof CorrectnessMatrix) {
    if (examples !== undefined) {
      throw new TbError("E_USAGE", `${where}: examples applies to plain arrays; a CorrectnessMatrix has its own ids`);
    }
    return sources;
  }
  if (examples !== undefined) {
    if (!Array.isArray(examples) || examples.some((id) => typeof id !== "string")) {
      throw new TbError("E_INPUT", `${where}: examples must be a list of example ids (strings)`);
    }
    const first = Array.isArray(sources) ? (sources[0] as ArrayLike<number> | undefined) : undefined;
    const cols =
      sources !== null && typeof sources === "object" && "columns" in sources
        ? (sources as { columns: number }).columns
        : first !== null && typeof first === "object" && typeof first?.length === "number"
          ? first.length
          : undefined;
    if (cols !== undefined && examples.length !== cols) {
      throw new TbError(
        "E_INPUT",
        `${where}: examples has ${examples.length} ids, but the sources have ${cols} examples (values per model)`,
      );
    }
  }
  return CorrectnessMatrix.from(
    sources as MatrixLike,
    examples !== undefined ? { exampleIds: examples, name: "sources" } : { name: "sources" },
  );
}

/** The options only tailored-plus reads ({@link Evaluation.unreadOptions}). */
const PLUS_ONLY_OPTIONS = ["secondLook", "precision", "maxBudget", "coordinated"] as const;

function runOptions(o: EvaluationOptions, where: string): TailoredRunOptions {
  const method = o.method ?? EVALUATION_DEFAULTS.method;
  if (method !== "tailored-plus" && method !== "tailored") {
    throw new TbError("E_USAGE", `${where}: method must be "tailored-plus" or "tailored", got "${String(method)}"`);
  }
  const level = o.level ?? EVALUATION_DEFAULTS.level;
  if (!(typeof level === "number" && level > 0 && level < 1)) {
    throw new TbError("E_USAGE", `${where}: level must be in (0, 1), got ${String(level)}`);
  }
  const unread = Evaluation.unreadOptions(method, o);
  if (unread.includes("secondLook")) {
    throw new TbError("E_USAGE", `${where}: secondLook applies to method "tailored-plus" only`);
  }
  const share = o.secondLook ?? EVALUATION_DEFAULTS.secondLook;
  if (!(typeof share === "number" && share >= 0 && share < 1)) {
    throw new TbError("E_USAGE", `${where}: secondLook must be a share in [0, 1), got ${String(share)}`);
  }
  const pooling = o.pooling;
  if (pooling !== undefined && pooling !== "joint" && pooling !== "single") {
    throw new TbError("E_USAGE", `${where}: pooling must be "joint" or "single", got "${String(pooling)}"`);
  }
  const out: TailoredRunOptions = { gset: o.gset ?? EVALUATION_DEFAULTS.gset, level };
  if (method === "tailored-plus") out.secondLook = share;
  for (const k of PASSED_ON) if (o[k] !== undefined) (out as Record<string, unknown>)[k] = o[k];
  if (pooling !== undefined) out.targetPooling = pooling;
  if (unread.includes("precision") || unread.includes("maxBudget")) {
    throw new TbError("E_USAGE", `${where}: precision and maxBudget apply to method "tailored-plus" only`);
  }
  if (o.precision !== undefined) out.precision = o.precision;
  if (o.maxBudget !== undefined) out.maxBudget = o.maxBudget;
  if (o.coordinated !== undefined) {
    if (unread.includes("coordinated")) {
      throw new TbError("E_USAGE", `${where}: coordinated applies to method "tailored-plus" only`);
    }
    if (typeof o.coordinated !== "boolean") {
      throw new TbError("E_USAGE", `${where}: coordinated must be true or false, got ${String(o.coordinated)}`);
    }
    out.coordinated = o.coordinated;
  }
  if (method === "tailored-plus") checkPlusOptions(out, where);
  else checkTailoredOptions(out, where);
  return out;
}

/** Options passed on to the protocol as they are (clustering and workspace). */
const PASSED_ON = [
  "metric",
  "standardize",
  "thresholdCompare",
  "onNoNatives",
  "gsetClustering",
  "nsetClustering",
  "cacheBytes",
  "workspace",
] as const;

/** The option names of one target's evaluation ({@link evaluate}'s, too). */
export const ONE_TARGET_OPTIONS: ReadonlySet<string> = new Set([
  "method",
  "budget",
  "seed",
  "level",
  "gset",
  "secondLook",
  "precision",
  "maxBudget",
  "coordinated",
  "examples",
  ...PASSED_ON,
]);

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([...ONE_TARGET_OPTIONS, "targets", "pooling"]);

/** Refuse an option name the function does not know (a typo would otherwise be ignored). */
export function checkOptionNames(o: object, known: ReadonlySet<string>, where: string): void {
  checkOptionKeys(o, [...known], where);
}

/**
 * Start a resumable evaluation of one target (or of `targets`, evaluated jointly) on `sources`.
 *
 * ```ts
 * const ev = createEvaluation(sources, { budget: 30, seed: 0 });
 * while (!ev.done) for (const step of ev.next()) ev.answer(step.target, await runMyModel(step.ids));
 * const { accuracy, interval, rank } = ev.estimate();
 * ```
 *
 * @param sources per-example correctness of the source models (models × examples)
 * @throws TbError `E_USAGE` for bad options (named as here), `E_INPUT` for bad sources
 */
export function createEvaluation(sources: MatrixLike | CorrectnessMatrix, options: EvaluationOptions = {}): Evaluation {
  const where = "createEvaluation";
  if (options === null || typeof options !== "object") {
    throw new TbError("E_USAGE", `${where}: options must be an object`);
  }
  checkOptionNames(options, KNOWN_OPTIONS, where);
  if (options.workspace !== undefined) workspaceOf(options.workspace, `${where}: workspace`);
  const matrix = toMatrix(sources, options.examples, where);
  if (matrix.rows < 3) throw new TbError("E_INPUT", `${where}: need at least 3 source models, got ${matrix.rows}`);
  const ro = runOptions(options, where);
  const seed = options.seed ?? EVALUATION_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed))
    throw new TbError("E_USAGE", `${where}: seed must be an integer, got ${String(seed)}`);
  const g = ro.gset as number;
  if (!(g < matrix.cols)) {
    throw new TbError("E_USAGE", `${where}: gset ${g} must be smaller than the number of examples (${matrix.cols})`);
  }
  const budget = options.budget ?? Math.min(EVALUATION_DEFAULTS.budget, matrix.cols);
  if (!(Number.isInteger(budget) && budget > g && budget <= matrix.cols)) {
    throw new TbError(
      "E_USAGE",
      `${where}: budget must be an integer larger than the G-set (${g}) and at most the ${matrix.cols} examples, got ${String(budget)}`,
    );
  }
  checkPrecisionOptions(options, budget, matrix.cols, where);
  const names = options.targets ?? ["target"];
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== "string" || n === "")) {
    throw new TbError("E_USAGE", `${where}: targets must be a non-empty list of names`);
  }
  if (new Set(names).size !== names.length) throw new TbError("E_USAGE", `${where}: target names must be distinct`);
  const run = new TailoredRun(
    options.method ?? EVALUATION_DEFAULTS.method,
    {
      sources: matrix,
      targets: names.length,
      budget,
      rng: RandomStream.derive(seed),
      ...(options.workspace ? { workspace: options.workspace } : {}),
    },
    ro,
  );
  return new Evaluation(matrix, [...names], run);
}

/** A plan file of `tb tailor` before evaluations were saved whole (read for compatibility). */
export interface LegacyPlan {
  kind: "tailoredbench/plan";
  target: string;
  seed: number;
  targetIndex: number;
  pooling?: "single" | "joint";
  budget: number;
  gset: string[];
  nset: string[];
  toEvaluate: string[];
  nativeSources: string[];
  labels: number[];
  gAnswers: Record<string, number>;
  dBar: number;
  nBar: number;
  options: { metric?: string; standardize?: boolean };
  source: SourceRef;
  method?: "tailored" | "tailored-plus";
  mode?: "within" | "beyond" | "look";
  looked?: string[];
  strata?: number;
  outOfRange?: "above" | "below" | null;
}

/** Options of {@link restoreEvaluation}. */
export interface RestoreOptions {
  /** Nominal coverage of the estimate's interval (default: the saved one; a plan file's: 0.9). */
  level?: number;
  /** Where work is kept between evaluations (results never depend on it). */
  workspace?: Workspace;
}

/** The saved form of a plan file of an earlier release. */
function fromLegacyPlan(p: LegacyPlan): SavedEvaluation {
  // a plan of an earlier release, read field by field: a missing one is named, not a TypeError
  const need = (field: string, ok: boolean, what: string) => {
    if (!ok) throw new TbError("E_INPUT", `restoreEvaluation: ${field} ${what}`);
  };
  const list = (field: keyof LegacyPlan) => need(field, Array.isArray(p[field]), "must be a list");
  list("gset");
  list("nset");
  list("toEvaluate");
  need("gAnswers", p.gAnswers !== null && typeof p.gAnswers === "object", "must be an object of the G-set's answers");
  need("options", p.options !== null && typeof p.options === "object", "must be an object");
  if (p.mode !== "beyond") {
    list("nativeSources");
    list("labels");
  }
  const method = p.method ?? "tailored";
  const g = p.gset.length;
  const looked = p.looked ?? [];
  const inG = new Set(p.gset);
  const mode = p.mode;
  const target: SavedTarget = {
    name: p.target,
    index: p.targetIndex,
    stage: mode === "look" ? "look" : "final",
    outOfRange: p.outOfRange ?? null,
    secondLook: mode === "look" || looked.length > 0,
    asked: [...p.gset],
    answers: p.gset.map((id) => p.gAnswers[id] as number),
    pending: mode === "look" ? [...p.toEvaluate] : p.nset.filter((id) => !inG.has(id)),
    reason: mode === "look" ? "look" : mode === "beyond" ? (looked.length > 0 ? "look-strata" : "strata") : "nset",
  };
  if (mode !== undefined) target.mode = mode;
  if (looked.length > 0) target.looked = [...looked];
  if (mode === "beyond") {
    target.design = { fixed: p.nset.slice(0, g + looked.length), picks: [...p.toEvaluate], strata: p.strata as number };
  } else {
    target.natives = [...p.nativeSources];
    target.dBar = p.dBar;
    target.nBar = p.nBar;
    if (mode === "look") {
      target.lookNset = [...p.nset];
      target.lookLabels = [...p.labels];
      target.looked = [...p.toEvaluate];
    } else {
      target.nset = [...p.nset];
      target.labels = [...p.labels];
    }
  }
  const options: Record<string, unknown> = { gset: g };
  if (p.options.metric !== undefined) options.metric = p.options.metric;
  if (p.options.standardize !== undefined) options.standardize = p.options.standardize;
  if (method === "tailored-plus") options.secondLook = EVALUATION_DEFAULTS.secondLook;
  return {
    specVersion: 1,
    kind: "tailoredbench/evaluation",
    method,
    budget: p.budget,
    rng: [p.seed],
    options,
    source: p.source,
    gset: [...p.gset],
    joint: true,
    nativeFallbacks: 0,
    nBars: [p.nBar],
    targets: [target],
  };
}

/**
 * Resume a saved evaluation ({@link Evaluation.toJSON}, or a `tb tailor` plan file of an earlier
 * release) with the same sources: the matrix's sha256 must match the one saved.
 *
 * @throws TbError `E_INPUT` naming the field for a malformed or foreign save; `E_USAGE` for bad options
 */
export function restoreEvaluation(
  sources: CorrectnessMatrix,
  saved: SavedEvaluation | LegacyPlan,
  options: RestoreOptions = {},
): Evaluation {
  const where = "restoreEvaluation";
  if (!(sources instanceof CorrectnessMatrix)) {
    throw new TbError("E_USAGE", `${where}: sources must be a CorrectnessMatrix (the one the evaluation was made on)`);
  }
  if (options === null || typeof options !== "object")
    throw new TbError("E_USAGE", `${where}: options must be an object`);
  checkOptionNames(options, new Set(["level", "workspace"]), where);
  const bad = (field: string, what: string): never => {
    throw new TbError("E_INPUT", `${where}: ${field} ${what}`);
  };
  if (saved === null || typeof saved !== "object") bad("the saved evaluation", "must be an object");
  const kind = (saved as { kind?: unknown }).kind;
  let s: SavedEvaluation;
  if (kind === "tailoredbench/plan") s = fromLegacyPlan(saved as LegacyPlan);
  else if (kind === "tailoredbench/evaluation") s = saved as SavedEvaluation;
  else
    return bad(
      "kind",
      `must be "tailoredbench/evaluation" (or a plan file's "tailoredbench/plan"), got ${JSON.stringify(kind)}`,
    );
  if (kind === "tailoredbench/evaluation" && s.specVersion !== 1) {
    bad("specVersion", `${JSON.stringify(s.specVersion)} is not supported (this release reads 1)`);
  }
  if (s.method !== "tailored-plus" && s.method !== "tailored")
    bad("method", `must be "tailored-plus" or "tailored", got ${JSON.stringify(s.method)}`);
  const ref = sourceRef(sources);
  const sr = s.source as Partial<SourceRef> | undefined;
  if (sr === undefined || typeof sr !== "object") bad("source", "is missing");
  if (sr?.sha256 !== ref.sha256 || sr?.models !== ref.models || sr?.examples !== ref.examples) {
    throw new TbError(
      "E_INPUT",
      `${where}: the evaluation was made on another source matrix (sha256 ${String(sr?.sha256).slice(0, 12)}…, ${sr?.models} models × ${sr?.examples} examples); ` +
        `these sources have sha256 ${ref.sha256.slice(0, 12)}… (${ref.models} × ${ref.examples})`,
    );
  }
  const colOf = new Map<string, number>();
  sources.exampleIds.forEach((id, j) => {
    colOf.set(id, j);
  });
  const rowOf = new Map<string, number>();
  sources.modelIds.forEach((id, r) => {
    rowOf.set(id, r);
  });
  const cols = (ids: unknown, field: string): Int32Array => {
    if (!Array.isArray(ids)) return bad(field, "must be a list of example ids");
    return Int32Array.from(ids, (id, k) => {
      const j = colOf.get(id as string);
      if (j === undefined) return bad(`${field}[${k}]`, `"${String(id)}" is not an example id of the sources`);
      return j;
    });
  };
  const rows = (ids: unknown, field: string): Int32Array => {
    if (!Array.isArray(ids)) return bad(field, "must be a list of model ids");
    const seenRows = new Set<number>();
    return Int32Array.from(ids, (id, k) => {
      const r = rowOf.get(id as string);
      if (r === undefined) return bad(`${field}[${k}]`, `"${String(id)}" is not a source model id`);
      if (seenRows.has(r)) return bad(`${field}[${k}]`, `"${String(id)}" is listed twice`);
      seenRows.add(r);
      return r;
    });
  };
  const o = (s.options ?? {}) as Record<string, unknown>;
  if (o === null || typeof o !== "object" || Array.isArray(o)) bad("options", "must be an object");
  for (const k of Object.keys(o)) {
    if (!(OPTION_KEYS as readonly string[]).includes(k)) bad(`options.${k}`, "is not an option of an evaluation");
  }
  // precision on demand decided its rounds (when to stop) at the saved level: another level would
  // change a finished evaluation or ask for rounds its own rule did not
  const savedLevel = (o.level as number | undefined) ?? EVALUATION_DEFAULTS.level;
  if (o.precision !== undefined && options.level !== undefined && options.level !== savedLevel) {
    throw new TbError(
      "E_USAGE",
      `${where}: level ${String(options.level)} differs from the level ${savedLevel} at which its precision rounds were decided (leave it out)`,
    );
  }
  const ro: TailoredRunOptions = {};
  for (const [k, v] of Object.entries(o)) (ro as Record<string, unknown>)[k] = v;
  if (options.level !== undefined) ro.level = options.level;
  if (ro.level === undefined) ro.level = EVALUATION_DEFAULTS.level;
  // saved before coordinated draws became the default (they wrote no `coordinated`): their draws were independent
  if (s.method === "tailored-plus" && ro.coordinated === undefined) ro.coordinated = false;
  if (options.workspace !== undefined) ro.workspace = options.workspace;
  try {
    if (s.method === "tailored-plus") checkPlusOptions(ro, `${where}: options`);
    else checkTailoredOptions(ro, `${where}: options`);
  } catch (e) {
    if (e instanceof TbError && options.level !== undefined && !(options.level > 0 && options.level < 1)) {
      throw new TbError("E_USAGE", `${where}: level must be in (0, 1), got ${String(options.level)}`);
    }
    throw e;
  }
  if (!(options.level === undefined || (options.level > 0 && options.level < 1))) {
    throw new TbError("E_USAGE", `${where}: level must be in (0, 1), got ${String(options.level)}`);
  }
  const gset = cols(s.gset, "gset");
  if (gset.length !== (ro.gset ?? EVALUATION_DEFAULTS.gset))
    bad("gset", `has ${gset.length} examples, options.gset says ${String(ro.gset)}`);
  if (!Array.isArray(s.rng) || s.rng.some((k) => typeof k !== "string" && typeof k !== "number")) {
    bad("rng", "must be a list of stream keys");
  }
  if (!Number.isSafeInteger(s.budget)) bad("budget", `must be an integer, got ${JSON.stringify(s.budget)}`);
  if (!Array.isArray(s.targets) || s.targets.length === 0) bad("targets", "must be a non-empty list");
  const STAGES = ["gset", "look", "final", "precision", "done"];
  const slots = s.targets.map((t, i) => {
    const f = `targets[${i}]`;
    if (t === null || typeof t !== "object") bad(f, "must be an object");
    if (!STAGES.includes(t.stage))
      bad(`${f}.stage`, `must be one of ${STAGES.join(", ")}, got ${JSON.stringify(t.stage)}`);
    if (!Array.isArray(t.answers) || !Array.isArray(t.asked) || t.answers.length !== t.asked.length) {
      bad(`${f}.answers`, "must be a list of numbers, one per id of asked");
    }
    const asked = cols(t.asked, `${f}.asked`);
    const answers = new Map<number, number>();
    asked.forEach((j, k) => {
      const v = t.answers[k];
      if (!(typeof v === "number" && v >= 0 && v <= 1))
        bad(`${f}.answers[${k}]`, `is ${String(v)}, not a number in [0, 1]`);
      answers.set(j, v as number);
    });
    for (const j of gset) {
      if (t.stage !== "gset" && !answers.has(j))
        bad(`${f}.answers`, `lacks the G-set example "${sources.exampleIds[j]}"`);
    }
    const fields: SlotFields = {
      index: t.index,
      stage: t.stage,
      outOfRange: t.outOfRange ?? null,
      secondLook: t.secondLook === true,
      answers,
      asked: Array.from(asked),
      pending: t.pending === null || t.pending === undefined ? null : cols(t.pending, `${f}.pending`),
      reason: typeof t.reason === "string" ? t.reason : "",
    };
    if (!Number.isInteger(t.index) || t.index < 0) bad(`${f}.index`, `must be an integer ≥ 0, got ${String(t.index)}`);
    if (t.mode !== undefined && !["within", "beyond", "look"].includes(t.mode))
      bad(`${f}.mode`, `must be "within", "beyond" or "look", got ${JSON.stringify(t.mode)}`);
    if (fields.outOfRange !== null && fields.outOfRange !== "above" && fields.outOfRange !== "below")
      bad(`${f}.outOfRange`, `must be "above", "below" or null, got ${JSON.stringify(t.outOfRange)}`);
    for (const k of ["dBar", "nBar"] as const) {
      if (t[k] !== undefined && typeof t[k] !== "number")
        bad(`${f}.${k}`, `must be a number, got ${JSON.stringify(t[k])}`);
    }
    if (fields.pending !== null && !(fields.reason in PHASE))
      bad(`${f}.reason`, `${JSON.stringify(t.reason)} is not a reason this release asks for`);
    if (t.mode !== undefined) fields.mode = t.mode;
    if (t.natives !== undefined) fields.natives = rows(t.natives, `${f}.natives`);
    if (t.dBar !== undefined) fields.dBar = t.dBar;
    if (t.nBar !== undefined) fields.nBar = t.nBar;
    if (t.fallback !== undefined) fields.fallback = t.fallback;
    if (t.nset !== undefined) fields.nset = cols(t.nset, `${f}.nset`);
    // a cluster slot per example, each a slot of its medoid list
    const slotsOf = (v: unknown, field: string, K: number | undefined): Int32Array => {
      if (!Array.isArray(v) || v.length !== sources.cols)
        bad(field, `must have one slot per example (${sources.cols})`);
      const arr = v as unknown[];
      arr.forEach((x, k) => {
        if (!(typeof x === "number" && Number.isInteger(x) && x >= 0 && (K === undefined || x < K)))
          bad(`${field}[${k}]`, `is ${JSON.stringify(x)}, not a slot of the ${K ?? "?"} medoids`);
      });
      return Int32Array.from(arr as number[]);
    };
    if (t.labels !== undefined) fields.labels = slotsOf(t.labels, `${f}.labels`, fields.nset?.length);
    if (t.looked !== undefined) fields.looked = cols(t.looked, `${f}.looked`);
    if (t.lookNset !== undefined) fields.lookNset = cols(t.lookNset, `${f}.lookNset`);
    if (t.lookLabels !== undefined)
      fields.lookLabels = slotsOf(t.lookLabels, `${f}.lookLabels`, fields.lookNset?.length);
    if (t.design !== undefined) {
      fields.design = {
        fixed: cols(t.design.fixed, `${f}.design.fixed`),
        picks: cols(t.design.picks, `${f}.design.picks`),
        strata: t.design.strata,
      };
    }
    if (t.precision !== undefined) {
      const pr = t.precision;
      if (pr === null || typeof pr !== "object") bad(`${f}.precision`, "must be an object");
      if (!(Number.isInteger(pr.strata) && pr.strata >= 1)) {
        bad(`${f}.precision.strata`, `must be an integer ≥ 1, got ${String(pr.strata)}`);
      }
      fields.precision = {
        fixed: cols(pr.fixed, `${f}.precision.fixed`),
        strata: pr.strata,
        picks: cols(pr.picks, `${f}.precision.picks`),
        halfWidth: typeof pr.halfWidth === "number" ? pr.halfWidth : Number.NaN,
      };
    }
    if (t.rounds !== undefined) {
      if (!(Number.isInteger(t.rounds) && t.rounds >= 0))
        bad(`${f}.rounds`, `must be an integer ≥ 0, got ${String(t.rounds)}`);
      fields.rounds = t.rounds;
    }
    const needs = (ok: boolean, what: string) => {
      if (!ok) bad(f, `is at the ${t.stage} step${t.mode ? ` (${t.mode})` : ""} but has no ${what}`);
    };
    if (t.stage === "look")
      needs(fields.lookNset !== undefined && fields.natives !== undefined, "lookNset and natives");
    if (t.stage === "precision") needs(fields.precision !== undefined, "precision");
    if ((t.stage === "final" || t.stage === "done" || t.stage === "precision") && t.mode === "beyond")
      needs(fields.design !== undefined, "design");
    if ((t.stage === "final" || t.stage === "done" || t.stage === "precision") && t.mode !== "beyond") {
      needs(
        fields.nset !== undefined && fields.labels !== undefined && fields.natives !== undefined,
        "nset, labels and natives",
      );
    }
    // what is asked now: open at every step but the last (the G-set's: open, or answered while the
    // others answer), distinct, not answered yet, and within the budget (precision: maxBudget)
    const pend = fields.pending;
    if (t.stage === "done" && pend !== null) bad(`${f}.pending`, "must be null at the done step");
    if ((t.stage === "look" || t.stage === "final" || t.stage === "precision") && pend === null)
      bad(`${f}.pending`, `is null, but the ${t.stage} step asks for examples`);
    if (pend !== null) {
      const seen = new Set<number>();
      pend.forEach((j, k) => {
        if (seen.has(j) || (answers.has(j) && t.stage !== "gset"))
          bad(
            `${f}.pending[${k}]`,
            `"${sources.exampleIds[j]}" is ${seen.has(j) ? "listed twice" : "answered already"}`,
          );
        seen.add(j);
      });
      const cap = typeof ro.maxBudget === "number" ? Math.max(ro.maxBudget, s.budget) : s.budget;
      const total = new Set([...answers.keys(), ...pend]).size;
      if (total > cap) bad(`${f}.pending`, `asks ${total} distinct examples in all, more than the ${cap} allowed`);
    }
    // the examples the estimate rests on are answered (or asked now); a plan of an earlier release
    // kept only its G-set answers (the responses file answers the rest)
    const rests =
      kind !== "tailoredbench/evaluation" || t.stage === "gset" || t.stage === "look"
        ? []
        : t.mode === "beyond"
          ? [...(fields.design?.fixed ?? []), ...(fields.design?.picks ?? [])]
          : Array.from(fields.nset ?? []);
    for (const j of rests) {
      if (!answers.has(j) && !(pend?.includes(j) ?? false))
        bad(`${f}.answers`, `lacks "${sources.exampleIds[j]}", an example its estimate rests on`);
    }
    return fields;
  });
  const indices = new Set(slots.map((x) => x.index));
  if (indices.size !== slots.length) bad("targets", "have the same index twice");
  // every target answered the G-set, yet the step after it was not taken: nothing could go on
  if (s.joint !== true && slots.every((x) => x.stage === "gset" && x.pending === null))
    bad("targets", "all answered the G-set but the step after it was not taken (joint is not true)");
  const names = s.targets.map((t, i) => (typeof t.name === "string" && t.name !== "" ? t.name : `target ${i}`));
  const run = new TailoredRun(
    s.method,
    {
      sources,
      targets: slots.length,
      budget: s.budget,
      rng: RandomStream.derive(...(s.rng as StreamKey[])),
      ...(options.workspace ? { workspace: options.workspace } : {}),
    },
    ro,
    {
      gset,
      slots,
      groupDone: s.joint === true,
      fallbacks: typeof s.nativeFallbacks === "number" ? s.nativeFallbacks : 0,
      nBars: Array.isArray(s.nBars) ? s.nBars : [],
    },
  );
  run.recompute();
  return new Evaluation(sources, names, run);
}
