import { checkOptionKeys, optionNames, requireOptions, TbError } from "@tb/core";
import { parse } from "csv-parse/sync";
import {
  baseName,
  describe,
  extName,
  loc,
  normaliseNewlines,
  parseCell,
  positionIndex,
  show,
  stripBom,
} from "./internal.js";
import {
  isSamplesFileName,
  parseSamplesFileName,
  readSamplesTable,
  type SamplesTableOptions,
} from "./lm-eval-samples.js";
import { type DocOrder, lmEvalV03Permutation } from "./python-random.js";

/** Response file formats (docs/DESIGN.md §3.2). `auto` decides from the extension, then from the content. */
export type ResponsesFormat = "auto" | "csv" | "json" | "lm-eval";

/** Options of {@link readResponses} and {@link parseResponses}. */
export interface ResponsesOptions {
  /** The example ids of the source matrix; answers are keyed by position in this list. */
  exampleIds: readonly string[];
  /** File format; default `auto`. */
  format?: ResponsesFormat;
  /**
   * lm-eval only: the top-level metric key to read (`acc`, `acc_norm`, `exact_match`, …). Required
   * when the samples list more than one metric.
   */
  metric?: string;
  /** lm-eval only: which filter's rows to read (e.g. `strict-match`). Required when the file has several. */
  filter?: string;
  /**
   * lm-eval only: the leaf task name. Defaults to the one in the file name
   * `samples_<task>_<date>.jsonl`. When some example ids start with `<task>/`, a sample's id is
   * `<task>/<doc_id>` (group tasks such as mmlu); otherwise it is `<doc_id>`.
   */
  task?: string;
  /**
   * The leaf tasks whose doc indices the matrix's ids are (its `meta.json` `id_provenance.tasks`).
   * lm-eval samples of another task (the task given, or named by the samples file) are refused:
   * their doc indices would land on the same ids, in the wrong columns. A fact about the matrix,
   * not the file, so a CSV or JSON file (keyed by the matrix's own ids) is read with it as without.
   */
  tasks?: readonly string[];
  /**
   * lm-eval only: the matrix's columns are in this visit order, not doc order (e.g. the
   * TailoredBench GSM8K matrix, in lm-eval v0.3's order): doc d answers column `k` with
   * `perm[k] = d` ({@link lmEvalV03Permutation} of the number of columns).
   */
  docOrder?: DocOrder;
}

/**
 * The answers of one target model: example index (position in `exampleIds`) → correctness in [0,1].
 * Insertion order is the order of the file.
 */
export type Responses = Map<number, number>;

/** Options of {@link parseResponses}: {@link ResponsesOptions} plus the file name for messages. */
export interface ParseResponsesOptions extends ResponsesOptions {
  /** File name used in error locations and, with format `auto`, to look at the extension. */
  file?: string;
  /** lm-eval only: the task's filter names in order, from its results file (files without `filter` keys). */
  filterNames?: readonly string[];
}

/** The options of {@link ResponsesOptions} (readResponses's; parseResponses adds `file` and `filterNames`). Internal. */
export const RESPONSES_OPTION_KEYS = ["exampleIds", "format", "metric", "filter", "task", "tasks", "docOrder"] as const;

const OPTION_NAMES = optionNames<ParseResponsesOptions>()(...RESPONSES_OPTION_KEYS, "file", "filterNames");

/**
 * Parse one target model's answers from text; see {@link readResponses} for the formats and errors.
 * An option name it does not have is refused (`E_USAGE`), and so are the lm-eval options `metric`,
 * `filter`, `task`, `filterNames` and `docOrder` for a CSV or JSON text.
 *
 * @param text - The file content.
 * @param opts - Example ids, format options and the file name for messages.
 * @returns Example index → value.
 */
