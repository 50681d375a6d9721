/**
 * The paired comparison users drive (docs/DESIGN.md §3.6): {@link createComparison} → `next()` /
 * `answer()` → `difference()`; saved with `toJSON()` and resumed with {@link restoreComparison};
 * {@link compare} in one call. A user-facing face of {@link PairedRun}, with example ids, like
 * {@link Evaluation} is of `TailoredRun`.
 */
import {
  CorrectnessMatrix,
  type MatrixLike,
  RandomStream,
  type SourceRef,
  type StreamKey,
  sourceRef,
  TbError,
  type Workspace,
} from "@tb/core";
import { defaultStrata } from "../plus/design.js";
import type { OutOfRange } from "../plus/method.js";
import {
  calibrationHalf,
  type PairedDesignKind,
  type PairedEstimator,
  PairedRun,
  type PairedRunOptions,
  pairedDraws,
} from "./compare.js";
import { checkOptionNames, EVALUATION_DEFAULTS, type Rank, rankAmongSources, toMatrix } from "./session.js";

/** Options of {@link createComparison}. */
export interface ComparisonOptions {
  /** N: distinct examples each model is run on (the same for both), G-set included; default 30. */
  budget?: number;
  /** Seed of every random choice; default 0. */
  seed?: number;
  /** Nominal coverage of the difference's interval; default 0.9. */
  level?: number;
  /** `"stratified"` (default: the G-set, then a difficulty-stratified sample) or `"random"` (one uniform sample). */
  design?: PairedDesignKind;
  /** Names of the two models, A then B; default `["A", "B"]`. */
  names?: readonly [string, string] | readonly string[];
  /** G-set size of the stratified design; default 10. */
  gset?: number;
  /** Example ids when `sources` is a plain array (default `"0"…"n−1"`). */
  examples?: readonly string[];
  /** Where work is kept between calls (caller-owned; results never depend on it). */
  workspace?: Workspace;
}

/** What to run next for one of the two models. */
export interface ComparisonStep {
  /** 0 for A, 1 for B. */
  target: number;
  name: string;
  /** Example ids to run the model on, in the order the answers are expected (the same for both). */
  ids: string[];
  /** The same examples as column indices of the sources. */
  examples: Int32Array;
  /** Always `"paired"`. */
  reason: string;
  why: string;
}

/** One model's side of a comparison. */
export interface ComparisonSide {
  name: string;
  /** Its estimated accuracy on the whole benchmark, from the shared examples. */
  accuracy: number;
  /** Its rank among the sources by their true scores (no interval: `interval` is `null`). */
  rank: Rank;
}

/** The result of a comparison: the difference A − B and each model's estimate. */
export interface ComparisonResult {
  /** Estimated accuracy of A minus that of B (`a.accuracy − b.accuracy`). */
  difference: number;
  /** Interval for the difference at `level`, within [−1, 1]. */
  interval: [number, number];
  level: number;
  /** Standard error of the difference. */
  se: number;
  /** P(A is better than B), the normal approximation `Φ(difference / se)`. */
  probabilityABetter: number;
  a: ComparisonSide;
  b: ComparisonSide;
  /** Examples where the two answered differently. */
  disagreements: number;
  /** Example ids both were asked, in order. */
  asked: string[];
  budget: number;
  design: PairedDesignKind;
  /**
   * Which estimate gave the difference: `learned` when both models' scores on the shared examples
   * are inside the sources' range there (`outOfRange` both null) and the sources are enough for
   * the learned interval at `level` (its calibration half needs ≥ `level/(1 − level)` pairs: 9
   * sources at 0.9), else `design` (docs/DESIGN.md §3.6). `level` takes part in both tests, so
   * another level can change the estimator as well as the width.
   */
  estimator: PairedEstimator;
  /** Per model (A, B), its score on the shared examples against the sources' (stratified design; null for random). */
  outOfRange: [OutOfRange, OutOfRange] | null;
  /**
   * `estimator` and `outOfRange` in words, e.g. "learned from the sources (both models inside
   * their range on these examples)" or "design-based (mine above the sources' range on these
   * examples)" — what `tb compare` and the web page print.
   */
  estimatorNote: string;
}

