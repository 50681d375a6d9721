import { CorrectnessMatrix } from "@tb/core";
import { describe, expect, test } from "vitest";
import { estimateFromClusters, nativeMean } from "./calibrate.js";

describe("calibrated estimate (docs/METHOD.md §3 step 7), worked by hand", () => {
  // 4 examples, medoids 0 and 2; clusters {0,1} and {2,3}; target answers 0 on ex 0, 1 on ex 2
  const mBar = Float64Array.from([0.5, 0, 0.5, 1]);
  const medoids = [0, 2];
  const labels = Int32Array.from([0, 0, 1, 1]);
  const answers = [0, 1];
  // slot 0 factor (0+½)/(½+½) = ½; slot 1 factor (1+½)/(½+½) = 3/2
  // ĉ = [(1)(½)−½, (½)(½)−½, (1)(3/2)−½, (3/2)(3/2)−½] = [0, −¼, 1, 7/4]
  test.each([
    ["upper", (0 - 0.25 + 1 + 1) / 4],
    ["both", (0 + 0 + 1 + 1) / 4],
    ["none", (0 - 0.25 + 1 + 1.75) / 4],
  ] as const)("clip %s", (clip, expected) => {
    const r = estimateFromClusters(mBar, medoids, labels, answers, { clip });
    expect(r.accuracy).toBeCloseTo(expected, 15);
  });
  test("medoids get exactly their own answer; negatives kept under upper clip", () => {
    const r = estimateFromClusters(mBar, medoids, labels, answers);
    expect(r.perExample[0]).toBe(0);
    expect(r.perExample[2]).toBe(1);
    expect(r.perExample[1]).toBe(-0.25);
  });
  test("non-calibrated medoid estimator = Σ |C|/n · c(μ) = (2·0 + 2·1)/4", () => {
    expect(estimateFromClusters(mBar, medoids, labels, answers, { estimator: "medoid" }).accuracy).toBe(0.5);
  });
  test("answers outside [0,1] are rejected", () => {
    expect(() => estimateFromClusters(mBar, medoids, labels, [0, 1.5])).toThrow(/not in \[0,1\]/);
  });
});

describe("nativeMean uses raw correctness of the chosen rows", () => {
  test("mean over rows 0 and 2", () => {
    const m = CorrectnessMatrix.from([
      [1, 0, 1],
      [0, 0, 0],
      [1, 1, 0],
    ]);
    expect(Array.from(nativeMean(m, [0, 2]))).toEqual([1, 0.5, 0.5]);
  });
});
