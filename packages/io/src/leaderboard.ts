import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { checkOptionKeys, optionNames, TbError } from "@tb/core";
import { parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { describe, loc, show } from "./internal.js";
import {
  assembleMatrix,
  checkSameRead,
  type ImportedModel,
  type ImportLmEvalResult,
  type TaskRead,
} from "./lm-eval-import.js";
import { findLmEvalResults } from "./lm-eval-results.js";
import {
  checkMetricTasks,
  metricFor,
  parseMetricChoice,
  parseSamplesFileName,
  readSamplesTable,
  type SamplesTableOptions,
} from "./lm-eval-samples.js";
import { type DocOrder, lmEvalV03Permutation } from "./python-random.js";
import { readText } from "./read-text.js";

/** Options of {@link importLeaderboard}; all but `name` are also those of {@link readLeaderboardDetails}. */
export interface ImportLeaderboardOptions {
  /**
   * Dotted column path of the per-example value: `acc_norm` or `exact_match` (v2: lm-eval
   * columns), `metrics.acc` or `metrics.em` (v1: lighteval's `metrics`, a struct or a string-cast
   * dict); or `task=path` pairs separated by commas. Required when a file has more than one
   * candidate (numbers, booleans or integers in [0,1] on every row, outside the id and record
   * columns).
   */
  metric?: string;
  /** Column of the doc index; default `doc_id`. `@row` uses the row order (v1 details without one). */
  idColumn?: string;
  /**
   * v1 details hold no doc index; their rows are in the order lm-evaluation-harness v0.3 visited
   * the docs. `lm-eval-v0.3` maps row k to doc `perm[k]` of that order ({@link lmEvalV03Permutation}),
   * so that the example ids are lm-eval doc indices. Implies `idColumn: "@row"`.
   */
  docOrder?: DocOrder;
  /** Rows of this filter only, when the file has a `filter` column (as lm-eval samples); or `task=filter` pairs. */
  filter?: string;
  /** Name of the matrix; default the task names joined by `+`. Not an option of {@link readLeaderboardDetails}, which makes no matrix. */
  name?: string;
}

/** Options of {@link readLeaderboardDetails}: those of {@link importLeaderboard} but the matrix's `name`. */
type DetailsOptions = Omit<ImportLeaderboardOptions, "name">;

const DETAILS_NAMES = optionNames<DetailsOptions>()("metric", "idColumn", "docOrder", "filter");
const IMPORT_NAMES = optionNames<ImportLeaderboardOptions>()("metric", "idColumn", "docOrder", "filter", "name");

const PARQUET = /\.parquet$/i;
const NOT_METRICS = new Set([
  "doc_id",
  "target",
  "gold",
  "gold_index",
  "filter",
  "index",
  "label",
  "truncated",
  "padded",
  "num_effective_few_shots",
  "num_asked_few_shots",
  "doc_hash",
  "prompt_hash",
  "target_hash",
]);

/**
 * The leaf task of a details file name: `samples_<task>_<date>.parquet` (v2, lm-eval) or
 * `details_<task>_<date>.parquet` (v1, lighteval, e.g. `details_harness|gsm8k|5_2023-…`), else
 * the file name without `.parquet`.
 *
 * @param file - A file path or name.
 */
export function leaderboardTaskFromFileName(file: string): string {
  const name = basename(file);
  const m = /^(?:samples|details)_(.+)_(\d{4}-\d{2}-\d{2}T[0-9:.\-_]+)\.parquet$/i.exec(name);
  if (m) return m[1] as string;
  return name.replace(PARQUET, "");
}

function pick(row: Record<string, unknown>, path: string): unknown {
  let v: unknown = row;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function unit(v: unknown): boolean {
  if (typeof v === "boolean") return true;
  const x = typeof v === "bigint" ? Number(v) : v;
  return typeof x === "number" && x >= 0 && x <= 1;
}

/**
 * Metric candidates: with a `metrics` struct (lighteval), its numeric keys only (the other columns
 * are token counts, flags and hashes); otherwise the top-level numeric, boolean or INT64 columns
 * outside the id and record columns (lm-eval samples as rows; nested structs such as `doc` are
 * the question, never a metric). Only those in [0,1] on every row count.
 */
function candidates(rows: readonly Record<string, unknown>[], idColumn: string): string[] {
  const first = rows[0] as Record<string, unknown>;
  const scalar = (v: unknown) => typeof v === "number" || typeof v === "boolean" || typeof v === "bigint";
  const keys: string[] = [];
  const m = first.metrics;
  if (m !== null && typeof m === "object" && !Array.isArray(m) && !(m instanceof Uint8Array)) {
    for (const [s, w] of Object.entries(m as Record<string, unknown>)) if (scalar(w)) keys.push(`metrics.${s}`);
  } else {
    for (const [k, v] of Object.entries(first)) {
      if (k !== idColumn && !NOT_METRICS.has(k) && scalar(v)) keys.push(k);
    }
  }
  return keys.filter((k) => rows.every((r) => unit(pick(r, k))));
}

/**
 * lighteval's `metrics` column cast to a string: JSON (`{"acc": 1.0}`) or a Python dict repr
 * (`{'acc': 1.0, 'em': True}`). Returns the object, or `undefined` when it is neither.
 * @internal
 */
export function parseMetricsString(s: string): Record<string, unknown> | undefined {
  const t = s.trim();
  if (!t.startsWith("{")) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    // a Python repr: a flat dict of string keys and scalar values
  }
  const body = t.slice(1, -1).trim();
  if (!t.endsWith("}")) return undefined;
  const out: Record<string, unknown> = {};
  if (body.length === 0) return out;
  const item = /^\s*(['"])((?:(?!\1)[^\\]|\\.)*)\1\s*:\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,]+?)\s*(?:,|$)/;
  let rest = body;
  while (rest.trim().length > 0) {
    const m = item.exec(rest);
    if (!m) return undefined;
    const raw = m[3] as string;
    let v: unknown;
    if (raw === "True") v = true;
    else if (raw === "False") v = false;
    else if (raw === "None") v = null;
    else if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(raw)) v = Number(raw);
    else if (/^(['"]).*\1$/.test(raw)) v = raw.slice(1, -1);
    else if (/^(?:nan|inf|-inf)$/.test(raw)) v = raw;
    else return undefined;
    out[m[2] as string] = v;
    rest = rest.slice(m[0].length);
  }
  return out;
}

async function readParquetRows(file: string): Promise<Record<string, unknown>[]> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new TbError("E_INPUT", `cannot read ${file}: ${describe(err)}`, { file });
  }
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  try {
    return (await parquetReadObjects({ file: ab, compressors })) as Record<string, unknown>[];
  } catch (err) {
    throw new TbError("E_INPUT", `not a readable parquet file: ${describe(err)}`, { file });
  }
}

/**
 * Read one Open LLM Leaderboard details file (parquet; TOOLCHAIN "Formats"), or the shards of one
 * (`0000.parquet`, `0001.parquet`, … of the hub's parquet conversion, read in order as one
 * table): doc index → value of the chosen metric. v2 files are lm-eval samples as rows
 * (`doc_id`, `acc_norm`, …); v1 files are lighteval records whose per-example metrics sit in a
 * `metrics` struct or string-cast dict (`metrics.acc`), with the doc index in a column, given by
 * the row order (`idColumn: "@row"`), or by lm-eval v0.3's visit order (`docOrder`).
 *
 * Refused with `E_INPUT` naming the file and row: a file that is not readable parquet, a row
 * without a valid doc index, a doc answered twice, a missing or non-numeric value or one outside
 * [0,1]. `E_USAGE`: an ambiguous or absent metric (naming the candidates), a filter that does not
 * occur, a missing id column, an option name it does not have (`name` too: it returns no matrix).
 *
 * @param file - A `.parquet` details file, or its shards in order.
 * @param opts - Metric path, id column, doc order, filter.
 * @param task - The leaf task (for `task=metric` pairs); default from the file name.
 * @returns The leaf task, doc index → value, and the metric read.
 */
export async function readLeaderboardDetails(
  file: string | readonly string[],
  opts: DetailsOptions = {},
  task?: string,
): Promise<{ task: string; values: Map<number, number>; metric: string; filter: string }> {
  checkOptionKeys(opts, DETAILS_NAMES, "readLeaderboardDetails");
  const files = typeof file === "string" ? [file] : [...file];
  const name = files.length === 1 ? (files[0] as string) : `${files[0]} (+${files.length - 1} shards)`;
  const leaf = task ?? leaderboardTaskFromFileName(files[0] as string);
  const rows: Record<string, unknown>[] = [];
  const fileOfRow: string[] = [];
  for (const f of files) {
    const r = await readParquetRows(f);
    for (const x of r) {
      rows.push(x);
      fileOfRow.push(f);
    }
  }
  if (rows.length === 0) throw new TbError("E_INPUT", "the details file has no rows", { file: name });
  for (const r of rows) {
    if (typeof r.metrics === "string") {
      const parsed = parseMetricsString(r.metrics);
      if (parsed !== undefined) r.metrics = parsed;
    }
  }
  if (opts.docOrder === "identity") {
    throw new TbError(
      "E_USAGE",
      `the doc order identity declares that a matrix's ids are doc indices; details files carry a doc_id column (the default) or, for v1, rows in lm-eval v0.3's order (lm-eval-v0.3)`,
    );
  }
  if (opts.docOrder !== undefined && opts.idColumn !== undefined && opts.idColumn !== "@row") {
    throw new TbError(
      "E_USAGE",
      `the doc order ${opts.docOrder} numbers the rows; it cannot be combined with the id column ${show(opts.idColumn)}`,
    );
  }
  const idColumn = opts.docOrder !== undefined ? "@row" : (opts.idColumn ?? "doc_id");
  const first = rows[0] as Record<string, unknown>;
  if (idColumn !== "@row" && !(idColumn in first)) {
    throw new TbError(
      "E_USAGE",
      `${name} has no column ${show(idColumn)} (columns: ${Object.keys(first).join(", ")}); choose the doc index column, or, for Open LLM Leaderboard v1 details (rows in lm-eval v0.3's visit order), the doc order lm-eval-v0.3 (or "@row" for plain row numbers, which are NOT lm-eval doc ids)`,
      { file: name, column: idColumn },
    );
  }
  let filter = "none";
  const filterChoice = parseMetricChoice(opts.filter, "filter");
  const wantFilter = metricFor(filterChoice, leaf);
  if ("filter" in first) {
    const filters = [...new Set(rows.map((r) => String(r.filter)))];
    if (wantFilter === undefined && filters.length > 1) {
      throw new TbError(
        "E_USAGE",
        `${name} holds several filters (${filters.join(", ")}); choose one with the filter option`,
      );
    }
    if (wantFilter !== undefined && !filters.includes(wantFilter)) {
      throw new TbError(
        "E_USAGE",
        `filter ${show(wantFilter)} does not occur in ${name} (filters: ${filters.join(", ")})`,
      );
    }
    filter = wantFilter ?? (filters[0] as string);
  } else if (wantFilter !== undefined && wantFilter !== "none") {
    throw new TbError("E_USAGE", `${name} has no filter column; leave the filter option out`);
  }
  const chosen = rows.map((r, i) => ({ r, i })).filter(({ r }) => !("filter" in first) || String(r.filter) === filter);
  let metric = metricFor(parseMetricChoice(opts.metric), leaf);
  if (metric === undefined) {
    const c = candidates(
      chosen.map(({ r }) => r),
      idColumn,
    );
    if (c.length === 0) {
      // a numeric column that would be the metric but for a value outside [0,1]: say where
      const numeric = candidates(
        chosen.slice(0, 1).map(({ r }) => ({ ...r })),
        idColumn,
      );
      const firstNumeric = Object.keys(first).find(
        (k) => !NOT_METRICS.has(k) && k !== idColumn && (typeof first[k] === "number" || typeof first[k] === "bigint"),
      );
      const col = numeric[0] ?? firstNumeric;
      const bad = col === undefined ? undefined : chosen.find(({ r }) => !unit(pick(r, col)));
      if (col !== undefined && bad !== undefined) {
        throw new TbError(
          "E_INPUT",
          `no per-example metric in [0,1]: ${show(col)} is ${String(pick(bad.r, col))} on row ${bad.i}, outside [0,1]`,
          { file: fileOfRow[bad.i] as string, row: bad.i, column: col },
        );
      }
    }
    if (c.length !== 1) {
      throw new TbError(
        "E_USAGE",
        c.length === 0
          ? `no per-example metric column in [0,1] in ${name}; name one with the metric option (e.g. acc_norm or metrics.acc)`
          : `${name} has several candidate metrics (${c.join(", ")}); choose one with the metric option (e.g. ${leaf}=${c[0]})`,
      );
    }
    metric = c[0] as string;
  }
  const perm = opts.docOrder === "lm-eval-v0.3" ? lmEvalV03Permutation(chosen.length) : undefined;
  const values = new Map<number, number>();
  chosen.forEach(({ r, i }, k) => {
    const f = fileOfRow[i] as string;
    const where = loc(f, undefined, metric);
    where.row = i;
    let doc: number;
    if (perm !== undefined) doc = perm[k] as number;
    else if (idColumn === "@row") doc = k;
    else {
      const raw = r[idColumn];
      doc = typeof raw === "bigint" ? Number(raw) : (raw as number);
      if (!(typeof doc === "number" && Number.isSafeInteger(doc) && doc >= 0)) {
        throw new TbError("E_INPUT", `row ${i}: ${show(idColumn)} is not a doc index (found ${show(String(raw))})`, {
          file: f,
          row: i,
          column: idColumn,
        });
      }
    }
    const raw = pick(r, metric as string);
    const v = typeof raw === "boolean" ? (raw ? 1 : 0) : typeof raw === "bigint" ? Number(raw) : raw;
    if (typeof v !== "number") {
      throw new TbError(
        "E_INPUT",
        raw === undefined || raw === null
          ? `doc ${doc} has no value for ${show(metric as string)}${typeof r.metrics === "string" ? ` (its metrics column is a string that is not a dict: ${show(r.metrics)})` : ""}`
          : `doc ${doc}: ${show(metric as string)} is not a number (found ${show(String(raw))})`,
        where,
      );
    }
    if (!(v >= 0 && v <= 1)) {
      throw new TbError("E_INPUT", `doc ${doc}: ${show(metric as string)} is ${v}, outside [0,1]`, where);
    }
    if (values.has(doc)) {
      throw new TbError(
        "E_INPUT",
        `doc ${doc} appears twice${"filter" in first ? "" : " (no filter column: lm-eval before 0.4.7 logged each doc once per filter; import the samples .jsonl files instead)"}`,
        where,
      );
    }
    values.set(doc, v === 0 ? 0 : v);
  });
  return { task: leaf, values, metric, filter };
}

/** One details table found on disk: a model, a task, a run, and its file(s). */
interface DetailsEntry {
  model: string;
  modelDir: string;
  task: string;
  /** Run date or hub split (`latest` or a timestamp); undefined when the layout has none. */
  run: string | undefined;
  kind: "parquet" | "samples";
  files: string[];
}

const SHARD = /^\d+\.parquet$/;
const DATE_DIR = /^\d{4}[-_]\d{2}[-_]\d{2}T/;

/** The model of a details repository folder: `details_<org>__<model>` (v1), `<org>__<model>-details` (v2). */
function stripRepo(name: string): string {
  const i = name.indexOf("details_");
  return (i >= 0 ? name.slice(i + "details_".length) : name).replace(/-details$/, "");
}

/**
 * Where a details file sits tells its model, task and run:
 * - hub parquet conversion `<repo>/<config>/<split>/0000.parquet`: v2 configs are
 *   `<org>__<model>__<task>`, v1 configs `<task>` inside `details_<org>__<model>`; the split is
 *   `latest` or a run's timestamp;
 * - v1 details `details_<org>__<model>/<timestamp>/details_<task>_<timestamp>.parquet`;
 * - v2 details `<org>__<model>/samples_<task>_<date>.jsonl` (lm-eval samples) or `.parquet`;
 * - any other `<model>/<task>.parquet`.
 */
function classify(file: string): DetailsEntry | { skip: string } {
  const abs = resolve(file);
  const name = basename(abs);
  const parent = dirname(abs);
  const gp = dirname(parent);
  if (SHARD.test(name)) {
    const split = basename(parent);
    const config = basename(gp);
    const repo = dirname(gp);
    if (config === "results" || config.endsWith("__results"))
      return { skip: `${file}: aggregated results, not details` };
    const parts = config.split("__");
    if (parts.length >= 3) {
      return {
        model: `${parts[0]}__${parts[1]}`,
        modelDir: repo,
        task: parts.slice(2).join("__"),
        run: split,
        kind: "parquet",
        files: [abs],
      };
    }
    const model = stripRepo(basename(repo));
    if (model.length === 0 || basename(repo) === model) {
      throw new TbError(
        "E_INPUT",
        `${file} is a shard of the hub's parquet conversion (<config>/<split>/${name}), but its config ${show(config)} does not name the model (v2 configs are <org>__<model>__<task>) and the folder above it, ${show(basename(repo))}, is not a details_<org>__<model> repository: keep the repository folder, or rename the files to <model>/<task>.parquet`,
        { file },
      );
    }
    return { model, modelDir: repo, task: config, run: split, kind: "parquet", files: [abs] };
  }
  const samples = parseSamplesFileName(name);
  if (samples !== undefined) {
    return {
      model: basename(parent),
      modelDir: parent,
      task: samples.task,
      run: samples.date,
      kind: "samples",
      files: [abs],
    };
  }
  const lbName = /^(?:samples|details)_(.+)_(\d{4}-\d{2}-\d{2}T[0-9:.\-_]+)\.parquet$/i.exec(name);
  if (DATE_DIR.test(basename(parent)) && basename(gp).startsWith("details_")) {
    return {
      model: stripRepo(basename(gp)),
      modelDir: gp,
      // the hub names this table's config harness_gsm8k_5 for harness|gsm8k|5: one name for both layouts
      task: leaderboardTaskFromFileName(name).replace(/[|:]/g, "_"),
      run: basename(parent),
      kind: "parquet",
      files: [abs],
    };
  }
  return {
    model: basename(parent),
    modelDir: parent,
    task: leaderboardTaskFromFileName(name),
    run: lbName ? (lbName[2] as string) : undefined,
    kind: "parquet",
    files: [abs],
  };
}

function isDetailsFile(name: string): boolean {
  return PARQUET.test(name) || parseSamplesFileName(name) !== undefined;
}

function walk(path: string, depth: number, out: string[]): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new TbError("E_INPUT", `not found: ${path} (expected leaderboard details files or folders)`, { file: path });
  }
  if (!st.isDirectory()) {
    if (!isDetailsFile(basename(path))) {
      throw new TbError(
        "E_INPUT",
        `not a details file: ${path} (expected .parquet, or lm-eval samples_<task>_<date>.jsonl/.json)`,
        { file: path },
      );
    }
    out.push(path);
    return;
  }
  if (depth > 5) return;
  for (const e of readdirSync(path).sort()) {
    if (e.startsWith(".")) continue; // .cache of huggingface-cli downloads, .git
    const sub = join(path, e);
    let isDir = false;
    try {
      isDir = statSync(sub).isDirectory();
    } catch {
      continue;
    }
    if (isDir) walk(sub, depth + 1, out);
    else if (isDetailsFile(e)) out.push(sub);
  }
}

/** Compare two run names: `latest` first, then newer timestamps first. */
function newerFirst(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === "latest") return -1;
  if (b === "latest") return 1;
  const key = (s: string | undefined) => (s ?? "").replace(/\D/g, "");
  if (a?.startsWith("partial-") !== b?.startsWith("partial-")) return a?.startsWith("partial-") ? 1 : -1;
  return key(b).localeCompare(key(a));
}

