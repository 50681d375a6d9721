import { createHash } from "node:crypto";
import { type CorrectnessMatrix, TbError } from "@tb/core";
import { formatCorrectnessCsv } from "./correctness-csv.js";
import { lineColumnAt, loc, parseJsonObject, readText, show } from "./internal.js";
import type { IdProvenance } from "./meta.js";
import { type DocOrder, lmEvalV03Permutation } from "./python-random.js";

/**
 * Version of the files between the phases of the two-phase workflow (`probe.json`, `plan.json`,
 * `tb estimate --json`; DESIGN §3.2). Readers refuse any other version.
 */
export const WORKFLOW_SPEC_VERSION = 1;

/** The source matrix a probe or plan was made for (DESIGN §3.2). */
export interface SourceRef {
  /** Number of source models (rows). */
  models: number;
  /** Number of examples (columns). */
  examples: number;
  /** sha256 (hex) of the matrix's canonical CSV text ({@link matrixSha256}). */
  sha256: string;
}

/** Options the phases share and that must not change between them. */
export interface WorkflowOptions {
  /** Distance for the G-set, model distances and the N-set. */
  metric: "manhattan" | "euclidean" | "cosine" | "correlation";
  /** Standardise embeddings (ALGORITHMS §3). */
  standardize: boolean;
}

/** `probe.json` (DESIGN §3.2): the G-set, the seed and the source matrix it was drawn from. */
export interface ProbeFile {
  specVersion: 1;
  kind: "tailoredbench/probe";
  /** The base seed; the G-set came from `RandomStream.derive(seed).child("gset")`. */
  seed: number;
  /** G-set example ids, in ascending column order. */
  gset: string[];
  options: WorkflowOptions;
  source: SourceRef;
}

/**
 * `plan.json` (DESIGN §3.2): one target's native sources and N-set, and everything
 * `tb estimate` needs to give the same number as the library API.
 */
export interface PlanFile {
  specVersion: 1;
  kind: "tailoredbench/plan";
  /** Name of the target (from its responses file). */
  target: string;
  /** The base seed; this target's N-set came from `RandomStream.derive(seed).child("nset", targetIndex)`. */
  seed: number;
  /** Position of the target in the batch it was tailored in (0 in single-target mode). */
  targetIndex: number;
  /** `single`: natives from the sources plus this target; `joint`: plus every target of the batch. */
  pooling: "single" | "joint";
  /** N: distinct examples the target is evaluated on (G-set included). */
  budget: number;
  /** G-set example ids, ascending. */
  gset: string[];
  /** Medoid list: the G-set ascending, then the `budget − g` extra medoids (ALGORITHMS §3 step 5). */
  nset: string[];
  /** `nset` minus the G-set: what is left to evaluate. */
  toEvaluate: string[];
  /** Model ids of the native sources, in source row order. */
  nativeSources: string[];
  /** For every example (column order), the slot in `nset` of its cluster (ALGORITHMS §2.5). */
  labels: number[];
  /** The target's answers on the G-set, by example id. */
  gAnswers: Record<string, number>;
  /** Native threshold d̄ and native-set size n̄ of the batch (0 in tailored-plus's beyond mode). */
  dBar: number;
  nBar: number;
  options: WorkflowOptions;
  source: SourceRef;
  /** The estimator the plan is for; absent in files of earlier versions, which mean `"tailored"`. */
  method?: "tailored" | "tailored-plus";
  /**
   * tailored-plus: `"within"` (an N-set of medoids, as TailoredBench) or `"beyond"` (a stratified
   * random sample; `nativeSources` and `labels` are empty and `strata` gives the design).
   */
  mode?: "within" | "beyond";
  /** tailored-plus, beyond mode: the number of difficulty strata of the design. */
  strata?: number;
  /** tailored-plus: the target's G-set score is above (below) every source's. */
  outOfRange?: "above" | "below" | null;
}

