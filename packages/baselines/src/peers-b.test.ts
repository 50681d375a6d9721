import { readFileSync } from "node:fs";
import { CorrectnessMatrix, createOracle, type EvaluationMethod, RandomStream, TbError } from "@tb/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anchorPredictor, anchorPredictorEstimate, anchorPredictorFit } from "./anchor-predictor.js";
import { doubleOptimize, doubleOptimizeFit, projectCappedSimplex, topK } from "./double-optimize.js";
import { LassoProblem, lasso, lassoAlphas, lassoFit, lassoSelect } from "./lasso.js";
import { imputePca, pcaImpute, symmetricEigen } from "./pca.js";

/** peers_b_reference.json, written by __fixtures__/make_peer_b_fixtures.py (plain NumPy). */
interface Reference {
  lassoAlphas: number[];
  lassoFits: {
    rows: number;
    cols: number;
    X: number[];
    y: number[];
    fits: { alpha: number; coef: number[]; intercept: number; nonzero: number }[];
  };
  lassoPath: {
    rows: number;
    cols: number;
    X: number[];
    y: number[];
    k: number;
    chosenIndex: number;
    chosenAlpha: number;
    nonzero: number;
    coef: number[];
    intercept: number;
    counts: number[];
  };
  pca: {
    rows: number;
    cols: number;
    values: number[];
    known: number[];
    components: number;
    converged: number[];
    convergedRounds: number;
    threeRounds: number[];
    threeRoundsC3: number[];
  };
  anchorPredictor: {
    rows: number;
    cols: number;
    values: number[];
    anchors: number[];
    perExample: ({ slot: number; slope: number; intercept: number; rss: number } | null)[];
    y: number[];
    estimate: number;
  };
  projections: { p: number[]; k: number; projected: number[] }[];
}

const ref = JSON.parse(
  readFileSync(new URL("./__fixtures__/peers_b_reference.json", import.meta.url), "utf8"),
) as Reference;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** A random 0/1 matrix with a latent ability × difficulty structure (rows models, cols examples). */
function latentMatrix(rows: number, cols: number, seed: string): number[][] {
  const rng = RandomStream.derive(seed);
  const ability = Array.from({ length: rows }, () => rng.nextNormal());
  const difficulty = Array.from({ length: cols }, () => rng.nextNormal());
  return ability.map((a) => difficulty.map((d) => (rng.nextFloat() < 1 / (1 + Math.exp(-(1.5 * a - d))) ? 1 : 0)));
}

function problem(rows: number[][], nSources: number, budget: number) {
  const sources = CorrectnessMatrix.from(rows.slice(0, nSources));
  const targets = rows.slice(nSources);
  const oracles = () => targets.map((r, t) => createOracle(r, budget, `t${t}`));
  return { sources, targets, oracles };
}

function expectUsage(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TbError);
    expect((e as TbError).code).toBe("E_USAGE");
    return;
  }
  throw new Error("expected an E_USAGE error");
}

