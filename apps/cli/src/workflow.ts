/**
 * The two-phase workflow commands of `tb` (DESIGN §1 item 1, §3.2): `probe`, `tailor`,
 * `estimate`, `export` and `import`. Flags, file handling and printing only; the algorithms are
 * `@tb/estimate`'s and the file formats `@tb/io`'s.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type CorrectnessMatrix, RandomStream, TbError } from "@tb/core";
import {
  DEFAULT_RANGE_QUANTILE,
  designFromPicks,
  estimate,
  estimateInterval,
  gsetScores,
  plusBeyond,
  plusMode,
  plusWithin,
  probe,
  selectNatives,
  sourceMeans,
  stratifiedDesign,
  type TailoredOptions,
  tailor,
} from "@tb/estimate";
import {
  checkSource,
  formatWorkflowJson,
  type ImportLeaderboardOptions,
  type ImportLmEvalResult,
  importLeaderboard,
  importLmEval,
  isSamplesFileName,
  type LmEvalSamplesOptions,
  lmEvalSamplesFor,
  loadDataset,
  type PlanFile,
  type ProbeFile,
  parseDocOrder,
  type ResponsesOptions,
  readCorrectnessCsv,
  readMeta,
  readPlanFile,
  readProbeFile,
  readResponses,
  resolveExampleIds,
  resolveModelIds,
  type SourceRef,
  sourceRef,
  type TaskRead,
  WORKFLOW_SPEC_VERSION,
  type WorkflowOptions,
  writeCorrectnessCsv,
  writeFileAtomic,
} from "@tb/io";

/** Usage lines of the workflow commands, for `tb help`. */
export const WORKFLOW_USAGE = `Evaluate your own model (two phases; see README "Evaluate your own model"):
  tb probe --source <csv|dir> [--gset 10] [--seed 0] [--distance D] [--no-standardize] --out probe.json
  tb tailor --source <csv|dir> --probe probe.json --responses <file|dir> [--responses …] --budget N
            [--doc-order lm-eval-v0.3|identity: needed for lm-eval samples unless the source came from tb import]
            [--method tailored-plus|tailored] [--seed <probe's>] [--pooling single|joint] [--name NAME]
            --out plan.json|<dir>
  tb estimate --source <csv|dir> --plan plan.json --responses <file|dir> [--responses …] [--level 0.9] [--json]
  tb export --probe probe.json|--plan plan.json --format lm-eval-samples --out samples.json
            (--source <dir> | --doc-order lm-eval-v0.3|identity --task T) [--include-gset]
  tb import lm-eval <output dirs…> --out <dir> [--metric M|task=M,…] [--filter F|task=F,…] [--name NAME]
  tb import leaderboard <details files|dirs…> --out <dir> [--metric acc_norm|metrics.acc|task=M,…]
            [--doc-order lm-eval-v0.3 | --id-column doc_id|@row] [--filter F] [--name NAME]
  Responses: CSV example,correct | JSON {"<id>": value} | lm-eval samples files (.jsonl or .json,
  any version since 0.4.0) or their folder; for lm-eval choose with --metric, --filter (name, #k,
  or task=… pairs) and --task, as for tb import.
  Example ids go to lm-eval only when they are known to be its doc indices: a matrix from tb import
  (its meta.json records id_provenance), or --doc-order lm-eval-v0.3 for a matrix in lm-eval v0.3's
  visit order (Open LLM Leaderboard v1 data, e.g. the TailoredBench GSM8K matrix).
  Several targets (several --responses, or a folder of response files) → joint pooling, one plan
  per target in the --out folder.
`;

function usage(msg: string): TbError {
  return new TbError("E_USAGE", msg);
}

function intFlag(name: string, v: string | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!/^-?\d+$/.test(v.trim())) throw usage(`--${name} must be an integer, got "${v}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw usage(`--${name} is out of range: "${v}"`);
  if (n < min) throw usage(`--${name} must be ≥ ${min}, got ${n}`);
  return n;
}

function oneOfFlag<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw usage(`--${name} must be one of ${allowed.join(", ")}, got "${v}"`);
  }
  return v as T;
}

function required<T>(name: string, v: T | undefined, command: string): T {
  if (v === undefined) throw usage(`tb ${command} needs --${name} (try: tb ${command} --help)`);
  return v;
}

function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}"`);
}

