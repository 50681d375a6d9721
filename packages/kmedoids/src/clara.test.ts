import { RandomStream, range, TbError } from "@tb/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { bruteCost, manhattanMatrix } from "./__fixtures__/helpers.js";
import { assign } from "./assign.js";
import { clara, claraSampling } from "./clara.js";
import { type DistanceSource, precomputed } from "./distance-source.js";
import { pamSwap, pamSwapNaive } from "./pam.js";

const list = (a: Int32Array) => Array.from(a);

/** A source that records which point lists CLARA asked for. */
function spy(src: DistanceSource): DistanceSource & { samples: number[][]; rows: number } {
  const s = {
    n: src.n,
    samples: [] as number[][],
    rows: 0,
    submatrix(points: Int32Array) {
      s.samples.push(Array.from(points));
      return src.submatrix(points);
    },
    rowsTo(from: Int32Array) {
      s.rows++;
      return src.rowsTo(from);
    },
  };
  return s;
}

function randomPoints(n: number, seed: number, span = 1000): Float64Array {
  const rng = RandomStream.derive("clara-points", seed);
  return manhattanMatrix(Array.from({ length: n }, () => [rng.nextInt(span), rng.nextInt(span)]));
}

/** §2.4a–b re-derived from the spec text: the sample (ascending) and the initial medoids. */
function expectedDraws(n: number, F: number[], k: number, s: number, rr: RandomStream) {
  const Fs = [...F].sort((a, b) => a - b);
  const nonFixed = range(n).filter((p) => !Fs.includes(p));
  let sample: number[];
  if (s === n) sample = Array.from(range(n));
  else {
    const first = Array.from(rr.sample(nonFixed, k));
    const rest = nonFixed.filter((p) => !first.includes(p));
    const more = Array.from(rr.sample(rest, s - Fs.length - k));
    sample = [...Fs, ...first, ...more].sort((a, b) => a - b);
  }
  const pool = sample.filter((p) => !Fs.includes(p));
  const init = [...Fs, ...Array.from(rr.sample(pool, k))];
  return { sample, init };
}

