import { describe, expect, test } from "vitest";
import * as browser from "./browser.js";
import { reproduce, type TrialTask, trialEstimates } from "./index.js";
import { syntheticPopulation } from "./synthetic.js";

const strip = (r: Awaited<ReturnType<typeof reproduce>>) => r.results.map(({ seconds: _s, ...rest }) => rest);

describe("@tb/experiment/browser", () => {
  const matrix = syntheticPopulation({ models: 40, examples: 120, seed: 3 });
  const cfg = {
    methods: ["tailored-plus", "random"],
    budgets: [15, 25],
    trials: 2,
    seed: 5,
    split: "random" as const,
  };

  test("reproduce runs inline with the same report as the Node entry on worker threads", async () => {
    const progress: number[] = [];
    const inline = await browser.reproduce(matrix, { ...cfg, onProgress: (d) => progress.push(d) });
    const node = await reproduce(matrix, { ...cfg, workers: 2 });
    expect(strip(inline)).toEqual(strip(node));
    expect({ ...inline, results: [] }).toEqual({ ...node, results: [] });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test("more than one worker is refused, naming the browser entry", async () => {
    await expect(browser.reproduce(matrix, { ...cfg, workers: 4 })).rejects.toThrow(/browser entry.*workers must be 1/);
  });
});

describe("trialEstimates", () => {
  const matrix = syntheticPopulation({ models: 40, examples: 120, seed: 3 });
  test("its estimates are the ones runTrial scored: MAE and coverage recomputed from them agree", () => {
    const task: TrialTask = {
      method: "tailored-plus",
      budget: 20,
      trial: 1,
      seed: 9,
      config: {},
      split: "random",
      targetFraction: 0.5,
    };
    const rec = browser.runTrial(matrix, task);
    const det = trialEstimates(matrix, task);
    expect(det.targets).toHaveLength(20);
    let abs = 0;
    let inside = 0;
    for (const t of det.targets) {
      // the truth is the model's mean correctness, computed here from the matrix itself
      const r = matrix.modelIds.indexOf(t.model);
      const row = matrix.row(r);
      let s = 0;
      for (let j = 0; j < row.length; j++) s += row[j] as number;
      expect(t.truth).toBeCloseTo(s / row.length, 12);
      abs += Math.abs(t.estimate - t.truth);
      if ((t.lower as number) <= t.truth && t.truth <= (t.upper as number)) inside++;
    }
    expect(abs / det.targets.length).toBeCloseTo(rec.mae, 12);
    expect(inside / det.targets.length).toBeCloseTo(rec.coverage as number, 12);
    expect(det.level).toBe(0.9);
  });
});