/** A saved comparison (`toJSON()`; docs/DESIGN.md §3.6). */
export interface SavedComparison {
  specVersion: 1;
  kind: "tailoredbench/comparison";
  design: PairedDesignKind;
  budget: number;
  /** The key path of the comparison's random stream (`[seed]`). */
  rng: StreamKey[];
  /**
   * `calibration: "split"` (stratified designs since 2026-12-07): the G-set was chosen on a seeded
   * half of the sources and the other half calibrates the learned difference's interval (the
   * halves follow from `rng`). Absent in comparisons saved before; they keep the rule they were
   * made with (every source's pairs, the design's interval as a floor).
   * `allocation: "pooled"` (stratified designs since 2026-12-07): the draws were allocated around
   * the G-set pooled into the strata. Absent in comparisons saved before, whose draws were
   * allocated in proportion to stratum size; they keep that.
   */
  options: { level: number; gset: number; calibration?: "split"; allocation?: "pooled" };
  source: SourceRef;
  names: [string, string];
  /** The G-set (empty for the random design). */
  gset: string[];
  /** The random draws after the G-set. */
  picks: string[];
  strata: number;
  /** Each model's answers in the order of `gset` then `picks`, or `null` while not answered. */
  answers: [number[] | null, number[] | null];
}

const WHY: Record<PairedDesignKind, string> = {
  stratified:
    "the same examples for both models: the G-set, then a difficulty-stratified random sample, so that their difference is measured on common ground",
  random: "the same uniform random sample for both models, so that their difference is measured on common ground",
};

/**
 * A resumable paired comparison of two models A and B on one shared design. Create it with
 * {@link createComparison}; `next()` gives each model's examples (the same for both), `answer()`
 * takes them, and once `done`, `difference()` gives A − B with its interval and P(A better).
 */
export class Comparison {
  readonly sources: CorrectnessMatrix;
  readonly names: readonly [string, string];
  /** The protocol object this drives (for researchers). */
  readonly run: PairedRun;
  /** The key path of its random stream. */
  readonly rng: readonly StreamKey[];

  /** @internal use {@link createComparison} or {@link restoreComparison} */
  constructor(sources: CorrectnessMatrix, names: readonly [string, string], run: PairedRun, rng: readonly StreamKey[]) {
    this.sources = sources;
    this.names = names;
    this.run = run;
    this.rng = rng;
  }

  get budget(): number {
    return this.run.budget;
  }

  /** The seed the comparison was made with (`createComparison`'s `seed`), or null when its stream is not one seed's. */
  get seed(): number | null {
    const k = this.rng;
    return k.length === 1 && typeof k[0] === "number" ? k[0] : null;
  }

  get level(): number {
    return this.run.level;
  }

  get design(): PairedDesignKind {
    return this.run.design;
  }

  /** Whether both models answered. */
  get done(): boolean {
    return this.run.done;
  }

  /** The example ids both models are asked, in order. */
  get examples(): string[] {
    return this.ids(this.run.examples);
  }

  /** What to run next: one step per model still to answer; empty when done. */
  next(): ComparisonStep[] {
    return this.run.requests().map((r) => ({
      target: r.target,
      name: this.names[r.target] as string,
      ids: this.ids(r.examples),
      examples: r.examples,
      reason: r.reason,
      why: WHY[this.design],
    }));
  }

