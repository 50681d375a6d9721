/**
 * The resumable evaluation (docs/DESIGN.md §3.5): driven round by round it gives the numbers of the
 * one-call paths; saved and restored at any step it goes on the same; the root export stays small.
 */
import { CorrectnessMatrix, createOracle, drive, isTbError, RandomStream, TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import * as root from "../index.js";
import * as internals from "../internals.js";
import { tailoredBench, tailoredPlus } from "./methods.js";
import {
  createEvaluation,
  Evaluation,
  rankAmongSources,
  reasonLabel,
  reasonPhase,
  restoreEvaluation,
} from "./session.js";

/** A seeded 0/1 population: abilities spread from −2 to +2, plus two models far above them all. */
function population(models: number, examples: number, seed: number) {
  const rng = RandomStream.derive("evaluation-test", seed);
  const diff = Array.from({ length: examples }, () => rng.nextFloat() * 4 - 2);
  const ability = (m: number) => (m >= models - 2 ? 4 + m - models : -2 + (4 * m) / (models - 3));
  const rows = Array.from({ length: models }, (_, m) =>
    diff.map((d) => (rng.nextFloat() < 1 / (1 + Math.exp(-(ability(m) - d) * 1.7)) ? 1 : 0)),
  );
  return rows;
}

const ROWS = population(60, 240, 1);
const ALL = CorrectnessMatrix.from(ROWS);
/** Sources: every model but the held-out ones. */
const HELD = [5, 20, 33, 47, 58, 59];
const SOURCES = CorrectnessMatrix.from(ROWS.filter((_, m) => !HELD.includes(m)));
const rowOf = (m: number) => ALL.row(m);

function runToEnd(ev: Evaluation, rows: readonly Float64Array[], saveEachRound = false): Evaluation {
  let cur = ev;
  let rounds = 0;
  while (!cur.done) {
    for (const step of cur.next())
      cur.answer(
        step.target,
        Array.from(step.examples, (j) => rows[step.target]?.[j] as number),
      );
    if (saveEachRound) cur = restoreEvaluation(SOURCES, JSON.parse(JSON.stringify(cur.toJSON())));
    rounds++;
    expect(rounds).toBeLessThan(10);
  }
  return cur;
}

describe("createEvaluation", () => {
  test("a group driven by hand equals the method's run through oracles (both methods, every target)", () => {
    for (const [method, m] of [
      ["tailored-plus", tailoredPlus({ level: 0.9 })],
      ["tailored", tailoredBench()],
    ] as const) {
      const targets = HELD.map((h) => `m${h}`);
      const ev = createEvaluation(SOURCES, { method, budget: 24, seed: 7, targets, pooling: "joint" });
      const done = runToEnd(
        ev,
        HELD.map((h) => rowOf(h)),
      );
      const oracles = HELD.map((h) => createOracle(rowOf(h), 24));
      const r = m.run({ sources: SOURCES, oracles, budget: 24, rng: RandomStream.derive(7) });
      const ests = targets.map((_, t) => done.run.estimateOf(t).accuracy);
      expect(ests).toEqual(Array.from(r.estimates));
      // every target asked exactly the budget, G-set first, no example twice
      for (let t = 0; t < targets.length; t++) {
        const e = done.estimate(t);
        expect(e.asked.length).toBe(24);
        expect(new Set(e.asked).size).toBe(24);
        expect(e.asked.slice(0, 10)).toEqual(done.gset);
      }
    }
  });

  test("a target above every source on the G-set takes its stratified sample at once; native selection still pools it", () => {
    // the weaker two thirds are the sources, five stronger models the targets
    const low = CorrectnessMatrix.from(ROWS.slice(0, 40));
    const held = [40, 46, 52, 58, 59];
    const ev = createEvaluation(low, { budget: 30, seed: 2, targets: held.map((h) => `m${h}`) });
    for (const s of ev.next())
      ev.answer(
        s.target,
        Array.from(s.examples, (j) => rowOf(held[s.target] as number)[j] as number),
      );
    const reasons = new Map(ev.next().map((s) => [s.target, s.reason]));
    const g = Int32Array.from(ev.gset, (id) => low.exampleIds.indexOf(id));
    const score = (row: ArrayLike<number>) => g.reduce((a, j) => a + (row[j] as number), 0);
    let best = 0;
    for (let s = 0; s < low.rows; s++) best = Math.max(best, score(low.row(s)));
    const above = held.flatMap((h, t) => (score(rowOf(h)) > best ? [t] : []));
    expect(above.length).toBeGreaterThan(0);
    expect(above.length).toBeLessThan(held.length);
    for (let t = 0; t < held.length; t++) {
      expect(reasons.get(t)).toBe(above.includes(t) ? "strata" : "look");
      expect(ev.design(t).mode).toBe(above.includes(t) ? "beyond" : "look");
    }
    // the others' natives are those of one joint selection over every target's G-set answers
    const joint = root.selectNatives(
      low,
      g,
      held.map((h) => Array.from(g, (j) => rowOf(h)[j] as number)),
    );
    for (let t = 0; t < held.length; t++) {
      if (above.includes(t)) continue;
      expect(ev.design(t).natives).toEqual(Array.from(joint.natives[t] as Int32Array, (s) => low.modelIds[s]));
    }
  });

  test("unreadOptions names the set options a method does not read: tailored-plus's own, for tailored", () => {
    const o = { secondLook: 0.3, precision: undefined, maxBudget: 60, coordinated: false, level: 0.9, budget: 30 };
    expect(Evaluation.unreadOptions("tailored", o)).toEqual(["secondLook", "maxBudget", "coordinated"]);
    expect(Evaluation.unreadOptions("tailored-plus", o)).toEqual([]);
    expect(Evaluation.unreadOptions("tailored", { level: 0.9, gset: 10 })).toEqual([]);
  });

  test("saved after every round and restored, it ends with the same estimates (a second look included)", () => {
    const targets = HELD.map((h) => `m${h}`);
    const a = runToEnd(createEvaluation(SOURCES, { budget: 30, seed: 2, targets }), HELD.map(rowOf));
    const b = runToEnd(createEvaluation(SOURCES, { budget: 30, seed: 2, targets }), HELD.map(rowOf), true);
    const modes = targets.map((_, t) => a.estimate(t));
    expect(modes.some((e) => e.secondLook)).toBe(true);
    expect(targets.map((_, t) => b.estimate(t))).toEqual(modes);
  });

  test("one target saved alone after the G-set goes on by itself with the same numbers", () => {
    const targets = HELD.map((h) => `m${h}`);
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 4, targets });
    for (const s of ev.next())
      ev.answer(
        s.target,
        Array.from(s.examples, (j) => rowOf(HELD[s.target] as number)[j] as number),
      );
    const full = runToEnd(ev, HELD.map(rowOf));
    for (let t = 0; t < targets.length; t++) {
      const ev2 = createEvaluation(SOURCES, { budget: 30, seed: 4, targets });
      for (const s of ev2.next())
        ev2.answer(
          s.target,
          Array.from(s.examples, (j) => rowOf(HELD[s.target] as number)[j] as number),
        );
      const alone = runToEnd(restoreEvaluation(SOURCES, ev2.toJSON(t)), [rowOf(HELD[t] as number)]);
      expect(alone.estimate(0)).toEqual(full.estimate(t));
    }
  });

  test("the rank among the sources, by hand", () => {
    const scores = [0.9, 0.7, 0.7, 0.5, 0.2];
    expect(rankAmongSources(scores, 0.8, [0.6, 0.95])).toEqual({ position: 2, of: 6, interval: [1, 4] });
    expect(rankAmongSources(scores, 0.7, null)).toEqual({ position: 2, of: 6, interval: null });
    expect(rankAmongSources(scores, 0.1, [0, 0.19])).toEqual({ position: 6, of: 6, interval: [6, 6] });
  });

  test("answers keyed by id; bad answers and bad options are TbErrors naming the option", () => {
    const ev = createEvaluation(SOURCES, { budget: 20 });
    const [step] = ev.next();
    if (step === undefined) throw new Error("no step");
    const rec = Object.fromEntries(step.ids.map((id, k) => [id, rowOf(5)[step.examples[k] as number] as number]));
    const { [step.ids[0] as string]: _dropped, ...short } = rec;
    expect(() => ev.answer(0, short)).toThrow(/missing 1 of the 10 ids asked/);
    expect(() => ev.answer(0, { ...rec, nope: 1 })).toThrow(/answers ids not asked \(nope\)/);
    expect(() => ev.answer(0, [1, 2])).toThrow(TbError);
    ev.answer(0, rec);
    expect(ev.next()[0]?.reason).toMatch(/nset|look|strata/);
    const bad = (o: object, re: RegExp) => {
      try {
        createEvaluation(SOURCES, o as never);
        throw new Error("no error");
      } catch (e) {
        expect(isTbError(e) && e.code === "E_USAGE").toBe(true);
        expect((e as Error).message).toMatch(re);
      }
    };
    bad({ budget: 10 }, /^createEvaluation: budget must be an integer larger than the G-set \(10\)/);
    bad({ level: 1 }, /^createEvaluation: level must be in \(0, 1\)/);
    bad({ secondLook: 0.3, method: "tailored" }, /secondLook applies to method "tailored-plus" only/);
    bad({ budegt: 30 }, /unknown option "budegt"/);
    bad({ targets: ["a", "a"] }, /target names must be distinct/);
    // K-Medoids settings are read only after the G-set: checked when the evaluation is made
    bad({ nsetClustering: { algoritm: "pam" } }, /^createEvaluation: nsetClustering\.algoritm is not a setting/);
    bad(
      { nsetClustering: { algorithm: "pma" } },
      /^createEvaluation: nsetClustering\.algorithm must be one of "pam", "fasterpam"/,
    );
    bad({ gsetClustering: { algorithm: "pam" } }, /^createEvaluation: gsetClustering\.algorithm is not a setting/);
    bad({ gsetClustering: "x" }, /^createEvaluation: gsetClustering must be an object/);
    bad({ gsetClustering: { maxIter: 1.5 } }, /gsetClustering\.maxIter must be an integer ≥ 0/);
    bad({ nsetClustering: { sampleSize: 0 } }, /nsetClustering\.sampleSize must be an integer ≥ 1/);
    bad({ nsetClustering: { claraThreshold: Number.NaN } }, /nsetClustering\.claraThreshold must be a number/);
    bad({ nsetClustering: { claraSelect: "best" } }, /nsetClustering\.claraSelect must be one of/);
    // options passed down to other functions are named as this one's
    bad({ cacheBytes: -1 }, /^createEvaluation: cacheBytes must be a number of bytes ≥ 0/);
    bad({ onNoNatives: "x" }, /^createEvaluation: onNoNatives must be one of "fallback", "error"/);
    bad({ workspace: {} }, /^createEvaluation: workspace must be a Workspace/);
    bad({ precision: 0.05, maxBudget: 100.5 }, /^createEvaluation: maxBudget must be an integer, got 100.5/);
    bad({ precision: 0.05, maxBudget: "100" }, /^createEvaluation: maxBudget must be an integer, got "100"/);
    try {
      createEvaluation(
        [
          [1, 0, 1],
          [0, 1, 1],
          [1, 1, 0],
        ],
        { examples: ["x", "y"] },
      );
      throw new Error("no error");
    } catch (e) {
      expect((e as Error).message).toMatch(/^createEvaluation: examples has 2 ids, but the sources have 3 examples/);
    }
  });

  test("sources and options of the wrong kind are TbErrors naming them, not TypeErrors", () => {
    for (const x of [undefined, null, "abc", 42]) {
      expect(() => createEvaluation(x as never)).toThrow(/^createEvaluation: sources must be a matrix/);
    }
    const saved = createEvaluation(SOURCES, { budget: 20 }).toJSON();
    expect(() => restoreEvaluation(SOURCES, saved, null as never)).toThrow(
      /^restoreEvaluation: options must be an object/,
    );
    for (const [field, plan] of [
      ["gset", { kind: "tailoredbench/plan" }],
      ["gAnswers", { kind: "tailoredbench/plan", gset: [], nset: [], toEvaluate: [] }],
      [
        "labels",
        {
          kind: "tailoredbench/plan",
          gset: [],
          nset: [],
          toEvaluate: [],
          gAnswers: {},
          options: {},
          nativeSources: [],
        },
      ],
    ] as const) {
      expect(() => restoreEvaluation(SOURCES, plan as never)).toThrow(
        new RegExp(`^restoreEvaluation: ${field} must be`),
      );
    }
  });

  test("a save whose fields disagree with each other is refused, naming the field", () => {
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 1 });
    const row = rowOf(20);
    const answer = (e: Evaluation) => {
      for (const s of e.next())
        e.answer(
          s.target,
          Array.from(s.examples, (j) => row[j] as number),
        );
    };
    answer(ev); // the G-set: the rest of the design is asked now
    const open = ev.toJSON();
    while (!ev.done) answer(ev);
    const done = ev.toJSON();
    const edit = (base: typeof open, f: (t: Record<string, unknown>, s: Record<string, unknown>) => void) => {
      const s = JSON.parse(JSON.stringify(base));
      f(s.targets[0], s);
      try {
        restoreEvaluation(SOURCES, s);
        return "accepted";
      } catch (e) {
        return (e as Error).message;
      }
    };
    const ids = SOURCES.exampleIds;
    const unasked = ids.filter(
      (id) => !(open.targets[0]?.asked ?? []).includes(id) && !(open.targets[0]?.pending ?? []).includes(id),
    );
    expect(edit(open, (t) => (t.pending = unasked.slice(0, 80)))).toMatch(
      /^restoreEvaluation: targets\[0\]\.pending asks 90 distinct examples in all, more than the 30 allowed/,
    );
    expect(edit(open, (t) => (t.pending = [(t.pending as string[])[0], ...(t.pending as string[])]))).toMatch(
      /pending\[1\] .* listed twice/,
    );
    expect(edit(open, (t) => (t.pending = [(t.asked as string[])[0], ...(t.pending as string[]).slice(1)]))).toMatch(
      /pending\[0\] .* answered already/,
    );
    expect(edit(open, (t) => (t.pending = null))).toMatch(
      /targets\[0\]\.pending is null, but the final step asks for examples/,
    );
    const dropLast = (t: Record<string, unknown>) => {
      (t.asked as string[]).pop();
      (t.answers as number[]).pop();
    };
    expect(edit(done, dropLast)).toMatch(/answers lacks .*an example its estimate rests on/);
    expect(edit(done, (t) => (t.labels = (t.labels as number[]).map(() => "x")))).toMatch(
      /labels\[0\] is "x", not a slot of the 30 medoids/,
    );
    expect(edit(done, (t) => (t.labels = (t.labels as number[]).map(() => 30)))).toMatch(
      /labels\[0\] is 30, not a slot/,
    );
    expect(edit(done, (t) => (t.mode = "bogus"))).toMatch(/targets\[0\]\.mode must be/);
    expect(edit(done, (t) => (t.outOfRange = "sideways"))).toMatch(/targets\[0\]\.outOfRange must be/);
    expect(edit(done, (t) => (t.natives = [(t.natives as string[])[0], (t.natives as string[])[0]]))).toMatch(
      /natives\[1\] .* listed twice/,
    );
    expect(edit(open, (t) => (t.reason = "bogus"))).toMatch(/targets\[0\]\.reason "bogus" is not a reason/);
    expect(edit(open, (_t, s) => ((s.options as Record<string, unknown>).precison = 0.03))).toMatch(
      /options\.precison is not an option/,
    );
    expect(edit(open, (_t, s) => (s.budget = "30"))).toMatch(/^restoreEvaluation: budget must be an integer/);
    expect(edit(open, (t, s) => (s.targets = [t, { ...t, name: "b" }]))).toMatch(/targets have the same index twice/);
    // unedited, both restore to the same numbers
    expect(restoreEvaluation(SOURCES, done).estimate(0)).toEqual(ev.estimate(0));
    expect(edit(open, () => {})).toBe("accepted");
  });

  test("a save is refused for other sources, another version or a malformed field", () => {
    const ev = createEvaluation(SOURCES, { budget: 20 });
    const saved = ev.toJSON();
    const other = CorrectnessMatrix.from(ROWS.slice(1).filter((_, m) => !HELD.includes(m + 1)));
    expect(() => restoreEvaluation(other, saved)).toThrow(/made on another source matrix/);
    expect(() => restoreEvaluation(SOURCES, { ...saved, specVersion: 2 as 1 })).toThrow(
      /specVersion 2 is not supported/,
    );
    const t0 = saved.targets[0];
    if (t0 === undefined) throw new Error("no target");
    expect(() => restoreEvaluation(SOURCES, { ...saved, targets: [{ ...t0, pending: ["nope"] }] })).toThrow(
      /targets\[0\]\.pending\[0\] "nope" is not an example id/,
    );
  });
});

