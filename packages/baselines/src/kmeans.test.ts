import { RandomStream } from "@tb/core";
import { describe, expect, it } from "vitest";
import { kmeans, kmeansPlusPlus, nearestPoints } from "./kmeans.js";

/** Three tight, well-separated blobs in 2-D, 20 points each, interleaved. */
function blobs(): Float64Array {
  const rng = RandomStream.derive("blobs");
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const X = new Float64Array(60 * 2);
  for (let i = 0; i < 60; i++) {
    const c = centres[i % 3] as number[];
    X[2 * i] = (c[0] as number) + 0.3 * rng.nextNormal();
    X[2 * i + 1] = (c[1] as number) + 0.3 * rng.nextNormal();
  }
  return X;
}

describe("k-means (docs/METHOD.md §6.5)", () => {
  const X = blobs();
  // Streams are stateful: a fresh set for every call.
  const fresh = () => [0, 1, 2, 3, 4].map((t) => RandomStream.derive("km", t));

  it("finds well-separated clusters", () => {
    const res = kmeans(X, 60, 2, { k: 3, streams: fresh() });
    for (let i = 3; i < 60; i++) expect(res.labels[i]).toBe(res.labels[i % 3]);
    expect(new Set(res.labels).size).toBe(3);
    // Inertia is the sum of squared distances to the centres of the labels.
    let inertia = 0;
    for (let i = 0; i < 60; i++) {
      const c = res.labels[i] as number;
      inertia += ((X[2 * i] as number) - (res.centers[2 * c] as number)) ** 2;
      inertia += ((X[2 * i + 1] as number) - (res.centers[2 * c + 1] as number)) ** 2;
    }
    expect(res.inertia).toBeCloseTo(inertia, 9);
  });

  it("keeps the lowest-inertia restart and is deterministic", () => {
    const res = kmeans(X, 60, 2, { k: 7, streams: fresh() });
    const singles = [0, 1, 2, 3, 4].map((t) => kmeans(X, 60, 2, { k: 7, streams: [RandomStream.derive("km", t)] }));
    for (const single of singles) expect(res.inertia).toBeLessThanOrEqual(single.inertia);
    expect(singles[res.restart]?.inertia).toBe(res.inertia);
    const again = kmeans(X, 60, 2, { k: 7, streams: fresh() });
    expect(Array.from(again.labels)).toEqual(Array.from(res.labels));
  });

  it("k-means++ picks distinct points when there are enough, and k = n works", () => {
    const seeds = kmeansPlusPlus(X, 60, 2, 10, RandomStream.derive("pp"));
    expect(new Set(seeds).size).toBe(10);
    const all = kmeans(X, 60, 2, { k: 60, streams: [RandomStream.derive("all")] });
    expect(all.inertia).toBeCloseTo(0, 12);
  });

  it("nearest points: first index on ties", () => {
    const P = Float64Array.from([1, 1, 0, 0, 0, 0, 2, 2]);
    expect(Array.from(nearestPoints(P, 4, 2, Float64Array.from([0.1, 0.1, 1.6, 1.6]), 2))).toEqual([1, 3]);
    expect(Array.from(nearestPoints(P, 4, 2, Float64Array.from([0.5, 0.5]), 1))).toEqual([0]);
  });
});
