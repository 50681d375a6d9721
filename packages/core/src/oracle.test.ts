import { describe, expect, test } from "vitest";
import { TbError } from "./errors.js";
import { createOracle } from "./oracle.js";

describe("budgeted oracle", () => {
  test("counts distinct examples; repeated questions are free", () => {
    const o = createOracle([1, 0, 1, 1], 2);
    expect(o.query(0)).toBe(1);
    expect(o.query(0)).toBe(1);
    expect(o.query(1)).toBe(0);
    expect(o.queried).toBe(2);
  });
  test("refuses a query past the budget with E_BUDGET", () => {
    const o = createOracle([1, 0, 1, 1], 2);
    o.queryMany([0, 1]);
    try {
      o.query(2);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TbError);
      expect((e as TbError).code).toBe("E_BUDGET");
    }
    expect(o.queried).toBe(2);
  });
  test("queryMany is all-or-nothing", () => {
    const o = createOracle([1, 0, 1, 1], 3);
    o.query(0);
    expect(() => o.queryMany([1, 2, 3])).toThrow(TbError);
    expect(o.queried).toBe(1);
    expect(Array.from(o.queryMany([0, 1, 1, 2]))).toEqual([1, 0, 0, 1]);
    expect(o.queried).toBe(3);
  });
  test("unknown example indices are refused", () => {
    const o = createOracle([1, 0], 2);
    expect(() => o.query(2)).toThrow(/not in \[0, 2\)/);
    expect(() => o.query(-1)).toThrow(TbError);
    expect(() => o.query(0.5)).toThrow(TbError);
  });
  test("no property of the oracle exposes the row", () => {
    const row = [0.25, 0.75, 0.5];
    const o = createOracle(row, 1);
    const seen = JSON.stringify(o) + Object.getOwnPropertyNames(o).join();
    expect(seen).not.toContain("0.75");
    expect(Object.isFrozen(o)).toBe(true);
    // mutating the caller's array does not change what the oracle answers
    row[0] = 1;
    expect(o.query(0)).toBe(0.25);
  });
});
