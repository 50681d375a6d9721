import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { importLmEval } from "./lm-eval-import.js";
import { catchTb, tempDir } from "./test-utils.js";

const { dir: root, cleanup } = tempDir("tb-import-");
afterAll(cleanup);

/** One lm-eval samples line; gsm8k-style: logged once per filter. */
function sample(doc: number, filter: string, value: number): string {
  return JSON.stringify({
    doc_id: doc,
    doc: { question: `q${doc}` },
    target: "1",
    resps: [["x"]],
    filtered_resps: ["x"],
    filter,
    metrics: ["exact_match"],
    exact_match: value,
  });
}

/** Write one model's folder with the given tasks: task → doc → [strict, flexible]. */
function model(base: string, name: string, tasks: Record<string, Record<number, [number, number]>>): string {
  const d = join(base, name);
  mkdirSync(d, { recursive: true });
  for (const [task, docs] of Object.entries(tasks)) {
    const lines: string[] = [];
    for (const [doc, [s, f]] of Object.entries(docs)) {
      lines.push(sample(Number(doc), "strict-match", s), sample(Number(doc), "flexible-extract", f));
    }
    writeFileSync(join(d, `samples_${task}_2024-06-01T10-00-00.123456.jsonl`), `${lines.join("\n")}\n`);
  }
  return d;
}

