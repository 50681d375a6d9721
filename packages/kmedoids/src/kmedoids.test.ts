import { readFileSync } from "node:fs";
import { TbError } from "@tb/core";
import { Matrix } from "ml-matrix";
import { describe, expect, test } from "vitest";
import { lineMatrix } from "./__fixtures__/helpers.js";
import { fasterPam } from "./fasterpam.js";
import { type KMedoidsOptions, kmedoids } from "./kmedoids.js";
import { pamSwap } from "./pam.js";

interface OptimalCase {
  name: string;
  K: number;
  fixed: number[];
  distances: number[][];
  optimalCost: number;
  optimalSets: number[][];
}
// Written by __fixtures__/make_kmedoids_optimal.py: brute force over every K-subset (scipy distances).
const fixture = JSON.parse(readFileSync(new URL("./__fixtures__/kmedoids_optimal.json", import.meta.url), "utf8")) as {
  cases: OptimalCase[];
};

/** Σ_j min over `med` of d[m][j], computed here independently of the package. */
function costOf(d: readonly (readonly number[])[], med: readonly number[]): number {
  let c = 0;
  for (let j = 0; j < d.length; j++) c += Math.min(...med.map((m) => (d[m] as number[])[j] as number));
  return c;
}

function rowsOf(flat: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, (i + 1) * n)));
}

function expectUsage(f: () => unknown, code: "E_USAGE" | "E_INPUT", text: string | RegExp): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TbError);
    expect((e as TbError).code).toBe(code);
    expect((e as TbError).message).toMatch(text);
    return;
  }
  throw new Error("expected a TbError");
}

