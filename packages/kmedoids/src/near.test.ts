import { RandomStream, range, Workspace } from "@tb/core";
import { describe, expect, test } from "vitest";
import { lineMatrix, zScoredBinaryMatrix } from "./__fixtures__/helpers.js";
import { clara, retainedBytes } from "./clara.js";
import { type DistanceSource, type NearPairs, precomputed } from "./distance-source.js";
import { exactGrid, quantizeDistances, roundToGrid } from "./exact.js";
import { nearIndex, roundWithNear, sortedRows, sparseNear } from "./near.js";
import { pamSwap, pamSwapCore, pamSwapNaive } from "./pam.js";

const list = (a: ArrayLike<number>) => Array.from(a);

describe("nearIndex: the entries below each point's distance to its nearest fixed medoid", () => {
  test("a hand-worked line", () => {
    // x = 0 1 2 10 11 12, fixed p0 (x=0) and p5 (x=12).
    // cap(j) = min(|x_j − 0|, |x_j − 12|) = 0 1 2 2 1 0.
    // Row j lists h with |x_j − x_h| < cap(j):
    //   p0, p5: cap 0 → none;  p1 (x=1, cap 1): itself;  p2 (x=2, cap 2): x = 1, 2;
    //   p3 (x=10, cap 2): x = 10, 11;  p4 (x=11, cap 1): itself.
    const d = lineMatrix([0, 1, 2, 10, 11, 12]);
    const near = nearIndex(d, 6, [5, 0], 1);
    expect(near).toBeDefined();
    if (near === undefined) return;
    expect(list(near.fixed)).toEqual([0, 5]);
    const rows = Array.from(range(6), (j) => list(near.idx.subarray(near.start[j], near.start[j + 1])));
    expect(rows).toEqual([[], [1], [1, 2], [3, 4], [4], []]);
    // the values are the matrix's own
    for (let j = 0; j < 6; j++) {
      for (let t = near.start[j] as number; t < (near.start[j + 1] as number); t++) {
        expect(near.val[t]).toBe(d[j * 6 + (near.idx[t] as number)]);
      }
    }
  });

  test("no lists without fixed medoids, or when most entries are near", () => {
    const d = lineMatrix([0, 1, 2, 10, 11, 12]);
    expect(nearIndex(d, 6, [])).toBeUndefined();
    // one fixed medoid at x = 10: caps 10 9 8 0 1 2 list 3+3+3+0+1+2 = 12 of 36 entries, more
    // than the default quarter; with a larger share they are listed
    expect(nearIndex(d, 6, [3])).toBeUndefined();
    expect(nearIndex(d, 6, [3], 0.5)?.start[6]).toBe(12);
  });

  test("two fixed medoids at the same place", () => {
    // p0 and p1 both at x = 0 and fixed: cap(j) = |x_j|, so only entries strictly closer than
    // the origin are listed (none for p0/p1 themselves, cap 0).
    const d = lineMatrix([0, 0, 5, 6, 20, 21, 40, 41, 60, 61]);
    const near = nearIndex(d, 10, [0, 1], 1);
    expect(near).toBeDefined();
    if (near === undefined) return;
    expect(list(near.start.subarray(0, 3))).toEqual([0, 0, 0]);
    // p2 (x=5, cap 5): p2 itself (0), p3 (1) → 2 entries
    expect(list(near.idx.subarray(near.start[2], near.start[3]))).toEqual([2, 3]);
  });
});

