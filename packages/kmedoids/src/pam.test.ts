import { TbError } from "@tb/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { bruteCost, lineMatrix, manhattanMatrix, zScoredBinaryMatrix } from "./__fixtures__/helpers.js";
import { quantizeDistances } from "./exact.js";
import { pamSwap, pamSwapNaive } from "./pam.js";

const list = (a: Int32Array) => Array.from(a);

describe("pamSwap on hand-worked instances (docs/METHOD.md §2.3)", () => {
  // Six points on a line x = 0 1 2 10 11 12, K = 2, start μ = (p0, p1).
  // Start: d1 = 0 0 1 9 10 11 → cost 31.
  // Best swap: slot 0 (p0) ← p4 (x = 11): costs 1 0 1 1 0 1 = 4, Φ = −27.
  //   (slot 1 ← p4: 0 1 2 1 0 1 = 5, Φ = −26; slot 0 ← p3: 5, Φ = −26; slot 0 ← p5: 5, Φ = −26.)
  // Then {x=1, x=11} are the medians of both clusters: no improving swap. → (p4, p1), cost 4.
  const d = lineMatrix([0, 1, 2, 10, 11, 12]);
  for (const incremental of [true, false]) {
    test(`two clusters on a line (incremental: ${incremental})`, () => {
      const r = pamSwap(d, 6, [0, 1], { incremental });
      expect(list(r.medoids)).toEqual([4, 1]);
      expect(r.cost).toBe(4);
      expect(r.swaps).toBe(1);
      expect(r.iterations).toBe(2);
    });
  }
  test("the naive reference agrees on the same instance", () => {
    const r = pamSwapNaive(d, 6, [0, 1]);
    expect(list(r.medoids)).toEqual([4, 1]);
    expect(r.swaps).toBe(1);
  });

  test("equally good candidates: the first in scan order wins", () => {
    // x = 10 9 11 0, K = 1, start p3 (x = 0): cost 10+9+11 = 30.
    // h = p0 (x=10): 0+1+1+10 = 12; h = p1 (x=9): 1+0+2+9 = 12; h = p2: 1+2+0+11 = 14.
    // p0 and p1 tie at Φ = −18 → p0 (scanned first). Then p1 gives Φ = 0: not < 0, stop.
    const m = lineMatrix([10, 9, 11, 0]);
    const r = pamSwap(m, 4, [3]);
    expect(list(r.medoids)).toEqual([0]);
    expect(r.swaps).toBe(1);
    expect(r.cost).toBe(12);
    // with the tie listed the other way round, the other point wins
    const m2 = lineMatrix([9, 10, 11, 0]);
    expect(list(pamSwap(m2, 4, [3]).medoids)).toEqual([0]);
  });

  test("equally good slots: the first slot is replaced", () => {
    // p0 and p1 are duplicates at x = 0 and both are medoids; p2 at x = 10. Cost 10.
    // Putting p2 in slot 0 or slot 1 both give cost 0 (Φ = −10) → slot 0.
    const r = pamSwap(lineMatrix([0, 0, 10]), 3, [0, 1]);
    expect(list(r.medoids)).toEqual([2, 1]);
    expect(r.cost).toBe(0);
  });

  test("fixed medoids never leave, even when swapping them out would help", () => {
    // x = 4 0 1 9 10 (p0..p4), K = 2, start (p0, p1); d1 = 0 0 1 5 6 → cost 12.
    // Free search (fixed = 0):
    //   it 1: p3 into slot 0 → {9, 0}: 4 0 1 0 1 = 6 (Φ −6; ties with p4/slot 0, p3 is first;
    //         p3/slot 1 → {4, 9}: 0 4 3 0 1 = 8, Φ −4).
    //   it 2: p2 into slot 1 → {9, 1}: 3 1 0 0 1 = 5 (Φ −1); nothing else improves.
    //   it 3: best Φ = 0 (p4 into slot 0) → stop. Result (p3, p2), cost 5: p0 was removed.
    // Fixed = 1 (p0 stays): only slot 1 moves.
    //   it 1: p3 into slot 1 → {4, 9}: 0 4 3 0 1 = 8 (Φ −4; p4 gives 8 too but comes later).
    //   it 2: p1/p2 → 12, p4 → 8 (Φ 0) → stop. Result (p0, p3), cost 8.
    const d = lineMatrix([4, 0, 1, 9, 10]);
    const free = pamSwap(d, 5, [0, 1]);
    expect(list(free.medoids)).toEqual([3, 2]);
    expect(free.cost).toBe(5);
    expect(free.swaps).toBe(2);
    const fixed = pamSwap(d, 5, [0, 1], { fixed: 1 });
    expect(list(fixed.medoids)).toEqual([0, 3]);
    expect(fixed.cost).toBe(8);
    expect(fixed.swaps).toBe(1);
    const naive = pamSwapNaive(d, 5, [0, 1], { fixed: 1 });
    expect(list(naive.medoids)).toEqual([0, 3]);
  });

  test("all slots fixed, or K = m: nothing to swap", () => {
    const d = lineMatrix([0, 1, 5]);
    const a = pamSwap(d, 3, [2, 0], { fixed: 2 });
    expect([list(a.medoids), a.swaps]).toEqual([[2, 0], 0]);
    const b = pamSwap(d, 3, [2, 1, 0]);
    expect([list(b.medoids), b.swaps, b.cost]).toEqual([[2, 1, 0], 0, 0]);
  });

  test("maxIter caps the number of swaps", () => {
    const d = lineMatrix([4, 0, 1, 9, 10]); // needs 2 swaps (above)
    const r = pamSwap(d, 5, [0, 1], { maxIter: 1 });
    expect(list(r.medoids)).toEqual([3, 1]); // the first swap only
    expect([r.swaps, r.iterations]).toEqual([1, 1]);
    expect(pamSwap(d, 5, [0, 1], { maxIter: 0 }).swaps).toBe(0);
  });

  test("the input matrix and medoid list are not modified", () => {
    const d = lineMatrix([4, 0, 1, 9, 10]);
    const copy = d.slice();
    const init = [0, 1];
    pamSwap(d, 5, init);
    expect(d).toEqual(copy);
    expect(init).toEqual([0, 1]);
  });
});

