// The near pairs of a packed 0/1 embedding in WebAssembly (wasm/hamming.wat): the points' bits and
// the byte tables are copied into the kernel's memory, which the pass then reads without a bounds
// check per table lookup, four pairs side by side. The TypeScript loop (near-pairs.ts) is the
// reference and the fallback (no WebAssembly, or a memory above 64 MiB): both sum the same table
// values in the same order, so the same doubles.
//
// A kernel is sized for at most `capN` points of at most `capBytes` bytes and takes any source that
// fits (`load`), so a workspace keeps one for all its sources: making one costs a compile and a
// fresh memory (whose pages fault in on first touch), which per near-pairs call measured slower on
// the full GSM8K protocol with two workers than the TypeScript pass (a kernel per source and call:
// 128–133 s against 109–118 s).
import { wasmInstance } from "@tb/core";
import { HAMMING_WASM_HEX } from "./hamming-wasm.js";

/** Largest memory a kernel takes (beyond it the TypeScript loop runs): 64 MiB. */
const MAX_KERNEL_BYTES = 64 * 1024 * 1024;

/** The near-pairs pass in WebAssembly, for the points of the last {@link HammingPairs.load}. */
export interface HammingPairs {
  /** Most points and bytes per point it takes. */
  readonly capN: number;
  readonly capBytes: number;
  /** Bytes of its memory. */
  readonly bytes: number;
  /**
   * Copies `n` points into the kernel: their packed `words` (W 32-bit words a point) and byte
   * `tables`, `bytes` bytes a point (within the capacities).
   */
  load(tables: Float64Array, words: Int32Array, W: number, n: number, bytes: number): void;
  /**
   * hammingNearPairs' pass from row `a0` on, as many rows as fit in the output areas (at least
   * one): for each row a the b > a (ascending) with d(a, b) below caps[a] in `ub`/`ud` and below
   * caps[b] in `lb`/`ld`, all rows' entries one after another; `ue[a − a0]` and `le[a − a0]` count the
   * entries after row a. Returns the next row (n when all are done) and the largest d of the rows
   * passed (0 when none is larger).
   */
  pass(a0: number, caps: Float64Array, sqrt: boolean): { next: number; max: number };
  readonly ub: Int32Array;
  readonly ud: Float64Array;
  readonly lb: Int32Array;
  readonly ld: Float64Array;
  readonly ue: Int32Array;
  readonly le: Int32Array;
}

const align = (x: number): number => Math.ceil(x / 16) * 16;

type PassFn = (
  w: number,
  L: number,
  t: number,
  nb: number,
  a0: number,
  n: number,
  caps: number,
  sqrt: number,
  ub: number,
  ud: number,
  lb: number,
  ld: number,
  room: number,
  ue: number,
  le: number,
  at: number,
) => number;

/**
 * A kernel for up to `capN` points of up to `capBytes` bytes each, with output areas of `room`
 * entries a side (at least capN; default 4·capN), or undefined when this runtime cannot run one or
 * its memory would exceed 64 MiB. Internal.
 */
export function hammingKernel(capN: number, capBytes: number, room = 4 * capN): HammingPairs | undefined {
  if (!(capBytes >= 1 && capN >= 1)) return undefined;
  const R = Math.max(capN, room);
  const capL = Math.ceil(capBytes / 8);
  const atOff = 0;
  const tOff = 16;
  const wOff = tOff + align(2048 * capBytes);
  const capsOff = wOff + align(8 * capL * capN);
  const ueOff = capsOff + align(8 * capN);
  const leOff = ueOff + align(4 * capN);
  const udOff = leOff + align(4 * capN);
  const ldOff = udOff + align(8 * R);
  const ubOff = ldOff + align(8 * R);
  const lbOff = ubOff + align(4 * R);
  const total = lbOff + align(4 * R);
  if (total > MAX_KERNEL_BYTES) return undefined;
  const inst = wasmInstance(HAMMING_WASM_HEX, total);
  if (inst === undefined) return undefined;
  const buf = inst.buffer;
  const tables = new Float64Array(buf, tOff, 256 * capBytes);
  const words32 = new Int32Array(buf, wOff, 2 * capL * capN);
  const capsIn = new Float64Array(buf, capsOff, capN);
  const atMax = new Float64Array(buf, atOff, 1);
  const passFn = inst.exports.pairs as PassFn;
  let n = 0;
  let nb = 0;
  let L = 0;
  return {
    capN,
    capBytes,
    bytes: buf.byteLength,
    ub: new Int32Array(buf, ubOff, R),
    ud: new Float64Array(buf, udOff, R),
    lb: new Int32Array(buf, lbOff, R),
    ld: new Float64Array(buf, ldOff, R),
    ue: new Int32Array(buf, ueOff, capN),
    le: new Int32Array(buf, leOff, capN),
    load(T: Float64Array, src: Int32Array, W: number, points: number, bytes: number): void {
      if (!(points >= 1 && points <= capN && bytes >= 1 && bytes <= capBytes)) {
        throw new RangeError(`hammingKernel: ${points} points of ${bytes} bytes exceed ${capN} of ${capBytes}`);
      }
      n = points;
      nb = bytes;
      L = Math.ceil(bytes / 8);
      // byte position k's 256 values (the packed tables hold 4W positions; only `bytes` are read)
      tables.set(T.subarray(0, 256 * bytes));
      // W little-endian 32-bit words per point → L 64-bit words (the same bytes, zero-padded)
      if (W === 2 * L) words32.set(src.subarray(0, n * W));
      else {
        words32.fill(0, 0, 2 * L * n);
        for (let p = 0; p < n; p++) for (let k = 0; k < W; k++) words32[2 * L * p + k] = src[p * W + k] as number;
      }
    },
    pass(a0: number, caps: Float64Array, sqrt: boolean): { next: number; max: number } {
      capsIn.set(caps.subarray(0, n));
      const next = passFn(
        wOff,
        L,
        tOff,
        nb,
        a0,
        n,
        capsOff,
        sqrt ? 1 : 0,
        ubOff,
        udOff,
        lbOff,
        ldOff,
        R,
        ueOff,
        leOff,
        atOff,
      );
      return { next, max: atMax[0] as number };
    },
  };
}
