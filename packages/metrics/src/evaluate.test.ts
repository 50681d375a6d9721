import { describe, expect, it } from "vitest";
import { close, loadScipyReference } from "./__fixtures__/reference.js";
import { evaluateEstimates, nanToZero } from "./evaluate.js";
import * as api from "./index.js";

const ref = loadScipyReference();

describe("nanToZero", () => {
  it("maps NaN to 0 and leaves everything else alone", () => {
    expect(nanToZero(Number.NaN)).toBe(0);
    expect(nanToZero(-0.25)).toBe(-0.25);
    expect(nanToZero(1)).toBe(1);
    expect(nanToZero(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("evaluateEstimates", () => {
  it("matches the scipy fixture with NaN correlations recorded as 0", () => {
    for (const c of ref.correlation) {
      const m = evaluateEstimates(c.x, c.y);
      expect(close(m.kendallTau, nanToZero(c.kendallTauB)), `${c.name} tau`).toBe(true);
      expect(close(m.pearson, nanToZero(c.pearson)), `${c.name} pearson`).toBe(true);
      expect(close(m.spearman, nanToZero(c.spearman)), `${c.name} spearman`).toBe(true);
      expect(close(m.mae, c.mae), `${c.name} mae`).toBe(true);
      expect(close(m.mse, c.mse), `${c.name} mse`).toBe(true);
    }
  });

  it("records 0 (not NaN) when every estimate is the same", () => {
    // errors 0.1, −0.1, −0.3 → MAE 0.5/3, MSE 0.11/3; every correlation is NaN (constant estimates) → 0
    const m = evaluateEstimates([0.5, 0.5, 0.5], Float64Array.of(0.4, 0.6, 0.8));
    expect([m.kendallTau, m.pearson, m.spearman]).toEqual([0, 0, 0]);
    expect(m.mae).toBeCloseTo(0.5 / 3, 15);
    expect(m.mse).toBeCloseTo(0.11 / 3, 15);
  });

  it("rejects empty and mismatched input", () => {
    expect(() => evaluateEstimates([], [])).toThrow(/evaluateEstimates: `estimates` must have at least 1 entry/);
    expect(() => evaluateEstimates([1, 2], [1])).toThrow(/`estimates` and `truth` must have the same length/);
  });
});

describe("package entry", () => {
  it("exports exactly the public API", () => {
    expect(Object.keys(api).sort()).toEqual([
      "TbError", // re-exported from @tb/core: the error type every function throws
      "averageRanks",
      "evaluateEstimates",
      "isTbError",
      "kendallTauB",
      "mae",
      "meanSe",
      "mse",
      "nanToZero",
      "oneSidedZTest",
      "pairOrder",
      "pairwiseRankAccuracy",
      "pearson",
      "spearman",
    ]);
  });
});
