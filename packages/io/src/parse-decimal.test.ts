import { describe, expect, test } from "vitest";
import { parseDecimal } from "./index.js";

describe("parseDecimal: one reading of a number for the front ends, the cells' rule", () => {
  test("plain decimals, with or without a leading digit or an exponent", () => {
    for (const [s, x] of [
      ["0.3", 0.3],
      [".3", 0.3],
      ["3e-1", 0.3],
      [" 0.9 ", 0.9],
      ["0", 0],
      ["1", 1],
      ["-0.5", -0.5],
    ] as const) {
      expect(parseDecimal(s)).toBe(x);
    }
  });
  test("what Number also takes is not a decimal: hex, Infinity, blank, several numbers", () => {
    for (const s of ["0x0", "0b1", "Infinity", "", " ", "NaN", "0.3.1", "1,5", "3e", "1_0"]) {
      expect(Number.isNaN(parseDecimal(s)), s).toBe(true);
    }
  });
});
