import { CorrectnessMatrix, createOracle, type EvaluationRun, isTbError, RandomStream } from "@tb/core";
import { describe, expect, it } from "vitest";
import { methods, populations } from "./__fixtures__/pinned-cases.js";
import { evaluationContext, oneRound, oneRoundMethod } from "./one-round.js";

const sources = CorrectnessMatrix.from([
  [1, 0, 1, 0, 1, 0],
  [0, 1, 1, 0, 0, 1],
  [1, 1, 0, 1, 0, 0],
]);
const ctx = (targets: number, budget = 3) => ({ sources, targets, budget, rng: RandomStream.derive("one-round") });

function throwsCode(f: () => unknown, code: string, message: RegExp): void {
  try {
    f();
  } catch (e) {
    expect(isTbError(e) && e.code).toBe(code);
    expect((e as Error).message).toMatch(message);
    return;
  }
  expect.unreachable("expected a TbError");
}

/** A plan that asks [4, 1, 4, 2] (4 twice) of every target and sums the answers it is given, in order. */
const sums = () =>
  oneRound("sums", ctx(2), () => ({
    examples: Int32Array.from([4, 1, 4, 2]),
    reason: "test",
    result: (answers) => ({
      estimates: Float64Array.from(answers, (y) => y.reduce((a, b) => a + b, 0)),
      diagnostics: { first: answers.flatMap((y) => Array.from(y)) },
    }),
  }));

describe("oneRound: one request per target, answered in any order", () => {
  it("asks each distinct example once and gives the plan its answers in the plan's order", () => {
    const run = sums();
    expect(run.method).toBe("sums");
    expect(run.targets).toBe(2);
    expect(run.budget).toBe(3);
    expect(run.done).toBe(false);
    const open = run.requests();
    expect(open.map((r) => [r.target, Array.from(r.examples), r.reason])).toEqual([
      [0, [4, 1, 2], "test"],
      [1, [4, 1, 2], "test"],
    ]);
    run.answer(1, [1, 0, 0.5]); // target 1 first
    expect(run.requests().map((r) => r.target)).toEqual([0]);
    run.answer(0, new Float64Array([0, 1, 1]));
    expect(run.done).toBe(true);
    expect(run.requests()).toEqual([]);
    const res = run.result();
    // [4, 1, 4, 2] → target 0: 0 + 1 + 0 + 1 = 2; target 1: 1 + 0 + 1 + 0.5 = 2.5.
    expect(Array.from(res.estimates)).toEqual([2, 2.5]);
    expect(res.diagnostics?.first).toEqual([0, 1, 0, 1, 1, 0, 1, 0.5]);
    expect(run.result()).toBe(res);
  });

  it("a request's examples are a copy: changing them changes nothing", () => {
    const run = sums();
    const [r] = run.requests();
    r?.examples.fill(0);
    expect(Array.from(run.requests()[0]?.examples ?? [])).toEqual([4, 1, 2]);
  });

  it("refuses answers to no open request, the wrong count, values outside [0, 1], and a result before the end", () => {
    const run = sums();
    throwsCode(() => run.result(), "E_USAGE", /sums: no result yet, 2 of 2 targets have not answered/);
    throwsCode(() => run.answer(2, [0, 0, 0]), "E_USAGE", /sums: target 2 has no open request/);
    throwsCode(() => run.answer(0.5, [0, 0, 0]), "E_USAGE", /target 0.5 has no open request/);
    throwsCode(() => run.answer(0, [0, 0, 0, 0]), "E_USAGE", /answers of target 0: 4 answers for the 3 examples asked/);
    throwsCode(
      () => run.answer(0, [0, 2, 0]),
      "E_INPUT",
      /answers of target 0: answer 1 is 2, not a number in \[0, 1\]/,
    );
    run.answer(0, [0, 1, 0]);
    throwsCode(() => run.answer(0, [0, 1, 0]), "E_USAGE", /target 0 has no open request/);
    throwsCode(() => run.result(), "E_USAGE", /1 of 2 targets/);
  });

  it("per-target lists, and zero targets (done at once)", () => {
    const run = oneRound("each", ctx(2), () => ({
      examples: [Int32Array.from([0]), Int32Array.from([5, 3])],
      reason: "r",
      result: (answers) => ({ estimates: Float64Array.from(answers, (y) => y.length) }),
    }));
    expect(run.requests().map((r) => Array.from(r.examples))).toEqual([[0], [5, 3]]);
    const none = oneRound("none", ctx(0), () => ({
      examples: Int32Array.from([1]),
      reason: "r",
      result: (answers) => ({ estimates: new Float64Array(answers.length) }),
    }));
    expect(none.done).toBe(true);
    expect(none.result().estimates.length).toBe(0);
  });

  it("a plan past the budget or outside the sources is the method's bug (E_INTERNAL); bad targets are the caller's", () => {
    const plan = (examples: Int32Array | Int32Array[]) => () => ({
      examples,
      reason: "r",
      result: () => ({ estimates: new Float64Array(0) }),
    });
    throwsCode(
      () => oneRound("m", ctx(1), plan(Int32Array.from([0, 1, 2, 3]))),
      "E_INTERNAL",
      /asked 4 examples, past the budget 3/,
    );
    // Repeats count once: four entries, three distinct examples, within a budget of 3.
    expect(oneRound("m", ctx(1), plan(Int32Array.from([0, 1, 1, 2]))).requests()[0]?.examples.length).toBe(3);
    throwsCode(() => oneRound("m", ctx(1), plan(Int32Array.from([6]))), "E_INTERNAL", /example 6 is not in \[0, 6\)/);
    throwsCode(
      () => oneRound("m", ctx(2), plan([Int32Array.from([1])])),
      "E_INTERNAL",
      /1 example lists for 2 targets/,
    );
    throwsCode(
      () => oneRound("m", ctx(-1), plan(Int32Array.from([1]))),
      "E_USAGE",
      /m: targets must be a non-negative integer, got -1/,
    );
  });

  it("oneRoundMethod: run(ctx) is start(ctx) driven through the oracles, which enforce the budget", () => {
    const m = oneRoundMethod("greedy", (c) => ({
      examples: Int32Array.from({ length: c.budget + 1 }, (_, j) => j),
      reason: "r",
      result: () => ({ estimates: new Float64Array(c.targets) }),
    }));
    expect(m.name).toBe("greedy");
    const oracles = [createOracle([1, 1, 1, 1, 1, 1], 2)];
    const mctx = { sources, oracles, budget: 2, rng: RandomStream.derive(0) };
    throwsCode(() => m.run(mctx), "E_INTERNAL", /past the budget 2/);
    expect(evaluationContext(mctx)).toEqual({ sources, targets: 1, budget: 2, rng: mctx.rng });
    expect("oracles" in evaluationContext(mctx)).toBe(false);
  });
});

