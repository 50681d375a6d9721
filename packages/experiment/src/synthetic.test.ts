import { describe, expect, test } from "vitest";
import { syntheticPopulation } from "./synthetic.js";

/** An order-sensitive checksum of the cells. */
function checksum(data: Float64Array): number {
  let h = 0;
  for (let i = 0; i < data.length; i++) h = (Math.imul(h, 31) + (data[i] as number) + (i % 7)) | 0;
  return h;
}

describe("syntheticPopulation", () => {
  test("the default population is unchanged (pinned: 120 × 600, seed 0)", () => {
    const m = syntheticPopulation();
    expect(m.rows).toBe(120);
    expect(m.cols).toBe(600);
    expect(m.data.reduce((s, v) => s + v, 0)).toBe(35778);
    expect(checksum(m.data)).toBe(-48255837);
    expect(Array.from(m.data.subarray(0, 20)).join("")).toBe("11110100010111011111");
  });

  test("fast mode: binary, seeded, same latent model (similar accuracies), leaderboard sizes quickly", () => {
    const a = syntheticPopulation({ models: 40, examples: 3000, fast: true, seed: 5 });
    const b = syntheticPopulation({ models: 40, examples: 3000, fast: true, seed: 5 });
    const c = syntheticPopulation({ models: 40, examples: 3000, fast: true, seed: 6 });
    expect(a.kind).toBe("binary");
    expect(checksum(a.data)).toBe(checksum(b.data));
    expect(checksum(a.data)).not.toBe(checksum(c.data));
    const slow = syntheticPopulation({ models: 40, examples: 3000, seed: 5 });
    const mean = (m: typeof a) => m.trueScores().reduce((s, v) => s + v, 0) / m.rows;
    expect(Math.abs(mean(a) - mean(slow))).toBeLessThan(0.1);
    const t = performance.now();
    const big = syntheticPopulation({ models: 100, examples: 100_000, fast: true });
    expect(big.data.length).toBe(10_000_000);
    expect(performance.now() - t).toBeLessThan(20_000);
  });

  test("a row in fast mode does not depend on how many models follow it", () => {
    const small = syntheticPopulation({ models: 3, examples: 500, fast: true });
    const large = syntheticPopulation({ models: 9, examples: 500, fast: true });
    expect(Array.from(large.data.subarray(0, 1500))).toEqual(Array.from(small.data));
  });
});
