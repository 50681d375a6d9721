import { CorrectnessMatrix, createOracle, RandomStream, TbError } from "@tb/core";
import { ridgeLoo, ridgePredict } from "@tb/linear";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { estimateFromClusters } from "../calibrate.js";
import { tailoredBench, tailoredPlus } from "../evaluation/methods.js";
import { nativeCalibrationErrors, sourceCalibrationErrors } from "../interval.js";
import { expectUsage } from "../test-utils.js";
import { defaultStrata, designEstimate, designFromPicks, sourceMeans, stratifiedDesign } from "./design.js";
import { conformalHalfWidth, learnedEstimate } from "./learned.js";
import {
  afterSecondLook,
  coresetGapBound,
  gsetScores,
  plausibleEnds,
  plusMode,
  plusWithin,
  secondLookSize,
} from "./method.js";

/** A seeded 0/1 matrix with a spread of model abilities and example difficulties. */
function population(models: number, examples: number, seed: number): Float64Array {
  const rng = RandomStream.derive("plus-test", seed);
  const out = new Float64Array(models * examples);
  const diff = Array.from({ length: examples }, () => rng.nextNormal());
  for (let m = 0; m < models; m++) {
    const ability = -1.5 + (3 * m) / Math.max(1, models - 1);
    for (let x = 0; x < examples; x++) {
      const p = 1 / (1 + Math.exp(-(ability - (diff[x] as number))));
      out[m * examples + x] = rng.nextFloat() < p ? 1 : 0;
    }
  }
  return out;
}

function matrix(data: Float64Array, rows: number, cols: number): CorrectnessMatrix {
  return new CorrectnessMatrix({
    data,
    modelIds: Array.from({ length: rows }, (_, i) => `m${i}`),
    exampleIds: Array.from({ length: cols }, (_, j) => `${j}`),
    kind: "binary",
  });
}

describe("stratified design", () => {
  test("proportional allocation by largest remainder, strata cut by difficulty, G-set left out", () => {
    // 12 examples, G = {0, 11}; the other 10 ranked by difficulty = their index here.
    const difficulty = Float64Array.from({ length: 12 }, (_, x) => x / 12);
    const gset = Int32Array.from([0, 11]);
    const d = stratifiedDesign(difficulty, gset, 5, RandomStream.derive("strata"), 3);
    // 10 examples in 3 strata: sizes 3, 3, 4 (cuts at ⌊10h/3⌋ = 0, 3, 6, 10)
    expect(Array.from(d.sizes)).toEqual([3, 3, 4]);
    expect(Array.from(d.stratumOf)).toEqual([-1, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, -1]);
    // exact shares 1.5, 1.5, 2.0 → floors 1, 1, 2, one left over → the larger remainder, ties to stratum 0
    const per = [0, 0, 0];
    for (const x of d.picks) {
      const h = d.stratumOf[x] as number;
      per[h] = (per[h] as number) + 1;
    }
    expect(per).toEqual([2, 1, 2]);
    expect(d.picks.length).toBe(5);
    expect(new Set(d.picks).size).toBe(5);
    // G example 0 (difficulty 0) pools into stratum 0, example 11 (above every stratum) into the last
    expect(Array.from(d.gsetStratum)).toEqual([0, 2]);
  });
  test("same stream → same draws; default strata = clamp(⌊extra/4⌋, 1, 5)", () => {
    const difficulty = Float64Array.from({ length: 50 }, (_, x) => (x * 7) % 13);
    const gset = Int32Array.from([3, 9]);
    const a = stratifiedDesign(difficulty, gset, 20, RandomStream.derive("s", 1));
    const b = stratifiedDesign(difficulty, gset, 20, RandomStream.derive("s", 1));
    expect(Array.from(a.picks)).toEqual(Array.from(b.picks));
    expect([defaultStrata(3), defaultStrata(10), defaultStrata(20), defaultStrata(30)]).toEqual([1, 2, 5, 5]);
    expect(() => stratifiedDesign(difficulty, gset, 49, RandomStream.derive("s"))).toThrow(TbError);
  });
  test("pooled allocation: the draws fill each stratum up to its share of draws plus pooled fixed answers", () => {
    const per = (d: { picks: Int32Array; stratumOf: Int32Array }, H: number) => {
      const c = new Array<number>(H).fill(0);
      for (const x of d.picks) {
        const h = d.stratumOf[x] as number;
        c[h] = (c[h] as number) + 1;
      }
      return c;
    };
    // 20 examples, difficulty = index; fixed {0, 1, 2, 3} all pool into stratum 0 of 2 (the other 16: 4..11, 12..19)
    const difficulty = Float64Array.from({ length: 20 }, (_, x) => x);
    const fixed = Int32Array.from([0, 1, 2, 3]);
    const rng = () => RandomStream.derive("pooled");
    // proportional: 8 draws → 4 + 4, so stratum 0 rests on 8 answers and stratum 1 on 4
    expect(per(stratifiedDesign(difficulty, fixed, 8, rng(), 2), 2)).toEqual([4, 4]);
    // pooled: shares (8 + 4)·8/16 = 6 each; stratum 0 holds 4 fixed → 2 draws, stratum 1 → 6
    const p = stratifiedDesign(difficulty, fixed, 8, rng(), 2, undefined, "pooled");
    expect(Array.from(p.gsetStratum)).toEqual([0, 0, 0, 0]);
    expect(per(p, 2)).toEqual([2, 6]);
    // a stratum past its share takes none; shares (3 + 4)·8/16 = 3.5: stratum 0 holds 4 → 0 + 3
    expect(per(stratifiedDesign(difficulty, fixed, 3, rng(), 2, undefined, "pooled"), 2)).toEqual([0, 3]);
    // a full stratum takes no more: 14 draws into 3 strata of 16 examples (5, 5, 6) with 4 fixed in the first
    // shares 18·5/16 = 5.625, 5.625, 6.75 → stratum 0 can take 1.625 of them, the others fill up to their sizes
    expect(per(stratifiedDesign(difficulty, fixed, 14, rng(), 3, undefined, "pooled"), 3)).toEqual([3, 5, 6]);
    expect(() => stratifiedDesign(difficulty, fixed, 3, rng(), 2, undefined, "even" as never)).toThrow(/allocation/);
  });
  test("pooled allocation with no fixed example is the proportional one", () => {
    const r = RandomStream.derive("pooled-prop");
    for (let trial = 0; trial < 200; trial++) {
      const n = 5 + r.nextInt(60);
      const difficulty = Float64Array.from({ length: n }, () => r.nextInt(7));
      const extra = 1 + r.nextInt(n);
      const strata = 1 + r.nextInt(Math.min(extra, 6));
      const a = stratifiedDesign(difficulty, new Int32Array(0), extra, RandomStream.derive("d", trial), strata);
      const b = stratifiedDesign(
        difficulty,
        new Int32Array(0),
        extra,
        RandomStream.derive("d", trial),
        strata,
        undefined,
        "pooled",
      );
      expect(Array.from(b.picks)).toEqual(Array.from(a.picks));
    }
  });
  test("designFromPicks rebuilds the same strata from the draws alone (tb estimate)", () => {
    const difficulty = Float64Array.from({ length: 50 }, (_, x) => (x * 7) % 13);
    const gset = Int32Array.from([3, 9]);
    const a = stratifiedDesign(difficulty, gset, 20, RandomStream.derive("s", 2));
    const b = designFromPicks(difficulty, gset, a.picks, a.strata);
    expect(Array.from(b.stratumOf)).toEqual(Array.from(a.stratumOf));
    expect(Array.from(b.gsetStratum)).toEqual(Array.from(a.gsetStratum));
    expect(() => designFromPicks(difficulty, gset, Int32Array.from([3]), a.strata)).toThrow(/G-set/);
  });
});

