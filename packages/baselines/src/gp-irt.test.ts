import { CorrectnessMatrix, createOracle, type Oracle, RandomStream, Workspace } from "@tb/core";
import { describe, expect, it } from "vitest";
import { calibrateGpIrt, type GpIrtOptions, gpIrt, gpIrtEstimates, gpIrtLambda, selectAnchors } from "./gp-irt.js";
import { fitAbility, fitIrt, irtProbability } from "./irt.js";

/** 0/1 data from a 1-D 2PL model: `models` rows, `items` columns. */
function population(models: number, items: number, seed: number): Float64Array {
  const rng = RandomStream.derive("gp-irt-test", seed);
  const theta = Array.from({ length: models }, () => 1.5 * rng.nextNormal());
  const a = Array.from({ length: items }, () => 0.5 + rng.nextFloat());
  const b = Array.from({ length: items }, () => rng.nextNormal());
  const out = new Float64Array(models * items);
  for (let j = 0; j < models; j++) {
    for (let k = 0; k < items; k++) {
      const p = 1 / (1 + Math.exp(-((a[k] as number) * (theta[j] as number) - (b[k] as number))));
      out[j * items + k] = rng.nextFloat() < p ? 1 : 0;
    }
  }
  return out;
}

const S = 30;
const T = 12;
const n = 80;
const all = population(S + T, n, 1);
const sources = new CorrectnessMatrix({
  data: all.slice(0, S * n),
  modelIds: Array.from({ length: S }, (_, i) => `s${i}`),
  exampleIds: Array.from({ length: n }, (_, i) => `x${i}`),
});
const targetRows = Array.from({ length: T }, (_, t) => all.subarray((S + t) * n, (S + t + 1) * n));
const fast: GpIrtOptions = { dims: [1, 2], epochs: 300 };

function oracles(budget: number): Oracle[] {
  return targetRows.map((r, t) => createOracle(r, budget, `t${t}`));
}

describe("gp-IRT formulas (docs/METHOD.md §6.7)", () => {
  it("λ, p-IRT and gp-IRT on a hand-computed example", () => {
    // b̂ = 0.02, v̂ = 0.16, K = 20, n = 100.
    // Anchors: v̂/(4K) = 0.16/80 = 0.002; b̂² = 0.0004 → λ = 0.0004/0.0024 = 1/6.
    // Random:  v̂/K = 0.008 → λ = 0.0004/0.0084 = 1/21.
    expect(gpIrtLambda(0.02, 0.16, 20, "anchor")).toBeCloseTo(1 / 6, 14);
    expect(gpIrtLambda(0.02, 0.16, 20, "random")).toBeCloseTo(1 / 21, 14);
    // λ_p = K/n = 0.2. Data part 0.6, IRT mean over unseen items 0.5:
    // Ŷ_p = 0.2·0.6 + 0.8·0.5 = 0.52; Ŷ = (1/6)·0.6 + (5/6)·0.52 = 0.1 + 0.43333… = 0.53333…
    const e = gpIrtEstimates({ dataPart: 0.6, irtUnseen: 0.5, anchors: 20, items: 100, lambda: 1 / 6 });
    expect(e.lambdaP).toBe(0.2);
    expect(e.pIrt).toBeCloseTo(0.52, 14);
    expect(e.gpIrt).toBeCloseTo(0.1 + (5 / 6) * 0.52, 14);
    expect(e.gpIrt).toBeCloseTo(0.533333333333333, 14);
  });

  it("edge cases: no IRT part when every item is an anchor; λ = 1 when b̂ = v̂ = 0", () => {
    expect(gpIrtEstimates({ dataPart: 0.7, irtUnseen: Number.NaN, anchors: 5, items: 5, lambda: 0.3 }).gpIrt).toBe(0.7);
    expect(gpIrtLambda(0, 0, 10, "anchor")).toBe(1);
    expect(gpIrtLambda(0, 0.2, 10, "anchor")).toBe(0);
  });
});

