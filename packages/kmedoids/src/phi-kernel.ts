// FasterPAM's per-candidate pass in WebAssembly (wasm/phi.wat, SIMD): the matrix, d1, d2, a and the
// slot sums live in one wasm memory that the kernel reads directly. SwapState.phiAll's TypeScript
// loop is the reference and the fallback (no WebAssembly, no SIMD, a matrix too large for a 32-bit
// memory). A kernel is made for a matrix that must be written anyway (rounded onto the grid), or by
// `kernelMatrix(n)` for a caller who fills it; a matrix elsewhere is never copied into one (a fresh
// n² memory costs its first-touch page faults: ≈ 9 ms for GSM8K's 1319², ≈ 150 ms for 5000²,
// more than the kernel saves). Each kernel compiles the ≈ 1.5 KB module afresh (microseconds; a
// GSM8K search measured no slower than with one module kept, which would be module state).
import { TbError, wasmInstance } from "@tb/core";
import { PHI_WASM_HEX } from "./phi-wasm.js";
import type { KMedoidsScratch } from "./scratch.js";

/** Below this many points a search uses the TypeScript loop (the kernel's set-up would dominate). */
export const PHI_KERNEL_MIN_POINTS = 256;

/** One search's kernel: views into its memory, and the pass itself. */
export interface PhiKernel {
  /** m × m, row-major: where the search's matrix must be (the caller copies or writes it here). */
  readonly matrix: Float64Array;
  readonly d1: Float64Array;
  readonly d2: Float64Array;
  readonly a: Int32Array;
  /** One entry per slot (room for m): the removal losses before {@link PhiKernel.run}, the sums after. */
  readonly out: Float64Array;
  /** One entry per slot (room for m): the removal losses, which {@link PhiKernel.best} starts from. */
  readonly rl: Float64Array;
  readonly m: number;
  /** The pass for candidate h: adds to `out`, returns Σ_j min(d(h, j) − d1[j], 0). */
  run(h: number): number;
  /**
   * The whole step for candidate h with K slots, the first f fixed: `out` = `rl`, the pass, then
   * the best Φ over the slots [f, K) (first slot on ties), returned; its slot is {@link PhiKernel.slot}.
   */
  best(h: number, K: number, f: number): number;
  /** The slot of the last {@link PhiKernel.best}. */
  slot(): number;
  /**
   * One pass over `matrix` in `B × B` tiles: its largest entry when every entry above the diagonal
   * equals its mirror and none is negative (an infinite one comes back as the max), else −1. The
   * diagonal is not read.
   */
  check(B: number): number;
  /** Whether every entry of `matrix` is a multiple of the grid `1/inv` and none is −0. */
  onGrid(inv: number): boolean;
}

type PhiFn = (row: number, d1: number, d2: number, a: number, out: number, m: number) => number;
type CheckFn = (mat: number, n: number, B: number) => number;
type GridFn = (p: number, count: number, inv: number) => number;
type BestFn = (
  row: number,
  d1: number,
  d2: number,
  a: number,
  out: number,
  rl: number,
  m: number,
  K: number,
  f: number,
  at: number,
) => number;

const align = (x: number): number => Math.ceil(x / 16) * 16;

/**
 * A kernel for m points (any K ≤ m slots), or undefined when this runtime cannot run it (no
 * WebAssembly or no SIMD, memory refused) or the matrix would not fit in 4 GiB. Internal.
 */
