/** `tb estimate` (docs/DESIGN.md §3.2): the calibrated accuracy of a target from its N-set answers. */
import { parseArgs } from "node:util";
import { TbError } from "@tb/core";
import { designFromPicks, estimate, estimateInterval, plusBeyond, plusWithin, sourceMeans } from "@tb/estimate";
import { checkSource, readPlanFile, resolveExampleIds, resolveModelIds, WORKFLOW_SPEC_VERSION } from "@tb/io";
import {
  checkLmEvalIds,
  done,
  loadSource,
  missingMessage,
  noPositionals,
  RESPONSE_FLAGS,
  readMerged,
  required,
  responsesOptions,
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
  const { values: v, positionals } = parseArgs({
    args,
    options: ESTIMATE_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  const sourcePath = required("source", v.source, "estimate");
  const planPath = required("plan", v.plan, "estimate");
  const responses = required("responses", v.responses, "estimate");
  let level = 0.9;
  if (v.level !== undefined) {
    level = Number(v.level);
    if (!(/^\s*0?\.\d+\s*$/.test(v.level) && level > 0 && level < 1)) {
      throw usage(`--level must be a number in (0, 1), e.g. 0.9, got "${v.level}"`);
    }
  }
  const { plan: pf, text } = readPlanFile(planPath);
  if (pf.mode === "look") {
    throw usage(
      `${planPath} is a second look's plan: run the target on its toEvaluate, then tb tailor --source ${sourcePath} --plan ${planPath} --responses <answers> --out <final plan>, and estimate with that plan`,
    );
  }
  const sources = loadSource(sourcePath);
  checkSource(pf.source, sources, planPath, text);
  const nset = resolveExampleIds(pf.nset, sources, "nset", planPath, text);
  const natives = resolveModelIds(pf.nativeSources, sources, "nativeSources", planPath, text);
  const labels = Int32Array.from(pf.labels);
  checkLmEvalIds(responses, sourcePath, v["doc-order"]);
  const { answers } = readMerged(responses, responsesOptions(sources, v));
  const values = new Float64Array(nset.length);
  const missing: string[] = [];
  pf.nset.forEach((id, k) => {
    const a = answers.get(nset[k] as number) ?? pf.gAnswers[id];
    if (a === undefined) missing.push(id);
    else values[k] = a;
  });
  if (missing.length > 0) {
    throw new TbError(
      "E_INPUT",
      missingMessage(
        `${responses.join(", ")} ${responses.length > 1 ? "do" : "does"} not answer the plan's N-set`,
        missing,
        nset.length - missing.length,
        nset.length,
      ),
      { file: responses[0] as string },
    );
  }
  const plan = { natives, nset, labels };
  let accuracy: number;
  let interval: [number, number] | null;
  if (pf.method === "tailored-plus" && pf.mode === "beyond") {
    // the design's fixed examples: the G-set and a second look's (answered before the draws)
    const g = pf.gset.length + (pf.looked?.length ?? 0);
    const fixed = nset.slice(0, g);
    const design = designFromPicks(sourceMeans(sources), fixed, nset.slice(g), pf.strata as number);
    ({ accuracy, interval } = plusBeyond(sources, sources.trueScores(), design, fixed, nset, values, level));
  } else if (pf.method === "tailored-plus") {
    ({ accuracy, interval } = plusWithin(sources, sources.trueScores(), natives, nset, labels, values, level));
  } else {
    accuracy = estimate(sources, plan, values).accuracy;
    interval = estimateInterval(sources, plan, accuracy, { level }).interval;
  }
  const scores = sources.trueScores();
  const rankOf = (x: number) => {
    let above = 0;
    for (let s = 0; s < scores.length; s++) if ((scores[s] as number) > x) above++;
    return above + 1;
  };
  const position = rankOf(accuracy);
  const rankInterval: [number, number] | null = interval === null ? null : [rankOf(interval[1]), rankOf(interval[0])];
  const result = {
    specVersion: WORKFLOW_SPEC_VERSION,
    target: pf.target,
    accuracy,
    interval,
    level,
    evaluated: nset.length,
    budget: pf.budget,
    nativeSources: natives.length,
    rank: { position, of: sources.rows + 1, interval: rankInterval },
    method: pf.method ?? "tailored",
    ...(pf.mode !== undefined ? { mode: pf.mode } : {}),
    outOfRange: pf.outOfRange ?? null,
    source: pf.source,
  };
  if (v.json) return done(JSON.stringify(result, null, 2));
  const pctv = (x: number) => (100 * x).toFixed(1);
  return done(
    `target "${pf.target}": estimated accuracy ${pctv(accuracy)}%` +
      (interval === null
        ? " (no interval: the plan shows no spread)"
        : ` (${Math.round(level * 100)}% interval ${pctv(interval[0])}–${pctv(interval[1])}%)`) +
      ` from ${nset.length} examples of ${sources.cols}\n` +
      `rank ${position} of ${sources.rows + 1} among the ${sources.rows} source models by true score` +
      (rankInterval === null ? "" : ` (interval ${rankInterval[0]}–${rankInterval[1]})`) +
      (pf.outOfRange
        ? `\nout of range: its G-set score is ${pf.outOfRange} every source's, so the sources say little about it; ` +
          "the estimate rests on its own answers (a stratified random sample) and the interval is design-based"
        : ""),
  );
}
