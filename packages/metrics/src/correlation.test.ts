import { TbError } from "@tb/core";
import fc from "fast-check";
import { sampleCorrelation, sampleRankCorrelation } from "simple-statistics";
import { describe, expect, it } from "vitest";
import { close, loadScipyReference } from "./__fixtures__/reference.js";
import { averageRanks, kendallTauB, pearson, spearman } from "./correlation.js";

const ref = loadScipyReference();

describe("against scipy.stats (scipy_reference.json)", () => {
  it("has the cases the fixture promises", () => {
    expect(ref.correlation.length).toBeGreaterThanOrEqual(15);
    expect(ref.correlation.some((c) => Number.isNaN(c.kendallTauB))).toBe(true);
  });

  for (const c of ref.correlation) {
    it(`${c.name} (n=${c.x.length})`, () => {
      const got = {
        kendallTauB: kendallTauB(c.x, c.y),
        pearson: pearson(c.x, c.y),
        spearman: spearman(c.x, c.y),
      };
      for (const key of ["kendallTauB", "pearson", "spearman"] as const) {
        expect(close(got[key], c[key]), `${key}: got ${got[key]}, scipy ${c[key]}`).toBe(true);
      }
      // typed-array input gives the identical result
      expect(Object.is(kendallTauB(Float64Array.from(c.x), Float64Array.from(c.y)), got.kendallTauB)).toBe(true);
    });
  }
});

describe("kendallTauB, hand-computed", () => {
  it("counts ties in x only and in y only (τ-b, not τ-a)", () => {
    // x = [1,2,2,3], y = [1,3,2,2]; pairs (i,j):
    // (0,1) C  (0,2) C  (0,3) C  (1,2) x tied → T_x  (1,3) D  (2,3) y tied → T_y
    // P=3, Q=1, T_x=1, T_y=1 → τ_b = (3−1)/√((3+1+1)(3+1+1)) = 2/5   (τ_a would be 2/6)
    expect(kendallTauB([1, 2, 2, 3], [1, 3, 2, 2])).toBe(0.4);
  });

  it("leaves out pairs tied in both", () => {
    // x = [1,1,2,3], y = [5,5,6,4]: (0,1) tied in both → left out;
    // (0,2) C  (0,3) D  (1,2) C  (1,3) D  (2,3) D → P=2, Q=3, T_x=T_y=0 → τ_b = −1/√(5·5) = −0.2
    expect(kendallTauB([1, 1, 2, 3], [5, 5, 6, 4])).toBeCloseTo(-0.2, 15);
  });

  it("is NaN for a constant vector or fewer than 2 points", () => {
    expect(kendallTauB([2, 2, 2], [1, 2, 3])).toBeNaN();
    expect(kendallTauB([1, 2, 3], [0, 0, 0])).toBeNaN();
    expect(kendallTauB([1], [1])).toBeNaN();
    expect(kendallTauB([], [])).toBeNaN();
  });
});

describe("pearson and spearman, hand-computed", () => {
  it("pearson([1,2,3],[1,2,4]) = 3/√(2·14/3)", () => {
    // deviations (−1,0,1) and (−4/3,−1/3,5/3): Σdxdy = 3, Σdx² = 2, Σdy² = 14/3
    expect(pearson([1, 2, 3], [1, 2, 4])).toBeCloseTo(3 / Math.sqrt(28 / 3), 14);
  });

  it("spearman uses average ranks for ties", () => {
    // ranks of [10,20,10,30] are [1.5,3,1.5,4]; of [1,2,3,4] are [1,2,3,4]
    // deviations (−1,.5,−1,1.5), (−1.5,−.5,.5,1.5): Σ = 3, Σdx² = 4.5, Σdy² = 5 → ρ = 3/√22.5
    expect(spearman([10, 20, 10, 30], [1, 2, 3, 4])).toBeCloseTo(3 / Math.sqrt(22.5), 14);
    expect(Array.from(averageRanks([10, 20, 10, 30]))).toEqual([1.5, 3, 1.5, 4]);
    expect(Array.from(averageRanks([3, 3, 3, 1]))).toEqual([3, 3, 3, 1]);
  });

  it("is NaN for constant input, even when the mean is not exact in floating point", () => {
    expect(pearson([0.1, 0.1, 0.1], [1, 2, 3])).toBeNaN();
    expect(pearson([1, 2, 3], [0.7, 0.7, 0.7])).toBeNaN();
    expect(spearman([5, 5, 5, 5], [1, 2, 3, 4])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
    expect(spearman([1], [2])).toBeNaN();
  });

  it("does not overflow on huge magnitudes", () => {
    expect(pearson([-5e300, 5e300, 3e300, -3e300], [1, 2, 3, 4])).toBeCloseTo(
      pearson([-5, 5, 3, -3], [1, 2, 3, 4]),
      14,
    );
  });
});

describe("agrees with simple-statistics", () => {
  const vec = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 3, maxLength: 40 });
  it("spearman = sampleRankCorrelation (midranks)", () => {
    fc.assert(
      fc.property(vec, vec, (a, b) => {
        const n = Math.min(a.length, b.length);
        const x = a.slice(0, n);
        const y = b.slice(0, n);
        const ours = spearman(x, y);
        if (Number.isNaN(ours)) return new Set(x).size === 1 || new Set(y).size === 1;
        return close(ours, sampleRankCorrelation(x, y), 1e-12);
      }),
    );
  });
  it("pearson = sampleCorrelation", () => {
    fc.assert(
      fc.property(vec, vec, (a, b) => {
        const n = Math.min(a.length, b.length);
        const x = a.slice(0, n);
        const y = b.slice(0, n);
        fc.pre(new Set(x).size > 1 && new Set(y).size > 1);
        return close(pearson(x, y), sampleCorrelation(x, y), 1e-12);
      }),
    );
  });
});

