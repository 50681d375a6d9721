/** `tb tailor` (docs/DESIGN.md §3.2): native sources and N-set of each target → `plan.json`. */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type CorrectnessMatrix, RandomStream, TbError } from "@tb/core";
import {
  afterSecondLook,
  DEFAULT_RANGE_QUANTILE,
  DEFAULT_SECOND_LOOK,
  gsetScores,
  plusMode,
  secondLookSize,
  selectNatives,
  sourceMeans,
  stratifiedDesign,
  type TailoredOptions,
  tailor,
} from "@tb/estimate";
import {
  checkSource,
  formatWorkflowJson,
  type PlanFile,
  type ProbeFile,
  readPlanFile,
  readProbeFile,
  readResponses,
  resolveExampleIds,
  resolveModelIds,
  WORKFLOW_SPEC_VERSION,
  writeFileAtomic,
} from "@tb/io";
import {
  checkLmEvalIds,
  done,
  expandTargets,
  exportHint,
  intFlag,
  loadSource,
  missingMessage,
  noPositionals,
  oneOfFlag,
  RESPONSE_FLAGS,
  required,
  responsesOptions,
  type TargetInput,
  tailoredOptions,
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
 * the batch draws its N-set from `RandomStream.derive(seed).child("nset", t)`.
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
  checkSource(pf.source, sources, probePath, probeText);
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
  const opts = tailoredOptions(pf.options);
  const method = oneOfFlag("method", v.method, ["tailored-plus", "tailored"] as const) ?? "tailored-plus";
  let share = DEFAULT_SECOND_LOOK;
  if (v["second-look"] !== undefined) {
    share = Number(v["second-look"]);
    if (!(/^\s*(0|0?\.\d+)\s*$/.test(v["second-look"]) && share >= 0 && share < 1)) {
      throw usage(
        `--second-look must be a share in [0, 1), e.g. 0.3 (0: the G-set alone decides), got "${v["second-look"]}"`,
      );
    }
    if (method !== "tailored-plus") throw usage("--second-look applies to --method tailored-plus only");
  }
  if (method === "tailored-plus") {
    return tailorPlus({ sources, sourcePath, pf, gset, gAnswers, targets, budget, seed, mode, out, opts, share });
  }
  const selections =
    mode === "joint"
      ? [selectNatives(sources, gset, gAnswers, opts)]
      : gAnswers.map((a, i) => {
          try {
            return selectNatives(sources, gset, [a], opts);
          } catch (err) {
            if (err instanceof TbError && err.code === "E_DEGENERATE") {
              const t = targets[i] as TargetInput;
              throw new TbError("E_DEGENERATE", `target "${t.name}": ${err.message}`, { file: t.path });
            }
            throw err;
          }
        });
  const multi = targets.length > 1;
  const lines: string[] = [];
  targets.forEach((t, i) => {
    const sel = mode === "joint" ? selections[0] : selections[i];
    if (sel === undefined) throw new TbError("E_INTERNAL", "native selection missing");
    const natives = (mode === "joint" ? sel.natives[i] : sel.natives[0]) as Int32Array;
    const plan = tailor(sources, gset, natives, budget, RandomStream.derive(seed).child("nset", i), opts);
    const ids = (a: Int32Array) => Array.from(a, (j) => sources.exampleIds[j] as string);
    const gA: Record<string, number> = {};
    pf.gset.forEach((id, k) => {
      gA[id] = (gAnswers[i] as number[])[k] as number;
    });
    const file: PlanFile = {
      specVersion: WORKFLOW_SPEC_VERSION,
      kind: "tailoredbench/plan",
      target: t.name,
      seed,
      targetIndex: i,
      pooling: mode,
      budget,
      gset: pf.gset,
      nset: ids(plan.nset),
      toEvaluate: ids(plan.toEvaluate),
      nativeSources: Array.from(natives, (s) => sources.modelIds[s] as string),
      labels: Array.from(plan.labels),
      gAnswers: gA,
      dBar: sel.dBar,
      nBar: sel.nBar,
      options: pf.options,
      source: pf.source,
    };
    const dest = multi ? join(out, `${t.name}.plan.json`) : out;
    writeFileAtomic(dest, formatWorkflowJson(file));
    lines.push(
      `target "${t.name}": ${natives.length} native sources (d̄ = ${sel.dBar.toFixed(3)}, ${mode} pooling), ` +
        `N-set of ${budget} examples, ${file.toEvaluate.length} left to evaluate → ${dest}\n  ${file.toEvaluate.join(", ")}`,
    );
    if (sel.fallback !== "none") {
      lines.push(
        `  note: no source model was within d̄ of the ${mode === "joint" ? "average target" : "target"} (n̄ = 0): ` +
          (sel.fallback === "all-sources"
            ? "every source is used as a native source"
            : "native sources are those within the mean target–source distance") +
          " — the target is probably beyond the sources' range",
      );
    }
  });
  lines.push(
    `Next: run the target on the examples left (${exportHint("--plan", multi ? join(out, "<target>.plan.json") : out, sourcePath)}),`,
    `then: tb estimate --source ${sourcePath} --plan ${multi ? join(out, "<target>.plan.json") : out} --responses <answers>`,
  );
  return done(lines.join("\n"));
}

