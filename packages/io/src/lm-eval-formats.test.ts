/**
 * Every lm-eval --log_samples layout since 0.4.0, as written by
 * __fixtures__/lm-eval/make_lm_eval_fixtures.py (which imitates each harness version's writer):
 * the import must give the harness's own aggregate (the mean of the per-sample metric per task and
 * filter, as its results file reports it) for every model, task and filter.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { importLmEval } from "./lm-eval-import.js";
import { parsePythonJson, readSamplesTable } from "./lm-eval-samples.js";
import { parseResponses } from "./responses.js";
import { readResponses } from "./responses-file.js";
import { catchTb, tempDir } from "./test-utils.js";

const OUT = join(import.meta.dirname, "__fixtures__/lm-eval/out");
const expected = JSON.parse(readFileSync(join(OUT, "expected.json"), "utf8")) as Record<
  string,
  Record<string, Record<string, number>>
>;
const VERSIONS = ["v0.4.0", "main-2024-05", "main-2024-06", "v0.4.3", "v0.4.9"] as const;
const TASKS = ["boolq", "gsm8k", "hellaswag", "tom_belief", "tom_intention"];
const { dir: tmp, cleanup } = tempDir("tb-lmeval-formats-");
afterAll(cleanup);

/** Mean of the matrix's columns of one task for one row. */
function taskMean(m: ReturnType<typeof importLmEval>["matrix"], row: number, task: string): number {
  let s = 0;
  let n = 0;
  m.exampleIds.forEach((id, j) => {
    if (id.startsWith(`${task}/`)) {
      s += m.row(row)[j] as number;
      n++;
    }
  });
  return s / n;
}

