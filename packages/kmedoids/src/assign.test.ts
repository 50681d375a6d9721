import { TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import { lineMatrix } from "./__fixtures__/helpers.js";
import { assign, assignFromRows } from "./assign.js";
import { precomputed } from "./distance-source.js";

const list = (a: Int32Array) => Array.from(a);

describe("assignment (docs/METHOD.md §2.5)", () => {
  test("nearest medoid, hand-computed", () => {
    // x = 0 1 5 9 10; medoids (p4, p0) = (x=10, x=0)
    // p0 → slot 1 (0), p1 → slot 1 (1), p2 → tie 5/5 → slot 0 (first in the list), p3 → slot 0 (1), p4 → slot 0 (0)
    const src = precomputed(lineMatrix([0, 1, 5, 9, 10]), 5);
    const a = assign(src, Int32Array.from([4, 0]));
    expect(list(a.labels)).toEqual([1, 1, 0, 0, 0]);
    expect(list(a.sizes)).toEqual([3, 2]);
    expect(a.cost).toBe(0 + 1 + 5 + 1 + 0);
  });

  test("ties go to the medoid that comes first in the list, whatever its index", () => {
    const src = precomputed(lineMatrix([0, 1, 5, 9, 10]), 5);
    expect(assign(src, Int32Array.from([0, 4])).labels[2]).toBe(0); // p0 listed first
    expect(assign(src, Int32Array.from([4, 0])).labels[2]).toBe(0); // p4 listed first
    // duplicates: three medoids at the same place → all points to the first of them
    const dup = precomputed(lineMatrix([3, 3, 3, 0]), 4);
    const a = assign(dup, Int32Array.from([2, 0, 1]));
    expect(list(a.labels)).toEqual([0, 0, 0, 0]);
    expect(list(a.sizes)).toEqual([4, 0, 0]);
  });

  test("assignFromRows on a given K × n block; empty clusters have size 0", () => {
    // rows: slot 0 = [1, 2, 3], slot 1 = [1, 0, 9], slot 2 = [5, 5, 5]
    const rows = Float64Array.from([1, 2, 3, 1, 0, 9, 5, 5, 5]);
    const a = assignFromRows(rows, 3, 3);
    expect(list(a.labels)).toEqual([0, 1, 0]);
    expect(list(a.sizes)).toEqual([2, 1, 0]);
    expect(a.cost).toBe(1 + 0 + 3);
  });

  test("errors", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof TbError ? e.code : "other";
      }
      return "none";
    };
    expect(code(() => assignFromRows(new Float64Array(5), 2, 3))).toBe("E_USAGE");
    expect(code(() => assignFromRows(Float64Array.from([0, Number.NaN]), 2, 1))).toBe("E_INPUT");
    const src = precomputed(lineMatrix([0, 1]), 2);
    expect(code(() => assign(src, new Int32Array(0)))).toBe("E_USAGE");
    expect(code(() => assign(src, Int32Array.from([2])))).toBe("E_USAGE");
    expect(code(() => precomputed(new Float64Array(3), 2))).toBe("E_USAGE");
  });
});

describe("assign through rowsInto (one row at a time, no K × n block)", () => {
  /** `precomputed` plus a `rowsInto` that counts the rows it writes. */
  const withInto = (d: Float64Array, n: number) => {
    const base = precomputed(d, n);
    const s = {
      ...base,
      written: 0,
      rowsInto(from: Int32Array, out: Float64Array) {
        s.written += from.length;
        out.set(base.rowsTo(from));
      },
    };
    return s;
  };

  test("same labels, sizes and cost as the K × n block, ties included", () => {
    const d = lineMatrix([0, 1, 5, 9, 10, 3, 3, 7]);
    for (const med of [
      [4, 0],
      [0, 4],
      [2, 5, 6, 1],
      [7, 3, 0, 4, 2],
    ]) {
      const m = Int32Array.from(med);
      const src = withInto(d, 8);
      const a = assign(src, m);
      const b = assignFromRows(precomputed(d, 8).rowsTo(m), m.length, 8);
      expect(list(a.labels)).toEqual(list(b.labels));
      expect(list(a.sizes)).toEqual(list(b.sizes));
      expect(a.cost).toBe(b.cost);
      expect(src.written).toBe(med.length);
    }
  });

  test("a NaN distance is reported at the same offset", () => {
    const d = lineMatrix([0, 1, 5, 9]);
    d[2 * 4 + 3] = Number.NaN; // row of point 2, column 3
    const src = withInto(d, 4);
    // medoids (0, 2): the NaN is in slot 1's row at column 3 → offset 1·4 + 3 = 7
    expect(() => assign(src, Int32Array.from([0, 2]))).toThrow(/NaN distance at offset 7$/);
    expect(() => assignFromRows(precomputed(d, 4).rowsTo(Int32Array.from([0, 2])), 2, 4)).toThrow(
      /NaN distance at offset 7$/,
    );
    expect(() => assign(src, Int32Array.from([2, 0]))).toThrow(/NaN distance at offset 3$/);
  });
});

describe("precomputed distance source", () => {
  const d = lineMatrix([0, 1, 5, 9]);
  const src = precomputed(d, 4);
  test("submatrix follows the given point order", () => {
    // points (3, 0, 2): x = 9, 0, 5
    expect(Array.from(src.submatrix(Int32Array.from([3, 0, 2])))).toEqual([0, 9, 4, 9, 0, 5, 4, 5, 0]);
  });
  test("rowsTo gives |from| × n rows", () => {
    expect(Array.from(src.rowsTo(Int32Array.from([2, 1])))).toEqual([5, 4, 0, 4, 1, 0, 4, 8]);
  });
  test("returned blocks are fresh copies", () => {
    const sub = src.submatrix(Int32Array.from([0, 1]));
    sub[1] = 99;
    expect(d[1]).toBe(1);
  });
});
