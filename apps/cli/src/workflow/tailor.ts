/** `tb tailor` (docs/DESIGN.md §3.2): native sources and N-set of each target → `plan.json`. */
import { join } from "node:path";
import { TbError } from "@tb/core";
import { createEvaluation, Evaluation } from "@tb/estimate";
import {
  checkSource,
  formatWorkflowJson,
  type PlanPrecision,
  parseDecimal,
  readPlanFile,
  readProbeFile,
  readResponses,
  resolveExampleIds,
  writeFileAtomic,
  writeFilesAtomic,
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
  parseFlags,
  planFile,
  RESPONSE_FLAGS,
  refuseInputAsOut,
  refuseSourceAsOut,
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
  precision: { type: "string" },
  "max-budget": { type: "string" },
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
  const { values: v, positionals } = parseFlags(args, TAILOR_OPTIONS);
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  if (v.plan !== undefined) return tailorNext(v);
  const sourcePath = required("source", v.source, "tailor");
  const probePath = required("probe", v.probe, "tailor");
  const responses = required("responses", v.responses, "tailor");
  const budgetFlag = required("budget", v.budget, "tailor");
  const out = required("out", v.out, "tailor");
  refuseSourceAsOut(out, sourcePath);
  refuseInputAsOut(out, [probePath, ...responses]);
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
    if (v.name.trim() === "") throw usage("--name must not be empty");
    (targets[0] as TargetInput).name = v.name;
  }
  const mode = pooling ?? (targets.length > 1 ? "joint" : "single");
  const ro = responsesOptions(sources, v, sourcePath);
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
    secondLook = parseDecimal(v["second-look"]);
    if (!(secondLook >= 0 && secondLook < 1)) {
      throw usage(
        `--second-look must be a share in [0, 1), e.g. 0.3 (0: the G-set alone decides), got "${v["second-look"]}"`,
      );
    }
    if (Evaluation.unreadOptions(method, { secondLook }).length > 0)
      throw usage("--second-look applies to --method tailored-plus only");
  }
  const stop = precisionFlags(v.precision, v["max-budget"]);
  if (stop !== undefined && Evaluation.unreadOptions(method, stop).length > 0)
    throw usage("--precision applies to --method tailored-plus only");
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
      ...(stop ?? {}),
    }),
  );
  if (!ev.drewGset(pf.gset)) {
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
  // every target's plan is made first, then all are written together: a failure leaves none
  const plans = targets.map((t, i) => ({
    dest: multi ? join(out, `${t.name}.plan.json`) : out,
    file: planFile(ev, i, pf, mode),
  }));
  writeFilesAtomic(plans.map((p) => ({ path: p.dest, data: formatWorkflowJson(p.file) })));
  targets.forEach((t, i) => {
    const { dest, file } = plans[i] as (typeof plans)[number];
    lines.push(
      `target "${t.name}": ${ev.describe(i)}, ${file.toEvaluate.length} left to evaluate → ${dest}\n  ${file.toEvaluate.join(", ")}`,
    );
    lines.push(...planNotes(ev, i, mode));
    if (file.precision !== undefined) lines.push(precisionNote(file.precision));
  });
  const planPath = multi ? join(out, "<target>.plan.json") : out;
  const looks = targets.map((_, i) => ev.isSecondLook(i));
  const anyLook = looks.some((x) => x);
  const allLook = looks.every((x) => x);
  lines.push(`Next: run the target on the examples left (${exportHint("--plan", planPath, sourcePath)}),`);
  if (!allLook) lines.push(`then: tb estimate --source ${sourcePath} --plan ${planPath} --responses <answers>`);
  if (stop !== undefined) {
    lines.push(
      `  with --precision, tb estimate may say the interval is not yet tight enough: then tb tailor --source ${sourcePath} --plan ${planPath} --responses <answers> --out <next plan> gives the next round`,
    );
  }
  if (anyLook) {
    lines.push(
      `${allLook ? "then" : '  for a plan with "mode": "look" (a second look)'}: tb tailor --source ${sourcePath} --plan ${planPath} --responses <answers> --out <final plan>; run the target on the final plan's examples left and tb estimate with it`,
    );
  }
  return done(lines.join("\n"));
}

/** One phrase on the plan of target `i`, for the command's output. */
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
  const note = ev.method === "tailored-plus" ? ev.outOfRangeNote(i) : null;
  if (note !== null) out.push(`  note: ${note}; the estimate will say so`);
  return out;
}