describe("input validation", () => {
  const d = lineMatrix([0, 1, 2]);
  test("pamSwapNaive refuses an option it does not have, by name (a typo of maxIter, or pamSwap's own options)", () => {
    expect(() => pamSwapNaive(d, 3, [0, 1], { maxiter: 0 } as never)).toThrow(
      /^pamSwapNaive: unknown option "maxiter" \(known: fixed, maxIter, eps\)/,
    );
    expect(() => pamSwapNaive(d, 3, [0, 1], { incremental: false } as never)).toThrow(
      /^pamSwapNaive: unknown option "incremental"/,
    );
    expect(pamSwapNaive(d, 3, [0, 1], { maxIter: 0 }).swaps).toBe(0);
  });
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof TbError ? e.code : "other";
    }
    return "none";
  };
  test.each([
    ["duplicate medoid", () => pamSwap(d, 3, [1, 1])],
    ["medoid out of range", () => pamSwap(d, 3, [0, 3])],
    ["non-integer medoid", () => pamSwap(d, 3, [0.5])],
    ["no medoid", () => pamSwap(d, 3, [])],
    ["fixed > K", () => pamSwap(d, 3, [0], { fixed: 2 })],
    ["negative maxIter", () => pamSwap(d, 3, [0], { maxIter: -1 })],
    ["negative eps", () => pamSwap(d, 3, [0], { eps: -1 })],
    ["wrong matrix size", () => pamSwap(d, 4, [0])],
    ["naive: duplicate medoid", () => pamSwapNaive(d, 3, [2, 2])],
  ])("%s → E_USAGE", (_name, fn) => expect(code(fn)).toBe("E_USAGE"));
  test("NaN or negative distance → E_INPUT", () => {
    const bad = d.slice();
    bad[1] = Number.NaN;
    expect(code(() => pamSwap(bad, 3, [0]))).toBe("E_INPUT");
    bad[1] = -1;
    expect(code(() => pamSwap(bad, 3, [0]))).toBe("E_INPUT");
  });
});

/** An instance for property tests: a matrix, its size, an initial medoid list and f. */
interface Instance {
  d: Float64Array;
  m: number;
  init: number[];
  fixed: number;
}

