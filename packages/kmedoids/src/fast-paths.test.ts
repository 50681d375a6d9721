// The fast paths of issue 22 against references: FasterPAM's removal-loss kernel (four points
// skipped at a time, the rest branch-free; removal losses updated per swap) against the literal definition, and the no-copy paths of
// fasterPam / pamSwap / kmedoids for matrices already on the exact grid against the copying path.
import { RandomStream, range } from "@tb/core";
import { describe, expect, test } from "vitest";
import { bruteCost, manhattanMatrix, zScoredBinaryMatrix } from "./__fixtures__/helpers.js";
import { exactGrid, isOnGrid, quantizeDistances } from "./exact.js";
import { fasterPam } from "./fasterpam.js";
import { kmedoids, validDistances } from "./kmedoids.js";
import { pamSwap } from "./pam.js";

/**
 * FasterPAM by its definition (docs/METHOD.md §5 step 3), on a matrix already on the grid: each
 * candidate's Φ(i, h) is the cost after putting h into slot i minus the cost now, both summed
 * point by point (exact on the grid), first slot on ties; eager swap when Φ < −eps·max(1, |cost|);
 * a pass ends at the candidate of the last swap; stop after a pass without a swap or without a
 * decrease. O(m²K²) per pass: small inputs only.
 */
function fasterPamByDefinition(
  q: Float64Array,
  m: number,
  init: ArrayLike<number>,
  f = 0,
  order: Int32Array = range(m),
  maxPasses = 100,
  eps = 1e-9,
): { medoids: number[]; swaps: number; iterations: number } {
  const med = Array.from(init);
  const K = med.length;
  if (maxPasses === 0) return { medoids: med, swaps: 0, iterations: 0 };
  let loss = bruteCost(q, m, med);
  let lastSwap = -1;
  let swaps = 0;
  let passes = 0;
  while (passes < maxPasses) {
    passes++;
    const swapsBefore = swaps;
    const lastLoss = loss;
    for (let t = 0; t < m; t++) {
      const h = order[t] as number;
      if (h === lastSwap) break;
      if (med.includes(h)) continue;
      let best = Number.POSITIVE_INFINITY;
      let bi = -1;
      for (let i = f; i < K; i++) {
        const trial = med.slice();
        trial[i] = h;
        const phi = bruteCost(q, m, trial) - loss;
        if (phi < best) {
          best = phi;
          bi = i;
        }
      }
      if (!(best < -eps * Math.max(1, Math.abs(loss)))) continue;
      med[bi] = h;
      swaps++;
      lastSwap = h;
      loss = bruteCost(q, m, med);
    }
    if (swaps === swapsBefore || loss >= lastLoss) break;
  }
  return { medoids: med, swaps, iterations: passes };
}

/** Test matrices with many exact ties (integer grid points, 0/1 data) and without (uniform). */
function matrices(seed: number, m: number): { name: string; d: Float64Array }[] {
  const rng = RandomStream.derive("fast-paths", seed, m);
  const ints = manhattanMatrix(Array.from({ length: m }, () => [rng.nextInt(6), rng.nextInt(6)]));
  const bits = zScoredBinaryMatrix(Array.from({ length: m }, () => Array.from({ length: 9 }, () => rng.nextInt(2))));
  const uni = manhattanMatrix(Array.from({ length: m }, () => [rng.nextFloat(), rng.nextFloat(), rng.nextFloat()]));
  return [
    { name: "integer points (ties)", d: ints },
    { name: "z-scored 0/1 (ties)", d: bits },
    { name: "uniform", d: uni },
  ];
}