describe("lasso (against NumPy coordinate descent + KKT polish)", () => {
  it("uses BenchPred's α grid: 1000 log-spaced values from 1e-4 to 10 (numpy.logspace)", () => {
    const a = lassoAlphas();
    expect(a.length).toBe(1000);
    for (let i = 0; i < 1000; i++) {
      const r = ref.lassoAlphas[i] as number;
      expect(Math.abs((a[i] as number) - r) / r).toBeLessThan(1e-13);
    }
  });

  it("matches the exact solution at several α (coefficients and intercept)", () => {
    const { rows, cols, X, y, fits } = ref.lassoFits;
    for (const f of fits) {
      const r = lassoFit(Float64Array.from(X), rows, cols, y, f.alpha, { tol: 1e-14, maxIter: 1_000_000 });
      expect(r.converged).toBe(true);
      expect(maxAbsDiff(r.coef, f.coef)).toBeLessThan(1e-9);
      expect(Math.abs(r.intercept - f.intercept)).toBeLessThan(1e-9);
      expect(r.nonzero).toBe(f.nonzero);
      // The default (scikit-learn) tolerance lands close to it as well.
      const d = lassoFit(Float64Array.from(X), rows, cols, y, f.alpha);
      expect(maxAbsDiff(d.coef, f.coef)).toBeLessThan(5e-3);
    }
  });

  it("selects the α whose non-zero count is ≤ k and closest to k, stopping at exactly k", () => {
    const lp = ref.lassoPath;
    const P = new LassoProblem(Float64Array.from(lp.X), lp.rows, lp.cols, lp.y);
    for (const opts of [{ tol: 1e-14, maxIter: 1_000_000 }, {}]) {
      const sel = lassoSelect(P, lp.k, opts);
      expect(sel.alphaIndex).toBe(lp.chosenIndex);
      expect(sel.alpha).toBeCloseTo(lp.chosenAlpha, 12);
      expect(sel.fit.nonzero).toBe(lp.nonzero);
      expect(sel.alphasTried).toBe(lp.chosenIndex + 1); // stopped at exactly k
      expect(Array.from(sel.fit.coef, (v) => v !== 0)).toEqual(lp.coef.map((v) => v !== 0));
    }
    const tight = lassoSelect(P, lp.k, { tol: 1e-14, maxIter: 1_000_000 });
    expect(maxAbsDiff(tight.fit.coef, lp.coef)).toBeLessThan(1e-9);
    expect(Math.abs(tight.fit.intercept - lp.intercept)).toBeLessThan(1e-9);
    // Below the chosen index every count is > k (else an earlier α would have been kept or stopped at).
    expect(Array.from(tight.counts.slice(0, -1)).every((c) => c > lp.k)).toBe(true);
    expect(Array.from(tight.counts)).toEqual(lp.counts);
  });

  it("keeps the largest count ≤ k (first such α) when no α gives exactly k, scanning the whole grid", () => {
    const lp = ref.lassoPath;
    const P = new LassoProblem(Float64Array.from(lp.X), lp.rows, lp.cols, lp.y);
    const grid = ref.lassoAlphas;
    const i7 = lp.counts.indexOf(7);
    const a5 = lp.chosenAlpha; // count 5 in the reference
    const alphas = [grid[i7] as number, a5, a5 * 1.0001, a5 * 10];
    const sel = lassoSelect(P, 6, { alphas, tol: 1e-14, maxIter: 1_000_000 });
    expect(Array.from(sel.counts.slice(0, 2))).toEqual([7, 5]);
    expect(sel.alphaIndex).toBe(1);
    expect(sel.fit.nonzero).toBe(5);
    expect(sel.alphasTried).toBe(4);
    expect(sel.counts[3] as number).toBeLessThan(5);
  });

  it("method: coreset = non-zero coefficients, estimate = intercept + Σ coef·y (clipped)", () => {
    const rows = latentMatrix(40, 60, "lasso-m");
    const { sources, targets, oracles } = problem(rows, 30, 8);
    const os = oracles();
    const res = lasso().run({ sources, oracles: os, budget: 8, rng: RandomStream.derive("lasso-run") });
    const d = res.diagnostics as Record<string, unknown>;
    const core = d.coreset as number[];
    expect(d.fallback).toBe("none");
    expect(core.length).toBe(d.nonzero);
    expect(core.length).toBeLessThanOrEqual(8);
    for (const o of os) expect(o.queried).toBe(core.length);
    // Refit at the reported α and apply it by hand.
    const acc = Array.from({ length: 30 }, (_, s) => (rows[s] as number[]).reduce((a, b) => a + b, 0) / 60);
    const P = new LassoProblem(sources.data, 30, 60, acc);
    const sel = lassoSelect(P, 8);
    expect(sel.alpha).toBe(d.alpha);
    targets.forEach((r, t) => {
      let e = sel.fit.intercept;
      for (const j of core) e += (sel.fit.coef[j] as number) * (r[j] as number);
      expect(res.estimates[t]).toBeCloseTo(Math.min(1, Math.max(0, e)), 12);
    });
  });

  it("method: falls back to a random sample when the lasso keeps no example", () => {
    // Every source has accuracy 1/2: the label is constant, every coefficient is 0.
    const rows = [
      [1, 0, 1, 0, 1, 0],
      [0, 1, 0, 1, 0, 1],
      [1, 1, 0, 0, 1, 0],
      [0, 0, 1, 1, 0, 1],
      [1, 0, 1, 1, 0, 0],
    ];
    const sources = CorrectnessMatrix.from(rows);
    const target = [1, 1, 1, 0, 0, 1];
    const o = createOracle(target, 3);
    const res = lasso().run({ sources, oracles: [o], budget: 3, rng: RandomStream.derive("fb") });
    const d = res.diagnostics as Record<string, unknown>;
    expect(d.fallback).toBe("random");
    expect(o.queried).toBe(3);
    const core = d.coreset as number[];
    expect(res.estimates[0]).toBeCloseTo(core.reduce((a, j) => a + (target[j] as number), 0) / 3, 14);
  });
});

