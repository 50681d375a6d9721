import { TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import { meanPairDistance, modelDistances, selectNativeSources } from "./native.js";

/** Symmetric matrix from the upper triangle given as {"i,j": d}. */
function sym(n: number, upper: Record<string, number>): Float64Array {
  const d = new Float64Array(n * n);
  for (const [k, v] of Object.entries(upper)) {
    const [i, j] = k.split(",").map(Number) as [number, number];
    d[i * n + j] = v;
    d[j * n + i] = v;
  }
  return d;
}

describe("native-source threshold and n̄ (docs/METHOD.md §3 step 3), worked by hand", () => {
  // 3 sources (0,1,2), 2 targets (3,4)
  const d = sym(5, {
    "0,1": 1,
    "0,2": 4,
    "1,2": 3,
    "0,3": 1,
    "1,3": 2,
    "2,3": 5,
    "0,4": 3,
    "1,4": 3,
    "2,4": 1,
    "3,4": 2,
  });
  test("d̄ averages all 10 pairs, targets included: 25/10 = 2.5", () => {
    expect(meanPairDistance(d, 5)).toBe(2.5);
  });
  test("n_t = [2, 1] (target 3: 1,2 ≤ 2.5; target 4: only 1), n̄ = ⌊1.5⌋ = 1", () => {
    const sel = selectNativeSources(d, 3, 2);
    expect(sel.dBar).toBe(2.5);
    expect(Array.from(sel.counts)).toEqual([2, 1]);
    expect(sel.nBar).toBe(1);
    expect(sel.natives.map((a) => Array.from(a))).toEqual([[0], [2]]);
  });
  test("'le' vs 'lt' differ when a distance equals d̄ exactly", () => {
    // pairs: 0-1:2, 0-2:2, 1-2:2 ... sum with targets so that d̄ = 2
    const e = sym(4, { "0,1": 2, "0,2": 2, "1,2": 2, "0,3": 2, "1,3": 1, "2,3": 3 }); // sum 12 / 6 = 2
    expect(Array.from(selectNativeSources(e, 3, 1, { thresholdCompare: "le" }).counts)).toEqual([2]);
    expect(Array.from(selectNativeSources(e, 3, 1, { thresholdCompare: "lt" }).counts)).toEqual([1]);
  });
  test("ties between sources go to the lower source index", () => {
    // targets 3 and 4; d̄ = 56/10 = 5.6 → n_3 = 2 (7 > 5.6; 1, 1), n_4 = 0 (9, 9, 9) → n̄ = ⌊1⌋ = 1
    const e = sym(5, {
      "0,1": 5,
      "0,2": 5,
      "1,2": 5,
      "0,3": 7,
      "1,3": 1,
      "2,3": 1,
      "0,4": 9,
      "1,4": 9,
      "2,4": 9,
      "3,4": 5,
    });
    const sel = selectNativeSources(e, 3, 2);
    expect(sel.nBar).toBe(1);
    expect(Array.from(sel.natives[0]!)).toEqual([1]); // sources 1 and 2 tie at 1 → index 1
    expect(Array.from(sel.natives[1]!)).toEqual([0]); // all tie at 9 → index 0
  });
  test("n̄ = 0 falls back to the mean target–source distance by default", () => {
    // d̄ = 20/3 < 10: no source within d̄. Mean target–source distance = 10 → both sources (≤).
    const e = sym(3, { "0,1": 0, "0,2": 10, "1,2": 10 });
    const sel = selectNativeSources(e, 2, 1);
    expect(sel.fallback).toBe("target-source-mean");
    expect(sel.threshold).toBe(10);
    expect(sel.nBar).toBe(2);
    expect(Array.from(sel.natives[0]!)).toEqual([0, 1]);
    // With the strict "<" test nothing is below the mean either: every source.
    const lt = selectNativeSources(e, 2, 1, { thresholdCompare: "lt" });
    expect(lt.fallback).toBe("all-sources");
    expect(lt.threshold).toBe(Number.POSITIVE_INFINITY);
    expect(Array.from(lt.counts)).toEqual([2]);
    expect(lt.nBar).toBe(2);
  });
  test("the fallback keeps the nearest sources when distances differ", () => {
    // sources 0,1,2 mutually 0 apart; target 3 at 30, 12, 18 → d̄ = 60/6 = 10, n̄ = 0;
    // target–source mean = 20 → sources 1 and 2 (12, 18 ≤ 20), not 0 (30).
    const e = sym(4, { "0,1": 0, "0,2": 0, "1,2": 0, "0,3": 30, "1,3": 12, "2,3": 18 });
    const sel = selectNativeSources(e, 3, 1);
    expect(sel.fallback).toBe("target-source-mean");
    expect(Array.from(sel.natives[0]!)).toEqual([1, 2]);
    expect(selectNativeSources(sym(3, { "0,1": 1, "0,2": 1, "1,2": 1 }), 2, 1).fallback).toBe("none");
  });
  test('n̄ = 0 is a clear E_DEGENERATE error with onNoNatives: "error"', () => {
    const e = sym(3, { "0,1": 0, "0,2": 10, "1,2": 10 }); // d̄ = 20/3; target 2 is 10 from source 0 and 1
    try {
      selectNativeSources(e, 2, 1, { onNoNatives: "error" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TbError);
      expect((err as TbError).code).toBe("E_DEGENERATE");
    }
  });
});

describe("modelDistances (docs/METHOD.md §3 step 2)", () => {
  test("raw manhattan on G answers when standardize is off", () => {
    // 3 models × 2 G examples
    const v = Float64Array.from([1, 0, 0, 0, 1, 1]);
    const d = modelDistances(v, 3, 2, { standardize: false });
    expect(Array.from(d)).toEqual([0, 1, 1, 1, 0, 2, 1, 2, 0]);
  });
  test("columns are standardised across models before distances", () => {
    // column 0: [1,0,1] → mean 2/3, sd sqrt(2/9); column 1: [0,0,1] → mean 1/3, sd sqrt(2/9)
    const v = Float64Array.from([1, 0, 0, 0, 1, 1]);
    const d = modelDistances(v, 3, 2);
    const s = Math.sqrt(2 / 9);
    // model 0 vs 1 differ only in column 0: |1−0|/s
    expect(d[1]).toBeCloseTo(1 / s, 12);
    // model 1 vs 2 differ in both: 2/s
    expect(d[5]).toBeCloseTo(2 / s, 12);
  });
});

describe("selectNativeSources refuses what would select silently wrong", () => {
  // 2 sources, 1 target: the target is near source 1 (distance 1) and far from source 0 (distance 9)
  const good = Float64Array.from([0, 4, 9, 4, 0, 1, 9, 1, 0]);
  test("a NaN, infinite or negative distance names the pair", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      const d = Float64Array.from(good);
      d[6] = bad;
      d[2] = bad;
      expect(() => selectNativeSources(d, 2, 1)).toThrow(
        new RegExp(`^selectNativeSources: the distance between models 0 and 2 is ${bad}, not a finite number ≥ 0`),
      );
    }
    expect(Array.from(selectNativeSources(good, 2, 1).natives[0] as Int32Array)).toEqual([1]);
  });
  test("fractional sizes and an unknown thresholdCompare are usage errors", () => {
    expect(() => selectNativeSources(good, 1.5, 1.5)).toThrow(
      /^selectNativeSources: sources and targets must be integers ≥ 1/,
    );
    expect(() => selectNativeSources(good, 2, 1, { thresholdCompare: "<=" as never })).toThrow(
      /^selectNativeSources: thresholdCompare must be "le" or "lt", got "<="/,
    );
  });
});

