import { TbError } from "@tb/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { exactGrid, quantizeDistances } from "./exact.js";

describe("exact grid (docs/METHOD.md §9.18)", () => {
  test("grid is a power of two leaving headroom for 2m + 4 terms", () => {
    // max 3 → 2^2; m = 10 → ceil(log2 24) = 5 bits → grid 2^(2 + 5 − 53) = 2^-46
    expect(exactGrid(3, 10)).toBe(2 ** -46);
    expect(exactGrid(4, 10)).toBe(2 ** -46);
    expect(exactGrid(4.5, 10)).toBe(2 ** -45);
    expect(exactGrid(0, 10)).toBe(0);
  });

  test("integers, zeros and duplicates are unchanged; values move by at most half a grid step", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const d = Float64Array.from([...xs, 0, 7, 7]);
        const q = quantizeDistances(d, 100);
        const g = exactGrid(Math.max(...d), 100);
        for (let t = 0; t < d.length; t++) {
          expect(Math.abs((q[t] as number) - (d[t] as number))).toBeLessThanOrEqual(g / 2);
        }
        expect(q[d.length - 3]).toBe(0);
        expect(q[d.length - 2]).toBe(7);
        expect(q[d.length - 1]).toBe(q[d.length - 2]);
        expect(quantizeDistances(q, 100)).toEqual(q); // idempotent
      }),
    );
  });

  test("sums of quantized values do not depend on the order of summation", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 2, maxLength: 200 }),
        fc.integer(),
        (xs, seed) => {
          const q = quantizeDistances(Float64Array.from(xs), xs.length);
          const forward = q.reduce((s, x) => s + x, 0);
          const backward = q.reduceRight((s, x) => s + x, 0);
          const shuffled = [...q].sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
          expect(backward).toBe(forward);
          expect(shuffled.reduce((s, x) => s + x, 0)).toBe(forward);
        },
      ),
    );
  });

  test("rejects NaN, negative and infinite distances", () => {
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(() => quantizeDistances(Float64Array.from([0, bad]), 2)).toThrow(TbError);
    }
  });

  test("does not modify its input unless asked to write in place", () => {
    const d = Float64Array.from([0.1, 0.2, 0.30000000000000004]);
    const copy = d.slice();
    quantizeDistances(d, 3);
    expect(d).toEqual(copy);
    const q = quantizeDistances(d, 3, d);
    expect(q).toBe(d);
  });
});