describe("drewGset", () => {
  test("true for the evaluation's own G-set in order; false for another draw, another order, a part", () => {
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 4 });
    const g = ev.gset;
    expect(ev.drewGset(g)).toBe(true);
    expect(ev.drewGset(createEvaluation(SOURCES, { budget: 40, seed: 4 }).gset)).toBe(true); // the budget draws no G-set
    // another draw (a G-set of another size; PAM on all examples may give the same G-set for another seed)
    const other = createEvaluation(SOURCES, { budget: 30, seed: 4, gset: 9 }).gset;
    expect(other).not.toEqual(g.slice(0, 9));
    expect(ev.drewGset(other)).toBe(false);
    expect(ev.drewGset([...g].reverse())).toBe(false);
    expect(ev.drewGset(g.slice(1))).toBe(false);
  });
});

describe("mayAskAfter and isSecondLook", () => {
  test("after the G-set and a second look always; after the design only with a precision; never when done", () => {
    const row = rowOf(58); // far above the sources: tailored-plus takes a second look
    for (const precision of [undefined, 0.02]) {
      const ev = createEvaluation(SOURCES, { budget: 30, ...(precision ? { precision, maxBudget: 120 } : {}) });
      const seen: [string, boolean][] = [];
      while (!ev.done) {
        const st = ev.next()[0] as NonNullable<ReturnType<Evaluation["next"]>[0]>;
        seen.push([st.phase, ev.mayAskAfter(0)]);
        // the open step is a second look exactly while the target's design is at its look
        expect(ev.isSecondLook(0)).toBe(ev.design(0).mode === "look");
        ev.answer(
          0,
          Array.from(st.examples, (j) => row[j] as number),
        );
      }
      expect(ev.mayAskAfter(0)).toBe(false);
      expect(ev.isSecondLook(0)).toBe(false);
      for (const [phase, more] of seen) {
        expect(more).toBe(phase === "probe" || phase === "look" || precision !== undefined);
      }
      expect(seen.map(([p]) => p)).toContain("look");
    }
  });
});

