import { readdirSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { checkOptionKeys, optionNames, requireOptions, TbError } from "@tb/core";
import { show } from "./internal.js";
import { listLmEvalSamples } from "./lm-eval-import.js";
import { findLmEvalResults } from "./lm-eval-results.js";
import { parseSamplesFileName, taskOfModelArgsFile } from "./lm-eval-samples.js";
import { readText } from "./read-text.js";
import {
  type ParseResponsesOptions,
  parseResponses,
  RESPONSES_OPTION_KEYS,
  type Responses,
  type ResponsesOptions,
  responsesFormat,
} from "./responses.js";

/** Not `file` (the path names the file) or `filterNames` (read from the lm-eval results file beside it). */
const OPTION_NAMES = optionNames<ResponsesOptions>()(...RESPONSES_OPTION_KEYS);

/**
 * Read one target model's answers (docs/DESIGN.md §3.2) from a file:
 * - CSV with header `example,<value column>` (e.g. `example,correct`), one row per example;
 * - JSON object `{"<example id>": value}` (numbers in [0,1], or `true`/`false`);
 * - lm-evaluation-harness `samples_<task>_<date>.jsonl` (from `--log_samples`): one sample per
 *   line, keyed by `doc_id`; `filter` picks one filter's rows, `metric` the value key. A directory
 *   reads every `samples_*.jsonl` in it (one per leaf task of a group).
 *
 * Refused, with file and line: unknown example ids (`E_UNKNOWN_ID`); an id answered twice, a
 * value outside [0,1], NaN, an empty or non-numeric value, malformed CSV/JSON (`E_INPUT`).
 * A missing or ambiguous `metric`/`filter` is `E_USAGE`, and so is an option name it does not have
 * or an lm-eval option (`metric`, `filter`, `task`, `docOrder`) for a CSV or JSON file.
 *
 * @param path - The responses file (or, for lm-eval, a directory of samples files).
 * @param opts - Example ids of the matrix and format options.
 * @returns Example index → value.
 * @example
 * ```ts
 * const answers = readResponses("answers.csv", { exampleIds: matrix.exampleIds });
 * const lm = readResponses("out/samples_gsm8k_2024-06-01T10-00-00.jsonl", {
 *   exampleIds: matrix.exampleIds, filter: "strict-match", metric: "exact_match",
 * });
 * ```
 */
export function readResponses(path: string, opts: ResponsesOptions): Responses {
  requireOptions(opts, "readResponses", "{ exampleIds }");
  checkOptionKeys(opts, OPTION_NAMES, "readResponses");
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new TbError("E_INPUT", `responses file not found: ${path}`, { file: path });
  }
  if (isDir) return readSamplesDirectory(path, opts);
  const text = readText(path, "responses file");
  const o: ParseResponsesOptions = { ...opts, file: path };
  const parsed = parseSamplesFileName(basename(path));
  if (opts.task !== undefined && parsed !== undefined && parsed.task !== opts.task) {
    throw new TbError(
      "E_USAGE",
      `lm-eval samples of task "${parsed.task}" (the file name says so), but task "${opts.task}" was given`,
      { file: path },
    );
  }
  const format = opts.format === undefined || opts.format === "auto" ? responsesFormat(text, path) : opts.format;
  // the task and filter names found beside the file are for lm-eval samples only: a CSV or JSON
  // file is read without them (a task the caller gave is passed on, and refused by parseResponses)
  if (format !== "lm-eval") return parseResponses(text, o);
  let task = opts.task ?? parsed?.task;
  const results = /\.jsonl?$/i.test(path)
    ? findLmEvalResults(dirname(resolve(path)), parsed?.date, (x) => readText(x, "results file"))
    : undefined;
  if (task === undefined && path.endsWith(".jsonl")) task = taskOfModelArgsFile(basename(path), results);
  // parseResponses checks the task against opts.tasks
  if (task !== undefined) o.task = task;
  const names = task === undefined ? undefined : results?.filters.get(task);
  if (names !== undefined) o.filterNames = names;
  return parseResponses(text, o);
}

function readSamplesDirectory(dir: string, opts: ResponsesOptions): Responses {
  if (opts.task !== undefined) {
    throw new TbError(
      "E_USAGE",
      "a task was given for a folder of samples files, which name their own tasks: give one samples file with a task, or leave the task out",
      { file: dir },
    );
  }
  const files = listLmEvalSamples(dir, readdirSync(dir).sort());
  if (files.length === 0) {
    throw new TbError("E_INPUT", `no lm-eval samples files (samples_<task>_<date>.jsonl or .json) in ${dir}`, {
      file: dir,
    });
  }
  const out: Responses = new Map();
  const from = new Map<number, string>();
  for (const f of files) {
    const file = f.path;
    // parseResponses refuses a task outside opts.tasks
    const o: ParseResponsesOptions = { ...opts, format: "lm-eval", file, task: f.task };
    const names = findLmEvalResults(dir, f.date, (x) => readText(x, "results file"))?.filters.get(f.task);
    if (names !== undefined) o.filterNames = names;
    for (const [idx, v] of parseResponses(readText(file, "samples file"), o)) {
      const prev = from.get(idx);
      if (prev !== undefined) {
        throw new TbError(
          "E_INPUT",
          `example ${show(opts.exampleIds[idx] as string)} is answered in both ${prev} and ${file} (two runs of one task in the same folder?)`,
          { file },
        );
      }
      from.set(idx, file);
      out.set(idx, v);
    }
  }
  return out;
}
