/**
 * Precision on demand (docs/DESIGN.md §3.5): after the base design, rounds of stratified random
 * draws, the total doubling each round, until the half-width reaches `precision` or `maxBudget`
 * is spent; every look at the Bonferroni level; saved and restored mid-precision it goes on the same.
 */
import { CorrectnessMatrix, createOracle, isTbError, lookLevel, RandomStream } from "@tb/core";
import { describe, expect, test } from "vitest";
import { evaluate } from "../evaluate.js";
import { tailoredPlus } from "./methods.js";
import { createEvaluation, type Evaluation, restoreEvaluation } from "./session.js";

/** A seeded 0/1 population: abilities from −2 to +2, difficulties uniform in [−2, 2]. */
function population(models: number, examples: number, seed: number): number[][] {
  const rng = RandomStream.derive("precision-test", seed);
  const diff = Array.from({ length: examples }, () => rng.nextFloat() * 4 - 2);
  return Array.from({ length: models }, (_, m) => {
    const ability = -2 + (4 * m) / (models - 1);
    return diff.map((d) => (rng.nextFloat() < 1 / (1 + Math.exp(-(ability - d) * 1.7)) ? 1 : 0));
  });
}

const ROWS = population(40, 300, 3);
const HELD = [4, 13, 22, 31, 39];
const SOURCES = CorrectnessMatrix.from(ROWS.filter((_, m) => !HELD.includes(m)));
const row = (m: number) => ROWS[m] as number[];

/** Drive to the end; with `save`, through JSON after every round. Returns it and the request sizes by round. */
function drive(ev: Evaluation, rows: readonly number[][], save = false) {
  let cur = ev;
  const sizes: { reason: string; size: number; why: string }[][] = [];
  while (!cur.done) {
    const steps = cur.next();
    sizes.push(steps.map((s) => ({ reason: s.reason, size: s.examples.length, why: s.why })));
    for (const s of steps)
      cur.answer(
        s.target,
        Array.from(s.examples, (j) => rows[s.target]?.[j] as number),
      );
    if (save) cur = restoreEvaluation(SOURCES, JSON.parse(JSON.stringify(cur.toJSON())));
    expect(sizes.length).toBeLessThan(12);
  }
  return { ev: cur, sizes };
}

