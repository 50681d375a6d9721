import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { TbError } from "@tb/core";
import { parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { describe, loc, show } from "./internal.js";
import {
  assembleMatrix,
  checkUniqueModels,
  findModels,
  type ImportedModel,
  type ImportLmEvalResult,
} from "./lm-eval-import.js";

/** Options of {@link importLeaderboard} and {@link readLeaderboardDetails}. */
export interface ImportLeaderboardOptions {
  /**
   * Dotted column path of the per-example value: `acc_norm` or `exact_match` (v2: lm-eval
   * columns), `metrics.acc` or `metrics.em` (v1: lighteval's `metrics` struct). Required when a row
   * has more than one candidate (numbers or booleans outside the id, `target`, `gold` columns).
   */
  metric?: string;
  /** Column of the doc index; default `doc_id`. `@row` uses the row order (v1 details without one). */
  idColumn?: string;
  /** Rows of this filter only, when the file has a `filter` column (as lm-eval samples). */
  filter?: string;
  /** Name of the matrix; default the task names joined by `+`. */
  name?: string;
}

const PARQUET = /\.parquet$/i;
const NOT_METRICS = new Set(["doc_id", "target", "gold", "gold_index", "filter", "index", "label"]);

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

function candidates(row: Record<string, unknown>, idColumn: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(row)) {
    if (k === idColumn || NOT_METRICS.has(k)) continue;
    if (typeof v === "number" || typeof v === "boolean") out.push(k);
    else if (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array)) {
      for (const [s, w] of Object.entries(v as Record<string, unknown>)) {
        if (typeof w === "number" || typeof w === "boolean") out.push(`${k}.${s}`);
      }
    }
  }
  return out;
}

/**
 * Read one Open LLM Leaderboard details file (parquet; TOOLCHAIN "Formats"): doc index → value of
 * the chosen metric. v2 files are lm-eval samples as rows (`doc_id`, `acc_norm`, …); v1 files are
 * lighteval records whose per-example metrics sit in a `metrics` struct (`metrics.acc`), with the
 * doc index in a column or given by the row order (`idColumn: "@row"`).
 *
 * Refused with `E_INPUT` naming the file and row: a file that is not readable parquet, a row
 * without a valid doc index, a doc answered twice, a missing or non-numeric value or one outside
 * [0,1]. `E_USAGE`: an ambiguous or absent metric, a filter that does not occur.
 *
 * @param file - A `.parquet` details file.
 * @param opts - Metric path, id column, filter.
 * @returns The leaf task and doc index → value.
 */
