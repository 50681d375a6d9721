// The IRT fit's fused loss + gradient pass in WebAssembly (wasm/irt.wat, SIMD), for fitIrt's Adam
// loop: the parameters, their gradient and the responses live in one wasm memory that the pass reads
// directly. dataLossGrad in irt.ts is the reference and the fallback (no WebAssembly, no SIMD); the
// two give the same loss and gradient bit for bit (the kernel's exp is fdlibm's, the one V8's
// Math.exp runs; irt-kernel.test.ts). Each fit compiles the ≈ 2 KB module afresh (no module state).
import { TbError, wasmInstance } from "@tb/core";
import { IRT_WASM_HEX } from "./irt-wasm.js";

/** One fit's kernel: views into its memory, and the pass. Internal. */
export interface IrtKernel {
  /** The packed parameters `[θ (M·d) | a (I·d) | b (I)]` the pass reads. */
  readonly w: Float64Array;
  /** Their gradient, overwritten by {@link IrtKernel.run}. */
  readonly grad: Float64Array;
  /** The `M × I` 0/1 responses, row-major (the caller copies them in once). */
  readonly R: Uint8Array;
  /** The data loss (negative log-likelihood) at `w`; writes its gradient into `grad`. */
  run(): number;
  /** e^x of each of `xs` (at most 8·I values), computed by the pass's exp — for tests. */
  exp(xs: Float64Array): Float64Array;
}

type LossFn = (
  w: number,
  g: number,
  r: number,
  tt: number,
  gt: number,
  zs: number,
  M: number,
  I: number,
  d: number,
) => number;
type ExpFn = (p: number, n: number) => void;

const align = (x: number): number => Math.ceil(x / 16) * 16;

/**
 * A kernel for `M` models × `I` items at dimension `d`, or undefined where this runtime cannot run
 * it (no WebAssembly or SIMD, memory refused, beyond a 32-bit memory). Internal.
 */
export function irtKernel(M: number, I: number, d: number): IrtKernel | undefined {
  const P = M * d + I * d + I;
  const wOff = 0;
  const gOff = align(8 * P);
  const ttOff = gOff + align(8 * P);
  const gtOff = ttOff + 32 * d;
  const zsOff = gtOff + 32 * d; // the group's logits and exps: 2 × 4·I f64
  const rOff = zsOff + 64 * I;
  const inst = wasmInstance(IRT_WASM_HEX, rOff + M * I, { exp: Math.exp, log: Math.log });
  if (inst === undefined) return undefined;
  const loss = inst.exports.loss as LossFn;
  const exp = inst.exports.exp as ExpFn;
  const buf = inst.buffer;
  return {
    w: new Float64Array(buf, wOff, P),
    grad: new Float64Array(buf, gOff, P),
    R: new Uint8Array(buf, rOff, M * I),
    run: (): number => loss(wOff, gOff, rOff, ttOff, gtOff, zsOff, M, I, d),
    exp: (xs: Float64Array): Float64Array => {
      // The pass only takes e^x of x ≤ 0 (x = −|z|), and its scratch row holds 8·I values.
      if (xs.length > 8 * I || xs.some((x) => x > 0)) {
        throw new TbError("E_INTERNAL", `irtKernel.exp: at most ${8 * I} values, each ≤ 0`);
      }
      const n = xs.length + (xs.length & 1); // the pass takes pairs
      const view = new Float64Array(buf, zsOff, n);
      view.set(xs);
      exp(zsOff, n);
      return view.slice(0, xs.length);
    },
  };
}