/**
 * sha256 (hex) of a matrix's canonical CSV text ({@link formatCorrectnessCsv}: LF line breaks,
 * shortest exact numbers, minimal quoting). Two files that parse to the same matrix (same ids,
 * same values, same row and column order) get the same hash, whatever their line breaks, BOM or
 * quoting (DESIGN §3.2).
 *
 * @param matrix - The source matrix.
 * @returns 64 lowercase hex digits.
 */
export function matrixSha256(matrix: CorrectnessMatrix): string {
  return createHash("sha256").update(formatCorrectnessCsv(matrix), "utf8").digest("hex");
}

/**
 * The {@link SourceRef} of a matrix: its size and {@link matrixSha256}.
 *
 * @param matrix - The source matrix.
 */
export function sourceRef(matrix: CorrectnessMatrix): SourceRef {
  return { models: matrix.rows, examples: matrix.cols, sha256: matrixSha256(matrix) };
}

/**
 * Refuse a probe or plan made for another source matrix (DESIGN §3.2): `E_INPUT` naming the file
 * and the line of its `sha256` when the hash (or the size) differs.
 *
 * @param ref - The `source` of the probe or plan.
 * @param matrix - The matrix given now.
 * @param file - The probe or plan file, for the message.
 * @param text - Its text, to locate the `sha256` key (optional).
 */
export function checkSource(ref: SourceRef, matrix: CorrectnessMatrix, file?: string, text?: string): void {
  const now = sourceRef(matrix);
  if (ref.sha256 !== now.sha256) {
    throw new TbError(
      "E_INPUT",
      `${file ?? "the file"} was made for another source matrix (sha256 ${ref.sha256.slice(0, 12)}…, ${ref.models} models × ${ref.examples} examples); ` +
        `the matrix given has sha256 ${now.sha256.slice(0, 12)}… (${now.models} × ${now.examples}). Use the same --source as for \`tb probe\``,
      loc(file, text === undefined ? undefined : keyLine(text, "sha256")),
    );
  }
}

/**
 * Example ids → column indices of `matrix`, refusing an id that is not a column
 * (`E_UNKNOWN_ID`, naming the file, the line of `field` and the id).
 *
 * @param ids - Example ids.
 * @param matrix - The source matrix.
 * @param field - The JSON key the ids came from, for the message.
 * @param file - File name for the location.
 * @param text - File text, to find the line of the id.
 */
export function resolveExampleIds(
  ids: readonly string[],
  matrix: CorrectnessMatrix,
  field: string,
  file?: string,
  text?: string,
): Int32Array {
  return resolveIds(ids, matrix.exampleIds, "example", "is not a column of the source matrix", field, file, text);
}

/**
 * Model ids → row indices of `matrix` (`E_UNKNOWN_ID` with the file and line for an unknown id).
 *
 * @param ids - Model ids.
 * @param matrix - The source matrix.
 * @param field - The JSON key the ids came from, for the message.
 * @param file - File name for the location.
 * @param text - File text, to find the line of the id.
 */
export function resolveModelIds(
  ids: readonly string[],
  matrix: CorrectnessMatrix,
  field: string,
  file?: string,
  text?: string,
): Int32Array {
  return resolveIds(ids, matrix.modelIds, "model", "is not a row of the source matrix", field, file, text);
}

/** Shared body of {@link resolveExampleIds} and {@link resolveModelIds}. */
function resolveIds(
  ids: readonly string[],
  known: readonly string[],
  what: string,
  missing: string,
  field: string,
  file?: string,
  text?: string,
): Int32Array {
  const map = indexOf(known);
  const out = new Int32Array(ids.length);
  ids.forEach((id, k) => {
    const j = map.get(id);
    if (j === undefined) {
      throw new TbError(
        "E_UNKNOWN_ID",
        `${field}[${k}]: ${what} id ${show(id)} ${missing}`,
        loc(file, text === undefined ? undefined : idLine(text, field, id)),
      );
    }
    out[k] = j;
  });
  return out;
}