/** Points with integer coordinates in [0, span]: small spans give many exact ties. */
const gridInstance = (maxM: number, span: number, dims: number) =>
  fc
    .integer({ min: 2, max: maxM })
    .chain((m) =>
      fc.record({
        pts: fc.array(fc.array(fc.integer({ min: 0, max: span }), { minLength: dims, maxLength: dims }), {
          minLength: m,
          maxLength: m,
        }),
        perm: fc.shuffledSubarray(
          Array.from({ length: m }, (_, i) => i),
          { minLength: 1, maxLength: Math.min(m, 6) },
        ),
        fixedFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    )
    .map(({ pts, perm, fixedFrac }): Instance => {
      const fixed = Math.min(perm.length, Math.floor(fixedFrac * (perm.length + 1)));
      return { d: manhattanMatrix(pts), m: pts.length, init: perm, fixed };
    });

/** 0/1 rows over a few features, z-scored per column, Manhattan: non-integer distances, many ties. */
const binaryInstance = fc
  .integer({ min: 3, max: 28 })
  .chain((m) =>
    fc.record({
      bits: fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 4, maxLength: 4 }), {
        minLength: m,
        maxLength: m,
      }),
      perm: fc.shuffledSubarray(
        Array.from({ length: m }, (_, i) => i),
        { minLength: 1, maxLength: Math.min(m, 6) },
      ),
      fixed: fc.integer({ min: 0, max: 2 }),
    }),
  )
  .map(
    ({ bits, perm, fixed }): Instance => ({
      d: zScoredBinaryMatrix(bits),
      m: bits.length,
      init: perm,
      fixed: Math.min(fixed, perm.length),
    }),
  );

function agreeWithNaive({ d, m, init, fixed }: Instance): void {
  const ref = pamSwapNaive(quantizeDistances(d, m), m, init, { fixed });
  for (const incremental of [true, false]) {
    const r = pamSwap(d, m, init, { fixed, incremental });
    expect(list(r.medoids)).toEqual(list(ref.medoids));
    expect(r.swaps).toBe(ref.swaps);
    expect(r.iterations).toBe(ref.iterations);
    expect(r.cost).toBeCloseTo(bruteCost(d, m, r.medoids), 9);
    // fixed slots untouched
    expect(list(r.medoids.subarray(0, fixed))).toEqual(init.slice(0, fixed));
  }
}

describe("pamSwap = the literal §2.3 definition (pamSwapNaive), swap for swap", () => {
  test("random points, continuous-ish coordinates", () => {
    fc.assert(fc.property(gridInstance(24, 100_000, 2), agreeWithNaive), { numRuns: 150 });
  });
  test("tie-heavy: integer points on a 3×3 grid", () => {
    fc.assert(fc.property(gridInstance(24, 2, 2), agreeWithNaive), { numRuns: 200 });
  });
  test("tie-heavy: z-scored 0/1 data (non-integer distances)", () => {
    fc.assert(fc.property(binaryInstance, agreeWithNaive), { numRuns: 200 });
  });
  test("integer distances need no quantization: naive on the raw matrix agrees too", () => {
    fc.assert(
      fc.property(gridInstance(20, 3, 3), ({ d, m, init, fixed }) => {
        const ref = pamSwapNaive(d, m, init, { fixed });
        const r = pamSwap(d, m, init, { fixed });
        expect(list(r.medoids)).toEqual(list(ref.medoids));
        expect(r.swaps).toBe(ref.swaps);
      }),
      { numRuns: 100 },
    );
  });
});

describe("termination and local optimality", () => {
  test("many duplicate points (0/1 data, 3 features → ≤ 8 distinct points), K = 12", () => {
    const bits: number[][] = [];
    for (let i = 0; i < 240; i++) bits.push([i % 2, (i >> 1) % 2, i % 3 === 0 ? 1 : 0]);
    const d = zScoredBinaryMatrix(bits);
    const init = Array.from({ length: 12 }, (_, i) => i * 17);
    for (const fixed of [0, 4]) {
      const r = pamSwap(d, 240, init, { fixed });
      // every swap lowers the cost by a positive amount over at most 8 distinct locations,
      // so a handful of swaps suffices; cycling would hit the 5000 cap.
      expect(r.swaps).toBeLessThan(50);
      expect(r.iterations).toBe(r.swaps + 1);
      const again = pamSwapNaive(quantizeDistances(d, 240), 240, r.medoids, { fixed, maxIter: 1 });
      expect(again.swaps).toBe(0);
      expect(r.cost).toBeCloseTo(bruteCost(d, 240, r.medoids), 9);
    }
  });

  test("the result admits no improving swap (checked by the naive reference)", () => {
    fc.assert(
      fc.property(gridInstance(22, 1000, 2), ({ d, m, init, fixed }) => {
        const r = pamSwap(d, m, init, { fixed });
        expect(pamSwapNaive(d, m, r.medoids, { fixed, maxIter: 1 }).swaps).toBe(0);
        expect(r.cost).toBeLessThanOrEqual(bruteCost(d, m, init));
      }),
      { numRuns: 100 },
    );
  });
});
