// The WebAssembly kernel of FasterPAM's per-candidate pass (wasm/phi.wat) against the TypeScript
// loop it replaces (itself checked against FasterPAM by definition in fast-paths.test.ts), and the
// incremental nearest/second-nearest update of a swap against a recomputation from scratch.
import { RandomStream, range, Workspace } from "@tb/core";
import { describe, expect, test } from "vitest";
import { committedAndAssembled } from "../../../scripts/kernel-tests.mjs";
import { manhattanMatrix, zScoredBinaryMatrix } from "./__fixtures__/helpers.js";
import { exactGrid, isOnGrid, quantizeDistances } from "./exact.js";
import { fasterPam, fasterPamCore } from "./fasterpam.js";
import { kernelValidDistances, kmedoids, validDistances } from "./kmedoids.js";
import { kernelMatrix, kernelOf, PHI_KERNEL_MIN_POINTS, type PhiKernel, phiKernel } from "./phi-kernel.js";
import { SwapState } from "./swap-state.js";

/** Tie-heavy (small integer points, duplicates; z-scored 0/1 rows) and tie-free (uniform) matrices, on the grid. */
function matrices(seed: number, m: number): { name: string; q: Float64Array }[] {
  const rng = RandomStream.derive("phi-kernel", seed, m);
  const ints = manhattanMatrix(Array.from({ length: m }, () => [rng.nextInt(4), rng.nextInt(4)]));
  const bits = zScoredBinaryMatrix(Array.from({ length: m }, () => Array.from({ length: 7 }, () => rng.nextInt(2))));
  const uni = manhattanMatrix(Array.from({ length: m }, () => [rng.nextFloat(), rng.nextFloat(), rng.nextFloat()]));
  return [
    { name: "integer points", q: quantizeDistances(ints, m) },
    { name: "z-scored 0/1", q: quantizeDistances(bits, m) },
    { name: "uniform", q: quantizeDistances(uni, m) },
  ];
}

/** A kernel for m points with `q` written into its memory. */
function kernelHolding(q: Float64Array, m: number): PhiKernel {
  const kern = phiKernel(m);
  if (kern === undefined) throw new Error("no kernel");
  kern.matrix.set(q);
  return kern;
}

describe("the compiled kernel", () => {
  test("src/phi-wasm.ts is what scripts/build-wasm.mjs assembles from wasm/phi.wat", async () => {
    const { committed, assembled } = await committedAndAssembled(import.meta.url, "phi");
    expect(committed).toBe(assembled);
  });

  test("Node ≥ 20 runs it (WebAssembly with SIMD)", () => {
    expect(phiKernel(8)).toBeDefined();
  });

  test("a matrix beyond a 32-bit memory takes the TypeScript loop (no kernel, nothing allocated)", () => {
    expect(phiKernel(23_171)).toBeUndefined(); // 8 · 23171² > 2^32 bytes
  });
});

