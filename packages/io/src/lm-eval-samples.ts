/**
 * The per-sample logs of lm-evaluation-harness (`--log_samples`), in every layout the harness has
 * written since 0.4.0 (TOOLCHAIN "Formats"):
 *
 * - 0.4.0–0.4.2: `<model_args>_<task>.jsonl` beside `results.json`, holding ONE pretty-printed JSON
 *   array (despite the extension); no `filter` or `metrics` keys; a task with several filters
 *   logs every doc once per filter, filter after filter.
 * - main of May 2024 (the Open LLM Leaderboard v2 launch): `samples_<task>_<date>.json`, a JSON
 *   array until 31 May, JSON lines after.
 * - 0.4.3–0.4.6: `samples_<task>_<date>.jsonl`, JSON lines, still without `filter`/`metrics`.
 * - 0.4.7 on: the same with `filter` and `metrics` (the metric names) on every line.
 *
 * Every sample has an integer `doc_id` and its per-sample metric values as top-level keys.
 * @internal (the readers are used by `readResponses` and `importLmEval`)
 */
import { TbError } from "@tb/core";
import { describe, jsonErrorOffset, lineColumnAt, loc, show } from "./internal.js";

/** Keys of a logged sample that are not per-sample metrics. */
const NOT_METRICS = new Set([
  "doc_id",
  "doc",
  "target",
  "arguments",
  "resps",
  "filtered_resps",
  "filter",
  "metrics",
  "doc_hash",
  "prompt_hash",
  "target_hash",
  "task_name",
  "index",
]);

/** `samples_<task>_<date>.json(l)` (date as lm-eval writes it: ISO time with `-` for `:`), or `samples_<task>.json(l)`. */
const SAMPLES_NAME = /^samples_(.+?)(?:_(\d{4}-\d{2}-\d{2}T[0-9:.\-_]+))?\.jsonl?$/;

/** Does this file name look like lm-eval samples (`samples_*.json` or `samples_*.jsonl`)? */
export function isSamplesFileName(name: string): boolean {
  return SAMPLES_NAME.test(name);
}

/**
 * Task and timestamp of a `samples_<task>_<date>.json(l)` file name.
 *
 * @param name - A file base name.
 * @returns `{ task, date }` (`date` undefined for `samples_<task>.jsonl`), or `undefined`.
 */
export function parseSamplesFileName(name: string): { task: string; date: string | undefined } | undefined {
  const m = SAMPLES_NAME.exec(name);
  if (!m) return undefined;
  return { task: m[1] as string, date: m[2] };
}

/** One logged sample with the line it starts on. */
export interface LoggedSample {
  line: number;
  docId: number;
  rec: Record<string, unknown>;
}

/**
 * Parse the text of a samples file: JSON lines (one object per line) or one JSON array (compact
 * or pretty-printed). Each sample keeps the line it starts on.
 *
 * @throws TbError `E_INPUT` at the line (and column) of malformed JSON, of an element that is not
 * an object, or of a sample without an integer `doc_id` ≥ 0; for a file with no sample.
 */
export function parseSamplesText(text: string, file: string | undefined): LoggedSample[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = body.search(/\S/);
  if (start < 0) throw new TbError("E_INPUT", "empty lm-eval samples file", loc(file, 1));
  const out: LoggedSample[] = [];
  if (body[start] === "[") {
    let arr: unknown;
    try {
      arr = parsePythonJson(body);
    } catch (err) {
      const off = jsonErrorOffset(body, err);
      const at = off === undefined ? undefined : lineColumnAt(body, off);
      throw new TbError(
        "E_INPUT",
        `not a valid JSON array of samples: ${describe(err)}`,
        loc(file, at?.line, at?.column),
      );
    }
    const lines = elementLines(body, start);
    (arr as unknown[]).forEach((rec, k) => {
      out.push(checkSample(rec, lines[k] ?? 1, file));
    });
  } else {
    body.split(/\r\n|\r|\n/).forEach((t, k) => {
      if (t.trim().length === 0) return;
      let rec: unknown;
      try {
        rec = parsePythonJson(t);
      } catch (err) {
        const off = jsonErrorOffset(t, err);
        throw new TbError(
          "E_INPUT",
          `not a JSON sample: ${describe(err)}${k === 0 && t.trim() === "{" ? " (a pretty-printed object: lm-eval writes one sample per line, or one JSON array)" : ""}`,
          loc(file, k + 1, off === undefined ? undefined : off + 1),
        );
      }
      out.push(checkSample(rec, k + 1, file));
    });
  }
  if (out.length === 0) throw new TbError("E_INPUT", "empty lm-eval samples file (no sample)", loc(file, 1));
  return out;
}

