import { checkOptionKeys, optionNames, TbError } from "./errors.js";

/** `binary`: cells are 0/1. `probability`: cells are gold-option probabilities in [0,1] (docs/METHOD.md §1). */
export type CorrectnessKind = "binary" | "probability";

/** Anything with rows and columns that tailoredbench accepts as a matrix. */
export type MatrixLike =
  | readonly (readonly number[])[]
  | readonly Float64Array[]
  | { readonly rows: number; readonly columns: number; to2DArray(): number[][] };

export interface CorrectnessMatrixInit {
  /** Row-major values, `models × examples`. Copied unless `copy: false`. */
  data: Float64Array;
  modelIds: readonly string[];
  exampleIds: readonly string[];
  kind?: CorrectnessKind;
  /**
   * Optional true score per model (e.g. argmax accuracy on probability benchmarks, docs/METHOD.md §1).
   * When absent, the true score is the fraction of cells `> 1e-8`.
   */
  trueScores?: Float64Array;
  /** Name of the data source, for error messages and reports. */
  name?: string;
  copy?: boolean;
}

/** Options of {@link CorrectnessMatrix.from}. */
export interface CorrectnessMatrixFromOptions {
  modelIds?: readonly string[];
  exampleIds?: readonly string[];
  kind?: CorrectnessKind;
  name?: string;
  trueScores?: Float64Array;
}

const INIT_NAMES = optionNames<CorrectnessMatrixInit>()(
  "data",
  "modelIds",
  "exampleIds",
  "kind",
  "trueScores",
  "name",
  "copy",
);
const FROM_OPTION_NAMES = optionNames<CorrectnessMatrixFromOptions>()(
  "modelIds",
  "exampleIds",
  "kind",
  "name",
  "trueScores",
);

/**
 * Per-example correctness of models on a benchmark (docs/METHOD.md §1): a row-major `Float64Array`
 * of `models × examples` with model ids, example ids and a kind. Validated on construction:
 * every cell finite and in [0,1] (0/1 for `binary`), ids unique and non-empty.
 */