describe("PCA imputation (against NumPy full-SVD rounds)", () => {
  const pc = ref.pca;
  const values = Float64Array.from(pc.values);
  const known = Uint8Array.from(pc.known);
  const exact = { powerSteps: 300, firstPowerSteps: 300, valueTol: 1e-16 };

  it("converges to the same fill (1e-6)", () => {
    const r = imputePca(values, pc.rows, pc.cols, known, { components: 2, maxIter: 20_000, tol: 1e-13, ...exact });
    expect(r.converged).toBe(true);
    expect(maxAbsDiff(r.filled, pc.converged)).toBeLessThan(1e-6);
    // Default subspace settings reach the same fixed point.
    const d = imputePca(values, pc.rows, pc.cols, known, { components: 2, maxIter: 20_000, tol: 1e-13 });
    expect(maxAbsDiff(d.filled, pc.converged)).toBeLessThan(1e-6);
  });

  it("reproduces the rounds themselves (3 rounds, c = 2 and 3) and never changes known cells", () => {
    for (const [c, want] of [
      [2, pc.threeRounds],
      [3, pc.threeRoundsC3],
    ] as const) {
      const r = imputePca(values, pc.rows, pc.cols, known, { components: c, maxIter: 3, ...exact });
      expect(r.iterations).toBe(3);
      expect(maxAbsDiff(r.filled, want)).toBeLessThan(1e-9);
      for (let u = 0; u < values.length; u++) if (known[u] === 1) expect(r.filled[u]).toBe(values[u]);
    }
  });

  it("symmetricEigen: A·v = λ·v, decreasing λ", () => {
    const rng = RandomStream.derive("eig");
    const m = 7;
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = i; j < m; j++) {
        const v = rng.nextNormal();
        a[i * m + j] = v;
        a[j * m + i] = v;
      }
    }
    const { values: lam, vectors } = symmetricEigen(a, m);
    for (let l = 0; l < m; l++) {
      if (l > 0) expect(lam[l] as number).toBeLessThanOrEqual(lam[l - 1] as number);
      for (let i = 0; i < m; i++) {
        let av = 0;
        for (let j = 0; j < m; j++) av += (a[i * m + j] as number) * (vectors[j * m + l] as number);
        expect(av).toBeCloseTo((lam[l] as number) * (vectors[i * m + l] as number), 10);
      }
    }
  });

  it("method: shared uniform coreset, c chosen with REAL masking (cross-validation MAE > 0)", () => {
    const rows = latentMatrix(36, 50, "pca-m");
    const { sources, oracles } = problem(rows, 28, 10);
    const os = oracles();
    const res = pcaImpute().run({ sources, oracles: os, budget: 10, rng: RandomStream.derive("pca-run") });
    const d = res.diagnostics as Record<string, unknown>;
    const core = d.coreset as number[];
    expect(new Set(core).size).toBe(10);
    expect(core).toEqual(
      Array.from(
        RandomStream.derive("pca-run")
          .child("random")
          .sample(
            Array.from({ length: 50 }, (_, i) => i),
            10,
          ),
      ),
    );
    for (const o of os) expect(o.queried).toBe(10);
    const mae = d.cvMae as number[];
    expect(mae.length).toBe(4);
    // Had nothing been hidden (the published code's bug), the held-out rows would be reproduced exactly.
    for (const v of mae) expect(v).toBeGreaterThan(1e-6);
    expect([2, 5, 10, 20]).toContain(d.components);
    expect(d.components).toBe([2, 5, 10, 20][mae.indexOf(Math.min(...mae))]);
  });
});

