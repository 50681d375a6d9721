import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { RandomStream, TbError, Workspace } from "@tb/core";
import { describe, expect, test } from "vitest";
import { zScoredBinaryMatrix } from "./__fixtures__/helpers.js";
import { clara, claraSampling } from "./clara.js";
import { type DistanceSource, precomputed } from "./distance-source.js";

/** 0/1 points with many exact ties (the TailoredBench case, docs/METHOD.md §9.6). */
function tiedMatrix(m: number, q: number, seed: number): Float64Array {
  const rng = RandomStream.derive("clara-fastpath", seed);
  const bits = Array.from({ length: m }, () => Array.from({ length: q }, () => (rng.nextFloat() < 0.4 ? 1 : 0)));
  return zScoredBinaryMatrix(bits);
}

/** Only the required members: the path every source had before `submatrixInto`. */
function plain(src: DistanceSource): DistanceSource {
  return { n: src.n, submatrix: (p) => src.submatrix(p), rowsTo: (f) => src.rowsTo(f) };
}

/** Counts `submatrixInto` calls; `immutable` as given. */
function counting(src: DistanceSource, immutable: boolean) {
  const into = src.submatrixInto as NonNullable<DistanceSource["submatrixInto"]>;
  const s = {
    n: src.n,
    immutable,
    calls: 0,
    submatrix: (p: Int32Array) => src.submatrix(p),
    rowsTo: (f: Int32Array) => src.rowsTo(f),
    submatrixInto(p: Int32Array, out: Float64Array) {
      s.calls++;
      return into(p, out);
    },
  };
  return s;
}

const list = (a: Int32Array) => Array.from(a);

describe("clara's sample matrix fast path (docs/METHOD.md §2.4, §9.18)", () => {
  const n = 120;
  const dist = tiedMatrix(n, 12, 1);
  const fixed = Int32Array.from([5, 17, 80]);
  for (const algorithm of ["pam", "fasterpam"] as const) {
    for (const sampleSize of [n, 60]) {
      test(`${algorithm}, s = ${sampleSize}: submatrixInto + kept buffer give the same medoids as submatrix`, () => {
        for (let seed = 0; seed < 6; seed++) {
          const opts = { k: 7, fixed, sampleSize, subRuns: 3, algorithm, rng: RandomStream.derive("fp", seed) };
          const a = clara(plain(precomputed(dist, n)), opts);
          const b = clara(precomputed(dist, n), opts);
          const c = clara(counting(precomputed(dist, n), true), opts);
          expect(list(b.medoids)).toEqual(list(a.medoids));
          expect(list(c.medoids)).toEqual(list(a.medoids));
        }
      });
    }
  }

  test("an immutable source's quantized matrix is reused for the same sample, recomputed otherwise", () => {
    const src = counting(precomputed(dist, n), true);
    const other = counting(precomputed(dist, n), true);
    const workspace = new Workspace();
    const opts = (seed: number) => ({ k: 5, fixed, rng: RandomStream.derive("reuse", seed), workspace });
    const r1 = clara(src, opts(1));
    clara(src, opts(2));
    expect(src.calls).toBe(1); // s = n: the same sample, so the matrix is computed once
    const { workspace: _, ...alone } = opts(1);
    expect(list(clara(src, alone).medoids)).toEqual(list(r1.medoids)); // no workspace: computed again
    expect(src.calls).toBe(2);
    clara(src, opts(2)); // still kept in the workspace
    expect(src.calls).toBe(2);
    clara(other, opts(3)); // another source takes the buffer
    const r1again = clara(src, opts(1));
    expect(src.calls).toBe(3);
    expect(list(r1again.medoids)).toEqual(list(r1.medoids));
    clara(src, { ...opts(4), sampleSize: 50 }); // another sample
    expect(src.calls).toBe(4);
    // two workspaces do not share: a fresh one computes the matrix again
    clara(src, { ...opts(1), workspace: new Workspace() });
    expect(src.calls).toBe(5);
  });

  test("a call without a workspace keeps nothing: its source can be collected; a workspace keeps it until cleared", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    // WeakRefs keep their targets alive until the job ends: wait for the next one, then collect
    const collect = async () => {
      await new Promise((r) => setTimeout(r, 0));
      gc();
    };
    const run = (workspace?: Workspace): WeakRef<object> => {
      const src = counting(precomputed(dist, n), true);
      const opts = { k: 5, fixed, rng: RandomStream.derive("gc", 1) };
      clara(src, workspace === undefined ? opts : { ...opts, workspace });
      clara(src, workspace === undefined ? opts : { ...opts, workspace });
      expect(src.calls).toBe(workspace === undefined ? 2 : 1);
      return new WeakRef(src);
    };
    const alone = run();
    await collect();
    expect(alone.deref()).toBeUndefined();
    const workspace = new Workspace();
    const held = run(workspace);
    await collect();
    expect(held.deref()).toBeDefined(); // the workspace holds its quantized matrix, keyed by the source
    expect(workspace.stats().bytes).toBeGreaterThanOrEqual(n * n * 8);
    workspace.clear();
    await collect();
    expect(held.deref()).toBeUndefined();
    expect(workspace.stats()).toMatchObject({ slots: 0, entries: 0, bytes: 0 });
  });

  test("a source that is not marked immutable is asked every time", () => {
    const src = counting(precomputed(dist, n), false);
    clara(src, { k: 5, rng: RandomStream.derive("mutable", 1) });
    clara(src, { k: 5, rng: RandomStream.derive("mutable", 2) });
    expect(src.calls).toBe(2);
  });

  test("a NaN or negative entry reported by submatrixInto is an E_INPUT error", () => {
    const bad = dist.slice();
    bad[3 * n + 7] = -1;
    bad[7 * n + 3] = -1;
    expect(() => clara(precomputed(bad, n), { k: 3, rng: RandomStream.derive("bad", 1) })).toThrow(TbError);
    bad[3 * n + 7] = Number.NaN;
    bad[7 * n + 3] = Number.NaN;
    try {
      clara(precomputed(bad, n), { k: 3, rng: RandomStream.derive("bad", 2) });
      expect.unreachable();
    } catch (e) {
      expect((e as TbError).code).toBe("E_INPUT");
    }
  });
});