/**
 * Render a probe or plan as JSON text: two-space indentation, but arrays of numbers or strings
 * on one line (so `labels` stays one line), and a trailing newline.
 *
 * @param value - A {@link ProbeFile}, {@link PlanFile} or any JSON value.
 */
export function formatWorkflowJson(value: unknown): string {
  return `${render(value, "")}\n`;
}

function render(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== "object")) return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
    const inner = `${indent}  `;
    return `[\n${v.map((x) => inner + render(x, inner)).join(",\n")}\n${indent}]`;
  }
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${render(x, inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/**
 * Parse and validate `probe.json` (DESIGN §3.2). Every problem is `E_INPUT` with the file and the
 * line (and, for malformed JSON, the column): not JSON, not an object, a `specVersion` other than
 * {@link WORKFLOW_SPEC_VERSION}, a `kind` other than `tailoredbench/probe` (e.g. a plan given as
 * probe), a missing or mistyped field, an empty or repeated G-set id.
 *
 * @param text - The file content.
 * @param file - File name for messages.
 */
export function parseProbeFile(text: string, file?: string): ProbeFile {
  const v = new Validator(text, file, "probe");
  const o = v.root("tailoredbench/probe");
  const gset = v.ids(o, "gset", true);
  return {
    specVersion: 1,
    kind: "tailoredbench/probe",
    seed: v.int(o, "seed", 0),
    gset,
    options: v.options(o),
    source: v.source(o),
  };
}

/** Read and validate `probe.json` ({@link parseProbeFile}). */
export function readProbeFile(path: string): { probe: ProbeFile; text: string } {
  const text = readText(path, "probe file");
  return { probe: parseProbeFile(text, path), text };
}

/**
 * Parse and validate `plan.json` (DESIGN §3.2); see {@link parseProbeFile} for the common checks.
 * Also refused: a budget that is not larger than the G-set, an `nset` that does not start with the
 * G-set or whose length is not the budget, a `toEvaluate` other than `nset` minus the G-set, an
 * empty native set, a label outside `[0, budget)`, `gAnswers` outside [0,1] or for an example not
 * in the G-set.
 *
 * @param text - The file content.
 * @param file - File name for messages.
 */
export function parsePlanFile(text: string, file?: string): PlanFile {
  const v = new Validator(text, file, "plan");
  const o = v.root("tailoredbench/plan");
  const gset = v.ids(o, "gset", true);
  const nset = v.ids(o, "nset", true);
  const toEvaluate = v.ids(o, "toEvaluate", true);
  const method = "method" in o ? v.oneOf(o, "method", ["tailored", "tailored-plus"] as const) : "tailored";
  const mode = method === "tailored-plus" ? v.oneOf(o, "mode", ["within", "beyond"] as const) : undefined;
  const beyond = mode === "beyond";
  const nativeSources = beyond ? v.idsOrEmpty(o, "nativeSources") : v.ids(o, "nativeSources", true);
  const budget = v.int(o, "budget", 1);
  const g = gset.length;
  if (!(budget > g)) v.fail("budget", `budget ${budget} must be larger than the G-set (${g} examples)`);
  if (nset.length !== budget) v.fail("nset", `nset has ${nset.length} examples but budget is ${budget}`);
  for (let k = 0; k < g; k++) {
    if (nset[k] !== gset[k]) v.fail("nset", "nset must start with the G-set, in the same order");
  }
  const rest = nset.slice(g);
  if (toEvaluate.length !== rest.length || toEvaluate.some((id, k) => id !== rest[k])) {
    v.fail("toEvaluate", "toEvaluate must be nset without the G-set, in the same order");
  }
  const labels = v.intList(o, "labels", 0, budget - 1);
  const gAnswers = v.answers(o, "gAnswers", new Set(gset));
  const pooling = v.oneOf(o, "pooling", ["single", "joint"] as const);
  const target = v.string(o, "target");
  const source = v.source(o);
  if (beyond ? labels.length !== 0 : labels.length !== source.examples) {
    v.fail(
      "labels",
      beyond
        ? "labels must be empty in the beyond mode (the strata come from the source matrix)"
        : `labels has ${labels.length} entries but the source matrix has ${source.examples} examples`,
    );
  }
  const extra: Pick<PlanFile, "method" | "mode" | "strata" | "outOfRange"> = {};
  if ("method" in o) extra.method = method;
  if (mode !== undefined) extra.mode = mode;
  if (beyond) {
    extra.strata = v.int(o, "strata", 1);
    if (extra.strata > toEvaluate.length) {
      v.fail("strata", `strata ${extra.strata} is more than the ${toEvaluate.length} examples drawn (toEvaluate)`);
    }
  }
  if (method === "tailored-plus" && "outOfRange" in o) {
    const r = o.outOfRange;
    if (!(r === null || r === "above" || r === "below"))
      v.fail("outOfRange", `"outOfRange" must be "above", "below" or null`);
    extra.outOfRange = r as "above" | "below" | null;
  }
  return {
    specVersion: 1,
    kind: "tailoredbench/plan",
    target,
    seed: v.int(o, "seed", 0),
    targetIndex: v.int(o, "targetIndex", 0),
    pooling,
    budget,
    gset,
    nset,
    toEvaluate,
    nativeSources,
    labels,
    gAnswers,
    dBar: v.number(o, "dBar"),
    nBar: v.int(o, "nBar", beyond ? 0 : 1),
    options: v.options(o),
    source,
    ...extra,
  };
}

/** Read and validate `plan.json` ({@link parsePlanFile}). */
export function readPlanFile(path: string): { plan: PlanFile; text: string } {
  const text = readText(path, "plan file");
  return { plan: parsePlanFile(text, path), text };
}

/**
 * The JSON for lm-evaluation-harness's `--samples` option (since v0.4.9; TOOLCHAIN "Formats"):
 * leaf task → sorted, unique doc indices. An example id `<task>/<doc_id>` (group tasks such as
 * mmlu, as written by `tb import lm-eval`) goes to its own task; a plain integer id goes to
 * `task`.
 *
 * @param ids - Example ids to evaluate.
 * @param task - The leaf task of plain integer ids.
 * @returns `{ task: [doc indices ascending] }`, tasks in sorted order.
 * @throws TbError `E_USAGE` when plain ids need `task` and it is missing; `E_INPUT` for an id that
 * is neither a non-negative integer nor `<task>/<integer>`.
 */
export function lmEvalSamplesSpec(ids: readonly string[], task?: string): Record<string, number[]> {
  const byTask = new Map<string, Set<number>>();
  for (const id of ids) {
    let t: string | undefined;
    let doc: string;
    const m = /^(.+)\/(\d+)$/.exec(id);
    if (m) {
      t = m[1] as string;
      doc = m[2] as string;
    } else if (/^\d+$/.test(id)) {
      if (task === undefined) {
        throw new TbError(
          "E_USAGE",
          `example id ${show(id)} is a plain doc index: pass the lm-eval task it belongs to (--task, e.g. gsm8k)`,
        );
      }
      t = task;
      doc = id;
    } else {
      throw new TbError(
        "E_INPUT",
        `example id ${show(id)} is not an lm-eval doc index (expected <doc_id> or <task>/<doc_id>)`,
      );
    }
    const n = Number(doc);
    if (!Number.isSafeInteger(n)) throw new TbError("E_INPUT", `example id ${show(id)}: doc index out of range`);
    let set = byTask.get(t);
    if (set === undefined) byTask.set(t, (set = new Set()));
    set.add(n);
  }
  const out: Record<string, number[]> = {};
  for (const t of [...byTask.keys()].sort()) out[t] = [...(byTask.get(t) as Set<number>)].sort((a, b) => a - b);
  return out;
}

/** Options of {@link lmEvalSamplesFor}. */
export interface LmEvalSamplesOptions {
  /** Where the matrix's example ids come from (its `meta.json`), if known. */
  provenance?: IdProvenance;
  /** The matrix's columns are in this visit order (column k = doc `perm[k]`). */
  docOrder?: DocOrder;
  /** The leaf task of plain ids (with `docOrder`; checked against `provenance`). */
  task?: string;
  /** Number of columns of the matrix (the probe's or plan's `source.examples`). */
  examples: number;
  /** The probe or plan file, for messages. */
  file?: string;
}

/**
 * The lm-eval `--samples` map for example ids whose provenance is known: ids recorded as lm-eval
 * doc indices (`provenance`, from `meta.json`), or column numbers of a matrix in lm-eval v0.3's
 * visit order (`docOrder`, mapped to doc `perm[k]`). Tasks are leaves, never a group.
 *
 * @returns `{ leaf task: [doc indices ascending] }`, tasks sorted.
 * @throws TbError `E_USAGE` when the provenance is unknown (naming the two fixes), when both are
 * given, when `task` is missing with `docOrder` or contradicts the provenance; `E_INPUT` for an
 * id that does not fit (not a column number below `examples`, a task the matrix lacks).
 */
export function lmEvalSamplesFor(ids: readonly string[], o: LmEvalSamplesOptions): Record<string, number[]> {
  const where = loc(o.file);
  if (o.docOrder === "identity") {
    if (o.provenance === undefined) return lmEvalSamplesSpec(ids, o.task);
  } else if (o.docOrder !== undefined && o.provenance !== undefined) {
    throw new TbError(
      "E_USAGE",
      `the source matrix's ids are already lm-eval doc indices (meta.json id_provenance); leave --doc-order out`,
      where,
    );
  }
  if (o.docOrder === "lm-eval-v0.3") {
    if (o.task === undefined) {
      throw new TbError(
        "E_USAGE",
        `--doc-order ${o.docOrder} needs the lm-eval task of the matrix (--task, e.g. gsm8k)`,
      );
    }
    const perm = lmEvalV03Permutation(o.examples);
    const docs = ids.map((id) => {
      const k = /^\d+$/.test(id) ? Number(id) : Number.NaN;
      if (!(k < o.examples)) {
        throw new TbError(
          "E_INPUT",
          `example id ${show(id)} is not a column number below ${o.examples}: --doc-order maps column k of a matrix in lm-eval v0.3's visit order to its doc, so the ids must be 0..${o.examples - 1}`,
          where,
        );
      }
      return String(perm[k]);
    });
    return lmEvalSamplesSpec(docs, o.task);
  }
  const p = o.provenance;
  if (p === undefined) {
    throw new TbError(
      "E_USAGE",
      `the example ids of ${o.file ?? "the probe/plan"} are not known to be lm-eval doc indices, and lm-eval would run other questions than the matrix's columns. ` +
        "Give --source <dir> of a matrix made by tb import lm-eval or tb import leaderboard (its meta.json records id_provenance), " +
        "or --doc-order lm-eval-v0.3 --task <task> for a matrix whose columns are in lm-eval v0.3's visit order (Open LLM Leaderboard v1 data such as the TailoredBench GSM8K matrix); " +
        "--doc-order identity declares that the ids are doc indices (a matrix you built yourself)",
      where,
    );
  }
  if (p.form === "<doc_id>") {
    const leaf = p.tasks[0] as string;
    // lighteval names lm-eval v0.3 tasks harness_<task>_<shots> (Open LLM Leaderboard v1): --task gives today's name
    if (o.task !== undefined && o.task !== leaf && !/^harness[_|]/.test(leaf)) {
      throw new TbError(
        "E_USAGE",
        `--task ${o.task} contradicts the source matrix, whose ids are doc indices of task ${show(leaf)} (meta.json id_provenance); leave --task out`,
      );
    }
    for (const id of ids) {
      if (!/^\d+$/.test(id)) throw new TbError("E_INPUT", `example id ${show(id)} is not a doc index`, where);
    }
    return lmEvalSamplesSpec(ids, o.task ?? leaf);
  }
  if (o.task !== undefined) {
    throw new TbError(
      "E_USAGE",
      `--task applies to plain doc indices; the source matrix's ids are <task>/<doc_id> of its leaf tasks (${p.tasks.join(", ")}); leave --task out`,
    );
  }
  const spec = lmEvalSamplesSpec(ids);
  for (const t of Object.keys(spec)) {
    if (!p.tasks.includes(t)) {
      throw new TbError(
        "E_INPUT",
        `example ids of task ${show(t)}, which is not one of the matrix's leaf tasks (${p.tasks.join(", ")})`,
        where,
      );
    }
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------

function indexOf(ids: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  ids.forEach((id, i) => {
    m.set(id, i);
  });
  return m;
}

/** 1-based line of the first `"key":` in a JSON text, if found. */
function keyLine(text: string, key: string): number | undefined {
  const re = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`);
  const m = re.exec(text);
  return m ? lineColumnAt(text, m.index).line : undefined;
}

/** Line of `id` inside the value of `field` (best effort), else the field's line. */
function idLine(text: string, field: string, id: string): number | undefined {
  const re = new RegExp(`${JSON.stringify(field).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`);
  const m = re.exec(text);
  if (!m) return undefined;
  const at = text.indexOf(JSON.stringify(id), m.index);
  return lineColumnAt(text, at < 0 ? m.index : at).line;
}

type Obj = Record<string, unknown>;

/** Field-by-field validation of a parsed probe or plan, with the line of each key in messages. */
class Validator {
  constructor(
    private readonly text: string,
    private readonly file: string | undefined,
    private readonly what: "probe" | "plan",
  ) {}

  fail(key: string | undefined, msg: string): never {
    throw new TbError(
      "E_INPUT",
      `${this.what} file: ${msg}`,
      loc(this.file, key === undefined ? undefined : keyLine(this.text, key)),
    );
  }

  root(kind: string): Obj {
    const o = parseJsonObject(this.text, `${this.what} file`, this.file) as Obj;
    if (o.specVersion === undefined) this.fail(undefined, `no "specVersion" (expected ${WORKFLOW_SPEC_VERSION})`);
    if (o.specVersion !== WORKFLOW_SPEC_VERSION) {
      this.fail(
        "specVersion",
        `specVersion ${JSON.stringify(o.specVersion)} is not supported (this tb reads ${WORKFLOW_SPEC_VERSION}); redo this phase with this version of tb`,
      );
    }
    if (o.kind !== kind) {
      const hint =
        o.kind === "tailoredbench/plan" || o.kind === "tailoredbench/probe"
          ? ` (this is a ${String(o.kind).slice("tailoredbench/".length)} file)`
          : "";
      this.fail("kind", `"kind" must be "${kind}", found ${JSON.stringify(o.kind) ?? "nothing"}${hint}`);
    }
    return o;
  }

  private need(o: Obj, key: string): unknown {
    if (!(key in o) || o[key] === undefined) this.fail(undefined, `missing field "${key}"`);
    return o[key];
  }

  int(o: Obj, key: string, min: number): number {
    const x = this.need(o, key);
    if (!(typeof x === "number" && Number.isSafeInteger(x) && x >= min)) {
      this.fail(key, `"${key}" must be an integer ≥ ${min}, found ${JSON.stringify(x)}`);
    }
    return x;
  }

  number(o: Obj, key: string): number {
    const x = this.need(o, key);
    if (!(typeof x === "number" && Number.isFinite(x))) {
      this.fail(key, `"${key}" must be a finite number, found ${JSON.stringify(x)}`);
    }
    return x;
  }

  string(o: Obj, key: string): string {
    const x = this.need(o, key);
    if (!(typeof x === "string" && x.length > 0)) this.fail(key, `"${key}" must be a non-empty string`);
    return x;
  }

  oneOf<T extends string>(o: Obj, key: string, allowed: readonly T[]): T {
    const x = this.need(o, key);
    if (!(allowed as readonly unknown[]).includes(x)) {
      this.fail(key, `"${key}" must be one of ${allowed.join(", ")}, found ${JSON.stringify(x)}`);
    }
    return x as T;
  }

  ids(o: Obj, key: string, unique: boolean): string[] {
    const x = this.need(o, key);
    if (!Array.isArray(x) || x.length === 0) this.fail(key, `"${key}" must be a non-empty list of ids`);
    const seen = new Set<string>();
    (x as unknown[]).forEach((id, k) => {
      if (typeof id !== "string" || id.length === 0) {
        this.fail(key, `${key}[${k}] must be a non-empty id string, found ${JSON.stringify(id)}`);
      }
      if (unique && seen.has(id)) this.fail(key, `${key} lists ${show(id)} twice`);
      seen.add(id);
    });
    return x as string[];
  }

  idsOrEmpty(o: Obj, key: string): string[] {
    const x = this.need(o, key);
    if (Array.isArray(x) && x.length === 0) return [];
    return this.ids(o, key, true);
  }

  intList(o: Obj, key: string, min: number, max: number): number[] {
    const x = this.need(o, key);
    if (!Array.isArray(x)) this.fail(key, `"${key}" must be a list of integers`);
    (x as unknown[]).forEach((v, k) => {
      if (!(typeof v === "number" && Number.isInteger(v) && v >= min && v <= max)) {
        this.fail(key, `${key}[${k}] must be an integer in [${min}, ${max}], found ${JSON.stringify(v)}`);
      }
    });
    return x as number[];
  }

  answers(o: Obj, key: string, allowed: Set<string>): Record<string, number> {
    const x = this.need(o, key);
    if (typeof x !== "object" || x === null || Array.isArray(x)) {
      this.fail(key, `"${key}" must be an object {"<example id>": value}`);
    }
    const out: Record<string, number> = {};
    for (const [id, v] of Object.entries(x as Obj)) {
      if (!allowed.has(id)) this.fail(key, `${key} answers ${show(id)}, which is not in the G-set`);
      if (!(typeof v === "number" && v >= 0 && v <= 1)) {
        this.fail(key, `${key}[${show(id)}] must be a number in [0,1], found ${JSON.stringify(v)}`);
      }
      out[id] = v;
    }
    return out;
  }

  options(o: Obj): WorkflowOptions {
    const x = this.need(o, "options");
    if (typeof x !== "object" || x === null || Array.isArray(x)) this.fail("options", `"options" must be an object`);
    const metric = this.oneOf(x as Obj, "metric", ["manhattan", "euclidean", "cosine", "correlation"] as const);
    const standardize = (x as Obj).standardize;
    if (typeof standardize !== "boolean") this.fail("standardize", `"options.standardize" must be true or false`);
    return { metric, standardize };
  }

  source(o: Obj): SourceRef {
    const x = this.need(o, "source");
    if (typeof x !== "object" || x === null || Array.isArray(x)) this.fail("source", `"source" must be an object`);
    const s = x as Obj;
    const sha = s.sha256;
    if (!(typeof sha === "string" && /^[0-9a-f]{64}$/.test(sha))) {
      this.fail("sha256", `"source.sha256" must be 64 lowercase hex digits, found ${JSON.stringify(sha)}`);
    }
    return { models: this.int(s, "models", 1), examples: this.int(s, "examples", 1), sha256: sha };
  }
}
