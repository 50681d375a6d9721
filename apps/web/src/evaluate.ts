/**
 * "Evaluate a model" in the browser: the two-phase workflow of `tb probe` → `tb tailor` →
 * `tb estimate` for one target model, on files held in memory instead of paths. The same
 * `@tb/estimate` functions, seeds and stream names as the CLI, so a plan made here equals the
 * plan `tb tailor` writes for the same source matrix, seed and answers (test/evaluate.test.ts).
 */
import { type CorrectnessMatrix, RandomStream, TbError } from "@tb/core";
import {
  afterSecondLook,
  DEFAULT_RANGE_QUANTILE,
  DEFAULT_SECOND_LOOK,
  estimate,
  estimateInterval,
  gsetScores,
  plusBeyond,
  plusMode,
  plusWithin,
  probe,
  type StratifiedDesign,
  secondLookSize,
  selectNatives,
  sourceMeans,
  stratifiedDesign,
  type TailoredOptions,
  tailor,
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
  /** Total examples the target answers, G-set included (`--budget`). */
  budget: number;
  /** `--method`; default tailored-plus. */
  method: "tailored-plus" | "tailored";
  /** `--distance`; default manhattan. */
  metric: NonNullable<TailoredOptions["metric"]>;
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
}

export const DEFAULT_EVALUATE: EvaluateSettings = {
  gset: 10,
  seed: 0,
  budget: 30,
  method: "tailored-plus",
  metric: "manhattan",
  standardize: true,
  level: 0.9,
};

/** Parse an uploaded source correctness CSV (all its rows are sources). */
export function loadSourceCsv(text: string, fileName: string): CorrectnessMatrix {
  return parseCorrectnessCsv(text, { file: fileName });
}

function opts(s: EvaluateSettings): TailoredOptions {
  return { metric: s.metric, standardize: s.standardize };
}

function checkSettings(sources: CorrectnessMatrix, s: EvaluateSettings): void {
  const int = (name: string, v: number, min: number) => {
    if (!(Number.isSafeInteger(v) && v >= min))
      throw new TbError("E_USAGE", `${name} must be an integer ≥ ${min}, got ${v}`);
  };
  int("G-set size", s.gset, 1);
  int("seed", s.seed, 0);
  int("budget", s.budget, 1);
  if (!(s.gset < sources.cols)) {
    throw new TbError("E_USAGE", `G-set size ${s.gset} must be smaller than the number of examples (${sources.cols})`);
  }
  if (s.budget <= s.gset) {
    throw new TbError("E_USAGE", `budget ${s.budget} must be larger than the G-set (${s.gset} examples)`);
  }
  if (s.budget > sources.cols) {
    throw new TbError("E_USAGE", `budget ${s.budget} is larger than the benchmark (${sources.cols} examples)`);
  }
  if (!(s.level > 0 && s.level < 1)) throw new TbError("E_USAGE", `interval level must be in (0, 1), got ${s.level}`);
}

/**
 * The lm-eval `--samples` JSON of some examples (task → doc indices), or why there is none: ids
 * must be lm-eval doc indices (`<doc>` with a task name, or `<task>/<doc>`).
 */
export interface Samples {
  samples: Record<string, number[]> | null;
  samplesNote?: string;
}

function samplesOf(ids: readonly string[], s: EvaluateSettings, examples: number): Samples {
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
    if (err instanceof TbError) return { samples: null, samplesNote: err.message };
    throw err;
  }
}

/** Phase 1 (`tb probe`): the G-set to run the target on. */
export interface ProbeResult extends Samples {
  gset: Int32Array;
  gsetIds: string[];
}

