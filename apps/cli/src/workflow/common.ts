/**
 * Shared parts of the workflow commands (docs/DESIGN.md §3.2): usage text, flag parsing, the source
 * matrix, response files and targets, and the checks that keep lm-eval doc ids and matrix columns
 * apart.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type CorrectnessMatrix, formatLocation, isTbError, TbError } from "@tb/core";
import {
  type Evaluation,
  type LegacyPlan,
  type RestoreOptions,
  restoreEvaluation,
  type SavedEvaluation,
} from "@tb/estimate";
import {
  isSamplesFileName,
  loadDataset,
  type PlanFile,
  type PlanPrecision,
  type ProbeFile,
  parseDocOrder,
  type ResponsesOptions,
  readCorrectnessCsv,
  readMeta,
  readResponses,
  resolveExampleIds,
  resolveModelIds,
  responsesFormat,
  WORKFLOW_SPEC_VERSION,
} from "@tb/io";

/** Usage lines of the workflow commands, for `tb help`. */
export const WORKFLOW_USAGE = `Evaluate your own model (two phases; see README "Evaluate your own model"):
  tb probe --source <csv|dir> [--gset 10] [--seed 0] [--distance D] [--no-standardize] --out probe.json
  tb tailor --source <csv|dir> --probe probe.json --responses <file|dir> [--responses …] --budget N
            [--doc-order lm-eval-v0.3|identity: needed for lm-eval samples unless the source came from tb import]
            [--method tailored-plus|tailored] [--pooling single|joint] [--name NAME]
            [--second-look 0.3: share of N − g for tailored-plus's second look; 0: the G-set alone decides]
            [--precision P --max-budget M: tailored-plus asks on past N, in rounds, until the
            interval's half-width is ≤ P or M examples were asked]
            --out plan.json|<dir>
  tb tailor --source <csv|dir> --plan plan.json --responses <file> --out final.plan.json
            (tailored-plus, a plan with mode "look": a target at the top of the sources' range took a
            second look; with its answers on it, the final plan — then run it and tb estimate;
            a plan made with --precision: the next round, while tb estimate says it asks for more)
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

Compare two models (paired: both run on the same examples; see README "Compare two models"):
  tb compare --source <csv|dir> --budget N [--seed 0] [--level 0.9] [--design stratified|random]
             [--names A,B] --out compare.json
  tb export --plan compare.json --format lm-eval-samples --out samples.json …   (the examples, as above)
  tb compare --source <csv|dir> --plan compare.json --responses <A's answers> --responses <B's answers>
             [--level 0.9] [--json]   (the difference A − B, its interval, P(A better), each estimate)
`;

export function usage(msg: string): TbError {
  return new TbError("E_USAGE", msg);
}

/**
 * `parseArgs` (strict, positionals allowed) for every command, with two rules it does not have: a
 * flag given twice is refused unless it takes several values (`multiple`) — parseArgs keeps the
 * last one without a word — and so is an empty or blank value (`--out ''` wrote into the current
 * folder, `--name ''` an empty benchmark name).
 */
export function parseFlags<O extends ParseArgsConfig["options"]>(
  args: string[],
  options: O,
): {
  values: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>["values"];
  positionals: string[];
} {
  const r = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  const seen = new Set<string>();
  for (const t of r.tokens ?? []) {
    if (t.kind !== "option") continue;
    const spec = (options as Record<string, { multiple?: boolean; type: string }>)[t.name];
    if (spec?.multiple !== true) {
      if (seen.has(t.name)) throw usage(`--${t.name} is given twice`);
      seen.add(t.name);
    }
    if (spec?.type === "string" && t.value !== undefined && t.value.trim() === "") {
      throw usage(`--${t.name} is empty`);
    }
  }
  return { values: r.values, positionals: r.positionals };
}

export function intFlag(name: string, v: string | undefined, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (!/^-?\d+$/.test(v.trim())) throw usage(`--${name} must be an integer, got "${v}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw usage(`--${name} is out of range: "${v}"`);
  if (n < min) throw usage(`--${name} must be ≥ ${min}, got ${n}`);
  return n;
}

export function oneOfFlag<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw usage(`--${name} must be one of ${allowed.join(", ")}, got "${v}"`);
  }
  return v as T;
}

export function required<T>(name: string, v: T | undefined, command: string): T {
  if (v === undefined) throw usage(`tb ${command} needs --${name} (try: tb ${command} --help)`);
  return v;
}

export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}"`);
}

