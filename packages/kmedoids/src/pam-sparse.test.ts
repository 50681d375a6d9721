import { RandomStream, range } from "@tb/core";
import { describe, expect, test } from "vitest";
import { zScoredBinaryMatrix } from "./__fixtures__/helpers.js";
import { quantizeDistances } from "./exact.js";
import { fasterPam } from "./fasterpam.js";
import { pamSwap, pamSwapNaive } from "./pam.js";

/**
 * The sparse sums, the incremental d1/d2 update and the pruned scan of pamSwap (docs/METHOD.md §2.3)
 * on TailoredBench-sized clusterings: 0/1 data with many exact ties, K = 20–30 with 10 fixed.
 */
function instance(m: number, q: number, seed: number) {
  const rng = RandomStream.derive("pam-sparse", seed);
  const ease = Float64Array.from({ length: m }, () => rng.nextFloat());
  const bits = Array.from({ length: m }, (_, x) =>
    Array.from({ length: q }, (_, c) => (rng.nextFloat() < 0.2 + 0.6 * (ease[x] as number) * ((c % 5) / 4) ? 1 : 0)),
  );
  return { d: quantizeDistances(zScoredBinaryMatrix(bits), m), rng };
}

const list = (a: Int32Array) => Array.from(a);

describe("pamSwap on larger tie-heavy data = the literal definition, swap for swap", () => {
  for (const [m, q, K, seed] of [
    [300, 12, 20, 1],
    [300, 30, 30, 2],
    [420, 6, 25, 3],
  ] as const) {
    test(`m = ${m}, ${q} features, K = ${K}, 10 fixed`, () => {
      const { d, rng } = instance(m, q, seed);
      const init = Array.from(rng.sample(range(m), K));
      const ref = pamSwapNaive(d, m, init, { fixed: 10 });
      const inc = pamSwap(d, m, init, { fixed: 10 });
      const full = pamSwap(d, m, init, { fixed: 10, incremental: false });
      expect(ref.swaps).toBeGreaterThan(3);
      for (const r of [inc, full]) {
        expect(list(r.medoids)).toEqual(list(ref.medoids));
        expect(r.swaps).toBe(ref.swaps);
        expect(r.iterations).toBe(ref.iterations);
        expect(r.cost).toBe(ref.cost);
      }
    });
  }

  test("K = 2 and K = 1 (no second medoid) agree as well", () => {
    const { d, rng } = instance(200, 8, 4);
    for (const K of [1, 2]) {
      const init = Array.from(rng.sample(range(200), K));
      const ref = pamSwapNaive(d, 200, init);
      const r = pamSwap(d, 200, init);
      expect(list(r.medoids)).toEqual(list(ref.medoids));
      expect(r.swaps).toBe(ref.swaps);
    }
  });

  test("FasterPAM (same swap state, d1/d2 kept incrementally) reaches a local optimum of PAM", () => {
    const { d, rng } = instance(300, 10, 5);
    const init = Array.from(rng.sample(range(300), 20));
    const r = fasterPam(d, 300, init, { fixed: 10 });
    // no improving PAM swap left from its result
    expect(pamSwapNaive(d, 300, Array.from(r.medoids), { fixed: 10 }).swaps).toBe(0);
  });
});
