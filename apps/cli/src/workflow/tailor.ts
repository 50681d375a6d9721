/** `tb tailor` (docs/DESIGN.md §3.2): native sources and N-set of each target → `plan.json`. */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { TbError } from "@tb/core";
import { createEvaluation, type Evaluation } from "@tb/estimate";
import {
  checkSource,
  formatWorkflowJson,
  readPlanFile,
  readProbeFile,
  readResponses,
  resolveExampleIds,
  writeFileAtomic,
} from "@tb/io";
import {
  answerFromFile,
  checkLmEvalIds,
  cliErrors,
  done,
  expandTargets,
  exportHint,
  intFlag,
  loadSource,
  missingMessage,
  noPositionals,
  oneOfFlag,
  planFile,
  RESPONSE_FLAGS,
  required,
  responsesOptions,
  resumePlan,
  type TargetInput,
  usage,
  WORKFLOW_USAGE,
} from "./common.js";

const TAILOR_OPTIONS = {
  source: { type: "string" },
  probe: { type: "string" },
  plan: { type: "string" },
  "second-look": { type: "string" },
  ...RESPONSE_FLAGS,
  budget: { type: "string" },
  seed: { type: "string" },
  pooling: { type: "string" },
  method: { type: "string" },
  name: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `tb tailor` (docs/DESIGN.md §3.2; docs/METHOD.md §3 steps 2–6): native sources and N-set of each target
 * from its answers on the G-set. One target → single-target pooling and one plan file; several
 * → joint pooling (the reference) and one plan per target in the `--out` folder. Target `t` of
 * the batch is target t of the evaluation (docs/DESIGN.md §3.5 gives its random streams).
 */
export function runTailor(args: string[]): number {
  const { values: v, positionals } = parseArgs({ args, options: TAILOR_OPTIONS, allowPositionals: true, strict: true });
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  if (v.plan !== undefined) return tailorAfterLook(v);
  const sourcePath = required("source", v.source, "tailor");
  const probePath = required("probe", v.probe, "tailor");
  const responses = required("responses", v.responses, "tailor");
  const budgetFlag = required("budget", v.budget, "tailor");
  const out = required("out", v.out, "tailor");
  const pooling = oneOfFlag("pooling", v.pooling, ["single", "joint"] as const);
  const budget = intFlag("budget", budgetFlag, 0, 1);

  const { probe: pf, text: probeText } = readProbeFile(probePath);
  const sources = loadSource(sourcePath);
  cliErrors(() => checkSource(pf.source, sources, probePath, probeText));
  const gset = resolveExampleIds(pf.gset, sources, "gset", probePath, probeText);
  const g = gset.length;
  if (budget <= g) throw usage(`--budget ${budget} must be larger than the G-set (${g} examples)`);
  if (budget > sources.cols) {
    throw usage(`--budget ${budget} is larger than the benchmark (${sources.cols} examples)`);
  }
  const seed = intFlag("seed", v.seed, pf.seed, 0);
  checkLmEvalIds(responses, sourcePath, v["doc-order"]);
  const targets = expandTargets(responses);
  if (v.name !== undefined) {
    if (targets.length !== 1) throw usage("--name names a single target; with several, names come from the files");
    (targets[0] as TargetInput).name = v.name;
  }
  const mode = pooling ?? (targets.length > 1 ? "joint" : "single");
  const ro = responsesOptions(sources, v);
  const gAnswers = targets.map((t) => {
    const ans = readResponses(t.path, ro);
    const missing = pf.gset.filter((_, k) => !ans.has(gset[k] as number));
    if (missing.length > 0) {
      throw new TbError(
        "E_INPUT",
        missingMessage(`${t.path} does not answer the whole G-set`, missing, g - missing.length, g),
        {
          file: t.path,
        },
      );
    }
    return Array.from(gset, (j) => ans.get(j) as number);
  });
  const method = oneOfFlag("method", v.method, ["tailored-plus", "tailored"] as const) ?? "tailored-plus";
  let secondLook: number | undefined;
  if (v["second-look"] !== undefined) {
    secondLook = Number(v["second-look"]);
    if (!(/^\s*(0|0?\.\d+)\s*$/.test(v["second-look"]) && secondLook >= 0 && secondLook < 1)) {
      throw usage(
        `--second-look must be a share in [0, 1), e.g. 0.3 (0: the G-set alone decides), got "${v["second-look"]}"`,
      );
    }
    if (method !== "tailored-plus") throw usage("--second-look applies to --method tailored-plus only");
  }
  if (seed !== pf.seed) {
    throw usage(
      `--seed ${seed} differs from the probe's seed ${pf.seed}: the G-set was drawn with the probe's, and every later draw of the evaluation comes from the same seed (leave --seed out)`,
    );
  }
  const names = targets.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw usage(`two response files give the target name "${twice}": rename one (plans are written per target name)`);
  }
  const ev = cliErrors(() =>
    createEvaluation(sources, {
      method,
      budget,
      seed,
      gset: g,
      metric: pf.options.metric,
      standardize: pf.options.standardize,
      targets: names,
      pooling: mode,
      ...(secondLook !== undefined ? { secondLook } : {}),
    }),
  );
  if (ev.gset.some((id, k) => id !== pf.gset[k])) {
    throw new TbError(
      "E_INPUT",
      `${probePath}: its G-set is not the one this release draws for seed ${seed} (was the probe made by another version of tb?); run tb probe again`,
      { file: probePath },
    );
  }
  gAnswers.forEach((a, i) => {
    ev.answer(i, a);
  });
  const multi = targets.length > 1;
  const lines: string[] = [];
  targets.forEach((t, i) => {
    const dest = multi ? join(out, `${t.name}.plan.json`) : out;
    const file = planFile(ev, i, pf, mode);
    writeFileAtomic(dest, formatWorkflowJson(file));
    lines.push(
      `target "${t.name}": ${describePlan(ev, i, budget)}, ${file.toEvaluate.length} left to evaluate → ${dest}\n  ${file.toEvaluate.join(", ")}`,
    );
    lines.push(...planNotes(ev, i, mode));
  });
  const planPath = multi ? join(out, "<target>.plan.json") : out;
  const looks = targets.map((_, i) => ev.design(i).mode === "look");
  const anyLook = looks.some((x) => x);
  const allLook = looks.every((x) => x);
  lines.push(`Next: run the target on the examples left (${exportHint("--plan", planPath, sourcePath)}),`);
  if (!allLook) lines.push(`then: tb estimate --source ${sourcePath} --plan ${planPath} --responses <answers>`);
  if (anyLook) {
    lines.push(
      `${allLook ? "then" : '  for a plan with "mode": "look" (a second look)'}: tb tailor --source ${sourcePath} --plan ${planPath} --responses <answers> --out <final plan>; run the target on the final plan's examples left and tb estimate with it`,
    );
  }
  return done(lines.join("\n"));
}