describe("an option a function does not have is refused by name, not ignored", () => {
  const values = Float64Array.from([1, 0, 1, 0, 1, 1, 0, 0, 1]); // 3 models × 3 G examples
  test("modelDistances reads the distance's options only", () => {
    // a typo would otherwise standardise (the default) without a word
    expect(() => modelDistances(values, 3, 3, { standardise: false } as never)).toThrow(
      /^modelDistances: unknown option "standardise" \(known: metric, standardize\)/,
    );
    // the threshold's options are selectNativeSources's: given here they did nothing
    expect(() => modelDistances(values, 3, 3, { thresholdCompare: "lt" } as never)).toThrow(
      /^modelDistances: unknown option "thresholdCompare"/,
    );
    expect(() => modelDistances(values, 3, 3, { standardize: false, metric: "euclidean" })).not.toThrow();
  });
  test("selectNativeSources reads the threshold's options only", () => {
    const dist = modelDistances(values, 3, 3);
    expect(() => selectNativeSources(dist, 2, 1, { onNoNative: "error" } as never)).toThrow(
      /^selectNativeSources: unknown option "onNoNative" \(known: thresholdCompare, onNoNatives\)/,
    );
    expect(() => selectNativeSources(dist, 2, 1, { metric: "euclidean" } as never)).toThrow(
      /^selectNativeSources: unknown option "metric"/,
    );
    expect(selectNativeSources(dist, 2, 1, { thresholdCompare: "lt", onNoNatives: "fallback" }).natives).toHaveLength(
      1,
    );
  });
});
