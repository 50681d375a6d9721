import { CorrectnessMatrix, createOracle, RandomStream, range, Workspace } from "@tb/core";
import type { DistanceSource } from "@tb/kmedoids";
import { describe, expect, test } from "vitest";
import { tailoredBench } from "./evaluation/methods.js";
import { buildNSet, clearKept, keptNsetDistances, keptStats, nsetDistances } from "./nset.js";
import { estimate, probe, selectNatives, tailor } from "./tailored.js";

/** Seeded 0/1 models × examples with a few near-duplicate families (so that natives repeat). */
function population(models: number, examples: number, seed: number): CorrectnessMatrix {
  const rng = RandomStream.derive("nset-test", seed);
  const ease = Float64Array.from({ length: examples }, () => rng.nextFloat());
  const topic = Int32Array.from({ length: examples }, () => rng.nextInt(3));
  const rows = Array.from({ length: models }, (_, m) => {
    const skill = (m % 5) / 5;
    return Array.from({ length: examples }, (_, x) =>
      rng.nextFloat() < 0.15 + 0.7 * (ease[x] as number) * (topic[x] === m % 3 ? 1 : skill) ? 1 : 0,
    );
  });
  return CorrectnessMatrix.from(rows, { kind: "binary" });
}

/** Records the side of every square block requested and the rows asked for. */
function spy(src: DistanceSource) {
  const s = {
    n: src.n,
    immutable: true as const,
    sides: [] as number[],
    rows: 0,
    submatrix(p: Int32Array) {
      s.sides.push(p.length);
      return src.submatrix(p);
    },
    submatrixInto(p: Int32Array, out: Float64Array) {
      s.sides.push(p.length);
      return (src.submatrixInto as NonNullable<DistanceSource["submatrixInto"]>)(p, out);
    },
    rowsTo(f: Int32Array) {
      s.rows += f.length;
      return src.rowsTo(f);
    },
  };
  return s;
}

