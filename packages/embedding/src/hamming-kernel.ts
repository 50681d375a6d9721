// The weighted-Hamming rows and near pairs of a packed 0/1 embedding in WebAssembly
// (wasm/hamming.wat): the points' bits and the byte tables are copied into the kernel's own memory,
// which the rows and pairs then read without a bounds check per table lookup, four pairs side by
// side. The TypeScript kernels (packed-hamming.ts, near-pairs.ts) are the reference and the
// fallback (no WebAssembly, or a memory too large): both sum the same table values in the same
// order, so the same doubles. Each kernel compiles the ≈ 4 KB module afresh (≈ 0.1 ms with its
// memory; a per-process module would be module state).
import { wasmInstance } from "@tb/core";
import { HAMMING_WASM_HEX } from "./hamming-wasm.js";
import type { Packed } from "./packed-hamming.js";

/** Largest memory a kernel takes (beyond it the TypeScript kernels run): 64 MiB. */
const MAX_KERNEL_BYTES = 64 * 1024 * 1024;

/** A kernel's rows: the distances from one point to every point. */
export interface HammingRows {
  /** Bytes of the kernel's memory. */
  readonly bytes: number;
  /** Distances from point p to every point, into `out` (length ≥ n), square roots with `sqrt`. */
  row(p: number, out: Float64Array, sqrt: boolean): void;
}

/** A kernel that also makes the near pairs (the output areas of {@link HammingPairs.pass}). */
export interface HammingPairs extends HammingRows {
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

type RowFn = (w: number, L: number, t: number, nb: number, p: number, n: number, out: number) => void;
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
 * A kernel for the `n` points of `pk` whose bits take `bytes` bytes each (≥ 1) — with `pairs`, with
 * room for near pairs (`room` entries a side, at least n; default max(4n, 65,536)) — or undefined
 * when this runtime cannot run one or its memory would exceed 64 MiB. Internal.
 */
export function hammingKernel(
  pk: Packed,
  n: number,
  bytes: number,
  pairs: true,
  room?: number,
): HammingPairs | undefined;
export function hammingKernel(pk: Packed, n: number, bytes: number, pairs?: false): HammingRows | undefined;
export function hammingKernel(
  pk: Packed,
  n: number,
  bytes: number,
  pairs = false,
  pairRoom?: number,
): HammingPairs | undefined {
  if (!(bytes >= 1 && n >= 1)) return undefined;
  const L = Math.ceil(bytes / 8);
  const room = pairs ? Math.max(n, pairRoom ?? Math.max(4 * n, 65536)) : 0;
  const atOff = 0;
  const tOff = 16;
  const wOff = tOff + align(2048 * bytes);
  const outOff = wOff + align(8 * L * n);
  const capsOff = outOff + align(8 * n);
  const ueOff = capsOff + (pairs ? align(8 * n) : 0);
  const leOff = ueOff + (pairs ? align(4 * n) : 0);
  const udOff = leOff + (pairs ? align(4 * n) : 0);
  const ldOff = udOff + align(8 * room);
  const ubOff = ldOff + align(8 * room);
  const lbOff = ubOff + align(4 * room);
  const total = lbOff + align(4 * room);
  if (total > MAX_KERNEL_BYTES) return undefined;
  const inst = wasmInstance(HAMMING_WASM_HEX, total);
  if (inst === undefined) return undefined;
  const buf = inst.buffer;
  // tables: byte position k's 256 values (the packed tables hold 4W positions; only `bytes` are read)
  new Float64Array(buf, tOff, 256 * bytes).set(pk.tables.subarray(0, 256 * bytes));
  // words: W little-endian 32-bit words per point → L 64-bit words (the same bytes, zero-padded)
  const words32 = new Int32Array(buf, wOff, 2 * L * n);
  const W = pk.W;
  const src = pk.words;
  if (W === 2 * L) words32.set(src.subarray(0, n * W));
  else for (let p = 0; p < n; p++) for (let k = 0; k < W; k++) words32[2 * L * p + k] = src[p * W + k] as number;
  const out = new Float64Array(buf, outOff, n);
  const rowFn = inst.exports.row as RowFn;
  const rows: HammingRows = {
    bytes: buf.byteLength,
    row(p: number, into: Float64Array, sqrt: boolean): void {
      rowFn(wOff, L, tOff, bytes, p, n, outOff);
      if (sqrt) for (let b = 0; b < n; b++) into[b] = Math.sqrt(out[b] as number);
      else into.set(out);
    },
  };
  if (!pairs) return rows as HammingPairs; // (the overload types it as HammingRows)
  const capsIn = new Float64Array(buf, capsOff, n);
  const atMax = new Float64Array(buf, atOff, 1);
  const passFn = inst.exports.pairs as PassFn;
  return {
    ...rows,
    ub: new Int32Array(buf, ubOff, room),
    ud: new Float64Array(buf, udOff, room),
    lb: new Int32Array(buf, lbOff, room),
    ld: new Float64Array(buf, ldOff, room),
    ue: new Int32Array(buf, ueOff, n),
    le: new Int32Array(buf, leOff, n),
    pass(a0: number, caps: Float64Array, sqrt: boolean): { next: number; max: number } {
      capsIn.set(caps);
      const next = passFn(
        wOff,
        L,
        tOff,
        bytes,
        a0,
        n,
        capsOff,
        sqrt ? 1 : 0,
        ubOff,
        udOff,
        lbOff,
        ldOff,
        room,
        ueOff,
        leOff,
        atOff,
      );
      return { next, max: atMax[0] as number };
    },
  };
}
