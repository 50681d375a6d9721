import { CorrectnessMatrix, createOracle, drive, isTbError, RandomStream } from "@tb/core";
import { describe, expect, it } from "vitest";
import { normalCdf, PairedRun } from "./compare.js";

function population(models: number, examples: number, seed: number): CorrectnessMatrix {
  const rng = RandomStream.derive(seed, "population");
  const ability = Array.from({ length: models }, () => rng.nextNormal());
  const difficulty = Array.from({ length: examples }, () => rng.nextNormal());
  const rows = ability.map((a) => difficulty.map((d) => (rng.nextFloat() < 1 / (1 + Math.exp(-(a - d))) ? 1 : 0)));
  return CorrectnessMatrix.from(rows);
}

describe("PairedRun", () => {
  const all = population(23, 120, 1);
  const sources = all.selectRows(Int32Array.from({ length: 20 }, (_, i) => i));
  it("asks both models the same examples, never past the budget (oracles)", () => {
    const a = createOracle(all.row(20), 30);
    const b = createOracle(all.row(21), 30);
    const run = new PairedRun({ sources, targets: 2, budget: 30, rng: RandomStream.derive(3) });
    expect(run.requests().map((r) => Array.from(r.examples))).toEqual([
      Array.from(run.examples),
      Array.from(run.examples),
    ]);
    drive(run, [a, b]);
    expect([a.queried, b.queried]).toEqual([30, 30]);
    const r = run.difference();
    expect(r.difference).toBeCloseTo(r.accuracies[0] - r.accuracies[1], 12);
    expect(r.interval[0]).toBeLessThanOrEqual(r.difference);
    expect(r.interval[1]).toBeGreaterThanOrEqual(r.difference);
  });
  it("the random design's difference is the plain mean of y_A − y_B", () => {
    const run = new PairedRun({ sources, targets: 2, budget: 12, rng: RandomStream.derive(4) }, { design: "random" });
    drive(run, [createOracle(all.row(20), 12), createOracle(all.row(22), 12)]);
    let s = 0;
    for (const j of run.examples) s += (all.row(20)[j] as number) - (all.row(22)[j] as number);
    expect(run.difference().difference).toBeCloseTo(s / 12, 14);
  });
  /** The Agresti–Min SE of the draws' differences, by hand (½ added to each discordant count, 2 to m), scaled by R/n. */
  const floorByHand = (run: PairedRun, a: ArrayLike<number>, b: ArrayLike<number>): number => {
    const n = sources.cols;
    const g = run.state.gset.length;
    const R = n - g;
    const draws = Array.from(run.examples.subarray(g));
    const m = draws.length;
    const up = draws.filter((j) => (a[j] as number) > (b[j] as number)).length;
    const down = draws.filter((j) => (a[j] as number) < (b[j] as number)).length;
    const p12 = (up + 0.5) / (m + 2);
    const p21 = (down + 0.5) / (m + 2);
    return (R / n) * Math.sqrt(((p12 + p21 - (p12 - p21) ** 2) / (m + 2)) * (1 - m / R));
  };
  it("stratified: two models that agree on every draw get the Agresti–Min SE (by hand), not 0", () => {
    const y = all.row(20);
    const run = new PairedRun({ sources, targets: 2, budget: 30, rng: RandomStream.derive(5) });
    drive(run, [createOracle(y, 30), createOracle(y, 30)]);
    const r = run.difference();
    expect(r.difference).toBeCloseTo(0, 12);
    // m = 20 draws from R = 110 examples, no discordant pair: (R/n)·√(1 − m/R)/(m + 2)
    expect(floorByHand(run, y, y)).toBeCloseTo((110 / 120) * (Math.sqrt(1 - 20 / 110) / 22), 14);
    expect(r.se).toBeCloseTo(floorByHand(run, y, y), 14);
  });
  it("stratified: otherwise the design's own SE, which the floor no longer raises; random: floored", () => {
    let below = 0;
    for (let seed = 0; seed < 12; seed++) {
      const [ya, yb] = [all.row(20 + (seed % 3)), all.row(20 + ((seed + 1) % 3))];
      const st = new PairedRun({ sources, targets: 2, budget: 30, rng: RandomStream.derive(seed) });
      drive(st, [createOracle(ya, 30), createOracle(yb, 30)]);
      const r = st.difference();
      expect(r.se).toBeGreaterThan(0);
      if (r.se < floorByHand(st, ya, yb) - 1e-12) below++;
      const rnd = new PairedRun(
        { sources, targets: 2, budget: 30, rng: RandomStream.derive(seed) },
        { design: "random" },
      );
      drive(rnd, [createOracle(ya, 30), createOracle(yb, 30)]);
      expect(rnd.difference().se).toBeGreaterThanOrEqual(floorByHand(rnd, ya, yb) - 1e-15);
    }
    expect(below).toBeGreaterThan(0);
  });
  it("Φ at known points (tables: Φ(1.6449) = .95, Φ(−1.96) = .025)", () => {
    expect(normalCdf(1.6448536269514722)).toBeCloseTo(0.95, 6);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 6);
    expect(normalCdf(0)).toBe(0.5);
  });
  it("errors name the option", () => {
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isTbError(e) ? e.message : String(e);
      }
      return "no error";
    };
    const ctx = { sources, targets: 2, budget: 30, rng: RandomStream.derive(0) };
    expect(msg(() => new PairedRun({ ...ctx, budget: 11 }))).toMatch(/budget/);
    expect(msg(() => new PairedRun(ctx, { level: 1 }))).toMatch(/level/);
    expect(msg(() => new PairedRun({ ...ctx, targets: 3 }))).toMatch(/2 targets/);
    expect(msg(() => new PairedRun(ctx, { strata: 50 }))).toMatch(/strata/);
  });
});
