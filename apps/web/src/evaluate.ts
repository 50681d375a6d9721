/**
 * "Evaluate a model" in the browser: the rounds of `tb probe` → `tb tailor` → `tb estimate` for one
 * target model, on files held in memory instead of paths. The page drives the same resumable
 * evaluation of `@tb/estimate` as the CLI (`createEvaluation`), so a plan made here equals the
 * plan `tb tailor` writes for the same source matrix, seed and answers, and the estimate equals
 * `evaluate()`'s with the same options (test/evaluate.test.ts). After the G-set every step is the
 * same: answers to what the evaluation asked ({@link answerStep}) → what it asks for next (a second
 * look, the rest of its design, a precision round, …) or, once it asks for nothing more, its
 * estimate. This module only turns the page's settings and files into the evaluation's options
 * and answers; when to stop is the evaluation's (`done`).
 */
import { type CorrectnessMatrix, formatLocation, TbError } from "@tb/core";
import {
  createEvaluation,
  EVALUATION_DEFAULTS,
  type Evaluation,
  type EvaluationEstimate,
  type EvaluationOptions,
  type RoundPhase,
  reasonLabel,
  restoreEvaluation,
} from "@tb/estimate";
import {
  type DocOrder,
  type LmEvalSamplesOptions,
  lmEvalSamplesFor,
  lmEvalTaskFromFileName,
  parseCorrectnessCsv,
  parseResponses,
  responsesFormat,
} from "@tb/io/browser";

/** Settings of one evaluation (the CLI's flags of the same names). */
export interface EvaluateSettings {
  /** G-set size (`--gset`); default 10. */
  gset: number;
  /** Seed of the G-set and N-set (`--seed`); default 0. */
  seed: number;
  /**
   * Total examples the target answers, G-set included (`--budget`). Unset: the library's default for
   * the source matrix (`createEvaluation`'s; the evaluation reports the value it used).
   */
  budget?: number;
  /** `--method`; default tailored-plus. */
  method: "tailored-plus" | "tailored";
  /** `--distance`; default manhattan. */
  metric: NonNullable<EvaluationOptions["metric"]>;
  /** Cluster on z-scores (default) or raw correctness (`--no-standardize`). */
  standardize: boolean;
  /** Interval level (`--level`); default 0.9. */
  level: number;
  /** lm-eval task name for the `--samples` JSON (`--task`); default: from the example ids. */
  task?: string;
  /**
   * What the source matrix's example ids are (`--doc-order`): lm-eval doc indices (`"identity"`),
   * or column numbers of a matrix in lm-eval v0.3's visit order (`"lm-eval-v0.3"`, Open LLM
   * Leaderboard v1 data). Unset: not known, so no lm-eval `--samples` JSON is offered and lm-eval
   * answers are refused — lm-eval would run, or be paired with, other questions than the columns.
   */
  docOrder?: DocOrder;
  /** tailored-plus's second look (`--second-look`); default 0.3, 0: the G-set alone decides. */
  secondLook?: number;
  /**
   * Precision on demand (tailored-plus): the interval's half-width to reach; after the design of
   * `budget` examples the evaluation asks more rounds until it is reached or `maxBudget` is spent.
   */
  precision?: number;
  /** With `precision`: the most distinct examples the target is asked, in all. */
  maxBudget?: number;
}

export const DEFAULT_EVALUATE: EvaluateSettings = {
  gset: EVALUATION_DEFAULTS.gset,
  seed: EVALUATION_DEFAULTS.seed,
  method: EVALUATION_DEFAULTS.method,
  metric: "manhattan",
  standardize: true,
  level: EVALUATION_DEFAULTS.level,
};

/** Parse an uploaded source correctness CSV (all its rows are sources). */
export function loadSourceCsv(text: string, fileName: string): CorrectnessMatrix {
  return parseCorrectnessCsv(text, { file: fileName });
}

