import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TbError } from "@tb/core";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { lmEvalTaskFromFileName, parseResponses } from "./responses.js";
import { readResponses } from "./responses-file.js";
import { catchTb, errorShape, tempDir } from "./test-utils.js";

const ids = ["q0", "q1", "q2", "q3"];
const entries = (m: Map<number, number>): [number, number][] => [...m.entries()];

/** One lm-eval `--log_samples` line (lm-eval 0.4 layout, trimmed to what matters). */
function sample(docId: number, extra: Record<string, unknown>): string {
  return JSON.stringify({
    doc_id: docId,
    doc: { question: `q${docId}` },
    target: "x",
    arguments: [],
    resps: [["x"]],
    filtered_resps: ["x"],
    doc_hash: "h",
    prompt_hash: "p",
    target_hash: "t",
    ...extra,
  });
}

describe("parseResponses: CSV example,correct", () => {
  test("reads values in file order, with BOM/CRLF/quotes", () => {
    const m = parseResponses('\uFEFFexample,correct\r\nq2,1\r\n"q0",0.5\r\n\r\nq3,0\r\n', {
      exampleIds: ids,
      format: "csv",
    });
    expect(entries(m)).toEqual([
      [2, 1],
      [0, 0.5],
      [3, 0],
    ]);
  });

  test("auto-detects CSV from the extension or the content", () => {
    expect(entries(parseResponses("example,acc\nq1,1\n", { exampleIds: ids }))).toEqual([[1, 1]]);
    expect(entries(parseResponses("example,acc\nq1,1\n", { exampleIds: ids, file: "a.csv" }))).toEqual([[1, 1]]);
  });
});

describe("parseResponses: JSON object", () => {
  test("numbers and booleans", () => {
    const m = parseResponses('{\n  "q3": 1,\n  "q0": false,\n  "q1": 0.25, "q2": true\n}\n', { exampleIds: ids });
    expect(entries(m)).toEqual([
      [3, 1],
      [0, 0],
      [1, 0.25],
      [2, 1],
    ]);
  });

  test("escaped keys and an empty object", () => {
    expect(entries(parseResponses('{"q\\u0031": 1}', { exampleIds: ids, format: "json" }))).toEqual([[1, 1]]);
    expect(parseResponses(" {} ", { exampleIds: ids, format: "json" }).size).toBe(0);
  });
});

