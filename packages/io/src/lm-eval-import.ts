import { readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { CorrectnessMatrix, TbError } from "@tb/core";
import { readText, show } from "./internal.js";
import { lmEvalTaskFromFileName, parseResponses } from "./responses.js";

/** Options of {@link importLmEval}. */
export interface ImportLmEvalOptions {
  /** The top-level metric key to read (`acc`, `acc_norm`, `exact_match`, …); required when samples list several. */
  metric?: string;
  /** The filter whose rows to read (e.g. `strict-match` for gsm8k); required when a file logs several. */
  filter?: string;
  /** Name of the matrix (for messages and `meta.json`'s `benchmark`); default: the task names joined by `+`. */
  name?: string;
}

/** One model found by {@link importLmEval}. */
export interface ImportedModel {
  /** Model id: the name of its folder (lm-eval writes one folder per model under `--output_path`). */
  id: string;
  /** The folder holding its `samples_*.jsonl`. */
  dir: string;
  /** The samples files read, one per leaf task. */
  files: string[];
}

/** Result of {@link importLmEval}. */
export interface ImportLmEvalResult {
  /** Models × examples; example ids `<doc_id>` for one task, `<task>/<doc_id>` for several. */
  matrix: CorrectnessMatrix;
  /** Leaf tasks, sorted. */
  tasks: string[];
  /** The models, in row order. */
  models: ImportedModel[];
}

const SAMPLES = /^samples_.+\.jsonl$/;

/**
 * Build a source matrix (DESIGN §3.1) from many models' lm-evaluation-harness `--log_samples`
 * output (TOOLCHAIN "Formats"). Each path is either one model's folder (it holds
 * `samples_<task>_<date>.jsonl` files) or an `--output_path` folder whose sub-folders are models.
 * The model id is the folder name. Every samples file is read with the same rules as a responses
 * file ({@link parseResponses}: `filter` and `metric` choose, each `doc_id` once per filter).
 * Example ids are the doc ids when there is one task, `<task>/<doc_id>` when there are several
 * (group tasks such as mmlu); columns are ordered by task, then doc id.
 *
 * Refused, naming the folder or file (`E_INPUT`): a path that is not a folder or holds no samples
 * files; two samples files for the same task in one model's folder (two runs: keep one); two
 * models with the same folder name; models that do not answer the same tasks and doc ids (e.g. a
 * run with `--limit`); and every error of the samples reader, with its line.
 *
 * @param paths - Model folders or output folders.
 * @param opts - `metric`, `filter`, `name`.
 * @returns The matrix, the tasks and where each model came from.
 * @example
 * ```ts
 * const { matrix } = importLmEval(["out/"], { filter: "strict-match", metric: "exact_match" });
 * writeCorrectnessCsv("data/gsm8k/correctness.csv", matrix);
 * ```
 */
export function importLmEval(paths: readonly string[], opts: ImportLmEvalOptions = {}): ImportLmEvalResult {
  if (paths.length === 0) throw new TbError("E_USAGE", "importLmEval: give at least one lm-eval output folder");
  const models: ImportedModel[] = [];
  for (const p of paths)
    models.push(...findModels(p, SAMPLES, "lm-eval samples_*.jsonl", "run lm_eval with --log_samples"));
  checkUniqueModels(models);
  // per model: task → doc id → value
  const values: Map<string, Map<number, number>>[] = models.map((m) => {
    const byTask = new Map<string, Map<number, number>>();
    const fileOf = new Map<string, string>();
    for (const file of m.files) {
      const task = lmEvalTaskFromFileName(basename(file)) as string;
      const prev = fileOf.get(task);
      if (prev !== undefined) {
        throw new TbError(
          "E_INPUT",
          `two samples files for task ${show(task)} in ${m.dir} (${basename(prev)} and ${basename(file)}): keep one run per task`,
          { file },
        );
      }
      fileOf.set(task, file);
      byTask.set(task, readSamplesFile(file, opts));
    }
    return byTask;
  });
  return assembleMatrix(models, values, opts.name, (f) => lmEvalTaskFromFileName(basename(f)));
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
  const first = values[0] as Map<string, Map<number, number>>;
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
  return { matrix, tasks, models: [...models] };
}

/**
 * The model folders under one path: itself when it holds files matching `pattern`, else its
 * sub-folders that do. A path to one such file is that file's folder (with only that file).
 * @internal
 */
export function findModels(path: string, pattern: RegExp, what: string, hint: string): ImportedModel[] {
  let entries: string[];
  try {
    const st = statSync(path);
    if (!st.isDirectory()) {
      if (pattern.test(basename(path)))
        return [{ id: basename(resolve(path, "..")), dir: resolve(path, ".."), files: [path] }];
      throw new TbError("E_INPUT", `not a folder or a ${what} file: ${path}`, { file: path });
    }
    entries = readdirSync(path).sort();
  } catch (err) {
    if (err instanceof TbError) throw err;
    throw new TbError("E_INPUT", `not found: ${path} (expected a folder of ${what} files)`, { file: path });
  }
  const own = entries.filter((f) => pattern.test(f));
  if (own.length > 0) {
    return [{ id: basename(resolve(path)), dir: path, files: own.map((f) => join(path, f)) }];
  }
  const out: ImportedModel[] = [];
  for (const e of entries) {
    const sub = join(path, e);
    let files: string[];
    try {
      if (!statSync(sub).isDirectory()) continue;
      files = readdirSync(sub)
        .filter((f) => pattern.test(f))
        .sort();
    } catch {
      continue;
    }
    if (files.length > 0) out.push({ id: e, dir: sub, files: files.map((f) => join(sub, f)) });
  }
  if (out.length === 0) {
    throw new TbError("E_INPUT", `no ${what} files in ${path} or its sub-folders (${hint})`, { file: path });
  }
  return out;
}

/** doc id → value of one samples file, with the responses reader's validation. */
function readSamplesFile(file: string, opts: ImportLmEvalOptions): Map<number, number> {
  const text = readText(file, "samples file");
  // The doc ids present, so that the reader can key answers by them; malformed lines are left
  // to the reader, which reports them with their line.
  const ids = new Set<number>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim().length === 0) continue;
    try {
      const rec = JSON.parse(line) as { doc_id?: unknown };
      if (typeof rec?.doc_id === "number" && Number.isInteger(rec.doc_id) && rec.doc_id >= 0) ids.add(rec.doc_id);
    } catch {
      // reported by parseResponses
    }
  }
  const docIds = [...ids];
  const o: Parameters<typeof parseResponses>[1] = { exampleIds: docIds.map(String), format: "lm-eval", file };
  if (opts.metric !== undefined) o.metric = opts.metric;
  if (opts.filter !== undefined) o.filter = opts.filter;
  const answers = parseResponses(text, o);
  const out = new Map<number, number>();
  for (const [idx, v] of answers) out.set(docIds[idx] as number, v);
  return out;
}
