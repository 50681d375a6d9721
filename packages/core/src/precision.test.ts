import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { TbError } from "./errors.js";
import { checkPrecisionOptions, lookLevel, normalQuantile, precisionTotals, wilsonInterval } from "./precision.js";

// scipy values, made by __fixtures__/wilson.py (committed beside the fixture)
const fixture = JSON.parse(readFileSync(new URL("./__fixtures__/wilson.json", import.meta.url), "utf8")) as (
  | { sum: number; m: number; level: number; population: number | null; interval: [number, number] }
  | { lookLevel: [number, number]; level: number; z: number }
)[];

describe("wilsonInterval", () => {
  test("matches scipy's Wilson intervals, with and without the finite-population correction", () => {
    let n = 0;
    for (const c of fixture) {
      if (!("sum" in c)) continue;
      const iv = wilsonInterval(c.sum, c.m, c.level, c.population ?? undefined);
      expect(iv[0]).toBeCloseTo(c.interval[0], 8);
      expect(iv[1]).toBeCloseTo(c.interval[1], 8);
      n++;
    }
    expect(n).toBe(7);
  });
  test("hand-computed: 8 of 10 at 90 % is [.5408, .9314]; an end is 0 or 1 only when every answer allows it", () => {
    const [lo, hi] = wilsonInterval(8, 10, 0.9);
    expect(lo).toBeCloseTo(0.5408, 4);
    expect(hi).toBeCloseTo(0.9314, 4);
    expect(wilsonInterval(0, 10, 0.9)[0]).toBe(0);
    expect(wilsonInterval(10, 10, 0.9)[1]).toBe(1);
    expect(wilsonInterval(1, 10, 0.9)[0]).toBeGreaterThan(0);
    expect(wilsonInterval(9, 10, 0.9)[1]).toBeLessThan(1);
    // the whole population asked: the point itself
    expect(wilsonInterval(7, 20, 0.9, 20)).toEqual([0.35, 0.35]);
    expect(wilsonInterval(0, 0, 0.9)).toEqual([0, 1]);
  });
  test("bad input is refused", () => {
    expect(() => wilsonInterval(3, 2, 0.9)).toThrow(TbError);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(/level/);
    expect(() => wilsonInterval(1, 5, 0.9, 4)).toThrow(/population/);
  });
});

describe("looks", () => {
  test("Bonferroni: a 90 % interval at one of 5 looks is each at 98 %, z = Φ⁻¹(.99)", () => {
    const c = fixture.find((x) => "lookLevel" in x) as { level: number; z: number };
    expect(lookLevel(0.9, 5)).toBeCloseTo(c.level, 12);
    expect(normalQuantile(0.5 + lookLevel(0.9, 5) / 2)).toBeCloseTo(c.z, 7);
    expect(lookLevel(0.9, 1)).toBeCloseTo(0.9, 12);
    expect(() => lookLevel(0.9, 0)).toThrow(/looks/);
  });
  test("the total doubles each round up to the cap", () => {
    expect(precisionTotals(30, 400)).toEqual([60, 120, 240, 400]);
    expect(precisionTotals(30, 240)).toEqual([60, 120, 240]);
    expect(precisionTotals(30, 31)).toEqual([31]);
    expect(precisionTotals(30, 30)).toEqual([]);
  });
  test("options errors name the option", () => {
    expect(() => checkPrecisionOptions({ precision: 0.03 }, 30, 100, "f")).toThrow(/f: precision needs maxBudget/);
    expect(() => checkPrecisionOptions({ maxBudget: 50 }, 30, 100, "f")).toThrow(
      /maxBudget is given without precision/,
    );
    expect(() => checkPrecisionOptions({ precision: 0, maxBudget: 50 }, 30, 100, "f")).toThrow(/precision must be/);
    expect(() => checkPrecisionOptions({ precision: 0.05, maxBudget: 20 }, 30, 100, "f")).toThrow(/maxBudget must be/);
    expect(() => checkPrecisionOptions({ precision: 0.05, maxBudget: 101 }, 30, 100, "f")).toThrow(/maxBudget must be/);
    expect(() => checkPrecisionOptions({ precision: 0.05, maxBudget: 100 }, 30, 100, "f")).not.toThrow();
  });
});
