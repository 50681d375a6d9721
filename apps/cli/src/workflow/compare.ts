/**
 * `tb compare` (docs/DESIGN.md §3.2, §3.6): a paired comparison of two models through files. Without
 * `--plan`: the shared examples → `compare.json` (the plan: ids to run both models on, and the
 * saved comparison). With `--plan` and two `--responses`: the difference A − B, its interval,
 * P(A better) and each model's estimate. Flags and files only; the algorithm is `@tb/estimate`'s.
 */
import { readFileSync } from "node:fs";
import { TbError } from "@tb/core";
import {
  type Comparison,
  type ComparisonResult,
  createComparison,
  EVALUATION_DEFAULTS,
  restoreComparison,
  type SavedComparison,
} from "@tb/estimate";
import {
  checkSource,
  formatWorkflowJson,
  parseDecimal,
  type SourceRef,
  WORKFLOW_SPEC_VERSION,
  writeFileAtomic,
} from "@tb/io";
import {
  checkLmEvalIds,
  cliErrors,
  done,
  exportHint,
  intFlag,
  loadSource,
  missingMessage,
  noPositionals,
  oneOfFlag,
  parseFlags,
  RESPONSE_FLAGS,
  readMerged,
  refuseSourceAsOut,
  required,
  responsesOptions,
  usage,
  WORKFLOW_USAGE,
} from "./common.js";

/** The kind of `tb compare`'s plan file. */
export const COMPARE_PLAN_KIND = "tailoredbench/compare-plan";

/** `compare.json`: what to run both models on, and the comparison to resume. */
export interface ComparePlanFile {
  specVersion: number;
  kind: typeof COMPARE_PLAN_KIND;
  names: [string, string];
  budget: number;
  seed: number;
  level: number;
  design: "stratified" | "random";
  /** Example ids to run both models on (the same for both). */
  toEvaluate: string[];
  source: SourceRef;
  comparison: SavedComparison;
}

const COMPARE_OPTIONS = {
  source: { type: "string" },
  plan: { type: "string" },
  budget: { type: "string" },
  seed: { type: "string" },
  level: { type: "string" },
  design: { type: "string" },
  names: { type: "string" },
  ...RESPONSE_FLAGS,
  json: { type: "boolean" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function levelFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const l = parseDecimal(v);
  if (!(l > 0 && l < 1)) throw usage(`--level must be a number in (0, 1), e.g. 0.9, got "${v}"`);
  return l;
}

/** Read and check a `compare.json` (its kind, version and the comparison in it). */
export function readComparePlan(path: string): { plan: ComparePlanFile; text: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new TbError("E_INPUT", `compare plan not found: ${path}`, { file: path });
  }
  let o: Partial<ComparePlanFile>;
  try {
    o = JSON.parse(text) as Partial<ComparePlanFile>;
  } catch (e) {
    throw new TbError("E_INPUT", `${path}: not JSON (${(e as Error).message})`, { file: path });
  }
  const bad = (what: string): never => {
    throw new TbError("E_INPUT", `${path}: ${what}`, { file: path });
  };
  if (o === null || typeof o !== "object") bad("a compare plan must be a JSON object");
  if (o.kind !== COMPARE_PLAN_KIND) bad(`"kind" must be "${COMPARE_PLAN_KIND}", got ${JSON.stringify(o.kind)}`);
  if (o.specVersion !== WORKFLOW_SPEC_VERSION)
    bad(
      `"specVersion" ${JSON.stringify(o.specVersion)} is not supported (this release reads ${WORKFLOW_SPEC_VERSION})`,
    );
  if (!Array.isArray(o.toEvaluate)) bad(`"toEvaluate" must be a list of example ids`);
  if (o.comparison === undefined || o.comparison === null || typeof o.comparison !== "object")
    bad(`"comparison" is missing`);
  if (o.source === undefined) bad(`"source" is missing`);
  return { plan: o as ComparePlanFile, text };
}

/** The result printed by `tb compare --plan … --json`. */
function resultJson(r: ComparisonResult, plan: ComparePlanFile) {
  return {
    specVersion: WORKFLOW_SPEC_VERSION,
    kind: "tailoredbench/comparison-result",
    difference: r.difference,
    interval: r.interval,
    level: r.level,
    se: r.se,
    probabilityABetter: r.probabilityABetter,
    a: r.a,
    b: r.b,
    disagreements: r.disagreements,
    evaluated: r.asked.length,
    budget: r.budget,
    design: r.design,
    estimator: r.estimator,
    outOfRange: r.outOfRange,
    seed: plan.seed,
    source: plan.source,
  };
}

/**
 * `tb compare`: make the plan (`--out`), or, with `--plan` and two `--responses` (A's, then B's),
 * print the difference A − B (docs/DESIGN.md §3.6).
 */
