import { CorrectnessMatrix, TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import { type EstimateOptions, estimateFromClusters } from "./calibrate.js";
import {
  clusterSamplingVariance,
  DEFAULT_INTERVAL_SCALE,
  estimateInterval,
  nativeCalibrationErrors,
  normalQuantile,
  sourceCalibrationErrors,
} from "./interval.js";

// 4 sources × 4 examples; natives 0, 1, 2; medoids 0 and 2; clusters {0,1} and {2,3}.
const sources = CorrectnessMatrix.from([
  [1, 1, 0, 0],
  [1, 0, 1, 0],
  [0, 0, 1, 1],
  [1, 1, 1, 1],
]);
const plan = {
  natives: Int32Array.from([0, 1, 2]),
  nset: Int32Array.from([0, 2]),
  labels: Int32Array.from([0, 0, 1, 1]),
};

describe("normalQuantile (Acklam)", () => {
  test.each([
    [0.5, 0],
    [0.9, 1.2815515655446004],
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.001, -3.090232306167813],
    [0.02, -2.053748910631823],
  ])("Φ⁻¹(%f) = %f (scipy.stats.norm.ppf)", (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 8);
  });
  test("outside (0,1) is a TbError", () => {
    expect(() => normalQuantile(1)).toThrow(TbError);
  });
});

describe("nativeCalibrationErrors: natives as leave-one-out pseudo-targets", () => {
  test("hand-worked: each native against the mean of the other two", () => {
    const e = nativeCalibrationErrors(sources, plan);
    // native 0 (row 1,1,0,0; true 0.5): m̄₋₀ = mean(rows 1,2) = [½, 0, 1, ½]; answers (1, 0)
    const m0 = Float64Array.from([0.5, 0, 1, 0.5]);
    const est0 = estimateFromClusters(m0, [0, 2], plan.labels, [1, 0]).accuracy;
    expect(e[0]).toBeCloseTo(est0 - 0.5, 15);
    // by hand: slot 0 factor (1+½)/(½+½) = 3/2 → ĉ = [1, ½·3/2−½ = ¼]; slot 1 factor ½/(1½) = ⅓ →
    // ĉ = [1½·⅓−½ = 0, 1·⅓−½ = −⅙]; mean = (1 + ¼ + 0 − ⅙)/4
    expect(est0).toBeCloseTo((1 + 0.25 + 0 - 1 / 6) / 4, 15);
    expect(e.length).toBe(3);
  });
  test("fewer than two natives → no errors", () => {
    expect(nativeCalibrationErrors(sources, { ...plan, natives: Int32Array.from([3]) }).length).toBe(0);
  });
});

describe("clusterSamplingVariance: V = Σ (A_μ/n)² m̄(μ)(1−m̄(μ))", () => {
  test("hand-worked", () => {
    // m̄ = mean(rows 0,1,2) = [⅔, ⅓, ⅔, ⅓]
    // slot 0 (μ=0, m̄=⅔): A = (⅔+½)/(⅔+½) + (⅓+½)/(⅔+½) = 1 + 5/7 = 12/7
    // slot 1 (μ=2, m̄=⅔): the same, 12/7; p(1−p) = 2/9 for both
    const expected = 2 * (12 / 7 / 4) ** 2 * (2 / 9);
    expect(clusterSamplingVariance(sources, plan)).toBeCloseTo(expected, 15);
    // medoid-weighted estimator: A = |C| = 2
    expect(clusterSamplingVariance(sources, plan, { estimator: "medoid" })).toBeCloseTo(2 * 0.25 * (2 / 9), 15);
  });
  test("zero when the natives agree on every medoid", () => {
    expect(clusterSamplingVariance(sources, { ...plan, natives: Int32Array.from([3]) })).toBe(0);
  });
});

