import {
  type CorrectnessKind,
  CorrectnessMatrix,
  type CorrectnessMatrixInit,
  canonicalCsvLines,
  checkOptionKeys,
  optionNames,
  TbError,
} from "@tb/core";
import { parse } from "csv-parse/sync";
import { describe, loc, normaliseNewlines, parseCell, show, stripBom } from "./internal.js";

/** Options of {@link parseCorrectnessCsv} and {@link readCorrectnessCsv}. */
export interface CorrectnessCsvOptions {
  /** File name used in error locations (set by {@link readCorrectnessCsv}). */
  file?: string;
  /**
   * Expected kind. `binary` refuses any cell other than 0 or 1; `probability` accepts [0,1].
   * When absent the kind is inferred: `binary` if every cell is 0 or 1.
   */
  kind?: CorrectnessKind;
  /** Name of the matrix (for reports and messages); defaults to `file`, else `"correctness.csv"`. */
  name?: string;
}

const OPTION_NAMES = optionNames<CorrectnessCsvOptions>()("file", "kind", "name");

/**
 * Parse a correctness matrix from CSV text (docs/DESIGN.md §3.1): header `model,<example id>,…`, then one
 * row per model with its id and one cell in [0,1] per example. A UTF-8 byte-order mark, CRLF or
 * CR line breaks, quoted fields and blank lines are accepted.
 *
 * Every problem is reported as a `TbError` with code `E_INPUT` and a location: `line` is the
 * 1-based line in the file, `column` the 1-based field number (field 1 is the model id).
 * Refused: an empty file; a first header cell other than `model`; a header without example ids,
 * with an empty or a duplicate example id; a row with the wrong number of fields; an empty model
 * id or a duplicate one; an empty, non-numeric, NaN or infinite cell; a value outside [0,1];
 * a value other than 0/1 when `kind` is `binary`; malformed quoting; a header with no model rows.
 * An option name it does not have is refused with `E_USAGE` naming it.
 *
 * @param text - The whole file content.
 * @param opts - File name for messages, expected kind, matrix name.
 * @returns The matrix, row-major, models × examples.
 * @throws TbError `E_INPUT` with `{file, line, column}`; `E_USAGE` for an unknown option name.
 * @example
 * ```ts
 * const m = parseCorrectnessCsv("model,q1,q2\ngpt2,0,1\nllama,1,1\n");
 * m.rows; // 2
 * m.exampleIds; // ["q1", "q2"]
 * ```
 */
