import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { baseName, extName } from "./internal.js";

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
