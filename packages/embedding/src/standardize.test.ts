import { TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import { standardizeColumns } from "./standardize.js";

describe("standardizeColumns (docs/METHOD.md §2.1)", () => {
  test("population std: column [1,2,3,4] → (x−2.5)/sqrt(1.25)", () => {
    // mean 2.5, population variance (2.25+0.25+0.25+2.25)/4 = 1.25
    const z = standardizeColumns(Float64Array.from([1, 2, 3, 4]), 4, 1);
    const s = Math.sqrt(1.25);
    expect(Array.from(z)).toEqual([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]);
  });

  test("constant and all-zero columns are only centred: zero, never NaN", () => {
    // columns: constant 0.7, all zero, 0/1
    const x = Float64Array.from([0.7, 0, 0, 0.7, 0, 1, 0.7, 0, 1]);
    const z = standardizeColumns(x, 3, 3);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(z[i * 3] as number)).toBeLessThan(1e-15);
      expect(z[i * 3 + 1]).toBe(0);
    }
    // third column: mean 2/3, var 2/9 → values (0−2/3)/sqrt(2/9), (1−2/3)/sqrt(2/9)
    expect(z[2]).toBeCloseTo(-2 / 3 / Math.sqrt(2 / 9), 14);
    expect(z[5]).toBeCloseTo(1 / 3 / Math.sqrt(2 / 9), 14);
    expect(z.every((v) => Number.isFinite(v))).toBe(true);
  });

  test("standardised columns have mean 0 and population variance 1", () => {
    const r = 7;
    const q = 3;
    const x = new Float64Array(r * q);
    for (let i = 0; i < x.length; i++) x[i] = ((i * 37) % 11) / 10;
    const z = standardizeColumns(x, r, q);
    for (let j = 0; j < q; j++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < r; i++) m += z[i * q + j] as number;
      m /= r;
      for (let i = 0; i < r; i++) v += ((z[i * q + j] as number) - m) ** 2;
      expect(m).toBeCloseTo(0, 12);
      expect(v / r).toBeCloseTo(1, 12);
    }
  });

  test("rejects a length that does not match r×q", () => {
    expect(() => standardizeColumns(new Float64Array(5), 2, 3)).toThrow(TbError);
  });
});