function checkSample(rec: unknown, line: number, file: string | undefined): LoggedSample {
  if (typeof rec !== "object" || rec === null || Array.isArray(rec)) {
    throw new TbError("E_INPUT", "each lm-eval sample must be a JSON object", loc(file, line));
  }
  const r = rec as Record<string, unknown>;
  const docId = r.doc_id;
  if (!(typeof docId === "number" && Number.isSafeInteger(docId) && docId >= 0)) {
    throw new TbError(
      "E_INPUT",
      `sample without a valid "doc_id" (an integer ≥ 0; found ${JSON.stringify(docId) ?? "nothing"})`,
      loc(file, line, "doc_id"),
    );
  }
  return { line, docId, rec: r };
}

/**
 * `JSON.parse`, also accepting what Python's `json.dumps` writes for non-finite floats (`NaN`,
 * `Infinity`, `-Infinity`, e.g. a log-likelihood of -inf in `resps`): those tokens, outside
 * strings, are read as `null` (a metric that is null is then reported at its line).
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
    let out = "";
    let last = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "N" && text.startsWith("NaN", i)) {
        out += `${text.slice(last, i)}null`;
        i += 2;
        last = i + 1;
      } else if (c === "I" && text.startsWith("Infinity", i)) {
        const minus = text[i - 1] === "-" ? 1 : 0;
        out += `${text.slice(last, i - minus)}null`;
        i += 7;
        last = i + 1;
      }
    }
    try {
      return JSON.parse(out + text.slice(last));
    } catch {
      throw err;
    }
  }
}

/** 1-based line of each top-level element of the JSON array starting at `start` (valid JSON). */
function elementLines(body: string, start: number): number[] {
  const lines: number[] = [];
  let line = lineColumnAt(body, start).line;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = start; i < body.length; i++) {
    const c = body[i] as string;
    if (c === "\n") {
      line++;
      continue;
    }
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") continue;
    if (depth === 1 && expectElement && c !== "]") {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 1) expectElement = true;
  }
  return lines;
}

/** Which metric to read: one name for every task, and/or one per task (`task=metric`). */
export interface MetricChoice {
  all: string | undefined;
  byTask: Map<string, string>;
}

/**
 * Parse a metric option: `acc`, or `task=metric` pairs separated by commas (`tb import
 * --metric` may also be repeated: the values are joined with commas), or a name for every other
 * task plus pairs (`acc,theory_of_mind=exact_match`).
 *
 * @throws TbError `E_USAGE` for an empty name, two names for every task, or a task named twice.
 */
export function parseMetricChoice(v: string | undefined, what = "metric"): MetricChoice {
  const out: MetricChoice = { all: undefined, byTask: new Map() };
  if (v === undefined) return out;
  for (const part of v.split(",")) {
    const p = part.trim();
    const eq = p.indexOf("=");
    if (eq < 0) {
      if (p.length === 0) throw new TbError("E_USAGE", `${what} option ${show(v)}: an empty ${what} name`);
      if (out.all !== undefined && out.all !== p) {
        throw new TbError(
          "E_USAGE",
          `${what} option ${show(v)} names two ${what}s for every task (${out.all}, ${p}); use task=${what} pairs for different tasks`,
        );
      }
      out.all = p;
    } else {
      const task = p.slice(0, eq).trim();
      const name = p.slice(eq + 1).trim();
      if (task.length === 0 || name.length === 0) {
        throw new TbError("E_USAGE", `${what} option ${show(v)}: ${show(p)} is not task=${what}`);
      }
      const prev = out.byTask.get(task);
      if (prev !== undefined && prev !== name) {
        throw new TbError("E_USAGE", `${what} option ${show(v)} names two ${what}s for task ${show(task)}`);
      }
      out.byTask.set(task, name);
    }
  }
  return out;
}

/** The metric named for `task`, if any. */
export function metricFor(choice: MetricChoice, task: string | undefined): string | undefined {
  return (task === undefined ? undefined : choice.byTask.get(task)) ?? choice.all;
}

/**
 * Refuse `task=metric` pairs whose task was not read (a typo would otherwise be ignored).
 *
 * @param choice - The parsed metric option.
 * @param tasks - The tasks read.
 */
export function checkMetricTasks(choice: MetricChoice, tasks: readonly string[], what = "metric"): void {
  for (const t of choice.byTask.keys()) {
    if (!tasks.includes(t)) {
      throw new TbError(
        "E_USAGE",
        `the ${what} option names task ${show(t)}, which was not read (tasks: ${tasks.join(", ")})`,
      );
    }
  }
}

/** What {@link readSamplesTable} needs besides the text. */
export interface SamplesTableOptions {
  /** File name, for messages. */
  file?: string;
  /** Leaf task (for `task=metric` pairs and messages). */
  task?: string;
  /** Metric option (see {@link parseMetricChoice}). */
  metric?: string;
  /** Filter option: a name, or `#k` for the k-th filter block (1-based); or `task=filter` pairs. */
  filter?: string;
  /** Names of the task's filters in the order lm-eval applied them (from its results file), if known. */
  filterNames?: readonly string[];
}