describe("kendallTauB properties", () => {
  const pair = fc.integer({ min: 2, max: 40 }).chain((n) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.double({ min: -1, max: 1, noNaN: true })), {
        minLength: n,
        maxLength: n,
      }),
    ),
  );

  it("lies in [−1, 1] (or is NaN only for a constant input) and is exactly symmetric", () => {
    fc.assert(
      fc.property(pair, ([x, y]) => {
        const t = kendallTauB(x, y);
        const constant = new Set(x).size === 1 || new Set(y.map((v) => (Object.is(v, -0) ? 0 : v))).size === 1;
        if (Number.isNaN(t)) return constant;
        return !constant && t >= -1 && t <= 1 && Object.is(kendallTauB(y, x), t);
      }),
    );
  });

  it("τ(x, x) = 1 and τ(x, −x) = −1 for non-constant x, ties included", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 50 }), (x) => {
        fc.pre(new Set(x).size > 1);
        return (
          kendallTauB(x, x) === 1 &&
          kendallTauB(
            x,
            x.map((v) => -v),
          ) === -1
        );
      }),
    );
  });

  it("matches a brute-force evaluation of the τ-b definition", () => {
    fc.assert(
      fc.property(pair, ([x, y]) => {
        let p = 0;
        let q = 0;
        let tx = 0;
        let ty = 0;
        for (let i = 0; i < x.length; i++)
          for (let j = 0; j < i; j++) {
            const s = Math.sign((x[i] as number) - (x[j] as number));
            const t = Math.sign((y[i] as number) - (y[j] as number));
            if (s === 0 && t !== 0) tx++;
            else if (t === 0 && s !== 0) ty++;
            else if (s * t > 0) p++;
            else if (s * t < 0) q++;
          }
        const expected = (p - q) / Math.sqrt((p + q + tx) * (p + q + ty));
        return close(kendallTauB(x, y), expected, 1e-14);
      }),
    );
  });
});

describe("input validation", () => {
  it("rejects unequal lengths, naming both arguments", () => {
    expect(() => kendallTauB([1, 2, 3], [1, 2])).toThrow(TbError);
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/`x` and `y` must have the same length, got 3 and 2/);
  });

  it("rejects NaN and ±Infinity, naming the argument and index", () => {
    expect(() => spearman([1, 2, 3], [1, Number.NaN, 3])).toThrow(TbError);
    expect(() => spearman([1, 2, 3], [1, Number.NaN, 3])).toThrow(/spearman: `y\[1\]` is NaN/);
    expect(() => kendallTauB(Float64Array.of(1, Number.POSITIVE_INFINITY), [1, 2])).toThrow(/`x\[1\]` is Infinity/);
    expect(() => averageRanks([Number.NEGATIVE_INFINITY])).toThrow(TbError);
  });

  it("rejects non-arrays and non-number entries with a TbError", () => {
    expect(() => pearson("12" as unknown as number[], [1, 2])).toThrow(TbError);
    expect(() => pearson(null as unknown as number[], [1, 2])).toThrow(/`x` must be an array or typed array/);
    expect(() => pearson([1, "2"] as unknown as number[], [1, 2])).toThrow(/`x\[1\]` must be a number/);
  });

  it("does not modify its inputs", () => {
    const x = Float64Array.of(3, 1, 2);
    const y = [0.5, 0.25, 0.75];
    spearman(x, y);
    kendallTauB(x, y);
    pearson(x, y);
    expect(Array.from(x)).toEqual([3, 1, 2]);
    expect(y).toEqual([0.5, 0.25, 0.75]);
  });
});