export async function readLeaderboardDetails(
  file: string,
  opts: ImportLeaderboardOptions = {},
): Promise<{ task: string; values: Map<number, number> }> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new TbError("E_INPUT", `cannot read ${file}: ${describe(err)}`, { file });
  }
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file: ab, compressors })) as Record<string, unknown>[];
  } catch (err) {
    throw new TbError("E_INPUT", `not a readable parquet file: ${describe(err)}`, { file });
  }
  if (rows.length === 0) throw new TbError("E_INPUT", "the details file has no rows", { file });
  const idColumn = opts.idColumn ?? "doc_id";
  const first = rows[0] as Record<string, unknown>;
  if (idColumn !== "@row" && !(idColumn in first)) {
    throw new TbError(
      "E_USAGE",
      `${file} has no column ${show(idColumn)} (columns: ${Object.keys(first).join(", ")}); choose the doc index column, or "@row" for the row order`,
    );
  }
  if ("filter" in first) {
    const filters = [...new Set(rows.map((r) => String(r.filter)))];
    if (opts.filter === undefined && filters.length > 1) {
      throw new TbError(
        "E_USAGE",
        `${file} holds several filters (${filters.join(", ")}); choose one with the filter option`,
      );
    }
    if (opts.filter !== undefined && !filters.includes(opts.filter)) {
      throw new TbError(
        "E_USAGE",
        `filter ${show(opts.filter)} does not occur in ${file} (filters: ${filters.join(", ")})`,
      );
    }
  } else if (opts.filter !== undefined) {
    throw new TbError("E_USAGE", `${file} has no filter column; leave the filter option out`);
  }
  let metric = opts.metric;
  if (metric === undefined) {
    const c = candidates(first, idColumn);
    if (c.length !== 1) {
      throw new TbError(
        "E_USAGE",
        c.length === 0
          ? `no numeric metric column in ${file}; name one with the metric option (e.g. acc_norm or metrics.acc)`
          : `${file} has several candidate metrics (${c.join(", ")}); choose one with the metric option`,
      );
    }
    metric = c[0] as string;
  }
  const values = new Map<number, number>();
  rows.forEach((r, i) => {
    if (opts.filter !== undefined && String(r.filter) !== opts.filter) return;
    const where = loc(file, undefined, metric);
    where.row = i;
    let doc: number;
    if (idColumn === "@row") doc = i;
    else {
      const raw = r[idColumn];
      doc = typeof raw === "bigint" ? Number(raw) : (raw as number);
      if (!(typeof doc === "number" && Number.isSafeInteger(doc) && doc >= 0)) {
        throw new TbError("E_INPUT", `row ${i}: ${show(idColumn)} is not a doc index (found ${show(String(raw))})`, {
          file,
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
          ? `doc ${doc} has no value for ${show(metric as string)}`
          : `doc ${doc}: ${show(metric as string)} is not a number (found ${show(String(raw))})`,
        where,
      );
    }
    if (!(v >= 0 && v <= 1)) {
      throw new TbError("E_INPUT", `doc ${doc}: ${show(metric as string)} is ${v}, outside [0,1]`, where);
    }
    if (values.has(doc)) throw new TbError("E_INPUT", `doc ${doc} appears twice`, where);
    values.set(doc, v === 0 ? 0 : v);
  });
  return { task: leaderboardTaskFromFileName(file), values };
}

/**
 * Build a source matrix (DESIGN §3.1) from downloaded Open LLM Leaderboard details (parquet; v2 with
 * lm-eval columns, v1 with lighteval records). Each path is a model's folder of `.parquet` files
 * (the model id is the folder name, e.g. `org__model` as on the hub), a folder of such folders, or
 * single files (grouped by their folder). Example ids follow {@link importLmEval}: doc indices for
 * one task, `<task>/<doc>` for several. Every model must answer the same tasks and docs.
 *
 * @param paths - Files or folders.
 * @param opts - Metric path, id column, filter, name.
 * @example
 * ```ts
 * const { matrix } = await importLeaderboard(["details/"], { metric: "acc_norm" });
 * ```
 */
export async function importLeaderboard(
  paths: readonly string[],
  opts: ImportLeaderboardOptions = {},
): Promise<ImportLmEvalResult> {
  if (paths.length === 0) throw new TbError("E_USAGE", "importLeaderboard: give at least one details file or folder");
  const models: ImportedModel[] = [];
  for (const p of paths)
    models.push(...findModels(p, PARQUET, "leaderboard details .parquet", "download the details first"));
  checkUniqueModels(models);
  const values: Map<string, Map<number, number>>[] = [];
  for (const m of models) {
    const byTask = new Map<string, Map<number, number>>();
    const fileOf = new Map<string, string>();
    for (const file of m.files) {
      const { task, values: v } = await readLeaderboardDetails(file, opts);
      const prev = fileOf.get(task);
      if (prev !== undefined) {
        throw new TbError(
          "E_INPUT",
          `two details files for task ${show(task)} in ${m.dir} (${basename(prev)} and ${basename(file)}): keep one per task`,
          { file },
        );
      }
      fileOf.set(task, file);
      byTask.set(task, v);
    }
    values.push(byTask);
  }
  return assembleMatrix(models, values, opts.name, leaderboardTaskFromFileName);
}