  /**
   * Give model `target`'s answers (0/"A"-name for A, 1 for B): an array in the step's order, or an
   * object keyed by example id (every id of the step; other ids are refused).
   *
   * @throws TbError `E_USAGE` when the model answered already or answers are missing or extra;
   *   `E_INPUT` for an answer that is not a number in [0, 1].
   */
  answer(target: number | string, answers: ArrayLike<number> | Readonly<Record<string, number>>): void {
    const t = this.targetIndex(target, "answer");
    if (this.run.state.answers[t] !== null) {
      throw new TbError("E_USAGE", `answer: model "${this.names[t]}" has answered already`);
    }
    if (answers !== null && typeof answers === "object" && typeof (answers as ArrayLike<number>).length !== "number") {
      const rec = answers as Readonly<Record<string, number>>;
      const ids = this.examples;
      const want = new Set(ids);
      const missing = ids.filter((id) => !Object.hasOwn(rec, id));
      const extra = Object.keys(rec).filter((id) => !want.has(id));
      if (missing.length > 0 || extra.length > 0) {
        throw new TbError(
          "E_USAGE",
          `answer: model "${this.names[t]}"` +
            (missing.length > 0
              ? ` is missing ${missing.length} of the ${ids.length} ids asked (${few(missing)})`
              : "") +
            (extra.length > 0 ? `${missing.length > 0 ? " and" : ""} answers ids not asked (${few(extra)})` : ""),
        );
      }
      renamed("answer", () =>
        this.run.answer(
          t,
          ids.map((id) => rec[id] as number),
        ),
      );
      return;
    }
    renamed("answer", () => this.run.answer(t, answers as ArrayLike<number>));
  }

  /**
   * Answer model `target` from answers keyed by column (e.g. read from a file that may hold more
   * examples than asked): when every example is there it is answered and `missing` is empty;
   * otherwise nothing is answered and `missing` lists the ids not there.
   */
  answerFrom(target: number | string, byColumn: ReadonlyMap<number, number>): { missing: string[]; asked: number } {
    const t = this.targetIndex(target, "answerFrom");
    if (this.run.state.answers[t] !== null) {
      throw new TbError("E_USAGE", `answerFrom: model "${this.names[t]}" has answered already`);
    }
    const m = byColumn as Partial<ReadonlyMap<number, number>> | null;
    if (m === null || typeof m !== "object" || typeof m.has !== "function" || typeof m.get !== "function") {
      throw new TbError("E_USAGE", "answerFrom: byColumn must be a Map from column index to answer");
    }
    const ex = this.run.examples;
    const missing: string[] = [];
    for (const j of ex) if (!byColumn.has(j)) missing.push(this.sources.exampleIds[j] as string);
    if (missing.length === 0)
      renamed("answerFrom", () =>
        this.run.answer(
          t,
          Array.from(ex, (j) => byColumn.get(j) as number),
        ),
      );
    return { missing, asked: ex.length };
  }

  /**
   * The difference A − B with its interval at `level`, P(A better) and each model's estimate.
   *
   * @throws TbError `E_USAGE` before both models answered
   */
  difference(): ComparisonResult {
    if (!this.done) {
      const left = this.names.filter((_, t) => this.run.state.answers[t] === null);
      throw new TbError("E_USAGE", `difference: ${left.map((n) => `"${n}"`).join(" and ")} must answer first`);
    }
    const r = this.run.difference();
    const scores = this.sources.trueScores();
    const side = (t: 0 | 1): ComparisonSide => ({
      name: this.names[t],
      accuracy: r.accuracies[t],
      rank: rankAmongSources(scores, r.accuracies[t], null),
    });
    return {
      difference: r.difference,
      interval: r.interval,
      level: r.level,
      se: r.se,
      probabilityABetter: r.probabilityABetter,
      a: side(0),
      b: side(1),
      disagreements: r.disagreements,
      asked: this.examples,
      budget: this.budget,
      design: this.design,
      estimator: r.estimator,
      outOfRange: r.outOfRange,
      estimatorNote: estimatorNote(r.estimator, r.outOfRange, this.names),
    };
  }

