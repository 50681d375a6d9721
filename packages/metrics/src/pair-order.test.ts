import { isTbError } from "@tb/core";
import { describe, expect, it } from "vitest";
import { pairOrder } from "./pair-order.js";

describe("pairOrder", () => {
  it("counts only pairs at least the gap apart in truth (hand-computed)", () => {
    // truth .50 .52 .60 .80: pairs ≥ .05 apart are (0,2) (0,3) (1,2) (1,3) (2,3) — (0,1) is .02
    // estimates .70 .10 .65 .90: (0,2) .70 > .65 wrong; (0,3) right; (1,2) right; (1,3) right; (2,3) right
    const r = pairOrder([0.7, 0.1, 0.65, 0.9], [0.5, 0.52, 0.6, 0.8]);
    expect(r.pairs).toBe(5);
    expect(r.share).toBeCloseTo(4 / 5, 15);
  });
  it("a difference of exactly the gap counts despite rounding; a tie in the estimates is half right", () => {
    // .55 − .50 is 0.050000000000000044 in doubles, .15 − .10 is 0.04999999999999999
    expect(pairOrder([0.3, 0.3], [0.5, 0.55]).pairs).toBe(1);
    expect(pairOrder([0.3, 0.3], [0.5, 0.55]).share).toBe(0.5);
    expect(pairOrder([0.2, 0.1], [0.1, 0.15]).pairs).toBe(1);
    expect(pairOrder([0.2, 0.1], [0.1, 0.15]).share).toBe(0);
  });
  it("gap 0 leaves out only pairs tied in truth; no pair gives NaN", () => {
    const r = pairOrder([1, 2, 3], [0.1, 0.1, 0.2], 0);
    expect(r.pairs).toBe(2);
    expect(r.share).toBe(1);
    const none = pairOrder([1, 2], [0.5, 0.51]);
    expect(none.pairs).toBe(0);
    expect(Number.isNaN(none.share)).toBe(true);
  });
  it("scores only the given pairs", () => {
    // pairs (0,3) right; (2,1) wrong: estimates .95 > .9 but truth .4 < .6
    const r = pairOrder([0.1, 0.9, 0.95, 0.8], [0.2, 0.6, 0.4, 0.9], 0.05, [
      [0, 3],
      [2, 1],
    ]);
    expect(r).toEqual({ share: 0.5, pairs: 2 });
  });
  it("names the bad argument", () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isTbError(e) ? e.message : String(e);
      }
      return "no error";
    };
    expect(err(() => pairOrder([1], [1, 2]))).toMatch(/pairOrder/);
    expect(err(() => pairOrder([1, 2], [1, 2], -1))).toMatch(/`gap`/);
    expect(err(() => pairOrder([1, 2], [1, 2], 0.05, [[0, 2]]))).toMatch(/`pairs\[0\]`/);
  });
});