describe("what a caller cannot break", () => {
  test("answer() speaks its own terms: the count asked, the example id of a bad answer, an id named like a property", () => {
    const ev = createEvaluation(SOURCES, { budget: 30, targets: ["mine"] });
    const step = ev.next()[0] as NonNullable<ReturnType<Evaluation["next"]>[0]>;
    const msg = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return `${(e as TbError).code} ${(e as Error).message}`;
      }
      return "no error";
    };
    expect(msg(() => ev.answer(0, [1, 1, 1]))).toBe(
      'E_USAGE answer: target "mine" gave 3 answers for the 10 examples asked',
    );
    const nan = step.ids.map((_, i) => (i === 3 ? Number.NaN : 1));
    expect(msg(() => ev.answer("mine", nan))).toBe(
      `E_INPUT answer: target "mine"'s answer for example "${step.ids[3]}" is NaN, not a number in [0, 1]`,
    );
    expect(msg(() => ev.answer(5, []))).toMatch(/^E_USAGE answer: target 5 is not in \[0, 1\)/);
    // two G-set examples renamed "constructor" and "toString" (ids do not choose the G-set)
    const rows = Array.from({ length: SOURCES.rows }, (_, m) => Array.from(SOURCES.row(m)));
    const [j0, j1] = step.examples;
    const named = createEvaluation(rows, {
      budget: 30,
      examples: SOURCES.exampleIds.map((id, j) => (j === j0 ? "constructor" : j === j1 ? "toString" : id)),
    });
    const ids = (named.next()[0] as { ids: string[] }).ids;
    expect(ids.slice(0, 2)).toEqual(["constructor", "toString"]);
    const rec: Record<string, number> = {};
    for (const id of ids.slice(2)) rec[id] = 1;
    expect(msg(() => named.answer(0, rec))).toBe(
      'E_USAGE answer: target "target" is missing 2 of the 10 ids asked (constructor, toString)',
    );
  });

  test("a step's examples are a copy: writing into them changes neither the G-set nor the estimate", () => {
    const plain = runToEnd(createEvaluation(SOURCES, { budget: 30, seed: 3 }), [rowOf(20)]);
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 3 });
    const gset = ev.gset;
    const row = rowOf(20);
    while (!ev.done) {
      for (const step of ev.next()) {
        const answers = Array.from(step.examples, (j) => row[j] as number);
        step.examples.fill(0);
        step.examples.reverse();
        ev.answer(step.target, answers);
      }
    }
    expect(ev.gset).toEqual(gset);
    expect(ev.estimate(0)).toEqual(plain.estimate(0));
  });

  test("an answer whose step throws leaves the evaluation as it was: the request still open, nothing recorded", () => {
    // a model that answers every G-set example against the sources' majority has no native source
    // (onNoNatives "error": the step after the G-set throws)
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 0, onNoNatives: "error" });
    const step = ev.next()[0] as NonNullable<ReturnType<Evaluation["next"]>[0]>;
    const majority = (j: number) => {
      let s = 0;
      for (let m = 0; m < SOURCES.rows; m++) s += SOURCES.row(m)[j] as number;
      return s / SOURCES.rows >= 0.5 ? 1 : 0;
    };
    const odd = Array.from(step.examples, (j) => 1 - majority(j));
    const saved = JSON.stringify(ev.toJSON());
    let err: unknown;
    try {
      ev.answer(0, odd);
    } catch (e) {
      err = e;
    }
    expect(isTbError(err) && err.code === "E_DEGENERATE").toBe(true);
    expect(JSON.stringify(ev.toJSON())).toBe(saved);
    expect(ev.done).toBe(false);
    expect(ev.next().map((s) => [s.target, s.ids])).toEqual([[0, step.ids]]);
    // the same request answered otherwise goes on as a fresh evaluation does
    const fresh = runToEnd(createEvaluation(SOURCES, { budget: 30, seed: 0, onNoNatives: "error" }), [rowOf(20)]);
    const row = rowOf(20);
    while (!ev.done)
      for (const s of ev.next())
        ev.answer(
          s.target,
          Array.from(s.examples, (j) => row[j] as number),
        );
    expect(ev.estimate(0)).toEqual(fresh.estimate(0));
  });
});