describe("estimateInterval", () => {
  test("P̂ ± z·scale·√(r² + V), clipped to [0,1]", () => {
    const r = estimateInterval(sources, plan, 0.5, { level: 0.9 });
    const e = nativeCalibrationErrors(sources, plan);
    const rms = Math.sqrt(e.reduce((a, x) => a + x * x, 0) / e.length);
    const se = Math.sqrt(rms * rms + clusterSamplingVariance(sources, plan));
    expect(r.se).toBeCloseTo(se, 15);
    const half = 1.6448536269514722 * DEFAULT_INTERVAL_SCALE * se;
    expect(r.interval?.[0]).toBeCloseTo(Math.max(0, 0.5 - half), 12);
    expect(r.interval?.[1]).toBeCloseTo(Math.min(1, 0.5 + half), 12);
    expect(r.level).toBe(0.9);
    const near1 = estimateInterval(sources, plan, 0.99).interval as [number, number];
    expect(near1[1]).toBe(1);
    expect(near1[0]).toBeLessThan(0.99);
  });
  test("a higher level or a larger scale gives a wider interval; same plan → same interval", () => {
    const w = (o: object) => {
      const iv = estimateInterval(sources, plan, 0.5, o).interval as [number, number];
      return iv[1] - iv[0];
    };
    expect(w({ level: 0.95 })).toBeGreaterThan(w({ level: 0.8 }));
    expect(w({ scale: 0.5 })).toBeLessThan(w({ scale: 0.6 }));
    expect(estimateInterval(sources, plan, 0.5)).toEqual(estimateInterval(sources, plan, 0.5));
  });
  test("a misspelt clip or estimator, or a clip the medoid estimator never reads, is refused in its terms", () => {
    expect(() => estimateInterval(sources, plan, 0.5, { clip: "bothh" as never })).toThrow(
      /^estimateInterval: clip must be one of "upper", "both", "none", got "bothh"/,
    );
    expect(() => estimateInterval(sources, plan, 0.5, { estimator: "medoids" as never })).toThrow(
      /^estimateInterval: estimator must be one of "calibrated", "medoid", got "medoids"/,
    );
    expect(() => estimateInterval(sources, plan, 0.5, { estimator: "medoid", clip: "none" })).toThrow(
      /^estimateInterval: clip applies to the calibrated estimator/,
    );
    // a misspelt value used to give the calibrated interval (estimator) or act as "upper" (clip)
    expect(estimateInterval(sources, plan, 0.5, { estimator: "medoid" }).se).not.toBe(
      estimateInterval(sources, plan, 0.5).se,
    );
  });
  test("null when the plan shows no spread (one native that agrees with every medoid)", () => {
    expect(estimateInterval(sources, { ...plan, natives: Int32Array.from([3]) }, 1).interval).toBeNull();
  });
  test("bad options are E_USAGE", () => {
    expect(() => estimateInterval(sources, plan, 0.5, { level: 1 })).toThrow(/level must be in/);
    expect(() => estimateInterval(sources, plan, 0.5, { scale: 0 })).toThrow(/scale must be a positive/);
    expect(() => estimateInterval(sources, plan, Number.NaN)).toThrow(/not finite/);
  });
});

describe("the sources' leave-one-out errors without per-example arrays", () => {
  // The literal definition: each source's estimate through estimateFromClusters, with the natives'
  // mean without it when it is a native (docs/METHOD.md §3 step 7).
  function literal(m: CorrectnessMatrix, p: typeof plan, onlyNatives: boolean, o: EstimateOptions): Float64Array {
    const n = m.cols;
    const rows = onlyNatives ? Array.from(p.natives) : Array.from({ length: m.rows }, (_, s) => s);
    return Float64Array.from(rows, (s) => {
      const others = Array.from(p.natives).filter((t) => t !== s);
      const mBar = new Float64Array(n);
      for (const t of others) for (let x = 0; x < n; x++) mBar[x] = (mBar[x] as number) + (m.row(t)[x] as number);
      for (let x = 0; x < n; x++) mBar[x] = (mBar[x] as number) / others.length;
      const answers = Array.from(p.nset, (x) => m.row(s)[x] as number);
      return estimateFromClusters(mBar, p.nset, p.labels, answers, o).accuracy - m.trueScore(s);
    });
  }
  const options: EstimateOptions[] = [
    {},
    { clip: "none" },
    { clip: "both" },
    { clip: "upper" },
    { estimator: "medoid" },
    { estimator: "medoid", clip: "both" },
  ];
  test("bit for bit the literal definition: random 0/1 and fractional matrices, natives and non-natives, every clip and estimator", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 12; trial++) {
      const S = 7 + (trial % 4) * 3;
      const n = 30 + trial * 7;
      const frac = trial % 3 === 2;
      const m = CorrectnessMatrix.from(
        Array.from({ length: S }, () =>
          Array.from({ length: n }, () => (frac ? Math.round(rnd() * 8) / 8 : rnd() < 0.6 ? 1 : 0)),
        ),
      );
      const K = 3 + (trial % 5);
      const nset = Int32Array.from({ length: K }, (_, s) => s * 3);
      const labels = Int32Array.from({ length: n }, (_, x) =>
        x < K * 3 && x % 3 === 0 ? x / 3 : Math.floor(rnd() * K),
      );
      const natives = Int32Array.from({ length: 2 + (trial % 3) }, (_, k) => k * 2);
      const p = { natives, nset, labels };
      for (const o of options) {
        const all = sourceCalibrationErrors(m, p, o);
        const want = literal(m, p, false, o);
        for (let s = 0; s < S; s++) expect(Object.is(all[s], want[s])).toBe(true);
        const nat = nativeCalibrationErrors(m, p, o);
        const wantN = literal(m, p, true, o);
        for (let k = 0; k < natives.length; k++) expect(Object.is(nat[k], wantN[k])).toBe(true);
      }
    }
  });
  test("a label outside the medoid slots is refused, naming the function", () => {
    expect(() => sourceCalibrationErrors(sources, { ...plan, labels: Int32Array.from([0, 0, 2, 1]) })).toThrow(
      /sourceCalibrationErrors: label 2 of example 2/,
    );
    expect(() => nativeCalibrationErrors(sources, { ...plan, labels: Int32Array.from([0, 0]) })).toThrow(
      /nativeCalibrationErrors: 2 labels for 4 examples/,
    );
  });
});
