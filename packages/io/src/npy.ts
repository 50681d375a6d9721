import { readFileSync } from "node:fs";
import {
  type CorrectnessKind,
  CorrectnessMatrix,
  type CorrectnessMatrixInit,
  checkOptionKeys,
  optionNames,
  TbError,
} from "@tb/core";
import { describe } from "./internal.js";

/** A numeric array read from a `.npy` file: its shape and its values in C (row-major) order. */
export interface NpyArray {
  /** Dimensions; `[]` for a 0-d scalar. */
  shape: number[];
  /** All values, converted to float64, in C order. */
  data: Float64Array;
  /** The numpy dtype descriptor from the header, e.g. `<f8`, `|b1`. */
  dtype: string;
}

/** Options of {@link readNpy}. */
type ReadNpyOptions = { file?: string };
/** Options of {@link npyToMatrix}. */
type NpyToMatrixOptions = {
  modelIds?: readonly string[];
  exampleIds?: readonly string[];
  kind?: CorrectnessKind;
  name?: string;
};
const READ_NAMES = optionNames<ReadNpyOptions>()("file");
const MATRIX_NAMES = optionNames<NpyToMatrixOptions>()("modelIds", "exampleIds", "kind", "name");

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Reader = (view: DataView, offset: number) => number;

const READERS: Record<string, { size: number; read: Reader }> = {
  f8: { size: 8, read: (v, o) => v.getFloat64(o, true) },
  f4: { size: 4, read: (v, o) => v.getFloat32(o, true) },
  b1: { size: 1, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  i2: { size: 2, read: (v, o) => v.getInt16(o, true) },
  u2: { size: 2, read: (v, o) => v.getUint16(o, true) },
  i4: { size: 4, read: (v, o) => v.getInt32(o, true) },
  u4: { size: 4, read: (v, o) => v.getUint32(o, true) },
  i8: { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  u8: { size: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
};

/**
 * Read a numpy `.npy` file (format versions 1.0, 2.0 and 3.0) from its bytes. Supported dtypes:
 * float64, float32, bool, int8/16/32/64 and uint8/16/32/64, little-endian (or byte-order free), in
 * C order; values are converted to float64 (int64 values beyond ±2^53 are refused, they would lose
 * precision).
 *
 * @param bytes - The whole file.
 * @param opts - `file` names the file in error locations.
 * @returns Shape, values and dtype.
 * @throws TbError `E_INPUT` for a file that is not `.npy`, a truncated file, a malformed header,
 * pickled object arrays (`dtype=object`), structured or big-endian dtypes, Fortran order, or an
 * unsupported dtype — each with a message saying how to re-save the array. `E_USAGE` for an unknown
 * option name.
 * @example
 * ```ts
 * const { shape, data } = readNpy(readFileSync("source_model_alldata_acc_0.npy"));
 * ```
 */
export function readNpy(bytes: Uint8Array, opts: ReadNpyOptions = {}): NpyArray {
  checkOptionKeys(opts, READ_NAMES, "readNpy");
  const where = opts.file === undefined ? {} : { file: opts.file };
  const fail = (msg: string): never => {
    throw new TbError("E_INPUT", `.npy: ${msg}`, where);
  };
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) fail("not a numpy .npy file (bad magic string)");
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail("truncated header");
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    return fail(`unsupported format version ${major}.${bytes[7]}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) fail("truncated header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(headerStart, dataStart));

  const descrList = /'descr'\s*:\s*\[/.test(header);
  if (descrList) fail("structured (record) dtypes are not supported; save a plain numeric array");
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr === undefined) return fail(`malformed header (no 'descr'): ${header.trim()}`);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  if (fortran === undefined) fail(`malformed header (no 'fortran_order'): ${header.trim()}`);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) return fail(`malformed header (no 'shape'): ${header.trim()}`);

  if (/^[|<>=]?O/.test(descr)) {
    fail(
      "object arrays (dtype=object) are stored as Python pickles and are not read, for safety; " +
        "convert with arr.astype(np.float64) and save again",
    );
  }
  if (fortran === "True") {
    fail("Fortran-order arrays are not supported; save np.ascontiguousarray(arr) instead");
  }
  const m = /^([|<>=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) return fail(`unsupported dtype ${descr}`);
  const order = m[1] as string;
  const code = `${m[2]}${m[3]}`;
  const reader = READERS[code];
  if (reader === undefined) {
    return fail(
      `unsupported dtype ${descr} (supported: float64, float32, bool, int8/16/32/64, uint8/16/32/64); ` +
        "convert with arr.astype(np.float64)",
    );
  }
  if (reader.size > 1 && order !== "<") {
    fail(`big-endian or native-order dtype ${descr} is not supported; save arr.astype('<${code}') instead`);
  }

  const shape: number[] = [];
  for (const part of shapeText.split(",")) {
    const t = part.trim().replace(/L$/, "");
    if (t.length === 0) continue;
    if (!/^\d+$/.test(t)) fail(`malformed shape (${shapeText})`);
    shape.push(Number(t));
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * reader.size;
  if (bytes.length - dataStart < need) {
    fail(
      `truncated data: shape (${shape.join(", ")}) of ${descr} needs ${need} bytes, found ${bytes.length - dataStart}`,
    );
  }
  const data = new Float64Array(count);
  try {
    for (let k = 0, o = dataStart; k < count; k++, o += reader.size) data[k] = reader.read(view, o);
  } catch (err) {
    fail(`cannot read data: ${describe(err)}`);
  }
  if (code === "i8" || code === "u8") {
    for (let k = 0; k < count; k++) {
      if (!Number.isSafeInteger(data[k]))
        fail(`int64 value at flat index ${k} is beyond ±2^53 and would lose precision`);
    }
  }
  return { shape, data, dtype: descr };
}

/**
 * Read a `.npy` file from disk with {@link readNpy}; errors name the file.
 *
 * @param path - The `.npy` file.
 * @throws TbError `E_INPUT` when the file cannot be read or is refused by {@link readNpy}.
 */
export function readNpyFile(path: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new TbError("E_INPUT", `cannot read ${path}: ${describe(err)}`, { file: path });
  }
  return readNpy(bytes, { file: path });
}

/**
 * Make a correctness matrix (models × examples) from a 2-d `.npy` array, e.g. TailoredBench's
 * `*_model_alldata_acc_*.npy`. Ids default to `m<i>` and `<j>`.
 *
 * @param npy - A 2-d array from {@link readNpy}.
 * @param opts - Ids, kind and name.
 * @throws TbError `E_INPUT` when the array is not 2-d, ids do not match its shape, or values are not
 * valid correctness values; `E_USAGE` for an unknown option name.
 */
export function npyToMatrix(npy: NpyArray, opts: NpyToMatrixOptions = {}): CorrectnessMatrix {
  checkOptionKeys(opts, MATRIX_NAMES, "npyToMatrix");
  if (npy.shape.length !== 2) {
    throw new TbError("E_INPUT", `.npy: a correctness matrix needs a 2-d array, got shape (${npy.shape.join(", ")})`);
  }
  const [rows, cols] = npy.shape as [number, number];
  const init: CorrectnessMatrixInit = {
    data: npy.data,
    modelIds: opts.modelIds ?? Array.from({ length: rows }, (_, i) => `m${i}`),
    exampleIds: opts.exampleIds ?? Array.from({ length: cols }, (_, j) => `${j}`),
    name: opts.name ?? "npy",
  };
  if (init.modelIds.length !== rows || init.exampleIds.length !== cols) {
    throw new TbError(
      "E_INPUT",
      `.npy: ${init.modelIds.length} model ids × ${init.exampleIds.length} example ids do not match shape (${rows}, ${cols})`,
    );
  }
  if (opts.kind !== undefined) init.kind = opts.kind;
  return new CorrectnessMatrix(init);
}