describe("claraSampling (docs/METHOD.md §2.4, §3 table, §9.16)", () => {
  test.each([
    // n, K, options, expected
    [1319, 40, {}, { sampleSize: 1319, subRuns: 1, sampled: false }],
    [3000, 40, {}, { sampleSize: 3000, subRuns: 1, sampled: false }],
    [3001, 40, {}, { sampleSize: 750, subRuns: 10, sampled: true }],
    [100000, 400, {}, { sampleSize: 840, subRuns: 10, sampled: true }],
    [800, 400, { threshold: 500 }, { sampleSize: 800, subRuns: 10, sampled: false }],
    [6000, 10, { subRuns: 3 }, { sampleSize: 750, subRuns: 3, sampled: true }],
    [6000, 10, { sampleSize: 6000 }, { sampleSize: 6000, subRuns: 1, sampled: false }],
    [1000, 10, { sampleSize: 200 }, { sampleSize: 200, subRuns: 1, sampled: true }],
    [5000, 10, { threshold: Number.POSITIVE_INFINITY }, { sampleSize: 5000, subRuns: 1, sampled: false }],
  ] as const)("n = %d, K = %d, %o", (n, K, opts, expected) => {
    expect(claraSampling(n, K, opts)).toEqual(expected);
  });
  test("a threshold with a sample size is refused: it only chooses the size when none is given", () => {
    expect(() => claraSampling(1000, 10, { sampleSize: 200, threshold: Number.POSITIVE_INFINITY })).toThrow(
      /^claraSampling: threshold chooses the sample size when none is given; with sampleSize it is never read/,
    );
  });
  test("a negative or NaN threshold is a usage error", () => {
    expect(() => claraSampling(10, 2, { threshold: -1 })).toThrow(TbError);
    expect(() => claraSampling(10, 2, { threshold: Number.NaN })).toThrow(TbError);
  });
});