describe("FasterPAM kernel = FasterPAM by definition (same swaps, passes, medoids)", () => {
  // K = 1 (no second medoid), small and large K, m not a multiple of 4 (the kernel's tail)
  const cases: [m: number, K: number, f: number][] = [
    [12, 1, 0],
    [20, 2, 0],
    [30, 5, 0],
    [30, 5, 2],
    [40, 10, 0],
    [50, 23, 0],
    [50, 24, 0],
    [60, 25, 3],
    [70, 40, 0],
  ];
  for (const [m, K, f] of cases) {
    test(`m = ${m}, K = ${K}, ${f} fixed`, () => {
      for (let seed = 0; seed < 3; seed++) {
        for (const { name, d } of matrices(seed, m)) {
          const q = quantizeDistances(d, m);
          const init = RandomStream.derive("fast-paths-init", seed, m, K).sample(range(m), K);
          const want = fasterPamByDefinition(q, m, init, f);
          const got = fasterPam(d, m, init, { fixed: f });
          expect({ name, seed, medoids: Array.from(got.medoids), swaps: got.swaps, passes: got.iterations }).toEqual({
            name,
            seed,
            medoids: want.medoids,
            swaps: want.swaps,
            passes: want.iterations,
          });
          expect(got.cost).toBe(bruteCost(d, m, want.medoids));
        }
      }
    });
  }

  test("a shuffled candidate order and a pass cap", () => {
    const m = 45;
    for (const K of [6, 30]) {
      for (const { d } of matrices(7, m)) {
        const q = quantizeDistances(d, m);
        const init = RandomStream.derive("fast-paths-order", K).sample(range(m), K);
        const order = RandomStream.derive("order", K).shuffle(range(m));
        for (const maxPasses of [1, 2, 100]) {
          const want = fasterPamByDefinition(q, m, init, 0, order, maxPasses);
          const got = fasterPam(d, m, init, { rng: RandomStream.derive("order", K), maxPasses });
          expect([Array.from(got.medoids), got.swaps, got.iterations]).toEqual([
            want.medoids,
            want.swaps,
            want.iterations,
          ]);
        }
      }
    }
  });
});