describe("design estimate", () => {
  test("with a huge ridge penalty it is the stratified mean with the G-set counted exactly", () => {
    // 6 sources × 8 examples; G = {0}; strata (hand-made) {1,2,3} and {4,5,6,7}.
    const S = 6;
    const n = 8;
    const src = matrix(population(S, n, 3), S, n);
    const design = {
      strata: 2,
      stratumOf: Int32Array.from([-1, 0, 0, 0, 1, 1, 1, 1]),
      sizes: Int32Array.from([3, 4]),
      members: [Int32Array.from([1, 2, 3]), Int32Array.from([4, 5, 6, 7])],
      gsetStratum: Int32Array.from([0]),
    };
    const gset = Int32Array.from([0]);
    const observed = Int32Array.from([0, 1, 2, 5]);
    const y = [1, 0, 1, 1];
    const est = designEstimate(src, design, gset, observed, y, 1e12);
    // p̂ ≡ mean(y) = 3/4 → residual means: stratum 0 over {0 (G), 1, 2}: (1 + 0 + 1)/3 − ¾;
    // stratum 1 over {5}: 1 − ¾. P̂ = (1 + 3·(2/3) + 4·1) / 8 = 7/8.
    expect(est.accuracy).toBeCloseTo(7 / 8, 9);
    expect(est.se).toBeGreaterThan(0);
  });
  test("every answer right → 1; every answer wrong → 0 (whatever the sources say)", () => {
    const src = matrix(population(10, 40, 5), 10, 40);
    const gset = Int32Array.from([0, 1, 2]);
    const d = stratifiedDesign(sourceMeans(src), gset, 12, RandomStream.derive("d"));
    const observed = Int32Array.from([...gset, ...d.picks]);
    expect(designEstimate(src, d, gset, observed, new Float64Array(15).fill(1), 10).accuracy).toBeCloseTo(1, 9);
    expect(designEstimate(src, d, gset, observed, new Float64Array(15), 10).accuracy).toBeCloseTo(0, 9);
  });
});