describe.each(VERSIONS)("lm-eval layout %s", (version) => {
  const dir = join(OUT, version);
  test("imports with the harness's aggregates (both gsm8k filters; metric per task)", () => {
    for (const filter of ["strict-match", "flexible-extract"]) {
      const r = importLmEval([dir], { filter: `gsm8k=${filter}`, metric: "hellaswag=acc_norm" });
      expect(r.tasks).toEqual(TASKS);
      expect(r.models.map((m) => m.id)).toEqual(["org__model-a", "org__model-b", "org__model-c"]);
      expect(r.matrix.cols).toBe(7 + 5 + 6 + 4 + 3);
      expect(r.read.get("tom_belief")).toEqual({ metric: "acc", filter: "none" });
      expect(r.read.get("tom_intention")).toEqual({ metric: "exact_match", filter: "none" });
      expect(r.read.get("gsm8k")).toEqual({ metric: "exact_match", filter });
      r.models.forEach((m, i) => {
        const want = expected[m.id] as Record<string, Record<string, number>>;
        const key: Record<string, string> = {
          boolq: "acc,none",
          gsm8k: `exact_match,${filter}`,
          hellaswag: "acc_norm,none",
          tom_belief: "acc,none",
          tom_intention: "exact_match,none",
        };
        for (const t of TASKS) {
          expect(taskMean(r.matrix, i, t), `${version} ${m.id} ${t}`).toBeCloseTo(
            (want[t] as Record<string, number>)[key[t] as string] as number,
            12,
          );
        }
      });
    }
  });
  test("ambiguities are refused naming the candidates", () => {
    const noFilter = catchTb(() => importLmEval([dir], { metric: "hellaswag=acc_norm" }));
    expect(noFilter.code).toBe("E_USAGE");
    expect(noFilter.message).toMatch(/several filters \(strict-match, flexible-extract/);
    const noMetric = catchTb(() => importLmEval([dir], { filter: "gsm8k=strict-match" }));
    expect(noMetric.code).toBe("E_USAGE");
    expect(noMetric.message).toMatch(/several per-sample metrics in \[0,1\] \(acc, acc_norm\).*hellaswag=acc/);
    const typo = catchTb(() =>
      importLmEval([dir], { filter: "gsm8k=strict-match", metric: "hellaswag=acc_norm,hellaswog=acc" }),
    );
    expect(typo.message).toMatch(/names task "hellaswog", which was not read/);
  });
  test("the same files are accepted as a target's responses (a folder, or one file)", () => {
    const { matrix } = importLmEval([dir], { filter: "gsm8k=flexible-extract", metric: "hellaswag=acc" });
    const model = join(dir, "org__model-b");
    const ans = readResponses(model, {
      exampleIds: matrix.exampleIds,
      filter: "gsm8k=flexible-extract",
      metric: "hellaswag=acc",
    });
    expect(ans.size).toBe(matrix.cols);
    for (const [j, v] of ans) expect(v).toBe(matrix.row(1)[j]);
    // one file: the task from its name (0.4.0–0.4.2: from results.json's model_args), answers under <task>/<doc_id>
    const file = readdirSync(model).find((f) => f.includes("tom_intention")) as string;
    const one = readResponses(join(model, file), { exampleIds: matrix.exampleIds });
    expect([...one.keys()].map((j) => matrix.exampleIds[j])).toEqual([
      "tom_intention/0",
      "tom_intention/1",
      "tom_intention/2",
    ]);
    for (const [j, v] of one) expect(v).toBe(matrix.row(1)[j]);
  });
});

describe("filter blocks without a filter key (lm-eval before 0.4.7)", () => {
  test("two GPUs: each rank's blocks in turn, still told apart by occurrence", () => {
    // v0.4.3's org__model-c was written by two ranks; its aggregates are checked above too
    const text = readFileSync(join(OUT, "v0.4.3/org__model-c/samples_gsm8k_2024-06-26T17-18-49.123456.jsonl"), "utf8");
    const docs = text
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { doc_id: number }).doc_id);
    expect(docs).toEqual([0, 2, 4, 6, 0, 2, 4, 6, 1, 3, 5, 1, 3, 5]);
  });
  test("without the results file the blocks are #1, #2 (selectable by position)", () => {
    const d = join(tmp, "nores");
    cpSync(join(OUT, "v0.4.3"), d, { recursive: true });
    for (const m of ["org__model-a", "org__model-b", "org__model-c"]) {
      rmSync(join(d, m, "results_2024-06-26T17-18-49.123456.json"));
    }
    const err = catchTb(() => importLmEval([d], { metric: "hellaswag=acc" }));
    expect(err.message).toMatch(/several filters \(#1, #2\), told apart by the order/);
    const byPos = importLmEval([d], { filter: "gsm8k=#2", metric: "hellaswag=acc" });
    const byName = importLmEval([join(OUT, "v0.4.3")], { filter: "gsm8k=flexible-extract", metric: "hellaswag=acc" });
    expect(Array.from(byPos.matrix.data)).toEqual(Array.from(byName.matrix.data));
    expect(byPos.read.get("gsm8k")?.filter).toBe("#2");
  });
  test("a stray .jsonl beside samples files is named in a note, not read and not silently dropped", () => {
    const d = join(tmp, "stray");
    cpSync(join(OUT, "v0.4.9"), d, { recursive: true });
    writeFileSync(join(d, "org__model-a", "notes.jsonl"), '{"x": 1}\n');
    const r = importLmEval([d], { filter: "gsm8k=strict-match", metric: "hellaswag=acc" });
    expect(r.notes).toEqual([
      expect.stringMatching(/ignored .*org__model-a\/notes\.jsonl: a \.jsonl file that is not named samples_/),
    ]);
  });
  test("0.4.0–0.4.2 naming without results.json is refused with the fix", () => {
    const d = join(tmp, "v040");
    cpSync(join(OUT, "v0.4.0/org__model-a"), join(d, "org__model-a"), { recursive: true });
    rmSync(join(d, "org__model-a", "results.json"));
    const err = catchTb(() => importLmEval([d], { filter: "gsm8k=strict-match" }));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toMatch(/<model_args>_<task>\.jsonl.*keep the results file/);
    expect(err.location?.file).toMatch(/pretrained__org__model-a,dtype__float32_boolq\.jsonl$/);
  });
});

describe("Python's non-finite floats (json.dumps writes NaN, Infinity, -Infinity)", () => {
  test("in resps they are read as null; as the metric they are refused at the line", () => {
    const text =
      '{"doc_id": 0, "resps": [[[-Infinity, false]]], "note": "NaN in a string stays", "acc": 1.0}\n' +
      '{"doc_id": 1, "resps": [[[NaN, true]]], "acc": 0.0}\n';
    const ok = readSamplesTable(text, { file: "s.jsonl" });
    expect([...ok.values]).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const bad = catchTb(() =>
      readSamplesTable('{"doc_id": 0, "acc": 1.0}\n{"doc_id": 1, "acc": NaN}\n', { file: "s.jsonl", metric: "acc" }),
    );
    expect(bad.message).toMatch(
      /metric "acc" of doc_id 1 is not a number \(found null, or NaN\/Infinity written by Python\)/,
    );
    expect(bad.location).toEqual({ file: "s.jsonl", line: 2, column: "acc" });
    expect(parsePythonJson('["NaN", NaN, -Infinity, Infinity]')).toEqual(["NaN", null, null, null]);
  });
});

describe("responses of a matrix in lm-eval v0.3's visit order (docOrder)", () => {
  test("doc d answers column k with perm[k] = d (python3: perm of 10 is [7, 3, 2, 8, 5, 6, 9, 4, 0, 1])", () => {
    const ids = Array.from({ length: 10 }, (_, k) => String(k));
    const text = '{"doc_id": 7, "acc": 1}\n{"doc_id": 0, "acc": 0}\n{"doc_id": 1, "acc": 1}\n';
    const got = parseResponses(text, { exampleIds: ids, format: "lm-eval", docOrder: "lm-eval-v0.3" });
    expect([...got]).toEqual([
      [0, 1],
      [8, 0],
      [9, 1],
    ]);
    const beyond = catchTb(() =>
      parseResponses('{"doc_id": 10, "acc": 1}\n', {
        exampleIds: ids,
        format: "lm-eval",
        docOrder: "lm-eval-v0.3",
        file: "s.jsonl",
      }),
    );
    expect(beyond.message).toMatch(/doc_id 10 is beyond the 10 docs/);
    expect(beyond.location).toEqual({ file: "s.jsonl", line: 1, column: "doc_id" });
    const csv = catchTb(() => parseResponses("example,correct\n0,1\n", { exampleIds: ids, docOrder: "lm-eval-v0.3" }));
    expect(csv.message).toMatch(/the doc order applies to lm-eval samples/);
  });
});
