import { TbError } from "@tb/core";
import { describe, expect, it } from "vitest";
import { close, loadScipyReference } from "./__fixtures__/reference.js";
import { erfc, normalSf } from "./normal.js";
import { meanSe, oneSidedZTest } from "./summary.js";

const ref = loadScipyReference();

describe("meanSe", () => {
  it("hand case: [1,2,3,4] → mean 2.5, se = √(5/4)/√4", () => {
    // squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; std(ddof=0) = √(5/4); se = std/√4
    const r = meanSe([1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    expect(r.se).toBeCloseTo(Math.sqrt(1.25) / 2, 15);
  });

  it("uses ddof = 0, not ddof = 1", () => {
    // with ddof = 1 the se of [0, 1] would be √0.5/√2 = 0.5; with ddof = 0 it is 0.5/√2
    expect(meanSe([0, 1]).se).toBeCloseTo(0.5 / Math.SQRT2, 15);
  });

  it("matches numpy (np.mean, np.std/√n)", () => {
    for (const c of ref.meanSe) {
      const r = meanSe(Float64Array.from(c.values));
      expect(close(r.mean, c.mean), `${c.name} mean`).toBe(true);
      expect(close(r.se, c.se), `${c.name} se`).toBe(true);
    }
  });

  it("rejects empty or non-finite input", () => {
    expect(() => meanSe([])).toThrow(TbError);
    expect(() => meanSe([])).toThrow(/meanSe: `values` must have at least 1 entry/);
    expect(() => meanSe([1, Number.NaN])).toThrow(/`values\[1\]` is NaN/);
  });
});

describe("oneSidedZTest", () => {
  it("hand case: a=[1,2,3], b=[0,0,1] → z = 2.5", () => {
    // means 2 and 1/3; ddof=1 variances 1 and 1/3; se = √(1/3 + (1/3)/3) = 2/3; z = (5/3)/(2/3)
    const r = oneSidedZTest([1, 2, 3], [0, 0, 1]);
    expect(r.z).toBeCloseTo(2.5, 14);
    expect(close(r.p, 0.006209665325776132)).toBe(true); // scipy.stats.norm.sf(2.5)
    // the alternative is one-sided: swapping the samples flips z and gives 1 − p
    const s = oneSidedZTest([0, 0, 1], [1, 2, 3]);
    expect(s.z).toBeCloseTo(-2.5, 14);
    expect(s.p).toBeCloseTo(1 - r.p, 14);
  });

  it("matches numpy/scipy (unpooled, ddof=1, norm.sf)", () => {
    for (const c of ref.zTest) {
      const r = oneSidedZTest(c.a, c.b);
      expect(close(r.z, c.z), `${c.name} z: ${r.z} vs ${c.z}`).toBe(true);
      expect(close(r.p, c.p), `${c.name} p: ${r.p} vs ${c.p}`).toBe(true);
    }
  });

  it("handles zero variance as documented and rejects samples with < 2 entries", () => {
    expect(oneSidedZTest([1, 1], [0, 0])).toEqual({ z: Number.POSITIVE_INFINITY, p: 0 });
    expect(oneSidedZTest([0, 0], [1, 1])).toEqual({ z: Number.NEGATIVE_INFINITY, p: 1 });
    expect(oneSidedZTest([1, 1], [1, 1]).p).toBeNaN();
    expect(() => oneSidedZTest([1], [1, 2])).toThrow(/oneSidedZTest: `a` must have at least 2 entries, got 1/);
  });
});

describe("normalSf (Cody erfc)", () => {
  it("matches scipy.stats.norm.sf to 1e-12 relative", () => {
    for (const { z, sf } of ref.normalSf) {
      const got = normalSf(z);
      if (sf === 0) expect(got, `z=${z}`).toBeLessThan(1e-300);
      else expect(Math.abs(got - sf) / sf, `z=${z}: ${got} vs ${sf}`).toBeLessThan(1e-12);
    }
  });

  it("erfc edge values", () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(erfc(Number.NaN)).toBeNaN();
    expect(normalSf(0)).toBe(0.5);
  });
});
