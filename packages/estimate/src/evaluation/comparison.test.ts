/**
 * The user-facing paired comparison: budgets hold (oracles that throw past them), the one call is
 * the hand-driven object, saved and restored at every step it ends the same, the random design's
 * difference is the plain mean of y_A − y_B, and every error names its option or field.
 */
import { CorrectnessMatrix, createOracle, isTbError, RandomStream } from "@tb/core";
import { describe, expect, test } from "vitest";
import { compare, createComparison, restoreComparison, type SavedComparison } from "./comparison.js";

function population(models: number, examples: number, seed: number): CorrectnessMatrix {
  const rng = RandomStream.derive("comparison-test", seed);
  const ability = Array.from({ length: models }, () => rng.nextNormal());
  const difficulty = Array.from({ length: examples }, () => rng.nextNormal());
  const rows = ability.map((a) => difficulty.map((d) => (rng.nextFloat() < 1 / (1 + Math.exp(-(a - d))) ? 1 : 0)));
  return CorrectnessMatrix.from(rows, { exampleIds: difficulty.map((_, j) => `q${j}`) });
}

const ALL = population(32, 150, 1);
const SOURCES = ALL.selectRows(Int32Array.from({ length: 30 }, (_, i) => i));
const A = ALL.row(30);
const B = ALL.row(31);
const col = new Map(SOURCES.exampleIds.map((id, j) => [id, j]));
/** An ask backed by a budgeted oracle: it throws past the budget. */
const asker = (row: Float64Array, budget: number) => {
  const o = createOracle(row, budget);
  return { o, ask: (ids: string[]) => ids.map((id) => o.query(col.get(id) as number)) };
};

function msg(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isTbError(e) ? e.message : `not a TbError: ${String(e)}`;
  }
  return "no error";
}