/** The source matrix: a `correctness.csv` file, or a data folder holding one (all its rows are sources). */
/** A path as the file system resolves it (symbolic links followed), or as given when it does not exist yet. */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/**
 * Refuse an output file that is one of the source matrix's own files (`--source` a correctness.csv,
 * or a folder with correctness.csv and meta.json): writing there would replace the data the plan
 * was made from.
 */
export function refuseSourceAsOut(out: string, sourcePath: string, outFlag = "--out"): void {
  let files = [sourcePath];
  try {
    if (statSync(sourcePath).isDirectory()) files = ["correctness.csv", "meta.json"].map((f) => join(sourcePath, f));
  } catch {
    // a missing source is loadSource's error to give
  }
  const target = realPath(out);
  for (const f of files) {
    if (realPath(f) === target)
      throw usage(`${outFlag} ${out} is the source matrix's own file ${f}; choose another path`);
  }
}

/** Refuse an output file that is one of the command's input files (`--probe`, `--plan`, `--responses`). */
export function refuseInputAsOut(out: string, inputs: readonly (string | undefined)[], outFlag = "--out"): void {
  const target = realPath(out);
  for (const p of inputs) {
    if (p !== undefined && !isDir(p) && realPath(p) === target) {
      throw usage(`${outFlag} ${out} is one of this command's inputs (${p}); choose another path`);
    }
  }
}