describe("N-set: automatic CLARA above the threshold (docs/METHOD.md §2.4, §3 step 6, §9.16)", () => {
  test("n = 3500 > 3000: 750-point samples and K × n assignment rows, never n × n", () => {
    const m = population(9, 3500, 1);
    const natives = [0, 2, 3, 5, 8];
    const d = spy(nsetDistances(m, natives));
    const gset = Int32Array.from([10, 400, 1200, 3000]);
    const ns = buildNSet(m, natives, gset, 16, RandomStream.derive("n", 1), {}, d);
    expect(d.sides).toEqual([750]); // select "last": only the last of the 10 sub-runs is computed
    expect(d.rows).toBe(20);
    expect(Array.from(ns.medoids.slice(0, 4))).toEqual(Array.from(gset));
    expect(new Set(ns.medoids).size).toBe(20);
    expect(ns.labels.length).toBe(3500);
    // the same N-set when buildNSet makes its own source
    const again = buildNSet(m, natives, gset, 16, RandomStream.derive("n", 1));
    expect(Array.from(again.medoids)).toEqual(Array.from(ns.medoids));
    expect(Array.from(again.labels)).toEqual(Array.from(ns.labels));
  });

  test("below the threshold: the full n × n sample, once per shared source", () => {
    const m = population(9, 400, 2);
    const natives = [1, 4, 6, 7];
    const d = spy(nsetDistances(m, natives));
    const gset = Int32Array.from([3, 50, 300]);
    const workspace = new Workspace();
    const withWs = Array.from({ length: 3 }, (_, t) =>
      Array.from(buildNSet(m, natives, gset, 7, RandomStream.derive("n", t), { workspace }, d).medoids),
    );
    expect(d.sides).toEqual([400]); // kept by CLARA in the workspace for the next targets
    // without a workspace nothing is kept: one matrix per call, the same N-sets
    const alone = Array.from({ length: 3 }, (_, t) =>
      Array.from(buildNSet(m, natives, gset, 7, RandomStream.derive("n", t), {}, d).medoids),
    );
    expect(d.sides).toEqual([400, 400, 400, 400]);
    expect(alone).toEqual(withWs);
  });

  test("claraThreshold and an explicit sample size are honoured", () => {
    const m = population(6, 900, 3);
    const d = spy(nsetDistances(m, [0, 1, 2]));
    buildNSet(m, [0, 1, 2], [5, 6], 8, RandomStream.derive("n", 1), { claraThreshold: 800 }, d);
    expect(d.sides).toEqual([750]);
    buildNSet(m, [0, 1, 2], [5, 6], 8, RandomStream.derive("n", 2), { sampleSize: 100, subRuns: 1 }, d);
    expect(d.sides).toEqual([750, 100]);
    // both: the threshold would be unread
    expect(() =>
      buildNSet(m, [0, 1, 2], [5, 6], 8, RandomStream.derive("n", 2), { sampleSize: 100, claraThreshold: 800 }, d),
    ).toThrow(/^buildNSet: claraThreshold chooses the CLARA sample size .*with sampleSize it is never read/);
  });

  test("a sample size out of range is refused naming the option, not a CLI flag", () => {
    const m = population(6, 100, 4);
    // K = g + k = 2 + 8 = 10 medoids: a sample must hold K to n = 100 examples
    for (const sampleSize of [9, 101, 10.5]) {
      let msg = "";
      try {
        buildNSet(m, [0, 1, 2], [5, 6], 8, RandomStream.derive("n", 1), { sampleSize });
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(
        new RegExp(
          `^buildNSet: the N-set sample size \\(option sampleSize\\) .* from K = 10 .* the 100 examples, got ${sampleSize}$`,
        ),
      );
      expect(msg).not.toMatch(/--|\btb /);
    }
  });

  test("a distance source over another number of points is refused", () => {
    const m = population(6, 100, 4);
    const other = nsetDistances(population(6, 90, 5), [0, 1]);
    expect(() => buildNSet(m, [0, 1], [1, 2], 3, RandomStream.derive("n", 1), {}, other)).toThrow(/90 points/);
  });
});

describe("tailoredBench shares work among targets with the same natives (docs/METHOD.md §3 steps 5–7)", () => {
  test("same estimates, bit for bit, as tailoring every target on its own", () => {
    const m = population(40, 300, 6);
    const src = m.selectRows(range(24));
    const targetRows = Array.from({ length: 16 }, (_, t) => 24 + (t % 6)); // repeated models share natives
    for (const budget of [14, 25]) {
      const rng = RandomStream.derive("share", budget);
      const oracles = targetRows.map((r) => createOracle(m.row(r), budget));
      const res = tailoredBench().run({ sources: src, oracles, budget, rng });
      // the reference: per target, no sharing
      const { gset } = probe(src, rng.child("gset"));
      const o2 = targetRows.map((r) => createOracle(m.row(r), budget));
      const sel = selectNatives(
        src,
        gset,
        o2.map((o) => o.queryMany(gset)),
      );
      expect(new Set(sel.natives.map((x) => x.join(","))).size).toBeLessThan(targetRows.length);
      o2.forEach((o, t) => {
        const plan = tailor(src, gset, sel.natives[t] as Int32Array, budget, rng.child("nset", t));
        const est = estimate(src, plan, o.queryMany(plan.nset)).accuracy;
        expect(Object.is(res.estimates[t], est)).toBe(true);
      });
    }
  });
});

describe("native-set sources kept in a workspace (keptNsetDistances, cacheBytes)", () => {
  test("the same source for the same matrix, natives and options; another for any difference", () => {
    const m = population(12, 200, 21);
    const other = population(12, 200, 21); // equal content, another matrix
    const ws = new Workspace();
    const a = keptNsetDistances(ws, m, [1, 4, 7]);
    expect(keptNsetDistances(ws, m, Int32Array.from([1, 4, 7]))).toBe(a);
    expect(keptNsetDistances(ws, m, [1, 4, 8])).not.toBe(a);
    expect(keptNsetDistances(ws, m, [1, 4, 7], { standardize: false })).not.toBe(a);
    expect(keptNsetDistances(ws, m, [1, 4, 7], { metric: "euclidean" })).not.toBe(a);
    expect(keptNsetDistances(ws, other, [1, 4, 7])).not.toBe(a);
    // two workspaces share nothing
    expect(keptNsetDistances(new Workspace(), m, [1, 4, 7])).not.toBe(a);
    // and its distances are those of a fresh source
    const fresh = nsetDistances(m, [1, 4, 7]);
    const pts = Int32Array.from([0, 50, 199]);
    expect(Array.from(a.submatrix(pts))).toEqual(Array.from(fresh.submatrix(pts)));
    // the old call shape (no workspace first) is refused, not misread
    expect(() => (keptNsetDistances as unknown as (...a: unknown[]) => unknown)(m, [1, 4, 7])).toThrow(/Workspace/);
  });

  test("least recently used sources go once the kept bytes pass the budget; 0 keeps nothing", () => {
    const m = population(12, 300, 22);
    const ws = new Workspace();
    const sets = [
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ];
    const one = keptNsetDistances(ws, m, [0, 1]).retainedBytes?.() ?? 0;
    expect(one).toBeGreaterThan(0);
    keptNsetDistances(ws, m, [0], {}, 0); // start empty
    expect(keptStats(ws)).toEqual({ sources: 0, bytes: 0 });
    // room for about two of them (the data of each; nothing clustered yet, so no rows or lists)
    const budget = 2.5 * one;
    const kept = sets.map((s) => keptNsetDistances(ws, m, s, {}, budget));
    expect(keptStats(ws).sources).toBe(2);
    expect(keptStats(ws).bytes).toBeLessThanOrEqual(budget);
    expect(keptNsetDistances(ws, m, [6, 7], {}, budget)).toBe(kept[3]); // the newest two stayed
    expect(keptNsetDistances(ws, m, [4, 5], {}, budget)).toBe(kept[2]);
    expect(keptNsetDistances(ws, m, [0, 1], {}, budget)).not.toBe(kept[0]); // dropped, made again
    // the newest stays even when it alone passes the budget
    keptNsetDistances(ws, m, [8, 9], {}, 1);
    expect(keptStats(ws).sources).toBe(1);
    keptNsetDistances(ws, m, [8, 9], {}, 0);
    expect(keptStats(ws)).toEqual({ sources: 0, bytes: 0 });
    expect(() => keptNsetDistances(ws, m, [1], {}, -1)).toThrow(/≥ 0 bytes/);
  });

  test("only the source handed out last keeps its rows: the one before sheds them when another comes", () => {
    const m = population(12, 300, 24);
    const ws = new Workspace();
    const a = keptNsetDistances(ws, m, [0, 1, 2]);
    a.submatrix(Int32Array.from([0])); // its data (packed bits)
    const data = a.retainedBytes?.() ?? 0;
    const rowsA = a.rowsTo(Int32Array.from([3, 5]));
    expect(a.retainedBytes?.()).toBe(data + 2 * 8 * 300); // two rows kept
    expect(keptNsetDistances(ws, m, [0, 1, 2])).toBe(a); // the same one again: rows stay
    expect(a.retainedBytes?.()).toBe(data + 2 * 8 * 300);
    const b = keptNsetDistances(ws, m, [3, 4, 5]);
    b.rowsTo(Int32Array.from([7]));
    expect(a.retainedBytes?.()).toBe(data); // a shed its rows…
    expect((b.retainedBytes?.() ?? 0) - 8 * 300).toBeGreaterThan(0); // …b keeps its own
    expect(keptNsetDistances(ws, m, [0, 1, 2])).toBe(a); // a is still kept, and gives the same rows
    expect(Array.from(a.rowsTo(Int32Array.from([3, 5])))).toEqual(Array.from(rowsA));
  });

  test("tailoredBench: the same estimates without a workspace, with one reused run after run, and with cacheBytes 0", () => {
    const m = population(40, 260, 23);
    const src = m.selectRows(range(26));
    const targetRows = Array.from({ length: 14 }, (_, t) => 26 + t);
    const runs = (make: () => Workspace | undefined, cacheBytes?: number) =>
      [18, 25, 18, 25].map((budget, i) => {
        const oracles = Array.from(targetRows, (r) => createOracle(m.row(r), budget));
        const workspace = make();
        const ctx = { sources: src, oracles, budget, rng: RandomStream.derive("kept", i % 2) };
        const method = tailoredBench(cacheBytes === undefined ? {} : { cacheBytes });
        return Array.from(method.run(workspace === undefined ? ctx : { ...ctx, workspace }).estimates);
      });
    const none = runs(() => undefined);
    const shared = new Workspace();
    const reused = runs(() => shared);
    expect(keptStats(shared).sources).toBeGreaterThan(0);
    expect(shared.stats().bytes).toBeGreaterThan(0);
    const reusedAgain = runs(() => shared); // now warm from the start
    const zero = new Workspace();
    const noCache = runs(() => zero, 0);
    expect(keptStats(zero).sources).toBe(0);
    const fresh = runs(() => new Workspace());
    expect(reused).toEqual(none);
    expect(reusedAgain).toEqual(none);
    expect(noCache).toEqual(none);
    expect(fresh).toEqual(none);
    expect(none[2]).toEqual(none[0]); // same seed and budget: same numbers
    // the workspace given to the method's options serves when the context has none
    const viaOptions = new Workspace();
    const oracles = Array.from(targetRows, (r) => createOracle(m.row(r), 18));
    const est = tailoredBench({ workspace: viaOptions }).run({
      sources: src,
      oracles,
      budget: 18,
      rng: RandomStream.derive("kept", 0),
    }).estimates;
    expect(Array.from(est)).toEqual(none[0]);
    expect(keptStats(viaOptions).sources).toBeGreaterThan(0);
    // clearKept drops the sources; clear and dispose drop everything
    clearKept(shared);
    expect(keptStats(shared)).toEqual({ sources: 0, bytes: 0 });
    shared.clear();
    expect(shared.stats()).toMatchObject({ slots: 0, entries: 0, bytes: 0 });
    viaOptions.dispose();
    expect(viaOptions.stats()).toMatchObject({ slots: 0, entries: 0, bytes: 0 });
    expect(() => tailoredBench({ cacheBytes: Number.NaN })).toThrow(/cacheBytes/);
    expect(() => tailoredBench({ workspace: {} as Workspace })).toThrow(/Workspace/);
  });
});

describe("numeric seeds (the same numbers as RandomStream.derive(seed))", () => {
  test("probe, tailor and buildNSet take an integer seed", () => {
    const src = population(16, 60, 4);
    const a = probe(src, 5);
    expect(a.gset).toEqual(probe(src, RandomStream.derive(5)).gset);
    const natives = Int32Array.from([0, 1, 2, 3]);
    const p = tailor(src, a.gset, natives, 20, 9);
    const q = tailor(src, a.gset, natives, 20, RandomStream.derive(9));
    expect(p.nset).toEqual(q.nset);
    expect(buildNSet(src, natives, a.gset, 10, 2).medoids).toEqual(
      buildNSet(src, natives, a.gset, 10, RandomStream.derive(2)).medoids,
    );
    expect(() => probe(src, 0.5)).toThrow(/must be an integer or a RandomStream/);
  });
});

describe("plain arrays where Int32Arrays were required", () => {
  test("selectNatives and tailor take number[] G-sets and natives with the same result", () => {
    const src = population(16, 60, 4);
    const { gset } = probe(src, 5);
    const answers = [Array.from(gset, (j) => src.row(0)[j] as number)];
    const a = selectNatives(src, gset, answers, { targetPooling: "single" });
    const b = selectNatives(src, Array.from(gset), answers, { targetPooling: "single" });
    expect(b.natives).toEqual(a.natives);
    const natives = a.natives[0] as Int32Array;
    const p = tailor(src, gset, natives, 20, 3);
    const q = tailor(src, Array.from(gset), Array.from(natives), 20, 3);
    expect(q.nset).toEqual(p.nset);
    expect(q.labels).toEqual(p.labels);
    expect(() => tailor(src, [0.5, 1], natives, 20, 3)).toThrow(/tailor: gset\[0\] is 0.5, not an index/);
  });
});