describe("clara sample construction (docs/METHOD.md §2.4a–b, [SPEC] order)", () => {
  test("s < n: sample = F ∪ k draws ∪ (s − K) draws, ascending; init = F then a second draw", () => {
    const n = 80;
    const src = spy(precomputed(randomPoints(n, 1), n));
    const F = [51, 7, 30];
    const rng = RandomStream.derive("clara-test", 1);
    // maxIter 0: no swap, so the result is exactly the initial medoid list (§2.4b)
    const r = clara(src, { k: 4, fixed: Int32Array.from(F), sampleSize: 20, rng, maxIter: 0 });
    const exp = expectedDraws(n, F, 4, 20, rng.child("clara", 0));
    expect(src.samples).toEqual([exp.sample]);
    expect(list(r.medoids)).toEqual(exp.init);
    expect(list(r.medoids.subarray(0, 3))).toEqual([7, 30, 51]);
    expect(r.subRun).toBe(0);
    expect(r.inertia).toBeUndefined();
  });

  test("s = n: nothing drawn for the sample (all points in index order); init drawn from non-fixed", () => {
    const n = 40;
    const src = spy(precomputed(randomPoints(n, 2), n));
    const rng = RandomStream.derive("clara-test", 2);
    const r = clara(src, { k: 3, fixed: Int32Array.from([9, 2]), rng, maxIter: 0 });
    const exp = expectedDraws(n, [9, 2], 3, n, rng.child("clara", 0));
    expect(src.samples).toEqual([Array.from(range(n))]);
    expect(list(r.medoids)).toEqual(exp.init);
  });

  test("s = n, R = 1 is §2.3 PAM on all points from that random start", () => {
    const n = 50;
    const d = randomPoints(n, 3);
    const rng = RandomStream.derive("clara-test", 3);
    const r = clara(precomputed(d, n), { k: 5, fixed: Int32Array.from([4, 40]), rng });
    const { init } = expectedDraws(n, [4, 40], 5, n, rng.child("clara", 0));
    expect(list(r.medoids)).toEqual(list(pamSwap(d, n, init, { fixed: 2 }).medoids));
  });

  test("s < n: PAM runs on the sample (medoids = naive PAM on the sample matrix, mapped back)", () => {
    const n = 60;
    const d = randomPoints(n, 4);
    const src = precomputed(d, n);
    const rng = RandomStream.derive("clara-test", 4);
    const r = clara(src, { k: 3, fixed: Int32Array.from([0]), sampleSize: 25, rng });
    const exp = expectedDraws(n, [0], 3, 25, rng.child("clara", 0));
    const sub = src.submatrix(Int32Array.from(exp.sample));
    const pos = exp.init.map((p) => exp.sample.indexOf(p));
    const ref = pamSwapNaive(sub, 25, pos, { fixed: 1 });
    expect(list(r.medoids)).toEqual(list(ref.medoids).map((t) => exp.sample[t]));
  });

  test("properties: F first ascending, k extra medoids distinct, not in F, inside the sample", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 60 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        (n, f, k, sFrac, R, seed) => {
          fc.pre(f + k <= n);
          const rng = RandomStream.derive("clara-prop", seed);
          const F = Array.from(rng.sample(range(n), f));
          const K = f + k;
          const s = K + Math.floor(sFrac * (n - K));
          const src = spy(precomputed(randomPoints(n, seed, 5), n));
          const r = clara(src, { k, fixed: Int32Array.from(F), sampleSize: s, subRuns: R, rng });
          const med = list(r.medoids);
          expect(med.length).toBe(K);
          expect(med.slice(0, f)).toEqual([...F].sort((a, b) => a - b));
          const extra = med.slice(f);
          expect(new Set(extra).size).toBe(k);
          for (const p of extra) expect(F).not.toContain(p);
          // "last" computes only the last sub-run (earlier ones cannot affect it)
          expect(src.samples.length).toBe(1);
          const sample = src.samples[0] as number[];
          expect(sample.length).toBe(s);
          expect([...sample].sort((a, b) => a - b)).toEqual(sample);
          for (const p of med) expect(sample).toContain(p);
          expect(r.subRun).toBe(R - 1);
          expect(src.rows).toBe(0); // "last" computes nothing extra
        },
      ),
      { numRuns: 100 },
    );
  });

  test("deterministic under the same stream, different under another", () => {
    const n = 200;
    const d = randomPoints(n, 5);
    const run = (seed: number) => {
      const src = spy(precomputed(d, n));
      const r = clara(src, { k: 6, fixed: Int32Array.from([3, 100]), sampleSize: 40, rng: RandomStream.derive(seed) });
      return { medoids: list(r.medoids), sample: src.samples[0] };
    };
    expect(run(1)).toEqual(run(1));
    const a = run(1);
    const b = run(2);
    expect(a.sample).not.toEqual(b.sample);
    expect(a.medoids).not.toEqual(b.medoids);
  });

  test('select "fullInertia" keeps the sub-run with the lowest inertia on all n points', () => {
    const n = 120;
    const d = randomPoints(n, 6);
    const src = precomputed(d, n);
    const rng = RandomStream.derive("clara-select");
    const opts = { k: 4, fixed: Int32Array.from([10]), sampleSize: 20, rng };
    // Sub-run r alone = "last" with R = r + 1 (each sub-run has its own stream).
    const per = [0, 1, 2, 3, 4].map((r) => {
      const med = clara(src, { ...opts, subRuns: r + 1 }).medoids;
      return { med: list(med), inertia: bruteCost(d, n, med) };
    });
    const inertias = per.map((p) => p.inertia);
    const bestR = inertias.indexOf(Math.min(...inertias));
    expect(new Set(inertias).size).toBeGreaterThan(1); // the choice matters on this instance
    const r = clara(src, { ...opts, subRuns: 5, select: "fullInertia" });
    expect(r.subRun).toBe(bestR);
    expect(list(r.medoids)).toEqual(per[bestR]?.med);
    expect(r.inertia).toBeCloseTo(inertias[bestR] as number, 9);
    const last = clara(src, { ...opts, subRuns: 5 });
    expect([list(last.medoids), last.subRun]).toEqual([per[4]?.med, 4]);
  });

  test('algorithm "fasterpam" gives a local optimum on the sample', () => {
    const n = 70;
    const d = randomPoints(n, 7, 20);
    const rng = RandomStream.derive("clara-fp");
    const r = clara(precomputed(d, n), { k: 5, fixed: Int32Array.from([1, 2]), rng, algorithm: "fasterpam" });
    expect(list(r.medoids.subarray(0, 2))).toEqual([1, 2]);
    expect(pamSwapNaive(d, n, r.medoids, { fixed: 2, maxIter: 1 }).swaps).toBe(0);
  });
});