/**
 * The page's fields, by the library options they set (createEvaluation's, and lmEvalSamplesFor's
 * docOrder and task), for the library's errors.
 */
export const FIELD_OF: Record<string, string> = {
  gset: "G-set size",
  seed: "seed",
  budget: "budget",
  level: "interval level",
  secondLook: "second look",
  precision: "precision (half-width)",
  maxBudget: "at most N examples",
  method: "method",
  metric: "distance",
  docOrder: "example ids are",
  task: "lm-eval task",
};

/** The choices of the “example ids are” field, by the docOrder values they set. */
export const CHOICE_OF: Record<string, string> = {
  identity: "lm-eval doc indices",
  "lm-eval-v0.3": "columns in lm-eval v0.3 visit order",
};

/**
 * A library error in the page's fields: `option docOrder "lm-eval-v0.3"` becomes “example ids
 * are: columns in lm-eval v0.3 visit order”, and a usage error that starts with an option
 * ("createEvaluation: budget must be …") starts with its field ("budget must be …"). The
 * function's name is dropped always (it means nothing on the page); an error of another function
 * is returned as it is.
 * `fields` names the page's fields by option (the Evaluate view's by default; the Compare view
 * passes its own).
 */
export function inFields(e: unknown, fields: Record<string, string> = FIELD_OF): unknown {
  if (!(e instanceof TbError)) return e;
  const at = e.location === undefined ? "" : ` (${formatLocation(e.location)})`;
  const full = at !== "" && e.message.endsWith(at) ? e.message.slice(0, -at.length) : e.message;
  // a location that names nothing (`{}`) only adds " ()" to the message: both are dropped
  const where = e.location === undefined || formatLocation(e.location) === "" ? undefined : e.location;
  const unmapped = where === e.location ? e : new TbError(e.code, full);
  const m = /^(?:createEvaluation|createComparison|lmEvalSamplesFor|lmEvalSamplesSpec): (.*)$/s.exec(full);
  if (m === null) return unmapped;
  let mapped = false;
  let text = (m[1] as string).replace(/\boption (\w+)(?: "([^"]*)")?/g, (all, name: string, value) => {
    const field = fields[name];
    if (field === undefined) return all;
    mapped = true;
    return value === undefined ? `“${field}”` : `“${field}: ${CHOICE_OF[value] ?? value}”`;
  });
  const lead = /^(\w+)( .*)$/s.exec(text);
  const field = lead === null ? undefined : fields[lead[1] as string];
  let head = "";
  if (e.code === "E_USAGE" && lead !== null && field !== undefined) {
    head = field;
    text = lead[2] as string;
    mapped = true;
  }
  // an option named inside the sentence ("precision needs maxBudget (…)"): camelCase names only,
  // which read as nothing else (a plain word like "precision" may be the word itself)
  text = text.replace(/\b[a-z]+[A-Z]\w*\b/g, (name) => {
    const f = fields[name];
    if (f === undefined) return name;
    mapped = true;
    return `“${f}”`;
  });
  // the library function's name means nothing on the page: dropped even when no field is named
  return new TbError(e.code, mapped ? `${head}${text}` : (m[1] as string), where);
}

/** The evaluation's options from the page's settings; its errors name the page's fields. */
function evaluationOf(sources: CorrectnessMatrix, s: EvaluateSettings): Evaluation {
  try {
    return createEvaluation(sources, {
      method: s.method,
      seed: s.seed,
      level: s.level,
      gset: s.gset,
      metric: s.metric,
      standardize: s.standardize,
      // unset: the library's default for this matrix (the evaluation's `budget` says which)
      ...(s.budget !== undefined ? { budget: s.budget } : {}),
      // given as set: the evaluation refuses them where they do not apply (e.g. method tailored)
      ...(s.secondLook !== undefined ? { secondLook: s.secondLook } : {}),
      ...(s.precision !== undefined ? { precision: s.precision } : {}),
      ...(s.maxBudget !== undefined ? { maxBudget: s.maxBudget } : {}),
    });
  } catch (e) {
    throw inFields(e);
  }
}

