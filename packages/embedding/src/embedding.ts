import { type CorrectnessMatrix, checkOptionKeys, TbError } from "@tb/core";
import { scaleOf, standardizeColumns } from "./standardize.js";

/**
 * A set of points embedded as rows of a row-major `n × dim` matrix, optionally with a packed
 * binary form that makes manhattan/euclidean distances weighted Hamming distances.
 */
export interface Embedding {
  /**
   * Row-major `n × dim` coordinates. For embeddings of 0/1 matrices from {@link exampleEmbedding}
   * it is computed on first access (and kept): the distances of {@link distanceSource} need only
   * the packed form, so a 100k-example × 2k-model embedding never holds 1.6 GB of doubles.
   */
  readonly data: Float64Array;
  readonly n: number;
  readonly dim: number;
  /**
   * Present when every column takes at most two values, one for raw 0 and one for raw 1
   * (true for standardised 0/1 correctness): `bytes` packs each point's raw bits
   * (`n × stride`, bit `k & 7` of byte `k >> 3` is column `k`), `weights[k] = |z₁ − z₀|` of
   * column `k` (0 for a constant column).
   */
  readonly binary?: { readonly bytes: Uint8Array; readonly stride: number; readonly weights: Float64Array };
}

/** Options shared by the embedding builders. */
export interface EmbeddingOptions {
  /** Standardise columns (docs/METHOD.md §2.1); default true (the reference). `false` = the paper's raw vectors. */
  standardize?: boolean;
}

function checkModelRows(matrix: CorrectnessMatrix, modelRows: ArrayLike<number>): void {
  for (let k = 0; k < modelRows.length; k++) {
    const r = modelRows[k] as number;
    if (!(Number.isInteger(r) && r >= 0 && r < matrix.rows)) {
      throw new TbError("E_USAGE", `exampleEmbedding: model row ${r} out of range [0, ${matrix.rows})`);
    }
  }
}

/** The dense `n × q` embedding: raw columns `modelRows` of the matrix, standardised or not. */
function denseExampleEmbedding(matrix: CorrectnessMatrix, modelRows: ArrayLike<number>, standardize: boolean) {
  const n = matrix.cols;
  const q = modelRows.length;
  const raw = new Float64Array(n * q);
  const src = matrix.data;
  for (let k = 0; k < q; k++) {
    const base = (modelRows[k] as number) * n;
    for (let x = 0; x < n; x++) raw[x * q + k] = src[base + x] as number;
  }
  return standardize ? standardizeColumns(raw, n, q) : raw;
}

/**
 * Example embedding over a subset of models (paper Eq. 1; docs/METHOD.md §3 steps 1 and 5):
 * `E = Z(C_rowsᵀ)`, an `n × |rows|` matrix whose rows are examples and whose column `k` is model
 * `rows[k]`'s correctness, standardised across examples (a constant model becomes a zero column).
 *
 * For a `binary` matrix the packed form is built straight from the matrix rows, with each
 * column's mean and scale summed exactly as {@link standardizeColumns} does (docs/METHOD.md §2.1), and
 * `data` is computed only when first read: memory is `n·⌈q/8⌉` bytes instead of `16·n·q`, and
 * `data` (when read) and the distances are bit for bit those of the dense construction.
 */
export function exampleEmbedding(
  matrix: CorrectnessMatrix,
  modelRows: ArrayLike<number>,
  options: EmbeddingOptions = {},
): Embedding {
  checkOptionKeys(options, ["standardize"], "exampleEmbedding");
  checkModelRows(matrix, modelRows);
  const n = matrix.cols;
  const q = modelRows.length;
  const standardize = options.standardize !== false;
  if (matrix.kind !== "binary") return { data: denseExampleEmbedding(matrix, modelRows, standardize), n, dim: q };
  const rows = Int32Array.from(modelRows);
  const binary = packRows(matrix, rows, standardize);
  let data: Float64Array | undefined;
  return {
    n,
    dim: q,
    binary,
    get data(): Float64Array {
      data ??= denseExampleEmbedding(matrix, rows, standardize);
      return data;
    },
  };
}