export function runCompare(args: string[]): number {
  const { values: v, positionals } = parseFlags(args, COMPARE_OPTIONS);
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  const sourcePath = required("source", v.source, "compare");
  if (v.plan === undefined) {
    const out = required("out", v.out, "compare");
    for (const f of ["responses", "json"] as const) {
      if (v[f] !== undefined) throw usage(`--${f} applies with --plan (the second step); this step writes the plan`);
    }
    // how to read --responses (--metric, --filter, --task, --doc-order): read in the second step only
    const reading = Object.keys(RESPONSE_FLAGS).filter(
      (f) => f !== "responses" && v[f as keyof typeof RESPONSE_FLAGS] !== undefined,
    );
    if (reading.length > 0) {
      throw usage(
        `${reading.map((f) => `--${f}`).join(", ")} ${reading.length === 1 ? "applies" : "apply"} to reading --responses only ` +
          "(with --plan, the second step); this step writes the plan",
      );
    }
    refuseSourceAsOut(out, sourcePath);
    // the budget's default is the library's (min(30, examples)): passed only when given
    const budget = v.budget === undefined ? undefined : intFlag("budget", v.budget, EVALUATION_DEFAULTS.budget, 1);
    const seed = intFlag("seed", v.seed, EVALUATION_DEFAULTS.seed, 0);
    const level = levelFlag(v.level) ?? EVALUATION_DEFAULTS.level;
    const design = oneOfFlag("design", v.design, ["stratified", "random"] as const) ?? "stratified";
    const names = (v.names ?? "A,B").split(",").map((s) => s.trim());
    const sources = loadSource(sourcePath);
    const cmp = cliErrors(() =>
      createComparison(sources, { ...(budget !== undefined ? { budget } : {}), seed, level, design, names }),
    );
    const saved = cmp.toJSON();
    const plan: ComparePlanFile = {
      specVersion: WORKFLOW_SPEC_VERSION,
      kind: COMPARE_PLAN_KIND,
      names: saved.names,
      budget: cmp.budget,
      seed,
      level,
      design,
      toEvaluate: cmp.examples,
      source: saved.source,
      comparison: saved,
    };
    writeFileAtomic(out, formatWorkflowJson(plan));
    return done(
      `paired comparison of "${saved.names[0]}" and "${saved.names[1]}": the same ${cmp.budget} examples of ${sources.name} for both ` +
        `(${design === "stratified" ? "the G-set, then a difficulty-stratified random sample" : "a uniform random sample"}; seed ${seed}) → ${out}\n` +
        `Next: run both models on its toEvaluate (${exportHint("--plan", out, sourcePath)}),\n` +
        `then: tb compare --source ${sourcePath} --plan ${out} --responses <answers of ${saved.names[0]}> --responses <answers of ${saved.names[1]}>\n`,
    );
  }
  for (const f of ["budget", "seed", "design", "names", "out"] as const) {
    if (v[f] !== undefined) throw usage(`--${f} applies when making the plan (without --plan); the plan holds it`);
  }
  const planPath = v.plan;
  const responses = required("responses", v.responses, "compare");
  if (responses.length !== 2) {
    throw usage(
      `tb compare --plan needs --responses twice: model A's answers, then model B's (got ${responses.length})`,
    );
  }
  const { plan, text } = readComparePlan(planPath);
  const sources = loadSource(sourcePath);
  cliErrors(() => checkSource(plan.source, sources, planPath, text));
  const level = levelFlag(v.level);
  let cmp: Comparison;
  try {
    cmp = cliErrors(() => restoreComparison(sources, plan.comparison, level === undefined ? {} : { level }));
  } catch (e) {
    if (e instanceof TbError && e.code === "E_INPUT") {
      throw new TbError("E_INPUT", `${planPath}: ${e.message.replace(/^restoreComparison: /, "comparison: ")}`, {
        file: planPath,
      });
    }
    throw e;
  }
  // the plan's own fields say what the saved comparison holds: an edited one is refused, as toEvaluate is
  const held: [string, unknown, unknown][] = [
    ["names", plan.names, cmp.names],
    ["budget", plan.budget, cmp.budget],
    ["design", plan.design, cmp.design],
    ["seed", plan.seed, cmp.seed],
    ["level", plan.level, plan.comparison.options.level],
  ];
  for (const [field, top, inner] of held) {
    if (JSON.stringify(top) !== JSON.stringify(inner)) {
      throw new TbError(
        "E_INPUT",
        `${planPath}: "${field}" is ${JSON.stringify(top)}, but the comparison saved in the same file has ${JSON.stringify(inner)} (was the plan edited?); make it again with tb compare --out`,
        { file: planPath },
      );
    }
  }
  if (JSON.stringify(cmp.examples) !== JSON.stringify(plan.toEvaluate)) {
    throw new TbError(
      "E_INPUT",
      `${planPath}: "toEvaluate" differs from the comparison saved in the same file (was the plan edited?); make it again with tb compare --out`,
      { file: planPath },
    );
  }
  checkLmEvalIds(responses, sourcePath, v["doc-order"]);
  const o = responsesOptions(sources, v, sourcePath);
  for (const t of [0, 1] as const) {
    if (cmp.run.state.answers[t] !== null) continue;
    const file = responses[t] as string;
    const { answers } = readMerged([file], o);
    const r = cmp.answerFrom(t, answers);
    if (r.missing.length > 0) {
      throw new TbError(
        "E_INPUT",
        missingMessage(
          `${file} (model ${cmp.names[t]}) does not answer the plan's examples`,
          r.missing,
          r.asked - r.missing.length,
          r.asked,
        ),
        { file },
      );
    }
  }
  const r = cmp.difference();
  if (v.json) return done(JSON.stringify(resultJson(r, plan), null, 2));
  const pp = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)}`;
  const pc = (x: number) => (100 * x).toFixed(1);
  return done(
    `${r.a.name} − ${r.b.name}: ${pp(r.difference)} pp (${Math.round(r.level * 100)}% interval ${pp(r.interval[0])} to ${pp(r.interval[1])} pp), ` +
      `P(${r.a.name} better) ${pc(r.probabilityABetter)}%\n` +
      `${r.a.name}: estimated accuracy ${pc(r.a.accuracy)}% (rank ${r.a.rank.position} of ${r.a.rank.of})\n` +
      `${r.b.name}: estimated accuracy ${pc(r.b.accuracy)}% (rank ${r.b.rank.position} of ${r.b.rank.of})\n` +
      `from the same ${r.asked.length} examples of ${sources.cols} for both; they answered ${r.disagreements} differently\n` +
      `estimate: ${r.estimatorNote}`,
  );
}