/** The source matrix: a `correctness.csv` file, or a data folder holding one (all its rows are sources). */
function loadSource(path: string): CorrectnessMatrix {
  let dir = false;
  try {
    dir = statSync(path).isDirectory();
  } catch {
    throw new TbError("E_INPUT", `source matrix not found: ${path} (expected a correctness.csv or its folder)`, {
      file: path,
    });
  }
  return dir ? loadDataset(path).matrix : readCorrectnessCsv(path);
}

function tailoredOptions(o: WorkflowOptions): TailoredOptions {
  return { metric: o.metric, standardize: o.standardize };
}

const RESPONSE_FLAGS = {
  responses: { type: "string", multiple: true },
  metric: { type: "string" },
  filter: { type: "string" },
  task: { type: "string" },
  "doc-order": { type: "string" },
} as const;

function responsesOptions(
  matrix: CorrectnessMatrix,
  v: {
    metric?: string | undefined;
    filter?: string | undefined;
    task?: string | undefined;
    "doc-order"?: string | undefined;
  },
): ResponsesOptions {
  const o: ResponsesOptions = { exampleIds: matrix.exampleIds };
  if (v.metric !== undefined) o.metric = v.metric;
  if (v.filter !== undefined) o.filter = v.filter;
  if (v.task !== undefined) o.task = v.task;
  const docOrder = parseDocOrder(v["doc-order"]);
  if (docOrder !== undefined) o.docOrder = docOrder;
  return o;
}

/** An lm-eval samples file: `samples_<task>_<date>.json(l)`, or 0.4.0–0.4.2's `<model_args>_<task>.jsonl` beside a results file. */
function isSamples(dir: string, name: string, entries?: readonly string[]): boolean {
  if (isSamplesFileName(name)) return true;
  if (!name.endsWith(".jsonl")) return false;
  const all = entries ?? (isDir(dir) ? readdirSync(dir) : []);
  return all.includes("results.json") || all.some((f) => /^results_.+\.json$/.test(f));
}