describe("anchor predictor (against NumPy lstsq)", () => {
  const ap = ref.anchorPredictor;

  it("per example: chosen anchor (first slot on ties), slope, intercept, residual; and the estimate", () => {
    const fit = anchorPredictorFit(Float64Array.from(ap.values), ap.rows, ap.cols, ap.anchors);
    expect(Array.from(fit.anchors)).toEqual(ap.anchors);
    ap.perExample.forEach((p, x) => {
      if (p === null) {
        expect(fit.slot[x]).toBe(-1);
        return;
      }
      expect(fit.slot[x]).toBe(p.slot);
      expect(fit.slope[x]).toBeCloseTo(p.slope, 10);
      expect(fit.intercept[x]).toBeCloseTo(p.intercept, 10);
      expect(fit.rss[x]).toBeCloseTo(p.rss, 10);
    });
    expect(anchorPredictorEstimate(fit, ap.y)).toBeCloseTo(ap.estimate, 12);
  });

  it("all examples anchors → the mean of y; bad anchors → E_USAGE", () => {
    const v = Float64Array.from([1, 0, 1, 0, 1, 1]);
    const fit = anchorPredictorFit(v, 2, 3, [2, 0, 1]);
    expect(anchorPredictorEstimate(fit, [1, 0, 0])).toBeCloseTo(1 / 3, 15);
    expectUsage(() => anchorPredictorFit(v, 2, 3, [0, 0]));
    expectUsage(() => anchorPredictorFit(v, 2, 3, [3]));
    expectUsage(() => anchorPredictorFit(v, 2, 3, []));
  });

  it("method: K distinct anchors from FasterPAM on 1 − |ρ|, queried once per target", () => {
    const rows = latentMatrix(30, 40, "ap-m");
    const { sources, oracles } = problem(rows, 24, 6);
    const os = oracles();
    const res = anchorPredictor().run({ sources, oracles: os, budget: 6, rng: RandomStream.derive("ap-run") });
    const anchors = (res.diagnostics as Record<string, unknown>).anchors as number[];
    expect(new Set(anchors).size).toBe(6);
    for (const o of os) expect(o.queried).toBe(6);
    for (const e of res.estimates) expect(e >= 0 && e <= 1).toBe(true);
  });
});