describe("parseResponses: lm-eval samples", () => {
  const gsm = [
    sample(0, { filter: "strict-match", metrics: ["exact_match"], exact_match: 1.0 }),
    sample(0, { filter: "flexible-extract", metrics: ["exact_match"], exact_match: 0.0 }),
    sample(2, { filter: "strict-match", metrics: ["exact_match"], exact_match: 0.0 }),
    sample(2, { filter: "flexible-extract", metrics: ["exact_match"], exact_match: 1.0 }),
  ].join("\n");
  const gsmIds = ["0", "1", "2"];

  test("gsm8k: one row per filter; `filter` chooses", () => {
    const strict = parseResponses(gsm, { exampleIds: gsmIds, format: "lm-eval", filter: "strict-match" });
    expect(entries(strict)).toEqual([
      [0, 1],
      [2, 0],
    ]);
    const flex = parseResponses(gsm, { exampleIds: gsmIds, format: "lm-eval", filter: "flexible-extract" });
    expect(entries(flex)).toEqual([
      [0, 0],
      [2, 1],
    ]);
  });

  test("several filters without `filter` is E_USAGE listing them", () => {
    const err = catchTb(() => parseResponses(gsm, { exampleIds: gsmIds, format: "lm-eval" }));
    expect(err.code).toBe("E_USAGE");
    expect(err.message).toContain("strict-match, flexible-extract");
    const bad = catchTb(() => parseResponses(gsm, { exampleIds: gsmIds, format: "lm-eval", filter: "nope" }));
    expect(bad.code).toBe("E_USAGE");
  });

  const hella = [
    sample(1, { filter: "none", metrics: ["acc", "acc_norm"], acc: 1.0, acc_norm: 0.0 }),
    sample(0, { filter: "none", metrics: ["acc", "acc_norm"], acc: 0.0, acc_norm: 1.0 }),
  ].join("\n");

  test("`metric` chooses among several; without it, E_USAGE", () => {
    expect(entries(parseResponses(hella, { exampleIds: ["0", "1"], format: "lm-eval", metric: "acc_norm" }))).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const err = catchTb(() => parseResponses(hella, { exampleIds: ["0", "1"], format: "lm-eval" }));
    expect(err.code).toBe("E_USAGE");
    expect(err.message).toContain("acc, acc_norm");
  });

  test("a single metric and filter are picked automatically; auto-detected from content", () => {
    const text = `${sample(1, { filter: "none", metrics: ["acc"], acc: 1 })}\n${sample(0, { filter: "none", metrics: ["acc"], acc: 0 })}\n`;
    expect(entries(parseResponses(text, { exampleIds: ["0", "1"] }))).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  test("group tasks: ids <task>/<doc_id>, task from the file name", () => {
    const t = tempDir();
    try {
      const dir = join(t.dir, "run");
      mkdirSync(dir);
      const a = "samples_mmlu_abstract_algebra_2024-06-01T10-11-12.123456.jsonl";
      const b = "samples_mmlu_econometrics_2024-06-01T10-11-12.123456.jsonl";
      writeFileSync(join(dir, a), `${sample(0, { filter: "none", metrics: ["acc"], acc: 1 })}\n`);
      writeFileSync(
        join(dir, b),
        `${sample(0, { filter: "none", metrics: ["acc"], acc: 0 })}\n${sample(1, { filter: "none", metrics: ["acc"], acc: 1 })}\n`,
      );
      const groupIds = [
        "mmlu_abstract_algebra/0",
        "mmlu_abstract_algebra/1",
        "mmlu_econometrics/0",
        "mmlu_econometrics/1",
      ];
      expect(entries(readResponses(join(dir, b), { exampleIds: groupIds }))).toEqual([
        [2, 0],
        [3, 1],
      ]);
      expect(entries(readResponses(dir, { exampleIds: groupIds }))).toEqual([
        [0, 1],
        [2, 0],
        [3, 1],
      ]);
      const plain = readResponses(join(dir, b), { exampleIds: ["0", "1"] });
      expect(entries(plain)).toEqual([
        [0, 0],
        [1, 1],
      ]);
    } finally {
      t.cleanup();
    }
  });

  test("task names from file names", () => {
    expect(lmEvalTaskFromFileName("samples_gsm8k_2024-06-01T10-11-12.123456.jsonl")).toBe("gsm8k");
    expect(lmEvalTaskFromFileName("samples_leaderboard_musr_murder_mysteries_2024-07-02T01-02-03.jsonl")).toBe(
      "leaderboard_musr_murder_mysteries",
    );
    expect(lmEvalTaskFromFileName("samples_arc_easy.jsonl")).toBe("arc_easy");
    expect(lmEvalTaskFromFileName("answers.jsonl")).toBeUndefined();
  });
});

describe("parseResponses rejects bad files with file and line", () => {
  const F = "resp";
  // [what, format, text, code, line, column, fragment, options]
  const cases: [
    string,
    "csv" | "json" | "lm-eval",
    string,
    string,
    number,
    number | string | undefined,
    string,
    { metric?: string; filter?: string; filterNames?: string[] }?,
  ][] = [
    ["csv empty", "csv", "", "E_INPUT", 1, undefined, "empty"],
    ["csv bad header", "csv", "id,correct\nq0,1\n", "E_INPUT", 1, 1, "expected the header"],
    ["csv header with 3 fields", "csv", "example,correct,x\nq0,1,1\n", "E_INPUT", 1, 2, "expected the header"],
    ["csv unknown id", "csv", "example,correct\nq0,1\nzz,1\n", "E_UNKNOWN_ID", 3, 1, '"zz"'],
    ["csv duplicate id", "csv", "example,correct\nq0,1\nq1,0\nq0,1\n", "E_INPUT", 4, 1, "first on line 2"],
    ["csv value above 1", "csv", "example,correct\nq0,2\n", "E_INPUT", 2, 2, "outside [0,1]"],
    ["csv negative", "csv", "example,correct\nq0,-1\n", "E_INPUT", 2, 2, "outside [0,1]"],
    ["csv NaN", "csv", "example,correct\r\nq0,NaN\r\n", "E_INPUT", 2, 2, "NaN"],
    ["csv empty value", "csv", "example,correct\nq0,\n", "E_INPUT", 2, 2, "empty cell"],
    ["csv text value", "csv", "example,correct\nq0,yes\n", "E_INPUT", 2, 2, "not a number"],
    ["csv ragged", "csv", "example,correct\nq0,1,1\n", "E_INPUT", 2, 3, "expected 2"],
    ["csv empty id", "csv", "example,correct\n,1\n", "E_INPUT", 2, 1, "empty example id"],
    ["json unknown id", "json", '{\n  "q0": 1,\n  "zz": 0\n}', "E_UNKNOWN_ID", 3, 3, '"zz"'],
    ["json duplicate key", "json", '{"q0": 1,\n"q0": 0}', "E_INPUT", 2, 1, "answered twice"],
    ["json value above 1", "json", '{"q0":\n 1.5}', "E_INPUT", 2, 2, "outside [0,1]"],
    ["json NaN literal", "json", '{"q0": NaN}', "E_INPUT", 1, 8, "expected a value"],
    ["json string value", "json", '{"q0": "1"}', "E_INPUT", 1, 8, "must be a number"],
    ["json null value", "json", '{"q0": null}', "E_INPUT", 1, 8, "no value"],
    ["json nested value", "json", '{"q0": {"a": 1}}', "E_INPUT", 1, 8, "must be a number"],
    ["json array", "json", "[1, 0]", "E_INPUT", 1, 1, "expected a JSON object"],
    ["json missing comma", "json", '{"q0": 1\n "q1": 0}', "E_INPUT", 2, 2, "expected ',' or '}'"],
    ["json trailing text", "json", '{"q0": 1} x', "E_INPUT", 1, 11, "unexpected text"],
    ["json unterminated", "json", '{"q0": 1,', "E_INPUT", 1, 10, "expected an example id"],
    ["json empty", "json", "  ", "E_INPUT", 1, 3, "empty"],
    [
      "lm-eval bad JSON line",
      "lm-eval",
      '{"doc_id": 0, "acc": 1}\n{"doc_id": 1, "acc": }\n',
      "E_INPUT",
      2,
      undefined,
      "not a JSON sample",
      { metric: "acc" },
    ],
    ["lm-eval no doc_id", "lm-eval", '{"acc": 1}\n', "E_INPUT", 1, "doc_id", "doc_id", { metric: "acc" }],
    [
      "lm-eval metric missing",
      "lm-eval",
      '{"doc_id": 0, "acc": 1}\n{"doc_id": 1}\n',
      "E_INPUT",
      2,
      "acc",
      'no metric "acc"',
      { metric: "acc" },
    ],
    [
      "lm-eval metric above 1",
      "lm-eval",
      '{"doc_id": 0, "bleu": 12.5}\n',
      "E_INPUT",
      1,
      "bleu",
      "outside [0,1]",
      { metric: "bleu" },
    ],
    [
      "lm-eval metric not a number",
      "lm-eval",
      '{"doc_id": 0, "bleu": [1, 2]}\n',
      "E_INPUT",
      1,
      "bleu",
      "not a number",
      { metric: "bleu" },
    ],
    [
      "lm-eval unknown doc",
      "lm-eval",
      '{"doc_id": 0, "acc": 1}\n{"doc_id": 9, "acc": 1}\n',
      "E_UNKNOWN_ID",
      2,
      "doc_id",
      '"9"',
      { metric: "acc" },
    ],
    [
      "lm-eval duplicate doc",
      "lm-eval",
      '{"doc_id": 1, "acc": 1}\n\n{"doc_id": 1, "acc": 0}\n',
      "E_INPUT",
      3,
      "doc_id",
      "is logged 2 times, but the results file lists 1 filter",
      { metric: "acc", filterNames: ["none"] },
    ],
  ];

  test.each(cases)("%s", (_what, format, text, code, line, column, fragment, extra) => {
    const exampleIds = format === "lm-eval" ? ["0", "1", "2"] : ids;
    const err = catchTb(() => parseResponses(text, { exampleIds, format, file: F, ...extra }));
    const want: Record<string, unknown> = { code, file: F, line };
    if (column !== undefined) want.column = column;
    expect(errorShape(err)).toEqual(want);
    expect(err.message).toContain(fragment);
  });

  test("random text never throws anything but TbError", () => {
    const token = fc.constantFrom(
      "{",
      "}",
      '"q0"',
      '"zz"',
      ":",
      ",",
      "1",
      "0.5",
      "2",
      "\n",
      "example,correct",
      "q1",
      '"',
      "doc_id",
      "[",
      "]",
      " ",
      "null",
    );
    const text = fc.oneof(
      fc.array(token, { maxLength: 40 }).map((t) => t.join("")),
      fc.string({ maxLength: 100 }),
    );
    fc.assert(
      fc.property(
        text,
        fc.constantFrom("csv" as const, "json" as const, "lm-eval" as const, "auto" as const),
        (t, format) => {
          try {
            parseResponses(t, { exampleIds: ids, format, metric: "acc" });
          } catch (err) {
            if (!(err instanceof TbError)) throw err;
          }
        },
      ),
      { numRuns: 1500, seed: 99 },
    );
  });
});

describe("readResponses on files", () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  test("formats from extensions; errors name the file", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, "a.json"), '{"q1": 1}');
    writeFileSync(join(t.dir, "b.csv"), "example,correct\nq2,0\n");
    writeFileSync(join(t.dir, "c.json"), '{"q1": 1,\n"bad": 1}');
    expect(entries(readResponses(join(t.dir, "a.json"), { exampleIds: ids }))).toEqual([[1, 1]]);
    expect(entries(readResponses(join(t.dir, "b.csv"), { exampleIds: ids }))).toEqual([[2, 0]]);
    expect(errorShape(catchTb(() => readResponses(join(t.dir, "c.json"), { exampleIds: ids })))).toEqual({
      code: "E_UNKNOWN_ID",
      file: join(t.dir, "c.json"),
      line: 2,
      column: 1,
    });
    const missing = catchTb(() => readResponses(join(t.dir, "none.csv"), { exampleIds: ids }));
    expect(missing.code).toBe("E_INPUT");
    expect(missing.message).toContain("not found");
  });

  test("a directory without samples files", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    expect(catchTb(() => readResponses(t.dir, { exampleIds: ids })).message).toContain("no lm-eval samples");
  });

  test("lm-eval samples of another task than the matrix's (tasks), or than the file name says (task), are refused", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const docs = ["0", "1", "2"];
    const body = [0, 1, 2].map((d) => sample(d, { filter: "none", metrics: ["acc"], acc: d % 2 })).join("\n");
    const arc = join(t.dir, "samples_arc_easy_2024-07-01T10-00-00.jsonl");
    writeFileSync(arc, `${body}\n`);
    // without the matrix's tasks the doc ids are read as they are
    expect(entries(readResponses(arc, { exampleIds: docs }))).toEqual([
      [0, 0],
      [1, 1],
      [2, 0],
    ]);
    const other = catchTb(() => readResponses(arc, { exampleIds: docs, tasks: ["gsm8k"] }));
    expect([other.code, other.message]).toEqual([
      "E_INPUT",
      `lm-eval samples of task "arc_easy", but the matrix's example ids are doc indices of "gsm8k" (its meta.json id_provenance): these answers would land in the wrong columns (${arc})`,
    ]);
    expect(readResponses(arc, { exampleIds: docs, tasks: ["arc_easy"] }).size).toBe(3);
    // a folder: every samples file is checked
    expect(catchTb(() => readResponses(t.dir, { exampleIds: docs, tasks: ["gsm8k"] })).message).toMatch(
      /of task "arc_easy"/,
    );
    // a task that contradicts the file name, and a task for a folder
    expect(catchTb(() => readResponses(arc, { exampleIds: docs, task: "gsm8k" })).message).toMatch(
      /of task "arc_easy" \(the file name says so\), but task "gsm8k" was given/,
    );
    expect(catchTb(() => readResponses(t.dir, { exampleIds: docs, task: "arc_easy" })).message).toMatch(
      /a task was given for a folder of samples files, which name their own tasks/,
    );
  });

  test("lm-eval options for a CSV or JSON file (one value per example) are refused, not ignored", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, "a.json"), '{"q1": 1}');
    writeFileSync(join(t.dir, "b.csv"), "example,correct\nq2,0\n");
    expect(catchTb(() => readResponses(join(t.dir, "a.json"), { exampleIds: ids, metric: "acc" })).message).toMatch(
      /the metric applies to lm-eval samples; .*a\.json is json, one value per example: leave it out/,
    );
    expect(
      catchTb(() => readResponses(join(t.dir, "b.csv"), { exampleIds: ids, filter: "strict-match", task: "x" }))
        .message,
    ).toMatch(/the filter, task apply to lm-eval samples; .*b\.csv is csv/);
    // parseResponses: the filter names of a results file too
    const names = catchTb(() => parseResponses("example,correct\nq2,0\n", { exampleIds: ids, filterNames: ["none"] }));
    expect([names.code, names.message]).toEqual([
      "E_USAGE",
      "the filterNames applies to lm-eval samples; this file is csv, one value per example: leave it out",
    ]);
  });

  test("tasks, a fact about the matrix, is read for lm-eval samples and does not stop a CSV or JSON file", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const docs = ["0", "1"];
    const body = `${[0, 1].map((d) => sample(d, { filter: "none", metrics: ["acc"], acc: 1 - d })).join("\n")}\n`;
    // parseResponses checks the task given against the matrix's tasks
    const other = catchTb(() => parseResponses(body, { exampleIds: docs, task: "arc_easy", tasks: ["gsm8k"] }));
    expect(other.code).toBe("E_INPUT");
    expect(other.message).toMatch(
      /^lm-eval samples of task "arc_easy", but the matrix's example ids are doc indices of "gsm8k"/,
    );
    expect(entries(parseResponses(body, { exampleIds: docs, task: "gsm8k", tasks: ["gsm8k"] }))).toEqual([
      [0, 1],
      [1, 0],
    ]);
    // a CSV or JSON file is keyed by the matrix's own ids: tasks has nothing to check there
    expect(entries(parseResponses("example,correct\n1,1\n", { exampleIds: docs, tasks: ["gsm8k"] }))).toEqual([[1, 1]]);
    writeFileSync(join(t.dir, "b.json"), '{"0": 0}');
    expect(entries(readResponses(join(t.dir, "b.json"), { exampleIds: docs, tasks: ["gsm8k"] }))).toEqual([[0, 0]]);
    // a JSON file named like samples is read as asked, without the task its name suggests
    const named = join(t.dir, "samples_gsm8k_2024-07-01T10-00-00.json");
    writeFileSync(named, '{"1": 1}');
    expect(entries(readResponses(named, { exampleIds: docs, format: "json" }))).toEqual([[1, 1]]);
  });

  test("duplicate exampleIds are a usage error", () => {
    expect(catchTb(() => parseResponses("{}", { exampleIds: ["a", "a"] })).code).toBe("E_USAGE");
  });
});
