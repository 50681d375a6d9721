import { CorrectnessMatrix, createOracle, RandomStream, range } from "@tb/core";
import type { DistanceSource } from "@tb/kmedoids";
import { describe, expect, test } from "vitest";
import { buildNSet, nsetDistances } from "./nset.js";
import { estimate, probe, selectNatives, tailor, tailoredBench } from "./tailored.js";

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

describe("N-set: automatic CLARA above the threshold (ALGORITHMS §2.4, §3 step 6, §9.16)", () => {
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
    for (let t = 0; t < 3; t++) buildNSet(m, natives, gset, 7, RandomStream.derive("n", t), {}, d);
    expect(d.sides).toEqual([400]); // kept by CLARA for the next targets
  });

  test("claraThreshold and an explicit sample size are honoured", () => {
    const m = population(6, 900, 3);
    const d = spy(nsetDistances(m, [0, 1, 2]));
    buildNSet(m, [0, 1, 2], [5, 6], 8, RandomStream.derive("n", 1), { claraThreshold: 800 }, d);
    expect(d.sides).toEqual([750]);
    buildNSet(m, [0, 1, 2], [5, 6], 8, RandomStream.derive("n", 2), { sampleSize: 100, subRuns: 1 }, d);
    expect(d.sides).toEqual([750, 100]);
  });

  test("a distance source over another number of points is refused", () => {
    const m = population(6, 100, 4);
    const other = nsetDistances(population(6, 90, 5), [0, 1]);
    expect(() => buildNSet(m, [0, 1], [1, 2], 3, RandomStream.derive("n", 1), {}, other)).toThrow(/90 points/);
  });
});

describe("tailoredBench shares work among targets with the same natives (ALGORITHMS §3 steps 5–7)", () => {
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