describe("Evaluation.describe", () => {
  test("names the design each target is on after the G-set: the mode agrees with design(), the faithful method its N-set", () => {
    const targets = HELD.map((h) => `m${h}`);
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 3, targets });
    for (const s of ev.next())
      ev.answer(
        s.target,
        Array.from(s.examples, (j) => rowOf(HELD[s.target] as number)[j] as number),
      );
    const phrases: Record<string, RegExp> = {
      look: /^in the sources' top quartile on the G-set: a second look at \d+ more examples/,
      within: /^within the sources' range: \d+ native sources, N-set of 30 medoids/,
      beyond: /a stratified random sample \(\d difficulty strata\)/,
    };
    const modes = new Set<string>();
    targets.forEach((name, t) => {
      const mode = ev.design(t).mode as string;
      modes.add(mode);
      expect(ev.describe(t)).toMatch(phrases[mode] as RegExp);
      expect(ev.describe(name)).toBe(ev.describe(t));
    });
    expect(modes.size).toBeGreaterThan(1);
    // the page's sentence and the out-of-range note follow the same design()
    const sentence: Record<string, RegExp> = { look: /^second look: /, within: /^within: /, beyond: /^beyond: / };
    targets.forEach((_, t) => {
      const d = ev.design(t);
      expect(ev.describePlan(t)).toMatch(sentence[d.mode as string] as RegExp);
      expect(ev.outOfRangeNote(t)).toBe(
        d.outOfRange === null
          ? null
          : `its G-set score is ${d.outOfRange} every source's: it is probably ${d.outOfRange === "above" ? "stronger" : "weaker"} than all of them`,
      );
    });
    // the score on what was answered: here the G-set, counted by hand from the targets' rows
    targets.forEach((_, t) => {
      const gset = ev.design(t).gAnswers;
      const right = Object.keys(gset).filter((id) => rowOf(HELD[t] as number)[SOURCES.exampleIds.indexOf(id)] === 1);
      expect(ev.answeredScore(t)).toBeCloseTo(right.length / Object.keys(gset).length, 15);
    });
    const faithful = createEvaluation(SOURCES, { method: "tailored", budget: 30, seed: 3 });
    for (const s of faithful.next())
      faithful.answer(
        0,
        Array.from(s.examples, (j) => rowOf(5)[j] as number),
      );
    expect(faithful.describe()).toMatch(/^\d+ native sources \(d̄ = \d\.\d{3}\), N-set of 30 examples/);
  });
});

