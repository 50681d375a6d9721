import { describe, expect, test } from "vitest";
import { checkOptionKeys, isTbError, optionNames, requireOptions, TbError } from "./errors.js";

describe("isTbError", () => {
  test("true for a TbError, false for other errors and values", () => {
    expect(isTbError(new TbError("E_USAGE", "x"))).toBe(true);
    expect(isTbError(new Error("x"))).toBe(false);
    expect(isTbError(new RangeError("x"))).toBe(false);
    expect(isTbError({ code: "E_USAGE", message: "x" })).toBe(false); // no brand
    expect(isTbError(null)).toBe(false);
    expect(isTbError("E_USAGE")).toBe(false);
  });

  test("true for a TbError of another copy of the package (same registered brand, other class)", () => {
    // what a second installed copy of @tb/core builds: its own class, the registered brand
    class OtherCopyError extends Error {
      readonly code = "E_INPUT";
      constructor() {
        super("from another copy");
        Object.defineProperty(this, Symbol.for("@tb/core/TbError"), { value: true });
      }
    }
    const e: unknown = new OtherCopyError();
    expect(e instanceof TbError).toBe(false);
    expect(isTbError(e)).toBe(true);
    if (isTbError(e)) expect(e.code).toBe("E_INPUT");
  });

  test("a branded object with an unknown code is not a TbError", () => {
    const e = Object.defineProperty({ code: "E_WHATEVER" }, Symbol.for("@tb/core/TbError"), { value: true });
    expect(isTbError(e)).toBe(false);
  });
});

describe("TbError's location", () => {
  test("a location is appended in parentheses; an empty one ({}) adds nothing and counts as none", () => {
    expect(new TbError("E_INPUT", "bad cell", { file: "m.csv", line: 3, column: "b" }).message).toBe(
      "bad cell (m.csv:3, column b)",
    );
    const empty = new TbError("E_INPUT", "bad id", {});
    expect(empty.message).toBe("bad id");
    expect(empty.location).toBeUndefined();
    expect(new TbError("E_INPUT", "bad id").message).toBe("bad id");
  });
});

describe("optionNames", () => {
  interface Opts {
    alpha?: number;
    beta?: string;
  }
  test("returns the names it is given, for checkOptionKeys", () => {
    const names = optionNames<Opts>()("alpha", "beta");
    expect(names).toEqual(["alpha", "beta"]);
    expect(() => checkOptionKeys({ alpah: 1 }, names, "f")).toThrow(
      /^f: unknown option "alpah" \(known: alpha, beta\)/,
    );
  });
  test("a list that leaves an option out, or names one the type lacks, does not typecheck (pnpm typecheck runs this file)", () => {
    // @ts-expect-error — "beta" is missing
    const missing = optionNames<Opts>()("alpha");
    // @ts-expect-error — "gamma" is not an option of Opts
    const extra = optionNames<Opts>()("alpha", "beta", "gamma");
    expect([missing, extra].map((x) => x.length)).toEqual([1, 3]);
  });
});

describe("requireOptions", () => {
  test("a missing options argument is E_USAGE naming the function and what it needs; an object passes", () => {
    for (const missing of [undefined, null]) {
      expect(() => requireOptions(missing, "f", "{ ids }")).toThrow(
        new RegExp(`^f: needs its options \\{ ids \\}, got ${missing}`),
      );
    }
    expect(() => requireOptions({}, "f", "{ ids }")).not.toThrow();
  });
});