describe("clara validation", () => {
  const src = precomputed(randomPoints(10, 8), 10);
  const rng = RandomStream.derive("v");
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof TbError ? e.code : "other";
    }
    return "none";
  };
  test.each([
    ["k = 0", { k: 0, rng }],
    ["k not an integer", { k: 1.5, rng }],
    ["duplicate fixed", { k: 1, fixed: Int32Array.from([2, 2]), rng }],
    ["fixed out of range", { k: 1, fixed: Int32Array.from([10]), rng }],
    ["K > n", { k: 8, fixed: Int32Array.from([0, 1, 2]), rng }],
    ["s < K", { k: 3, fixed: Int32Array.from([0]), sampleSize: 3, rng }],
    ["s > n", { k: 3, sampleSize: 11, rng }],
    ["subRuns = 0", { k: 3, subRuns: 0, rng }],
    ["bad select", { k: 3, rng, select: "best" }],
    ["bad algorithm", { k: 3, rng, algorithm: "kmeans" }],
  ])("%s → E_USAGE", (_name, opts) => {
    expect(code(() => clara(src, opts as Parameters<typeof clara>[1]))).toBe("E_USAGE");
  });
  test("s = K is allowed (PAM has no candidate: the initial draw comes out)", () => {
    const r = clara(src, { k: 2, fixed: Int32Array.from([5]), sampleSize: 3, rng });
    expect(r.medoids.length).toBe(3);
    expect(r.medoids[0]).toBe(5);
  });
});

describe("assignment of the CLARA result", () => {
  test("assign uses only the K × n rows", () => {
    const n = 30;
    const s = spy(precomputed(randomPoints(n, 9), n));
    const r = clara(s, { k: 3, rng: RandomStream.derive("a") });
    const a = assign(s, r.medoids);
    expect(s.rows).toBe(1);
    expect(a.sizes.reduce((x, y) => x + y, 0)).toBe(n);
  });
});

describe("claraSampling and assign refuse sizes and medoids that are not indices", () => {
  test("claraSampling: n, K, sampleSize and subRuns", () => {
    expect(() => claraSampling(-1, 2)).toThrow(
      /^claraSampling: n and K must be integers with 1 ≤ K ≤ n, got n = -1, K = 2/,
    );
    expect(() => claraSampling(Number.NaN, 2)).toThrow(/got n = NaN/);
    expect(() => claraSampling(10, 20)).toThrow(/got n = 10, K = 20/);
    expect(() => claraSampling(100, 5, { sampleSize: 3 })).toThrow(
      /sampleSize must be an integer in \[K, n\] = \[5, 100\], got 3/,
    );
    expect(() => claraSampling(100, 5, { subRuns: 0 })).toThrow(/subRuns must be an integer ≥ 1, got 0/);
    expect(claraSampling(100, 5)).toEqual({ sampleSize: 100, subRuns: 1, sampled: false });
    // a misspelled option is refused, not read as the default threshold (which would sample)
    expect(() => claraSampling(5000, 5, { treshold: 1e9 } as never)).toThrow(
      /^claraSampling: unknown option "treshold" \(known: sampleSize, subRuns, threshold\)/,
    );
    expect(claraSampling(5000, 5, { threshold: 1e9 })).toEqual({ sampleSize: 5000, subRuns: 1, sampled: false });
  });
  test("assign: a medoid that is not an integer point index", () => {
    const src = precomputed(Float64Array.from([0, 1, 2, 1, 0, 1, 2, 1, 0]), 3);
    expect(() => assign(src, [Number.NaN] as unknown as Int32Array)).toThrow(
      /^assign: medoid NaN \(slot 0\) is not a point index/,
    );
    expect(() => assign(src, [1.5] as unknown as Int32Array)).toThrow(/medoid 1.5/);
    expect(assign(src, Int32Array.from([1])).cost).toBe(2);
  });
});
