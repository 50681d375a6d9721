// The WebAssembly pass of the IRT fit (wasm/irt.wat) against the TypeScript loop it replaces
// (dataLossGrad, itself checked by finite differences in irt.test.ts), and its exp against V8's
// Math.exp (fdlibm): equal bit for bit, so fitIrt's numbers do not depend on which one ran.
import { RandomStream } from "@tb/core";
import { describe, expect, test } from "vitest";
import { committedAndAssembled, differences } from "../../../scripts/kernel-tests.mjs";
import { dataLossGrad, fitIrtWith, irtParamCount } from "./irt.js";
import { irtKernel } from "./irt-kernel.js";

/** The double whose bits are `hi << 32 | lo`. */
function fromBits(hi: number, lo: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, hi);
  v.setUint32(4, lo);
  return v.getFloat64(0);
}

describe("the compiled kernel", () => {
  test("src/irt-wasm.ts is what scripts/build-wasm.mjs assembles from wasm/irt.wat", async () => {
    const { committed, assembled } = await committedAndAssembled(import.meta.url, "irt");
    expect(committed).toBe(assembled);
  });

  test("Node ≥ 20 runs it (WebAssembly with SIMD)", () => {
    expect(irtKernel(2, 3, 1)).toBeDefined();
  });
});

describe("its exp = Math.exp, bit for bit (x ≤ 0, the pass's e^{−|z|})", () => {
  const kern = irtKernel(1, 1024, 1);
  if (kern === undefined) throw new Error("no kernel");

  test("on every branch edge of fdlibm's exp and beside it", () => {
    const xs: number[] = [-0, 0, Number.NaN, Number.NEGATIVE_INFINITY, -Number.MIN_VALUE, -Number.MAX_VALUE];
    // high words: 0.5 ln2, 1.5 ln2, 2^-28, the wasm's hand-over at 700, 709.78 (o_threshold),
    // the last k ≥ −1021 (≈ −708.4), u_threshold (−745.13): each bound, one ulp either side
    for (const hi of [0x3fd62e42, 0x3fd62e43, 0x3ff0a2b2, 0x3ff0a2b1, 0x3e300000, 0x3e2fffff, 0x4085e000, 0x40862e42]) {
      for (const lo of [0, 1, 0xffffffff]) xs.push(-fromBits(hi, lo));
    }
    for (const v of [-708.39, -708.4, -709.78, -709.79, -745.13, -745.14, -740, -750]) {
      xs.push(v, -Math.abs(v + 1e-12), v - 1e-12);
    }
    // where k changes (x/ln2 − 0.5 crosses an integer) and the integers
    for (let k = 1; k <= 1011; k++) {
      const x = -(k + 0.5) * Math.LN2;
      xs.push(x, x * (1 + 2 ** -52), x * (1 - 2 ** -52), -k);
    }
    // and whole high words on either side of each bound (the branch is chosen by the high word alone)
    const rng = RandomStream.derive("irt-kernel-edges", 0);
    for (const hi of [0x3fd62e42, 0x3ff0a2b2, 0x3e300000, 0x4085e000]) {
      for (const h of [hi - 1, hi, hi + 1]) {
        for (let i = 0; i < 1024; i++) xs.push(-fromBits(h, rng.nextInt(2 ** 32)));
      }
    }
    for (let i = 0; i < xs.length; i += 1024) {
      const chunk = Float64Array.from(xs.slice(i, i + 1024));
      expect(differences(kern.exp(chunk), chunk.map(Math.exp))).toEqual([]);
    }
  });

  test("on 10^6 random x in each range (tiny, k = 0, k = −1, reduced, near underflow)", () => {
    const rng = RandomStream.derive("irt-kernel-exp", 0);
    for (const scale of [1e-8, 0.35, 1.04, 30, 745]) {
      for (let rep = 0; rep < 200; rep++) {
        const xs = new Float64Array(1024).map(() => -scale * rng.nextFloat());
        expect(differences(kern.exp(xs), xs.map(Math.exp))).toEqual([]);
      }
    }
  });
});

describe("the pass = dataLossGrad, bit for bit", () => {
  // M mod 4 = 0…3 (the one-model tail), d = 1…15, I past 128 (the ln flush inside a group) and
  // M·I past 512 in the tail; parameter scales from the fit's start (0.1) to logits beyond ±700
  // (the exp's hand-over to Math.exp and e^{−|z|} = 0) and all-zero parameters (z = 0 exactly)
  const shapes: [M: number, I: number, d: number][] = [
    [1, 1, 1],
    [3, 5, 2],
    [4, 7, 1],
    [5, 13, 3],
    [6, 9, 15],
    [7, 600, 2],
    [13, 300, 5],
    [9, 140, 10],
  ];
  for (const [M, I, d] of shapes) {
    test(`${M} models × ${I} items, d = ${d}`, () => {
      const P = irtParamCount(M, I, d);
      for (const scale of [0, 0.1, 1, 4, 40]) {
        const rng = RandomStream.derive("irt-kernel-pass", M, I, d, scale);
        const kern = irtKernel(M, I, d);
        if (kern === undefined) throw new Error("no kernel");
        for (let t = 0; t < M * I; t++) kern.R[t] = rng.nextFloat() < 0.6 ? 1 : 0;
        for (let i = 0; i < P; i++) kern.w[i] = scale * rng.nextNormal();
        kern.grad.fill(Number.NaN); // overwritten, not added to
        const w = Float64Array.from(kern.w);
        const grad = new Float64Array(P).fill(Number.NaN);
        const ref = dataLossGrad(w, Uint8Array.from(kern.R), M, I, d, grad);
        const got = kern.run();
        expect(Object.is(got, ref), `loss ${got} vs ${ref} at scale ${scale}`).toBe(true);
        expect(differences(kern.grad, grad)).toEqual([]);
        expect(differences(kern.w, w)).toEqual([]); // the parameters are read, not written
      }
    });
  }
});

describe("fitIrt with the kernel = fitIrt with the TypeScript loop", () => {
  const rng = RandomStream.derive("irt-kernel-fit", 0);
  const M = 23;
  const I = 31;
  const R = new Uint8Array(M * I).map(() => (rng.nextFloat() < 0.55 ? 1 : 0));
  for (const method of ["map", "vi"] as const) {
    for (const dim of [1, 3]) {
      test(`${method}, d = ${dim}: every parameter, the loss trace and the best epoch`, () => {
        const opts = { dim, epochs: 80, method, trace: true, seed: 3 };
        const a = fitIrtWith(R, M, I, opts, true);
        const b = fitIrtWith(R, M, I, opts, false);
        expect(Object.is(a.loss, b.loss)).toBe(true);
        expect(a.bestEpoch).toBe(b.bestEpoch);
        expect(differences(a.lossTrace as Float64Array, b.lossTrace as Float64Array)).toEqual([]);
        for (const k of ["theta", "a", "b"] as const) expect(differences(a[k], b[k])).toEqual([]);
      });
    }
  }
});