describe("roundWithNear = roundToGrid, then nearIndex (one pass instead of two)", () => {
  const raw = (m: number, seed: number) => {
    const rng = RandomStream.derive("round-near", seed);
    const xs = Float64Array.from({ length: m }, () => rng.nextFloat() * 7.3);
    const d = new Float64Array(m * m);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) d[a * m + b] = Math.abs((xs[a] as number) - (xs[b] as number)) / 3;
    return d;
  };
  const max = (d: Float64Array) => d.reduce((x, y) => Math.max(x, y), 0);
  for (const [m, fixed, share] of [
    [120, [4, 17, 60, 99, 33, 80, 2, 111], 0.25],
    [90, [0, 89], 1],
    [90, [5, 6, 7], 0.01], // more entries near than 1 %: no lists, but the matrix is still rounded
    [60, [9], 0.25], // one fixed medoid
    [60, [], 0.25], // none: no lists
  ] as const) {
    test(`m = ${m}, ${fixed.length} fixed, share ≤ ${share}`, () => {
      const d = raw(m, m + fixed.length);
      const expected = roundToGrid(d, max(d), m, new Float64Array(d.length));
      expect(exactGrid(max(d), m)).toBeGreaterThan(0);
      const ref = nearIndex(expected, m, fixed, share);
      const got = d.slice();
      const near = roundWithNear(got, max(d), m, fixed, share);
      expect(got).toEqual(expected);
      expect(Array.from(got).every((x, t) => Object.is(x, expected[t]))).toBe(true);
      if (ref === undefined) {
        expect(near).toBeUndefined();
      } else {
        expect(near).toBeDefined();
        expect(list(near?.start ?? [])).toEqual(list(ref.start));
        expect(list(near?.idx ?? [])).toEqual(list(ref.idx));
        expect(list(near?.val ?? [])).toEqual(list(ref.val));
        expect(list(near?.fixed ?? [])).toEqual(list(ref.fixed));
      }
    });
  }
  test("an all-zero matrix: nothing to round, empty lists", () => {
    const d = new Float64Array(25);
    const near = roundWithNear(d, 0, 5, [1, 3], 1);
    expect(list(d)).toEqual(new Array(25).fill(0));
    expect(list(near?.start ?? [-1])).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

function instance(m: number, q: number, seed: number) {
  const rng = RandomStream.derive("near-lists", seed);
  const ease = Float64Array.from({ length: m }, () => rng.nextFloat());
  const bits = Array.from({ length: m }, (_, x) =>
    Array.from({ length: q }, (_, c) => (rng.nextFloat() < 0.15 + 0.7 * (ease[x] as number) * ((c % 7) / 6) ? 1 : 0)),
  );
  return { d: quantizeDistances(zScoredBinaryMatrix(bits), m), rng };
}

describe("PAM with near lists = PAM without = the literal definition", () => {
  for (const [m, q, f, k, seed] of [
    [300, 14, 10, 15, 1],
    [360, 24, 10, 20, 2],
    [250, 5, 6, 10, 3],
    [300, 14, 12, 3, 5],
  ] as const) {
    test(`m = ${m}, ${q} features, ${f} fixed + ${k}`, () => {
      const { d, rng } = instance(m, q, seed);
      const init = Array.from(rng.sample(range(m), f + k));
      expect(nearIndex(d, m, init.slice(0, f))).toBeDefined(); // the lists are really used
      const ref = pamSwapNaive(d, m, init, { fixed: f });
      const withLists = pamSwap(d, m, init, { fixed: f });
      const without = pamSwap(d, m, init, { fixed: f, nearLists: false });
      const fullRebuild = pamSwap(d, m, init, { fixed: f, incremental: false });
      expect(ref.swaps).toBeGreaterThan(2);
      for (const r of [withLists, without, fullRebuild]) {
        expect(list(r.medoids)).toEqual(list(ref.medoids));
        expect(r.swaps).toBe(ref.swaps);
        expect(r.iterations).toBe(ref.iterations);
        expect(r.cost).toBe(ref.cost);
      }
    });
  }

  test("one fixed medoid (lists of any share, through the internal swap loop)", () => {
    const { d, rng } = instance(280, 10, 6);
    const init = Array.from(rng.sample(range(280), 13));
    const ref = pamSwapNaive(d, 280, init, { fixed: 1 });
    const near = nearIndex(d, 280, init.slice(0, 1), 1);
    expect(near).toBeDefined();
    const med = Int32Array.from(init);
    const r = pamSwapCore(d, 280, med, 1, 5000, 1e-9, true, near);
    expect(ref.swaps).toBeGreaterThan(2);
    expect(r.swaps).toBe(ref.swaps);
    expect(list(med)).toEqual(list(ref.medoids));
  });

  test("CLARA reuses the lists for the same source and fixed set, and rebuilds them for another", () => {
    const { d, rng } = instance(280, 12, 4);
    const source = { ...precomputed(d, 280), immutable: true };
    const fixedA = Int32Array.from([3, 50, 77, 140, 200]);
    const fixedB = Int32Array.from([5, 60, 90, 150, 210]);
    for (const [fixed, r] of [
      [fixedA, 0],
      [fixedA, 1],
      [fixedB, 2],
      [fixedA, 3],
    ] as const) {
      const stream = rng.child("target", r);
      const got = clara(source, { k: 12, fixed, rng: stream });
      // the same first draw as clara's (s = n: the initial medoids are F then k non-fixed points)
      const isFixed = new Uint8Array(280);
      for (const p of fixed) isFixed[p] = 1;
      const pool = Int32Array.from(range(280).filter((p) => isFixed[p] === 0));
      const drawn = stream.child("clara", 0).sample(pool, 12);
      const ref = pamSwapNaive(d, 280, [...fixed, ...drawn], { fixed: fixed.length });
      expect(list(got.medoids)).toEqual(list(ref.medoids));
    }
  });
});

/** A source over a dense matrix with a brute-force `nearPairs` (the contract, literally). */
function withPairs(d: Float64Array, n: number): DistanceSource & { calls: number } {
  const base = precomputed(d, n);
  const src = {
    ...base,
    immutable: true as const,
    calls: 0,
    nearPairs(caps: Float64Array): NearPairs {
      src.calls++;
      const start = new Int32Array(n + 1);
      const idx: number[] = [];
      const val: number[] = [];
      let max = 0;
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          const x = d[a * n + b] as number;
          if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) max = Number.NaN;
          else if (x > max) max = x;
          if (x < (caps[a] as number)) {
            idx.push(b);
            val.push(x);
          }
        }
        start[a + 1] = idx.length;
      }
      return { max, start, idx: Int32Array.from(idx), val: Float64Array.from(val) };
    },
  };
  return src;
}