  /** The comparison as versioned JSON (restore it with {@link restoreComparison}). */
  toJSON(): SavedComparison {
    const st = this.run.state;
    return {
      specVersion: 1,
      kind: "tailoredbench/comparison",
      design: this.design,
      budget: this.budget,
      rng: [...this.rng],
      options: {
        level: this.level,
        gset: st.gset.length,
        ...(st.calibration !== null ? { calibration: "split" as const } : {}),
        ...(st.allocation === "pooled" ? { allocation: "pooled" as const } : {}),
      },
      source: sourceRef(this.sources),
      names: [this.names[0], this.names[1]],
      gset: this.ids(st.gset),
      picks: this.ids(st.picks),
      strata: st.strata,
      answers: [
        st.answers[0] === null ? null : Array.from(st.answers[0]),
        st.answers[1] === null ? null : Array.from(st.answers[1]),
      ],
    };
  }

  private ids(cols: ArrayLike<number>): string[] {
    return Array.from(cols, (j) => this.sources.exampleIds[j] as string);
  }

  private targetIndex(target: number | string, where: string): 0 | 1 {
    if (typeof target === "string") {
      const t = this.names.indexOf(target);
      if (t < 0)
        throw new TbError("E_USAGE", `${where}: no model named "${target}" (models: ${this.names.join(", ")})`);
      return t as 0 | 1;
    }
    if (target !== 0 && target !== 1) {
      throw new TbError("E_USAGE", `${where}: target must be 0 (A) or 1 (B), got ${String(target)}`);
    }
    return target;
  }
}

function few(ids: string[]): string {
  return `${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ", …" : ""}`;
}

const KNOWN_OPTIONS = new Set(["budget", "seed", "level", "design", "names", "gset", "examples", "workspace"]);

function checkNames(names: unknown, where: string): [string, string] {
  if (
    !Array.isArray(names) ||
    names.length !== 2 ||
    names.some((n) => typeof n !== "string" || n === "") ||
    names[0] === names[1]
  ) {
    throw new TbError("E_USAGE", `${where}: names must be two distinct non-empty names, got ${JSON.stringify(names)}`);
  }
  return [names[0] as string, names[1] as string];
}

/** PairedRun's messages start with "paired:"; say them in the terms of the function called. */
function renamed<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TbError) throw new TbError(e.code, e.message.replace(/^paired/, where));
    throw e;
  }
}

/**
 * Start a paired comparison of two models on `sources`: both are asked the same `budget`
 * examples — the G-set and a difficulty-stratified random sample (or, `design: "random"`, one
 * uniform sample) — and `difference()` estimates A − B.
 *
 * ```ts
 * const cmp = createComparison(sources, { budget: 30, names: ["mine", "theirs"] });
 * for (const step of cmp.next()) cmp.answer(step.target, await run(step.name, step.ids));
 * const { difference, interval, probabilityABetter } = cmp.difference();
 * ```
 *
 * @throws TbError `E_USAGE` for bad options (named as here), `E_INPUT` for bad sources
 */