describe("importLmEval: a source matrix from lm-eval --log_samples folders (docs/DESIGN.md §3.1)", () => {
  const out = join(root, "out");
  model(out, "org__model-a", { gsm8k: { 2: [1, 1], 0: [0, 1], 1: [1, 0] } });
  model(out, "org__model-b", { gsm8k: { 0: [1, 1], 1: [0, 0], 2: [0, 1] } });

  test("an output folder of model folders; ids are doc ids; the filter chooses", () => {
    const { matrix, tasks, models } = importLmEval([out], { filter: "strict-match" });
    expect(tasks).toEqual(["gsm8k"]);
    expect(models.map((m) => m.id)).toEqual(["org__model-a", "org__model-b"]);
    expect(matrix.exampleIds).toEqual(["0", "1", "2"]);
    expect(Array.from(matrix.row(0))).toEqual([0, 1, 1]);
    expect(Array.from(matrix.row(1))).toEqual([1, 0, 0]);
    expect(matrix.kind).toBe("binary");
    const flex = importLmEval([out], { filter: "flexible-extract", metric: "exact_match" }).matrix;
    expect(Array.from(flex.row(0))).toEqual([1, 0, 1]);
  });
  test("a path to one samples file, relative or absolute, is that file's model (its folder)", () => {
    const file = join(out, "org__model-a", "samples_gsm8k_2024-06-01T10-00-00.123456.jsonl");
    const rel = relative(process.cwd(), file);
    expect(isAbsolute(rel)).toBe(false);
    for (const p of [rel, file]) {
      const r = importLmEval([p], { filter: "strict-match" });
      expect(r.models.map((m) => m.id)).toEqual(["org__model-a"]);
      expect(Array.from(r.matrix.row(0))).toEqual([0, 1, 1]);
    }
  });
  test("a model folder without samples (run without --log_samples) is named in a note, not dropped silently", () => {
    const out2 = join(root, "out-skipped");
    model(out2, "org__model-a", { gsm8k: { 0: [1, 1], 1: [0, 1] } });
    model(out2, "org__model-b", { gsm8k: { 0: [0, 1], 1: [1, 0] } });
    mkdirSync(join(out2, "org__model-c"));
    writeFileSync(join(out2, "org__model-c", "results_2024-06-01T10-00-00.123456.json"), "{}");
    const r = importLmEval([out2], { filter: "strict-match" });
    expect(r.models.map((m) => m.id)).toEqual(["org__model-a", "org__model-b"]);
    expect(r.notes).toContainEqual(
      `ignored ${join(out2, "org__model-c")}: no samples_<task>_<date>.jsonl in it (was lm_eval run with --log_samples? compressed samples are not read)`,
    );
  });

  test("a metric named like an inherited member is absent, not a crash; a NaN metric is said to be one", () => {
    const d = join(root, "odd-metric", "org__m");
    mkdirSync(d, { recursive: true });
    const line = (doc: number, v: string) => `{"doc_id": ${doc}, "filter": "none", "metrics": ["acc"], "acc": ${v}}`;
    writeFileSync(join(d, "samples_rte_2024-06-01T10-00-00.123456.jsonl"), `${line(0, "1")}\n${line(1, "0")}\n`);
    expect(catchTb(() => importLmEval([d], { metric: "toString" })).message).toMatch(/has no metric "?toString"?/);
    writeFileSync(join(d, "samples_rte_2024-06-01T10-00-00.123456.jsonl"), `${line(0, "1")}\n${line(1, "NaN")}\n`);
    expect(catchTb(() => importLmEval([d], { metric: "acc" })).message).toMatch(
      /found null, or NaN\/Infinity written by Python/,
    );
  });

  test("samples files given one by one are grouped by their folder", () => {
    const files = ["org__model-a", "org__model-b"].map((m) => {
      const d = join(out, m);
      return join(d, readdirSync(d)[0] as string);
    });
    const { matrix } = importLmEval(files, { filter: "strict-match" });
    expect(matrix.modelIds).toEqual(["org__model-a", "org__model-b"]);
    expect(importLmEval([...files, files[0] as string], { filter: "strict-match" }).matrix.rows).toBe(2);
  });
  test("model folders given one by one, group tasks → <task>/<doc_id> columns by task then doc", () => {
    const g = join(root, "group");
    const a = model(g, "m1", { mmlu_b: { 1: [1, 1], 0: [0, 0] }, mmlu_a: { 5: [1, 1] } });
    const b = model(g, "m2", { mmlu_a: { 5: [0, 0] }, mmlu_b: { 0: [1, 1], 1: [1, 1] } });
    const { matrix, tasks } = importLmEval([a, b], { filter: "strict-match", name: "mmlu" });
    expect(tasks).toEqual(["mmlu_a", "mmlu_b"]);
    expect(matrix.exampleIds).toEqual(["mmlu_a/5", "mmlu_b/0", "mmlu_b/1"]);
    expect(Array.from(matrix.row(0))).toEqual([1, 0, 1]);
    expect(matrix.name).toBe("mmlu");
  });
  test.each([
    ["several filters, none chosen", () => importLmEval([out]), /several filters/],
    ["a folder that does not exist", () => importLmEval([join(root, "nope")]), /not found/],
    [
      "a folder without samples",
      () => {
        mkdirSync(join(root, "empty"), { recursive: true });
        return importLmEval([join(root, "empty")]);
      },
      /no lm-eval samples files/,
    ],
    [
      "a model run with --limit (missing docs)",
      () => {
        const d = join(root, "limit");
        model(d, "full", { gsm8k: { 0: [1, 1], 1: [1, 1], 2: [0, 0] } });
        model(d, "short", { gsm8k: { 0: [1, 1], 1: [1, 1] } });
        return importLmEval([d], { filter: "strict-match" });
      },
      /model "short" lacks doc_id 2/,
    ],
    [
      "a model without one of the tasks",
      () => {
        const d = join(root, "tasks");
        model(d, "a", { t1: { 0: [1, 1] }, t2: { 0: [1, 1] } });
        model(d, "b", { t1: { 0: [1, 1] } });
        return importLmEval([d], { filter: "strict-match" });
      },
      /has no samples for task "t2"/,
    ],
    [
      "two runs of one task in a folder",
      () => {
        const d = model(join(root, "twice"), "m", { gsm8k: { 0: [1, 1] } });
        writeFileSync(join(d, "samples_gsm8k_2024-07-01T10-00-00.jsonl"), `${sample(0, "strict-match", 1)}\n`);
        return importLmEval([d], { filter: "strict-match" });
      },
      /two samples files for task "gsm8k"/,
    ],
    [
      "two model folders with the same name",
      () => {
        const a = model(join(root, "x"), "same", { gsm8k: { 0: [1, 1] } });
        const b = model(join(root, "y"), "same", { gsm8k: { 0: [1, 1] } });
        return importLmEval([a, b], { filter: "strict-match" });
      },
      /both named "same"/,
    ],
    [
      "a malformed samples line (located by the samples reader)",
      () => {
        const d = model(join(root, "bad"), "m", { gsm8k: { 0: [1, 1] } });
        writeFileSync(
          join(d, "samples_gsm8k_2024-06-01T10-00-00.123456.jsonl"),
          `${sample(0, "strict-match", 1)}\n{oops\n`,
        );
        return importLmEval([d], { filter: "strict-match" });
      },
      /not a JSON sample.*samples_gsm8k_2024-06-01T10-00-00\.123456\.jsonl:2/,
    ],
  ])("%s → a TbError naming the place", (_name, fn, re) => {
    const err = catchTb(fn);
    expect(["E_INPUT", "E_USAGE"]).toContain(err.code);
    expect(err.message).toMatch(re);
  });
});