describe("precision on demand", () => {
  test("rounds double the total up to maxBudget; asked counts, reasons and the stopping rule", () => {
    const targets = HELD.map((h) => `m${h}`);
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 1, targets, precision: 0.04, maxBudget: 200 });
    const { ev: done, sizes } = drive(
      ev,
      HELD.map((h) => row(h)),
    );
    // schedule from 30: totals 60, 120, 200 → rounds of 30, 60, 80 more
    const allowed = new Set([30, 60, 120, 200]);
    let precisionRounds = 0;
    for (let t = 0; t < targets.length; t++) {
      const e = done.estimate(t);
      expect(allowed.has(e.asked.length)).toBe(true);
      expect(new Set(e.asked).size).toBe(e.asked.length);
      const [lo, hi] = e.interval as [number, number];
      expect(lo).toBeLessThanOrEqual(e.accuracy);
      expect(hi).toBeGreaterThanOrEqual(e.accuracy);
      // stopped early only because the half-width reached the precision
      if (e.asked.length < 200) expect(e.reachedPrecision).toBe(true);
      expect(e.reachedPrecision).toBe((hi - lo) / 2 <= 0.04 + 1e-12);
      if (e.asked.length > 30) precisionRounds++;
      // base rounds (G-set, maybe a look, the rest) + one per doubling
      const extra = [60, 120, 200].filter((x) => x <= e.asked.length).length;
      expect(e.rounds).toBe((e.secondLook ? 3 : 2) + extra);
    }
    expect(precisionRounds).toBeGreaterThan(0);
    for (const round of sizes) {
      for (const s of round) {
        if (s.reason !== "precision") continue;
        expect([30, 60, 80]).toContain(s.size);
        expect(s.why).toMatch(new RegExp(`^${s.size} more difficulty-stratified random examples`));
        expect(s.why).toMatch(/above the precision 0\.04/);
      }
    }
  });

  test("precisionRoundOf numbers the open round of draws by the schedule, 0 outside it", () => {
    // from 30 with maxBudget 200 the totals are 60, 120, 200: rounds of 30, 60, 80 more are rounds 1, 2, 3
    const ROUND: Record<number, number> = { 30: 1, 60: 2, 80: 3 };
    const targets = HELD.map((h) => `m${h}`);
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 1, targets, precision: 0.04, maxBudget: 200 });
    const seen = new Set<number>();
    for (let guard = 0; !ev.done && guard < 12; guard++) {
      for (const s of ev.next()) {
        const r = ev.run.precisionRoundOf(s.target);
        expect(r).toBe(s.reason === "precision" ? ROUND[s.examples.length] : 0);
        seen.add(r);
        ev.answer(
          s.target,
          Array.from(s.examples, (j) => row(HELD[s.target] as number)[j] as number),
        );
      }
    }
    expect(ev.done).toBe(true);
    expect(seen.has(0) && seen.has(1)).toBe(true);
    for (let t = 0; t < targets.length; t++) expect(ev.run.precisionRoundOf(t)).toBe(0);
  });

  test("precision is never reached by a tight target of 0.5 at 300 examples: it asks maxBudget, no more", () => {
    // the oracle refuses any question past maxBudget (E_BUDGET), so driving through it checks the cap
    const m = tailoredPlus({ level: 0.9, precision: 0.005, maxBudget: 150 });
    const oracles = HELD.map((h) => createOracle(row(h), 150));
    const r = m.run({ sources: SOURCES, oracles, budget: 30, rng: RandomStream.derive(9) });
    for (const o of oracles) expect(o.queried).toBe(150);
    expect(r.diagnostics?.reachedPrecision).toEqual([0, 0, 0, 0, 0]);
    expect(r.diagnostics?.asked).toEqual([150, 150, 150, 150, 150]);
  });

  test("the base design never stops it: at least one round of random draws, then a design-based look", () => {
    // from 30 to 200 the totals are 60, 120, 200; a precision of 0.5 is met by any interval, yet
    // the base design's (model-based) interval may not stop: one round to 60, then done
    const a = drive(createEvaluation(SOURCES, { budget: 30, seed: 5, precision: 0.5, maxBudget: 200 }), [row(22)]).ev;
    const e = a.estimate();
    expect(e.asked.length).toBe(60);
    expect(e.reachedPrecision).toBe(true);
    expect(e.level).toBe(0.9);
    // with maxBudget = budget there is no round to ask: it stops at the base design, at the level
    const b = drive(createEvaluation(SOURCES, { budget: 30, seed: 5, precision: 0.5, maxBudget: 30 }), [row(22)]).ev;
    const c = drive(createEvaluation(SOURCES, { budget: 30, seed: 5 }), [row(22)]).ev;
    expect(b.estimate().asked.length).toBe(30);
    expect(b.estimate().accuracy).toBe(c.estimate().accuracy);
  });

  test("a target the sources predict is not held to random sampling's SE: the design's own SE stops it early", () => {
    // The target answers exactly as source m20 (accuracy .52 on these 300 examples). The
    // regression-corrected draws then have residuals near zero. Plain random sampling cannot stop
    // before the whole bank: at 240 asked (210 draws of the 270 outside the base design) its SE
    // at p = .52 is 0.9·√(.2496/210 · (1 − 210/270)) ≈ .0146, times z = 2.33 (5 looks, 98 %)
    // ≈ ±.034, above .03. (Over seeds 0–11 this target stops at 120 or 240, never at 300.)
    const y = row(20);
    const ev = drive(createEvaluation(SOURCES, { budget: 30, seed: 1, precision: 0.03, maxBudget: 300 }), [y]).ev;
    const e = ev.estimate();
    expect(e.asked.length).toBeLessThanOrEqual(240);
    expect(e.reachedPrecision).toBe(true);
    const truth = y.reduce((a, b) => a + b, 0) / y.length;
    const [lo, hi] = e.interval as [number, number];
    expect(lo).toBeLessThanOrEqual(truth);
    expect(hi).toBeGreaterThanOrEqual(truth);
  });

  test("each look is at the Bonferroni level 1 − 0.1/K of the schedule's K looks", () => {
    const K = 4; // 30 → 60 → 120 → 200
    expect(lookLevel(0.9, K)).toBeCloseTo(0.975, 12);
  });

  test("saved after every round (mid-precision included) and restored, it ends the same", () => {
    const targets = HELD.map((h) => `m${h}`);
    const o = { budget: 30, seed: 2, targets, precision: 0.04, maxBudget: 200 } as const;
    const a = drive(createEvaluation(SOURCES, o), HELD.map(row));
    const b = drive(createEvaluation(SOURCES, o), HELD.map(row), true);
    expect(a.sizes.some((r) => r.some((s) => s.reason === "precision"))).toBe(true);
    expect(targets.map((_, t) => b.ev.estimate(t))).toEqual(targets.map((_, t) => a.ev.estimate(t)));
    expect(b.sizes).toEqual(a.sizes);
  });

  test("a save without `coordinated` (written before coordinated draws were the default) resumes with independent draws", () => {
    const targets = HELD.map((h) => `m${h}`);
    const rows = HELD.map(row);
    const o = { budget: 30, seed: 2, targets, precision: 0.04, maxBudget: 200, coordinated: false } as const;
    const a = drive(createEvaluation(SOURCES, o), rows).ev;
    // the same run, saved in the old form (no `coordinated` key) after every round and restored
    let cur = createEvaluation(SOURCES, o);
    let rounds = 0;
    while (!cur.done) {
      for (const s of cur.next())
        cur.answer(
          s.target,
          Array.from(s.examples, (j) => rows[s.target]?.[j] as number),
        );
      const saved = JSON.parse(JSON.stringify(cur.toJSON()));
      expect(saved.options.coordinated).toBe(false);
      delete saved.options.coordinated;
      cur = restoreEvaluation(SOURCES, saved);
      expect(++rounds).toBeLessThan(12);
    }
    expect(targets.map((_, t) => cur.estimate(t))).toEqual(targets.map((_, t) => a.estimate(t)));
    const c = drive(createEvaluation(SOURCES, { ...o, coordinated: true }), rows).ev;
    expect(c.estimate(0).asked).not.toEqual(a.estimate(0).asked);
    expect(() =>
      restoreEvaluation(SOURCES, { ...c.toJSON(), options: { ...c.toJSON().options, coordinated: "no" } }),
    ).toThrow(/coordinated must be true or false, got no/);
  });

  test("a precision evaluation restores at its own level only: another would change a finished one", () => {
    const ev = drive(createEvaluation(SOURCES, { budget: 30, precision: 0.05, maxBudget: 120, level: 0.8 }), [
      row(31),
    ]).ev;
    const saved = JSON.parse(JSON.stringify(ev.toJSON()));
    for (const level of [0.5, 0.9, 0.99]) {
      expect(() => restoreEvaluation(SOURCES, saved, { level })).toThrow(
        new RegExp(
          `^restoreEvaluation: level ${level} differs from the level 0\\.8 at which its precision rounds were decided`,
        ),
      );
    }
    expect(restoreEvaluation(SOURCES, saved, { level: 0.8 }).estimate(0)).toEqual(ev.estimate(0));
    expect(restoreEvaluation(SOURCES, saved).estimate(0)).toEqual(ev.estimate(0));
  });

  test("evaluate() takes precision and maxBudget and asks no more than maxBudget", async () => {
    const seen = new Set<string>();
    const r = await evaluate(
      SOURCES,
      (ids) => {
        for (const id of ids) seen.add(id);
        return ids.map((id) => row(31)[Number(id)] as number);
      },
      { budget: 30, precision: 0.05, maxBudget: 120 },
    );
    expect(seen.size).toBe(r.asked.length);
    expect(r.asked.length).toBeLessThanOrEqual(120);
    expect(typeof r.reachedPrecision).toBe("boolean");
  });

  test("options errors name the option", () => {
    const bad = (o: object, re: RegExp) => {
      try {
        createEvaluation(SOURCES, o as never);
        throw new Error("no error");
      } catch (e) {
        expect(isTbError(e) && e.code === "E_USAGE").toBe(true);
        expect((e as Error).message).toMatch(re);
      }
    };
    bad({ precision: 0.03 }, /^createEvaluation: precision needs maxBudget/);
    bad({ maxBudget: 100 }, /^createEvaluation: maxBudget is given without precision/);
    bad({ precision: -1, maxBudget: 100 }, /^createEvaluation: precision must be a half-width in \(0, 0\.5\]/);
    bad({ precision: 0.03, maxBudget: 301 }, /^createEvaluation: maxBudget must be an integer in \[budget 30, 300/);
    bad({ budget: 40, precision: 0.03, maxBudget: 35 }, /maxBudget must be an integer in \[budget 40/);
    bad(
      { method: "tailored", precision: 0.03, maxBudget: 100 },
      /precision and maxBudget apply to method "tailored-plus" only/,
    );
    expect(() => tailoredPlus({ precision: 0.03 })).toThrow(/^tailoredPlus: precision needs maxBudget/);
    bad({ coordinated: "yes" }, /^createEvaluation: coordinated must be true or false, got yes/);
    bad({ method: "tailored", coordinated: true }, /coordinated applies to method "tailored-plus" only/);
  });

  test("coordinated draws: targets evaluated together share their precision draws (independent ones overlap by chance only)", () => {
    const targets = HELD.map((h) => `m${h}`);
    const rows = HELD.map(row);
    const o = { budget: 30, seed: 4, targets, precision: 0.01, maxBudget: 150 } as const;
    // precision 0.01 is out of reach: every target is asked all 150, i.e. 120 draws after its base design
    const drawsOf = (coordinated: boolean) => {
      const ev = drive(createEvaluation(SOURCES, { ...o, coordinated }), rows).ev;
      return targets.map((_, t) => {
        const e = ev.estimate(t);
        expect(e.asked.length).toBe(150);
        return new Set(e.asked.slice(30));
      });
    };
    const overlap = (d: Set<string>[]) => {
      let shared = 0;
      let pairs = 0;
      for (let a = 0; a < d.length; a++)
        for (let b = a + 1; b < d.length; b++, pairs++) for (const x of d[a] as Set<string>) if (d[b]?.has(x)) shared++;
      return shared / pairs / 120;
    };
    const together = overlap(drawsOf(true));
    const apart = overlap(drawsOf(false));
    // independent draws of 120 from ~270 examples share about 120/270 ≈ .44 of them; coordinated ones
    // share all the examples both pools hold, less what the base designs took
    expect(apart).toBeGreaterThan(0.3);
    expect(apart).toBeLessThan(0.6);
    expect(together).toBeGreaterThan(apart + 0.25);
  });
});