export function parseResponses(text: string, opts: ParseResponsesOptions): Responses {
  requireOptions(opts, "parseResponses", "{ exampleIds }");
  checkOptionKeys(opts, OPTION_NAMES, "parseResponses");
  const ids = indexIds(opts.exampleIds);
  const body = normaliseNewlines(stripBom(text));
  const format = opts.format === undefined || opts.format === "auto" ? detectFormat(body, opts.file) : opts.format;
  if (opts.docOrder !== undefined && format !== "lm-eval") {
    throw new TbError(
      "E_USAGE",
      `the doc order applies to lm-eval samples (keyed by doc_id); ${opts.file ?? "this file"} is ${format}, keyed by the matrix's own example ids: leave the doc order out`,
      loc(opts.file),
    );
  }
  if (format !== "lm-eval") {
    const given = (["metric", "filter", "task", "filterNames"] as const).filter((k) => opts[k] !== undefined);
    if (given.length > 0) {
      throw new TbError(
        "E_USAGE",
        `the ${given.join(", ")} ${given.length > 1 ? "apply" : "applies"} to lm-eval samples; ${opts.file ?? "this file"} is ${format}, one value per example: leave ${given.length > 1 ? "them" : "it"} out`,
        loc(opts.file),
      );
    }
  }
  if (format === "lm-eval" && opts.task !== undefined) checkTask(opts.task, opts.file, opts.tasks);
  switch (format) {
    case "csv":
      return parseCsvResponses(body, ids, opts.file);
    case "json":
      return parseJsonResponses(body, ids, opts.file);
    case "lm-eval":
      return parseLmEvalSamples(body, ids, opts);
    default:
      throw new TbError("E_USAGE", `unknown responses format ${show(String(format))} (csv, json, lm-eval, auto)`);
  }
}

/** lm-eval samples of `task` must be of a task the matrix's ids are doc indices of, when those are known. */
function checkTask(task: string, file: string | undefined, tasks: readonly string[] | undefined): void {
  if (tasks === undefined || tasks.includes(task)) return;
  throw new TbError(
    "E_INPUT",
    `lm-eval samples of task "${task}", but the matrix's example ids are doc indices of ${tasks.map((t) => `"${t}"`).join(", ")} (its meta.json id_provenance): these answers would land in the wrong columns`,
    loc(file),
  );
}

/**
 * The leaf task of an lm-eval samples file name `samples_<task>_<date>.jsonl` (or `.json`, as
 * lm-eval main wrote them in May–June 2024), e.g.
 * `samples_mmlu_abstract_algebra_2024-05-01T12-00-00.123456.jsonl` → `mmlu_abstract_algebra`.
 *
 * @param name - A file base name.
 * @returns The task name, or `undefined` when the name does not follow the pattern.
 */
export function lmEvalTaskFromFileName(name: string): string | undefined {
  return parseSamplesFileName(name)?.task;
}

type IdIndex = { map: Map<string, number>; ids: readonly string[] };

function indexIds(exampleIds: readonly string[]): IdIndex {
  const map = new Map<string, number>();
  exampleIds.forEach((id, i) => {
    if (map.has(id)) throw new TbError("E_USAGE", `exampleIds holds ${show(id)} twice`);
    map.set(id, i);
  });
  return { map, ids: exampleIds };
}

/**
 * The format `parseResponses` reads a text in when its format is `auto`: from the file name's
 * extension, then the content (lm-eval samples are keyed by `doc_id`). For callers that must
 * treat lm-eval samples differently (their ids are doc indices) before parsing.
 */
export function responsesFormat(text: string, file?: string): "csv" | "json" | "lm-eval" {
  return detectFormat(normaliseNewlines(stripBom(text)), file);
}