describe("Φ from the kernel = Φ from the TypeScript loop, bit for bit", () => {
  // m mod 4 = 0…3 (the kernel's tail), K = 1 (d2 = big), fixed slots
  const cases: [m: number, K: number, f: number][] = [
    [9, 1, 0],
    [13, 2, 0],
    [30, 5, 2],
    [41, 10, 0],
    [58, 23, 3],
    [67, 40, 0],
  ];
  for (const [m, K, f] of cases) {
    test(`every candidate, along a random walk of swaps: m = ${m}, K = ${K}, ${f} fixed`, () => {
      for (let seed = 0; seed < 3; seed++) {
        for (const { name, q } of matrices(seed, m)) {
          const rng = RandomStream.derive("phi-walk", seed, m, K);
          const init = rng.sample(range(m), K);
          const kern = kernelHolding(q, m);
          const ref = new SwapState(q, m, Int32Array.from(init), f, false);
          const wasm = new SwapState(
            kern.matrix,
            m,
            Int32Array.from(init),
            f,
            false,
            undefined,
            undefined,
            undefined,
            kern,
          );
          const want = new Float64Array(K);
          const got = new Float64Array(K);
          for (let step = 0; step < 6; step++) {
            for (let h = 0; h < m; h++) {
              if ((ref.slotOf[h] as number) >= 0) continue;
              ref.phiAll(h, want);
              wasm.phiAll(h, got);
              for (let i = 0; i < K; i++) {
                if (!Object.is(got[i], want[i])) {
                  throw new Error(`${name} seed ${seed} step ${step}: Φ(${i}, ${h}) ${got[i]} ≠ ${want[i]}`);
                }
              }
            }
            if (K === f) break;
            const i = f + rng.nextInt(K - f);
            let h = rng.nextInt(m);
            while ((ref.slotOf[h] as number) >= 0) h = rng.nextInt(m);
            ref.swap(i, h, true);
            wasm.swap(i, h, true);
          }
        }
      }
    });
  }

  // (the kernel's `best`: the pass, then the first slot with the smallest Φ from slot f on)
  test("fasterPamCore: same swaps, passes and medoids with the kernel and with the TypeScript loop", () => {
    for (const [m, K] of [
      [37, 3],
      [64, 12],
      [90, 30],
    ] as const) {
      for (let seed = 0; seed < 2; seed++) {
        for (const { name, q } of matrices(seed + 10, m)) {
          const init = RandomStream.derive("phi-core", seed, m, K).sample(range(m), K);
          const kern = kernelHolding(q, m);
          for (const f of [0, 2]) {
            const a = Int32Array.from(init);
            const b = Int32Array.from(init);
            const ra = fasterPamCore(q, m, a, f, 100, 1e-9, RandomStream.derive("o", seed), undefined, false);
            const rb = fasterPamCore(kern.matrix, m, b, f, 100, 1e-9, RandomStream.derive("o", seed), undefined, kern);
            expect({ name, f, medoids: Array.from(b), ...rb }).toEqual({ name, f, medoids: Array.from(a), ...ra });
          }
        }
      }
    }
  });

  test("kernelMatrix: fasterPam and kmedoids run on it in place, with the same results as on a plain array", () => {
    const m = 301;
    const d = kernelMatrix(m);
    expect(kernelOf(d, m)).toBeDefined();
    expect(kernelOf(new Float64Array(m * m), m)).toBeUndefined();
    expect(kernelOf(d, m - 1)).toBeUndefined();
    for (const { name, q } of matrices(3, m)) {
      d.set(q);
      for (const K of [4, 40]) {
        const init = RandomStream.derive("phi-auto", K).sample(range(m), K);
        const want = fasterPam(q, m, init);
        const got = fasterPam(d, m, init);
        expect({ name, K, medoids: Array.from(got.medoids), swaps: got.swaps, cost: got.cost }).toEqual({
          name,
          K,
          medoids: Array.from(want.medoids),
          swaps: want.swaps,
          cost: want.cost,
        });
        const a = kmedoids(q, K, { method: "fasterpam", seed: 2 });
        const b = kmedoids(d, K, { method: "fasterpam", seed: 2 });
        expect([name, Array.from(b.medoids), Array.from(b.labels), b.cost]).toEqual([
          name,
          Array.from(a.medoids),
          Array.from(a.labels),
          a.cost,
        ]);
      }
    }
  });

  test(`off the grid, above ${PHI_KERNEL_MIN_POINTS} points (rounded into a kernel) = the TypeScript loop on the rounded matrix`, () => {
    const m = PHI_KERNEL_MIN_POINTS + 2;
    const rng = RandomStream.derive("off-grid");
    const raw = manhattanMatrix(Array.from({ length: m }, () => [rng.nextFloat() * 3, rng.nextFloat()]));
    const q = quantizeDistances(raw, m);
    expect(Array.from(q)).not.toEqual(Array.from(raw)); // off the grid, so the search rounds it
    for (const K of [3, 30]) {
      const init = RandomStream.derive("off-grid-init", K).sample(range(m), K);
      const want = Int32Array.from(init);
      const r = fasterPamCore(q, m, want, 0, 100, 1e-9, undefined, undefined, false);
      const got = fasterPam(raw, m, init, { workspace: new Workspace() });
      expect([Array.from(got.medoids), got.swaps]).toEqual([Array.from(want), r.swaps]);
      const a = kmedoids(q, K, { method: "fasterpam", seed: 1 });
      const b = kmedoids(raw, K, { method: "fasterpam", seed: 1 });
      expect(Array.from(b.medoids)).toEqual(Array.from(a.medoids));
    }
  });

  test("kernelMatrix refuses a bad size", () => {
    for (const n of [0, -1, 2.5, Number.NaN])
      expect(() => kernelMatrix(n)).toThrow(/kernelMatrix: n must be an integer ≥ 1/);
  });
});

describe("a swap's d1, d2 and a = recomputed from scratch (every tie rule of the incremental update)", () => {
  for (const sums of [false, true]) {
    test(`random swaps on tie-heavy matrices, ${sums ? "PAM (sums kept)" : "FasterPAM (removal losses)"}`, () => {
      for (const [m, K] of [
        [16, 2],
        [25, 3],
        [40, 6],
        [60, 12],
      ] as const) {
        for (let seed = 0; seed < 4; seed++) {
          for (const { name, q } of matrices(seed + 20, m)) {
            const rng = RandomStream.derive("nearest-walk", seed, m, K);
            const st = new SwapState(q, m, rng.sample(range(m), K), 0, sums);
            for (let step = 0; step < 40; step++) {
              const i = rng.nextInt(K);
              let h = rng.nextInt(m);
              while ((st.slotOf[h] as number) >= 0) h = rng.nextInt(m);
              st.swap(i, h, true);
              const fresh = new SwapState(q, m, st.med.slice(), 0, sums);
              const where = `${name}, m = ${m}, K = ${K}, seed ${seed}, step ${step}`;
              expect([where, Array.from(st.d1), Array.from(st.d2), Array.from(st.a), st.cost]).toEqual([
                where,
                Array.from(fresh.d1),
                Array.from(fresh.d2),
                Array.from(fresh.a),
                fresh.cost,
              ]);
            }
          }
        }
      }
    });
  }
});

