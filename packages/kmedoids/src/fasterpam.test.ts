import { RandomStream, range } from "@tb/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { bruteCost, lineMatrix, manhattanMatrix, subsets } from "./__fixtures__/helpers.js";
import { fasterPam } from "./fasterpam.js";
import { pamSwap, pamSwapNaive } from "./pam.js";

const list = (a: Int32Array) => Array.from(a);

/** Symmetric matrix from the strict lower triangle, row by row: d(1,0), d(2,0), d(2,1), d(3,0), … */
function fromLowerTriangle(n: number, tri: number[]): Float64Array {
  const d = new Float64Array(n * n);
  let t = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      d[i * n + j] = tri[t] as number;
      d[j * n + i] = tri[t] as number;
      t++;
    }
  }
  return d;
}

describe("fasterPam (docs/METHOD.md §5 step 3)", () => {
  test("hand-worked 5-point example (the rust-kmedoids test case)", () => {
    // d(1,0)=1 d(2,0)=2 d(2,1)=3 d(3,0)=4 d(3,1)=5 d(3,2)=6 d(4,0)=7 d(4,1)=8 d(4,2)=9 d(4,3)=1.
    // Start (p0, p1): d1 = 0 0 2 4 7 → loss 13.
    // Pass 1: p2 → slot 0: {2,1} = 1 0 0 5 8 = 14; slot 1: {0,2} = 0 1 0 4 7 = 12 → swap (Φ −1).
    //         p3 → slot 0: {3,2} = 2 3 0 0 1 = 6;  slot 1: {0,3} = 0 1 2 0 1 = 4 → swap (Φ −8).
    //         p4 → slot 0: {4,3} = 15; slot 1: {0,4} = 0 1 2 1 0 = 4 (Φ 0) → no swap.
    // Pass 2: p1 → {1,3} = 5, {0,1} = 13; p2 → {2,3} = 6, {0,2} = 12; p3 = last swap → end.
    //         No swap → stop after 2 passes: (p0, p3), loss 4, 2 swaps.
    const d = fromLowerTriangle(5, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
    const r = fasterPam(d, 5, [0, 1]);
    expect(list(r.medoids)).toEqual([0, 3]);
    expect(r.cost).toBe(4);
    expect(r.swaps).toBe(2);
    expect(r.iterations).toBe(2);
  });

  test("eager: swaps as soon as a candidate improves (unlike best-improvement PAM)", () => {
    // Same matrix: PAM's first swap is the best pair overall, p3 → slot 1 (Φ −9: {0,3} = 4).
    const d = fromLowerTriangle(5, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
    expect(list(pamSwap(d, 5, [0, 1], { maxIter: 1 }).medoids)).toEqual([0, 3]);
    // FasterPAM makes the (worse) first improving swap it meets: p2 → slot 1.
    expect(list(fasterPam(d, 5, [0, 1], { maxPasses: 1 }).medoids)).toEqual([0, 3]);
    // … so after one pass it has made 2 swaps where PAM needed 1.
    expect(fasterPam(d, 5, [0, 1], { maxPasses: 1 }).swaps).toBe(2);
  });

  test("fixed slots are never swapped out", () => {
    // x = 4 0 1 9 10, fixed (p0): only slot 1 moves; best reachable: (p0, p3) or (p0, p4), cost 8.
    const d = lineMatrix([4, 0, 1, 9, 10]);
    const r = fasterPam(d, 5, [0, 1], { fixed: 1 });
    expect(r.medoids[0]).toBe(0);
    expect(r.cost).toBe(8);
    expect(fasterPam(d, 5, [0, 1]).medoids).not.toContain(0);
  });

  test("loss never increases: cost after p passes is non-increasing in p", () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 40 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (m, K, seed) => {
        const rng = RandomStream.derive("fp-monotone", seed);
        const pts = Array.from({ length: m }, () => [rng.nextInt(50), rng.nextInt(50)]);
        const d = manhattanMatrix(pts);
        const init = rng.sample(range(m), Math.min(K, m));
        let prev = bruteCost(d, m, init);
        for (let p = 1; p <= 6; p++) {
          // a fresh stream per call: the same candidate order every time
          const r = fasterPam(d, m, init, { maxPasses: p, rng: RandomStream.derive("order", seed) });
          expect(r.cost).toBeLessThanOrEqual(prev);
          expect(r.iterations).toBeLessThanOrEqual(p);
          prev = r.cost;
        }
      }),
      { numRuns: 60 },
    );
  });

  test("converges to a local optimum (no improving swap left, by the naive reference)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (m, K, seed) => {
        const rng = RandomStream.derive("fp-local", seed);
        const d = manhattanMatrix(Array.from({ length: m }, () => [rng.nextInt(4), rng.nextInt(4)]));
        const init = rng.sample(range(m), Math.min(K, m));
        const r = fasterPam(d, m, init);
        expect(r.iterations).toBeLessThan(100);
        expect(pamSwapNaive(d, m, r.medoids, { maxIter: 1 }).swaps).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  test("FasterPAM and PAM reach the brute-force optimum when it is unique (separated clusters)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }), fc.integer(), (K, per, seed) => {
        // K well-separated clusters of `per` points each (centres 1000 apart, spread < 20):
        // a start with two medoids in one cluster is never a local optimum, and within one
        // cluster single swaps reach its 1-medoid, so local = global.
        const rng = RandomStream.derive("fp-brute", seed);
        const pts: number[][] = [];
        for (let c = 0; c < K; c++) {
          for (let t = 0; t < per; t++) pts.push([1000 * c + rng.nextFloat() * 10, rng.nextFloat() * 10]);
        }
        const m = pts.length;
        const d = manhattanMatrix(pts);
        let best = Number.POSITIVE_INFINITY;
        let second = Number.POSITIVE_INFINITY;
        let arg: number[] = [];
        for (const S of subsets(m, K)) {
          const c = bruteCost(d, m, S);
          if (c < best) {
            second = best;
            best = c;
            arg = S;
          } else if (c < second) second = c;
        }
        if (!(second > best + 1e-6)) return; // optimum not unique
        const init = rng.sample(range(m), K);
        const sorted = (a: Int32Array) => Array.from(a).sort((x, y) => x - y);
        expect(sorted(fasterPam(d, m, init).medoids)).toEqual(arg);
        expect(sorted(fasterPam(d, m, init, { rng: rng.child("o") }).medoids)).toEqual(arg);
        expect(sorted(pamSwap(d, m, init).medoids)).toEqual(arg);
      }),
      { numRuns: 120 },
    );
  });

  test("a given rng shuffles the candidate order deterministically", () => {
    const rng = RandomStream.derive("fp-det");
    const d = manhattanMatrix(Array.from({ length: 60 }, () => [rng.nextInt(9), rng.nextInt(9)]));
    const init = rng.sample(range(60), 5);
    const a = fasterPam(d, 60, init, { rng: RandomStream.derive("order", 1) });
    const b = fasterPam(d, 60, init, { rng: RandomStream.derive("order", 1) });
    expect(list(a.medoids)).toEqual(list(b.medoids));
    expect([a.swaps, a.iterations]).toEqual([b.swaps, b.iterations]);
    // across many orders, at least one differs in its swap sequence length or result
    const outcomes = new Set<string>();
    for (let s = 0; s < 20; s++) {
      const r = fasterPam(d, 60, init, { rng: RandomStream.derive("order", s) });
      outcomes.add(`${list(r.medoids)}|${r.swaps}`);
    }
    expect(outcomes.size).toBeGreaterThan(1);
  });
});
