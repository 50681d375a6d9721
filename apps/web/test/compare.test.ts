/**
 * "Compare two models" in the page = the library's `compare()` / `createComparison` with the same
 * source matrix, options and answers; checked against facts computed here from the held-out rows
 * (the difference of the two accuracies, the disagreements on the shared examples).
 */
import { TbError } from "@tb/core";
import { compare, createComparison, restoreComparison } from "@tb/estimate";
import { syntheticPopulation } from "@tb/experiment";
import { formatCorrectnessCsv } from "@tb/io";
import { describe, expect, test } from "vitest";
import { readAnswers } from "../src/answers.js";
import { answerCompareStep, type CompareSettings, DEFAULT_COMPARE, designStep } from "../src/compare.js";
import { loadSourceCsv } from "../src/evaluate.js";
import { compareExample } from "../src/example.js";

/** Sources with lm-eval-style ids `toy/<doc>`, and two held-out models A and B (the 25th and 22nd of 43). */
function pair() {
  const full = syntheticPopulation({ models: 43, examples: 90, seed: 11 });
  const acc = full.trueScores();
  const order = Array.from(acc.keys()).sort((x, y) => (acc[x] as number) - (acc[y] as number));
  const held = [order[25] as number, order[22] as number];
  const keep = Int32Array.from(order.filter((r) => !held.includes(r)).sort((x, y) => x - y));
  const sourcesCsv = formatCorrectnessCsv(full.selectRows(keep, "toy")).replace(/\bx(\d+)\b/g, "toy/$1");
  const rows = held.map((t) => full.row(t));
  const doc = (id: string) => Number(id.split("/")[1]);
  /** Model t's answers to `ids`, in order (what compare()'s asks return). */
  const answers = (t: 0 | 1, ids: readonly string[]) => ids.map((id) => (rows[t] as Float64Array)[doc(id)] as number);
  /** As a CSV keyed by the matrix's ids, or (`byDoc`) by the lm-eval doc index alone. */
  const csv = (t: 0 | 1, ids: readonly string[], byDoc = false) =>
    `example,correct\n${ids.map((id) => `${byDoc ? doc(id) : id},${(rows[t] as Float64Array)[doc(id)]}`).join("\n")}\n`;
  return { sourcesCsv, answers, csv };
}

const S: CompareSettings = { ...DEFAULT_COMPARE, names: ["mine", "theirs"], budget: 24, seed: 5, docOrder: "identity" };