/** The settings that shape the evaluation; changing one after the G-set means starting again. */
const SHAPING = [
  "gset",
  "seed",
  "budget",
  "method",
  "metric",
  "standardize",
  "level",
  "secondLook",
  "precision",
  "maxBudget",
] as const;

function checkUnchanged(made: EvaluateSettings, now: EvaluateSettings): void {
  const changed = SHAPING.filter((k) => made[k] !== now[k]);
  if (changed.length > 0) {
    throw new TbError(
      "E_USAGE",
      `the settings changed since the G-set was computed (${changed.map((k) => FIELD_OF[k] ?? k).join(", ")}): compute the G-set again to use them`,
    );
  }
}

/**
 * The lm-eval `--samples` JSON of some examples (task → doc indices), or why there is none: ids
 * must be lm-eval doc indices (`<doc>` with a task name, or `<task>/<doc>`).
 */
export interface Samples {
  samples: Record<string, number[]> | null;
  samplesNote?: string;
}

export function samplesOf(
  ids: readonly string[],
  s: Pick<EvaluateSettings, "docOrder" | "task">,
  examples: number,
  fields: Record<string, string> = FIELD_OF,
): Samples {
  if (s.docOrder === undefined) {
    return {
      samples: null,
      samplesNote:
        "the example ids are not known to be lm-eval doc indices, and lm-eval would run other questions than the matrix's columns; " +
        "say under “example ids are” what they are (lm-eval doc indices, or columns in lm-eval v0.3's visit order for Open LLM Leaderboard v1 data)",
    };
  }
  try {
    const o: LmEvalSamplesOptions = { docOrder: s.docOrder, examples };
    if (s.task !== undefined) o.task = s.task;
    return { samples: lmEvalSamplesFor(ids, o) };
  } catch (err) {
    if (!(err instanceof TbError)) throw err;
    // a sentence on the ids that names no option ("example id … is not an lm-eval doc index"): the
    // field whose choice it contradicts stands for the function's name
    const e = inFields(err, fields) as TbError;
    const m = /^lmEvalSamplesFor: (.*)$/s.exec(err.message);
    const unmapped = m !== null && e.message === m[1];
    const field = fields.docOrder ?? "docOrder";
    const note = unmapped ? `“${field}: ${CHOICE_OF[s.docOrder] ?? s.docOrder}”, but ${m[1]}` : e.message;
    return { samples: null, samplesNote: note };
  }
}

/** Saved evaluation (each step resumes a copy of it: a step may be answered again). */
type Saved = ReturnType<Evaluation["toJSON"]>;

/** One answered round, for the page's table of rounds. */
export interface RoundRow {
  /** 1 = the G-set. */
  round: number;
  /** Why it was asked (the evaluation's reason: gset, look, nset, strata, precision, …). */
  reason: string;
  /** The reason in a few words (the library's `reasonLabel`). */
  label: string;
  /** Distinct examples asked so far, this round included. */
  asked: number;
  /**
   * The interval's half-width at the look after this round, where the evaluation took one: the
   * one that asked for the next precision round, or the final interval's.
   */
  halfWidth?: number;
  /** The interval after this round, where the evaluation gives one (its estimate, once done). */
  interval?: [number, number] | null;
}

/** What the evaluation asks for, in any round: the examples, why, and the evaluation before the answers. */
export interface Asked extends Samples {
  /** This round's number (1 = the G-set). */
  round: number;
  /** The evaluation's reason for it (`gset`, `look`, `nset`, `strata`, `look-strata`, `precision`, …). */
  reason: string;
  /** Its phase (the library's `EvaluationStep.phase`): which step of the page takes its answers. */
  phase: RoundPhase;
  /** One sentence on why these examples (the library's). */
  why: string;
  /** The examples asked, as columns of the source matrix. */
  examples: Int32Array;
  /** The rounds answered before this one. */
  rounds: RoundRow[];
  /** The evaluation so far (the next step resumes a copy of it). */
  saved: Saved;
  settings: EvaluateSettings;
  done: false;
}