/** A target to tailor: its name and its responses file (or lm-eval folder). */
interface TargetInput {
  name: string;
  path: string;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The targets named by `--responses` values: a file is one target (named after the file, or after
 * its folder for an lm-eval samples file); a folder holding `samples_*.jsonl` is one target (an
 * lm-eval output folder); any other folder holds one target per response file or sub-folder.
 */
function expandTargets(paths: readonly string[]): TargetInput[] {
  const out: TargetInput[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new TbError("E_INPUT", `responses file not found: ${p}`, { file: p });
    if (!isDir(p)) {
      const base = basename(p);
      const name = isSamples(dirname(resolve(p)), base)
        ? basename(resolve(dirname(p)))
        : base.slice(0, base.length - extname(base).length);
      out.push({ name, path: p });
      continue;
    }
    const entries = readdirSync(p).sort();
    if (entries.some((f) => isSamples(p, f, entries))) {
      out.push({ name: basename(resolve(p)), path: p });
      continue;
    }
    const inner = entries
      .map((e) => join(p, e))
      .filter((f) => (isDir(f) ? readdirSync(f).some((x) => isSamples(f, x)) : /\.(csv|json|jsonl)$/i.test(f)));
    if (inner.length === 0) {
      throw new TbError("E_INPUT", `no response files (.csv, .json, lm-eval samples) in the folder ${p}`, { file: p });
    }
    for (const f of inner) {
      const b = basename(f);
      out.push({ name: isDir(f) ? b : b.slice(0, b.length - extname(b).length), path: f });
    }
  }
  const seen = new Map<string, string>();
  for (const t of out) {
    const prev = seen.get(t.name);
    if (prev !== undefined) {
      throw new TbError("E_INPUT", `two targets are both named "${t.name}" (${prev} and ${t.path})`, { file: t.path });
    }
    seen.set(t.name, t.path);
  }
  return out;
}

/** Does this `--responses` value hold lm-eval samples (keyed by `doc_id`, not by the matrix's ids)? */
function holdsLmEvalSamples(p: string): boolean {
  if (!isDir(p)) return isSamples(dirname(resolve(p)), basename(p)) || /\.jsonl$/i.test(p);
  const entries = readdirSync(p);
  if (entries.some((f) => isSamples(p, f, entries))) return true;
  return entries.some((e) => {
    const sub = join(p, e);
    return isDir(sub) && readdirSync(sub).some((f) => isSamples(sub, f));
  });
}

/**
 * lm-eval answers are keyed by doc index: refuse them for a source matrix whose ids are not known
 * to be doc indices (no `id_provenance` in its `meta.json`) unless `--doc-order` says how the
 * columns relate to docs, since the answers would silently land in the wrong columns.
 */
function checkLmEvalIds(responses: readonly string[], sourcePath: string, docOrder: string | undefined): void {
  if (docOrder !== undefined) return;
  const lm = responses.find(holdsLmEvalSamples);
  if (lm === undefined) return;
  if (sourceMeta(sourcePath)?.idProvenance !== undefined) return;
  throw new TbError(
    "E_USAGE",
    `${lm} holds lm-eval samples, keyed by doc_id, but the example ids of ${sourcePath} are not known to be lm-eval doc indices (its meta.json has no id_provenance), so answers could land in the wrong columns. ` +
      "Use a matrix made by tb import, or --doc-order lm-eval-v0.3 for columns in lm-eval v0.3's visit order (Open LLM Leaderboard v1 data such as the TailoredBench GSM8K matrix), or --doc-order identity if its ids are the doc indices",
    { file: lm },
  );
}

/** Read several response files of one target into one map; the same example twice with different values is refused. */
function readMerged(
  paths: readonly string[],
  o: ResponsesOptions,
): { answers: Map<number, number>; from: Map<number, string> } {
  const answers = new Map<number, number>();
  const from = new Map<number, string>();
  for (const p of paths) {
    for (const [j, v] of readResponses(p, o)) {
      const prev = answers.get(j);
      if (prev !== undefined && prev !== v) {
        throw new TbError(
          "E_INPUT",
          `example "${o.exampleIds[j]}" is answered ${prev} in ${from.get(j)} but ${v} in ${p}`,
          { file: p },
        );
      }
      answers.set(j, v);
      from.set(j, p);
    }
  }
  return { answers, from };
}

function missingMessage(what: string, ids: readonly string[], have: number, total: number): string {
  const shown = ids.slice(0, 8).map((id) => `"${id}"`);
  return `${what}: ${have} of the ${total} examples needed are answered; missing ${shown.join(", ")}${ids.length > 8 ? `, … (${ids.length} in all)` : ""}`;
}

function done(text: string): number {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  return 0;
}

// ---------------------------------------------------------------------------------------------

const PROBE_OPTIONS = {
  source: { type: "string" },
  gset: { type: "string" },
  seed: { type: "string" },
  distance: { type: "string" },
  "no-standardize": { type: "boolean" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `tb probe` (DESIGN §3.2; ALGORITHMS §3 step 1): the G-set of the source matrix, written to
 * `probe.json` with the seed, the options and the matrix's sha256.
 */
export function runProbe(args: string[]): number {
  const { values: v, positionals } = parseArgs({ args, options: PROBE_OPTIONS, allowPositionals: true, strict: true });
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  const sourcePath = required("source", v.source, "probe");
  const out = required("out", v.out, "probe");
  const g = intFlag("gset", v.gset, 10, 1);
  const seed = intFlag("seed", v.seed, 0, 0);
  const options: WorkflowOptions = {
    metric:
      oneOfFlag("distance", v.distance, ["manhattan", "euclidean", "cosine", "correlation"] as const) ?? "manhattan",
    standardize: !v["no-standardize"],
  };
  const sources = loadSource(sourcePath);
  if (!(g < sources.cols)) {
    throw usage(`--gset ${g} must be smaller than the number of examples (${sources.cols})`);
  }
  const { gset } = probe(sources, RandomStream.derive(seed).child("gset"), { ...tailoredOptions(options), gset: g });
  const file: ProbeFile = {
    specVersion: WORKFLOW_SPEC_VERSION,
    kind: "tailoredbench/probe",
    seed,
    gset: Array.from(gset, (j) => sources.exampleIds[j] as string),
    options,
    source: sourceRef(sources),
  };
  writeFileAtomic(out, formatWorkflowJson(file));
  return done(
    `G-set: ${g} examples of ${sources.name} (${sources.rows} source models × ${sources.cols} examples), seed ${seed} → ${out}\n` +
      `  ${file.gset.join(", ")}\n` +
      `Next: run the target on these examples (${exportHint("--probe", out, sourcePath)}),\n` +
      `then: tb tailor --source ${sourcePath} --probe ${out} --responses <answers> --budget <N> --out plan.json\n`,
  );
}

const TAILOR_OPTIONS = {
  source: { type: "string" },
  probe: { type: "string" },
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
 * `tb tailor` (DESIGN §3.2; ALGORITHMS §3 steps 2–6): native sources and N-set of each target
 * from its answers on the G-set. One target → single-target pooling and one plan file; several
 * → joint pooling (the reference) and one plan per target in the `--out` folder. Target `t` of
 * the batch draws its N-set from `RandomStream.derive(seed).child("nset", t)`.
 */
export function runTailor(args: string[]): number {
  const { values: v, positionals } = parseArgs({ args, options: TAILOR_OPTIONS, allowPositionals: true, strict: true });
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
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
  if (method === "tailored-plus") {
    return tailorPlus({ sources, sourcePath, pf, gset, gAnswers, targets, budget, seed, mode, out, opts });
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
}): number {
  const { sources, pf, gset, gAnswers, targets, budget, seed, out, opts } = a;
  const g = gset.length;
  const srcG = gsetScores(sources, gset);
  const modes = gAnswers.map((ans) => plusMode(srcG, ans.reduce((x, y) => x + y, 0) / g, DEFAULT_RANGE_QUANTILE));
  const within = modes.flatMap((m, t) => (m.mode === "within" ? [t] : []));
  // within targets: native selection jointly over them (or one by one with single pooling)
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
  const beyondDesign = modes.some((m) => m.mode === "beyond")
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
    if (m.mode === "within") {
      const nat = natives.get(i) as { natives: Int32Array; dBar: number; nBar: number; fallback: string };
      const plan = tailor(sources, gset, nat.natives, budget, RandomStream.derive(seed).child("nset", i), opts);
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
        mode: "within",
        outOfRange: m.outOfRange,
      };
      what = `within the sources' range: ${nat.natives.length} native sources, N-set of ${budget} medoids`;
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
  lines.push(
    `Next: run the target on the examples left (${exportHint("--plan", multi ? join(out, "<target>.plan.json") : out, a.sourcePath)}),`,
    `then: tb estimate --source ${a.sourcePath} --plan ${multi ? join(out, "<target>.plan.json") : out} --responses <answers>`,
  );
  return done(lines.join("\n"));
}

const ESTIMATE_OPTIONS = {
  source: { type: "string" },
  plan: { type: "string" },
  ...RESPONSE_FLAGS,
  level: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `tb estimate` (DESIGN §3.2; ALGORITHMS §3 step 7): the calibrated accuracy of the target from
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
    const g = pf.gset.length;
    const gset = nset.slice(0, g);
    const design = designFromPicks(sourceMeans(sources), gset, nset.slice(g), pf.strata as number);
    ({ accuracy, interval } = plusBeyond(sources, sources.trueScores(), design, gset, nset, values, level));
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

const EXPORT_OPTIONS = {
  plan: { type: "string" },
  probe: { type: "string" },
  format: { type: "string" },
  task: { type: "string" },
  source: { type: "string" },
  "doc-order": { type: "string" },
  "include-gset": { type: "boolean" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The `tb export` command to suggest: `--source` when the ids are recorded as doc indices, else the doc-order route. */
function exportHint(flag: "--probe" | "--plan", file: string, sourcePath: string): string {
  const base = `tb export ${flag} ${file} --format lm-eval-samples`;
  let known = false;
  try {
    known = sourceMeta(sourcePath)?.idProvenance !== undefined;
  } catch {
    // a hint only: a bad meta.json is reported by the command that needs it
  }
  return known
    ? `${base} --source ${sourcePath} --out samples.json`
    : `${base} --doc-order lm-eval-v0.3 --task <task> --out samples.json, if the columns are in lm-eval v0.3's visit order as in the paper's GSM8K; --doc-order identity if the ids are doc indices`;
}

/** `meta.json` of a source given as a data folder or as the `correctness.csv` inside one. */
function sourceMeta(path: string): ReturnType<typeof readMeta> {
  return readMeta(isDir(path) ? path : dirname(path));
}

/**
 * `tb export` (DESIGN §3.2): the examples to run next as lm-evaluation-harness `--samples` JSON
 * (leaf task → sorted unique doc indices): the G-set of a probe, or the examples a plan leaves to
 * evaluate (`--include-gset`: its whole N-set); written to a file, with the `lm_eval` command
 * line that reads it. Only ids known to be lm-eval doc indices are exported: `--source` of a
 * matrix whose `meta.json` records it (`tb import`), or `--doc-order lm-eval-v0.3` for a matrix
 * in lm-eval v0.3's visit order (column k → doc `perm[k]`).
 */
export function runExport(args: string[]): number {
  const { values: v, positionals } = parseArgs({ args, options: EXPORT_OPTIONS, allowPositionals: true, strict: true });
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  if ((v.plan === undefined) === (v.probe === undefined)) {
    throw usage("tb export needs exactly one of --plan plan.json or --probe probe.json");
  }
  const format = required("format", v.format, "export");
  if (format !== "lm-eval-samples") throw usage(`--format must be lm-eval-samples, got "${format}"`);
  const out = v.out;
  if (out === undefined) {
    throw usage(
      "tb export needs --out FILE: lm-eval reads the doc indices from that file (--samples FILE; inline JSON fails in lm-eval for more than a few ids)",
    );
  }
  const docOrder = parseDocOrder(v["doc-order"]);
  let ids: string[];
  let source: SourceRef;
  let file: string;
  if (v.plan !== undefined) {
    const { plan } = readPlanFile(v.plan);
    ids = v["include-gset"] ? plan.nset : plan.toEvaluate;
    source = plan.source;
    file = v.plan;
  } else {
    if (v["include-gset"]) throw usage("--include-gset applies to --plan only (a probe is the G-set)");
    const { probe: pf } = readProbeFile(v.probe as string);
    ids = pf.gset;
    source = pf.source;
    file = v.probe as string;
  }
  const o: LmEvalSamplesOptions = { examples: source.examples, file };
  if (docOrder !== undefined) o.docOrder = docOrder;
  if (v.task !== undefined) o.task = v.task;
  if (v.source !== undefined) {
    const matrix = loadSource(v.source);
    checkSource(source, matrix, file);
    const meta = sourceMeta(v.source);
    if (meta?.idProvenance !== undefined) o.provenance = meta.idProvenance;
    else if (docOrder === undefined) {
      throw new TbError(
        "E_USAGE",
        `${v.source}: its meta.json does not record that the example ids are lm-eval doc indices (no "id_provenance"), so they cannot be handed to lm-eval. ` +
          "Import the matrix with tb import lm-eval / tb import leaderboard, or, for a matrix in lm-eval v0.3's visit order (Open LLM Leaderboard v1 data such as the TailoredBench GSM8K matrix), add --doc-order lm-eval-v0.3 --task <task>",
        { file: join(isDir(v.source) ? v.source : dirname(v.source), "meta.json"), column: "id_provenance" },
      );
    }
  }
  const spec = lmEvalSamplesFor(ids, o);
  const tasks = Object.keys(spec).join(",");
  const cmd =
    `lm_eval --model hf --model_args pretrained=<your-model> --tasks ${shellQuote(tasks)} ` +
    `--samples ${shellQuote(out)} --log_samples --output_path <output-dir>`;
  const count = Object.values(spec).reduce((a, d) => a + d.length, 0);
  writeFileAtomic(out, `${JSON.stringify(spec)}\n`);
  return done(
    `${count} doc indices in ${Object.keys(spec).length} leaf task(s) → ${out}` +
      (docOrder === "lm-eval-v0.3" ? ` (columns mapped from lm-eval v0.3's visit order to doc indices)` : "") +
      `\nRun (lm-eval ≥ 0.4.9; no --limit):\n  ${cmd}\n` +
      `Then pass the run's samples folder as --responses${docOrder !== undefined ? " with the same --doc-order" : ""}.`,
  );
}

const IMPORT_OPTIONS = {
  out: { type: "string" },
  "id-column": { type: "string" },
  "doc-order": { type: "string" },
  metric: { type: "string", multiple: true },
  filter: { type: "string", multiple: true },
  name: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `tb import lm-eval <output dirs…> --out <dir>` and `tb import leaderboard <files|dirs…> --out <dir>`
 * (DESIGN §3.1): a source matrix (`correctness.csv` + `meta.json`) from many models' lm-eval
 * `--log_samples` folders (any version since 0.4.0), or from downloaded Open LLM Leaderboard
 * details (v2 samples folders, v1 details folders, the hub's parquet conversion). `meta.json`
 * records what was read per task and, when the example ids are lm-eval doc indices,
 * `id_provenance` (what `tb export` needs).
 */
export async function runImport(args: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, options: IMPORT_OPTIONS, allowPositionals: true, strict: true });
  if (v.help) return done(WORKFLOW_USAGE);
  const [format, ...paths] = positionals;
  if (format === undefined) throw usage("tb import needs a format: tb import lm-eval|leaderboard <paths…> --out <dir>");
  if (format !== "lm-eval" && format !== "leaderboard") {
    throw usage(`unknown import format "${format}" (known: lm-eval, leaderboard)`);
  }
  if (paths.length === 0) {
    throw usage(
      `tb import ${format} needs at least one ${format === "lm-eval" ? "lm-eval output folder" : "details file or folder"}`,
    );
  }
  const out = required("out", v.out, "import");
  const common: { metric?: string; filter?: string; name?: string } = {};
  if (v.metric !== undefined) common.metric = v.metric.join(",");
  if (v.filter !== undefined) common.filter = v.filter.join(",");
  if (v.name !== undefined) common.name = v.name;
  const docOrder = parseDocOrder(v["doc-order"]);
  let result: ImportLmEvalResult;
  let docIndices = true;
  if (format === "lm-eval") {
    if (v["id-column"] !== undefined) throw usage("--id-column applies to tb import leaderboard only");
    if (docOrder !== undefined) {
      throw usage("--doc-order applies to tb import leaderboard only (lm-eval samples carry their doc_id)");
    }
    result = importLmEval(paths, common);
  } else {
    const o: ImportLeaderboardOptions = { ...common };
    if (v["id-column"] !== undefined) o.idColumn = v["id-column"];
    if (docOrder !== undefined) o.docOrder = docOrder;
    const r = await importLeaderboard(paths, o);
    docIndices = r.docIndices;
    result = r;
  }
  const { matrix, tasks, models } = result;
  const read: Record<string, TaskRead> = {};
  for (const t of tasks) read[t] = result.read.get(t) as TaskRead;
  const meta = {
    benchmark: matrix.name,
    correctness: matrix.kind,
    models: matrix.rows,
    examples: matrix.cols,
    source: {
      tool:
        format === "lm-eval"
          ? "lm-evaluation-harness --log_samples"
          : "Open LLM Leaderboard details (lm-eval samples or parquet)",
      tasks,
      read,
      ...(format === "leaderboard"
        ? { idColumn: docOrder !== undefined ? `row order, ${docOrder}` : (v["id-column"] ?? "doc_id") }
        : {}),
      folders: models.map((m) => ({ model: m.id, dir: m.dir })),
    },
    example_ids: tasks.length > 1 ? "<task>/<doc_id>" : docIndices ? "<doc_id>" : "row number in the details file",
    ...(docIndices
      ? {
          id_provenance: {
            kind: "lm-eval-doc-index",
            tasks,
            form: tasks.length > 1 ? "<task>/<doc_id>" : "<doc_id>",
            ...(docOrder !== undefined
              ? { note: `rows were in lm-eval v0.3's visit order; row k was mapped to doc perm[k] (${docOrder})` }
              : {}),
          },
        }
      : {}),
  };
  writeCorrectnessCsv(join(out, "correctness.csv"), matrix);
  writeFileAtomic(join(out, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  const lines = [
    `${matrix.rows} models × ${matrix.cols} examples (${tasks.map((t) => `${t}: ${read[t]?.metric}${read[t]?.filter === "none" ? "" : `, filter ${read[t]?.filter}`}`).join("; ")}; ${matrix.kind}) → ${join(out, "correctness.csv")}, ${join(out, "meta.json")}`,
  ];
  for (const n of result.notes) lines.push(`note: ${n}`);
  if (!docIndices) {
    lines.push(
      "note: the example ids are row numbers of the details files, not lm-eval doc indices: tb export will refuse them. Open LLM Leaderboard v1 details are in lm-eval v0.3's visit order: import them with --doc-order lm-eval-v0.3",
    );
  }
  return done(lines.join("\n"));
}