function detectFormat(body: string, file: string | undefined): "csv" | "json" | "lm-eval" {
  const ext = file === undefined ? "" : extName(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl") return "lm-eval";
  if (file !== undefined && isSamplesFileName(baseName(file))) return "lm-eval";
  const trimmed = body.trimStart();
  if (trimmed.startsWith("[")) return "lm-eval"; // a JSON array of samples
  if (!trimmed.startsWith("{")) return ext === ".json" ? "json" : "csv";
  const lines = trimmed.split("\n").filter((l) => l.trim().length > 0);
  if (lines.length > 1) {
    try {
      const first = JSON.parse(lines[0] as string) as unknown;
      if (typeof first === "object" && first !== null && "doc_id" in first) return "lm-eval";
    } catch {
      // a multi-line JSON object
    }
  }
  return "json";
}

/** Record one answer, refusing unknown ids and repeats. */
function put(
  out: Responses,
  seenLine: Map<number, number>,
  ids: IdIndex,
  id: string,
  value: number,
  file: string | undefined,
  line: number,
  column: number | string | undefined,
  hint = "",
): void {
  const idx = ids.map.get(id);
  if (idx === undefined) {
    throw new TbError(
      "E_UNKNOWN_ID",
      `unknown example id ${show(id)}: not a column of the source matrix${hint}`,
      loc(file, line, column),
    );
  }
  const prev = seenLine.get(idx);
  if (prev !== undefined) {
    throw new TbError(
      "E_INPUT",
      `example ${show(id)} is answered twice (first on line ${prev})`,
      loc(file, line, column),
    );
  }
  seenLine.set(idx, line);
  out.set(idx, value);
}

function parseCsvResponses(body: string, ids: IdIndex, file: string | undefined): Responses {
  if (body.trim().length === 0) {
    throw new TbError("E_INPUT", "empty responses file: expected a header `example,correct`", loc(file, 1));
  }
  const out: Responses = new Map();
  const seen = new Map<number, number>();
  let header = false;
  let prevEnd = 0;
  try {
    parse(body, {
      relax_column_count: true,
      record_delimiter: "\n",
      on_record: (rec: string[], ctx: { lines: number }) => {
        const line = prevEnd + 1;
        prevEnd = ctx.lines;
        if (rec.length === 1 && rec[0] === "") return null;
        if (!header) {
          if (rec.length !== 2 || rec[0] !== "example" || (rec[1] ?? "").length === 0) {
            throw new TbError(
              "E_INPUT",
              `expected the header \`example,correct\`, found ${show(rec.join(","))}`,
              loc(file, line, rec[0] !== "example" ? 1 : 2),
            );
          }
          header = true;
          return null;
        }
        if (rec.length !== 2) {
          throw new TbError(
            "E_INPUT",
            `ragged row: ${rec.length} fields, expected 2 (example id, value)`,
            loc(file, line, Math.min(rec.length, 2) + 1),
          );
        }
        const id = rec[0] as string;
        if (id.length === 0) throw new TbError("E_INPUT", "empty example id", loc(file, line, 1));
        const cell = parseCell(rec[1] as string, false);
        if (!cell.ok) {
          throw new TbError("E_INPUT", `bad value for example ${show(id)}: ${cell.reason}`, loc(file, line, 2));
        }
        put(out, seen, ids, id, cell.value, file, line, 1);
        return null;
      },
    });
  } catch (err) {
    if (err instanceof TbError) throw err;
    const line = (err as { lines?: unknown }).lines;
    throw new TbError(
      "E_INPUT",
      `malformed CSV: ${describe(err)}`,
      loc(file, typeof line === "number" && line > 0 ? line : undefined),
    );
  }
  if (!header) throw new TbError("E_INPUT", "empty responses file: no header found", loc(file, 1));
  return out;
}

const WS = /[ \t\n\r]*/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** A strict scanner for a flat JSON object `{"id": scalar, …}` that keeps every key's position. */
function parseJsonResponses(body: string, ids: IdIndex, file: string | undefined): Responses {
  const pos = positionIndex(body);
  const fail = (at: number, msg: string, code: "E_INPUT" | "E_UNKNOWN_ID" = "E_INPUT"): never => {
    const p = pos(at);
    throw new TbError(code, msg, loc(file, p.line, p.column));
  };
  let i = 0;
  const ws = (): void => {
    WS.lastIndex = i;
    WS.exec(body);
    i = WS.lastIndex;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(body);
    if (!m) return undefined;
    i = re.lastIndex;
    return m[0];
  };
  const found = (): string => (i >= body.length ? "the end of the file" : show(body.slice(i, i + 12)));
  ws();
  if (body[i] !== "{") {
    if (i >= body.length) fail(i, 'empty responses file: expected a JSON object {"<example id>": value}');
    fail(i, `expected a JSON object {"<example id>": value}, found ${found()}`);
  }
  i++;
  const out: Responses = new Map();
  const seen = new Map<number, number>();
  ws();
  if (body[i] === "}") i++;
  else {
    for (;;) {
      ws();
      const keyAt = i;
      const keyTok = match(STRING);
      if (keyTok === undefined) fail(i, `expected an example id in double quotes, found ${found()}`);
      const key = JSON.parse(keyTok as string) as string;
      ws();
      if (body[i] !== ":") fail(i, `expected ':' after ${show(key)}, found ${found()}`);
      i++;
      ws();
      const valueAt = i;
      let value: number | undefined;
      const num = match(NUMBER);
      if (num !== undefined) value = Number(num);
      else {
        const lit = match(LITERAL);
        if (lit === "true") value = 1;
        else if (lit === "false") value = 0;
        else if (lit === "null") fail(valueAt, `example ${show(key)} has no value (null)`);
        else if (body[i] === '"' || body[i] === "{" || body[i] === "[") {
          fail(valueAt, `the value of example ${show(key)} must be a number in [0,1] or true/false, found ${found()}`);
        } else fail(valueAt, `expected a value for ${show(key)}, found ${found()}`);
      }
      if (!(Number.isFinite(value) && (value as number) >= 0 && (value as number) <= 1)) {
        fail(valueAt, `bad value for example ${show(key)}: ${num} is outside [0,1]`);
      }
      const p = pos(keyAt);
      put(out, seen, ids, key, (value as number) === 0 ? 0 : (value as number), file, p.line, p.column);
      ws();
      if (body[i] === ",") {
        i++;
        continue;
      }
      if (body[i] === "}") {
        i++;
        break;
      }
      fail(i, `expected ',' or '}' after the value of ${show(key)}, found ${found()}`);
    }
  }
  ws();
  if (i < body.length) fail(i, `unexpected text after the JSON object: ${found()}`);
  return out;
}

function parseLmEvalSamples(body: string, ids: IdIndex, opts: ParseResponsesOptions): Responses {
  const file = opts.file;
  const o: SamplesTableOptions = {};
  if (file !== undefined) o.file = file;
  if (opts.task !== undefined) o.task = opts.task;
  if (opts.metric !== undefined) o.metric = opts.metric;
  if (opts.filter !== undefined) o.filter = opts.filter;
  if (opts.filterNames !== undefined) o.filterNames = opts.filterNames;
  const table = readSamplesTable(body, o);
  const task = opts.task;
  if (opts.docOrder === "lm-eval-v0.3") {
    const n = ids.ids.length;
    const perm = lmEvalV03Permutation(n);
    const column = new Int32Array(n);
    perm.forEach((d, k) => {
      column[d] = k;
    });
    const out: Responses = new Map();
    const seen = new Map<number, number>();
    for (const [doc, v] of table.values) {
      const line = table.lines.get(doc) as number;
      if (doc >= n) {
        throw new TbError(
          "E_INPUT",
          `doc_id ${doc} is beyond the ${n} docs of the matrix in ${opts.docOrder} order (was the task's split larger?)`,
          loc(file, line, "doc_id"),
        );
      }
      // column k's id is "k", as in tb export (which maps id k to doc perm[k])
      put(out, seen, ids, String(column[doc]), v, file, line, "doc_id");
    }
    return out;
  }
  const grouped = task !== undefined && ids.ids.some((id) => id.startsWith(`${task}/`));
  const hint = grouped
    ? ""
    : task !== undefined
      ? ` (looked up as the doc_id; no example id starts with "${task}/")`
      : " (looked up as the doc_id; pass task for ids of the form <task>/<doc_id>)";
  const out: Responses = new Map();
  const seen = new Map<number, number>();
  for (const [doc, v] of table.values) {
    const id = grouped ? `${task}/${doc}` : String(doc);
    put(out, seen, ids, id, v, file, table.lines.get(doc) as number, "doc_id", hint);
  }
  return out;
}