export function createComparison(sources: MatrixLike | CorrectnessMatrix, options: ComparisonOptions = {}): Comparison {
  const where = "createComparison";
  if (options === null || typeof options !== "object")
    throw new TbError("E_USAGE", `${where}: options must be an object`);
  checkOptionNames(options, KNOWN_OPTIONS, where);
  const matrix = toMatrix(sources, options.examples, where);
  const seed = options.seed ?? EVALUATION_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed))
    throw new TbError("E_USAGE", `${where}: seed must be an integer, got ${String(seed)}`);
  const level = options.level ?? EVALUATION_DEFAULTS.level;
  if (!(typeof level === "number" && level > 0 && level < 1)) {
    throw new TbError("E_USAGE", `${where}: level must be in (0, 1), got ${String(level)}`);
  }
  const design = options.design ?? "stratified";
  if (design !== "stratified" && design !== "random") {
    throw new TbError("E_USAGE", `${where}: design must be "stratified" or "random", got ${JSON.stringify(design)}`);
  }
  if (options.gset !== undefined && design === "random") {
    throw new TbError("E_USAGE", `${where}: gset applies to design "stratified" only`);
  }
  const budget = options.budget ?? Math.min(EVALUATION_DEFAULTS.budget, matrix.cols);
  const names = checkNames(options.names ?? ["A", "B"], where);
  const po: PairedRunOptions = { design, level };
  if (design === "stratified") po.gset = options.gset ?? EVALUATION_DEFAULTS.gset;
  const rng = RandomStream.derive(seed);
  const run = renamed(
    where,
    () =>
      new PairedRun(
        {
          sources: matrix,
          targets: 2,
          budget,
          rng,
          ...(options.workspace !== undefined ? { workspace: options.workspace } : {}),
        },
        po,
      ),
  );
  return new Comparison(matrix, names, run, rng.keys);
}

/**
 * Resume a saved comparison ({@link Comparison.toJSON}) with the same sources: the matrix's sha256
 * must match the one saved and every id must be one of its examples.
 *
 * @throws TbError `E_INPUT` naming the field for a malformed or foreign save; `E_USAGE` for bad options
 */