/** One phrase on the plan of target `i`, for the command's output. */
function describePlan(ev: Evaluation, i: number, budget: number): string {
  const d = ev.design(i);
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
      : `in the sources' top quartile on the G-set: a stratified random sample (${d.strata} difficulty strata)`;
  }
  if (d.mode !== "beyond" && d.fallback !== "none") what += " (no source within d̄: native threshold relaxed)";
  return what;
}

/** Notes on target `i` worth a line: the G-set out of the sources' range. */
function planNotes(ev: Evaluation, i: number, pooling: "single" | "joint"): string[] {
  const d = ev.design(i);
  const out: string[] = [];
  if (ev.method === "tailored" && d.fallback !== "none") {
    out.push(
      `  note: no source model was within d̄ of the ${pooling === "joint" ? "average target" : "target"} (n̄ = 0): ` +
        (d.fallback === "all-sources"
          ? "every source is used as a native source"
          : "native sources are those within the mean target–source distance") +
        " — the target is probably beyond the sources' range",
    );
  }
  if (ev.method === "tailored-plus" && d.outOfRange !== null) {
    out.push(
      `  note: its G-set score is ${d.outOfRange} every source's — the target is probably ${d.outOfRange === "above" ? "stronger" : "weaker"} than all of them; the estimate will say so`,
    );
  }
  return out;
}

/**
 * `tb tailor --plan <second look's plan> --responses <answers> --out <plan>`: the evaluation saved
 * in the plan resumes with the look's answers and writes the target's final plan.
 */
function tailorAfterLook(v: Record<string, string | string[] | boolean | undefined>): number {
  const sourcePath = required("source", v.source as string | undefined, "tailor");
  const planPath = v.plan as string;
  const responses = required("responses", v.responses as string[] | undefined, "tailor");
  const out = required("out", v.out as string | undefined, "tailor");
  for (const flag of ["probe", "budget", "pooling", "method", "name", "seed", "second-look"]) {
    if (v[flag] !== undefined) throw usage(`--${flag} does not apply with --plan: the second look's plan fixes it`);
  }
  const { plan: pf, text } = readPlanFile(planPath);
  if (pf.mode !== "look") {
    throw usage(
      `${planPath} is not a second look's plan (mode ${pf.mode === undefined ? "absent" : `"${pf.mode}"`}): run the target on its toEvaluate and use tb estimate`,
    );
  }
  const sources = loadSource(sourcePath);
  cliErrors(() => checkSource(pf.source, sources, planPath, text));
  checkLmEvalIds(responses, sourcePath, v["doc-order"] as string | undefined);
  const targets = expandTargets(responses);
  if (targets.length !== 1) throw usage("--plan takes the answers of its one target");
  const ev = resumePlan(sources, pf, planPath, text);
  const file = (targets[0] as TargetInput).path;
  answerFromFile(
    ev,
    readResponses(file, responsesOptions(sources, v as never)),
    file,
    "does not answer the second look",
  );
  writeFileAtomic(out, formatWorkflowJson(planFile(ev, 0, pf, pf.pooling)));
  const d = ev.design(0);
  const score = lookScore(ev);
  const what =
    d.mode === "beyond"
      ? `beyond the sources on the second look too (score ${score.toFixed(3)} on its ${pf.nset.length} examples): a stratified random sample (${d.strata} difficulty strata)`
      : `within the sources' range on the second look (score ${score.toFixed(3)} on its ${pf.nset.length} examples): the rest of its tailored coreset`;
  return done(
    [
      `target "${pf.target}": ${what}, ${d.pending.length} left to evaluate → ${out}\n  ${d.pending.join(", ")}`,
      `Next: run the target on the examples left (${exportHint("--plan", out, sourcePath)}),`,
      `then: tb estimate --source ${sourcePath} --plan ${out} --responses <answers>`,
    ].join("\n"),
  );
}

/** The target's mean answer over the examples asked so far (the G-set and its second look). */
function lookScore(ev: Evaluation): number {
  const saved = ev.toJSON(0).targets[0] as { answers: number[]; pending: string[] | null; asked: string[] };
  return saved.answers.reduce((a, b) => a + b, 0) / saved.answers.length;
}
