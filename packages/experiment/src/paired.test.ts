/**
 * The paired mode of reproduce (docs/DESIGN.md §3.3): pairs are a seeded partition of the targets,
 * the same for every method; the scores match hand-computed cases; the paired designs are
 * PairedRuns through budgeted oracles with the documented streams; cells carry what §3.3 says.
 */
import { createOracle, drive, isTbError, RandomStream } from "@tb/core";
import { PairedRun } from "@tb/estimate/internals";
import { describe, expect, test } from "vitest";
import { scorePairs, trialPairs } from "./paired.js";
import { runTrial, type TrialTask } from "./protocol.js";
import { reproduce } from "./reproduce.js";
import { randomSplit } from "./split.js";
import { syntheticPopulation } from "./synthetic.js";

const matrix = syntheticPopulation({ models: 40, examples: 120, seed: 5 });

describe("trialPairs", () => {
  test("a seeded partition of the targets into pairs; odd counts leave one out; other trials differ", () => {
    for (const n of [10, 11]) {
      const p = trialPairs(n, 0, 3);
      expect(p).toHaveLength(5);
      const all = p.flat();
      expect(new Set(all).size).toBe(10);
      for (const i of all) expect(i >= 0 && i < n).toBe(true);
      expect(trialPairs(n, 0, 3)).toEqual(p);
    }
    expect(trialPairs(10, 0, 4)).not.toEqual(trialPairs(10, 0, 3));
  });
});

describe("scorePairs", () => {
  test("hand-computed: pair order (ties half), difference coverage and width", () => {
    // targets 0..5; pairs (0,1), (2,3), (4,5)
    const truth = [0.7, 0.5, 0.4, 0.42, 0.3, 0.6];
    const est = [0.6, 0.55, 0.5, 0.1, 0.45, 0.45];
    const pairs: [number, number][] = [
      [0, 1],
      [2, 3],
      [4, 5],
    ];
    // (0,1): truth +.2, est +.05 → right; (2,3): truth −.02 < gap, not counted; (4,5): truth −.3, est tie → ½
    const s = scorePairs(est, truth, pairs, 0.05, { lower: [0.1, -0.5, -0.2], upper: [0.3, 0.5, 0.1] });
    expect(s.pairOrderPairs).toBe(2);
    expect(s.pairOrder).toBeCloseTo(0.75, 14);
    // true differences .2 (in [.1,.3]), −.02 (in [−.5,.5]), −.3 (not in [−.2,.1])
    expect(s.differenceCoverage).toBeCloseTo(2 / 3, 14);
    expect(s.differenceWidth).toBeCloseTo((0.2 + 1 + 0.3) / 3, 14);
    expect(Array.from(s.members)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe("reproduce with pairs: true", () => {
  const cfg = {
    methods: ["paired", "paired-random", "tailored-plus", "random"],
    budgets: [24],
    trials: 2,
    seed: 1,
    split: "random" as const,
    pairs: true,
  };

  test("cells are paired, within budget, scored on the same pairs; only the paired designs have difference intervals", async () => {
    const r = await reproduce(matrix, cfg);
    expect(r.results.map((c) => c.method)).toEqual(cfg.methods);
    for (const c of r.results) {
      expect(c.design).toBe("paired");
      expect(c.maxQueried).toBeLessThanOrEqual(24);
      // the pairs ≥ 5 pp apart in truth are the same for every method: the same pairs
      expect(c.pairOrder?.pairs).toBe(r.results[0]?.pairOrder?.pairs);
      expect(c.differenceCoverage !== undefined).toBe(c.method.startsWith("paired"));
    }
    const p = r.results[0];
    expect(p?.level).toBe(0.9);
    expect(p?.differenceWidth?.mean).toBeGreaterThan(0);
  });

  test("a paired trial is PairedRun on each pair, stream (seed, method, budget, trial, 'pair', p)", () => {
    const task: TrialTask = {
      method: "paired",
      budget: 24,
      trial: 0,
      seed: 1,
      config: {},
      split: "random",
      targetFraction: 0.5,
      pairs: true,
    };
    const rec = runTrial(matrix, task);
    const split = randomSplit(matrix.rows, 0.5, 1, 0);
    const sources = matrix.selectRows(split.source);
    const pairs = trialPairs(split.target.length, 1, 0);
    let inside = 0;
    for (const [p, [a, b]] of pairs.entries()) {
      const run = new PairedRun({
        sources,
        targets: 2,
        budget: 24,
        rng: RandomStream.derive(1, "paired", 24, 0, "pair", p),
      });
      const ra = split.target[a] as number;
      const rb = split.target[b] as number;
      drive(run, [createOracle(matrix.row(ra), 24), createOracle(matrix.row(rb), 24)]);
      const d = run.difference();
      const truth = matrix.trueScore(ra) - matrix.trueScore(rb);
      if (truth >= d.interval[0] - 1e-12 && truth <= d.interval[1] + 1e-12) inside++;
    }
    expect(rec.differenceCoverage).toBeCloseTo(inside / pairs.length, 14);
    expect(rec.design).toBe("paired");
  });

  test("the paired designs outside paired mode are refused, naming the option", async () => {
    try {
      await reproduce(matrix, { ...cfg, pairs: false });
      throw new Error("no error");
    } catch (e) {
      expect(isTbError(e)).toBe(true);
      expect((e as Error).message).toMatch(/"paired" .* paired mode only \(pairs: true\)/);
    }
  });

  test("the same numbers with 2 worker threads", async () => {
    const a = await reproduce(matrix, { ...cfg, methods: ["paired", "tailored-plus"], workers: 1 });
    const b = await reproduce(matrix, { ...cfg, methods: ["paired", "tailored-plus"], workers: 2 });
    const strip = (r: typeof a) => r.results.map(({ seconds: _s, ...c }) => c);
    expect(strip(b)).toEqual(strip(a));
  });
});