export function restoreComparison(
  sources: CorrectnessMatrix,
  saved: SavedComparison,
  options: { level?: number } = {},
): Comparison {
  const where = "restoreComparison";
  if (!(sources instanceof CorrectnessMatrix)) {
    throw new TbError("E_USAGE", `${where}: sources must be a CorrectnessMatrix (the one the comparison was made on)`);
  }
  if (options === null || typeof options !== "object")
    throw new TbError("E_USAGE", `${where}: options must be an object`);
  checkOptionNames(options, new Set(["level"]), where);
  const bad = (field: string, what: string): never => {
    throw new TbError("E_INPUT", `${where}: ${field} ${what}`);
  };
  if (saved === null || typeof saved !== "object") bad("the saved comparison", "must be an object");
  if (saved.kind !== "tailoredbench/comparison")
    bad("kind", `must be "tailoredbench/comparison", got ${JSON.stringify(saved.kind)}`);
  if (saved.specVersion !== 1)
    bad("specVersion", `${JSON.stringify(saved.specVersion)} is not supported (this release reads 1)`);
  if (saved.design !== "stratified" && saved.design !== "random")
    bad("design", `must be "stratified" or "random", got ${JSON.stringify(saved.design)}`);
  const ref = sourceRef(sources);
  const sr = saved.source as Partial<SourceRef> | undefined;
  if (sr === undefined || sr === null || typeof sr !== "object") bad("source", "is missing");
  if (sr?.sha256 !== ref.sha256 || sr?.models !== ref.models || sr?.examples !== ref.examples) {
    throw new TbError(
      "E_INPUT",
      `${where}: the comparison was made on another source matrix (sha256 ${String(sr?.sha256).slice(0, 12)}…, ${sr?.models} models × ${sr?.examples} examples); ` +
        `these sources have sha256 ${ref.sha256.slice(0, 12)}… (${ref.models} × ${ref.examples})`,
    );
  }
  if (!Array.isArray(saved.rng) || saved.rng.some((k) => typeof k !== "string" && typeof k !== "number"))
    bad("rng", "must be a list of stream keys");
  let names: [string, string] = ["A", "B"];
  try {
    names = checkNames(saved.names, where);
  } catch {
    bad("names", `must be two distinct non-empty names, got ${JSON.stringify(saved.names)}`);
  }
  const colOf = new Map<string, number>();
  sources.exampleIds.forEach((id, j) => {
    colOf.set(id, j);
  });
  const seen = new Set<number>();
  const cols = (ids: unknown, field: string): Int32Array => {
    if (!Array.isArray(ids)) return bad(field, "must be a list of example ids");
    return Int32Array.from(ids, (id, k) => {
      const j = colOf.get(id as string);
      if (j === undefined) return bad(`${field}[${k}]`, `"${String(id)}" is not an example id of the sources`);
      if (seen.has(j)) return bad(`${field}[${k}]`, `"${String(id)}" is listed twice`);
      seen.add(j);
      return j;
    });
  };
  const gset = cols(saved.gset, "gset");
  const picks = cols(saved.picks, "picks");
  if (saved.design === "random" && gset.length > 0) bad("gset", "must be empty in the random design");
  if (saved.design === "stratified" && gset.length === 0) bad("gset", "must not be empty in the stratified design");
  const budget = gset.length + picks.length;
  if (saved.budget !== budget) bad("budget", `is ${String(saved.budget)}, but gset and picks hold ${budget} examples`);
  const o = saved.options as
    | { level?: unknown; gset?: unknown; calibration?: unknown; allocation?: unknown }
    | undefined;
  if (o === undefined || o === null || typeof o !== "object") bad("options", "is missing");
  if (o?.gset !== gset.length) bad("options.gset", `is ${String(o?.gset)}, but gset holds ${gset.length} examples`);
  if (o?.calibration !== undefined && (o.calibration !== "split" || saved.design !== "stratified"))
    bad("options.calibration", `must be "split" (stratified design) or absent, got ${JSON.stringify(o.calibration)}`);
  if (o?.allocation !== undefined && (o.allocation !== "pooled" || o.calibration !== "split"))
    bad(
      "options.allocation",
      `must be "pooled" (stratified design with split calibration) or absent, got ${JSON.stringify(o.allocation)}`,
    );
  const allocation = o?.allocation === "pooled" ? "pooled" : "proportional";
  const level = options.level ?? o?.level;
  if (!(typeof level === "number" && level > 0 && level < 1)) {
    if (options.level !== undefined)
      throw new TbError("E_USAGE", `${where}: level must be in (0, 1), got ${String(options.level)}`);
    bad("options.level", `must be in (0, 1), got ${String(o?.level)}`);
  }
  const extra = picks.length;
  // createComparison's strata: defaultStrata of the draws (the random design: 1) — another value
  // would estimate with strata the draws were not made in
  const strata = saved.design === "random" ? 1 : defaultStrata(extra);
  if (saved.strata !== strata)
    bad("strata", `must be ${strata} (${saved.design} design, ${extra} draws), got ${JSON.stringify(saved.strata)}`);
  if (!Array.isArray(saved.answers) || saved.answers.length !== 2)
    bad("answers", "must be a list of two entries (A, B)");
  const answers = saved.answers.map((a, t) => {
    if (a === null) return null;
    if (!Array.isArray(a) || a.length !== budget) bad(`answers[${t}]`, `must be null or a list of ${budget} answers`);
    return Float64Array.from(a, (v, k) => {
      if (!(typeof v === "number" && v >= 0 && v <= 1))
        bad(`answers[${t}][${k}]`, `is ${String(v)}, not a number in [0, 1]`);
      return v;
    });
  }) as [Float64Array | null, Float64Array | null];
  const po: PairedRunOptions = { design: saved.design, level: level as number };
  if (saved.design === "stratified") {
    po.gset = gset.length;
    po.strata = strata;
  }
  const rng = RandomStream.derive(...(saved.rng as StreamKey[]));
  // The draws follow from the comparison's stream and the saved G-set (and with split calibration,
  // so does the half that calibrates): drawn again — cheap, no K-Medoids — they must be the saved
  // ones, or an edited rng, gset or picks would give the numbers of another comparison. (A save
  // from before split calibration has no calibration half; its rng is not read.)
  let calibration: Int32Array | null = null;
  if (saved.design === "random" || o?.calibration === "split") {
    const drawn = pairedDraws(sources, saved.design, gset, picks.length, rng, strata, allocation).picks;
    if (!(drawn.length === picks.length && drawn.every((v, k) => v === picks[k]))) {
      bad(
        "rng",
        `${JSON.stringify(saved.rng)} does not give the saved gset and picks on these sources (was the saved comparison edited?)`,
      );
    }
    if (o?.calibration === "split") calibration = calibrationHalf(sources.rows, rng.child("calibration")).calibration;
  }
  const run = renamed(
    where,
    () =>
      new PairedRun({ sources, targets: 2, budget, rng }, po, {
        gset,
        picks,
        strata,
        answers,
        calibration,
        allocation,
      }),
  );
  return new Comparison(sources, names, run, rng.keys);
}