describe("the sparse path: near lists and rows without the n × n matrix", () => {
  test("sparseNear = nearIndex and the rows of the quantized matrix", () => {
    const { d } = instance(240, 10, 7);
    // unquantized distances (instance() quantizes): scale by an odd factor so rounding matters
    const raw = d.map((x) => x * 1.0000001 + 1e-13 * x * x);
    const q = quantizeDistances(raw, 240);
    const F = Int32Array.from([9, 40, 41, 100, 150, 222, 230, 3, 77, 180]);
    const sp = sparseNear(withPairs(raw, 240), F);
    const ref = nearIndex(q, 240, F);
    expect(sp).toBeDefined();
    expect(ref).toBeDefined();
    if (sp === undefined || ref === undefined) return;
    expect(list(sp.near.start)).toEqual(list(ref.start));
    // the same entries per row, in ascending order of distance (ties by column): scans stop early
    expect(sp.near.byDistance).toBe(true);
    for (let j = 0; j < 240; j++) {
      const s = ref.start[j] as number;
      const e = ref.start[j + 1] as number;
      const want = Array.from({ length: e - s }, (_, t) => [ref.val[s + t] as number, ref.idx[s + t] as number]).sort(
        (x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number),
      );
      expect(list(sp.near.idx.subarray(s, e))).toEqual(want.map((x) => x[1]));
      expect(list(sp.near.val.subarray(s, e))).toEqual(want.map((x) => x[0]));
    }
    expect(list(sp.near.fixed)).toEqual(list(ref.fixed));
    const out = new Float64Array(240);
    for (const p of [0, 9, 77, 123, 239]) {
      sp.rows.row(p, out);
      expect(list(out)).toEqual(list(q.subarray(p * 240, p * 240 + 240)));
    }
  });

  test("CLARA (s = n) gives the same medoids with and without the sparse path; lists are shared", () => {
    for (const seed of [11, 12, 13]) {
      const { d, rng } = instance(260, 12, seed);
      const src = withPairs(d, 260);
      const fixed = Int32Array.from(rng.sample(range(260), 10));
      const workspace = new Workspace();
      for (let t = 0; t < 3; t++) {
        const a = clara(src, { k: 15, fixed, rng: rng.child("t", t), workspace });
        const b = clara(src, { k: 15, fixed, rng: rng.child("t", t), sparse: false, workspace });
        const none = clara(src, { k: 15, fixed, rng: rng.child("t", t) });
        expect(list(a.medoids)).toEqual(list(b.medoids));
        expect(list(none.medoids)).toEqual(list(a.medoids));
      }
      // one set of lists for the three targets in the workspace; each workspace-less call made its own
      expect(src.calls).toBe(1 + 3);
    }
  });

  test("without a workspace nothing is kept: every call builds its lists again", () => {
    const { d, rng } = instance(150, 8, 35);
    const src = withPairs(d, 150);
    const fixed = Int32Array.from(rng.sample(range(150), 6));
    for (let t = 0; t < 3; t++) clara(src, { k: 5, fixed, rng: rng.child("t", t) });
    expect(src.calls).toBe(3);
    // and a workspace used once keeps them for the next call, until it is cleared
    const workspace = new Workspace();
    clara(src, { k: 5, fixed, rng: rng.child("w", 0), workspace });
    clara(src, { k: 5, fixed, rng: rng.child("w", 1), workspace });
    expect(src.calls).toBe(4);
    expect(retainedBytes(src, workspace)).toBeGreaterThan(0);
    workspace.clear();
    expect(retainedBytes(src, workspace)).toBe(0);
    clara(src, { k: 5, fixed, rng: rng.child("w", 2), workspace });
    expect(src.calls).toBe(5);
  });

  test("lists are kept per fixed set with the source: A, B, A makes two sets of lists, same medoids", () => {
    const { d, rng } = instance(230, 9, 31);
    const src = withPairs(d, 230);
    const A = Int32Array.from(rng.sample(range(230), 8));
    const B = Int32Array.from(rng.sample(range(230), 8));
    const workspace = new Workspace();
    expect(retainedBytes(src, workspace)).toBe(0);
    const runs = [A, B, A, B].map(
      (fixed, t) => clara(src, { k: 10, fixed, rng: rng.child("kept", t), workspace }).medoids,
    );
    expect(src.calls).toBe(2);
    // each set of lists: (n + 1) starts, 4 + 8 bytes an entry — at least the starts of two sets
    expect(retainedBytes(src, workspace)).toBeGreaterThanOrEqual(2 * 4 * 231);
    expect(retainedBytes(src, new Workspace())).toBe(0); // another workspace holds nothing of it
    // a fresh source (nothing kept) and the dense path give the same medoids
    [A, B, A, B].forEach((fixed, t) => {
      const fresh = clara(withPairs(d, 230), { k: 10, fixed, rng: rng.child("kept", t) }).medoids;
      const dense = clara(src, { k: 10, fixed, rng: rng.child("kept", t), sparse: false }).medoids;
      expect(list(runs[t] as Int32Array)).toEqual(list(fresh));
      expect(list(runs[t] as Int32Array)).toEqual(list(dense));
    });
  });

  test("the most recent 8 fixed sets are kept: a ninth pushes out the least recently used", () => {
    const { d, rng } = instance(120, 6, 32);
    const src = withPairs(d, 120);
    const sets = Array.from(range(9), (t) => Int32Array.from(rng.child("set", t).sample(range(120), 5)));
    const workspace = new Workspace();
    const run = (fixed: Int32Array) => clara(src, { k: 4, fixed, rng: rng.child("r"), workspace });
    for (const F of sets.slice(0, 8)) run(F);
    expect(src.calls).toBe(8);
    run(sets[0] as Int32Array); // used again: now the most recent
    expect(src.calls).toBe(8);
    run(sets[8] as Int32Array); // pushes out sets[1]
    expect(src.calls).toBe(9);
    run(sets[0] as Int32Array);
    expect(src.calls).toBe(9);
    run(sets[1] as Int32Array);
    expect(src.calls).toBe(10);
  });

  test("a source that is not immutable keeps nothing", () => {
    const { d, rng } = instance(100, 6, 33);
    const src = withPairs(d, 100);
    const pairs = src.nearPairs as NonNullable<DistanceSource["nearPairs"]>;
    const mutable: DistanceSource = { ...src, immutable: false, nearPairs: pairs };
    const fixed = Int32Array.from(rng.sample(range(100), 5));
    const workspace = new Workspace();
    clara(mutable, { k: 4, fixed, rng: rng.child("a"), workspace });
    clara(mutable, { k: 4, fixed, rng: rng.child("b"), workspace });
    expect(src.calls).toBe(2);
    expect(retainedBytes(mutable, workspace)).toBe(0);
  });

  test("rows come through rowsInto when the source has it, rounded to the grid", () => {
    const { d } = instance(150, 8, 34);
    const raw = d.map((x) => x * 1.0000001 + 1e-13 * x * x);
    const q = quantizeDistances(raw, 150);
    const base = withPairs(raw, 150);
    let into = 0;
    const src = {
      ...base,
      nearPairs: base.nearPairs as NonNullable<DistanceSource["nearPairs"]>,
      rowsInto(from: Int32Array, out: Float64Array) {
        into++;
        out.set(base.rowsTo(from));
      },
    };
    const sp = sparseNear(src, Int32Array.from([3, 50, 99, 120]));
    expect(sp).toBeDefined();
    const out = new Float64Array(150);
    for (const p of [0, 3, 77, 149]) {
      sp?.rows.row(p, out);
      expect(list(out)).toEqual(list(q.subarray(p * 150, p * 150 + 150)));
    }
    expect(into).toBe(4);
  });

  test("an invalid distance is reported by the dense path (named entry), not hidden", () => {
    const { d } = instance(50, 6, 3);
    const bad = d.slice();
    bad[7 * 50 + 9] = Number.NaN;
    bad[9 * 50 + 7] = Number.NaN;
    const src = withPairs(bad, 50);
    expect(sparseNear(src, Int32Array.from([1, 2, 3]))).toBeUndefined();
    expect(() => clara(src, { k: 4, fixed: Int32Array.from([1, 2, 3]), rng: RandomStream.derive("bad", 0) })).toThrow(
      /distance matrix entry/,
    );
  });
});