export function parseCorrectnessCsv(text: string, opts: CorrectnessCsvOptions = {}): CorrectnessMatrix {
  checkOptionKeys(opts, OPTION_NAMES, "parseCorrectnessCsv");
  const file = opts.file;
  const body = normaliseNewlines(stripBom(text));
  if (body.trim().length === 0) {
    throw new TbError(
      "E_INPUT",
      "empty file: expected a header `model,<example id>,…` and one row per model",
      loc(file, 1),
    );
  }
  const binary = opts.kind === "binary";
  let exampleIds: string[] | undefined;
  let headerLine = 0;
  let cols = 0;
  let data = new Float64Array(0);
  let rows = 0;
  const modelIds: string[] = [];
  const modelLine = new Map<string, number>();
  let prevEnd = 0;

  const onHeader = (rec: string[], line: number): void => {
    const first = rec[0] ?? "";
    if (first !== "model") {
      throw new TbError(
        "E_INPUT",
        `the first header cell must be "model", found ${show(first)} (expected header \`model,<example id>,…\`)`,
        loc(file, line, 1),
      );
    }
    if (rec.length < 2) {
      throw new TbError(
        "E_INPUT",
        "the header has no example ids (expected `model,<example id>,…`)",
        loc(file, line, 2),
      );
    }
    const ids = rec.slice(1);
    const seen = new Map<string, number>();
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j] as string;
      if (id.length === 0) {
        throw new TbError("E_INPUT", `empty example id in the header (field ${j + 2})`, loc(file, line, j + 2));
      }
      const prev = seen.get(id);
      if (prev !== undefined) {
        throw new TbError(
          "E_INPUT",
          `duplicate example id ${show(id)} in the header (fields ${prev + 2} and ${j + 2})`,
          loc(file, line, j + 2),
        );
      }
      seen.set(id, j);
    }
    exampleIds = ids;
    cols = ids.length;
    headerLine = line;
    data = new Float64Array(cols * 64);
  };

  const onRow = (rec: string[], line: number, ids: readonly string[]): void => {
    const model = rec[0] ?? "";
    if (rec.length !== cols + 1) {
      throw new TbError(
        "E_INPUT",
        `ragged row: the row of model ${show(model)} has ${rec.length} fields, expected ${cols + 1} (model id + ${cols} examples)`,
        loc(file, line, Math.min(rec.length, cols + 1) + 1),
      );
    }
    if (model.length === 0) throw new TbError("E_INPUT", "empty model id", loc(file, line, 1));
    const prev = modelLine.get(model);
    if (prev !== undefined) {
      throw new TbError("E_INPUT", `duplicate model id ${show(model)} (first on line ${prev})`, loc(file, line, 1));
    }
    modelLine.set(model, line);
    if ((rows + 1) * cols > data.length) {
      const grown = new Float64Array(Math.max(data.length * 2, (rows + 1) * cols));
      grown.set(data);
      data = grown;
    }
    const base = rows * cols;
    for (let j = 0; j < cols; j++) {
      const cell = parseCell(rec[j + 1] as string, binary);
      if (!cell.ok) {
        throw new TbError(
          "E_INPUT",
          `bad cell for model ${show(model)}, example ${show(ids[j] as string)}: ${cell.reason}`,
          loc(file, line, j + 2),
        );
      }
      data[base + j] = cell.value;
    }
    modelIds.push(model);
    rows++;
  };

  try {
    parse(body, {
      relax_column_count: true,
      record_delimiter: "\n",
      on_record: (rec: string[], ctx: { lines: number }) => {
        const line = prevEnd + 1;
        prevEnd = ctx.lines;
        if (rec.length === 1 && rec[0] === "") return null; // blank line
        if (exampleIds === undefined) onHeader(rec, line);
        else onRow(rec, line, exampleIds);
        return null;
      },
    });
  } catch (err) {
    if (err instanceof TbError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === "CSV_QUOTE_NOT_CLOSED") {
      throw new TbError(
        "E_INPUT",
        `malformed CSV: a quote opened in the record starting on line ${prevEnd + 1} is never closed`,
        loc(file, prevEnd + 1),
      );
    }
    const line = (err as { lines?: unknown }).lines;
    throw new TbError(
      "E_INPUT",
      `malformed CSV: ${describe(err)}`,
      loc(file, typeof line === "number" && line > 0 ? line : undefined),
    );
  }
  if (exampleIds === undefined) {
    throw new TbError("E_INPUT", "empty file: no header found", loc(file, 1));
  }
  if (rows === 0) {
    throw new TbError("E_INPUT", "no model rows after the header", loc(file, headerLine + 1));
  }
  const init: CorrectnessMatrixInit = {
    data: data.length === rows * cols ? data : data.slice(0, rows * cols),
    modelIds,
    exampleIds,
    name: opts.name ?? file ?? "correctness.csv",
    copy: false,
  };
  if (opts.kind !== undefined) init.kind = opts.kind;
  return new CorrectnessMatrix(init);
}

/**
 * Render a matrix as correctness CSV (docs/DESIGN.md §3.1): LF line endings, a trailing newline, ids quoted
 * only when they hold a comma, a quote or a line break, numbers in their shortest exact form (so
 * {@link parseCorrectnessCsv} gives back the same values).
 *
 * @param matrix - The matrix to render.
 * @returns The CSV text.
 */
export function formatCorrectnessCsv(matrix: CorrectnessMatrix): string {
  const lines: string[] = [];
  canonicalCsvLines(matrix, (line) => lines.push(line));
  return lines.join("");
}