describe("learned estimate", () => {
  const S = 30;
  const n = 60;
  const all = population(S + 1, n, 11);
  const src = matrix(all.slice(0, S * n), S, n);
  const acc = src.trueScores();
  const natives = Int32Array.from([3, 8, 12, 20, 25]);
  const nset = Int32Array.from([0, 7, 14, 21, 28, 35, 42, 49]);
  const labels = Int32Array.from({ length: n }, (_, x) => Math.min(7, Math.floor(x / 7.5)));
  const answers = Array.from(nset, (j) => all[S * n + j] as number);
  const est = learnedEstimate(src, acc, natives, nset, labels, answers, [0.1, 1, 10]);
  test("its parts are the ridge model and TailoredBench's calibrated estimate", () => {
    const X = new Float64Array(S * nset.length);
    for (let s = 0; s < S; s++)
      for (let j = 0; j < nset.length; j++) X[s * nset.length + j] = src.data[s * n + (nset[j] as number)] as number;
    const fit = ridgeLoo(X, S, nset.length, acc, [0.1, 1, 10]);
    expect(est.learned).toBeCloseTo(ridgePredict(fit.fit, answers), 12);
    const mBar = new Float64Array(n);
    for (const s of natives)
      for (let x = 0; x < n; x++) mBar[x] = (mBar[x] as number) + (src.data[s * n + x] as number) / natives.length;
    expect(est.calibrated).toBeCloseTo(estimateFromClusters(mBar, nset, labels, answers).accuracy, 12);
    expect(est.accuracy).toBeCloseTo(
      Math.min(1, Math.max(0, est.blend * est.learned + (1 - est.blend) * est.calibrated)),
      12,
    );
  });
  test("the blend's errors are λ·(ridge LOO error) + (1−λ)·(calibrated LOO error), λ the grid's best", () => {
    // The ridge part from @tb/linear (checked against NumPy refits there): the LOO residual has the
    // sign of the in-sample residual. The calibrated part on the natives from nativeCalibrationErrors
    // (an independent loop in interval.ts), elsewhere the plain formula with all natives.
    const K = nset.length;
    const X = new Float64Array(S * K);
    for (let s = 0; s < S; s++)
      for (let j = 0; j < K; j++) X[s * K + j] = src.data[s * n + (nset[j] as number)] as number;
    const fit = ridgeLoo(X, S, K, acc, [0.1, 1, 10]);
    const sq = fit.squaredErrors[fit.alphaIndex] as Float64Array;
    const eL = Float64Array.from({ length: S }, (_, s) => {
      const r = (acc[s] as number) - ridgePredict(fit.fit, X.subarray(s * K, (s + 1) * K));
      return -Math.sign(r) * Math.sqrt(sq[s] as number);
    });
    const mBar = new Float64Array(n);
    for (const s of natives)
      for (let x = 0; x < n; x++) mBar[x] = (mBar[x] as number) + (src.data[s * n + x] as number) / natives.length;
    const eC = Float64Array.from(
      { length: S },
      (_, s) =>
        estimateFromClusters(
          mBar,
          nset,
          labels,
          Array.from(nset, (j) => src.data[s * n + j] as number),
        ).accuracy - (acc[s] as number),
    );
    const ref = nativeCalibrationErrors(src, { natives, nset, labels });
    natives.forEach((s, k) => {
      eC[s] = ref[k] as number;
    });
    for (let s = 0; s < S; s++) {
      expect(est.errors[s]).toBeCloseTo(est.blend * (eL[s] as number) + (1 - est.blend) * (eC[s] as number), 12);
    }
    const meanAbs = (lam: number) =>
      eL.reduce((a, e, s) => a + Math.abs(lam * e + (1 - lam) * (eC[s] as number)), 0) / S;
    for (const lam of [1, 0.75, 0.5, 0.25, 0]) expect(meanAbs(est.blend)).toBeLessThanOrEqual(meanAbs(lam) + 1e-12);
  });
});

describe("conformal half-width", () => {
  test("the ⌈(m+1)·level⌉-th smallest absolute error", () => {
    const e = Float64Array.from([0.1, -0.5, 0.3, -0.2, 0.4, 0.05, -0.15, 0.25, 0.35]);
    // m = 9, level 0.8 → ⌈8⌉ = 8th smallest of |e| sorted: .05 .1 .15 .2 .25 .3 .35 .4 .5 → 0.4
    expect(conformalHalfWidth(e, 0.8)).toBe(0.4);
    expect(conformalHalfWidth(e, 0.95)).toBe(Number.POSITIVE_INFINITY); // ⌈9.5⌉ = 10 > 9
  });
});