describe("compare in the browser = the library's compare() and createComparison", () => {
  for (const design of ["stratified", "random"] as const) {
    test(`${design} design: the same shared examples and the same difference, interval, P(A better) and ranks`, async () => {
      const p = pair();
      const s: CompareSettings = { ...S, design };
      const sources = loadSourceCsv(p.sourcesCsv, "correctness.csv");

      // the page's steps, on the files' text
      const d = designStep(sources, s);
      const read = (t: 0 | 1) =>
        readAnswers(sources, p.csv(t, d.ids), `${t}.csv`, Array.from(d.examples), { docOrder: s.docOrder }).answers;
      const page = answerCompareStep(sources, d, [read(0), read(1)], s);

      // the library, with the same options and answers
      const o = { budget: 24, seed: 5, level: 0.9, design, names: ["mine", "theirs"] };
      const lib = await compare(
        sources,
        (ids) => p.answers(0, ids),
        (ids) => p.answers(1, ids),
        o,
      );
      const cmp = createComparison(sources, o);
      expect(d.ids).toEqual(cmp.examples);
      expect(d.ids).toHaveLength(24);
      expect(new Set(d.ids).size).toBe(24);
      expect(page.result).toEqual(lib);

      // independent facts: the difference is A's accuracy minus B's; disagreements counted here
      const a = p.answers(0, d.ids);
      const b = p.answers(1, d.ids);
      expect(page.result.difference).toBeCloseTo(page.result.a.accuracy - page.result.b.accuracy, 12);
      expect(page.result.disagreements).toBe(a.filter((v, k) => v !== b[k]).length);
      expect(page.result.asked).toEqual(d.ids);
      expect(page.result.interval[0]).toBeLessThanOrEqual(page.result.difference);
      expect(page.result.interval[1]).toBeGreaterThanOrEqual(page.result.difference);
      if (design === "random") {
        // a uniform sample: each accuracy is the plain mean of the model's answers
        expect(page.result.a.accuracy).toBeCloseTo(a.reduce((x, y) => x + y, 0) / 24, 12);
        expect(page.result.b.accuracy).toBeCloseTo(b.reduce((x, y) => x + y, 0) / 24, 12);
      }

      // the saved comparison (the page's JSON download) resumes to the same result
      expect(restoreComparison(sources, page.saved).difference()).toEqual(lib);
      expect(page.saved.answers).toEqual([a, b]);
    });
  }

  test("answers keyed by lm-eval doc ids are read as such; the lm-eval samples JSON names the shared docs", () => {
    const p = pair();
    const sources = loadSourceCsv(p.sourcesCsv, "correctness.csv");
    const d = designStep(sources, S);
    expect(d.samples).toEqual({ toy: d.ids.map((id) => Number(id.slice(4))).sort((x, y) => x - y) });
    const needed = Array.from(d.examples);
    const ra = readAnswers(sources, p.csv(0, d.ids, true), "a.csv", needed, { docOrder: "identity" });
    const rb = readAnswers(sources, p.csv(1, d.ids), "b.csv", needed, { docOrder: "identity" });
    expect(ra.keyedBy).toBe("lm-eval doc ids");
    expect(rb.keyedBy).toBe("the matrix's example ids");
    const byIds = answerCompareStep(
      sources,
      d,
      [readAnswers(sources, p.csv(0, d.ids), "a.csv", needed, { docOrder: "identity" }).answers, rb.answers],
      S,
    );
    expect(answerCompareStep(sources, d, [ra.answers, rb.answers], S).result).toEqual(byIds.result);
    // the lm-eval metric and filter fields with a CSV (one value per example) are refused, not ignored
    expect(() =>
      readAnswers(sources, p.csv(1, d.ids), "b.csv", needed, {
        docOrder: "identity",
        lmEval: { metric: "acc", filter: "none" },
      }),
    ).toThrow(
      /^b\.csv is csv, one value per example: the lm-eval metric, filter apply to lm-eval samples only — leave them empty/,
    );
    // step 1's task (what the samples JSON is made for) is not an answers field: accepted with a CSV
    expect(
      readAnswers(sources, p.csv(1, d.ids), "b.csv", needed, { docOrder: "identity", lmEval: { task: "toy" } }).keyedBy,
    ).toBe("the matrix's example ids");
  });

  test("a setting changed after step 1 is refused, naming it; a missing answer names the model and the example", () => {
    const p = pair();
    const sources = loadSourceCsv(p.sourcesCsv, "correctness.csv");
    const d = designStep(sources, S);
    const needed = Array.from(d.examples);
    const full = (t: 0 | 1) => readAnswers(sources, p.csv(t, d.ids), `${t}.csv`, needed).answers;
    expect(() => answerCompareStep(sources, d, [full(0), full(1)], { ...S, budget: 30 })).toThrow(
      /settings changed since the shared examples were computed \(budget N\)/,
    );
    expect(() => answerCompareStep(sources, d, [full(0), full(1)], { ...S, names: ["mine", "other"] })).toThrow(
      /\(names of A and B\)/,
    );
    const partial = readAnswers(sources, p.csv(1, d.ids.slice(1)), "b.csv", needed).answers;
    expect(() => answerCompareStep(sources, d, [full(0), partial], S)).toThrow(
      `the answers of B (theirs) do not cover the shared examples: 23 of the 24 examples needed are answered; missing "${d.ids[0]}"`,
    );
  });

  test("the library's errors name the page's fields, not option names or the function", () => {
    const sources = loadSourceCsv(pair().sourcesCsv, "correctness.csv");
    const err = (s: CompareSettings): TbError => {
      try {
        designStep(sources, s);
      } catch (e) {
        if (e instanceof TbError) return e;
        throw e;
      }
      throw new Error("no error");
    };
    // a budget above the matrix's 90 examples: the library's message, in the page's field
    expect(err({ ...S, budget: 91 }).message).toBe(
      "budget N must be an integer of at least 12 (the G-set and two draws) and at most the 90 examples, got 91",
    );
    expect(err({ ...S, budget: 91, design: "random" }).message).toMatch(/^budget N must be an integer of at least 2 /);
    expect(err({ ...S, names: ["same", "same"] }).message).toBe(
      'names of A and B must be two distinct non-empty names, got ["same","same"]',
    );
  });

  test("budget N left empty: the library's default for the matrix, and the comparison says which", () => {
    // a benchmark smaller than the library's default budget: the page must not need its field changed
    for (const examples of [25, 90]) {
      const sources = loadSourceCsv(
        formatCorrectnessCsv(syntheticPopulation({ models: 20, examples, seed: 5 })),
        "small.csv",
      );
      expect(DEFAULT_COMPARE.budget).toBeUndefined();
      const d = designStep(sources, DEFAULT_COMPARE);
      // the value is the library's own (createComparison with no budget), not a rule of the page
      expect(d.budget).toBe(createComparison(sources, {}).budget);
      expect(d.ids).toHaveLength(d.budget);
      expect(designStep(sources, { ...DEFAULT_COMPARE, budget: 20 }).budget).toBe(20);
    }
  });

  test("the one-click example: two held-out models of the example matrix, its sources without them", () => {
    const ex = compareExample();
    const full = syntheticPopulation({ seed: 0, models: 80, examples: 300 });
    const acc = full.trueScores();
    const order = Array.from(acc.keys()).sort((x, y) => (acc[x] as number) - (acc[y] as number));
    expect(ex.models.map((m) => m.id)).toEqual([
      full.modelIds[order[48] as number],
      full.modelIds[order[36] as number],
    ]);
    expect(ex.models.map((m) => m.truth)).toEqual([acc[order[48] as number], acc[order[36] as number]]);
    const sources = loadSourceCsv(ex.sourcesCsv, ex.fileName);
    expect(sources.rows).toBe(78);
    expect(sources.modelIds).not.toContain(ex.models[0].id);
    expect(sources.modelIds).not.toContain(ex.models[1].id);
  });
});
