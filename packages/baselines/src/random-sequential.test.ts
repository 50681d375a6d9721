import { CorrectnessMatrix, createOracle, RandomStream, wilsonInterval } from "@tb/core";
import { describe, expect, test } from "vitest";
import { randomBaseline } from "./random.js";

/** 6 sources × 400 examples and 3 targets with known accuracies (seeded). */
function setup() {
  const rng = RandomStream.derive("sequential-random-test");
  const n = 400;
  const rows = (p: number) => Array.from({ length: n }, () => (rng.nextFloat() < p ? 1 : 0));
  const sources = CorrectnessMatrix.from([0.2, 0.4, 0.5, 0.6, 0.7, 0.9].map(rows));
  const targets = [0.05, 0.5, 0.97].map(rows);
  return { sources, targets, n };
}

describe("sequential random sampling (random with precision)", () => {
  test("rounds double the total up to maxBudget; asked counts; Wilson intervals with FPC at the Bonferroni level", () => {
    const { sources, targets, n } = setup();
    const m = randomBaseline({ precision: 0.05, maxBudget: 240 });
    const run = m.start({ sources, targets: 3, budget: 30, rng: RandomStream.derive(1) });
    const sizes: number[][] = [];
    while (!run.done) {
      const reqs = run.requests();
      sizes.push(reqs.map((r) => r.examples.length));
      for (const r of reqs)
        run.answer(
          r.target,
          Array.from(r.examples, (j) => targets[r.target]?.[j] as number),
        );
    }
    const r = run.result();
    const asked = r.diagnostics?.asked as number[];
    // totals 30 → 60 → 120 → 240: K = 4 looks, each at 1 − 0.1/4 = 0.975
    for (const a of asked) expect([30, 60, 120, 240]).toContain(a);
    // p ≈ .5 needs ≈ z²·.25/.05² = 2.241²·100 ≈ 502 (FPC: 502/(1+501/400) ≈ 223) → runs to 240;
    // p ≈ .05 and .97 stop earlier
    expect(asked[1]).toBe(240);
    expect(asked[0]).toBeLessThan(240);
    expect(asked[2]).toBeLessThan(240);
    for (let t = 0; t < 3; t++) {
      const a = asked[t] as number;
      // the same prefix rule: answers are the first `a` of the order; recompute the interval by hand
      const est = r.estimates[t] as number;
      const [lo, hi] = wilsonInterval(Math.round(est * a), a, 0.975, n);
      expect(r.intervals?.lower[t]).toBeCloseTo(lo, 12);
      expect(r.intervals?.upper[t]).toBeCloseTo(hi, 12);
      const reached = (r.diagnostics?.reachedPrecision as number[] | undefined)?.[t];
      expect(reached).toBe((hi - lo) / 2 <= 0.05 ? 1 : 0);
      if (a < 240) expect(reached).toBe(1);
    }
    expect(r.intervals?.level).toBe(0.9);
    expect(sizes[0]).toEqual([30, 30, 30]);
  });

  test("through oracles of budget maxBudget: never past it; the same numbers as driving by hand", () => {
    const { sources, targets } = setup();
    const m = randomBaseline({ precision: 0.01, maxBudget: 100, mode: "perTarget" });
    const oracles = targets.map((row) => createOracle(row, 100));
    const r = m.run({ sources, oracles, budget: 25, rng: RandomStream.derive(4) });
    for (const o of oracles) expect(o.queried).toBe(100);
    expect(r.diagnostics?.reachedPrecision).toEqual([0, 0, 0]);
  });

  test("options errors name the option", () => {
    expect(() => randomBaseline({ precision: 0.05 })).toThrow(/random baseline: precision needs maxBudget/);
    expect(() => randomBaseline({ maxBudget: 50 })).toThrow(/maxBudget is given without precision/);
    expect(() => randomBaseline({ level: 0.9 })).toThrow(/level applies with precision only/);
    const { sources } = setup();
    const m = randomBaseline({ precision: 0.05, maxBudget: 500 });
    expect(() => m.start({ sources, targets: 1, budget: 30, rng: RandomStream.derive(1) })).toThrow(
      /maxBudget must be an integer in \[budget 30, 400 examples\]/,
    );
  });
});