describe("plusWithin's interval", () => {
  const S = 30;
  const n = 60;
  const data = population(S + 1, n, 5);
  const sources = matrix(data.slice(0, S * n), S, n);
  const acc = sources.trueScores();
  const nset = Int32Array.from([0, 7, 14, 21, 28, 35, 42, 49, 56, 59]);
  const labels = Int32Array.from({ length: n }, (_, x) => Math.min(9, Math.floor(x / 6)));
  const natives = Int32Array.from([10, 11, 12, 13, 14, 15]);
  /** The learned estimate and the ⌈(m+1)·0.8⌉-th smallest |error| over the 24 non-natives. */
  const scaleByHand = (y: Float64Array): { accuracy: number; hw: number } => {
    const le = learnedEstimate(sources, acc, natives, nset, labels, y, [0.1, 1, 10]);
    const outside = Array.from(le.errors)
      .filter((_, s) => s < 10 || s > 15)
      .map(Math.abs)
      .sort((a, b) => a - b);
    return { accuracy: le.accuracy, hw: outside[Math.ceil(25 * 0.8) - 1] as number };
  };
  test("the scale comes from the sources that are not natives; a flagged side is the widest of three bounds, 0 or 1 only when the answers are all wrong or all right", () => {
    const mid = Float64Array.from(nset, (j) => data[15 * n + j] as number);
    const le = learnedEstimate(sources, acc, natives, nset, labels, mid, [0.1, 1, 10]);
    const w = plusWithin(sources, acc, natives, nset, labels, mid, 0.8);
    // independent: the ⌈(m+1)·0.8⌉-th smallest |error| over the 24 non-natives
    const outside = Array.from(le.errors)
      .filter((_, s) => s < 10 || s > 15)
      .map(Math.abs)
      .sort((a, b) => a - b);
    const hw = outside[Math.ceil(25 * 0.8) - 1] as number;
    expect(w.outOfRange).toBeNull();
    expect(w.interval[0]).toBeCloseTo(Math.max(0, w.accuracy - hw), 12);
    expect(w.interval[1]).toBeCloseTo(Math.min(1, w.accuracy + hw), 12);
    // every answer right: at or above the 0.8-quantile of the sources' coreset scores → reaches 1
    const top = plusWithin(sources, acc, natives, nset, labels, new Float64Array(10).fill(1), 0.8);
    expect(top.outOfRange).toBe("above");
    expect(top.interval[1]).toBe(1);
    const bottom = plusWithin(sources, acc, natives, nset, labels, new Float64Array(10), 0.8);
    expect(bottom.outOfRange).toBe("below");
    expect(bottom.interval[0]).toBe(0);
    // one answer wrong, still at the top: the end is the widest of the model's, the Wilson bound
    // and the sources' shift — computed here by hand — and it is not 1
    const nine = new Float64Array(10).fill(1);
    nine[3] = 0;
    const w9 = plusWithin(sources, acc, natives, nset, labels, nine, 0.8);
    expect(w9.outOfRange).toBe("above");
    const s9 = scaleByHand(nine);
    const modelHi = s9.accuracy + s9.hw;
    const z = 1.2815515655446004; // scipy.stats.norm.ppf(0.9): two-sided 80 %
    const p = 0.9;
    const wHi = (p + (z * z) / 20 + z * Math.sqrt((p * (1 - p)) / 10 + (z * z) / 400)) / (1 + (z * z) / 10);
    const gaps: number[] = [];
    for (let s = 0; s < S; s++) {
      let hit = 0;
      for (const j of nset) hit += data[s * n + j] as number;
      let all = 0;
      for (let j = 0; j < n; j++) all += data[s * n + j] as number;
      gaps.push(all / n - hit / 10);
    }
    gaps.sort((a, b) => a - b);
    const shifted = 0.9 + (gaps[Math.ceil(31 * 0.8) - 1] as number);
    const want = Math.min(1, Math.max(modelHi, wHi, shifted));
    expect(w9.interval[1]).toBeCloseTo(want, 9); // the library's normal quantile is good to 1e-10
    expect(w9.interval[1]).toBeLessThan(1);
    expect(w9.interval[0]).toBeCloseTo(Math.max(0, s9.accuracy - s9.hw), 12);
    // the weak side, mirrored: one answer right, at the bottom — the lower end by hand
    const one = new Float64Array(10);
    one[6] = 1;
    const w1 = plusWithin(sources, acc, natives, nset, labels, one, 0.8);
    expect(w1.outOfRange).toBe("below");
    const s1 = scaleByHand(one);
    const modelLo = s1.accuracy - s1.hw;
    const q = 0.1;
    const wLo = (q + (z * z) / 20 - z * Math.sqrt((q * (1 - q)) / 10 + (z * z) / 400)) / (1 + (z * z) / 10);
    const shiftedLo = 0.1 + (gaps[Math.floor(31 * 0.2) - 1] as number);
    expect(w1.interval[0]).toBeCloseTo(Math.max(0, Math.min(modelLo, wLo, shiftedLo)), 9);
    // here the conformal end and the shift both fall below 0 (the Wilson bound alone would not):
    // 0 is what the data allow, not a rule — with the Wilson bound as the only other candidate it
    // would have been .030
    expect(modelLo).toBeLessThan(0);
    expect(wLo).toBeGreaterThan(0.03);
    // not vacuous: most sources score below a perfect score, and above zero, on this coreset
    const scores = Array.from(gsetScores(sources, nset));
    expect(scores.filter((v) => v === 1).length).toBeLessThan(S / 5);
    expect(scores.filter((v) => v === 0).length).toBeLessThan(S / 5);
  });
});