/** Phase 1 (`tb probe`): the G-set to run the target on. */
export interface ProbeResult extends Asked {
  /** The budget N the evaluation uses: the one set, or the library's default for the matrix. */
  budget: number;
  gset: Int32Array;
  gsetIds: string[];
}

export function probeStep(sources: CorrectnessMatrix, s: EvaluateSettings): ProbeResult {
  const ev = evaluationOf(sources, s);
  const step = ev.next()[0] as NonNullable<ReturnType<Evaluation["next"]>[0]>;
  return {
    round: 1,
    reason: step.reason,
    phase: step.phase,
    why: step.why,
    examples: step.examples,
    rounds: [],
    budget: ev.budget,
    gset: step.examples,
    gsetIds: step.ids,
    saved: ev.toJSON(),
    settings: { ...s },
    done: false,
    ...samplesOf(step.ids, s, sources.cols),
  };
}

/**
 * Parse one answers file against the source matrix's example ids (CSV, JSON or lm-eval samples).
 * lm-eval samples (keyed by `doc_id`) are refused unless `docOrder` says what the ids are, and
 * with `"lm-eval-v0.3"` their docs are mapped back to the matrix's columns.
 */
export function parseAnswers(
  sources: CorrectnessMatrix,
  text: string,
  fileName: string,
  lmEval: { metric?: string; filter?: string; task?: string } = {},
  docOrder?: DocOrder,
): Map<number, number> {
  const o: Parameters<typeof parseResponses>[1] = { exampleIds: sources.exampleIds, file: fileName, ...lmEval };
  if (responsesFormat(text, fileName) === "lm-eval") {
    if (docOrder === undefined) {
      throw new TbError(
        "E_USAGE",
        `${fileName} holds lm-eval samples (keyed by doc_id), but the source matrix's example ids are not known to be lm-eval doc indices: say under “example ids are” what they are, or give the answers as CSV example,correct`,
        { file: fileName },
      );
    }
    if (docOrder === "lm-eval-v0.3") o.docOrder = docOrder;
    // ids of the form <task>/<doc_id> need the task: from samples_<task>_<date>.jsonl if not given
    const task = o.task ?? lmEvalTaskFromFileName(fileName);
    if (task !== undefined) o.task = task;
  }
  return parseResponses(text, o);
}

export function missingMessage(what: string, ids: readonly string[], have: number, total: number): string {
  const shown = ids.slice(0, 8).map((id) => `"${id}"`);
  return `${what}: ${have} of the ${total} examples needed are answered; missing ${shown.join(", ")}${ids.length > 8 ? `, … (${ids.length} in all)` : ""}`;
}

/** A step's answers from an uploaded file: every example asked must be there. */
function answer(ev: Evaluation, answers: ReadonlyMap<number, number>, what: string): void {
  const r = ev.answerFrom(0, answers);
  if (r.missing.length > 0) {
    throw new TbError("E_INPUT", missingMessage(what, r.missing, r.asked - r.missing.length, r.asked));
  }
}

/**
 * What the evaluation asks for after the G-set, whatever the reason (`tb tailor` and `tb tailor
 * --plan`): a second look, the rest of its design, a precision round, … — with the design so far.
 */
export interface PlanResult extends Asked {
  method: EvaluateSettings["method"];
  /**
   * tailored-plus: within the sources' range (native sources, N-set medoids), at the top of them
   * (a stratified sample), or a second look first (`look`: the design is not chosen yet).
   */
  mode?: "within" | "beyond" | "look";
  outOfRange: "above" | "below" | null;
  /** Native sources of its coreset (none for a stratified sample). */
  natives: string[];
  /** Native selection fell back (no source within d̄). */
  fallback: string;
  toEvaluateIds: string[];
  /** Why these examples, in a sentence (`Evaluation.describePlan` of @tb/estimate). */
  wording: string;
  /** What a G-set score out of the sources' range says (`Evaluation.outOfRangeNote`), when it is. */
  outOfRangeNote: string | null;
}

