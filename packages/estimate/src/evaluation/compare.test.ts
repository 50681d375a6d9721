import { readFileSync } from "node:fs";
import { CorrectnessMatrix, createOracle, drive, isTbError, RandomStream } from "@tb/core";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../interval.js";
import { designEstimate, designFromPicks, sourceMeans } from "../plus/design.js";
import { sourceRidge } from "../plus/learned.js";
import { DEFAULT_RESIDUAL_ALPHA } from "../plus/method.js";
import { kthPairGap, learnedDifference, normalCdf, PairedRun, pairedDraws } from "./compare.js";
import { createComparison, restoreComparison, type SavedComparison } from "./comparison.js";

function msg(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return "(no error)";
}

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
    // a typo, and the stratified design's options with the random design, would be unread
    expect(msg(() => new PairedRun(ctx, { strat: 2 } as never))).toMatch(/^paired: unknown option "strat"/);
    expect(msg(() => new PairedRun(ctx, { design: "random", gset: 5, strata: 2 }))).toMatch(
      /^paired: gset, strata apply to design "stratified" only; design "random" never reads them/,
    );
    expect(msg(() => new PairedRun(ctx, { strata: 50 }))).toMatch(/strata/);
  });
});

describe("kthPairGap", () => {
  /** Every gap v[t] − v[s], s < t, listed and sorted: the brute force. */
  const brute = (v: Float64Array, k: number): number => {
    const g: number[] = [];
    for (let s = 0; s < v.length; s++)
      for (let t = s + 1; t < v.length; t++) g.push((v[t] as number) - (v[s] as number));
    g.sort((x, y) => x - y);
    return g[k - 1] as number;
  };
  it("equals the k-th smallest of all listed gaps, ties and repeats included, for every k", () => {
    const rng = RandomStream.derive(11, "gaps");
    for (const S of [2, 3, 7, 20]) {
      for (const kind of ["uniform", "ties", "tiny"]) {
        const v = Float64Array.from({ length: S }, () =>
          kind === "ties"
            ? Math.floor(rng.nextFloat() * 4) / 8
            : kind === "tiny"
              ? rng.nextFloat() * 1e-9
              : rng.nextNormal(),
        ).sort();
        const M = (S * (S - 1)) / 2;
        for (let k = 1; k <= M; k++) expect(kthPairGap(v, k)).toBe(brute(v, k));
      }
    }
  });
  it("exact down to the smallest doubles: values near 1e-70, subnormals, and a mix with ordinary ones", () => {
    const rng = RandomStream.derive(12, "gaps");
    const kinds: Array<() => number> = [
      () => rng.nextFloat() * 1e-70,
      () => rng.nextFloat() * 1e-310,
      () => (rng.nextFloat() < 0.5 ? rng.nextFloat() : rng.nextFloat() * 1e-70),
    ];
    for (const draw of kinds) {
      for (const S of [2, 5, 11]) {
        const v = Float64Array.from({ length: S }, draw).sort();
        const M = (S * (S - 1)) / 2;
        for (let k = 1; k <= M; k++) expect(kthPairGap(v, k)).toBe(brute(v, k));
      }
    }
  });
  it("refuses k outside [1, M] and values that are not ascending and finite", () => {
    const v = Float64Array.from([0, 1, 3]);
    for (const k of [0, 4, 1.5, Number.NaN]) expect(() => kthPairGap(v, k)).toThrow(/k must be an integer in \[1, 3\]/);
    expect(() => kthPairGap(Float64Array.from([0]), 1)).toThrow(/k must be/);
    expect(() => kthPairGap(Float64Array.from([1, 0, 2]), 1)).toThrow(/ascending \(index 1\)/);
    expect(() => kthPairGap(Float64Array.from([0, Number.NaN]), 1)).toThrow(/finite/);
  });
});

