import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CorrectnessKind, TbError } from "@tb/core";
import { describe, lineColumnAt, loc, parseJsonObject, stripBom } from "./internal.js";

/** A source/target split of model ids, as stored in `meta.json` (`split.source`, `split.target`). */
export interface MetaSplit {
  /** Model ids of the source (public) models. */
  source: string[];
  /** Model ids of the target (held-out) models. */
  target: string[];
}

/**
 * Where a matrix's example ids come from (`meta.json` key `id_provenance`, docs/DESIGN.md §3.1). Only
 * ids known to be lm-evaluation-harness doc indices can be handed to lm-eval (`tb export`):
 * `tb import lm-eval` and `tb import leaderboard` (with a `doc_id` column, or rows mapped by
 * `--doc-order`) record it; a matrix without it has ids of unknown provenance.
 */
export interface IdProvenance {
  /** The ids are lm-eval doc indices (positions in the task's evaluation split). */
  kind: "lm-eval-doc-index";
  /** The leaf tasks (never a group), sorted. */
  tasks: string[];
  /** `<doc_id>` for one task, `<task>/<doc_id>` for several. */
  form: "<doc_id>" | "<task>/<doc_id>";
}

/**
 * The parts of `<dir>/meta.json` that tailoredbench reads (docs/DESIGN.md §3.1). Every other key is kept
 * untouched in `raw`.
 */
export interface Meta {
  /** `binary` or `probability`; when present, the CSV is checked against it. */
  correctness?: CorrectnessKind;
  /** A fixed split. Only an object with `source`/`target` lists counts; a descriptive string does not. */
  split?: MetaSplit;
  /** Benchmark name. */
  benchmark?: string;
  /** Where the example ids come from; absent: unknown. */
  idProvenance?: IdProvenance;
  /** The whole parsed JSON value. */
  raw: unknown;
}

/**
 * Parse the text of a `meta.json` (see {@link readMeta}).
 *
 * @param text - The JSON text.
 * @param file - File name for error locations.
 * @throws TbError `E_INPUT` for malformed JSON (with line and column when the JSON engine gives a
 * position), a value that is not an object, a `correctness` other than `binary`/`probability`, a
 * non-string `benchmark`, or a split object whose `source`/`target` are not lists of non-empty
 * strings.
 */
export function parseMeta(text: string, file?: string): Meta {
  const raw = parseJsonObject(text, "meta.json", file);
  const body = stripBom(text);
  const obj = raw as Record<string, unknown>;
  const meta: Meta = { raw };
  const at = (key: string): number | undefined => lineOf(body, JSON.stringify(key));
  if (obj.correctness !== undefined) {
    if (obj.correctness !== "binary" && obj.correctness !== "probability") {
      throw new TbError(
        "E_INPUT",
        `meta.json: "correctness" must be "binary" or "probability", found ${JSON.stringify(obj.correctness)}`,
        loc(file, at("correctness")),
      );
    }
    meta.correctness = obj.correctness;
  }
  if (obj.benchmark !== undefined) {
    if (typeof obj.benchmark !== "string" || obj.benchmark.length === 0) {
      throw new TbError("E_INPUT", `meta.json: "benchmark" must be a non-empty string`, loc(file, at("benchmark")));
    }
    meta.benchmark = obj.benchmark;
  }
  if (obj.id_provenance !== undefined) meta.idProvenance = idProvenance(obj.id_provenance, file, at("id_provenance"));
  const split = obj.split;
  if (typeof split === "object" && split !== null && !Array.isArray(split)) {
    const s = split as Record<string, unknown>;
    if (s.source !== undefined || s.target !== undefined) {
      meta.split = { source: idList(s.source, "source", file, body), target: idList(s.target, "target", file, body) };
    }
  }
  return meta;
}

/**
 * Read `<dir>/meta.json`. Returns `undefined` when the directory has no `meta.json`.
 *
 * @param dir - A data directory (docs/DESIGN.md §3.1).
 * @returns The known keys, typed, plus the raw JSON; or `undefined`.
 * @throws TbError `E_INPUT` naming the file when it is unreadable or malformed ({@link parseMeta}).
 * @example
 * ```ts
 * const meta = readMeta("data/gsm8k");
 * meta?.split?.source.length; // 75
 * ```
 */
export function readMeta(dir: string): Meta | undefined {
  const file = join(dir, "meta.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new TbError("E_INPUT", `cannot read ${file}: ${describe(err)}`, { file });
  }
  return parseMeta(text, file);
}

/**
 * 1-based line of the first occurrence of `needle` in `text` at or after `from`, if any. Used to
 * point at a key or an id inside `meta.json` (best effort: escaped spellings are not found).
 * @internal
 */
export function lineOf(text: string, needle: string, from = 0): number | undefined {
  const i = text.indexOf(needle, from);
  return i < 0 ? undefined : lineColumnAt(text, i).line;
}

function idList(v: unknown, key: "source" | "target", file: string | undefined, text: string): string[] {
  const splitAt = text.indexOf('"split"');
  const line = lineOf(text, `"${key}"`, Math.max(splitAt, 0));
  if (!Array.isArray(v)) {
    throw new TbError(
      "E_INPUT",
      `meta.json: split.${key} must be a list of model ids (split has ${v === undefined ? "no" : "a non-list"} "${key}")`,
      loc(file, line),
    );
  }
  v.forEach((id, k) => {
    if (typeof id !== "string" || id.length === 0) {
      throw new TbError(
        "E_INPUT",
        `meta.json: split.${key}[${k}] must be a non-empty model id string, found ${JSON.stringify(id)}`,
        loc(file, line),
      );
    }
  });
  return v as string[];
}

function idProvenance(v: unknown, file: string | undefined, line: number | undefined): IdProvenance {
  const o = v as Record<string, unknown> | null;
  const bad = (msg: string): never => {
    throw new TbError("E_INPUT", `meta.json: "id_provenance" ${msg}`, loc(file, line, "id_provenance"));
  };
  if (typeof o !== "object" || o === null || Array.isArray(o)) bad("must be an object");
  if (o?.kind !== "lm-eval-doc-index") bad(`"kind" must be "lm-eval-doc-index", found ${JSON.stringify(o?.kind)}`);
  const tasks = o?.tasks;
  if (!Array.isArray(tasks) || tasks.length === 0 || !tasks.every((t) => typeof t === "string" && t.length > 0)) {
    bad(`"tasks" must be a non-empty list of leaf task names`);
  }
  const form = o?.form;
  if (form !== "<doc_id>" && form !== "<task>/<doc_id>") bad(`"form" must be "<doc_id>" or "<task>/<doc_id>"`);
  if (form === "<doc_id>" && (tasks as string[]).length !== 1) bad(`"form" "<doc_id>" needs exactly one task`);
  return { kind: "lm-eval-doc-index", tasks: [...(tasks as string[])], form: form as IdProvenance["form"] };
}
