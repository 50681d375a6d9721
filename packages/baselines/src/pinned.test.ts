import { readFileSync } from "node:fs";
import { Workspace } from "@tb/core";
import { describe, expect, it } from "vitest";
import { methods, type PinnedRun, populations, runCase } from "./__fixtures__/pinned-cases.js";

/**
 * Numbers pinned before the baselines became one-round evaluations (`__fixtures__/make-pinned.ts`,
 * cases in `__fixtures__/pinned-cases.ts`): every method's per-trial estimates, diagnostics, the
 * examples each target was asked, and the errors of out-of-range budgets hold bit for bit.
 */
const pinned = (
  JSON.parse(readFileSync(new URL("./__fixtures__/pinned_one_round.json", import.meta.url), "utf8")) as {
    runs: PinnedRun[];
  }
).runs;

describe("pinned per-trial numbers of every baseline (bit for bit)", () => {
  for (const pop of populations()) {
    it(`${pop.name}: ${pop.sources.rows} sources, ${pop.targets.length} targets, budgets ${pop.budgets.join(", ")}`, () => {
      const workspace = new Workspace();
      let count = 0;
      for (const { label, method } of methods()) {
        for (const budget of pop.budgets) {
          for (const trial of [0, 1]) {
            const want = pinned.find(
              (r) => r.population === pop.name && r.method === label && r.budget === budget && r.trial === trial,
            );
            expect(want, `${pop.name} ${label} N=${budget} trial ${trial} is pinned`).toBeDefined();
            // toStrictEqual: numbers compare with Object.is, NaN/±0 are pinned as strings.
            expect(runCase(pop, label, method, budget, trial, workspace)).toStrictEqual(want);
            count++;
          }
        }
      }
      expect(count).toBe(pinned.filter((r) => r.population === pop.name).length);
    });
  }
});
