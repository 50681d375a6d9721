import { statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { type CorrectnessKind, type CorrectnessMatrix, checkOptionKeys, optionNames, TbError } from "@tb/core";
import { parseCorrectnessCsv } from "./correctness-csv.js";
import { lineColumnAt, loc } from "./internal.js";
import { lineOf, type Meta, type MetaSplit, readMeta } from "./meta.js";
import { readText } from "./read-text.js";

/** A source/target split as row indices of {@link Dataset.matrix}, in the order `meta.json` lists them. */
export interface DatasetSplit {
  /** Row indices of the source models. */
  source: Int32Array;
  /** Row indices of the target models. */
  target: Int32Array;
}

/** A data directory loaded by {@link loadDataset}. */
export interface Dataset {
  /** `meta.json`'s `benchmark`, else the directory's base name. */
  name: string;
  /** The correctness matrix from `correctness.csv`, named {@link Dataset.name}. */
  matrix: CorrectnessMatrix;
  /** `meta.json`, when the directory has one. */
  meta?: Meta;
  /** The fixed split from `meta.json`, when it has one (an object with `source` and `target`). */
  split?: DatasetSplit;
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Expected kind; overrides `meta.json`'s `correctness`. */
  kind?: CorrectnessKind;
}

const OPTION_NAMES = optionNames<LoadDatasetOptions>()("kind");

/**
 * Load a data directory (docs/DESIGN.md §3.1): `<dir>/correctness.csv` and the optional `<dir>/meta.json`.
 * The CSV is checked against `meta.json`'s `correctness` kind and its `models`/`examples` counts
 * when present. A split in `meta.json` is resolved to row indices; its ids must be rows of the
 * matrix (`E_UNKNOWN_ID`), unique within each list, and the two lists disjoint (`E_INPUT`).
 *
 * @param dir - The data directory.
 * @param opts - Optional expected kind.
 * @returns Name, matrix, meta and split.
 * @throws TbError `E_INPUT` for a missing directory or `correctness.csv` and for malformed files;
 * `E_UNKNOWN_ID` for a split id that is not a model of the matrix. Locations name the file.
 * `E_USAGE` for an unknown option name.
 * @example
 * ```ts
 * const ds = loadDataset("../shared/data/gsm8k");
 * ds.matrix.rows; // 150
 * ds.split?.source.length; // 75
 * ```
 */
export function loadDataset(dir: string, opts: LoadDatasetOptions = {}): Dataset {
  checkOptionKeys(opts, OPTION_NAMES, "loadDataset");
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new TbError("E_INPUT", `data directory not found: ${dir}`, { file: dir });
  }
  if (!isDir) {
    throw new TbError("E_INPUT", `not a directory: ${dir} (expected a folder holding correctness.csv)`, {
      file: dir,
    });
  }
  const metaFile = join(dir, "meta.json");
  const meta = readMeta(dir);
  const csvFile = join(dir, "correctness.csv");
  const name = meta?.benchmark ?? basename(resolve(dir));
  const kind = opts.kind ?? meta?.correctness;
  let text: string;
  try {
    text = readText(csvFile);
  } catch (err) {
    if (err instanceof TbError) {
      throw new TbError("E_INPUT", `${dir} has no readable correctness.csv (${err.message})`, { file: csvFile });
    }
    throw err;
  }
  const matrix = parseCorrectnessCsv(
    text,
    kind === undefined ? { file: csvFile, name } : { file: csvFile, name, kind },
  );
  const out: Dataset = { name, matrix };
  if (meta === undefined) return out;
  out.meta = meta;
  checkCount(meta, "models", matrix.rows, metaFile);
  checkCount(meta, "examples", matrix.cols, metaFile);
  if (meta.split !== undefined) out.split = resolveSplit(matrix, meta.split, metaFile);
  return out;
}

/**
 * Resolve a split of model ids to row indices of `matrix`.
 *
 * @param matrix - The matrix whose rows the ids name.
 * @param split - Source and target model ids.
 * @param file - The `meta.json` the split came from, for messages.
 * @returns Row indices, in the listed order.
 * @throws TbError `E_UNKNOWN_ID` for an id that is not a model; `E_INPUT` for a repeated id or an
 * id listed as both source and target.
 */
export function resolveSplit(matrix: CorrectnessMatrix, split: MetaSplit, file?: string): DatasetSplit {
  const rowOf = new Map<string, number>();
  matrix.modelIds.forEach((id, i) => {
    rowOf.set(id, i);
  });
  const text = file !== undefined ? safeRead(file) : undefined;
  // Best-effort line of ids[k] inside split.<key> of meta.json (for messages).
  const where = (ids: readonly string[], k: number, key: "source" | "target"): ReturnType<typeof loc> => {
    if (text === undefined) return loc(file);
    const id = ids[k] as string;
    const needle = JSON.stringify(id);
    let at = text.indexOf(`"${key}"`, Math.max(text.indexOf('"split"'), 0));
    if (at < 0) return loc(file);
    let skip = 0;
    for (let i = 0; i < k; i++) if (ids[i] === id) skip++;
    for (let n = 0; n <= skip && at >= 0; n++) at = text.indexOf(needle, at + 1);
    return loc(file, at < 0 ? undefined : lineColumnAt(text, at).line);
  };
  const role = new Map<string, "source" | "target">();
  const convert = (ids: readonly string[], key: "source" | "target"): Int32Array => {
    const out = new Int32Array(ids.length);
    ids.forEach((id, k) => {
      const row = rowOf.get(id);
      if (row === undefined) {
        throw new TbError(
          "E_UNKNOWN_ID",
          `meta.json split.${key}[${k}]: model id ${JSON.stringify(id)} is not a row of the matrix ${matrix.name}`,
          where(ids, k, key),
        );
      }
      const prev = role.get(id);
      if (prev === key) {
        throw new TbError(
          "E_INPUT",
          `meta.json split.${key}: model id ${JSON.stringify(id)} is listed twice`,
          where(ids, k, key),
        );
      }
      if (prev !== undefined) {
        throw new TbError(
          "E_INPUT",
          `meta.json split: model id ${JSON.stringify(id)} is both a source and a target (the lists must be disjoint)`,
          where(ids, k, key),
        );
      }
      role.set(id, key);
      out[k] = row;
    });
    return out;
  };
  const source = convert(split.source, "source");
  const target = convert(split.target, "target");
  return { source, target };
}

function checkCount(meta: Meta, key: "models" | "examples", actual: number, file: string): void {
  const v = (meta.raw as Record<string, unknown>)[key];
  if (typeof v === "number" && v !== actual) {
    throw new TbError(
      "E_INPUT",
      `meta.json says ${key} = ${v} but correctness.csv has ${actual} ${key}`,
      loc(file, lineOf(safeRead(file) ?? "", `"${key}"`)),
    );
  }
}

function safeRead(file: string): string | undefined {
  try {
    return readText(file);
  } catch {
    return undefined;
  }
}