/** `--precision P --max-budget M` (both or neither) as evaluation options. */
function precisionFlags(
  p: string | undefined,
  m: string | undefined,
): { precision: number; maxBudget: number } | undefined {
  if (p === undefined) {
    if (m !== undefined) throw usage("--max-budget needs --precision (it only caps precision rounds)");
    return undefined;
  }
  const precision = parseDecimal(p);
  if (!(precision > 0 && precision <= 0.5)) {
    throw usage(`--precision must be a half-width in (0, 0.5], e.g. 0.03, got "${p}"`);
  }
  if (m === undefined)
    throw usage("--precision needs --max-budget (the most distinct examples the target may be asked)");
  return { precision, maxBudget: intFlag("max-budget", m, 0, 1) };
}

/** One line on a plan's precision round: how many more and why. */
function precisionNote(p: PlanPrecision): string {
  return `  precision ±${p.precision} (at most ${p.maxBudget} examples): ${p.why}`;
}

/**
 * `tb tailor --plan <plan> --responses <answers> --out <plan>`: the evaluation saved in the plan
 * resumes with the answers to its `toEvaluate` and, when it asks for more, writes the next plan —
 * after a second look the target's final design; with `--precision`, the next round of draws while
 * the interval is wider than asked. When it asks for nothing more, no plan is written: `tb
 * estimate` with the plan given gives the estimate.
 */
function tailorNext(v: Record<string, string | string[] | boolean | undefined>): number {
  const sourcePath = required("source", v.source as string | undefined, "tailor");
  const planPath = v.plan as string;
  const responses = required("responses", v.responses as string[] | undefined, "tailor");
  const out = required("out", v.out as string | undefined, "tailor");
  refuseSourceAsOut(out, sourcePath);
  refuseInputAsOut(out, [planPath, ...responses]);
  for (const flag of [
    "probe",
    "budget",
    "pooling",
    "method",
    "name",
    "seed",
    "second-look",
    "precision",
    "max-budget",
  ]) {
    if (v[flag] !== undefined) throw usage(`--${flag} does not apply with --plan: the plan fixes it`);
  }
  const { plan: pf, text } = readPlanFile(planPath);
  const sources = loadSource(sourcePath);
  cliErrors(() => checkSource(pf.source, sources, planPath, text));
  const ev = resumePlan(sources, pf, planPath, text);
  // whether another step can follow is the evaluation's to say (a second look, or precision rounds)
  if (!ev.mayAskAfter(0)) {
    throw usage(
      `${planPath} is not a second look's plan (mode ${pf.mode === undefined ? "absent" : `"${pf.mode}"`}) nor one made with --precision, so it asks nothing after its toEvaluate: run the target on its toEvaluate and use tb estimate`,
    );
  }
  checkLmEvalIds(responses, sourcePath, v["doc-order"] as string | undefined);
  const targets = expandTargets(responses);
  if (targets.length !== 1) throw usage("--plan takes the answers of its one target");
  const file = (targets[0] as TargetInput).path;
  const look = ev.isSecondLook(0);
  answerFromFile(
    ev,
    readResponses(file, responsesOptions(sources, v as never, sourcePath)),
    file,
    look ? "does not answer the second look" : "does not answer the plan's toEvaluate",
  );
  if (ev.done) {
    const est = ev.estimate(0);
    const hw = est.interval === null ? Number.NaN : (est.interval[1] - est.interval[0]) / 2;
    return done(
      [
        `target "${pf.target}": nothing more to ask after ${est.asked.length} examples — ` +
          (est.reachedPrecision === true
            ? `the interval's half-width ${hw.toFixed(3)} is within the precision ${String(pf.precision?.precision)}`
            : `the most examples allowed (${String(pf.precision?.maxBudget)}) are asked (half-width ${hw.toFixed(3)})`) +
          `; no plan written to ${out}`,
        `Next: tb estimate --source ${sourcePath} --plan ${planPath} --responses ${file}`,
      ].join("\n"),
    );
  }
  const next = planFile(ev, 0, pf, pf.pooling);
  writeFileAtomic(out, formatWorkflowJson(next));
  const d = ev.design(0);
  let what: string;
  if (look) {
    // the design's phrase (mode rules) from @tb/estimate; the CLI adds the score its files gave
    what = `${ev.describe(0)} (score ${ev.answeredScore(0).toFixed(3)} on its ${pf.nset.length} examples)`;
  } else {
    what = `round ${next.precision?.round} of precision on demand`;
  }
  const lines = [
    `target "${pf.target}": ${what}, ${d.pending.length} left to evaluate → ${out}\n  ${d.pending.join(", ")}`,
  ];
  if (next.precision !== undefined) lines.push(precisionNote(next.precision));
  lines.push(
    `Next: run the target on the examples left (${exportHint("--plan", out, sourcePath)}),`,
    `then: tb estimate --source ${sourcePath} --plan ${out} --responses <answers>`,
  );
  return done(lines.join("\n"));
}