describe("coresetGapBound", () => {
  test("the k-th smallest gap accuracy − coreset score, one-sided at the level (hand-computed)", () => {
    // gaps (acc − score): .1, −.1, 0, .2, .05 → sorted −.1, 0, .05, .1, .2; S = 5
    const acc = Float64Array.from([0.5, 0.6, 0.7, 0.8, 0.55]);
    const sc = Float64Array.from([0.4, 0.7, 0.7, 0.6, 0.5]);
    // above at .6: ⌈6 · .6⌉ = 4th smallest = .1; below at .6: ⌊6 · .4⌋ = 2nd smallest = 0
    expect(coresetGapBound(acc, sc, 0.6, "above")).toBeCloseTo(0.1, 15);
    expect(coresetGapBound(acc, sc, 0.6, "below")).toBeCloseTo(0, 15);
    // above at .8: ⌈4.8⌉ = 5th = .2; below at .8: ⌊1.2⌋ = 1st = −.1
    expect(coresetGapBound(acc, sc, 0.8, "above")).toBeCloseTo(0.2, 15);
    expect(coresetGapBound(acc, sc, 0.8, "below")).toBeCloseTo(-0.1, 15);
    // too few sources for the level (⌈6 · .9⌉ = 6 > 5; ⌊.6⌋ = 0): no bound, ±1
    expect(coresetGapBound(acc, sc, 0.9, "above")).toBe(1);
    expect(coresetGapBound(acc, sc, 0.9, "below")).toBe(-1);
  });
  test("plusWithin: where the sources' shift is the widest candidate, it sets the flagged end (< 1)", () => {
    // 40 sources on 20 examples; the coreset (examples 0–9) is harder for every source than the
    // rest: source s answers ⌊s/8⌋ of the coreset and 4 + (s mod 3) of the other ten, so its
    // accuracy exceeds its coreset score by (4 + s mod 3 − ⌊s/8⌋)/20 — the shift a target shares
    const S = 40;
    const n = 20;
    const data = new Float64Array(S * n);
    for (let s = 0; s < S; s++) {
      for (let x = 0; x < 10; x++) data[s * n + x] = x < Math.floor(s / 8) ? 1 : 0;
      for (let x = 10; x < 20; x++) data[s * n + x] = x - 10 < 4 + (s % 3) ? 1 : 0;
    }
    const sources = matrix(data, S, n);
    const acc = sources.trueScores();
    const nset = Int32Array.from({ length: 10 }, (_, x) => x);
    const labels = Int32Array.from({ length: n }, (_, x) => (x < 10 ? x : 9));
    const natives = Int32Array.from([0, 1, 2]);
    const y = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 0, 0, 0]); // 7 of 10; the best source has 4
    const w = plusWithin(sources, acc, natives, nset, labels, y, 0.8);
    expect(w.outOfRange).toBe("above");
    // by hand: the shift bound is the ⌈41 · .8⌉ = 33rd smallest of (4 + s mod 3 − ⌊s/8⌋)/20
    const gaps = Array.from({ length: S }, (_, s) => (4 + (s % 3) - Math.floor(s / 8)) / 20).sort((a, b) => a - b);
    const shifted = 0.7 + (gaps[32] as number);
    // Wilson 80 % upper bound of 7/10 by the textbook formula, z = scipy.stats.norm.ppf(0.9)
    const z = 1.2815515655446004;
    const wHi = (0.7 + (z * z) / 20 + z * Math.sqrt(0.021 + (z * z) / 400)) / (1 + (z * z) / 10);
    // the conformal end: learned estimate + the ⌈38 · .8⌉ = 31st smallest |LOO error| of the 37 non-natives
    const le = learnedEstimate(sources, acc, natives, nset, labels, y, [0.1, 1, 10]);
    const outside = Array.from(le.errors.subarray(3), Math.abs).sort((a, b) => a - b);
    const modelHi = le.accuracy + (outside[30] as number);
    expect(shifted).toBeGreaterThan(wHi); // not vacuous: the shift is wider than Wilson here
    expect(shifted).toBeLessThan(1);
    expect(w.interval[1]).toBeCloseTo(Math.min(1, Math.max(modelHi, wHi, shifted)), 12);
    expect(w.interval[1]).toBeLessThan(1);
  });
});

describe("afterSecondLook", () => {
  const S = 30;
  const n = 60;
  const sources = matrix(population(S, n, 9), S, n);
  const fixed = Int32Array.from([3, 11, 20, 34, 47, 52]);
  const natives = Int32Array.from([20, 21, 22, 23, 24, 25]);
  test("every answer right → beyond: draws around the answered examples; every answer wrong → within", () => {
    const top = afterSecondLook(sources, fixed, new Float64Array(6).fill(1), natives, 20, RandomStream.derive(1), 0);
    expect(top.mode).toBe("beyond");
    if (top.mode !== "beyond") return;
    expect(Array.from(top.observed.slice(0, 6))).toEqual(Array.from(fixed));
    expect(new Set(top.observed).size).toBe(20);
    for (const x of top.design.picks) expect(fixed.includes(x)).toBe(false);
    const low = afterSecondLook(sources, fixed, new Float64Array(6), natives, 20, RandomStream.derive(1), 0);
    expect(low.mode).toBe("within");
    if (low.mode !== "within") return;
    expect(Array.from(low.plan.nset.slice(0, 6))).toEqual(Array.from(fixed));
    expect(low.plan.nset.length).toBe(20);
    expect(() => afterSecondLook(sources, fixed, [1, 0], natives, 20, RandomStream.derive(1), 0)).toThrow(TbError);
  });
});

describe("plusMode", () => {
  test("beyond from the q-quantile on; out of range only past the extremes", () => {
    const g = Float64Array.from([0, 0.1, 0.2, 0.3, 0.4]); // 0.75-quantile = 0.3
    expect(plusMode(g, 0.29, 0.75)).toEqual({ mode: "within", outOfRange: null });
    expect(plusMode(g, 0.3, 0.75)).toEqual({ mode: "beyond", outOfRange: null });
    expect(plusMode(g, 0.5, 0.75)).toEqual({ mode: "beyond", outOfRange: "above" });
    expect(plusMode(Float64Array.from([0.2, 0.4]), 0.1, 0.75)).toEqual({ mode: "within", outOfRange: "below" });
  });
});

