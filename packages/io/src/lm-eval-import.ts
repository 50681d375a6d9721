import { readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { CorrectnessMatrix, checkOptionKeys, optionNames, TbError } from "@tb/core";
import { show } from "./internal.js";
import { findLmEvalResults } from "./lm-eval-results.js";
import {
  checkMetricTasks,
  type LmEvalResultsInfo,
  parseMetricChoice,
  parseSamplesFileName,
  readSamplesTable,
  type SamplesTableOptions,
  taskOfModelArgsFile,
} from "./lm-eval-samples.js";
import { readText } from "./read-text.js";

/** Options of {@link importLmEval}. */
export interface ImportLmEvalOptions {
  /**
   * The per-sample metric key to read (`acc`, `acc_norm`, `exact_match`, …), or `task=metric`
   * pairs separated by commas (a group whose leaves use different metrics), or both. Without it,
   * each file uses its only per-sample metric in [0,1].
   */
  metric?: string;
  /**
   * The filter whose rows to read (e.g. `strict-match` for gsm8k), `#k` for the k-th filter block
   * of a file without `filter` keys, or `task=filter` pairs; required when a file logs several.
   */
  filter?: string;
  /** Name of the matrix (for messages and `meta.json`'s `benchmark`); default: the task names joined by `+`. */
  name?: string;
}

const OPTION_NAMES = optionNames<ImportLmEvalOptions>()("metric", "filter", "name");

/** One model found by {@link importLmEval}. */
export interface ImportedModel {
  /** Model id: the name of its folder (lm-eval writes one folder per model under `--output_path`). */
  id: string;
  /** The folder holding its samples files. */
  dir: string;
  /** The samples files read, one per leaf task. */
  files: string[];
}

/** What was read for one leaf task (the same for every model). */
export interface TaskRead {
  /** The metric read. */
  metric: string;
  /** The filter read (`none` when the task has one unnamed filter; `#k` for an unnamed block). */
  filter: string;
}

/** Result of {@link importLmEval}. */
export interface ImportLmEvalResult {
  /** Models × examples; example ids `<doc_id>` for one task, `<task>/<doc_id>` for several. */
  matrix: CorrectnessMatrix;
  /** Leaf tasks, sorted. */
  tasks: string[];
  /** The models, in row order. */
  models: ImportedModel[];
  /** Per leaf task: the metric and filter read. */
  read: Map<string, TaskRead>;
  /** Things the user should know (files ignored, e.g. older runs). */
  notes: string[];
}

/** One samples file found in a model folder, with its leaf task. */
export interface FoundFile {
  path: string;
  task: string;
  /** The run's date from the file name, when it has one. */
  date: string | undefined;
}

/**
 * The lm-eval samples files of one folder and their tasks: `samples_<task>_<date>.json(l)`, and
 * 0.4.0–0.4.2's `<model_args>_<task>.jsonl` when a results file beside them names the tasks.
 * @internal
 */
export function listLmEvalSamples(dir: string, entries: readonly string[], ignored?: string[]): FoundFile[] {
  const out: FoundFile[] = [];
  let results: LmEvalResultsInfo | undefined | null = null;
  const orphans: string[] = [];
  for (const f of entries) {
    const parsed = parseSamplesFileName(f);
    if (parsed !== undefined) {
      out.push({ path: join(dir, f), task: parsed.task, date: parsed.date });
      continue;
    }
    if (!f.endsWith(".jsonl")) continue;
    if (results === null) results = findLmEvalResults(dir, undefined, (x) => readText(x, "results file"));
    const task = taskOfModelArgsFile(f, results);
    if (task !== undefined) out.push({ path: join(dir, f), task, date: undefined });
    else orphans.push(f);
  }
  if (out.length > 0) for (const f of orphans) ignored?.push(join(dir, f));
  if (out.length === 0 && orphans.length > 0) {
    throw new TbError(
      "E_INPUT",
      `${join(dir, orphans[0] as string)}: a .jsonl file that is not named samples_<task>_<date>.jsonl; lm-eval 0.4.0–0.4.2 names samples <model_args>_<task>.jsonl, whose task can only be read with the results.json written beside it (${results ? `${results.file} lists ${[...results.filters.keys()].join(", ") || "no task"}` : "none found"}): keep the results file in the folder`,
      { file: join(dir, orphans[0] as string) },
    );
  }
  return out;
}

/**
 * Build a source matrix (docs/DESIGN.md §3.1) from many models' lm-evaluation-harness `--log_samples`
 * output (TOOLCHAIN "Formats"), in any layout the harness has written since 0.4.0 (see
 * `lm-eval-samples.ts`: JSON lines or one JSON array, `.json` or `.jsonl`, `samples_<task>_<date>`
 * or 0.4.0–0.4.2's `<model_args>_<task>.jsonl`, with or without `filter`/`metrics` keys). Each path
 * is one model's folder, an `--output_path` folder whose sub-folders are models, or samples files
 * (grouped by folder). The model id is the folder name. Example ids are lm-eval doc indices:
 * `<doc_id>` when there is one task, `<task>/<doc_id>` when there are several (group tasks such
 * as mmlu); columns are ordered by task, then doc id.
 *
 * Each file uses the metric named for its task (`metric`: a name, or `task=metric` pairs), else
 * its only per-sample metric in [0,1]; each the filter named (`filter`), else its only one.
 *
 * Refused, naming the folder or file (`E_INPUT`): a path that is not a folder or holds no samples
 * files; two samples files for the same task in one model's folder (two runs: keep one); two
 * models with the same folder name; models that do not answer the same tasks and doc ids (e.g. a
 * run with `--limit`); models whose files give one task different metrics; and every error of the
 * samples reader, with its line. `E_USAGE`: an ambiguous metric or filter (naming the
 * candidates), a `task=…` pair for a task not read, or an option name it does not have.
 *
 * @param paths - Model folders or output folders.
 * @param opts - `metric`, `filter`, `name`.
 * @returns The matrix, the tasks, what was read per task and where each model came from.
 * @example
 * ```ts
 * const { matrix } = importLmEval(["out/"], { filter: "strict-match", metric: "exact_match" });
 * writeCorrectnessCsv("data/gsm8k/correctness.csv", matrix);
 * ```
 */
export function importLmEval(paths: readonly string[], opts: ImportLmEvalOptions = {}): ImportLmEvalResult {
  checkOptionKeys(opts, OPTION_NAMES, "importLmEval");
  if (paths.length === 0) throw new TbError("E_USAGE", "importLmEval: give at least one lm-eval output folder");
  const models: ImportedModel[] = [];
  const found = new Map<string, FoundFile>();
  const ignored: string[] = [];
  const lister = (dir: string, entries: readonly string[]): string[] =>
    listLmEvalSamples(dir, entries, ignored).map((f) => {
      found.set(f.path, f);
      return f.path;
    });
  const skipped: string[] = [];
  for (const p of paths)
    models.push(
      ...findModels(
        p,
        lister,
        "lm-eval samples",
        "run lm_eval with --log_samples; samples files are named samples_<task>_<date>.jsonl (or .json)",
        skipped,
      ),
    );
  checkUniqueModels(models);
  const read = new Map<string, TaskRead & { file: string }>();
  // one results file per folder and run, parsed once (it can be large: every task's config)
  const resultsOf = new Map<string, LmEvalResultsInfo | undefined>();
  // per model: task → doc id → value
  const values: Map<string, Map<number, number>>[] = models.map((m) => {
    const byTask = new Map<string, Map<number, number>>();
    const fileOf = new Map<string, string>();
    for (const file of m.files) {
      const f = found.get(file) as FoundFile;
      const task = f.task;
      const prev = fileOf.get(task);
      if (prev !== undefined) {
        throw new TbError(
          "E_INPUT",
          `two samples files for task ${show(task)} in ${m.dir} (${basename(prev)} and ${basename(file)}): keep one run per task`,
          { file },
        );
      }
      fileOf.set(task, file);
      const key = `${m.dir}\u0000${f.date ?? ""}`;
      if (!resultsOf.has(key))
        resultsOf.set(
          key,
          findLmEvalResults(m.dir, f.date, (x) => readText(x, "results file")),
        );
      const results = resultsOf.get(key);
      const o: SamplesTableOptions = { file, task };
      if (opts.metric !== undefined) o.metric = opts.metric;
      if (opts.filter !== undefined) o.filter = opts.filter;
      const names = results?.filters.get(task);
      if (names !== undefined) o.filterNames = names;
      const table = readSamplesTable(readText(file, "samples file"), o);
      checkSameRead(read, task, table, file);
      byTask.set(task, table.values);
    }
    return byTask;
  });
  const result = assembleMatrix(models, values, opts.name, (f) => found.get(f)?.task);
  checkMetricTasks(parseMetricChoice(opts.metric), result.tasks);
  checkMetricTasks(parseMetricChoice(opts.filter, "filter"), result.tasks, "filter");
  for (const [t, r] of read) result.read.set(t, { metric: r.metric, filter: r.filter });
  for (const f of new Set(ignored)) {
    result.notes.push(
      `ignored ${f}: a .jsonl file that is not named samples_<task>_<date>.jsonl and whose task no results file names`,
    );
  }
  for (const d of skipped) {
    result.notes.push(
      `ignored ${d}: no samples_<task>_<date>.jsonl in it (was lm_eval run with --log_samples? compressed samples are not read)`,
    );
  }
  return result;
}

/**
 * Refuse two files of one task read with different metrics or filters (auto-detected per file).
 * @internal
 */
export function checkSameRead(
  read: Map<string, TaskRead & { file: string }>,
  task: string,
  now: TaskRead,
  file: string,
): void {
  const before = read.get(task);
  if (before === undefined) {
    read.set(task, { metric: now.metric, filter: now.filter, file });
    return;
  }
  if (before.metric !== now.metric || before.filter !== now.filter) {
    throw new TbError(
      "E_INPUT",
      `task ${show(task)} is read as ${now.metric} (filter ${now.filter}) here but as ${before.metric} (filter ${before.filter}) in ${before.file}; name the metric and filter (task=name pairs) so every model is read alike`,
      { file },
    );
  }
}

/**
 * Merge entries of the same folder (files given one by one), then refuse two models with the same
 * id (folder name).
 * @internal
 */
export function checkUniqueModels(models: ImportedModel[]): void {
  // files given one by one: one model per folder
  for (let i = 0; i < models.length; i++) {
    const a = models[i] as ImportedModel;
    for (let j = models.length - 1; j > i; j--) {
      const b = models[j] as ImportedModel;
      if (resolve(a.dir) === resolve(b.dir)) {
        for (const f of b.files) if (!a.files.includes(f)) a.files.push(f);
        models.splice(j, 1);
      }
    }
  }
  const seenId = new Map<string, string>();
  for (const m of models) {
    const prev = seenId.get(m.id);
    if (prev !== undefined) {
      throw new TbError(
        "E_INPUT",
        `two model folders are both named ${show(m.id)} (${prev} and ${m.dir}); model ids come from folder names`,
        { file: m.dir },
      );
    }
    seenId.set(m.id, m.dir);
  }
}

/**
 * Assemble per-model answers (task → doc id → value) into one matrix, refusing models that do not
 * answer the same tasks and doc ids. Shared by the lm-eval and leaderboard importers.
 * @internal
 */
export function assembleMatrix(
  models: readonly ImportedModel[],
  values: readonly Map<string, Map<number, number>>[],
  name: string | undefined,
  taskOfFile: (file: string) => string | undefined,
): ImportLmEvalResult {
  const first = values[0];
  if (first === undefined) throw new TbError("E_INPUT", "no model to import (no samples were read)");
  const tasks = [...first.keys()].sort();
  const docs = new Map<string, number[]>();
  for (const t of tasks)
    docs.set(
      t,
      [...(first.get(t) as Map<number, number>).keys()].sort((a, b) => a - b),
    );
  values.forEach((byTask, i) => {
    const m = models[i] as ImportedModel;
    for (const t of byTask.keys()) {
      if (!first.has(t)) {
        throw new TbError(
          "E_INPUT",
          `${m.dir} has task ${show(t)}, which ${(models[0] as ImportedModel).dir} lacks: every model must run the same tasks`,
          { file: m.dir },
        );
      }
    }
    for (const t of tasks) {
      const got = byTask.get(t);
      if (got === undefined) {
        throw new TbError(
          "E_INPUT",
          `${m.dir} has no samples for task ${show(t)}: every model must run the same tasks`,
          { file: m.dir },
        );
      }
      const want = docs.get(t) as number[];
      const missing = want.filter((d) => !got.has(d));
      const extra = [...got.keys()].filter((d) => !(first.get(t) as Map<number, number>).has(d));
      if (missing.length > 0 || extra.length > 0) {
        const which =
          missing.length > 0
            ? `lacks doc_id ${missing.slice(0, 5).join(", ")}`
            : `has extra doc_id ${extra.slice(0, 5).join(", ")}`;
        throw new TbError(
          "E_INPUT",
          `task ${show(t)}: model ${show(m.id)} ${which}${missing.length + extra.length > 5 ? ", …" : ""} compared with ${show((models[0] as ImportedModel).id)} (${missing.length} missing, ${extra.length} extra; was one run with --limit or --samples?)`,
          { file: m.files.find((f) => taskOfFile(f) === t) ?? m.dir },
        );
      }
    }
  });
  const grouped = tasks.length > 1;
  const exampleIds: string[] = [];
  for (const t of tasks) for (const d of docs.get(t) as number[]) exampleIds.push(grouped ? `${t}/${d}` : String(d));
  const cols = exampleIds.length;
  const data = new Float64Array(models.length * cols);
  values.forEach((byTask, i) => {
    let j = 0;
    for (const t of tasks) {
      const row = byTask.get(t) as Map<number, number>;
      for (const d of docs.get(t) as number[]) data[i * cols + j++] = row.get(d) as number;
    }
  });
  const matrix = new CorrectnessMatrix({
    data,
    modelIds: models.map((m) => m.id),
    exampleIds,
    name: name ?? tasks.join("+"),
    copy: false,
  });
  return { matrix, tasks, models: [...models], read: new Map(), notes: [] };
}

/**
 * The model folders under one path: itself when `list` finds files in it, else its sub-folders
 * where it does. A path to one such file is that file's folder (with only that file).
 * @internal
 */
export function findModels(
  path: string,
  list: (dir: string, entries: readonly string[]) => string[],
  what: string,
  hint: string,
  /** Gets every non-empty sub-folder of an output folder that held none of these files. */
  skipped?: string[],
): ImportedModel[] {
  let entries: string[];
  try {
    const st = statSync(path);
    if (!st.isDirectory()) {
      const dir = resolve(path, "..");
      const files = list(dir, [basename(path)]);
      // the path as `list` gives it (absolute: `dir` is), the key its file records are kept under
      if (files.length === 1) return [{ id: basename(dir), dir, files }];
      throw new TbError("E_INPUT", `not a folder or a ${what} file: ${path}`, { file: path });
    }
    entries = readdirSync(path).sort();
  } catch (err) {
    if (err instanceof TbError) throw err;
    throw new TbError("E_INPUT", `not found: ${path} (expected a folder of ${what} files)`, { file: path });
  }
  const own = list(path, entries);
  if (own.length > 0) return [{ id: basename(resolve(path)), dir: path, files: own }];
  const out: ImportedModel[] = [];
  for (const e of entries) {
    const sub = join(path, e);
    let subEntries: string[];
    try {
      if (!statSync(sub).isDirectory()) continue;
      subEntries = readdirSync(sub).sort();
    } catch {
      continue;
    }
    const files = list(sub, subEntries);
    if (files.length > 0) out.push({ id: e, dir: sub, files });
    else if (skipped !== undefined && subEntries.length > 0) skipped.push(sub);
  }
  if (out.length === 0) {
    throw new TbError("E_INPUT", `no ${what} files in ${path} or its sub-folders (${hint})`, { file: path });
  }
  return out;
}