describe("gpIrt method (docs/METHOD.md §6)", () => {
  it("never exceeds the budget, and counts duplicates once", () => {
    for (const N of [1, 5, 20]) {
      for (const anchorSpace of ["irt", "correctness", "random"] as const) {
        const os = oracles(N);
        const res = gpIrt({ ...fast, anchorSpace }).run({
          sources,
          oracles: os,
          budget: N,
          rng: RandomStream.derive(0, "gp-irt", N, 0),
        });
        const d = res.diagnostics as Record<string, unknown>;
        for (const o of os) expect(o.queried).toBe(d.distinctAnchors);
        expect(d.distinctAnchors as number).toBeLessThanOrEqual(N);
        expect(res.estimates.every((v) => Number.isFinite(v))).toBe(true);
      }
    }
  });

  it("duplicated items give duplicated anchors that the budget counts once", () => {
    // Every item appears 4 times; with k-means on the correctness columns the duplicates are the
    // same point, and 15 centres over 10 distinct points must share nearest items.
    const base = population(S + 2, 10, 7);
    const dup = new Float64Array((S + 2) * 40);
    for (let j = 0; j < S + 2; j++) for (let k = 0; k < 40; k++) dup[j * 40 + k] = base[j * 10 + (k % 10)] as number;
    const src = new CorrectnessMatrix({
      data: dup.slice(0, S * 40),
      modelIds: Array.from({ length: S }, (_, i) => `s${i}`),
      exampleIds: Array.from({ length: 40 }, (_, i) => `x${i}`),
    });
    const os = [0, 1].map((t) => createOracle(dup.subarray((S + t) * 40, (S + t + 1) * 40), 15));
    const res = gpIrt({ ...fast, anchorSpace: "correctness" }).run({
      sources: src,
      oracles: os,
      budget: 15,
      rng: RandomStream.derive(3),
    });
    const d = res.diagnostics as Record<string, number | number[]>;
    expect((d.anchors as number[]).length).toBe(15);
    expect(d.distinctAnchors).toBeLessThan(15);
    for (const o of os) expect(o.queried).toBe(d.distinctAnchors);
  });

  it("equals the §6.7 formula applied to its own parts", () => {
    const N = 10;
    const rng = RandomStream.derive(0, "gp-irt", N, 1);
    const res = gpIrt(fast).run({ sources, oracles: oracles(N), budget: N, rng });
    const cal = calibrateGpIrt(sources, fast);
    const sel = selectAnchors(cal, sources, N, rng);
    const d = res.diagnostics as Record<string, number | number[]>;
    expect(d.anchors).toEqual(Array.from(sel.anchors));
    expect(d.d).toBe(cal.dim);
    expect(d.bHat).toBe(cal.bHat);
    expect(d.lambda).toBe(gpIrtLambda(cal.bHat, cal.vHat, N, "anchor"));
    const seen = new Set(sel.anchors);
    targetRows.forEach((row, t) => {
      const y = Array.from(sel.anchors, (k) => row[k] as number);
      const data = y.reduce((s, v, i) => s + (sel.weights[i] as number) * v, 0);
      const { theta } = fitAbility(cal.irt, sel.anchors, y);
      let pu = 0;
      for (let k = 0; k < n; k++) if (!seen.has(k)) pu += irtProbability(cal.irt, k, theta);
      const lambda = gpIrtLambda(cal.bHat, cal.vHat, N, "anchor");
      const want = gpIrtEstimates({ dataPart: data, irtUnseen: pu / (n - seen.size), anchors: N, items: n, lambda });
      expect(res.estimates[t]).toBeCloseTo(want.gpIrt, 12);
    });
  });

  it("[OPT] earlyStop: every fit of the calibration ends by fitIrt's stop rule; off by default", () => {
    const off = calibrateGpIrt(sources, fast);
    expect(Array.from(off.epochsByDim)).toEqual(fast.dims?.map(() => fast.epochs ?? 2000));
    expect(off.irt.epochsRun).toBe(fast.epochs ?? 2000);
    const rule = { window: 10, tol: 1e-3 };
    const on = calibrateGpIrt(sources, { ...fast, earlyStop: rule });
    // the chosen d's refit is fitIrt's with the same rule
    const R = new Uint8Array(sources.data.length).map((_, i) => ((sources.data[i] as number) > 0.5 ? 1 : 0));
    const refit = fitIrt(R, sources.rows, sources.cols, { dim: on.dim, epochs: fast.epochs ?? 2000, stop: rule });
    expect(refit.epochsRun).toBeLessThan(fast.epochs ?? 2000);
    expect(on.irt.epochsRun).toBe(refit.epochsRun);
    expect(Array.from(on.irt.theta)).toEqual(Array.from(refit.theta));
    for (const e of on.epochsByDim) expect(e).toBeLessThan(fast.epochs ?? 2000);
    // true is the documented default rule, and a stopping calibration is kept apart from a full one
    const ws = new Workspace();
    const a = calibrateGpIrt(sources, { ...fast, earlyStop: true }, ws);
    const b = calibrateGpIrt(sources, { ...fast, earlyStop: { window: 100, tol: 1e-6 } }, ws);
    const c = calibrateGpIrt(sources, fast, ws);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(Array.from(c.irt.theta)).toEqual(Array.from(off.irt.theta));
    const res = gpIrt({ ...fast, earlyStop: rule }).run({
      sources,
      oracles: oracles(10),
      budget: 10,
      rng: RandomStream.derive(1),
    });
    const d = res.diagnostics as Record<string, number | number[]>;
    expect(d.irtEpochsRun).toBe(on.irt.epochsRun);
    expect(d.epochsByDim).toEqual(Array.from(on.epochsByDim));
    const plain = gpIrt(fast).run({ sources, oracles: oracles(10), budget: 10, rng: RandomStream.derive(1) });
    expect((plain.diagnostics as Record<string, unknown>).irtEpochsRun).toBeUndefined();
    expect(() => gpIrt({ earlyStop: "yes" as unknown as boolean })).toThrow(
      /gp-IRT: earlyStop must be true, false or \{ window, tol \}, got "yes"/,
    );
    expect(() => gpIrt({ earlyStop: { window: 0, tol: 1 } })).toThrow(
      /gp-IRT: earlyStop\.window must be an integer ≥ 1/,
    );
    expect(() => gpIrt({ earlyStop: true, fitMethod: "vi" })).toThrow(
      /gp-IRT: earlyStop is for MAP fits \(fitMethod "map"\)/,
    );
    expect(() => gpIrt({ earlyStop: true, epochs: 100 })).toThrow(
      /gp-IRT: earlyStop\.window \(100\) must be less than epochs \(100\)/,
    );
  });

  it("keeps the calibration in a workspace per sources matrix, and the choice of d follows §6.4", () => {
    const ws = new Workspace();
    const c1 = calibrateGpIrt(sources, fast, ws);
    const c2 = calibrateGpIrt(sources, { ...fast }, ws);
    expect(c2).toBe(c1);
    expect(ws.stats().entries).toBe(1);
    // without a workspace (or with another one) it is fitted again, to the same numbers
    const alone = calibrateGpIrt(sources, fast);
    expect(alone).not.toBe(c1);
    expect(Array.from(alone.errByDim)).toEqual(Array.from(c1.errByDim));
    expect(Array.from(alone.irt.theta)).toEqual(Array.from(c1.irt.theta));
    expect(calibrateGpIrt(sources, fast, new Workspace())).not.toBe(c1);
    ws.dispose();
    expect(ws.stats()).toMatchObject({ slots: 0, entries: 0, bytes: 0 });
    expect(c1.dims).toEqual([1, 2]);
    const min = Math.min(...c1.errByDim);
    const first = Array.from(c1.errByDim).findIndex((e) => e - min < 0.0025);
    expect(c1.dim).toBe(c1.dims[first]);
    expect(c1.bHat).toBe(c1.errByDim[first]);
    expect(c1.threshold).toBeUndefined();
    // v̂ = mean over sources of the population variance of the row.
    let v = 0;
    for (let s = 0; s < S; s++) {
      const row = sources.row(s);
      const m = row.reduce((a, b) => a + b, 0) / n;
      v += row.reduce((a, b) => a + (b - m) ** 2, 0) / n;
    }
    expect(c1.vHat).toBeCloseTo(v / S, 14);
  });

  it("is deterministic for a trial stream and varies across trials", () => {
    const m = gpIrt(fast);
    const run = (trial: number) =>
      Array.from(m.run({ sources, oracles: oracles(8), budget: 8, rng: RandomStream.derive(9, trial) }).estimates);
    expect(run(0)).toEqual(run(0));
    expect(run(0)).not.toEqual(run(1));
  });

  it("estimators: naive is the weighted anchor mean; p-IRT and plain data part differ from the default", () => {
    const N = 6;
    const rng = RandomStream.derive(5);
    const naive = gpIrt({ ...fast, estimator: "naive" }).run({ sources, oracles: oracles(N), budget: N, rng });
    const sel = selectAnchors(calibrateGpIrt(sources, fast), sources, N, rng);
    targetRows.forEach((row, t) => {
      const want = Array.from(sel.anchors).reduce((s, k, i) => s + (sel.weights[i] as number) * (row[k] as number), 0);
      expect(naive.estimates[t]).toBeCloseTo(want, 14);
    });
    const wsum = sel.weights.reduce((a, b) => a + b, 0);
    expect(wsum).toBeCloseTo(1, 14);
    const p = gpIrt({ ...fast, estimator: "p-irt" }).run({ sources, oracles: oracles(N), budget: N, rng });
    const gp = gpIrt(fast).run({ sources, oracles: oracles(N), budget: N, rng });
    expect(Array.from(p.estimates)).not.toEqual(Array.from(gp.estimates));
  });

  it("binarises probability data at the §6.1 threshold", () => {
    const rng = RandomStream.derive("probs");
    const probs = sources.data.map((v) => (v === 1 ? 0.6 + 0.4 * rng.nextFloat() : 0.4 * rng.nextFloat()));
    const src = new CorrectnessMatrix({ data: probs, modelIds: sources.modelIds, exampleIds: sources.exampleIds });
    const cal = calibrateGpIrt(src, fast);
    expect(cal.threshold).toBeGreaterThan(0.01);
    expect(cal.threshold).toBeLessThan(0.99);
    const res = gpIrt(fast).run({ sources: src, oracles: oracles(5), budget: 5, rng: RandomStream.derive(1) });
    expect((res.diagnostics as Record<string, number>).threshold).toBe(cal.threshold);
  });

  it("rejects bad options and budgets", () => {
    expect(() => gpIrt({ anchorSpace: "x" as "irt" })).toThrow(/anchorSpace/);
    expect(() => gpIrt({ dims: [] })).toThrow(/dims/);
    const m = gpIrt(fast);
    expect(() => m.run({ sources, oracles: oracles(n + 1), budget: n + 1, rng: RandomStream.derive(0) })).toThrow(
      /budget/,
    );
  });
});