describe("tailoredPlus as a method", () => {
  const S = 24;
  const T = 6;
  const n = 80;
  const data = population(S + T, n, 21);
  // interleave: every 5th model is a target
  const tIdx = Array.from({ length: T }, (_, i) => 2 + 5 * i);
  const sIdx = Array.from({ length: S + T }, (_, i) => i).filter((i) => !tIdx.includes(i));
  const sources = matrix(Float64Array.from(sIdx.flatMap((r) => Array.from(data.subarray(r * n, (r + 1) * n)))), S, n);
  const run = (budget: number, opts = {}, seed = 0) => {
    const oracles = tIdx.map((r) => createOracle(data.subarray(r * n, (r + 1) * n), budget, `t${r}`));
    const res = tailoredPlus(opts).run({
      sources,
      oracles,
      budget,
      rng: RandomStream.derive(seed, "tailored-plus", budget),
    });
    return { res, oracles };
  };
  test("asks every target for exactly the budget, estimates in [0,1] inside their intervals, deterministic", () => {
    for (const mode of ["auto", "within", "beyond"] as const) {
      const { res, oracles } = run(20, { mode });
      for (const o of oracles) expect(o.queried).toBe(20);
      const again = run(20, { mode }).res;
      expect(Array.from(again.estimates)).toEqual(Array.from(res.estimates));
      const iv = res.intervals as NonNullable<typeof res.intervals>;
      expect(iv.level).toBe(0.9);
      res.estimates.forEach((e, t) => {
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
        expect(iv.lower[t]).toBeLessThanOrEqual(e + 1e-12);
        expect(iv.upper[t]).toBeGreaterThanOrEqual(e - 1e-12);
      });
    }
  });
  test("second look: top-quartile targets ask ⌈0.3·(N − g)⌉ more medoids first, and the same N in all", () => {
    const { res, oracles } = run(30);
    const d = res.diagnostics as Record<string, number>;
    // the strongest targets (the last two, abilities near the top) are in the sources' top quartile
    expect(d.secondLooks).toBeGreaterThanOrEqual(1);
    expect(d.secondLookBeyond).toBeLessThanOrEqual(d.secondLooks as number);
    for (const o of oracles) expect(o.queried).toBe(30);
    // off: the G-set alone decides, no second look
    const off = run(30, { secondLook: 0 }).res.diagnostics as Record<string, number>;
    expect(off.secondLooks).toBe(0);
    expect(off.beyondTargets).toBe(d.secondLooks);
    // a second look that would leave no draw for the beyond design is skipped
    expect(secondLookSize(20, 0.3)).toBe(6);
    expect(secondLookSize(1, 0.3)).toBe(0);
    expect(secondLookSize(10, 0)).toBe(0);
  });
  test("within budget on random small problems (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 40 }), fc.nat(50), (budget, seed) => {
        const { oracles, res } = run(budget, {}, seed);
        for (const o of oracles) expect(o.queried).toBeLessThanOrEqual(budget);
        for (const e of res.estimates) expect(Number.isFinite(e)).toBe(true);
      }),
      { numRuns: 15, seed: 7 },
    );
  });
  test("bad options are E_USAGE naming the option", () => {
    const bad: [object, string][] = [
      [{ level: 1 }, "level"],
      [{ secondLook: 1 }, "secondLook"],
      [{ secondLook: -0.1 }, "secondLook"],
      [{ rangeQuantile: 2 }, "rangeQuantile"],
      [{ mode: "sideways" }, "mode"],
      [{ learnAlphas: [] }, "learnAlphas"],
      [{ residualAlpha: 0 }, "residualAlpha"],
      [{ strata: 1.5 }, "strata"],
    ];
    for (const [o, name] of bad) {
      try {
        tailoredPlus(o);
        expect.unreachable();
      } catch (err) {
        expect((err as TbError).code).toBe("E_USAGE");
        expect((err as Error).message).toContain(name);
      }
    }
    expect(() => run(10)).toThrow(/budget 10/);
    // more strata than random draws: refused before any target is asked anything
    const oracles = tIdx.map((r) => createOracle(data.subarray(r * n, (r + 1) * n), 14));
    expect(() =>
      tailoredPlus({ strata: 5 }).run({ sources, oracles, budget: 14, rng: RandomStream.derive(0) }),
    ).toThrow(/strata \(5\) must be at most budget − G-set = 4/);
    for (const o of oracles) expect(o.queried).toBe(0);
  });
  test("an option the others leave unread (a forced mode, no second look) is refused by name; where it is read it is taken", () => {
    const unread: [object, RegExp][] = [
      [{ mode: "beyond", secondLook: 0.3 }, /secondLook \(a forced mode takes no second look\).*mode "beyond"/],
      [{ mode: "within", secondLook: 0.5 }, /secondLook/],
      [{ mode: "beyond", coordinated: true }, /coordinated/],
      [{ mode: "within", coordinated: false }, /coordinated/],
      [{ mode: "within", strata: 3 }, /strata \(the strata of the beyond mode's design\)/],
      [{ mode: "within", residualAlpha: 5 }, /residualAlpha/],
      [{ mode: "within", strata: 2, secondLook: 0.2 }, /secondLook .*; strata .* they are never read: leave them out/],
      [
        { mode: "beyond", rangeQuantile: 0.5 },
        /rangeQuantile \(it chooses each target's mode, and the mode is forced\)/,
      ],
      [{ secondLook: 0, coordinated: true }, /coordinated .* with secondLook 0 and no precision it is never read/],
    ];
    for (const [o, re] of unread) {
      try {
        tailoredPlus(o);
        expect.unreachable();
      } catch (err) {
        expect((err as TbError).code).toBe("E_USAGE");
        expect((err as Error).message).toMatch(re);
        expect((err as Error).message).toMatch(/^tailoredPlus: /);
      }
    }
    const taken: object[] = [
      { secondLook: 0.3, coordinated: false, strata: 3, residualAlpha: 5 },
      { mode: "beyond", strata: 3, residualAlpha: 5 },
      { mode: "beyond", coordinated: false, precision: 0.05, maxBudget: 60 },
      { mode: "within", residualAlpha: 5, coordinated: true, precision: 0.05, maxBudget: 60 },
      { secondLook: 0, coordinated: false, precision: 0.05, maxBudget: 60 },
      { rangeQuantile: 0.5, secondLook: 0 },
    ];
    for (const o of taken) expect(() => tailoredPlus(o)).not.toThrow();
    // a second look of 0 is what a forced mode does anyway: taken, and the numbers are the same
    const forced = run(30, { mode: "beyond" }).res;
    const zero = run(30, { mode: "beyond", secondLook: 0 }).res;
    expect(Array.from(zero.estimates)).toEqual(Array.from(forced.estimates));
  });
});

describe("TailoredBench's optional intervals", () => {
  const S = 30;
  const n = 60;
  const all = population(S + 4, n, 13);
  const src = matrix(all.slice(0, S * n), S, n);
  const natives = Int32Array.from([2, 5, 9, 14, 22]);
  const nset = Int32Array.from([1, 8, 15, 22, 29, 36, 43, 50]);
  const labels = Int32Array.from({ length: n }, (_, x) => Math.min(7, Math.floor(x / 7.5)));
  test("sourceCalibrationErrors = nativeCalibrationErrors on the natives, the plain formula elsewhere", () => {
    const errs = sourceCalibrationErrors(src, { natives, nset, labels });
    const ref = nativeCalibrationErrors(src, { natives, nset, labels });
    natives.forEach((s, k) => {
      expect(errs[s]).toBeCloseTo(ref[k] as number, 12);
    });
    // a non-native: m̄ over all natives, its own answers on the N-set
    const mBar = new Float64Array(n);
    for (const s of natives)
      for (let x = 0; x < n; x++) mBar[x] = (mBar[x] as number) + (src.data[s * n + x] as number) / 5;
    const s0 = 0;
    const ans = Array.from(nset, (j) => src.data[s0 * n + j] as number);
    expect(errs[s0]).toBeCloseTo(estimateFromClusters(mBar, nset, labels, ans).accuracy - src.trueScore(s0), 12);
  });
  test("same estimates with and without level; intervals only with it, around the estimates", () => {
    const oracles = () =>
      Array.from({ length: 4 }, (_, t) => createOracle(all.subarray((S + t) * n, (S + t + 1) * n), 20));
    const rng = () => RandomStream.derive(3, "tailored", 20, 0);
    const a = tailoredBench().run({ sources: src, oracles: oracles(), budget: 20, rng: rng() });
    const b = tailoredBench({ level: 0.8 }).run({ sources: src, oracles: oracles(), budget: 20, rng: rng() });
    expect(Array.from(b.estimates)).toEqual(Array.from(a.estimates));
    expect(a.intervals).toBeUndefined();
    const iv = b.intervals as NonNullable<typeof b.intervals>;
    expect(iv.level).toBe(0.8);
    b.estimates.forEach((e, t) => {
      expect(iv.lower[t]).toBeLessThanOrEqual(e);
      expect(iv.upper[t]).toBeGreaterThanOrEqual(e);
    });
    expect(() => tailoredBench({ level: 1.5 })).toThrow(/level/);
  });
});

describe("options are checked up front, naming the option", () => {
  test("unknown metric, clip, estimator, threshold test or a bad G-set size: E_USAGE", () => {
    const bad: [object, RegExp][] = [
      [{ metric: "hamming" }, /metric must be one of "manhattan"/],
      [{ clip: "bogus" }, /clip must be one of/],
      [{ estimator: "median" }, /estimator must be one of/],
      [{ thresholdCompare: "<=" }, /thresholdCompare must be one of/],
      [{ gset: 0 }, /gset must be an integer ≥ 1/],
      [{ standardize: "yes" }, /standardize must be true or false/],
    ];
    for (const [o, re] of bad) {
      for (const make of [tailoredBench, tailoredPlus]) {
        // tailored-plus has no clip or estimator option: refused by name (next test)
        if (make === tailoredPlus && ("clip" in o || "estimator" in o)) continue;
        expectUsage(() => make(o as never), re);
      }
    }
  });
  test("an option another choice leaves unread is refused by name (TailoredBench, estimateInterval)", () => {
    const refused: [() => unknown, RegExp][] = [
      [
        () => tailoredBench({ estimator: "medoid", clip: "both" }),
        /^tailoredBench: clip applies to the calibrated estimator; estimator "medoid" .*never reads it/,
      ],
      [
        () => tailoredBench({ nativeCount: 3, thresholdCompare: "lt" }),
        /^tailoredBench: thresholdCompare decides the native count n̄, which nativeCount sets/,
      ],
      [
        () => tailoredBench({ nativeCount: 3, onNoNatives: "error", thresholdCompare: "le" }),
        /thresholdCompare and onNoNatives decide/,
      ],
      [() => tailoredBench({ nativeOffset: 2 }), /^tailoredBench: nativeOffset needs nativeCount/],
      [() => tailoredBench({ nativeCount: 2.5 }), /^tailoredBench: nativeCount must be an integer ≥ 1, got 2.5/],
      [
        () => tailoredBench({ nativeCount: 3, nativeOffset: -1 }),
        /^tailoredBench: nativeOffset must be an integer ≥ 0/,
      ],
      [
        () => tailoredBench({ nsetClustering: { sampleSize: 200, claraThreshold: 500 } }),
        /^tailoredBench: nsetClustering.claraThreshold chooses the CLARA sample size .*never read/,
      ],
    ];
    for (const [f, re] of refused) expectUsage(f, re);
    expect(() => tailoredBench({ estimator: "medoid" })).not.toThrow();
    expect(() => tailoredBench({ nativeCount: 3, nativeOffset: 1, clip: "both" })).not.toThrow();
  });
  test("an option a method does not have is refused by name, not ignored", () => {
    const refused: [(o: never) => unknown, object, RegExp][] = [
      // a typo would otherwise run with the default level
      [tailoredBench, { lvl: 0.8 }, /^tailoredBench: unknown option "lvl" \(known: .*level/],
      [tailoredPlus, { lvl: 0.8 }, /^tailoredPlus: unknown option "lvl" \(known: .*level/],
      // TailoredBench's options that tailored-plus does not read
      [tailoredPlus, { clip: "both" }, /^tailoredPlus: unknown option "clip"/],
      [tailoredPlus, { estimator: "medoid" }, /^tailoredPlus: unknown option "estimator"/],
      [tailoredPlus, { nativeCount: 5 }, /^tailoredPlus: unknown option "nativeCount"/],
      // and tailored-plus's own options are not TailoredBench's
      [tailoredBench, { secondLook: 0.3 }, /^tailoredBench: unknown option "secondLook"/],
    ];
    for (const [make, o, re] of refused) {
      expectUsage(() => make(o as never), re);
    }
    // the pooling of native selection is an option of both (the run reads it for both)
    for (const make of [tailoredBench, tailoredPlus]) expect(() => make({ targetPooling: "single" })).not.toThrow();
  });
});

describe("boundary-aware intervals", () => {
  test("plausibleEnds: a flagged side is the wider of the model's end and the Wilson bound; nothing reaches 0/1 by rule", () => {
    // 8 of 10 right: Wilson 90 % = [.5408, .9314] (hand-computed, see @tb/core's wilson fixture)
    const y = [1, 1, 1, 1, 0, 1, 1, 0, 1, 1];
    const above = plausibleEnds(0.85, 0.8, 0.9, y, 0.9, "above");
    expect(above[0]).toBe(0.8);
    expect(above[1]).toBeCloseTo(0.9314, 4);
    // the model's end wider than Wilson's stays
    expect(plausibleEnds(0.85, 0.8, 0.95, y, 0.9, "above")[1]).toBe(0.95);
    // an end past 1 says nothing: Wilson's upper bound replaces it (< 1: two answers were wrong)
    const past = plausibleEnds(0.9, 0.7, 1.2, y, 0.9);
    expect(past[1]).toBeCloseTo(0.9314, 4);
    // every answer right: the upper end may be 1
    expect(plausibleEnds(0.95, 0.9, 1.1, new Array(10).fill(1), 0.9)[1]).toBe(1);
    // below: 1 of 10 right → Wilson lower .0231 > 0
    const low = plausibleEnds(0.12, 0.05, 0.2, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.9, "below");
    expect(low[0]).toBeGreaterThan(0.02);
    expect(low[0]).toBeLessThan(0.05);
  });
});

describe("coordinated draws (permanent random numbers)", () => {
  test("in each stratum the members with the smallest numbers; two fixed sets share what their strata allow", () => {
    // 12 examples, difficulty = index/12; priority chosen by hand
    const difficulty = Float64Array.from({ length: 12 }, (_, j) => j / 12);
    const priority = Float64Array.from([0.9, 0.1, 0.5, 0.3, 0.8, 0.2, 0.7, 0.05, 0.6, 0.4, 0.15, 0.95]);
    const rng = RandomStream.derive("unused");
    // fixed {0}: the rest 1..11 in 2 strata [1..5], [6..11]; 4 draws → 2 + 2 (sizes 5 and 6: 1.8 + 2.2)
    const a = stratifiedDesign(difficulty, Int32Array.of(0), 4, rng, 2, priority);
    // stratum [1..5]: smallest priorities 1 (.1), 5 (.2); stratum [6..11]: 7 (.05), 10 (.15)
    expect(Array.from(a.picks)).toEqual([1, 5, 7, 10]);
    // fixed {1, 7}: strata [0,2..5] and [6,8..11]; 2 + 2 → 5 (.2), 3 (.3) and 10 (.15), 9 (.4)
    const b = stratifiedDesign(difficulty, Int32Array.of(1, 7), 4, rng, 2, priority);
    expect(Array.from(b.picks)).toEqual([3, 5, 9, 10]);
    expect(() => stratifiedDesign(difficulty, Int32Array.of(0), 4, rng, 2, new Float64Array(3))).toThrow(TbError);
  });
  test("tailored-plus with coordinated draws: every target still asked exactly the budget, estimates in range", () => {
    const S = 30;
    const n = 200;
    const all = population(S + 6, n, 5);
    const src = matrix(all.slice(0, S * n), S, n);
    const oracles = Array.from({ length: 6 }, (_, t) => createOracle(all.slice((S + t) * n, (S + t + 1) * n), 30));
    const r = tailoredPlus({ coordinated: true }).run({
      sources: src,
      oracles,
      budget: 30,
      rng: RandomStream.derive(3),
    });
    for (const o of oracles) expect(o.queried).toBe(30);
    for (const e of r.estimates) expect(e >= 0 && e <= 1).toBe(true);
  });
});