/** `tb tailor --method tailored-plus` (the default): the mode of each target, then its plan. */
function tailorPlus(a: {
  sources: CorrectnessMatrix;
  sourcePath: string;
  pf: ProbeFile;
  gset: Int32Array;
  gAnswers: number[][];
  targets: TargetInput[];
  budget: number;
  seed: number;
  mode: "joint" | "single";
  out: string;
  opts: TailoredOptions;
  share: number;
}): number {
  const { sources, pf, gset, gAnswers, targets, budget, seed, out, opts } = a;
  const g = gset.length;
  const srcG = gsetScores(sources, gset);
  const modes = gAnswers.map((ans) => plusMode(srcG, ans.reduce((x, y) => x + y, 0) / g, DEFAULT_RANGE_QUANTILE));
  // a target at the top of the sources' range on the G-set takes a second look first
  const look = secondLookSize(budget - g, a.share);
  const looks = (t: number) => (modes[t] as ReturnType<typeof plusMode>).mode === "beyond" && look > 0;
  const within = modes.flatMap((m, t) => (m.mode === "within" || looks(t) ? [t] : []));
  // within and second-look targets: native selection jointly over them (or one by one with single pooling)
  const natives = new Map<number, { natives: Int32Array; dBar: number; nBar: number; fallback: string }>();
  if (within.length > 0) {
    if (a.mode === "joint") {
      const sel = selectNatives(
        sources,
        gset,
        within.map((t) => gAnswers[t] as number[]),
        opts,
      );
      within.forEach((t, i) => {
        natives.set(t, {
          natives: sel.natives[i] as Int32Array,
          dBar: sel.dBar,
          nBar: sel.nBar,
          fallback: sel.fallback,
        });
      });
    } else {
      for (const t of within) {
        const sel = selectNatives(sources, gset, [gAnswers[t] as number[]], opts);
        natives.set(t, {
          natives: sel.natives[0] as Int32Array,
          dBar: sel.dBar,
          nBar: sel.nBar,
          fallback: sel.fallback,
        });
      }
    }
  }
  const beyondDesign = modes.some((m, t) => m.mode === "beyond" && !looks(t))
    ? stratifiedDesign(sourceMeans(sources), gset, budget - g, RandomStream.derive(seed).child("strata"))
    : undefined;
  const multi = targets.length > 1;
  const ids = (arr: ArrayLike<number>) => Array.from(arr, (j) => sources.exampleIds[j] as string);
  const lines: string[] = [];
  targets.forEach((t, i) => {
    const m = modes[i] as ReturnType<typeof plusMode>;
    const gA: Record<string, number> = {};
    pf.gset.forEach((id, k) => {
      gA[id] = (gAnswers[i] as number[])[k] as number;
    });
    const common = {
      specVersion: WORKFLOW_SPEC_VERSION as 1,
      kind: "tailoredbench/plan" as const,
      target: t.name,
      seed,
      targetIndex: i,
      pooling: a.mode,
      budget,
      gset: pf.gset,
    };
    let file: PlanFile;
    let what: string;
    if (looks(i) || m.mode === "within") {
      // a second look (g + m medoids) or the whole N-set: the tailored coreset, as far as it goes
      const nat = natives.get(i) as { natives: Int32Array; dBar: number; nBar: number; fallback: string };
      const stream = looks(i) ? RandomStream.derive(seed).child("look", i) : RandomStream.derive(seed).child("nset", i);
      const plan = tailor(sources, gset, nat.natives, looks(i) ? g + look : budget, stream, opts);
      file = {
        ...common,
        nset: ids(plan.nset),
        toEvaluate: ids(plan.toEvaluate),
        nativeSources: Array.from(nat.natives, (s) => sources.modelIds[s] as string),
        labels: Array.from(plan.labels),
        gAnswers: gA,
        dBar: nat.dBar,
        nBar: nat.nBar,
        options: pf.options,
        source: pf.source,
        method: "tailored-plus",
        mode: looks(i) ? "look" : "within",
        outOfRange: m.outOfRange,
      };
      what = looks(i)
        ? `at the top of the sources' range on the G-set: a second look at ${look} more examples of its tailored coreset decides its design`
        : `within the sources' range: ${nat.natives.length} native sources, N-set of ${budget} medoids`;
      if (nat.fallback !== "none") what += " (no source within d̄: native threshold relaxed)";
    } else {
      const d = beyondDesign as NonNullable<typeof beyondDesign>;
      file = {
        ...common,
        nset: [...pf.gset, ...ids(d.picks)],
        toEvaluate: ids(d.picks),
        nativeSources: [],
        labels: [],
        gAnswers: gA,
        dBar: 0,
        nBar: 0,
        options: pf.options,
        source: pf.source,
        method: "tailored-plus",
        mode: "beyond",
        strata: d.strata,
        outOfRange: m.outOfRange,
      };
      what = `at the top of the sources' range on the G-set: a stratified random sample (${d.strata} difficulty strata)`;
    }
    const dest = multi ? join(out, `${t.name}.plan.json`) : out;
    writeFileAtomic(dest, formatWorkflowJson(file));
    lines.push(
      `target "${t.name}": ${what}, ${file.toEvaluate.length} left to evaluate → ${dest}\n  ${file.toEvaluate.join(", ")}`,
    );
    if (m.outOfRange !== null) {
      lines.push(
        `  note: its G-set score is ${m.outOfRange} every source's — the target is probably ${m.outOfRange === "above" ? "stronger" : "weaker"} than all of them; the estimate will say so`,
      );
    }
  });
  const planPath = multi ? join(out, "<target>.plan.json") : out;
  const anyLook = targets.some((_, t) => looks(t));
  const allLook = targets.every((_, t) => looks(t));
  lines.push(`Next: run the target on the examples left (${exportHint("--plan", planPath, a.sourcePath)}),`);
  if (!allLook) lines.push(`then: tb estimate --source ${a.sourcePath} --plan ${planPath} --responses <answers>`);
  if (anyLook) {
    lines.push(
      `${allLook ? "then" : '  for a plan with "mode": "look" (a second look)'}: tb tailor --source ${a.sourcePath} --plan ${planPath} --responses <answers> --out <final plan>; run the target on the final plan's examples left and tb estimate with it`,
    );
  }
  return done(lines.join("\n"));
}