describe("kmedoids (one call)", () => {
  // six points on a line: 0 1 2 | 10 11 12
  const line = [0, 1, 2, 10, 11, 12];
  const flat = lineMatrix(line);
  const rows = rowsOf(flat, 6);

  test("hand-computed: two groups of three on a line → medoids 1 and 11, cost 1+0+1+1+0+1 = 4", () => {
    const r = kmedoids(rows, 2);
    expect([...r.medoids].sort((a, b) => a - b)).toEqual([1, 4]);
    expect(r.cost).toBe(4);
    const first = r.medoids[0] === 1 ? 0 : 1;
    expect([...r.labels]).toEqual([first, first, first, 1 - first, 1 - first, 1 - first]);
    expect([...r.sizes]).toEqual([3, 3]);
  });

  test("hand-computed: point 0 fixed → medoids [0, 4], cost (0+1+2) + (1+0+1) = 5", () => {
    const r = kmedoids(rows, 2, { fixed: [0] });
    expect([...r.medoids]).toEqual([0, 4]);
    expect(r.cost).toBe(5);
    expect([...r.labels]).toEqual([0, 0, 0, 1, 1, 1]);
  });

  test("every point fixed (K = n): each point is its own medoid, cost 0", () => {
    const r = kmedoids(rows, 6, { fixed: [5, 4, 3, 2, 1, 0] });
    expect([...r.medoids]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.cost).toBe(0);
    expect([...r.sizes]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  test("number[][], flat Float64Array and ml-matrix Matrix give the same result", () => {
    for (const method of ["pam", "fasterpam", "clara"] as const) {
      const a = kmedoids(rows, 2, { method, seed: 3 });
      const b = kmedoids(flat, 2, { method, seed: 3 });
      const c = kmedoids(new Matrix(rows), 2, { method, seed: 3 });
      expect(b).toEqual(a);
      expect(c).toEqual(a);
    }
  });

  test("the input is not modified and the same seed gives the same result", () => {
    const copy = flat.slice();
    const a = kmedoids(flat, 2, { seed: 9 });
    expect(flat).toEqual(copy);
    expect(kmedoids(flat, 2, { seed: 9 })).toEqual(a);
  });

  describe("against the brute-force optimum (python3 + scipy)", () => {
    for (const c of fixture.cases) {
      test(c.name, () => {
        const d = c.distances;
        // the fixture's own optimum is consistent with an independent cost computation
        expect(costOf(d, c.optimalSets[0] as number[])).toBeCloseTo(c.optimalCost, 12);
        const costs: Record<string, number[]> = {};
        for (const method of ["pam", "fasterpam", "clara"] as const) {
          costs[method] = [];
          for (let seed = 0; seed < 5; seed++) {
            const opts: KMedoidsOptions = { seed, fixed: c.fixed, method };
            const r = kmedoids(d, c.K, opts);
            const med = [...r.medoids];
            // shape: K distinct medoids, fixed ones first in ascending order
            expect(new Set(med).size).toBe(c.K);
            expect(med.slice(0, c.fixed.length)).toEqual([...c.fixed].sort((a, b) => a - b));
            // labels point at a nearest medoid, sizes count them, cost is their sum
            let sum = 0;
            for (let j = 0; j < d.length; j++) {
              const dj = med.map((m) => (d[m] as number[])[j] as number);
              const l = r.labels[j] as number;
              expect(dj[l]).toBe(Math.min(...dj));
              sum += dj[l] as number;
            }
            expect(r.cost).toBeCloseTo(sum, 12);
            expect([...r.sizes]).toEqual(med.map((_, i) => [...r.labels].filter((l) => l === i).length));
            // never below the optimum; pam is a local optimum: no single swap of a free medoid helps
            expect(r.cost).toBeGreaterThanOrEqual(c.optimalCost - 1e-9);
            if (method === "pam") {
              for (let i = c.fixed.length; i < c.K; i++) {
                for (let h = 0; h < d.length; h++) {
                  if (med.includes(h)) continue;
                  const swapped = med.slice();
                  swapped[i] = h;
                  expect(costOf(d, swapped)).toBeGreaterThanOrEqual(r.cost - 1e-9 * r.cost);
                }
              }
            }
            costs[method].push(r.cost);
          }
        }
        // PAM from five seeded starts reaches the optimum on these small sets
        expect(Math.min(...(costs.pam as number[]))).toBeCloseTo(c.optimalCost, 9);
      });
    }
  });

  test("clara with explicit samples: K ≤ s ≤ n and several sub-runs", () => {
    const c = fixture.cases[0] as OptimalCase;
    const r = kmedoids(c.distances, 3, { method: "clara", sampleSize: 8, subRuns: 4, seed: 2 });
    expect(r.medoids.length).toBe(3);
    expect(r.cost).toBeGreaterThanOrEqual(c.optimalCost - 1e-9);
  });

  describe("refusals name the problem", () => {
    test("an asymmetric matrix is refused up front (it would make the swaps oscillate)", () => {
      const d = rows.map((r) => r.slice());
      (d[0] as number[])[3] = 9;
      expectUsage(() => kmedoids(d, 2), "E_INPUT", /not symmetric: \[0\]\[3\] = 9 but \[3\]\[0\] = 10/);
    });
    test("non-square, ragged, empty, flat list, wrong flat length", () => {
      expectUsage(
        () =>
          kmedoids(
            [
              [0, 1, 2],
              [1, 0, 3],
            ],
            1,
          ),
        "E_INPUT",
        /square.*row 0 has 3/,
      );
      expectUsage(() => kmedoids([], 1), "E_INPUT", /no rows/);
      expectUsage(() => kmedoids([0, 1, 1, 0] as unknown as number[][], 1), "E_INPUT", /row 0 is not an array/);
      expectUsage(() => kmedoids(new Float64Array(5), 1), "E_INPUT", /n·n entries.*got 5/);
      expectUsage(() => kmedoids(new Matrix(2, 3), 1), "E_INPUT", /square.*2 × 3/);
      expectUsage(() => kmedoids("x" as unknown as number[][], 1), "E_INPUT", /must be number\[\]\[\]/);
    });
    test("NaN, negative, infinite entries and a non-zero diagonal", () => {
      for (const [v, what] of [
        [Number.NaN, "NaN"],
        [-1, "-1"],
        [Number.POSITIVE_INFINITY, "Infinity"],
      ] as const) {
        const d = rows.map((r) => r.slice());
        (d[2] as number[])[4] = v;
        expectUsage(() => kmedoids(d, 2), "E_INPUT", new RegExp(`\\[2\\]\\[4\\] is ${what}`));
      }
      const d = rows.map((r) => r.slice());
      (d[1] as number[])[1] = 0.5;
      expectUsage(() => kmedoids(d, 2), "E_INPUT", /\[1\]\[1\] is 0.5; the diagonal must be 0/);
    });
    test("K out of range", () => {
      expectUsage(() => kmedoids(rows, 0), "E_USAGE", /K must be an integer in \[1, 6\]/);
      expectUsage(
        () => kmedoids(rows, 7),
        "E_USAGE",
        /K must be an integer in \[1, 6\] \(the number of points\), got 7/,
      );
      expectUsage(() => kmedoids(rows, 1.5), "E_USAGE", /K must be/);
    });
    test("fixed: duplicates, out of range, more than K", () => {
      expectUsage(() => kmedoids(rows, 3, { fixed: [1, 1] }), "E_USAGE", /fixed lists point 1 twice/);
      expectUsage(() => kmedoids(rows, 3, { fixed: [6] }), "E_USAGE", /fixed\[0\] is 6, not a point index in \[0, 6\)/);
      expectUsage(() => kmedoids(rows, 3, { fixed: [-1] }), "E_USAGE", /fixed\[0\] is -1/);
      expectUsage(() => kmedoids(rows, 1, { fixed: [0, 1] }), "E_USAGE", /2 fixed medoids but K = 1/);
    });
    test("options: unknown name, unknown method, bad seed, clara-only options, bad sample size", () => {
      const bad = (o: unknown) => () => kmedoids(rows, 2, o as KMedoidsOptions);
      expectUsage(bad({ sead: 1 }), "E_USAGE", /unknown option "sead"/);
      expectUsage(bad({ method: "kmeans" }), "E_USAGE", /method must be one of pam, fasterpam, clara, got "kmeans"/);
      expectUsage(bad({ seed: 1.5 }), "E_USAGE", /seed must be an integer/);
      expectUsage(bad({ sampleSize: 4 }), "E_USAGE", /sampleSize applies to method "clara" only/);
      expectUsage(
        bad({ method: "clara", sampleSize: 1 }),
        "E_USAGE",
        /sampleSize must be an integer in \[K, n\] = \[2, 6\]/,
      );
      expectUsage(bad({ method: "clara", subRuns: 0 }), "E_USAGE", /subRuns must be an integer ≥ 1/);
      expectUsage(bad({ maxIter: -1 }), "E_USAGE", /maxIter must be an integer ≥ 0/);
      // every medoid fixed (no search): the options are still checked
      const allFixed = (o: object) => () => kmedoids(rows, 1, { fixed: [0], ...o } as KMedoidsOptions);
      expectUsage(allFixed({ maxIter: -5 }), "E_USAGE", /maxIter must be an integer ≥ 0, got -5/);
      expectUsage(allFixed({ method: "clara", subRuns: -1 }), "E_USAGE", /subRuns must be an integer ≥ 1/);
      expectUsage(allFixed({ method: "clara", sampleSize: "x" }), "E_USAGE", /sampleSize must be an integer/);
    });
    test("the low-level searches refuse option names they do not have (a typo was ignored)", () => {
      const d = Float64Array.from([0, 1, 2, 1, 0, 1, 2, 1, 0]);
      expectUsage(
        () => fasterPam(d, 3, [0, 1], { maxIter: 0 } as never),
        "E_USAGE",
        /^fasterPam: unknown option "maxIter" \(known: maxPasses, /,
      );
      expectUsage(
        () => pamSwap(d, 3, [0, 1], { maxPasses: 0 } as never),
        "E_USAGE",
        /^pamSwap: unknown option "maxPasses"/,
      );
      expectUsage(
        () => fasterPam(d, 3, [0, 1], null as never),
        "E_USAGE",
        /^fasterPam: options must be an object, got null/,
      );
      expect(fasterPam(d, 3, [0, 2], { maxPasses: 0 }).medoids).toEqual(Int32Array.from([0, 2]));
    });
  });
});

describe("numeric seeds in the low-level functions", () => {
  test("clara({ rng: s }) and fasterPam({ rng: s }) equal RandomStream.derive(s)", async () => {
    const { RandomStream } = await import("@tb/core");
    const { clara } = await import("./clara.js");
    const { fasterPam } = await import("./fasterpam.js");
    const { precomputed } = await import("./distance-source.js");
    const c = fixture.cases[2] as OptimalCase;
    const n = c.distances.length;
    const flat = Float64Array.from(c.distances.flat());
    const src = precomputed(flat, n);
    const opts = { k: 3, sampleSize: 8, subRuns: 3 };
    expect(clara(src, { ...opts, rng: 11 }).medoids).toEqual(
      clara(src, { ...opts, rng: RandomStream.derive(11) }).medoids,
    );
    // fixed medoids as a plain array, the same as an Int32Array; a non-integer is refused
    expect(clara(src, { ...opts, fixed: [9, 2], rng: 11 }).medoids).toEqual(
      clara(src, { ...opts, fixed: Int32Array.of(2, 9), rng: 11 }).medoids,
    );
    expect(() => clara(src, { ...opts, fixed: [1.5], rng: 11 })).toThrow(/fixed\[0\] is 1.5, not an example index/);
    expect(fasterPam(flat, n, [0, 1, 2], { rng: 4 }).medoids).toEqual(
      fasterPam(flat, n, [0, 1, 2], { rng: RandomStream.derive(4) }).medoids,
    );
  });
});
