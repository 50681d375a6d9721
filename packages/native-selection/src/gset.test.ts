import { CorrectnessMatrix, RandomStream, range } from "@tb/core";
import { distanceSource, exampleEmbedding } from "@tb/embedding";
import type { DistanceSource } from "@tb/kmedoids";
import { describe, expect, test } from "vitest";
import { selectGSet } from "./gset.js";

/** Seeded 0/1 sources (models × examples). */
function sources(models: number, examples: number, seed: number): CorrectnessMatrix {
  const rng = RandomStream.derive("gset-test", seed);
  const ease = Float64Array.from({ length: examples }, () => rng.nextFloat());
  const rows = Array.from({ length: models }, (_, m) =>
    Array.from({ length: examples }, (_, x) =>
      rng.nextFloat() < 0.3 * (m / models) + 0.6 * (ease[x] as number) ? 1 : 0,
    ),
  );
  return CorrectnessMatrix.from(rows, { kind: "binary" });
}

/** Records the side of every square block requested and the number of rows asked for. */
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

describe("G-set: automatic CLARA above the threshold (docs/METHOD.md §2.4, §9.16)", () => {
  const m = sources(12, 1000, 1);
  const dist = () => spy(distanceSource(exampleEmbedding(m, range(m.rows))));

  test("below the threshold: one PAM run on all n points (the reference)", () => {
    const d = dist();
    const g = selectGSet(m, RandomStream.derive("g", 1), {}, d);
    expect(d.sides).toEqual([1000]);
    expect(g.length).toBe(10);
  });

  test("above it: 750-point samples only, never n × n; the default source gives the same G-set", () => {
    const d = dist();
    const rng = RandomStream.derive("g", 2);
    const g = selectGSet(m, rng, { claraThreshold: 500 }, d);
    expect(d.sides.length).toBeGreaterThan(0);
    expect(Math.max(...d.sides)).toBe(750);
    expect(Array.from(selectGSet(m, rng, { claraThreshold: 500 }))).toEqual(Array.from(g));
    expect(Array.from(g)).toEqual(Array.from(g).sort((a, b) => a - b));
  });

  test("fullInertia runs all 10 sub-runs on samples and assigns with K × n rows", () => {
    const d = dist();
    selectGSet(m, RandomStream.derive("g", 3), { claraThreshold: 500, claraSelect: "fullInertia" }, d);
    expect(d.sides).toEqual(Array(10).fill(750));
    expect(d.rows).toBe(10 * 10);
  });

  test("an explicit sample size and sub-runs win; Infinity disables sampling", () => {
    const d = dist();
    selectGSet(m, RandomStream.derive("g", 4), { sampleSize: 300, subRuns: 2, claraSelect: "fullInertia" }, d);
    expect(d.sides).toEqual([300, 300]);
    const e = spy(distanceSource(exampleEmbedding(sources(5, 3001, 2), range(5))));
    selectGSet(sources(5, 3001, 2), RandomStream.derive("g", 5), {}, e);
    expect(e.sides).toEqual([750]);
    const f = spy(distanceSource(exampleEmbedding(sources(5, 1200, 3), range(5))));
    selectGSet(sources(5, 1200, 3), RandomStream.derive("g", 6), { claraThreshold: Number.POSITIVE_INFINITY }, f);
    expect(f.sides).toEqual([1200]);
    // both a sample size and a threshold: the threshold would be unread
    expect(() => selectGSet(m, RandomStream.derive("g", 4), { sampleSize: 300, claraThreshold: 500 }, d)).toThrow(
      /^selectGSet: claraThreshold chooses the CLARA sample size .*with sampleSize it is never read/,
    );
  });
});

describe("selectGSet's options", () => {
  test("an unknown option name is refused, naming selectGSet", () => {
    const m = CorrectnessMatrix.from(
      Array.from({ length: 6 }, (_, i) => Array.from({ length: 20 }, (_, j) => ((i + j) % 3 === 0 ? 1 : 0))),
    );
    expect(() => selectGSet(m, 0, { size: 3, maxIters: 5 } as never)).toThrow(/^selectGSet: unknown option "maxIters"/);
    expect(selectGSet(m, 0, { size: 3 })).toHaveLength(3);
  });
});