export function probeStep(sources: CorrectnessMatrix, s: EvaluateSettings): ProbeResult {
  checkSettings(sources, s);
  const { gset } = probe(sources, RandomStream.derive(s.seed).child("gset"), { ...opts(s), gset: s.gset });
  const gsetIds = Array.from(gset, (j) => sources.exampleIds[j] as string);
  return { gset, gsetIds, ...samplesOf(gsetIds, s, sources.cols) };
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

function missingMessage(what: string, ids: readonly string[], have: number, total: number): string {
  const shown = ids.slice(0, 8).map((id) => `"${id}"`);
  return `${what}: ${have} of the ${total} examples needed are answered; missing ${shown.join(", ")}${ids.length > 8 ? `, … (${ids.length} in all)` : ""}`;
}

/** Phase 2 (`tb tailor`, one target, single pooling): the rest of the N-set. */
export interface PlanResult extends Samples {
  method: EvaluateSettings["method"];
  /**
   * tailored-plus: within the sources' range (native sources, N-set medoids), beyond it (stratified
   * sample), or a second look first (`look`: more medoids; {@link lookStep} makes the final plan).
   */
  mode?: "within" | "beyond" | "look";
  outOfRange: "above" | "below" | null;
  /** The examples answered before this plan's (the G-set, and a second look's). */
  gset: Int32Array;
  gAnswers: number[];
  nset: Int32Array;
  labels: Int32Array;
  natives: Int32Array;
  design?: StratifiedDesign;
  dBar: number;
  nBar: number;
  /** Native selection fell back (no source within d̄). */
  fallback: string;
  toEvaluateIds: string[];
}

/** The parts of a beyond-mode plan: the examples answered so far, then the stratified draws. */
function beyondPlan(
  fixed: Int32Array,
  d: StratifiedDesign,
  ids: (a: ArrayLike<number>) => string[],
): Pick<
  PlanResult,
  "mode" | "nset" | "labels" | "natives" | "design" | "dBar" | "nBar" | "fallback" | "toEvaluateIds"
> {
  const nset = new Int32Array(fixed.length + d.picks.length);
  nset.set(fixed, 0);
  nset.set(d.picks, fixed.length);
  return {
    mode: "beyond",
    nset,
    labels: new Int32Array(0),
    natives: new Int32Array(0),
    design: d,
    dBar: 0,
    nBar: 0,
    fallback: "none",
    toEvaluateIds: ids(d.picks),
  };
}

export function tailorStep(
  sources: CorrectnessMatrix,
  probed: ProbeResult,
  answers: ReadonlyMap<number, number>,
  s: EvaluateSettings,
): PlanResult {
  checkSettings(sources, s);
  const { gset } = probed;
  const g = gset.length;
  const missing = probed.gsetIds.filter((_, k) => !answers.has(gset[k] as number));
  if (missing.length > 0) {
    throw new TbError(
      "E_INPUT",
      missingMessage("the answers do not cover the whole G-set", missing, g - missing.length, g),
    );
  }
  const gAnswers = Array.from(gset, (j) => answers.get(j) as number);
  const o = opts(s);
  const ids = (a: ArrayLike<number>) => Array.from(a, (j) => sources.exampleIds[j] as string);
  const base = { method: s.method, gset, gAnswers };
  const withSamples = (p: Omit<PlanResult, keyof Samples>): PlanResult => ({
    ...p,
    ...samplesOf(p.toEvaluateIds, s, sources.cols),
  });
  let outOfRange: PlanResult["outOfRange"] = null;
  if (s.method === "tailored-plus") {
    const m = plusMode(gsetScores(sources, gset), gAnswers.reduce((x, y) => x + y, 0) / g, DEFAULT_RANGE_QUANTILE);
    outOfRange = m.outOfRange;
    const look = m.mode === "beyond" ? secondLookSize(s.budget - g, s.secondLook ?? DEFAULT_SECOND_LOOK) : 0;
    if (m.mode === "beyond" && look === 0) {
      const d = stratifiedDesign(sourceMeans(sources), gset, s.budget - g, RandomStream.derive(s.seed).child("strata"));
      return withSamples({ ...base, outOfRange, ...beyondPlan(gset, d, ids) });
    }
    if (look > 0) {
      // the second look: `look` more medoids of its tailored coreset (as `tb tailor`)
      const sel = selectNatives(sources, gset, [gAnswers], o);
      const natives = sel.natives[0] as Int32Array;
      const first = tailor(sources, gset, natives, g + look, RandomStream.derive(s.seed).child("look", 0), o);
      return withSamples({
        ...base,
        mode: "look",
        outOfRange,
        nset: first.nset,
        labels: first.labels,
        natives,
        dBar: sel.dBar,
        nBar: sel.nBar,
        fallback: sel.fallback,
        toEvaluateIds: ids(first.toEvaluate),
      });
    }
  }
  const sel = selectNatives(sources, gset, [gAnswers], o);
  const natives = sel.natives[0] as Int32Array;
  const plan = tailor(sources, gset, natives, s.budget, RandomStream.derive(s.seed).child("nset", 0), o);
  return withSamples({
    ...base,
    ...(s.method === "tailored-plus" ? { mode: "within" as const } : {}),
    outOfRange,
    nset: plan.nset,
    labels: plan.labels,
    natives,
    dBar: sel.dBar,
    nBar: sel.nBar,
    fallback: sel.fallback,
    toEvaluateIds: ids(plan.toEvaluate),
  });
}

/**
 * After a second look (`tb tailor --plan`): the target's answers on the G-set and the look's
 * examples choose its design — the rest of its tailored coreset, or stratified draws around the
 * examples answered — by the same upper-quartile rule as the G-set's.
 */
export function lookStep(
  sources: CorrectnessMatrix,
  plan: PlanResult,
  answers: ReadonlyMap<number, number>,
  s: EvaluateSettings,
): PlanResult {
  checkSettings(sources, s);
  if (plan.mode !== "look") throw new TbError("E_USAGE", "this plan takes no second look: estimate from its answers");
  const fixed = plan.nset;
  const missing: string[] = [];
  const y = Array.from(fixed, (j) => {
    const gk = plan.gset.indexOf(j);
    const a = answers.get(j) ?? (gk >= 0 ? plan.gAnswers[gk] : undefined);
    if (a === undefined) missing.push(sources.exampleIds[j] as string);
    return a ?? 0;
  });
  if (missing.length > 0) {
    throw new TbError(
      "E_INPUT",
      missingMessage("the answers do not cover the second look", missing, fixed.length - missing.length, fixed.length),
    );
  }
  const ids = (a: ArrayLike<number>) => Array.from(a, (j) => sources.exampleIds[j] as string);
  const base = { method: plan.method, outOfRange: plan.outOfRange, gset: fixed, gAnswers: y };
  const withSamples = (p: Omit<PlanResult, keyof Samples>): PlanResult => ({
    ...p,
    ...samplesOf(p.toEvaluateIds, s, sources.cols),
  });
  const next = afterSecondLook(sources, fixed, y, plan.natives, s.budget, RandomStream.derive(s.seed), 0, {
    tailored: opts(s),
  });
  if (next.mode === "beyond") return withSamples({ ...base, ...beyondPlan(fixed, next.design, ids) });
  const p = next.plan;
  return withSamples({
    ...base,
    mode: "within",
    nset: p.nset,
    labels: p.labels,
    natives: plan.natives,
    dBar: plan.dBar,
    nBar: plan.nBar,
    fallback: plan.fallback,
    toEvaluateIds: ids(p.toEvaluate),
  });
}

/** Phase 3 (`tb estimate --json`): the estimate, its interval, the rank and the out-of-range flag. */
export interface EstimateResult {
  accuracy: number;
  interval: [number, number] | null;
  level: number;
  evaluated: number;
  budget: number;
  nativeSources: number;
  rank: { position: number; of: number; interval: [number, number] | null };
  method: EvaluateSettings["method"];
  mode?: "within" | "beyond";
  outOfRange: "above" | "below" | null;
}

export function estimateStep(
  sources: CorrectnessMatrix,
  plan: PlanResult,
  answers: ReadonlyMap<number, number>,
  s: EvaluateSettings,
): EstimateResult {
  checkSettings(sources, s);
  if (plan.mode === "look") throw new TbError("E_USAGE", "upload the second look's answers first (step 3)");
  const { nset } = plan;
  const values = new Float64Array(nset.length);
  const missing: string[] = [];
  nset.forEach((j, k) => {
    // G-set answers not in this upload come from phase 2 (the G-set is the N-set's first part or inside it)
    const gk = plan.gset.indexOf(j);
    const a = answers.get(j) ?? (gk >= 0 ? plan.gAnswers[gk] : undefined);
    if (a === undefined) missing.push(sources.exampleIds[j] as string);
    else values[k] = a;
  });
  if (missing.length > 0) {
    throw new TbError(
      "E_INPUT",
      missingMessage("the answers do not cover the N-set", missing, nset.length - missing.length, nset.length),
    );
  }
  let accuracy: number;
  let interval: [number, number] | null;
  const truth = sources.trueScores();
  if (plan.mode === "beyond") {
    ({ accuracy, interval } = plusBeyond(
      sources,
      truth,
      plan.design as StratifiedDesign,
      plan.gset,
      nset,
      values,
      s.level,
    ));
  } else if (plan.mode === "within") {
    ({ accuracy, interval } = plusWithin(sources, truth, plan.natives, nset, plan.labels, values, s.level));
  } else {
    const p = { natives: plan.natives, nset, labels: plan.labels };
    accuracy = estimate(sources, p, values).accuracy;
    interval = estimateInterval(sources, p, accuracy, { level: s.level }).interval;
  }
  const rankOf = (x: number) => {
    let above = 0;
    for (let r = 0; r < truth.length; r++) if ((truth[r] as number) > x) above++;
    return above + 1;
  };
  const out: EstimateResult = {
    accuracy,
    interval,
    level: s.level,
    evaluated: nset.length,
    budget: s.budget,
    nativeSources: plan.natives.length,
    rank: {
      position: rankOf(accuracy),
      of: sources.rows + 1,
      interval: interval === null ? null : [rankOf(interval[1]), rankOf(interval[0])],
    },
    method: plan.method,
    outOfRange: plan.outOfRange,
  };
  if (plan.mode !== undefined) out.mode = plan.mode;
  return out;
}