/** One file's answers. */
export interface SamplesTable {
  /** The filter read. */
  filter: string;
  /** The metric read. */
  metric: string;
  /** doc id → value in [0,1], in file order. */
  values: Map<number, number>;
  /** doc id → line of its sample. */
  lines: Map<number, number>;
}

/**
 * Read one samples file: split it by filter, choose the filter and the metric, and return
 * doc id → value.
 *
 * Filters: a `filter` key names each sample's filter (0.4.7 on). Without it (0.4.0–0.4.6) a task
 * with several filters logs each doc once per filter, in the order the filters are applied (in
 * a multi-GPU run each rank's block in turn, so the k-th occurrence of a doc is always the k-th
 * filter): the blocks are told apart that way and named from `filterNames` (the results file's
 * `filter_list`) when it has as many names, else `#1`, `#2`, … . `filter` picks a name or `#k`.
 *
 * Metric: the option's name for this task, else the one candidate: a key listed in `metrics` (or,
 * without that key, any key that is not part of the sample's record) whose value is a number or a
 * boolean in [0,1] on every sample read.
 *
 * @throws TbError `E_USAGE` when the filter or metric is ambiguous or absent (naming the
 * candidates); `E_INPUT` with the line and key for a missing or bad value, a doc twice in one
 * filter, or docs logged a different number of times.
 */
export function readSamplesTable(text: string, opts: SamplesTableOptions): SamplesTable {
  const file = opts.file;
  const where = file ?? "the samples";
  const samples = parseSamplesText(text, file);
  // split by filter
  const blocks = new Map<string, LoggedSample[]>();
  const keyed = samples.some((s) => typeof s.rec.filter === "string");
  if (keyed) {
    for (const s of samples) {
      const f = s.rec.filter;
      if (typeof f !== "string") {
        throw new TbError(
          "E_INPUT",
          `sample doc_id ${s.docId} has no "filter" while others do`,
          loc(file, s.line, "filter"),
        );
      }
      let b = blocks.get(f);
      if (b === undefined) blocks.set(f, (b = []));
      b.push(s);
    }
  } else {
    const seen = new Map<number, number>();
    const byOccurrence: LoggedSample[][] = [];
    for (const s of samples) {
      const k = seen.get(s.docId) ?? 0;
      seen.set(s.docId, k + 1);
      (byOccurrence[k] ??= []).push(s);
    }
    const n = byOccurrence.length;
    if (n > 1 && opts.filterNames !== undefined && opts.filterNames.length !== n) {
      const once = new Set<number>();
      const dup = samples.find((x) => once.size === once.add(x.docId).size) as LoggedSample;
      throw new TbError(
        "E_INPUT",
        `doc_id ${dup.docId} is logged ${n} times, but the results file lists ${opts.filterNames.length} filter(s) for this task (${opts.filterNames.join(", ")}): two runs in one file?`,
        loc(file, dup.line, "doc_id"),
      );
    }
    if (n > 1) {
      for (const [doc, count] of seen) {
        if (count !== n) {
          const first = samples.find((s) => s.docId === doc) as LoggedSample;
          throw new TbError(
            "E_INPUT",
            `doc_id ${doc} is logged ${count} time(s) but others ${n} times: without a "filter" key every doc is logged once per filter, so the file is incomplete or holds two runs`,
            loc(file, first.line, "doc_id"),
          );
        }
      }
    }
    const names =
      n === 1 ? [opts.filterNames?.length === 1 ? (opts.filterNames[0] as string) : "none"] : opts.filterNames;
    byOccurrence.forEach((b, k) => {
      blocks.set(names !== undefined && names.length === n ? (names[k] as string) : `#${k + 1}`, b);
    });
  }
  const names = [...blocks.keys()];
  let filter = metricFor(parseMetricChoice(opts.filter, "filter"), opts.task);
  if (filter === undefined) {
    if (names.length > 1) {
      const second = (blocks.get(names[1] as string) as LoggedSample[])[0] as LoggedSample;
      throw new TbError(
        "E_USAGE",
        `${where} logs several filters (${names.join(", ")})${keyed ? "" : ', told apart by the order in which each doc repeats (no "filter" key: lm-eval before 0.4.7)'}; choose one with the filter option${opts.task === undefined ? "" : ` (e.g. ${opts.task}=${names[0]})`}`,
        loc(file, second.line, keyed ? "filter" : "doc_id"),
      );
    }
    filter = names[0] as string;
  } else if (!blocks.has(filter)) {
    const byPos = /^#(\d+)$/.exec(filter);
    const k = byPos ? Number(byPos[1]) : 0;
    if (byPos && !keyed && k >= 1 && k <= names.length) filter = names[k - 1] as string;
    else {
      throw new TbError(
        "E_USAGE",
        `filter ${show(filter)} does not occur in ${where} (filters: ${names.join(", ")}${keyed ? "" : `; or #1…#${names.length} by position`})`,
        loc(file, undefined, "filter"),
      );
    }
  }
  const chosen = blocks.get(filter) as LoggedSample[];
  const choice = parseMetricChoice(opts.metric);
  let metric = metricFor(choice, opts.task);
  if (metric === undefined) {
    const first = chosen[0] as LoggedSample;
    const listed = Array.isArray(first.rec.metrics)
      ? first.rec.metrics.filter((m): m is string => typeof m === "string")
      : Object.keys(first.rec).filter((k) => !NOT_METRICS.has(k));
    const candidates = listed.filter((k) => chosen.every((s) => unitValue(s.rec[k]) !== undefined));
    if (candidates.length !== 1) {
      const others = listed.filter((k) => !candidates.includes(k) && typeof first.rec[k] === "number");
      throw new TbError(
        "E_USAGE",
        candidates.length === 0
          ? `no per-sample metric in [0,1] in ${where}${others.length > 0 ? ` (${others.join(", ")} are numbers outside [0,1] on some sample)` : ""}; pass the metric option (e.g. acc, exact_match)`
          : `${where} has several per-sample metrics in [0,1] (${candidates.join(", ")}); choose one with the metric option${opts.task === undefined ? "" : ` (e.g. ${opts.task}=${candidates[0]})`}`,
        loc(file, first.line, candidates[0]),
      );
    }
    metric = candidates[0] as string;
  }
  const values = new Map<number, number>();
  const lines = new Map<number, number>();
  for (const s of chosen) {
    // own keys only: a metric named like an inherited member (toString) is absent, not a function
    const raw = Object.hasOwn(s.rec, metric) ? s.rec[metric] : undefined;
    if (raw === undefined) {
      throw new TbError(
        "E_INPUT",
        `sample doc_id ${s.docId} has no metric ${show(metric)}${Array.isArray(s.rec.metrics) ? ` (it has ${s.rec.metrics.join(", ")})` : ""}`,
        loc(file, s.line, metric),
      );
    }
    const v = typeof raw === "boolean" ? (raw ? 1 : 0) : raw;
    if (typeof v !== "number") {
      throw new TbError(
        "E_INPUT",
        `metric ${show(metric)} of doc_id ${s.docId} is not a number (found ${raw === null ? "null, or NaN/Infinity written by Python" : show(JSON.stringify(raw))})`,
        loc(file, s.line, metric),
      );
    }
    if (!(v >= 0 && v <= 1)) {
      throw new TbError(
        "E_INPUT",
        `metric ${show(metric)} of doc_id ${s.docId} is ${v}, outside [0,1]`,
        loc(file, s.line, metric),
      );
    }
    const prev = lines.get(s.docId);
    if (prev !== undefined) {
      throw new TbError(
        "E_INPUT",
        `doc_id ${s.docId} appears twice for filter ${show(filter)} (first on line ${prev})`,
        loc(file, s.line, "doc_id"),
      );
    }
    lines.set(s.docId, s.line);
    values.set(s.docId, v === 0 ? 0 : v);
  }
  return { filter, metric, values, lines };
}

