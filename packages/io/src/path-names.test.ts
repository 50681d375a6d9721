import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { baseName, extName } from "./internal.js";
import { responsesFormat } from "./responses.js";

// The browser-safe parsers look at file names without node:path; they must agree with it.
describe("baseName/extName agree with node:path on file names", () => {
  const names = [
    "answers.csv",
    "dir/samples_gsm8k_2024.jsonl",
    "/a/b/c.json",
    "noext",
    ".hidden",
    "a.b.c",
    "x/y.JSONL",
  ];
  test.each(names)("%s", (p) => {
    expect(baseName(p)).toBe(path.posix.basename(p));
    expect(extName(p)).toBe(path.posix.extname(p));
  });
  test("Windows separators", () => {
    expect(baseName("C:\\out\\samples_x.json")).toBe(path.win32.basename("C:\\out\\samples_x.json"));
    expect(extName("C:\\out\\samples_x.json")).toBe(path.win32.extname("C:\\out\\samples_x.json"));
  });
});

describe("responsesFormat: what parseResponses reads a text as", () => {
  test.each([
    ["a,b\n", "answers.csv", "csv"],
    ['{"doc_id": 0, "acc": 1}\n', "samples_gsm8k_2024-06-01T00-00-00.jsonl", "lm-eval"],
    ['{"q1": 1, "q2": 0}', "answers.json", "json"],
    ['{"doc_id": 0, "acc": 1}\n{"doc_id": 1, "acc": 0}\n', undefined, "lm-eval"],
    ['[{"doc_id": 0, "acc": 1}]', "x.json", "lm-eval"],
    ["example,correct\nq1,1\n", undefined, "csv"],
  ] as const)("%j as %s → %s", (text, file, want) => {
    expect(responsesFormat(text, file)).toBe(want);
  });
});
