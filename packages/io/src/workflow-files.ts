/**
 * Read, validate and write `probe.json` and `plan.json` (docs/DESIGN.md §3.2).
 */
import { TbError } from "@tb/core";
import { keyLine, loc, parseJsonObject, show } from "./internal.js";
import { readText } from "./read-text.js";
import {
  type PlanFile,
  type PlanPrecision,
  type ProbeFile,
  type SourceRef,
  WORKFLOW_SPEC_VERSION,
  type WorkflowOptions,
} from "./workflow-types.js";

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
 * Parse and validate `probe.json` (docs/DESIGN.md §3.2). Every problem is `E_INPUT` with the file and the
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
 * Parse and validate `plan.json` (docs/DESIGN.md §3.2); see {@link parseProbeFile} for the common checks.
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
  const mode = method === "tailored-plus" ? v.oneOf(o, "mode", ["within", "beyond", "look"] as const) : undefined;
  const beyond = mode === "beyond";
  const look = mode === "look";
  const nativeSources = beyond ? v.idsOrEmpty(o, "nativeSources") : v.ids(o, "nativeSources", true);
  const budget = v.int(o, "budget", 1);
  const g = gset.length;
  if (!(budget > g)) v.fail("budget", `budget ${budget} must be larger than the G-set (${g} examples)`);
  if (look ? !(nset.length > g && nset.length < budget) : nset.length !== budget) {
    v.fail(
      "nset",
      look
        ? `a second look's nset has ${nset.length} examples: more than the G-set (${g}) and fewer than budget ${budget}`
        : `nset has ${nset.length} examples but budget is ${budget}`,
    );
  }
  const looked = method === "tailored-plus" && !look && "looked" in o ? v.ids(o, "looked", true) : undefined;
  const m = looked?.length ?? 0;
  if (looked === undefined) {
    for (let k = 0; k < g; k++) {
      if (nset[k] !== gset[k]) v.fail("nset", "nset must start with the G-set, in the same order");
    }
  } else {
    // after a second look, K-Medoids holds the G-set and the look's examples fixed, in ascending
    // column order: the first g + m examples of nset are those, in any order
    const head = new Set(nset.slice(0, g + m));
    if (g + m >= budget || head.size !== g + m || [...gset, ...looked].some((id) => !head.has(id))) {
      v.fail(
        "looked",
        "looked and the G-set must be the first examples of nset (in any order), fewer than budget in all",
      );
    }
  }
  const precision = method === "tailored-plus" && "precision" in o ? planPrecision(v, o, look) : undefined;
  const rest = nset.slice(g + m);
  if (precision !== undefined && precision.round > 0) {
    // a precision round: random draws outside the base design
    const inNset = new Set(nset);
    if (toEvaluate.length === 0 || toEvaluate.some((id) => inNset.has(id))) {
      v.fail("toEvaluate", "a precision round's toEvaluate must be examples outside nset (at least one)");
    }
  } else if (toEvaluate.length !== rest.length || toEvaluate.some((id, k) => id !== rest[k])) {
    v.fail(
      "toEvaluate",
      m > 0
        ? "toEvaluate must be nset without the G-set and looked, in the same order"
        : "toEvaluate must be nset without the G-set, in the same order",
    );
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
  const extra: Pick<PlanFile, "method" | "mode" | "strata" | "outOfRange" | "looked" | "evaluation" | "precision"> = {};
  if ("evaluation" in o) {
    const e = o.evaluation;
    if (e === null || typeof e !== "object" || Array.isArray(e)) v.fail("evaluation", `"evaluation" must be an object`);
    extra.evaluation = e as Record<string, unknown>;
  }
  if ("method" in o) extra.method = method;
  if (precision !== undefined) extra.precision = precision;
  if (mode !== undefined) extra.mode = mode;
  if (looked !== undefined) extra.looked = looked;
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

/** A plan's `precision` block ({@link PlanPrecision}), checked. */
function planPrecision(v: Validator, o: Obj, look: boolean): PlanPrecision {
  const p = o.precision as Obj | null;
  if (p === null || typeof p !== "object" || Array.isArray(p)) v.fail("precision", `"precision" must be an object`);
  const q = p as Obj;
  const precision = q.precision;
  if (!(typeof precision === "number" && precision > 0 && precision <= 0.5)) {
    v.fail("precision", `precision.precision must be a half-width in (0, 0.5], got ${JSON.stringify(precision)}`);
  }
  const ints: Record<string, number> = {};
  for (const k of ["maxBudget", "round", "asked"] as const) {
    const x = q[k];
    if (!(typeof x === "number" && Number.isInteger(x) && x >= 0)) {
      v.fail("precision", `precision.${k} must be an integer ≥ 0, got ${JSON.stringify(x)}`);
    }
    ints[k] = x as number;
  }
  if (typeof q.why !== "string") v.fail("precision", "precision.why must be a sentence");
  if (look && (ints.round as number) > 0)
    v.fail("precision", "a second look's plan is not a precision round (round 0)");
  return {
    precision: precision as number,
    maxBudget: ints.maxBudget as number,
    round: ints.round as number,
    asked: ints.asked as number,
    why: q.why as string,
  };
}

/** Read and validate `plan.json` ({@link parsePlanFile}). */
export function readPlanFile(path: string): { plan: PlanFile; text: string } {
  const text = readText(path, "plan file");
  return { plan: parsePlanFile(text, path), text };
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