export class CorrectnessMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly modelIds: readonly string[];
  readonly exampleIds: readonly string[];
  readonly kind: CorrectnessKind;
  readonly name: string;
  private readonly explicitTrueScores: Float64Array | undefined;
  private modelIndexCache: Map<string, number> | undefined;
  private exampleIndexCache: Map<string, number> | undefined;

  constructor(init: CorrectnessMatrixInit) {
    checkOptionKeys(init, INIT_NAMES, "new CorrectnessMatrix");
    const rows = init.modelIds.length;
    const cols = init.exampleIds.length;
    this.name = init.name ?? "matrix";
    if (init.data.length !== rows * cols) {
      throw new TbError(
        "E_INPUT",
        `${this.name}: data has ${init.data.length} cells but ${rows} models × ${cols} examples need ${rows * cols}`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = init.copy === false ? init.data : Float64Array.from(init.data);
    this.modelIds = Object.freeze([...init.modelIds]);
    this.exampleIds = Object.freeze([...init.exampleIds]);
    this.kind = init.kind ?? inferKind(this.data);
    checkIds(this.modelIds, "model", this.name);
    checkIds(this.exampleIds, "example", this.name);
    validateCells(this.data, rows, cols, this.kind, this.name, this.modelIds, this.exampleIds);
    if (init.trueScores !== undefined) {
      if (init.trueScores.length !== rows) {
        throw new TbError(
          "E_INPUT",
          `${this.name}: trueScores has ${init.trueScores.length} entries for ${rows} models`,
        );
      }
      init.trueScores.forEach((v, i) => {
        if (!(v >= 0 && v <= 1)) {
          throw new TbError("E_INPUT", `${this.name}: trueScores[${i}] is ${v}, not a number in [0, 1]`);
        }
      });
      this.explicitTrueScores = Float64Array.from(init.trueScores);
    } else {
      this.explicitTrueScores = undefined;
    }
  }

  /**
   * Build from a `number[][]`, an array of typed rows or an `ml-matrix` `Matrix`. Ids default to
   * `"m<i>"` and `"<j>"`.
   */
  static from(values: MatrixLike, opts: CorrectnessMatrixFromOptions = {}): CorrectnessMatrix {
    checkOptionKeys(opts, FROM_OPTION_NAMES, "CorrectnessMatrix.from");
    const rowsArr: ArrayLike<number>[] = Array.isArray(values)
      ? (values as ArrayLike<number>[])
      : "to2DArray" in values
        ? values.to2DArray()
        : (values as unknown as ArrayLike<number>[]);
    const name = opts.name ?? "matrix";
    for (let i = 0; i < rowsArr.length; i++) {
      const row = rowsArr[i] as unknown;
      if (row === null || typeof row !== "object" || typeof (row as ArrayLike<number>).length !== "number") {
        throw new TbError(
          "E_INPUT",
          `${name}: row ${i} is ${typeof row === "number" ? `the number ${row}` : String(row)}, not an array of values — pass one array per model (models × examples)`,
          { row: i },
        );
      }
    }
    const r = rowsArr.length;
    const c = r > 0 ? (rowsArr[0] as ArrayLike<number>).length : (opts.exampleIds?.length ?? 0);
    const data = new Float64Array(r * c);
    for (let i = 0; i < r; i++) {
      const row = rowsArr[i] as ArrayLike<number>;
      if (row.length !== c) {
        throw new TbError("E_INPUT", `${name}: row ${i} has ${row.length} values, expected ${c} (ragged matrix)`, {
          row: i,
        });
      }
      for (let j = 0; j < c; j++) {
        const v = row[j];
        // a Float64Array would read null as 0 (a missing answer counted as wrong) and "1" as 1
        if (typeof v !== "number") {
          throw new TbError(
            "E_INPUT",
            `${name}: row ${i}, column ${j} is ${v === null ? "null" : (JSON.stringify(v) ?? String(v))}, not a number (a missing answer has no value to give)`,
            { row: i },
          );
        }
        data[i * c + j] = v;
      }
    }
    const init: CorrectnessMatrixInit = {
      data,
      modelIds: opts.modelIds ?? Array.from({ length: r }, (_, i) => `m${i}`),
      exampleIds: opts.exampleIds ?? Array.from({ length: c }, (_, j) => `${j}`),
      name,
      copy: false,
    };
    if (opts.kind !== undefined) init.kind = opts.kind;
    if (opts.trueScores !== undefined) init.trueScores = opts.trueScores;
    return new CorrectnessMatrix(init);
  }

  /** Row `i` as a view (no copy). */
  row(i: number): Float64Array {
    if (!(Number.isInteger(i) && i >= 0 && i < this.rows))
      throw new TbError("E_USAGE", `row ${i} out of range [0, ${this.rows})`);
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** A new matrix holding the given rows, in that order (ids and true scores follow). */
  selectRows(indices: ArrayLike<number>, name?: string): CorrectnessMatrix {
    const n = indices.length;
    const data = new Float64Array(n * this.cols);
    const ids: string[] = [];
    const ts = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = indices[k] as number;
      data.set(this.row(i), k * this.cols);
      ids.push(this.modelIds[i] as string);
      ts[k] = this.trueScore(i);
    }
    return new CorrectnessMatrix({
      data,
      modelIds: ids,
      exampleIds: this.exampleIds,
      kind: this.kind,
      name: name ?? this.name,
      trueScores: ts,
      copy: false,
    });
  }

  /**
   * True score of model `i` (docs/METHOD.md §1): the explicit true score if one was given, otherwise
   * the fraction of its cells strictly greater than 1e-8 (the row mean for 0/1 data).
   */
  trueScore(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.rows)) {
      throw new TbError("E_USAGE", `${this.name}: trueScore: model ${i} is not a row in [0, ${this.rows})`);
    }
    if (this.explicitTrueScores) return this.explicitTrueScores[i] as number;
    const row = this.row(i);
    let k = 0;
    for (let j = 0; j < row.length; j++) if ((row[j] as number) > 1e-8) k++;
    return k / this.cols;
  }

  /** True scores of all models. */
  trueScores(): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.trueScore(i);
    return out;
  }

  /** Index of a model id; throws `E_UNKNOWN_ID` when absent. */
  modelIndex(id: string): number {
    this.modelIndexCache ??= new Map(this.modelIds.map((m, i) => [m, i]));
    const i = this.modelIndexCache.get(id);
    if (i === undefined) throw new TbError("E_UNKNOWN_ID", `${this.name}: unknown model id "${id}"`);
    return i;
  }

  /** Index of an example id; throws `E_UNKNOWN_ID` when absent. */
  exampleIndex(id: string): number {
    this.exampleIndexCache ??= new Map(this.exampleIds.map((m, i) => [m, i]));
    const i = this.exampleIndexCache.get(id);
    if (i === undefined) throw new TbError("E_UNKNOWN_ID", `${this.name}: unknown example id "${id}"`);
    return i;
  }
}

function inferKind(data: Float64Array): CorrectnessKind {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v !== 0 && v !== 1) return "probability";
  }
  return "binary";
}

function checkIds(ids: readonly string[], what: string, name: string): void {
  const seen = new Map<string, number>();
  ids.forEach((id, i) => {
    if (typeof id !== "string" || id.length === 0) {
      throw new TbError("E_INPUT", `${name}: ${what} id at position ${i} is empty`);
    }
    const prev = seen.get(id);
    if (prev !== undefined) {
      throw new TbError("E_INPUT", `${name}: duplicate ${what} id "${id}" at positions ${prev} and ${i}`);
    }
    seen.set(id, i);
  });
}

function validateCells(
  data: Float64Array,
  rows: number,
  cols: number,
  kind: CorrectnessKind,
  name: string,
  modelIds: readonly string[],
  exampleIds: readonly string[],
): void {
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j] as number;
      const bad = Number.isNaN(v)
        ? "NaN"
        : !(v >= 0 && v <= 1)
          ? `${v} outside [0,1]`
          : kind === "binary" && v !== 0 && v !== 1
            ? `${v} in a binary matrix (expected 0 or 1)`
            : undefined;
      if (bad !== undefined) {
        throw new TbError("E_INPUT", `${name}: bad correctness value ${bad}`, {
          row: modelIds[i] ?? i,
          column: exampleIds[j] ?? j,
        });
      }
    }
  }
}