describe("double-optimize", () => {
  it("projection: matches the exact capped-simplex projection (NumPy, breakpoints)", () => {
    for (const c of ref.projections) {
      const p = Float64Array.from(c.p);
      projectCappedSimplex(p, c.k);
      expect(maxAbsDiff(p, c.projected)).toBeLessThan(1e-9);
    }
  });

  it("projection keeps Σp = k and p ∈ [0, 1] (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.nat(),
        (arr, kk) => {
          const k = kk % (arr.length + 1);
          const p = Float64Array.from(arr);
          projectCappedSimplex(p, k);
          let s = 0;
          for (const v of p) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
            s += v;
          }
          expect(Math.abs(s - k)).toBeLessThan(1e-9 * Math.max(1, arr.length));
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it("topK: exactly k distinct indices, the largest values, smaller index first on ties", () => {
    expect(Array.from(topK([0.5, 0.9, 0.5, 0.1, 0.9], 3))).toEqual([0, 1, 4]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 30 }), fc.nat(), (arr, kk) => {
        const k = 1 + (kk % arr.length);
        const t = Array.from(topK(arr, k));
        expect(new Set(t).size).toBe(k);
        const chosen = new Set(t);
        const minIn = Math.min(...t.map((j) => arr[j] as number));
        arr.forEach((v, j) => {
          if (!chosen.has(j)) expect(v).toBeLessThanOrEqual(minIn);
        });
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it("recovers planted problems (label = mean of k fixed columns) with a low validation MSE", () => {
    // A heuristic with local optima (Adam moves unselected weights by ~lr per step through the weight
    // decay alone), so: every run must improve, most must find the planted columns exactly.
    const rows = 120;
    const n = 30;
    const k = 4;
    let exact = 0;
    for (let seed = 0; seed < 8; seed++) {
      const rng = RandomStream.derive("planted", seed);
      const planted = Array.from(
        rng.sample(
          Array.from({ length: n }, (_, i) => i),
          k,
        ),
      ).sort((a, b) => a - b);
      const X = new Float64Array(rows * n);
      for (let u = 0; u < X.length; u++) X[u] = rng.nextFloat() < 0.5 ? 1 : 0;
      const labels = Float64Array.from({ length: rows }, (_, s) => {
        let t = 0;
        for (const j of planted) t += X[s * n + j] as number;
        return t / k;
      });
      const fit = doubleOptimizeFit(X, rows, n, labels, k, RandomStream.derive("planted-fit", seed));
      expect(fit.coreset.length).toBe(k);
      expect(new Set(fit.coreset).size).toBe(k);
      expect(fit.bestValidationMse).toBeLessThan(0.7 * fit.initialValidationMse);
      if (fit.bestValidationMse < 1e-6) {
        expect(Array.from(fit.coreset)).toEqual(planted);
        exact++;
      }
      let s = 0;
      for (const v of fit.p) s += v;
      expect(s).toBeCloseTo(k, 9);
      expect(fit.validation.length).toBe(24);
      expect(fit.train.length).toBe(96);
      expect(new Set([...fit.train, ...fit.validation]).size).toBe(rows);
    }
    expect(exact).toBeGreaterThanOrEqual(4);
  });

  it("method: k distinct examples, estimate = Σ w_j·y_j / k over the coreset, clipped", () => {
    const rows = latentMatrix(30, 40, "do-m");
    const { sources, oracles } = problem(rows, 24, 5);
    const os = oracles();
    const res = doubleOptimize({ clip: false }).run({
      sources,
      oracles: os,
      budget: 5,
      rng: RandomStream.derive("do-run"),
    });
    const core = (res.diagnostics as Record<string, unknown>).coreset as number[];
    expect(new Set(core).size).toBe(5);
    for (const o of os) expect(o.queried).toBe(5);
    const clipped = doubleOptimize().run({
      sources,
      oracles: oracles(),
      budget: 5,
      rng: RandomStream.derive("do-run"),
    });
    res.estimates.forEach((e, t) => {
      expect(clipped.estimates[t]).toBe(Math.min(1, Math.max(0, e)));
    });
  });
});

describe("all four peers", () => {
  const methods = (): EvaluationMethod[] => [lasso(), pcaImpute(), doubleOptimize(), anchorPredictor()];

  it("bad options → E_USAGE naming the option", () => {
    const cases: [() => unknown, string][] = [
      [() => lasso({ maxIter: 0 }), "maxIter"],
      [() => lasso({ tol: -1 }), "tol"],
      [() => lasso({ alphas: [0.1, 0.01] }), "alphas"],
      [() => lasso({ clip: "yes" as unknown as boolean }), "clip"],
      [() => pcaImpute({ components: [] }), "components"],
      [() => pcaImpute({ components: [2, 0] }), "components"],
      [() => pcaImpute({ holdoutFraction: 1 }), "holdoutFraction"],
      [() => pcaImpute({ tol: 0 }), "tol"],
      [() => pcaImpute({ powerSteps: 1.5 }), "powerSteps"],
      [() => doubleOptimize({ steps: 0 }), "steps"],
      [() => doubleOptimize({ patience: -3 }), "patience"],
      [() => doubleOptimize({ lrWeights: 0 }), "lrWeights"],
      [() => doubleOptimize({ lrSelection: Number.NaN }), "lrSelection"],
      [() => doubleOptimize({ weightDecay: -1 }), "weightDecay"],
      [() => doubleOptimize({ validationFraction: 0 }), "validationFraction"],
      [() => anchorPredictor({ maxPasses: -1 }), "maxPasses"],
      [() => anchorPredictor({ clip: 1 as unknown as boolean }), "clip"],
    ];
    for (const [f, name] of cases) {
      expectUsage(f);
      try {
        f();
      } catch (e) {
        expect((e as Error).message).toContain(name);
      }
    }
  });

  it("budget outside [1, n] → E_USAGE", () => {
    const sources = CorrectnessMatrix.from(latentMatrix(6, 8, "b"));
    for (const m of methods()) {
      for (const budget of [0, 9, 2.5]) {
        expectUsage(() =>
          m.run({ sources, oracles: [createOracle(new Float64Array(8), 8)], budget, rng: RandomStream.derive("b") }),
        );
      }
    }
  });

  it("same stream → same estimates and diagnostics", () => {
    const rows = latentMatrix(30, 36, "det");
    const { sources, oracles } = problem(rows, 22, 6);
    for (const m of methods()) {
      const a = m.run({ sources, oracles: oracles(), budget: 6, rng: RandomStream.derive("det", 1) });
      const b = m.run({ sources, oracles: oracles(), budget: 6, rng: RandomStream.derive("det", 1) });
      expect(Array.from(a.estimates)).toEqual(Array.from(b.estimates));
      expect(a.diagnostics).toEqual(b.diagnostics);
    }
  });
});