describe("learnedDifference", () => {
  // reference values from NumPy: __fixtures__/make_learned_difference.py (ridge by the normal
  // equations, LOO by the hat matrix, every source pair listed)
  const ref = JSON.parse(readFileSync(new URL("./__fixtures__/learned_difference.json", import.meta.url), "utf8")) as {
    sources: number[][];
    targets: number[][];
    examples: number[];
    level: number;
    alpha: number;
    accuracies: [number, number];
    halfWidth: number;
    outOfRange: [string | null, string | null];
    allRightFlag: string | null;
    allRightAccuracy: number;
  };
  const sources = CorrectnessMatrix.from(ref.sources);
  const ex = Int32Array.from(ref.examples);
  const ans = (t: number) => ref.examples.map((j) => ref.targets[t]?.[j] as number);
  it("matches NumPy: both estimates, α, the pair half-width and the range flags", () => {
    const r = learnedDifference(sources, ex, ans(0), ans(1), ref.level);
    expect(r.alpha).toBe(ref.alpha);
    expect(r.accuracies[0]).toBeCloseTo(ref.accuracies[0], 10);
    expect(r.accuracies[1]).toBeCloseTo(ref.accuracies[1], 10);
    expect(r.halfWidth).toBeCloseTo(ref.halfWidth, 10);
    expect(r.outOfRange).toEqual(ref.outOfRange);
    const allRight = learnedDifference(
      sources,
      ex,
      ex.map(() => 1),
      ans(1),
      ref.level,
    );
    expect(allRight.outOfRange).toEqual([ref.allRightFlag, ref.outOfRange[1]]);
    expect(allRight.accuracies[0]).toBeCloseTo(ref.allRightAccuracy, 10);
  });
  it("each estimate is clipped to [0, 1]: a model past the sources' line is at 1, not above", () => {
    // 26 sources on 40 examples, the first 5 shared: every subset of at most 3 of them, and a source
    // right on k of the 5 is right on 11k of the other 35 — its mean (12k/40) is linear in k with
    // slope .3 per answer, so a model right on all 5 lies on that line at 1.5
    const rows: number[][] = [];
    for (let mask = 0; mask < 32; mask++) {
      const bits = Array.from({ length: 5 }, (_, i) => (mask >> i) & 1);
      const k = bits.reduce((x, y) => x + y, 0);
      if (k <= 3) rows.push([...bits, ...Array.from({ length: 35 }, (_, j) => (j < 11 * k ? 1 : 0))]);
    }
    const r = learnedDifference(
      CorrectnessMatrix.from(rows),
      Int32Array.from([0, 1, 2, 3, 4]),
      [1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0],
      0.9,
    );
    expect(r.accuracies[0]).toBe(1);
    expect(r.accuracies[1]).toBeGreaterThanOrEqual(0);
    expect(r.accuracies[1]).toBeLessThan(0.05);
  });
  it("needs 3 sources", () => {
    const two = CorrectnessMatrix.from([
      [1, 0, 1],
      [0, 1, 1],
    ]);
    expect(() => learnedDifference(two, Int32Array.from([0, 1]), [1, 0], [0, 1], 0.9)).toThrow(/at least 3 source/);
  });
});

