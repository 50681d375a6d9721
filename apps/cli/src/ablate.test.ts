import { describe, expect, test } from "vitest";
import { findStudy, STUDIES } from "./ablate.js";

describe("ablation studies", () => {
  test("the paper's five studies are there", () => {
    expect(STUDIES.map((s) => s.name)).toEqual(["distance", "estimator", "gset", "topk", "bands"]);
  });
  test("bands partition the source ranking into five equal, disjoint bands", () => {
    const v = findStudy("bands")!.variants(75);
    expect(v.map((x) => [x.config.nativeOffset, x.config.nativeCount])).toEqual([
      [0, 15],
      [15, 15],
      [30, 15],
      [45, 15],
      [60, 15],
    ]);
  });
  test("top-k never asks for more sources than exist and ends with all of them", () => {
    const ks = findStudy("topk")!
      .variants(42)
      .map((x) => x.config.nativeCount);
    expect(ks).toEqual([5, 10, 20, 30, 40, 42]);
  });
  test("|G| sweep keeps N = 30", () => {
    const s = findStudy("gset")!;
    expect(s.budgets).toEqual([30]);
    expect(s.variants(75).map((x) => x.config.gset)).toEqual([5, 10, 15, 20, 25]);
  });
});
