import * as path from "node:path";
import { describe, expect, test } from "vitest";
import * as shim from "../src/shims/node-builtin.js";

describe("the browser stand-in for node:path agrees with Node's on file names", () => {
  const names = ["answers.csv", "dir/samples_gsm8k_2024.jsonl", "/a/b/c.json", "noext", ".hidden", "a.b.c", "x/", "/"];
  test.each(names)("%s", (p) => {
    expect(shim.basename(p)).toBe(path.posix.basename(p));
    expect(shim.extname(p)).toBe(path.posix.extname(p));
    expect(shim.dirname(p)).toBe(path.posix.dirname(p));
    expect(shim.basename(p, ".csv")).toBe(path.posix.basename(p, ".csv"));
  });
  test("join, and the file-system calls fail loudly", () => {
    expect(shim.join("out", "a.json")).toBe(path.posix.join("out", "a.json"));
    expect(() => shim.readFileSync()).toThrow(/readFileSync is not available in the browser/);
    expect(() => shim.createHash()).toThrow(/createHash is not available/);
  });
});