describe("matrices already on the exact grid are used as they are", () => {
  test("isOnGrid: a quantized matrix is, a perturbed or −0 entry is not", () => {
    const m = 25;
    for (const { d } of matrices(1, m)) {
      const q = quantizeDistances(d, m);
      let max = 0;
      for (const x of q) max = Math.max(max, x);
      expect(isOnGrid(q, max, m)).toBe(true);
      expect(isOnGrid(q, max, m, true)).toBe(true);
      const grid = exactGrid(max, m);
      const off = q.slice();
      off[3] = (off[3] as number) + grid / 2; // between two grid points (below max)
      off[3 * m] = off[3] as number;
      expect(isOnGrid(off, max, m)).toBe(false);
      expect(isOnGrid(off, max, m, true)).toBe(false);
      const negZero = q.slice();
      negZero[0] = -0;
      expect(isOnGrid(negZero, max, m)).toBe(false);
      expect(isOnGrid(negZero, max, m, true)).toBe(false);
      // the symmetric form reads only the upper triangle (and the diagonal's sign)
      const lower = q.slice();
      lower[m - 1] = (lower[m - 1] as number) + grid / 2;
      lower[(m - 1) * m] = lower[m - 1] as number;
      expect(isOnGrid(lower, max, m, true)).toBe(false);
    }
    expect(isOnGrid(new Float64Array(9), 0, 3)).toBe(true);
    expect(isOnGrid(Float64Array.from([0, -0, 0, 0]), 0, 2)).toBe(false);
  });

  test("fasterPam and pamSwap: the same search on d and on its quantized copy; inputs untouched", () => {
    for (const m of [30, 70]) {
      for (const { name, d } of matrices(2, m)) {
        const q = quantizeDistances(d, m);
        const before = q.slice();
        const dBefore = d.slice();
        for (const K of [3, 12, 26]) {
          const init = RandomStream.derive("grid-same", m, K).sample(range(m), K);
          const a = fasterPam(d, m, init);
          const b = fasterPam(q, m, init);
          expect([name, Array.from(b.medoids), b.swaps, b.iterations]).toEqual([
            name,
            Array.from(a.medoids),
            a.swaps,
            a.iterations,
          ]);
          const f = 2;
          const c = pamSwap(d, m, init, { fixed: f });
          const e = pamSwap(q, m, init, { fixed: f });
          expect([name, Array.from(e.medoids), e.swaps]).toEqual([name, Array.from(c.medoids), c.swaps]);
        }
        expect(q).toEqual(before);
        expect(d).toEqual(dBefore);
      }
    }
  });

  test("kmedoids: the same medoids, labels and sizes for d and its quantized copy, every method", () => {
    const m = 90; // more than one 64 × 64 tile of the symmetry check
    for (const { name, d } of matrices(3, m)) {
      const q = quantizeDistances(d, m);
      const before = q.slice();
      for (const method of ["pam", "fasterpam", "clara"] as const) {
        for (const fixed of [[], [5, 70]]) {
          const a = kmedoids(d, 8, { method, fixed, seed: 4 });
          const b = kmedoids(q, 8, { method, fixed, seed: 4 });
          expect([name, method, Array.from(b.medoids), Array.from(b.labels), Array.from(b.sizes)]).toEqual([
            name,
            method,
            Array.from(a.medoids),
            Array.from(a.labels),
            Array.from(a.sizes),
          ]);
          expect(b.cost).toBe(bruteCost(q, m, b.medoids));
        }
      }
      expect(q).toEqual(before);
    }
  });

  test("kmedoids' one-pass check gives the largest entry; with isOnGrid it decides the copy", () => {
    const trueMax = (d: Float64Array) => d.reduce((a, b) => Math.max(a, b), 0);
    const mirror = (d: Float64Array, m: number, i: number, j: number, v: number) => {
      d[i * m + j] = v;
      d[j * m + i] = v;
    };
    for (const m of [1, 2, 33, 70]) {
      for (const { name, d } of matrices(5, m)) {
        const q = quantizeDistances(d, m);
        const max = trueMax(q);
        const grid = exactGrid(max, m);
        const cases: [string, Float64Array][] = [
          ["raw", d],
          ["on the grid", q],
          ["scaled by 2 (same grid position)", q.map((x) => 2 * x)],
        ];
        if (m > 2) {
          const off = q.slice(); // one pair off the grid, far from row 0
          mirror(off, m, m - 2, m - 1, (off[(m - 2) * m + m - 1] as number) + grid / 2);
          cases.push(["one pair off the grid", off]);
          const coarse = q.slice(); // an entry on the finer grid only, then a max that doubles the grid
          mirror(coarse, m, 1, 2, grid);
          mirror(coarse, m, m - 1, m - 2, 2 * max);
          cases.push(["grid doubled by a late maximum", coarse]);
          const far = q.slice(); // not a metric: the maximum far above row 0's
          mirror(far, m, m - 1, m - 2, 64 * max);
          cases.push(["maximum beyond twice row 0's", far]);
          const negZero = q.slice();
          mirror(negZero, m, m - 1, m - 3, -0);
          cases.push(["−0 pair", negZero]);
        }
        for (const [what, x] of cases) {
          const mx = trueMax(x);
          expect([name, m, what, validDistances(x, m), isOnGrid(x, mx, m, true)]).toEqual([
            name,
            m,
            what,
            mx,
            isOnGrid(x, mx, m),
          ]);
        }
      }
    }
  });

  test("kmedoids still names a bad entry in a far tile", () => {
    const m = 130;
    const d = quantizeDistances(matrices(4, m)[2]?.d as Float64Array, m);
    const asym = d.slice();
    asym[3 * m + 129] = (asym[3 * m + 129] as number) + 1;
    expect(() => kmedoids(asym, 4)).toThrow(/not symmetric: \[3\]\[129\]/);
    const nan = d.slice();
    nan[100 * m + 70] = Number.NaN;
    expect(() => kmedoids(nan, 4)).toThrow(/distance \[100\]\[70\] is NaN/);
    const neg = d.slice();
    neg[64 * m + 120] = -1;
    neg[120 * m + 64] = -1;
    expect(() => kmedoids(neg, 4)).toThrow(/distance \[64\]\[120\] is -1/);
    const inf = d.slice();
    inf[5 * m + 99] = Number.POSITIVE_INFINITY;
    inf[99 * m + 5] = Number.POSITIVE_INFINITY;
    expect(() => kmedoids(inf, 4)).toThrow(/distance \[5\]\[99\] is Infinity/);
    const diag = d.slice();
    diag[77 * m + 77] = 1;
    expect(() => kmedoids(diag, 4)).toThrow(/distance \[77\]\[77\] is 1; the diagonal must be 0/);
  });
});