/**
 * Model embedding on a subset of examples (paper Eq. 3; docs/METHOD.md §3 step 2): the rows are
 * models (sources then targets), the columns are the G-set examples, and each column is
 * standardised across models. `values` is row-major `models × g`.
 */
export function modelEmbedding(
  values: Float64Array,
  models: number,
  g: number,
  options: EmbeddingOptions = {},
): Embedding {
  checkOptionKeys(options, ["standardize"], "modelEmbedding");
  if (!(Number.isInteger(models) && models >= 1 && Number.isInteger(g) && g >= 1 && values.length === models * g)) {
    throw new TbError(
      "E_USAGE",
      `modelEmbedding: ${values.length} values for ${String(models)} models × ${String(g)} examples (integers ≥ 1)`,
    );
  }
  const data = options.standardize === false ? Float64Array.from(values) : standardizeColumns(values, models, g);
  return { data, n: models, dim: g };
}

/**
 * Packed bits and column weights of the example embedding of a 0/1 matrix over `rows`
 * (docs/METHOD.md §2.1–2.2): bit `k` of example `x` is `C[rows[k]][x]`; the weight of column `k` is
 * `|z₁ − z₀|` with `z_v = (v − mean)/scale` (`|1 − 0|` unstandardised), 0 when the column is
 * constant. One pass over the matrix: eight model rows at a time are packed into a byte column,
 * counting ones (the exact column sum); the squared deviations are then summed per model in
 * example order from that byte column, term by term as {@link standardizeColumns} sums them, so
 * mean, scale and weights are bit for bit the dense construction's.
 */
function packRows(
  matrix: CorrectnessMatrix,
  rows: Int32Array,
  standardize: boolean,
): { bytes: Uint8Array; stride: number; weights: Float64Array } {
  const n = matrix.cols;
  const q = rows.length;
  const src = matrix.data;
  const stride = Math.ceil(q / 8);
  const bytes = new Uint8Array(n * stride);
  const weights = new Float64Array(q);
  const col = new Uint8Array(n);
  const ones = new Float64Array(8);
  const sq = new Float64Array(8);
  const terms = new Float64Array(16); // per bit b: (0 − mean)², (1 − mean)²
  for (let byte = 0; byte < stride; byte++) {
    const k0 = byte * 8;
    const bits = Math.min(8, q - k0);
    ones.fill(0);
    for (let b = 0; b < bits; b++) {
      const base = (rows[k0 + b] as number) * n;
      let c = 0;
      const bit = 1 << b;
      // binary cells are exactly 0 or 1: OR in the bit without a branch
      for (let x = 0; x < n; x++) {
        const v = src[base + x] as number;
        col[x] = (col[x] as number) | (v * bit);
        c += v;
      }
      ones[b] = c;
    }
    for (let x = 0; x < n; x++) bytes[x * stride + byte] = col[x] as number;
    if (standardize) {
      for (let b = 0; b < bits; b++) {
        const mean = (ones[b] as number) / n;
        const d0 = 0 - mean;
        const d1 = 1 - mean;
        terms[2 * b] = d0 * d0;
        terms[2 * b + 1] = d1 * d1;
      }
      sq.fill(0);
      for (let x = 0; x < n; x++) {
        const v = col[x] as number;
        for (let b = 0; b < bits; b++) sq[b] = (sq[b] as number) + (terms[2 * b + ((v >> b) & 1)] as number);
      }
    }
    for (let b = 0; b < bits; b++) {
      const c = ones[b] as number;
      if (c === 0 || c === n) continue; // one value only: weight 0
      if (!standardize) {
        weights[k0 + b] = 1;
        continue;
      }
      const mean = c / n;
      const scale = scaleOf(sq[b] as number, mean, n);
      weights[k0 + b] = Math.abs((1 - mean) / scale - (0 - mean) / scale);
    }
    col.fill(0);
  }
  return { bytes, stride, weights };
}