/** The end: the evaluation asks for nothing more (`tb estimate --json`). */
export interface Finished {
  done: true;
  estimate: EstimateResult;
  /** Every round answered. */
  rounds: RoundRow[];
}

/**
 * The estimate, its interval, the rank, the out-of-range flag, the rounds and whether the precision
 * was reached; `modeNote`: the design it ended on, in words (`Evaluation.describeMode` of @tb/estimate).
 */
export type EstimateResult = Omit<EvaluationEstimate, "target" | "asked"> & {
  evaluated: number;
  modeNote: string | null;
  /** What the estimate out of the sources' range means, in the library's words (`Evaluation.estimateRangeNote`); null when in range. */
  rangeNote: string | null;
};

/** The row of the round just answered: what the evaluation says about it (its saved state, its estimate). */
function rowOf(ev: Evaluation, reason: string): RoundRow {
  const t = ev.toJSON().targets[0] as Saved["targets"][number];
  const row: RoundRow = { round: t.rounds ?? 0, reason, label: reasonLabel(reason), asked: t.asked.length };
  if (ev.done) {
    const iv = ev.estimate(0).interval;
    row.interval = iv;
    if (iv !== null) row.halfWidth = (iv[1] - iv[0]) / 2;
  } else if (t.precision !== undefined) {
    // the look that asked for the round now open
    row.halfWidth = t.precision.halfWidth;
  }
  return row;
}

function planOf(ev: Evaluation, s: EvaluateSettings, examples: number, rounds: RoundRow[]): PlanResult {
  const d = ev.design(0);
  const step = ev.next()[0];
  if (step === undefined) throw new TbError("E_INTERNAL", "the evaluation is not done but asks for nothing");
  return {
    round: (rounds.at(-1)?.round ?? 0) + 1,
    reason: step.reason,
    phase: step.phase,
    why: step.why,
    examples: step.examples,
    rounds,
    method: ev.method,
    ...(d.mode !== undefined ? { mode: d.mode } : {}),
    outOfRange: d.outOfRange,
    natives: d.natives,
    fallback: d.fallback,
    toEvaluateIds: step.ids,
    wording: ev.describePlan(0),
    outOfRangeNote: ev.outOfRangeNote(0),
    saved: ev.toJSON(),
    settings: s,
    done: false,
    ...samplesOf(step.ids, s, examples),
  };
}

/**
 * The answers to what the evaluation asked in a round — the G-set or any later one — and what it
 * asks for next, or, once it asks for nothing more, its estimate. `asked` is the step whose
 * examples were run; answering an earlier step again starts from there.
 */
export function answerStep(
  sources: CorrectnessMatrix,
  asked: ProbeResult | PlanResult,
  answers: ReadonlyMap<number, number>,
  s: EvaluateSettings,
): PlanResult | Finished {
  checkUnchanged(asked.settings, s);
  const ev = restoreEvaluation(sources, asked.saved);
  answer(
    ev,
    answers,
    asked.round === 1 ? "the answers do not cover the whole G-set" : `the answers do not cover round ${asked.round}`,
  );
  const rounds = [...asked.rounds, rowOf(ev, asked.reason)];
  if (!ev.done) return planOf(ev, asked.settings, sources.cols, rounds);
  const { target: _t, asked: ids, ...est } = ev.estimate(0);
  return {
    done: true,
    estimate: { ...est, evaluated: ids.length, modeNote: ev.describeMode(0), rangeNote: ev.estimateRangeNote(0) },
    rounds,
  };
}