/**
 * `tb tailor --plan <second look's plan> --responses <answers> --out <plan>`: the target's score on
 * the G-set and the second look's examples, against the sources' scores on the same examples,
 * chooses its design — the rest of its tailored coreset (within) or stratified random draws around
 * the examples answered (beyond) — as `tailoredPlus` does in one call.
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
  checkSource(pf.source, sources, planPath, text);
  const fixed = resolveExampleIds(pf.nset, sources, "nset", planPath, text);
  const natives = resolveModelIds(pf.nativeSources, sources, "nativeSources", planPath, text);
  checkLmEvalIds(responses, sourcePath, v["doc-order"] as string | undefined);
  const targets = expandTargets(responses);
  if (targets.length !== 1) throw usage("--plan takes the answers of its one target");
  const ans = readResponses((targets[0] as TargetInput).path, responsesOptions(sources, v as never));
  const missing: string[] = [];
  const y = pf.nset.map((id, k) => {
    const a = ans.get(fixed[k] as number) ?? pf.gAnswers[id];
    if (a === undefined) missing.push(id);
    return a ?? 0;
  });
  if (missing.length > 0) {
    throw new TbError(
      "E_INPUT",
      missingMessage(
        `${(targets[0] as TargetInput).path} does not answer the second look`,
        missing,
        fixed.length - missing.length,
        fixed.length,
      ),
      { file: (targets[0] as TargetInput).path },
    );
  }
  const score = y.reduce((s, x) => s + x, 0) / fixed.length;
  const ids = (arr: ArrayLike<number>) => Array.from(arr, (j) => sources.exampleIds[j] as string);
  const looked = pf.toEvaluate;
  const next = afterSecondLook(sources, fixed, y, natives, pf.budget, RandomStream.derive(pf.seed), pf.targetIndex, {
    tailored: tailoredOptions(pf.options),
  });
  let file: PlanFile;
  let what: string;
  if (next.mode === "beyond") {
    const d = next.design;
    file = {
      ...pf,
      nset: ids(next.observed),
      toEvaluate: ids(d.picks),
      looked,
      nativeSources: [],
      labels: [],
      dBar: 0,
      nBar: 0,
      mode: "beyond",
      strata: d.strata,
    };
    what = `beyond the sources on the second look too (score ${score.toFixed(3)} on its ${fixed.length} examples): a stratified random sample (${d.strata} difficulty strata)`;
  } else {
    const plan = next.plan;
    file = {
      ...pf,
      nset: ids(plan.nset),
      toEvaluate: ids(plan.toEvaluate),
      looked,
      labels: Array.from(plan.labels),
      mode: "within",
    };
    what = `within the sources' range on the second look (score ${score.toFixed(3)} on its ${fixed.length} examples): the rest of its tailored coreset`;
  }
  writeFileAtomic(out, formatWorkflowJson(file));
  return done(
    [
      `target "${pf.target}": ${what}, ${file.toEvaluate.length} left to evaluate → ${out}\n  ${file.toEvaluate.join(", ")}`,
      `Next: run the target on the examples left (${exportHint("--plan", out, sourcePath)}),`,
      `then: tb estimate --source ${sourcePath} --plan ${out} --responses <answers>`,
    ].join("\n"),
  );
}