describe("Evaluation.describeMode and estimateRangeNote", () => {
  test("the finished design's phrase follows design().mode, and the range note the estimate's flag", () => {
    const targets = HELD.map((h) => `m${h}`);
    const ev = createEvaluation(SOURCES, { budget: 30, seed: 3, targets });
    while (!ev.done)
      for (const s of ev.next())
        ev.answer(
          s.target,
          Array.from(s.examples, (j) => rowOf(HELD[s.target] as number)[j] as number),
        );
    const modes = new Set<string>();
    targets.forEach((_, t) => {
      const d = ev.design(t);
      modes.add(d.mode as string);
      expect(ev.describeMode(t)).toMatch(
        d.mode === "beyond" ? /^beyond: .*a stratified sample$/ : /^within the sources' range$/,
      );
      // the estimate's flag, the design's G-set flag and the mode it ended in (the plain form is checked by hand below)
      const est = ev.estimate(t);
      expect(ev.estimateRangeNote(t)).toBe(internals.estimateRangeNote(est.outOfRange, d.outOfRange, est.mode));
      if (est.outOfRange === null) expect(ev.estimateRangeNote(t)).toBeNull();
    });
    expect(modes.size).toBeGreaterThan(1);
    const faithful = createEvaluation(SOURCES, { method: "tailored", budget: 30, seed: 3 });
    while (!faithful.done)
      for (const s of faithful.next())
        faithful.answer(
          0,
          Array.from(s.examples, (j) => rowOf(5)[j] as number),
        );
    expect(faithful.describeMode()).toBeNull();
    // a model that answers everything right, against the weaker two thirds of the models: above
    // every source on the G-set, so beyond, and its note says the interval is design-based
    const weak = CorrectnessMatrix.from(ROWS.slice(0, 40));
    const top = createEvaluation(weak, { budget: 30, seed: 3 });
    while (!top.done)
      for (const s of top.next())
        top.answer(
          0,
          Array.from(s.examples, () => 1),
        );
    expect([top.design().mode, top.design().outOfRange, top.estimate().outOfRange]).toEqual([
      "beyond",
      "above",
      "above",
    ]);
    expect(top.estimateRangeNote()).toMatch(
      /^its G-set score is above every source's, .* the interval is design-based$/,
    );
  });
  test("the plain forms: every case by hand", () => {
    expect(internals.describeMode(undefined)).toBeNull();
    expect(internals.describeMode("look")).toBeNull();
    expect(internals.estimateRangeNote(null, "above", "beyond")).toBeNull();
    expect(internals.estimateRangeNote("above", "above", "beyond")).toBe(
      "its G-set score is above every source's, so the sources say little about it; the estimate rests on its own answers (a stratified random sample) and the interval is design-based",
    );
    expect(internals.estimateRangeNote("below", "below", "within")).toBe(
      "its G-set score is below every source's, so the sources say little about it; the interval's lower end is widened to what its own answers and the sources' shift on its coreset allow",
    );
    expect(internals.estimateRangeNote("above", null, "within")).toBe(
      "its score on its coreset is at the top of the sources' there, so the interval's upper end is widened to what its own answers and the sources' shift on those examples allow",
    );
  });
});