/** What `compare`'s `askA`/`askB` return: answers in [0, 1], one per id, in order (or a promise). */
export type CompareAsk = (exampleIds: string[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Options of {@link compare}: those of {@link createComparison}. */
export type CompareOptions = ComparisonOptions;

/**
 * Compare two models in one call: both are run on the same `budget` examples ({@link
 * createComparison}), and the result is the difference A − B with its interval at `level`, the
 * probability that A is better, and each model's estimated accuracy. Neither ask is ever called
 * for more than `budget` distinct examples.
 *
 * ```ts
 * const r = await compare(sources, (ids) => runMine(ids), (ids) => runTheirs(ids), { budget: 30 });
 * console.log(r.difference, r.interval, r.probabilityABetter);
 * ```
 *
 * @throws TbError `E_USAGE` for bad options, `E_INPUT` for bad sources or answers
 */
export async function compare(
  sources: MatrixLike | CorrectnessMatrix,
  askA: CompareAsk,
  askB: CompareAsk,
  options: CompareOptions = {},
): Promise<ComparisonResult> {
  if (typeof askA !== "function" || typeof askB !== "function") {
    throw new TbError("E_USAGE", "compare: askA and askB must be functions (ids) => answers");
  }
  let c: Comparison;
  try {
    c = createComparison(sources, options);
  } catch (e) {
    if (e instanceof TbError) throw new TbError(e.code, e.message.replace(/^createComparison/, "compare"));
    throw e;
  }
  const asks = [askA, askB];
  for (const step of c.next()) {
    const got = await (asks[step.target] as CompareAsk)(step.ids);
    const which = step.target === 0 ? "askA" : "askB";
    if (got === null || typeof got !== "object" || typeof (got as ArrayLike<number>).length !== "number") {
      throw new TbError("E_INPUT", `compare: ${which} must return an array of answers`);
    }
    if (got.length !== step.ids.length) {
      throw new TbError("E_INPUT", `compare: ${which} returned ${got.length} answers for ${step.ids.length} examples`);
    }
    for (let i = 0; i < got.length; i++) {
      const v = got[i];
      if (!(typeof v === "number" && v >= 0 && v <= 1)) {
        throw new TbError(
          "E_INPUT",
          `compare: ${which}'s answer for example "${step.ids[i]}" is ${String(v)}, not a number in [0, 1]`,
        );
      }
    }
    c.answer(step.target, got);
  }
  return c.difference();
}

/** Which estimate gave a comparison's difference, and why, in words ({@link ComparisonResult.estimatorNote}). */
function estimatorNote(
  estimator: PairedEstimator,
  outOfRange: [OutOfRange, OutOfRange] | null,
  names: readonly [string, string],
): string {
  if (estimator === "learned") return "learned from the sources (both models inside their range on these examples)";
  if (outOfRange === null) return "design-based (a plain mean over one uniform sample)";
  const why = ([0, 1] as const)
    .filter((t) => outOfRange[t] !== null)
    .map((t) => `${names[t]} ${outOfRange[t]} the sources' range on these examples`);
  if (why.length === 0) return "design-based (too few source models for the learned interval at this level)";
  return `design-based (${why.join("; ")})`;
}