describe("the kernel's checks of a kernelMatrix = the TypeScript checks", () => {
  // n odd and even (the pair loop's leftover entry), tiles of 32 (n > 32: several tiles)
  for (const n of [1, 2, 7, 33, 70]) {
    test(`n = ${n}: the same max, and kmedoids names the same bad entry`, () => {
      const rng = RandomStream.derive("kernel-check", n);
      const base = manhattanMatrix(Array.from({ length: n }, () => [rng.nextFloat() * 5, rng.nextInt(3)]));
      const km = kernelMatrix(n);
      const kern = kernelOf(km, n);
      if (kern === undefined) throw new Error("no kernel");
      km.set(base);
      expect(kernelValidDistances(kern, km, n)).toBe(validDistances(base, n));
      if (n < 2) return;
      const i = n - 1;
      const j = n >> 1 === i ? 0 : n >> 1;
      const bad: [what: string, set: (d: Float64Array) => void][] = [
        ["asymmetric", (d) => (d[i * n + j] = (d[i * n + j] as number) + 0.25)],
        ["NaN", (d) => (d[j * n + i] = Number.NaN)],
        [
          "negative",
          (d) => {
            d[i * n + j] = -1;
            d[j * n + i] = -1;
          },
        ],
        [
          "infinite",
          (d) => {
            d[i * n + j] = Number.POSITIVE_INFINITY;
            d[j * n + i] = Number.POSITIVE_INFINITY;
          },
        ],
        ["diagonal", (d) => (d[i * n + i] = 1)],
      ];
      for (const [what, set] of bad) {
        const plain = base.slice();
        set(plain);
        km.set(plain);
        let want = "";
        try {
          kmedoids(plain, 1);
        } catch (e) {
          want = (e as Error).message;
        }
        expect([what, want]).not.toEqual([what, ""]);
        expect(() => kmedoids(km, 1)).toThrow(want);
      }
    });
  }

  test("check catches an asymmetric entry at every position above and below the diagonal (tile edges, odd tails)", () => {
    for (const n of [3, 34, 65]) {
      const rng = RandomStream.derive("kernel-check-all", n);
      const base = manhattanMatrix(Array.from({ length: n }, () => [rng.nextFloat() * 5, rng.nextInt(3)]));
      const km = kernelMatrix(n);
      const kern = kernelOf(km, n);
      if (kern === undefined) throw new Error("no kernel");
      const missed: string[] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          km.set(base);
          km[i * n + j] = (base[i * n + j] as number) + 0.5;
          if (kern.check(32) !== -1) missed.push(`[${i}][${j}]`);
        }
      }
      expect([n, missed.slice(0, 5)]).toEqual([n, []]);
    }
  });

  test("kmedoids leaves a kernelMatrix as it was, on the grid or off it, with the results of a plain copy", () => {
    const n = 300;
    const rng = RandomStream.derive("kernel-untouched");
    const raw = manhattanMatrix(Array.from({ length: n }, () => [rng.nextFloat() * 3, rng.nextFloat()]));
    for (const d of [raw, quantizeDistances(raw, n)]) {
      const km = kernelMatrix(n);
      km.set(d);
      const a = kmedoids(d, 12, { method: "fasterpam", seed: 4 });
      const b = kmedoids(km, 12, { method: "fasterpam", seed: 4 });
      expect([Array.from(b.medoids), b.cost]).toEqual([Array.from(a.medoids), a.cost]);
      expect(km.every((x, t) => Object.is(x, d[t]))).toBe(true);
    }
  });

  test("the grid test = isOnGrid: on the grid, one entry off it (at every position mod 4), −0", () => {
    const n = 37;
    const rng = RandomStream.derive("kernel-grid");
    const q = quantizeDistances(
      manhattanMatrix(Array.from({ length: n }, () => [rng.nextFloat() * 9, rng.nextFloat()])),
      n,
    );
    const km = kernelMatrix(n);
    const kern = kernelOf(km, n);
    if (kern === undefined) throw new Error("no kernel");
    let max = 0;
    for (const x of q) max = Math.max(max, x);
    const inv = 1 / exactGrid(max, n);
    km.set(q);
    expect(kern.onGrid(inv)).toBe(true);
    expect(isOnGrid(q, max, n, true)).toBe(true);
    for (const t of [1, 2, 3, 4, n * n - 2, n * n - 1]) {
      const d = q.slice();
      d[t] = (d[t] as number) + 0.37 / inv; // between two grid points
      km.set(d);
      expect([t, kern.onGrid(inv)]).toEqual([t, isOnGrid(d, max, n)]);
      expect(kern.onGrid(inv)).toBe(false);
    }
    for (const t of [0, 5, n * n - 1]) {
      const d = q.slice();
      d[t] = -0;
      km.set(d);
      expect([t, kern.onGrid(inv)]).toEqual([t, false]);
      expect(isOnGrid(d, max, n)).toBe(false);
    }
  });
});