describe("reasonLabel", () => {
  test("every reason the held-out models are asked for has a label of its own and a sentence", () => {
    const seen = new Set<string>();
    for (const m of HELD) {
      for (const options of [{ budget: 30 }, { budget: 30, precision: 0.04, maxBudget: 200 }]) {
        let ev = createEvaluation(SOURCES, { ...options, seed: m });
        while (!ev.done) {
          for (const step of ev.next()) {
            seen.add(step.reason);
            expect(step.why.length).toBeGreaterThan(20);
            ev.answer(
              step.target,
              Array.from(step.examples, (j) => rowOf(m)[j] as number),
            );
          }
          ev = restoreEvaluation(SOURCES, JSON.parse(JSON.stringify(ev.toJSON())));
        }
      }
    }
    // the fixture reaches the G-set, a second look, both designs and precision rounds
    expect([...seen].sort()).toEqual(expect.arrayContaining(["gset", "look", "precision"]));
    for (const r of seen) {
      expect(reasonLabel(r)).not.toBe(r);
      expect(reasonLabel(r).length).toBeGreaterThan(3);
    }
    expect(reasonLabel("something new")).toBe("something new");
  });
});

describe("reasonPhase", () => {
  test("the phases of a run come in the order probe, (look), design, (precision), never back", () => {
    const ORDER = ["probe", "look", "design", "precision"];
    const phases = new Set<string>();
    for (const m of HELD) {
      for (const options of [{ budget: 30 }, { budget: 30, precision: 0.04, maxBudget: 200 }]) {
        const ev = createEvaluation(SOURCES, { ...options, seed: m });
        let last = -1;
        let designs = 0;
        while (!ev.done) {
          for (const step of ev.next()) {
            const p = step.phase;
            expect(p).toBe(reasonPhase(step.reason));
            phases.add(p);
            const at = ORDER.indexOf(p);
            // precision rounds repeat; every other phase comes once, after the ones before it
            expect(at > last || (p === "precision" && last === at)).toBe(true);
            if (p === "design") designs++;
            last = at;
            ev.answer(
              step.target,
              Array.from(step.examples, (j) => rowOf(m)[j] as number),
            );
          }
        }
        expect(designs).toBeLessThanOrEqual(1);
      }
    }
    expect([...phases].sort()).toEqual(["design", "look", "precision", "probe"]);
    expect(reasonPhase("look-strata")).toBe("design");
    expect(() => reasonPhase("something new")).toThrow(/reasonPhase: unknown reason "something new"/);
  });
});

describe("the root export is what a user composes with", () => {
  test("at most 25 runtime names; the building blocks are in internals", () => {
    expect(Object.keys(root).length).toBeLessThanOrEqual(25);
    for (const name of [
      "plusWithin",
      "plusBeyond",
      "afterSecondLook",
      "stratifiedDesign",
      "TailoredRun",
      "buildNSet",
    ]) {
      expect(name in root).toBe(false);
      expect(name in internals).toBe(true);
    }
  });
  test("drive() over an evaluation's run equals the method's run", () => {
    const ev = createEvaluation(SOURCES, { budget: 20, targets: ["a"] });
    const r = drive(ev.run, [createOracle(rowOf(20), 20)]);
    expect(r.estimates[0]).toBe(ev.run.estimateOf(0).accuracy);
  });
});