function unitValue(v: unknown): number | undefined {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && v >= 0 && v <= 1) return v;
  return undefined;
}

/** What an lm-eval results file tells about its samples files. */
export interface LmEvalResultsInfo {
  /** The results file read. */
  file: string;
  /** `config.model_args` (0.4.0–0.4.2 name samples files `<model_args with / and = as __>_<task>.jsonl`). */
  modelArgs: string | undefined;
  /** Leaf tasks of `configs`, with their filter names in order (`filter_list`; `none` without one). */
  filters: Map<string, string[]>;
}

/**
 * The task of a 0.4.0–0.4.2 samples file `<model_args>_<task>.jsonl`, from its folder's results
 * file: the name minus the model_args prefix as the harness wrote it, or else the longest task of
 * the results file that the name ends with.
 */
export function taskOfModelArgsFile(name: string, results: LmEvalResultsInfo | undefined): string | undefined {
  if (results === undefined || !name.endsWith(".jsonl")) return undefined;
  const stem = name.slice(0, -".jsonl".length);
  if (results.modelArgs !== undefined) {
    const prefix = `${results.modelArgs.replace(/[/=]/g, "__")}_`;
    if (stem.startsWith(prefix)) {
      const t = stem.slice(prefix.length);
      if (results.filters.size === 0 || results.filters.has(t)) return t;
    }
  }
  const tasks = [...results.filters.keys()].filter((t) => stem.endsWith(`_${t}`)).sort((a, b) => b.length - a.length);
  return tasks[0];
}
