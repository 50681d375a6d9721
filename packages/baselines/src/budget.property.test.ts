import { CorrectnessMatrix, createOracle, type EvaluationMethod, RandomStream } from "@tb/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aipw } from "./aipw.js";
import { anchorPoints } from "./anchor-points.js";
import { anchorPredictor } from "./anchor-predictor.js";
import { doubleOptimize } from "./double-optimize.js";
import { gpIrt } from "./gp-irt.js";
import { lasso } from "./lasso.js";
import { pcaImpute } from "./pca.js";
import { randomBaseline } from "./random.js";
import { randomLearn } from "./random-learn.js";
import { randomSearchLearn } from "./random-search-learn.js";

/** A random 0/1 matrix of `S + T` rows and `n` columns, plus a budget in [1, n]. */
const problem = fc
  .record({ S: fc.integer({ min: 3, max: 8 }), T: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 4, max: 16 }) })
  .chain(({ S, T, n }) =>
    fc.record({
      S: fc.constant(S),
      T: fc.constant(T),
      n: fc.constant(n),
      cells: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: (S + T) * n, maxLength: (S + T) * n }),
      budget: fc.integer({ min: 1, max: n }),
      trial: fc.nat(1000),
    }),
  );

/**
 * Every method queries ≤ budget distinct examples per target and returns finite estimates in
 * [0, 1]; weights (when reported) sum to 1; with `deterministic`, a second run on the same stream
 * gives the same estimates.
 */
function checkMethods(methods: EvaluationMethod[], numRuns: number, seed: number, deterministic: boolean): void {
  fc.assert(
    fc.property(problem, ({ S, T, n, cells, budget, trial }) => {
      const data = Float64Array.from(cells);
      const sources = new CorrectnessMatrix({
        data: data.slice(0, S * n),
        modelIds: Array.from({ length: S }, (_, i) => `s${i}`),
        exampleIds: Array.from({ length: n }, (_, i) => `x${i}`),
      });
      for (const m of methods) {
        const run = () => {
          const oracles = Array.from({ length: T }, (_, t) =>
            createOracle(data.subarray((S + t) * n, (S + t + 1) * n), budget),
          );
          const res = m.run({ sources, oracles, budget, rng: RandomStream.derive("prop", m.name, trial) });
          return { res, oracles };
        };
        const { res, oracles } = run();
        expect(res.estimates.length).toBe(T);
        for (const o of oracles) expect(o.queried).toBeLessThanOrEqual(budget);
        for (const v of res.estimates) {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
        }
        const w = res.diagnostics?.weights;
        if (Array.isArray(w)) expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        if (deterministic) expect(Array.from(run().res.estimates)).toEqual(Array.from(res.estimates));
      }
    }),
    { numRuns, seed },
  );
}

describe("every baseline stays within the budget (property)", () => {
  it("Random, Anchor Points, gp-IRT: ≤ budget distinct examples per target, finite estimates in [0, 1]", () => {
    const methods = [
      randomBaseline(),
      anchorPoints(),
      anchorPoints({ algorithm: "pam" }),
      gpIrt({ dims: [1], epochs: 20 }),
      gpIrt({ dims: [1], epochs: 20, anchorSpace: "random" }),
    ];
    checkMethods(methods, 60, 20240601, false);
  });
  it("random-learn, random-search-learn, aipw: the same, and deterministic", () => {
    checkMethods([randomLearn(), randomSearchLearn({ search: 25 }), aipw()], 60, 20240601, true);
  });
  it("lasso, pca, double-optimize, anchor-predictor: the same, and deterministic", () => {
    checkMethods([lasso(), pcaImpute(), doubleOptimize(), anchorPredictor()], 40, 20250601, true);
  });
});