describe("sortedRows: every row by ascending distance, for a matrix clustered many times", () => {
  test("each row lists every column once, by (distance, column), with the matrix's values", () => {
    const { d } = instance(90, 8, 21); // quantized: the exact-key sort
    const raw = d.map((x) => x * 1.0000001); // not on the grid: the comparator sort
    for (const mat of [d, raw, lineMatrix([3, 1, 1, 2, 5, 0, 1])]) {
      const m = Math.round(Math.sqrt(mat.length));
      const r = sortedRows(mat, m);
      expect(r.sorted).toBe(true);
      for (let j = 0; j < m; j++) {
        const cols = list(r.idx.subarray(r.start[j], r.start[j + 1]));
        const want = Array.from(range(m)).sort(
          (a, b) => (mat[j * m + a] as number) - (mat[j * m + b] as number) || a - b,
        );
        expect(cols).toEqual(want);
        for (let t = r.start[j] as number; t < (r.start[j + 1] as number); t++) {
          expect(r.val[t]).toBe(mat[j * m + (r.idx[t] as number)]);
        }
      }
    }
  });

  test("PAM on sorted rows (no fixed medoids, and with some) = the literal definition", () => {
    for (const [m, f, k, seed] of [
      [260, 0, 10, 31],
      [220, 4, 12, 32],
    ] as const) {
      const { d, rng } = instance(m, 12, seed);
      const init = Array.from(rng.sample(range(m), f + k));
      const ref = pamSwapNaive(d, m, init, { fixed: f });
      const med = Int32Array.from(init);
      const r = pamSwapCore(d, m, med, f, 5000, 1e-9, true, sortedRows(d, m));
      expect(ref.swaps).toBeGreaterThan(2);
      expect(r.swaps).toBe(ref.swaps);
      expect(list(med)).toEqual(list(ref.medoids));
    }
  });

  test("CLARA clustering the same source again (sorted rows from the second call) = the definition", () => {
    const { d, rng } = instance(240, 10, 33);
    const src = { ...precomputed(d, 240), immutable: true as const };
    for (let t = 0; t < 3; t++) {
      const stream = rng.child("again", t);
      const got = clara(src, { k: 9, rng: stream });
      const init = stream.child("clara", 0).sample(range(240), 9);
      expect(list(got.medoids)).toEqual(list(pamSwapNaive(d, 240, init).medoids));
    }
  });
});