export function loadSource(path: string): CorrectnessMatrix {
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

export const RESPONSE_FLAGS = {
  responses: { type: "string", multiple: true },
  metric: { type: "string" },
  filter: { type: "string" },
  task: { type: "string" },
  "doc-order": { type: "string" },
} as const;

export function responsesOptions(
  matrix: CorrectnessMatrix,
  v: {
    metric?: string | undefined;
    filter?: string | undefined;
    task?: string | undefined;
    "doc-order"?: string | undefined;
  },
  sourcePath?: string,
): ResponsesOptions {
  const o: ResponsesOptions = { exampleIds: matrix.exampleIds };
  // a matrix whose ids are lm-eval doc indices (tb import): samples of its tasks only
  const prov = sourcePath === undefined ? undefined : sourceMeta(sourcePath)?.idProvenance;
  if (prov !== undefined) o.tasks = prov.tasks;
  if (v.metric !== undefined) o.metric = v.metric;
  if (v.filter !== undefined) o.filter = v.filter;
  if (v.task !== undefined) o.task = v.task;
  const docOrder = parseDocOrder(v["doc-order"]);
  if (docOrder !== undefined) o.docOrder = docOrder;
  return o;
}

/** An lm-eval samples file: `samples_<task>_<date>.json(l)`, or 0.4.0–0.4.2's `<model_args>_<task>.jsonl` beside a results file. */
export function isSamples(dir: string, name: string, entries?: readonly string[]): boolean {
  if (isSamplesFileName(name)) return true;
  if (!name.endsWith(".jsonl")) return false;
  const all = entries ?? (isDir(dir) ? readdirSync(dir) : []);
  return all.includes("results.json") || all.some((f) => /^results_.+\.json$/.test(f));
}

/** A target to tailor: its name and its responses file (or lm-eval folder). */
export interface TargetInput {
  name: string;
  path: string;
}

export function isDir(p: string): boolean {
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
export function expandTargets(paths: readonly string[]): TargetInput[] {
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

/**
 * Does this `--responses` value hold lm-eval samples (keyed by `doc_id`, not by the matrix's ids)?
 * Decided as the reader decides — by name, then by content (`responsesFormat` on the file's first
 * 64 KiB) — for a file, the files of a folder and of its subfolders: a samples array saved as
 * `answers.json` is keyed by doc index as much as a `samples_*.jsonl` is.
 */
export function holdsLmEvalSamples(p: string): boolean {
  if (!isDir(p)) return fileHoldsSamples(dirname(resolve(p)), basename(p));
  // the folder and its sub-folders, each listed once
  const inFolder = (dir: string, entries: readonly string[]) =>
    entries.some((f) => !isDir(join(dir, f)) && fileHoldsSamples(dir, f, entries));
  const entries = readdirSync(p);
  if (inFolder(p, entries)) return true;
  return entries.some((e) => {
    const sub = join(p, e);
    return isDir(sub) && inFolder(sub, readdirSync(sub));
  });
}

/** File `name` of `dir` holds lm-eval samples: by its name, or else by its first 64 KiB. */
function fileHoldsSamples(dir: string, name: string, entries?: readonly string[]): boolean {
  const file = join(dir, name);
  if (isSamples(dir, name, entries) || /\.jsonl$/i.test(name)) return true;
  if (/\.csv$/i.test(name)) return false;
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const head = Buffer.alloc(64 * 1024);
    const got = readSync(fd, head, 0, head.length, 0);
    return responsesFormat(head.subarray(0, got).toString("utf8"), file) === "lm-eval";
  } catch {
    return false; // unreadable: the reader says why
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * lm-eval answers are keyed by doc index: refuse them for a source matrix whose ids are not known
 * to be doc indices (no `id_provenance` in its `meta.json`) unless `--doc-order` says how the
 * columns relate to docs, since the answers would silently land in the wrong columns.
 */
export function checkLmEvalIds(responses: readonly string[], sourcePath: string, docOrder: string | undefined): void {
  const lm = responses.find(holdsLmEvalSamples);
  if (lm === undefined) return;
  const known = sourceMeta(sourcePath)?.idProvenance !== undefined;
  if (known && docOrder === "lm-eval-v0.3") {
    throw new TbError(
      "E_USAGE",
      `the example ids of ${sourcePath} are already lm-eval doc indices (its meta.json records id_provenance): leave --doc-order out, or the answers would be moved to other columns`,
      { file: lm },
    );
  }
  if (docOrder !== undefined || known) return;
  throw new TbError(
    "E_USAGE",
    `${lm} holds lm-eval samples, keyed by doc_id, but the example ids of ${sourcePath} are not known to be lm-eval doc indices (its meta.json has no id_provenance), so answers could land in the wrong columns. ` +
      "Use a matrix made by tb import, or --doc-order lm-eval-v0.3 for columns in lm-eval v0.3's visit order (Open LLM Leaderboard v1 data such as the TailoredBench GSM8K matrix), or --doc-order identity if its ids are the doc indices",
    { file: lm },
  );
}

/** Read several response files of one target into one map; the same example twice with different values is refused. */
export function readMerged(
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

export function missingMessage(what: string, ids: readonly string[], have: number, total: number): string {
  const shown = ids.slice(0, 8).map((id) => `"${id}"`);
  return `${what}: ${have} of the ${total} examples needed are answered; missing ${shown.join(", ")}${ids.length > 8 ? `, … (${ids.length} in all)` : ""}`;
}

export function done(text: string): number {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  return 0;
}

/** The `tb export` command to suggest: `--source` when the ids are recorded as doc indices, else the doc-order route. */
export function exportHint(flag: "--probe" | "--plan", file: string, sourcePath: string): string {
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
export function sourceMeta(path: string): ReturnType<typeof readMeta> {
  return readMeta(isDir(path) ? path : dirname(path));
}

/** The evaluation's option names and the flags that set them. */
const EVALUATION_FLAGS: Record<string, string> = {
  budget: "--budget",
  seed: "--seed",
  gset: "--gset",
  secondLook: "--second-look",
  level: "--level",
  method: "--method",
  pooling: "--pooling",
  metric: "--distance",
  standardize: "--no-standardize",
  precision: "--precision",
  maxBudget: "--max-budget",
};

/**
 * The library's option (or argument) names and the flags that set them, by the function whose
 * errors name them ("fn: …"): what the CLI passes from a flag, so its errors can speak the flag.
 */
const FLAG_OF: Record<string, Record<string, string>> = {
  createEvaluation: EVALUATION_FLAGS,
  restoreEvaluation: EVALUATION_FLAGS,
  evaluate: EVALUATION_FLAGS,
  createComparison: { ...EVALUATION_FLAGS, design: "--design", names: "--names" },
  restoreComparison: { level: "--level" },
  lmEvalSamplesFor: { docOrder: "--doc-order", task: "--task", provenance: "--source <dir>" },
  lmEvalSamplesSpec: { task: "--task" },
  checkSource: { matrix: "--source" },
  buildNSet: { sampleSize: "--nset-sample-size" },
};

/**
 * A library error in the CLI's flags, for a function of {@link FLAG_OF}: `option docOrder
 * "lm-eval-v0.3"` (or `argument matrix`) becomes `--doc-order lm-eval-v0.3`, and a usage error
 * that starts with an option ("createEvaluation: budget must be …") starts with its flag
 * ("--budget must be …"). The function's name is dropped once a flag stands in its terms; the
 * code and the location stay. Anything else is returned as it is.
 */
function inFlags(e: unknown): unknown {
  if (!isTbError(e)) return e;
  const at = e.location === undefined ? "" : ` (${formatLocation(e.location)})`;
  const full = at !== "" && e.message.endsWith(at) ? e.message.slice(0, -at.length) : e.message;
  const m = /^(\w+): (.*)$/s.exec(full);
  const flags = m === null ? undefined : FLAG_OF[m[1] as string];
  if (m === null || flags === undefined) return e;
  let mapped = false;
  let text = (m[2] as string).replace(/\b(?:option|argument) (\w+)(?: "([^"]*)")?/g, (all, name: string, value) => {
    const flag = flags[name];
    if (flag === undefined) return all;
    mapped = true;
    return value === undefined ? flag : `${flag} ${value}`;
  });
  const lead = /^(\w+)( .*)$/s.exec(text);
  const flag = lead === null ? undefined : flags[lead[1] as string];
  if (e.code === "E_USAGE" && lead !== null && flag !== undefined) {
    text = `${flag}${lead[2]}`;
    mapped = true;
  }
  return mapped ? new TbError(e.code, text, e.location) : e;
}

const IO_FLAG: Record<string, string> = { metric: "--metric", filter: "--filter", task: "--task" };

/**
 * The response and import readers' words for the options the CLI passes from flags, as flags:
 * "choose one with the metric option" → "choose one with --metric", "the metric, task apply to
 * lm-eval samples" → "--metric, --task apply …", "the doc order applies …" → "--doc-order applies …".
 * Applied to every message the CLI prints; other text is left as it is.
 */
export function ioWordsInFlags(msg: string): string {
  return msg
    .replace(/\bwith the (metric|filter) option\b/g, (_, o: string) => `with ${IO_FLAG[o] as string}`)
    .replace(/\bthe doc order (applies to lm-eval samples)/, "--doc-order $1")
    .replace(
      /\bthe ((?:metric|filter|task)(?:, (?:metric|filter|task))*) (apply|applies) to lm-eval samples/,
      (_, names: string, verb: string) =>
        `${names
          .split(", ")
          .map((n) => IO_FLAG[n] as string)
          .join(", ")} ${verb} to lm-eval samples`,
    );
}

/**
 * Run a library call (or await it, for a promise) and speak its errors in flags
 * ({@link inFlags}; docs/DESIGN.md §3.2).
 */
export function cliErrors<T>(f: () => T): T {
  let r: T;
  try {
    r = f();
  } catch (e) {
    throw inFlags(e);
  }
  if (r instanceof Promise) {
    return r.catch((e: unknown) => {
      throw inFlags(e);
    }) as T;
  }
  return r;
}

/**
 * The evaluation saved in a plan file (its `evaluation`), or, for a plan of an earlier release,
 * the one its fields describe. Ids of the plan's fields are checked against the sources (located
 * errors), and a saved evaluation must agree with the fields beside it (a hand-edited plan is
 * refused rather than half-read).
 */
export function resumePlan(
  sources: CorrectnessMatrix,
  pf: PlanFile,
  file: string,
  text: string,
  o: RestoreOptions = {},
): Evaluation {
  resolveExampleIds(pf.nset, sources, "nset", file, text);
  resolveModelIds(pf.nativeSources, sources, "nativeSources", file, text);
  const saved = (pf.evaluation ?? pf) as unknown as SavedEvaluation | LegacyPlan;
  let ev: Evaluation;
  try {
    ev = cliErrors(() => restoreEvaluation(sources, saved, o));
  } catch (e) {
    if (e instanceof TbError && e.code === "E_INPUT") {
      throw new TbError(
        "E_INPUT",
        `${file}: ${e.message.replace(/^restoreEvaluation: /, pf.evaluation ? "evaluation: " : "")}`,
        { file },
      );
    }
    throw e;
  }
  if (pf.evaluation !== undefined) {
    const again = planFile(ev, 0, pf, pf.pooling);
    const keys = [
      "target",
      "targetIndex",
      "budget",
      "gset",
      "nset",
      "toEvaluate",
      "nativeSources",
      "labels",
      "gAnswers",
      "method",
      "mode",
      "strata",
      "looked",
      "precision",
    ] as const;
    for (const k of keys) {
      if (JSON.stringify(pf[k]) !== JSON.stringify(again[k])) {
        throw new TbError(
          "E_INPUT",
          `${file}: "${k}" differs from the evaluation saved in the same file (was the plan edited?); make the plan again with tb tailor`,
          { file },
        );
      }
    }
  }
  return ev;
}

/**
 * Answer target 0's open step from the answers read from files (by column): every example of the
 * step must be answered; an example answered before (the plan's G-set or second look) must be
 * answered the same.
 */
export function answerFromFile(
  ev: Evaluation,
  answers: ReadonlyMap<number, number>,
  file: string,
  what: string,
  location: string = file,
): void {
  let r: { missing: string[]; asked: number };
  try {
    r = ev.answerFrom(0, answers);
  } catch (e) {
    if (e instanceof TbError && e.code === "E_INPUT") {
      throw new TbError("E_INPUT", `${file}: ${e.message.replace(/^answers: /, "")}`, { file: location });
    }
    throw e;
  }
  if (r.missing.length > 0) {
    // counted over every example the next estimate rests on, those answered before included
    const total = ev.run.askedOf(0).length + r.asked;
    throw new TbError("E_INPUT", missingMessage(`${file} ${what}`, r.missing, total - r.missing.length, total), {
      file: location,
    });
  }
}

/**
 * The plan file of target `i`: the fields `tb export` and earlier releases read (docs/DESIGN.md
 * §3.2), and the whole evaluation of that target (`evaluation`), which the next command resumes.
 */
export function planFile(
  ev: Evaluation,
  i: number,
  pf: Pick<ProbeFile, "gset" | "options" | "source" | "seed">,
  pooling: "single" | "joint",
): PlanFile {
  const d = ev.design(i);
  const plus = ev.method === "tailored-plus";
  return {
    specVersion: WORKFLOW_SPEC_VERSION,
    kind: "tailoredbench/plan",
    target: ev.names[i] as string,
    seed: pf.seed,
    targetIndex: d.index,
    pooling,
    budget: ev.budget,
    gset: pf.gset,
    nset: d.nset,
    toEvaluate: d.pending,
    nativeSources: d.natives,
    labels: d.labels,
    gAnswers: d.gAnswers,
    dBar: d.dBar,
    nBar: d.nBar,
    options: pf.options,
    source: pf.source,
    ...(plus ? { method: "tailored-plus" as const, mode: d.mode as "within" | "beyond" | "look" } : {}),
    ...(d.strata !== undefined ? { strata: d.strata } : {}),
    ...(plus ? { outOfRange: d.outOfRange } : {}),
    ...(d.looked !== undefined ? { looked: d.looked } : {}),
    ...(ev.run.options.precision !== undefined ? { precision: planPrecision(ev, i) } : {}),
    evaluation: ev.toJSON(i) as unknown as Record<string, unknown>,
  };
}

/**
 * Target `i`'s precision on demand, for its plan: the round its open step is (0: the base design
 * or a second look; r: the r-th round of draws after it), what it asked before, and the library's
 * `why` of the open step.
 */
export function planPrecision(ev: Evaluation, i: number): PlanPrecision {
  const o = ev.run.options;
  const step = ev.next().find((s) => s.target === i);
  return {
    precision: o.precision as number,
    maxBudget: o.maxBudget as number,
    round: ev.run.precisionRoundOf(i),
    asked: ev.run.askedOf(i).length,
    why: step?.why ?? "nothing more to ask",
  };
}
