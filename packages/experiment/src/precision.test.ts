/**
 * `reproduce` with precision on demand (docs/DESIGN.md §3.3): the methods that can stop run from
 * their budget up to maxBudget; the cells carry precision, maxBudget, asked and reachedPrecision.
 * Checked against cases whose answer is known without the code: asking every example gives the
 * true score exactly, a half-width of 0.5 is reached by any interval, the schedule's totals.
 */
import { isTbError, precisionTotals, type TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import type { CellSummary } from "./protocol.js";
import { reproduce } from "./reproduce.js";
import { syntheticPopulation } from "./synthetic.js";

const matrix = syntheticPopulation({ models: 40, examples: 120, seed: 4 });
const base = { budgets: [30], trials: 3, seed: 0, split: "random" as const };

async function usageError(p: Promise<unknown>, text: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isTbError(e)).toBe(true);
    expect((e as TbError).code).toBe("E_USAGE");
    expect((e as TbError).message).toMatch(text);
    return;
  }
  throw new Error("expected a TbError");
}

const cell = (cells: CellSummary[], method: string): CellSummary => {
  const c = cells.find((x) => x.method === method);
  if (!c) throw new Error(`no cell for ${method}`);
  return c;
};

describe("reproduce with precision", () => {
  test("a precision no interval can reach asks every example: random is then exact and its interval the point", async () => {
    const r = await reproduce(matrix, {
      ...base,
      methods: ["random", "tailored-plus"],
      precision: 0.001,
      maxBudget: 120,
    });
    const rnd = cell(r.results, "random");
    // every target asked all 120 examples: the mean of its row is its true score
    expect(rnd.asked).toEqual({ mean: 120, se: 0 });
    expect(rnd.maxQueried).toBe(120);
    expect(rnd.mae.mean).toBe(0);
    // Wilson with the finite-population correction at the whole population: width 0, so reached
    expect(rnd.reachedPrecision).toEqual({ mean: 1, se: 0 });
    expect(rnd.coverage?.mean).toBe(1);
    expect(rnd.precision).toBe(0.001);
    expect(rnd.maxBudget).toBe(120);
    // tailored-plus is also asked the whole bank (its oracle may answer up to maxBudget, never more)
    const plus = cell(r.results, "tailored-plus");
    expect(plus.asked?.mean).toBe(120);
    expect(plus.maxQueried).toBe(120);
  });

  test("precision 0.5: random stops at its base sample; tailored-plus after one round of random draws", async () => {
    const r = await reproduce(matrix, {
      ...base,
      methods: ["random", "tailored-plus"],
      precision: 0.5,
      maxBudget: 100,
    });
    for (const c of r.results) {
      // random's base sample is random: its interval may stop it; tailored-plus's base design is
      // not, so it asks the schedule's first total (60 of 30 → 60 → 100)
      const n = c.method === "random" ? 30 : 60;
      expect(c.asked).toEqual({ mean: n, se: 0 });
      expect(c.reachedPrecision).toEqual({ mean: 1, se: 0 });
      expect(c.maxQueried).toBe(n);
    }
  });

  test("asked lies between the budget and maxBudget; random's per-target totals are the schedule's", async () => {
    const r = await reproduce(matrix, {
      ...base,
      methods: ["random", "tailored-plus"],
      precision: 0.06,
      maxBudget: 100,
    });
    const totals = [30, ...precisionTotals(30, 100)];
    expect(totals).toEqual([30, 60, 100]);
    for (const c of r.results) {
      const a = c.asked as { mean: number };
      expect(a.mean).toBeGreaterThanOrEqual(30);
      expect(a.mean).toBeLessThanOrEqual(100);
      expect(c.maxQueried).toBeLessThanOrEqual(100);
      expect(totals).toContain(c.maxQueried);
      expect(c.coverage).toBeDefined();
      const reached = c.reachedPrecision as { mean: number };
      expect(reached.mean).toBeGreaterThanOrEqual(0);
      expect(reached.mean).toBeLessThanOrEqual(1);
    }
    // at 0.06 half-width, Wilson at the Bonferroni level 1 − 0.1/3 needs more than 30 answers of
    // a target near 0.5: random asks more than the base design
    expect((cell(r.results, "random").asked as { mean: number }).mean).toBeGreaterThan(30);
  });

  test("the same numbers with 1 and 2 worker threads", async () => {
    const o = { ...base, methods: ["tailored-plus", "random"], precision: 0.05, maxBudget: 120 };
    const strip = (cells: CellSummary[]) => cells.map(({ seconds: _s, ...c }) => c);
    const one = await reproduce(matrix, { ...o, workers: 1 });
    const two = await reproduce(matrix, { ...o, workers: 2 });
    expect(strip(two.results)).toEqual(strip(one.results));
  });

  test("bad options: a method that cannot stop is named; maxBudget without precision; budget above maxBudget", async () => {
    await usageError(
      reproduce(matrix, { ...base, methods: ["random", "tailored"], precision: 0.05, maxBudget: 100 }),
      /"tailored" cannot stop at a precision \(the methods that can: tailored-plus, random\)/,
    );
    await usageError(
      reproduce(matrix, { ...base, methods: ["anchor-points"], precision: 0.05, maxBudget: 100 }),
      /"anchor-points" cannot stop/,
    );
    await usageError(
      reproduce(matrix, { ...base, methods: ["random"], maxBudget: 100 }),
      /maxBudget is given without precision/,
    );
    await usageError(reproduce(matrix, { ...base, methods: ["random"], precision: 0.05 }), /precision needs maxBudget/);
    await usageError(
      reproduce(matrix, { ...base, methods: ["random"], precision: 0.05, maxBudget: 121 }),
      /maxBudget must be an integer in \[1, 120\]/,
    );
    await usageError(
      reproduce(matrix, { ...base, budgets: [40], methods: ["random"], precision: 0.05, maxBudget: 35 }),
      /budget 40 is larger than maxBudget 35/,
    );
    await usageError(
      reproduce(matrix, { ...base, methods: ["random"], precision: 0, maxBudget: 100 }),
      /precision must be/,
    );
    await usageError(
      reproduce(matrix, { ...base, methods: ["random"], precision: 0.05, maxBudget: 100, pairs: true }),
      /pairs and precision cannot be combined/,
    );
  });

  test("without precision a cell has none of the precision fields", async () => {
    const r = await reproduce(matrix, { ...base, methods: ["random"] });
    const c = r.results[0] as CellSummary;
    expect(c.asked).toBeUndefined();
    expect(c.reachedPrecision).toBeUndefined();
    expect(c.precision).toBeUndefined();
  });
});
