/** The page's pure helpers, in Node: each against hand-computed facts or an independent implementation. */
import { createHash } from "node:crypto";
import { sha256Hex, TbError } from "@tb/core";
import { describePlan as planWording } from "@tb/estimate/internals";
import { syntheticPopulation } from "@tb/experiment";
import { formatCorrectnessCsv, lmEvalV03Permutation } from "@tb/io/browser";
import { describe, expect, test } from "vitest";
import { docKeys, readAnswers } from "../src/answers.js";
import { inFields, loadSourceCsv } from "../src/evaluate.js";
import { withHoverTitles } from "../src/hover.js";
import { duration, secondsLeft } from "../src/progress.js";
import { csvShape } from "../src/shape.js";
import { runStudy, studyInFields } from "../src/study.js";
import { fixture } from "./fixture.js";

describe("sha256Hex", () => {
  test("equals node:crypto's on the empty input, a block boundary and a long text", () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 100_003]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);
      expect(sha256Hex(bytes)).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
    // the FIPS 180-2 example
    expect(sha256Hex(new TextEncoder().encode("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("secondsLeft", () => {
  test("each method's own time per trial; a method not started takes the mean of the trials done", () => {
    const plan = { methods: ["slow", "fast"], budgets: [10, 20], trials: 2 };
    // done: slow@10 ×2 (4 s, 6 s), slow@20 ×1 (10 s)
    const done = [
      { method: "slow", budget: 10, seconds: 4 },
      { method: "slow", budget: 10, seconds: 6 },
      { method: "slow", budget: 20, seconds: 10 },
    ];
    // left: slow@20 once more (10 s) + fast: 4 trials at the mean of all done, (4+6+10)/3 = 20/3
    expect(secondsLeft(plan, done)).toBeCloseTo(10 + 4 * (20 / 3), 10);
    // one fast trial known (0.5 s): the remaining three fast trials cost 0.5 s each
    const more = [...done, { method: "slow", budget: 20, seconds: 10 }, { method: "fast", budget: 10, seconds: 0.5 }];
    expect(secondsLeft(plan, more)).toBeCloseTo(1.5, 10);
    expect(secondsLeft(plan, [])).toBeNaN();
    expect(duration(125)).toBe("2 min 05 s");
  });
});

describe("csvShape", () => {
  test("models are rows, examples columns; more models than examples and example-like row names are flagged", () => {
    const ok = csvShape("model,a,b,c\nm1,1,0,1\nm2,0,0,1\n");
    expect(ok).toMatchObject({ models: 2, examples: 3, firstCell: "model", moreModelsThanExamples: false });
    // a transposed matrix: rows are examples 0..3, columns the models
    const t = csvShape("model,gpt-x,llama-y\n0,1,0\n1,0,1\n2,1,1\n3,0,0\n");
    expect(t).toMatchObject({ models: 4, examples: 2, moreModelsThanExamples: true, rowsLookLikeExamples: true });
    expect(csvShape("\uFEFFmodel,1,2\r\nm,1,0\r\n").examples).toBe(2);
  });
  test("column ids with commas inside quotes count once (a 4 × 3 matrix is not 4 × 5, and asks for the confirmation)", () => {
    const text = 'model,"q,1","q,2","say ""hi"", q3"\nm1,1,0,1\nm2,0,0,1\nm3,1,1,1\nm4,0,1,0\n';
    expect(csvShape(text)).toMatchObject({ models: 4, examples: 3, moreModelsThanExamples: true });
  });
});

describe("withHoverTitles", () => {
  test("each labelled mark gets a <title> with its label; other elements are untouched", () => {
    const svg =
      '<svg><path aria-label="N: 20; MAE: 0.03; method: A" role="graphics-symbol" aria-roledescription="point" d="M0"/><path d="M1"/></svg>';
    expect(withHoverTitles(svg)).toBe(
      '<svg><path aria-label="N: 20; MAE: 0.03; method: A" role="graphics-symbol" aria-roledescription="point" d="M0"><title>N: 20; MAE: 0.03; method: A</title></path><path d="M1"/></svg>',
    );
  });
});

describe("planWording", () => {
  test("beyond without being out of range is not called 'beyond the sources' range'", () => {
    const w = planWording({ mode: "beyond", outOfRange: null, nativeSources: 0, fallback: "none" });
    expect(w).not.toMatch(/beyond the sources' range/);
    expect(w).toMatch(/at the top of the sources/);
    expect(w).toMatch(/stratified/);
    expect(planWording({ mode: "beyond", outOfRange: "above", nativeSources: 0, fallback: "none" })).toMatch(
      /above every source model/,
    );
    expect(planWording({ mode: "within", outOfRange: null, nativeSources: 7, fallback: "none" })).toMatch(
      /^within: .*7 native sources/,
    );
  });
});

describe("a synthetic population too large for the page", () => {
  test("is refused before any allocation, naming the fields", async () => {
    await expect(
      runStudy({
        data: { kind: "synthetic", seed: 0, models: 120, examples: 2e9 },
        methods: ["random"],
        budgets: [20],
        trials: 1,
        seed: 0,
        split: "random",
      }),
    ).rejects.toThrow(/synthetic population: models × examples = 120 × 2000000000/);
  });
});

describe("readAnswers: files keyed by the matrix's ids or by lm-eval doc ids", () => {
  test("ids <task>/<doc>: a CSV keyed by plain doc ids is detected and mapped", () => {
    const fx = fixture("median");
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    const needed = [3, 10, 42];
    const ids = needed.map((j) => sources.exampleIds[j] as string);
    const byCols = readAnswers(sources, fx.answersCsv(ids), "g.csv", needed, { docOrder: "identity" });
    expect(byCols.keyedBy).toBe("the matrix's example ids");
    // the same answers keyed by the doc index alone ("toy/42" → "42")
    const plain = fx.answersCsv(ids).replace(/toy\//g, "");
    const byDocs = readAnswers(sources, plain, "g.csv", needed, { docOrder: "identity" });
    expect(byDocs.keyedBy).toBe("lm-eval doc ids");
    expect(byDocs.note).toMatch(/keyed by lm-eval doc ids \(detected\); 3 of the 3/);
    expect([...byDocs.answers]).toEqual([...byCols.answers]);
    // unknown doc order: no second reading, the parser's message
    expect(() => readAnswers(sources, plain, "g.csv", needed, {})).toThrow(/unknown example id "3"/);
  });

  test("a matrix in lm-eval v0.3's visit order: doc ids are mapped through the permutation", () => {
    const m = syntheticPopulation({ models: 12, examples: 40, seed: 2 });
    const csv = formatCorrectnessCsv(m).replace(/\bx(\d+)\b/g, "$1"); // column ids 0..39
    const sources = loadSourceCsv(csv, "correctness.csv");
    const perm = lmEvalV03Permutation(40);
    expect(docKeys(sources, "lm-eval-v0.3")).toEqual(perm.map(String));
    const needed = [0, 5, 17, 33];
    const truth = [1, 0, 1, 1];
    // keyed by the docs of the needed columns (doc perm[k] answers column k)
    const docsCsv = `example,correct\n${needed.map((k, i) => `${perm[k]},${truth[i]}`).join("\n")}\n`;
    const r = readAnswers(sources, docsCsv, "g.csv", needed, { docOrder: "lm-eval-v0.3" });
    expect(r.keyedBy).toBe("lm-eval doc ids");
    expect(needed.map((k) => r.answers.get(k))).toEqual(truth);
    // keyed by the columns themselves
    const colsCsv = `example,correct\n${needed.map((k, i) => `${k},${truth[i]}`).join("\n")}\n`;
    const c = readAnswers(sources, colsCsv, "g.csv", needed, { docOrder: "lm-eval-v0.3" });
    expect(c.keyedBy).toBe("the matrix's example ids");
    expect(needed.map((k) => c.answers.get(k))).toEqual(truth);
    // a file answering every example: both readings cover; they disagree, so the page asks
    const all = `example,correct\n${Array.from({ length: 40 }, (_, k) => `${k},${k % 3 === 0 ? 1 : 0}`).join("\n")}\n`;
    expect(() => readAnswers(sources, all, "all.csv", needed, { docOrder: "lm-eval-v0.3" })).toThrow(
      /say which under “answers keyed by”/,
    );
    const forced = readAnswers(sources, all, "all.csv", needed, { docOrder: "lm-eval-v0.3", keys: "docs" });
    expect(needed.map((k) => forced.answers.get(k))).toEqual(
      needed.map((k) => ((perm[k] as number) % 3 === 0 ? 1 : 0)),
    );
  });
});

describe("the study's errors in the form's labels", () => {
  const study = (over: object) =>
    runStudy({
      data: { kind: "synthetic", seed: 0, models: 40, examples: 60 },
      methods: ["random"],
      budgets: [20],
      trials: 1,
      seed: 0,
      split: "random",
      ...over,
    });
  test("an option none of the chosen methods reads is named by its field", async () => {
    await expect(study({ level: 0.8 })).rejects.toThrow(
      /^“interval level” is read by none of the methods ticked \(random\): leave it empty, or tick a method that reads it/,
    );
    expect((studyInFields(new TbError("E_USAGE", "budgets: 20 is given twice")) as Error).message).toBe(
      "budgets: 20 is given twice",
    );
  });
  test("the level at its default and a G-set size no method ticked reads: refused, not dropped (the form's default G-set is left out)", async () => {
    // 0.9 is tailored-plus's default: reproduce would let it through; typed on the form, it is said
    await expect(study({ level: 0.9 })).rejects.toThrow(
      /^“interval level” is read by none of the methods ticked \(random\)/,
    );
    await expect(study({ gset: 25 })).rejects.toThrow(
      /^“G-set size” is read by none of the methods ticked \(random\): set it back to 10, or tick a method that reads it/,
    );
    // the form always fills the G-set size: at its default it is left out of a study that draws none
    const r = await study({ gset: 10 });
    expect(r.report.config).not.toHaveProperty("gset");
  });
  test("a split too small for the data names the page's setting, not a fraction the form does not have", async () => {
    await expect(study({ data: { kind: "synthetic", seed: 0, models: 3, examples: 60 } })).rejects.toThrow(
      /^the data's 3 models are too few for setting “random”/,
    );
  });
});

describe("readAnswers: lm-eval samples are keyed by doc_id", () => {
  test("“the matrix's example ids” as keys is refused for them, not ignored", () => {
    const sources = syntheticPopulation({ models: 6, examples: 12, seed: 1 });
    const text = '{"doc_id": 0, "acc": 1}\n{"doc_id": 1, "acc": 0}\n';
    expect(() =>
      readAnswers(sources, text, "samples_toy_2024-01-01T00-00-00.jsonl", [0, 1], {
        docOrder: "identity",
        keys: "columns",
      }),
    ).toThrow(
      /holds lm-eval samples, keyed by doc_id: “answers keyed by” “the matrix's example ids” does not apply to them/,
    );
  });
});

describe("inFields", () => {
  test("a library function's name is dropped even when the message names no field", () => {
    const e = inFields(new TbError("E_INPUT", "createEvaluation: need at least 3 source models, got 2")) as TbError;
    expect(e.message).toBe("need at least 3 source models, got 2");
    expect(e.code).toBe("E_INPUT");
    const other = new TbError("E_USAGE", "budgets: 20 is given twice");
    expect(inFields(other)).toBe(other);
  });
});
