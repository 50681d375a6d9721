import { CorrectnessMatrix } from "@tb/core";
import { describe, expect, test } from "vitest";
import { distance } from "./distance.js";
import { distanceSource, pairwiseDistances } from "./distance-source.js";
import { exampleEmbedding } from "./embedding.js";

describe("distances on hand-computed vectors (docs/METHOD.md §2.2)", () => {
  const u = [1, 2, 3];
  const v = [2, 0, 3];
  test("manhattan |1−2|+|2−0|+0 = 3", () => expect(distance(u, v, "manhattan")).toBe(3));
  test("euclidean sqrt(1+4) = sqrt 5", () => expect(distance(u, v, "euclidean")).toBeCloseTo(Math.sqrt(5), 15));
  test("cosine 1 − 11/(sqrt14·sqrt13)", () =>
    expect(distance(u, v, "cosine")).toBeCloseTo(1 - 11 / (Math.sqrt(14) * Math.sqrt(13)), 15));
  test("correlation: u=[1,2,3], v=[2,0,3] → 1 − 0.5/sqrt(2·4.6667)", () => {
    // centred u = [-1,0,1]; mean v = 5/3 → centred v = [1/3,−5/3,4/3]; uv = 1; uu = 2; vv = 42/9
    expect(distance(u, v, "correlation")).toBeCloseTo(1 - 1 / Math.sqrt(2 * (42 / 9)), 14);
  });
  test("correlation of a constant vector is 1 off the diagonal (ρ := 0)", () => {
    expect(distance([1, 1, 1], [0, 1, 0], "correlation")).toBe(1);
  });
  test("cosine with a zero vector is 1", () => expect(distance([0, 0], [1, 2], "cosine")).toBe(1));
  test("perfect anti-correlation → 2, perfect correlation → 0", () => {
    expect(distance([1, 2, 3], [3, 2, 1], "correlation")).toBeCloseTo(2, 15);
    expect(distance([1, 2, 3], [2, 4, 6], "correlation")).toBeCloseTo(0, 15);
  });
});

describe("binary fast path", () => {
  // 9 models × 13 examples of 0/1, one model constant (all ones)
  const rows: number[][] = [];
  for (let m = 0; m < 9; m++) {
    rows.push(Array.from({ length: 13 }, (_, x) => (m === 4 ? 1 : (x * (m + 3) + m) % 5 < 2 ? 1 : 0)));
  }
  const matrix = CorrectnessMatrix.from(rows, { kind: "binary" });
  const models = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  for (const metric of ["manhattan", "euclidean"] as const) {
    test(`${metric}: packed weighted Hamming equals the direct sum on standardised columns`, () => {
      const emb = exampleEmbedding(matrix, models);
      expect(emb.binary).toBeDefined();
      const fast = pairwiseDistances(emb, metric);
      const slow = pairwiseDistances(emb, metric, { binaryFastPath: false });
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(slow[i] as number, 12);
    });
  }
  test("rowsTo agrees with submatrix", () => {
    const emb = exampleEmbedding(matrix, [0, 2, 5]);
    const src = distanceSource(emb);
    const full = pairwiseDistances(emb);
    const rows2 = src.rowsTo(Int32Array.from([3, 7]));
    for (let j = 0; j < 13; j++) {
      expect(rows2[j]).toBe(full[3 * 13 + j]);
      expect(rows2[13 + j]).toBe(full[7 * 13 + j]);
    }
  });
  test("correlation diagnostics count pairs with a constant example", () => {
    // example 0 is answered 1 by all three chosen models → constant row in the raw embedding
    const m = CorrectnessMatrix.from([
      [1, 0, 1],
      [1, 1, 0],
      [1, 0, 0],
    ]);
    const diagnostics = { undefinedPairs: 0 };
    const d = pairwiseDistances(exampleEmbedding(m, [0, 1, 2], { standardize: false }), "correlation", { diagnostics });
    expect(d[1]).toBe(1);
    expect(d[0]).toBe(0);
    expect(diagnostics.undefinedPairs).toBe(2);
  });
});

describe("an unknown metric is refused, not turned into undefined or NaN distances", () => {
  test("distance, distanceSource and pairwiseDistances name the function and the metric", () => {
    expect(() => distance([1, 2], [3, 5], "Manhattan" as never)).toThrow(
      /^distance: metric: unknown distance "Manhattan" \(expected one of manhattan, euclidean, cosine, correlation\)/,
    );
    const emb = exampleEmbedding(
      CorrectnessMatrix.from([
        [1, 0, 1],
        [0, 1, 1],
        [1, 1, 0],
      ]),
      [0, 1, 2],
    );
    expect(() => distanceSource(emb, "hamming" as never)).toThrow(
      /^distanceSource: metric: unknown distance "hamming"/,
    );
    expect(() => pairwiseDistances(emb, "cosinus" as never)).toThrow(/unknown distance "cosinus"/);
    expect(distance([1, 2], [3, 5], "manhattan")).toBe(5);
  });
});