/** Answer every open request from the target rows, last target first, one round at a time. */
function driveByHand(run: EvaluationRun, rows: Float64Array[]): number {
  let rounds = 0;
  while (!run.done) {
    rounds++;
    for (const r of run.requests().reverse()) {
      run.answer(
        r.target,
        Array.from(r.examples, (j) => rows[r.target]?.[j] as number),
      );
    }
  }
  return rounds;
}

describe("every baseline is a one-round evaluation", () => {
  const pop = populations()[0];
  if (pop === undefined) throw new Error("no population");
  const budget = 12;
  for (const { label, method } of methods()) {
    it(`${label}: one round of distinct examples within the budget; the result is run()'s`, () => {
      const rng = () => RandomStream.derive("by-hand", label);
      const run = method.start?.({ sources: pop.sources, targets: pop.targets.length, budget, rng: rng() });
      if (run === undefined) throw new Error(`${label} has no start`);
      expect(run.method).toBe(method.name);
      const open = run.requests();
      expect(open.map((r) => r.target)).toEqual(pop.targets.map((_, t) => t));
      for (const r of open) {
        expect(new Set(r.examples).size).toBe(r.examples.length);
        expect(r.examples.length).toBeLessThanOrEqual(budget);
        expect(r.reason).toMatch(/^(sample|anchors|coreset)$/);
      }
      expect(driveByHand(run, pop.targets)).toBe(1);
      const oracles = pop.targets.map((row) => createOracle(row, budget));
      const viaRun = method.run({ sources: pop.sources, oracles, budget, rng: rng() });
      expect(run.result()).toStrictEqual(viaRun);
    });
  }
});
