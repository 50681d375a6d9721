import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { npyToMatrix, readNpy, readNpyFile } from "./npy.js";
import { catchTb } from "./test-utils.js";

// Fixtures are written by __fixtures__/npy/make_npy.py (numpy); see that script for the values.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), "__fixtures__", "npy");
const fx = (name: string): string => join(fixtures, name);
const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(fx(name)));

describe("readNpy reads numeric dtypes", () => {
  const quarter = [0, 0.25, 0.5, 0.75, 1, 1.25];
  test.each([
    ["f8_2x3.npy", "<f8", [2, 3], quarter],
    ["f4_2x3.npy", "<f4", [2, 3], quarter],
    ["v2_f8.npy", "<f8", [2, 3], quarter],
    ["bool_2x2.npy", "|b1", [2, 2], [1, 0, 0, 1]],
    ["i1.npy", "|i1", [3], [-3, 0, 127]],
    ["i2.npy", "<i2", [3], [-3, 0, 30000]],
    ["i4.npy", "<i4", [3], [-3, 0, 2_000_000_000]],
    ["i8.npy", "<i8", [3], [-3, 0, 2 ** 53 - 1]],
    ["u1.npy", "|u1", [3], [0, 1, 255]],
    ["scalar_f8.npy", "<f8", [], [0.5]],
    ["empty_0x3.npy", "<f8", [0, 3], []],
  ])("%s", (name, dtype, shape, values) => {
    const a = readNpyFile(fx(name));
    expect(a.dtype).toBe(dtype);
    expect(a.shape).toEqual(shape);
    expect(Array.from(a.data)).toEqual(values);
  });

  test("C order: element [i, j, k] is at i*12 + j*4 + k", () => {
    const a = readNpyFile(fx("c_order_2x3x4.npy"));
    expect(a.shape).toEqual([2, 3, 4]);
    expect(a.data[1 * 12 + 2 * 4 + 3]).toBe(23);
  });

  test("works on a view that does not start at offset 0 of its buffer", () => {
    const raw = bytes("f8_2x3.npy");
    const padded = new Uint8Array(raw.length + 3);
    padded.set(raw, 3);
    expect(Array.from(readNpy(padded.subarray(3)).data)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });

  test("npyToMatrix makes a correctness matrix", () => {
    const m = npyToMatrix(readNpyFile(fx("acc_3x4.npy")), { name: "acc" });
    expect(m.rows).toBe(3);
    expect(m.cols).toBe(4);
    expect(m.kind).toBe("binary");
    expect(m.modelIds).toEqual(["m0", "m1", "m2"]);
    expect(Array.from(m.row(1))).toEqual([0, 0, 1, 0]);
    expect(catchTb(() => npyToMatrix(readNpyFile(fx("i1.npy")))).message).toContain("2-d");
    expect(catchTb(() => npyToMatrix(readNpyFile(fx("acc_3x4.npy")), { modelIds: ["a"] })).code).toBe("E_INPUT");
  });
});

describe("readNpy refuses what it cannot read faithfully, naming the file", () => {
  test.each([
    ["object.npy", "pickles"],
    ["fortran_f8.npy", "Fortran-order"],
    ["big_endian_f8.npy", "big-endian"],
    ["structured.npy", "structured"],
    ["complex.npy", "unsupported dtype <c16"],
    ["float16.npy", "unsupported dtype <f2"],
    ["unicode.npy", "unsupported dtype <U2"],
    ["i8_too_big.npy", "beyond ±2^53"],
  ])("%s", (name, fragment) => {
    const err = catchTb(() => readNpyFile(fx(name)));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toContain(fragment);
    expect(err.location).toEqual({ file: fx(name) });
  });

  test.each<[string, (b: Uint8Array) => Uint8Array, string]>([
    ["empty input", () => new Uint8Array(0), "bad magic"],
    ["not npy", () => new TextEncoder().encode("model,a\nm,1\n"), "bad magic"],
    ["truncated data", (b) => b.subarray(0, b.length - 1), "truncated data"],
    ["truncated header", (b) => b.subarray(0, 40), "truncated header"],
    [
      "unknown version",
      (b) => {
        const c = b.slice();
        c[6] = 9;
        return c;
      },
      "unsupported format version 9",
    ],
    [
      "header without shape",
      (b) => {
        const c = b.slice();
        const text = new TextDecoder("latin1").decode(c);
        const at = text.indexOf("'shape'");
        c.set(new TextEncoder().encode("'shapX'"), at);
        return c;
      },
      "no 'shape'",
    ],
  ])("%s", (_what, mutate, fragment) => {
    const err = catchTb(() => readNpy(mutate(bytes("f8_2x3.npy"))));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toContain(fragment);
  });

  test("a missing file", () => {
    const err = catchTb(() => readNpyFile(fx("nope.npy")));
    expect(err.code).toBe("E_INPUT");
    expect(err.location?.file).toBe(fx("nope.npy"));
  });
});