/**
 * Build a source matrix (docs/DESIGN.md §3.1) from downloaded Open LLM Leaderboard details, in the
 * layouts the hub serves (see {@link readLeaderboardDetails} for what is read from each table):
 * v2 details repositories (`<org>__<model>/samples_<task>_<date>.jsonl`, the lm-eval samples
 * files), v1 details repositories (`details_<org>__<model>/<timestamp>/details_<task>_….parquet`),
 * the hub's parquet conversion of either (`<config>/<split>/0000.parquet`), or any folder of
 * `<model>/<task>.parquet`. Paths may be files, model folders or folders of them (searched five
 * levels deep). When a model has several runs of a task, the newest is read (`latest` on the
 * hub) and the others are listed in `notes`. Example ids follow {@link importLmEval}: doc
 * indices for one task, `<task>/<doc>` for several. Every model must answer the same tasks and
 * docs.
 *
 * @param paths - Files or folders.
 * @param opts - Metric path, id column, doc order, filter, name.
 * @example
 * ```ts
 * const { matrix } = await importLeaderboard(["details/"], { metric: "acc_norm" });
 * ```
 */
export async function importLeaderboard(
  paths: readonly string[],
  opts: ImportLeaderboardOptions = {},
): Promise<ImportLmEvalResult & { docIndices: boolean }> {
  checkOptionKeys(opts, IMPORT_NAMES, "importLeaderboard");
  // what readLeaderboardDetails reads: all but the matrix's name, which it does not take
  const detailsOpts: DetailsOptions = {};
  if (opts.metric !== undefined) detailsOpts.metric = opts.metric;
  if (opts.idColumn !== undefined) detailsOpts.idColumn = opts.idColumn;
  if (opts.docOrder !== undefined) detailsOpts.docOrder = opts.docOrder;
  if (opts.filter !== undefined) detailsOpts.filter = opts.filter;
  if (paths.length === 0) throw new TbError("E_USAGE", "importLeaderboard: give at least one details file or folder");
  const files: string[] = [];
  for (const p of paths) {
    const before = files.length;
    walk(p, 0, files);
    if (files.length === before) {
      throw new TbError(
        "E_INPUT",
        `no leaderboard details (.parquet, or lm-eval samples_<task>_<date>.jsonl) in ${p} or below: download the details first`,
        { file: p },
      );
    }
  }
  const notes: string[] = [];
  // model → task → run → entry (shards of one run merged, in file name order)
  const byModel = new Map<string, { dir: string; tasks: Map<string, Map<string, DetailsEntry>> }>();
  for (const f of [...new Set(files.map((x) => resolve(x)))].sort()) {
    const e = classify(f);
    if ("skip" in e) {
      notes.push(`ignored ${e.skip}`);
      continue;
    }
    let m = byModel.get(e.model);
    if (m === undefined) byModel.set(e.model, (m = { dir: e.modelDir, tasks: new Map() }));
    else if (m.dir !== e.modelDir) {
      throw new TbError(
        "E_INPUT",
        `two folders hold details of model ${show(e.model)} (${m.dir} and ${e.modelDir}); give one`,
        { file: f },
      );
    }
    let runs = m.tasks.get(e.task);
    if (runs === undefined) m.tasks.set(e.task, (runs = new Map()));
    const runKey = e.run ?? "";
    const prev = runs.get(runKey);
    if (prev === undefined) runs.set(runKey, e);
    else if (SHARD.test(basename(f)) && prev.kind === "parquet") prev.files.push(f);
    else {
      throw new TbError(
        "E_INPUT",
        `two details files for task ${show(e.task)} of model ${show(e.model)} in the same run (${basename(prev.files[0] as string)} and ${basename(f)}): keep one`,
        { file: f },
      );
    }
  }
  const models: ImportedModel[] = [];
  const values: Map<string, Map<number, number>>[] = [];
  const read = new Map<string, TaskRead & { file: string }>();
  const taskOfFile = new Map<string, string>();
  for (const [model, m] of byModel) {
    const byTask = new Map<string, Map<number, number>>();
    const used: string[] = [];
    for (const [task, runs] of [...m.tasks].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const order = [...runs.values()].sort((a, b) => newerFirst(a.run, b.run));
      const e = order[0] as DetailsEntry;
      if (e.run?.startsWith("partial-")) {
        notes.push(
          `model ${show(model)}, task ${show(task)}: read the hub's partial conversion ${e.run} (the split was too large to convert whole; rows may be missing)`,
        );
      }
      if (order.length > 1) {
        notes.push(
          `model ${show(model)}, task ${show(task)}: read run ${e.run ?? "(undated)"}; ignored ${order
            .slice(1)
            .map((x) => x.run ?? "(undated)")
            .join(", ")}`,
        );
      }
      let got: { values: Map<number, number>; metric: string; filter: string };
      if (e.kind === "samples") {
        if (opts.docOrder !== undefined || (opts.idColumn !== undefined && opts.idColumn !== "doc_id")) {
          throw new TbError(
            "E_USAGE",
            `${e.files[0]} is an lm-eval samples file, keyed by doc_id: leave the doc order and id column options out`,
            { file: e.files[0] as string },
          );
        }
        const o: SamplesTableOptions = { file: e.files[0] as string, task };
        if (opts.metric !== undefined) o.metric = opts.metric;
        if (opts.filter !== undefined) o.filter = opts.filter;
        const names = findLmEvalResults(dirname(e.files[0] as string), e.run, (x) =>
          readText(x, "results file"),
        )?.filters.get(task);
        if (names !== undefined) o.filterNames = names;
        got = readSamplesTable(readText(e.files[0] as string, "samples file"), o);
      } else {
        got = await readLeaderboardDetails(e.files.sort(), detailsOpts, task);
      }
      checkSameRead(read, task, got, e.files[0] as string);
      byTask.set(task, got.values);
      for (const f of e.files) taskOfFile.set(f, task);
      used.push(...e.files);
    }
    models.push({ id: model, dir: m.dir, files: used });
    values.push(byTask);
  }
  if (models.length === 0) {
    throw new TbError(
      "E_INPUT",
      `importLeaderboard: no details table to import in ${paths.join(", ")}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`,
      { file: paths[0] as string },
    );
  }
  const result = assembleMatrix(models, values, opts.name, (f) => taskOfFile.get(f));
  checkMetricTasks(parseMetricChoice(opts.metric), result.tasks);
  checkMetricTasks(parseMetricChoice(opts.filter, "filter"), result.tasks, "filter");
  for (const [t, r] of read) result.read.set(t, { metric: r.metric, filter: r.filter });
  result.notes.push(...notes);
  const rowIds = opts.docOrder === undefined && opts.idColumn === "@row";
  return { ...result, docIndices: !rowIds };
}
