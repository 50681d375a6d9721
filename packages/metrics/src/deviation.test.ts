import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { close, loadScipyReference } from "./__fixtures__/reference.js";
import { kendallTauB } from "./correlation.js";
import { mae, mse, pairwiseRankAccuracy } from "./deviation.js";

const ref = loadScipyReference();

describe("mae and mse", () => {
  it("match numpy on every fixture case", () => {
    for (const c of ref.correlation) {
      expect(close(mae(c.x, c.y), c.mae), `${c.name} mae`).toBe(true);
      expect(close(mse(c.x, c.y), c.mse), `${c.name} mse`).toBe(true);
    }
  });

  it("hand case: errors (0.1, −0.3, 0.2) → MAE 0.2, MSE 0.14/3", () => {
    const est = [0.6, 0.2, 0.9];
    const truth = [0.5, 0.5, 0.7];
    expect(mae(est, truth)).toBeCloseTo(0.2, 15);
    expect(mse(est, truth)).toBeCloseTo((0.01 + 0.09 + 0.04) / 3, 15);
    expect(mae(truth, truth)).toBe(0);
  });

  it("reject empty and mismatched input", () => {
    expect(() => mae([], [])).toThrow(/mae: `estimates` must have at least 1 entry, got 0/);
    expect(() => mse([1], [1, 2])).toThrow(/`estimates` and `truth` must have the same length/);
    expect(() => mse([1], [Number.NaN])).toThrow(/`truth\[0\]` is NaN/);
  });
});

describe("pairwiseRankAccuracy", () => {
  it("hand case: truth ties left out, estimate ties count half", () => {
    // estimates [.1,.2,.2,.4], truth [1,2,3,3]; pairs:
    // (0,1) agree (0,2) agree (0,3) agree (1,2) estimates tied → ½ (1,3) agree (2,3) truth tied → left out
    // → (4 + ½) / 5 = 0.9
    expect(pairwiseRankAccuracy([0.1, 0.2, 0.2, 0.4], [1, 2, 3, 3])).toBeCloseTo(0.9, 15);
  });

  it("is 1 for the same order, 0 for the reverse order, NaN when truth is constant", () => {
    expect(pairwiseRankAccuracy([3, 1, 2], [30, 10, 20])).toBe(1);
    expect(pairwiseRankAccuracy([3, 1, 2], [10, 30, 20])).toBe(0);
    expect(pairwiseRankAccuracy([3, 1, 2], [5, 5, 5])).toBeNaN();
    expect(pairwiseRankAccuracy([1], [1])).toBeNaN();
  });

  it("is not symmetric: ties in truth and in estimates are treated differently", () => {
    expect(pairwiseRankAccuracy([1, 1, 2], [1, 2, 3])).toBeCloseTo(2.5 / 3, 15);
    expect(pairwiseRankAccuracy([1, 2, 3], [1, 1, 2])).toBe(1);
  });

  it("equals (1 + τ)/2 when there are no ties", () => {
    const distinct = fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 30 });
    fc.assert(
      fc.property(distinct, distinct, (a, b) => {
        const n = Math.min(a.length, b.length);
        const x = a.slice(0, n);
        const y = b.slice(0, n);
        fc.pre(n >= 2);
        return close(pairwiseRankAccuracy(x, y), (1 + kendallTauB(x, y)) / 2, 1e-14);
      }),
    );
  });
});