export function phiKernel(m: number): PhiKernel | undefined {
  const K = m;
  const outOff = 0;
  const rlOff = align(8 * K);
  const atOff = rlOff + align(8 * K);
  const d1Off = atOff + 16;
  const d2Off = d1Off + align(8 * m);
  const aOff = d2Off + align(8 * m);
  const matOff = aOff + align(4 * m);
  const bytes = matOff + 8 * m * m;
  const inst = wasmInstance(PHI_WASM_HEX, bytes);
  if (inst === undefined) return undefined;
  const phi = inst.exports.phi as PhiFn;
  const best = inst.exports.best as BestFn;
  const check = inst.exports.check as CheckFn;
  const grid = inst.exports.grid as GridFn;
  const buf = inst.buffer;
  const rowBytes = 8 * m;
  const at = new Int32Array(buf, atOff, 1);
  return {
    matrix: new Float64Array(buf, matOff, m * m),
    d1: new Float64Array(buf, d1Off, m),
    d2: new Float64Array(buf, d2Off, m),
    a: new Int32Array(buf, aOff, m),
    out: new Float64Array(buf, outOff, K),
    rl: new Float64Array(buf, rlOff, K),
    m,
    // offsets above 2^31 reach the kernel as negative i32s, which wasm reads as the same unsigned address
    run: (h: number): number => phi(matOff + h * rowBytes, d1Off, d2Off, aOff, outOff, m),
    best: (h: number, k: number, f: number): number =>
      best(matOff + h * rowBytes, d1Off, d2Off, aOff, outOff, rlOff, m, k, f, atOff),
    slot: (): number => at[0] as number,
    check: (B: number): number => check(matOff, m, B),
    onGrid: (inv: number): boolean => grid(matOff, m * m, inv) === 1,
  };
}

/** Where a {@link kernelMatrix} carries its kernel: a property of the array itself (no registry). */
const KERNEL: unique symbol = Symbol("@tb/kmedoids phi kernel");

/**
 * The kernel whose matrix `q` is (made by {@link kernelMatrix} for m points), if any. Internal.
 */
export function kernelOf(q: Float64Array, m: number): PhiKernel | undefined {
  const k = (q as { [KERNEL]?: PhiKernel })[KERNEL];
  return k !== undefined && k.m === m && k.matrix === q ? k : undefined;
}

/**
 * An `n × n` row-major `Float64Array` of zeros that FasterPAM's WebAssembly kernel reads in place:
 * fill it with your distances and pass it to `kmedoids(…, { method: "fasterpam" })` or
 * `fasterPam()` (this very array: a copy or a `subarray` of it is a plain array), and the search
 * runs on it without a copy (a matrix anywhere else runs the TypeScript loop, also without a copy). Where this runtime has no WebAssembly SIMD, or the matrix
 * would not fit in 4 GiB, it is an ordinary `Float64Array` and everything works the same, slower.
 * Results are identical either way.
 *
 * ```ts
 * const d = kernelMatrix(n);
 * for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = distance(i, j);
 * const { medoids } = kmedoids(d, 30, { method: "fasterpam" });
 * ```
 *
 * @throws TbError `E_USAGE` when n is not an integer ≥ 1.
 */
export function kernelMatrix(n: number): Float64Array {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) {
    throw new TbError("E_USAGE", `kernelMatrix: n must be an integer ≥ 1, got ${String(n)}`);
  }
  const k = phiKernel(n);
  if (k !== undefined) {
    Object.defineProperty(k.matrix, KERNEL, { value: k });
    return k.matrix;
  }
  try {
    return new Float64Array(n * n);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new TbError("E_USAGE", `kernelMatrix: an ${n} × ${n} matrix (${8 * n * n} bytes) cannot be allocated here`);
    }
    throw e;
  }
}

/** Largest kernel matrix a workspace keeps between calls: 2^22 doubles = 32 MiB (m ≈ 2048), as `gridMatrix`'s copy. */
const MAX_KEPT_POINTS_SQUARED = 1 << 22;

/**
 * A kernel for m points from the workspace's K-Medoids slot (kept there for the next search of
 * that size: its memory's pages are then already touched, up to a 32 MiB matrix), or a fresh one
 * without a slot or above that size; undefined when this runtime has none. Its matrix is
 * overwritten by the caller. Internal.
 */
export function keptKernel(scratch: KMedoidsScratch | undefined, m: number): PhiKernel | undefined {
  if (scratch === undefined || m * m > MAX_KEPT_POINTS_SQUARED) return phiKernel(m);
  if (scratch.kernel?.m !== m) scratch.kernel = phiKernel(m);
  return scratch.kernel;
}