describe("compare / createComparison", () => {
  test("the result says which estimate gave the difference, and why", async () => {
    const right = new Float64Array(A.length).fill(1);
    const names: [string, string] = ["mine", "theirs"];
    const top = await compare(SOURCES, asker(right, 30).ask, asker(B, 30).ask, { budget: 30, seed: 2, names });
    expect(top.estimator).toBe("design");
    expect(top.outOfRange?.[0]).toBe("above");
    expect(top.estimatorNote).toMatch(/^design-based \(mine above the sources' range on these examples/);
    const rnd = await compare(SOURCES, asker(A, 30).ask, asker(B, 30).ask, { budget: 30, seed: 2, design: "random" });
    expect([rnd.estimator, rnd.outOfRange]).toEqual(["design", null]);
    expect(rnd.estimatorNote).toMatch(/plain mean/);
    let learned = 0;
    for (let seed = 0; seed < 5; seed++) {
      const r = await compare(SOURCES, asker(A, 30).ask, asker(B, 30).ask, { budget: 30, seed, names });
      if (r.estimator === "learned") {
        learned++;
        expect(r.outOfRange).toEqual([null, null]);
        expect(r.estimatorNote).toMatch(/^learned from the sources/);
      } else expect(r.outOfRange).not.toEqual([null, null]);
    }
    expect(learned).toBeGreaterThan(0);
  });

  test("both models are asked the same examples, never past the budget; the one call is the object driven by hand", async () => {
    for (const design of ["stratified", "random"] as const) {
      const a = asker(A, 30);
      const b = asker(B, 30);
      const r = await compare(SOURCES, a.ask, b.ask, { budget: 30, seed: 5, design });
      expect([a.o.queried, b.o.queried]).toEqual([30, 30]);
      expect(new Set(r.asked).size).toBe(30);
      const c = createComparison(SOURCES, { budget: 30, seed: 5, design });
      const steps = c.next();
      expect(steps.map((s) => s.ids)).toEqual([r.asked, r.asked]);
      expect(steps[0]?.why).toMatch(/same/);
      c.answer(
        0,
        (steps[0]?.ids ?? []).map((id) => A[col.get(id) as number] as number),
      );
      // keyed by id, in another order
      const rec: Record<string, number> = {};
      for (const id of [...r.asked].reverse()) rec[id] = B[col.get(id) as number] as number;
      c.answer("B", rec);
      expect(c.done).toBe(true);
      expect(c.next()).toEqual([]);
      expect(c.difference()).toEqual(r);
      expect(r.difference).toBeCloseTo(r.a.accuracy - r.b.accuracy, 12);
      expect(r.interval[0]).toBeLessThan(r.difference);
      expect(r.interval[1]).toBeGreaterThan(r.difference);
      expect(r.probabilityABetter).toBeGreaterThan(0);
      expect(r.probabilityABetter).toBeLessThan(1);
      // P(A better) is on the side of the difference's sign (½ exactly at a difference of 0)
      expect(Math.sign(r.probabilityABetter - 0.5)).toBe(Math.sign(r.difference));
    }
  });

  test("the random design: the difference is the mean of y_A − y_B over the examples asked (by hand)", async () => {
    const r = await compare(SOURCES, asker(A, 20).ask, asker(B, 20).ask, { budget: 20, design: "random", seed: 1 });
    let s = 0;
    let dis = 0;
    for (const id of r.asked) {
      const j = col.get(id) as number;
      s += (A[j] as number) - (B[j] as number);
      if (A[j] !== B[j]) dis++;
    }
    expect(r.difference).toBeCloseTo(s / 20, 14);
    expect(r.disagreements).toBe(dis);
  });

  test("a larger level gives a wider interval around the same difference", async () => {
    const lo = await compare(SOURCES, asker(A, 30).ask, asker(B, 30).ask, { level: 0.8 });
    const hi = await compare(SOURCES, asker(A, 30).ask, asker(B, 30).ask, { level: 0.95 });
    expect(hi.difference).toBe(lo.difference);
    expect(hi.interval[1] - hi.interval[0]).toBeGreaterThan(lo.interval[1] - lo.interval[0]);
  });

  test("saved before, between and after the answers and restored (through JSON), it ends the same", async () => {
    const direct = await compare(SOURCES, asker(A, 30).ask, asker(B, 30).ask, { seed: 3, names: ["mine", "theirs"] });
    const trip = (c: ReturnType<typeof createComparison>) =>
      restoreComparison(SOURCES, JSON.parse(JSON.stringify(c.toJSON())) as SavedComparison);
    let c = trip(createComparison(SOURCES, { seed: 3, names: ["mine", "theirs"] }));
    expect(c.names).toEqual(["mine", "theirs"]);
    expect(c.next().map((s) => s.name)).toEqual(["mine", "theirs"]);
    c.answer(
      "mine",
      c.examples.map((id) => A[col.get(id) as number] as number),
    );
    c = trip(c);
    expect(c.next().map((s) => s.name)).toEqual(["theirs"]);
    const byCol = new Map(Array.from(B, (v, j) => [j, v]));
    expect(c.answerFrom("theirs", byCol)).toEqual({ missing: [], asked: 30 });
    c = trip(c);
    expect(c.done).toBe(true);
    expect(c.difference()).toEqual(direct);
  });

  test("restoreComparison checks the sources' hash and every field, naming it", () => {
    const c = createComparison(SOURCES, { seed: 3 });
    c.answer(
      0,
      Array.from(c.run.examples, (j) => A[j] as number),
    );
    const saved = c.toJSON();
    const other = ALL.selectRows(Int32Array.from({ length: 29 }, (_, i) => i));
    expect(msg(() => restoreComparison(other, saved))).toMatch(/another source matrix/);
    const edit = (f: (s: SavedComparison) => void) => {
      const s = JSON.parse(JSON.stringify(saved)) as SavedComparison;
      f(s);
      return msg(() => restoreComparison(SOURCES, s));
    };
    expect(edit((s) => (s.picks[3] = "nope"))).toMatch(/restoreComparison: picks\[3\] "nope" is not an example id/);
    expect(edit((s) => (s.picks[3] = s.gset[0] as string))).toMatch(/picks\[3\] .* twice/);
    expect(edit((s) => ((s.answers[0] as number[])[2] = 2))).toMatch(/answers\[0\]\[2\] is 2/);
    expect(edit((s) => (s.budget = 31))).toMatch(/restoreComparison: budget/);
    expect(edit((s) => ((s as { kind: string }).kind = "x"))).toMatch(/restoreComparison: kind/);
    expect(edit((s) => ((s as { names: string[] }).names = ["a", "a"]))).toMatch(/restoreComparison: names/);
    expect(msg(() => restoreComparison(SOURCES, saved, { level: 2 }))).toMatch(/restoreComparison: level/);
    expect(msg(() => restoreComparison(SOURCES, saved, null as unknown as object))).toMatch(
      /^restoreComparison: options must be an object/,
    );
  });

  test("restoreComparison refuses an rng or strata that did not make the saved examples", () => {
    for (const design of ["stratified", "random"] as const) {
      const c = createComparison(SOURCES, { seed: 4, design });
      const saved = c.toJSON();
      const edit = (f: (s: SavedComparison) => void) => {
        const s = JSON.parse(JSON.stringify(saved)) as SavedComparison;
        f(s);
        return msg(() => restoreComparison(SOURCES, s));
      };
      // the same examples from another seed would calibrate with another half of the sources
      expect(edit((s) => (s.rng = [7]))).toMatch(
        /^restoreComparison: rng \[7\] does not give the saved gset and picks/,
      );
      expect(edit((s) => (s.rng = []))).toMatch(/^restoreComparison: rng \[\] does not give/);
      // a draw swapped for another example (kept sorted and distinct): not what the stream drew
      expect(
        edit((s) => {
          const used = new Set([...s.gset, ...s.picks]);
          const spare = SOURCES.exampleIds.find((id) => !used.has(id)) as string;
          s.picks[0] = spare;
        }),
      ).toMatch(/rng \[4\] does not give the saved gset and picks/);
      const want = design === "random" ? 1 : 5; // defaultStrata(30 − 10) = min(5, ⌊20/4⌋)
      expect(edit((s) => (s.strata = want === 1 ? 2 : 1))).toMatch(
        new RegExp(`^restoreComparison: strata must be ${want} \\(${design} design`),
      );
      // unedited, it restores
      expect(restoreComparison(SOURCES, saved).examples).toEqual(c.examples);
    }
  });

  test("seed: the seed the comparison was made with", () => {
    expect(createComparison(SOURCES, { seed: 6 }).seed).toBe(6);
    expect(createComparison(SOURCES).seed).toBe(0);
  });

  test("a step's examples are the step's own: writing into them changes neither the comparison nor its save", () => {
    const c = createComparison(SOURCES, { seed: 5 });
    const before = c.examples;
    const step = c.next()[0];
    step?.examples.fill(0);
    expect(c.examples).toEqual(before);
    expect(c.toJSON().gset.concat(c.toJSON().picks)).toEqual(before);
  });

  test("answers keyed by id: an id named like an object property is still missing when absent", () => {
    const rows = Array.from({ length: SOURCES.rows }, (_, s) => Array.from(SOURCES.row(s)));
    const src = CorrectnessMatrix.from(rows, {
      exampleIds: SOURCES.exampleIds.map((id, j) => (j === 0 ? "constructor" : j === 1 ? "toString" : id)),
    });
    const c = createComparison(src, { seed: 0, design: "random", budget: 150 });
    const rec: Record<string, number> = {};
    for (const id of c.examples) if (id !== "constructor" && id !== "toString") rec[id] = 1;
    expect(msg(() => c.answer(0, rec))).toMatch(
      /is missing 2 of the 150 ids asked \((constructor, toString|toString, constructor)\)/,
    );
  });

  test("answerFrom names itself: a bad answer, and a byColumn that is not a Map", () => {
    const c = createComparison(SOURCES, { seed: 1 });
    const bad = new Map(Array.from(c.run.examples, (j) => [j, 2]));
    expect(msg(() => c.answerFrom(0, bad))).toMatch(/^answerFrom: answers of target 0/);
    expect(msg(() => c.answerFrom(0, {} as ReadonlyMap<number, number>))).toMatch(
      /^answerFrom: byColumn must be a Map/,
    );
    expect(c.done).toBe(false);
  });

  test("bad options are errors naming the option, in the terms of the function called", async () => {
    expect(msg(() => createComparison(SOURCES, { budget: 11 }))).toMatch(/^createComparison: budget/);
    expect(msg(() => createComparison(SOURCES, { budget: 151 }))).toMatch(/^createComparison: budget/);
    expect(msg(() => createComparison(SOURCES, { budget: 1, design: "random" }))).toMatch(
      /^createComparison: budget must be an integer of at least 2 \(two draws\)/,
    );
    expect(msg(() => createComparison(SOURCES, { level: 1 }))).toMatch(/^createComparison: level/);
    expect(msg(() => createComparison(SOURCES, { design: "x" as "random" }))).toMatch(/^createComparison: design/);
    expect(msg(() => createComparison(SOURCES, { names: ["a"] }))).toMatch(/^createComparison: names/);
    expect(msg(() => createComparison(SOURCES, { design: "random", gset: 5 }))).toMatch(/^createComparison: gset/);
    expect(msg(() => createComparison(SOURCES, { seed: 0.5 }))).toMatch(/^createComparison: seed/);
    expect(msg(() => createComparison(SOURCES, { budjet: 5 } as object))).toMatch(/unknown option "budjet"/);
    const rows = Array.from({ length: 30 }, (_, s) => Array.from(SOURCES.row(s)));
    expect(msg(() => createComparison(rows, { examples: ["a", "b"] }))).toMatch(
      /^createComparison: examples has 2 ids, but the sources have 150 examples/,
    );
    const c = createComparison(SOURCES);
    expect(msg(() => c.difference())).toMatch(/difference: "A" and "B" must answer first/);
    expect(msg(() => c.answer(2, []))).toMatch(/answer: target/);
    expect(msg(() => c.answer(0, { [c.examples[0] as string]: 1 }))).toMatch(/is missing 29 of the 30 ids/);
    await expect(
      compare(
        SOURCES,
        () => [1],
        () => [1],
        { level: 3 },
      ),
    ).rejects.toThrow(/^compare: level/);
    await expect(
      compare(
        SOURCES,
        () => [1],
        () => [1],
      ),
    ).rejects.toThrow(/compare: askA returned 1 answers for 30/);
  });
});