describe("PairedRun: which estimate", () => {
  const all = population(60, 200, 7);
  const sources = all.selectRows(Int32Array.from({ length: 56 }, (_, i) => i));
  const allRight = new Float64Array(200).fill(1);
  const run = (ya: ArrayLike<number>, yb: ArrayLike<number>, seed: number) => {
    const r = new PairedRun({ sources, targets: 2, budget: 30, rng: RandomStream.derive(seed) });
    drive(r, [createOracle(ya, 30), createOracle(yb, 30)]);
    return r;
  };
  it("both inside the sources' range: the learned difference, its interval from the calibration half's pairs", () => {
    let learned = 0;
    for (let seed = 0; seed < 6; seed++) {
      const r = run(all.row(57), all.row(58), seed);
      const d = r.difference();
      const on = (y: ArrayLike<number>) => Array.from(r.examples, (j) => y[j] as number);
      const cal = r.state.calibration as Int32Array;
      const l = learnedDifference(sources, r.examples, on(all.row(57)), on(all.row(58)), 0.9, cal);
      if (d.estimator !== "learned") {
        expect(d.outOfRange).not.toEqual([null, null]);
        continue;
      }
      learned++;
      expect(d.outOfRange).toEqual([null, null]);
      expect(d.accuracies).toEqual(l.accuracies);
      expect(d.difference).toBe(l.accuracies[0] - l.accuracies[1]);
      // the half-width is the calibration half's: ⌈(M+1)·0.9⌉-th smallest pair gap of their
      // leave-one-out errors, listed here by brute force (28 sources: 378 pairs)
      expect(cal.length).toBe(28);
      // the label learnedDifference uses: each source's mean over all examples, summed in order
      const acc = Float64Array.from({ length: 56 }, (_, s) => sources.row(s).reduce((t, v) => t + v, 0) / 200);
      const loo = sourceRidge(sources, acc, r.examples, [0.1, 1, 10]);
      const gaps: number[] = [];
      for (let i = 0; i < cal.length; i++)
        for (let j = i + 1; j < cal.length; j++)
          gaps.push(Math.abs((loo.errors[cal[i] as number] as number) - (loo.errors[cal[j] as number] as number)));
      gaps.sort((x, y) => x - y);
      const hw = gaps[Math.ceil((gaps.length + 1) * 0.9) - 1] as number;
      // the interval is the difference ± that half-width (inside [−1, 1] here)
      expect(d.interval[1] - d.difference).toBeCloseTo(hw, 14);
      expect(d.difference - d.interval[0]).toBeCloseTo(hw, 14);
      // every source's pairs (the rule before) would give another half-width
      expect(learnedDifference(sources, r.examples, on(all.row(57)), on(all.row(58)), 0.9).halfWidth).not.toBe(hw);
      // swapping A and B mirrors everything
      const m = run(all.row(58), all.row(57), seed).difference();
      expect(m.difference).toBeCloseTo(-d.difference, 14);
      expect(m.probabilityABetter).toBeCloseTo(1 - d.probabilityABetter, 7);
    }
    expect(learned).toBeGreaterThan(0);
  });
  it("the calibration half takes no part in the design: changing its answers leaves the examples as they were", () => {
    const r0 = new PairedRun({ sources, targets: 2, budget: 30, rng: RandomStream.derive(3) });
    const cal = r0.state.calibration as Int32Array;
    const design = Int32Array.from({ length: 56 }, (_, s) => s).filter((s) => !cal.includes(s));
    expect(design.length).toBe(28);
    // the given sources' answers replaced by those of other models (a fresh population)
    const other = population(56, 200, 99);
    const replaced = (rows: Int32Array) =>
      CorrectnessMatrix.from(
        Array.from({ length: 56 }, (_, s) => Array.from(rows.includes(s) ? other.row(s) : sources.row(s))),
      );
    const sameSeed = (m: CorrectnessMatrix) =>
      new PairedRun({ sources: m, targets: 2, budget: 30, rng: RandomStream.derive(3) }).state.gset;
    // the calibration half's answers replaced: the same G-set
    expect(Array.from(sameSeed(replaced(cal)))).toEqual(Array.from(r0.state.gset));
    // the design half's replaced: the G-set is theirs, so it may move (it does here)
    expect(Array.from(sameSeed(replaced(design.subarray(0, 14))))).not.toEqual(Array.from(r0.state.gset));
  });
  it("a comparison saved before 2026-12-07 (no options.calibration) keeps its rule: every source's pairs, the design's interval as a floor", () => {
    let learned = 0;
    let old: SavedComparison | undefined;
    for (let seed = 0; seed < 8; seed++) {
      const c = createComparison(sources, { budget: 30, seed });
      for (const step of c.next())
        c.answer(
          step.target,
          Array.from(step.examples, (j) => all.row(57 + step.target)[j] as number),
        );
      const saved = c.toJSON();
      expect(saved.options.calibration).toBe("split");
      const restored = restoreComparison(sources, JSON.parse(JSON.stringify(saved)) as SavedComparison);
      expect(restored.difference()).toEqual(c.difference());
      old = JSON.parse(JSON.stringify(saved)) as SavedComparison;
      delete old.options.calibration;
      delete old.options.allocation; // a save from before 2026-12-07 has neither
      const r = restoreComparison(sources, old);
      expect(r.run.state.calibration).toBeNull();
      const d = r.difference();
      if (d.estimator !== "learned") continue;
      learned++;
      const on = (y: ArrayLike<number>) => Array.from(r.run.examples, (j) => y[j] as number);
      const l = learnedDifference(sources, r.run.examples, on(all.row(57)), on(all.row(58)), 0.9);
      const st = designFromPicks(sourceMeans(sources), r.run.state.gset, r.run.state.picks, r.run.state.strata);
      const dd = Float64Array.from(r.run.examples, (j) => (all.row(57)[j] as number) - (all.row(58)[j] as number));
      const design = designEstimate(sources, st, r.run.state.gset, r.run.examples, dd, DEFAULT_RESIDUAL_ALPHA).se;
      expect(d.se).toBeCloseTo(Math.max(design, l.halfWidth / normalQuantile(0.95)), 14);
    }
    expect(learned).toBeGreaterThan(0);
    old = old as SavedComparison;
    expect(
      msg(() => restoreComparison(sources, { ...old, options: { ...old.options, calibration: "x" as "split" } })),
    ).toMatch(/restoreComparison: options.calibration must be "split"/);
  });
  it("the draws are allocated around the pooled G-set; a save without options.allocation keeps proportional draws", () => {
    const c = createComparison(sources, { budget: 30, seed: 3 });
    const saved = c.toJSON();
    expect(saved.options.allocation).toBe("pooled");
    const st = c.run.state;
    expect(st.allocation).toBe("pooled");
    // the draws, counted with the G-set examples pooled into each stratum, are as near the strata's
    // shares of all 30 answers as the draws allow (the stratified design's "pooled" rule, by hand)
    const design = designFromPicks(sourceMeans(sources), st.gset, st.picks, st.strata);
    const m = new Array<number>(design.strata).fill(0);
    for (const h of design.gsetStratum) m[h] = (m[h] as number) + 1;
    for (const x of st.picks) m[design.stratumOf[x] as number] = (m[design.stratumOf[x] as number] as number) + 1;
    const R = sources.cols - st.gset.length;
    m.forEach((count, h) => {
      const share = (30 * (design.sizes[h] as number)) / R;
      const fixed = design.gsetStratum.filter((x) => x === h).length;
      // a stratum is within one answer of its share, unless its fixed examples alone exceed it
      if (fixed <= share) expect(Math.abs(count - share)).toBeLessThan(1 + 1e-9);
      else expect(count).toBe(fixed);
    });
    // a comparison saved with split calibration but before the pooled allocation: its draws were
    // proportional, and restoring it draws them again that way
    const rng = RandomStream.derive(3);
    const prop = pairedDraws(sources, "stratified", st.gset, st.picks.length, rng, st.strata, "proportional").picks;
    expect(Array.from(prop)).not.toEqual(Array.from(st.picks));
    const earlier = JSON.parse(JSON.stringify(saved)) as SavedComparison;
    delete earlier.options.allocation;
    earlier.picks = Array.from(prop, (j) => sources.exampleIds[j] as string);
    const r = restoreComparison(sources, earlier);
    expect(r.run.state.allocation).toBe("proportional");
    expect(Array.from(r.run.state.picks)).toEqual(Array.from(prop));
    // the pooled draws without the field, or the field on the proportional draws, are refused
    const noField = JSON.parse(JSON.stringify(saved)) as SavedComparison;
    delete noField.options.allocation;
    expect(msg(() => restoreComparison(sources, noField))).toMatch(/does not give the saved gset and picks/);
    expect(
      msg(() => restoreComparison(sources, { ...earlier, options: { ...earlier.options, allocation: "pooled" } })),
    ).toMatch(/does not give the saved gset and picks/);
    expect(
      msg(() =>
        restoreComparison(sources, { ...saved, options: { ...saved.options, allocation: "even" as "pooled" } }),
      ),
    ).toMatch(/restoreComparison: options.allocation must be "pooled"/);
  });
  it("learnedDifference refuses a calibration list that is not distinct ascending source rows", () => {
    const ex = Int32Array.from({ length: 20 }, (_, i) => i);
    const y = new Float64Array(20).fill(0.5);
    expect(() => learnedDifference(sources, ex, y, y, 0.9, Int32Array.from([3, 2]))).toThrow(/calibration must list/);
    expect(() => learnedDifference(sources, ex, y, y, 0.9, Int32Array.from([0, 56]))).toThrow(/calibration must list/);
  });
  it("a model above every source: the design estimate, the G-set pooled into the residual means", () => {
    const r = run(allRight, all.row(57), 2);
    const d = r.difference();
    expect(d.estimator).toBe("design");
    expect(d.outOfRange?.[0]).toBe("above");
    // the design estimate with the G-set pooled (designEstimate's default poolCount)
    const st = designFromPicks(sourceMeans(sources), r.state.gset, r.state.picks, r.state.strata);
    const diff = Float64Array.from(r.examples, (j) => 1 - (all.row(57)[j] as number));
    const pooled = designEstimate(sources, st, r.state.gset, r.examples, diff, DEFAULT_RESIDUAL_ALPHA);
    const exactOnly = designEstimate(sources, st, r.state.gset, r.examples, diff, DEFAULT_RESIDUAL_ALPHA, -1, 0);
    expect(d.difference).toBe(pooled.accuracy);
    expect(pooled.accuracy).not.toBe(exactOnly.accuracy);
  });
  it("too few sources for the level: the design estimate, both models inside the range", () => {
    // 4 sources give 6 pairs; at level 0.9 the rule needs ⌈7·0.9⌉ = 7
    const few = population(6, 60, 9);
    const src4 = few.selectRows(Int32Array.from([0, 1, 2, 3]));
    let checked = 0;
    for (let seed = 0; seed < 8; seed++) {
      const r = new PairedRun({ sources: src4, targets: 2, budget: 20, rng: RandomStream.derive(seed) }, { gset: 4 });
      drive(r, [createOracle(few.row(4), 20), createOracle(few.row(5), 20)]);
      const d = r.difference();
      expect(d.estimator).toBe("design");
      if (d.outOfRange?.[0] === null && d.outOfRange?.[1] === null) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
  it("the random design never takes the learned estimate", () => {
    const r = new PairedRun({ sources, targets: 2, budget: 30, rng: RandomStream.derive(1) }, { design: "random" });
    drive(r, [createOracle(all.row(57), 30), createOracle(all.row(58), 30)]);
    expect(r.difference().estimator).toBe("design");
    expect(r.difference().outOfRange).toBeNull();
  });
});
