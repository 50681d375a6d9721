/** `tb estimate` (docs/DESIGN.md §3.2): the calibrated accuracy of a target from its N-set answers. */
import { checkSource, parseDecimal, readPlanFile, WORKFLOW_SPEC_VERSION } from "@tb/io";
import {
  answerFromFile,
  checkLmEvalIds,
  cliErrors,
  done,
  loadSource,
  noPositionals,
  parseFlags,
  RESPONSE_FLAGS,
  readMerged,
  required,
  responsesOptions,
  resumePlan,
  usage,
  WORKFLOW_USAGE,
} from "./common.js";

const ESTIMATE_OPTIONS = {
  source: { type: "string" },
  plan: { type: "string" },
  ...RESPONSE_FLAGS,
  level: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `tb estimate` (docs/DESIGN.md §3.2; docs/METHOD.md §3 step 7): the calibrated accuracy of the target from
 * its answers on the plan's N-set (G-set answers not in the responses come from the plan), an
 * interval (`estimateInterval`), and its rank among the sources by their true scores.
 */
export function runEstimate(args: string[]): number {
  const { values: v, positionals } = parseFlags(args, ESTIMATE_OPTIONS);
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  const sourcePath = required("source", v.source, "estimate");
  const planPath = required("plan", v.plan, "estimate");
  const responses = required("responses", v.responses, "estimate");
  let level = 0.9;
  if (v.level !== undefined) {
    level = parseDecimal(v.level);
    if (!(level > 0 && level < 1)) {
      throw usage(`--level must be a number in (0, 1), e.g. 0.9, got "${v.level}"`);
    }
  }
  const { plan: pf, text } = readPlanFile(planPath);
  const sources = loadSource(sourcePath);
  cliErrors(() => checkSource(pf.source, sources, planPath, text));
  // the plan's own level unless --level is given (a precision plan refuses another one: its rounds were decided at its level)
  const ev = resumePlan(sources, pf, planPath, text, v.level === undefined ? {} : { level });
  // the open step's phase is the evaluation's: a second look's answers only choose the design
  if (ev.isSecondLook(0)) {
    throw usage(
      `${planPath} is a second look's plan: run the target on its toEvaluate, then tb tailor --source ${sourcePath} --plan ${planPath} --responses <answers> --out <final plan>, and estimate with that plan`,
    );
  }
  checkLmEvalIds(responses, sourcePath, v["doc-order"]);
  const { answers } = readMerged(responses, responsesOptions(sources, v, sourcePath));
  const files = responses.join(", ");
  answerFromFile(
    ev,
    answers,
    files,
    `${responses.length > 1 ? "do" : "does"} not answer the plan's N-set`,
    responses[0] as string,
  );
  if (!ev.done) {
    // precision on demand: the interval is still wider than asked and examples are left
    const step = ev.next()[0];
    throw usage(
      `${planPath}: the evaluation asks for more after the plan's examples — ${step?.why ?? "another round"}; ` +
        `run tb tailor --source ${sourcePath} --plan ${planPath} --responses <answers> --out <next plan>, ` +
        "run the target on the next plan's toEvaluate, and estimate with that plan",
    );
  }
  const est = ev.estimate(0);
  const rangeNote = ev.estimateRangeNote(0);
  const { accuracy, interval, rank } = est;
  const position = rank.position;
  const rankInterval = rank.interval;
  const result = {
    specVersion: WORKFLOW_SPEC_VERSION,
    target: pf.target,
    accuracy,
    interval,
    level,
    evaluated: est.asked.length,
    budget: pf.budget,
    nativeSources: est.nativeSources,
    rank,
    method: pf.method ?? "tailored",
    ...(pf.mode !== undefined ? { mode: pf.mode } : {}),
    outOfRange: est.outOfRange,
    ...(pf.precision !== undefined && est.reachedPrecision !== undefined
      ? { precision: pf.precision.precision, maxBudget: pf.precision.maxBudget, reachedPrecision: est.reachedPrecision }
      : {}),
    source: pf.source,
  };
  if (v.json) return done(JSON.stringify(result, null, 2));
  const pctv = (x: number) => (100 * x).toFixed(1);
  return done(
    `target "${pf.target}": estimated accuracy ${pctv(accuracy)}%` +
      (interval === null
        ? " (no interval: the plan shows no spread)"
        : ` (${Math.round(level * 100)}% interval ${pctv(interval[0])}–${pctv(interval[1])}%)`) +
      ` from ${est.asked.length} examples of ${sources.cols}\n` +
      `rank ${position} of ${sources.rows + 1} among the ${sources.rows} source models by true score` +
      (rankInterval === null ? "" : ` (interval ${rankInterval[0]}–${rankInterval[1]})`) +
      (rangeNote === null ? "" : `\nout of range: ${rangeNote}`) +
      (pf.precision !== undefined && est.reachedPrecision !== undefined
        ? est.reachedPrecision
          ? `\nprecision ±${pf.precision.precision} reached`
          : `\nprecision ±${pf.precision.precision} not reached: the most examples allowed (${pf.precision.maxBudget}) were asked`
        : ""),
  );
}
