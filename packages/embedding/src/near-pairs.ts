// Near pairs of a packed 0/1 embedding: for every point, the points closer than a cap, found with
// the weighted-Hamming kernel (what PAM with fixed medoids reads instead of an n × n matrix).
import { type Workspace, workspaceKey } from "@tb/core";
import type { NearPairs } from "./distance-source.js";
import { type HammingPairs, hammingKernel } from "./hamming-kernel.js";
import { hammingGeneric } from "./packed-hamming.js";

/** The pair buffers of {@link hammingNearPairs}, reused between calls when a workspace owns them. */
class PairScratch {
  ub = new Int32Array(0);
  ud = new Float64Array(0);
  lb = new Int32Array(0);
  ld = new Float64Array(0);
  /** The WebAssembly pass, kept for every source of the workspace (null: this runtime has none). */
  kernel: HammingPairs | null | undefined;
  entries(): number {
    return (this.ub.length > 0 ? 1 : 0) + (this.kernel ? 1 : 0);
  }
  bytes(): number {
    return (
      this.ub.byteLength + this.ud.byteLength + this.lb.byteLength + this.ld.byteLength + (this.kernel?.bytes ?? 0)
    );
  }
}

/**
 * A WebAssembly pass for n points of `bytes` bytes: the workspace's (made larger when these do not
 * fit), or without a workspace one for this call; undefined when this runtime has none or it would
 * be too large.
 */
function kernelFor(scratch: PairScratch | undefined, n: number, bytes: number): HammingPairs | undefined {
  if (scratch === undefined) return hammingKernel(n, bytes);
  const k = scratch.kernel;
  if (k === null) return undefined;
  if (k !== undefined && k.capN >= n && k.capBytes >= bytes) return k;
  const made = hammingKernel(Math.max(n, k?.capN ?? 0), Math.max(bytes, k?.capBytes ?? 0));
  // no kernel where none can run at all (a small one fails too); else just not this size
  if (made === undefined && hammingKernel(1, 1) === undefined) scratch.kernel = null;
  else if (made !== undefined) scratch.kernel = made;
  return made;
}
const PAIRS = workspaceKey<PairScratch>("@tb/embedding near pairs");
/** Largest pair buffers a workspace keeps between calls: 2^22 entries each (96 MiB in all). */
const MAX_PAIR_SCRATCH = 1 << 22;

/** Buffers of at least `need` entries, grown by doubling (kept in `pairScratch` up to the limit). */
function growPairs<T extends Int32Array | Float64Array>(buf: T, len: number, need: number, make: (k: number) => T): T {
  if (need <= buf.length) return buf;
  const out = make(Math.max(need, 2 * buf.length, 4096));
  out.set(buf.subarray(0, len));
  return out;
}

/**
 * The near pairs of all `n` points (see {@link DistanceSource.nearPairs}): every pair a < b once,
 * with the same per-pair sums as {@link hammingBlock}, in WebAssembly where it runs (the workspace
 * keeps the kernel; `wasm`: false for the TypeScript pass, or a kernel to use). Row a's own entries (b > a, below
 * `caps[a]`) come out in order and are kept as they come; the entries of the later rows b (a < b,
 * below `caps[b]`) are kept per a and bucketed by row at the end. Each row is then its columns
 * a < r (ascending a), r itself (when `0 < caps[r]`), then b > r: ascending.
 */
export function hammingNearPairs(
  T: Float64Array,
  W: number,
  bytes: number,
  P: Int32Array,
  n: number,
  caps: Float64Array,
  sqrt: boolean,
  workspace?: Workspace,
  wasm?: HammingPairs | false,
): NearPairs {
  // pair kernel: 1 = one word, 5/6/8 = two words of which 5, 6 or 7–8 bytes are used, 0 = generic
  const kind = W === 1 ? 1 : W === 2 ? (bytes === 5 ? 5 : bytes === 6 ? 6 : 8) : 0;
  const pairScratch = workspace === undefined ? new PairScratch() : workspace.slot(PAIRS, () => new PairScratch());
  const kernel =
    wasm === false ? undefined : (wasm ?? kernelFor(workspace === undefined ? undefined : pairScratch, n, bytes));
  kernel?.load(T, P, W, n, bytes);
  let { ub, ud, lb, ld } = pairScratch;
  let nu = 0;
  let nl = 0;
  const uStart = new Int32Array(n + 1);
  const lStart = new Int32Array(n + 1);
  const lCount = new Int32Array(n);
  let max = 0;
  // the same pass in WebAssembly (the same distances and comparisons), as many rows a call as its
  // output areas hold; their lists are copied here
  for (let a = 0; kernel !== undefined && a < n; ) {
    const { next, max: m } = kernel.pass(a, caps, sqrt);
    if (m > max) max = m;
    const done = next - a;
    const tu = kernel.ue[done - 1] as number;
    const tl = kernel.le[done - 1] as number;
    ub = growPairs(ub, nu, nu + tu, (k) => new Int32Array(k));
    ud = growPairs(ud, nu, nu + tu, (k) => new Float64Array(k));
    lb = growPairs(lb, nl, nl + tl, (k) => new Int32Array(k));
    ld = growPairs(ld, nl, nl + tl, (k) => new Float64Array(k));
    ub.set(kernel.ub.subarray(0, tu), nu);
    ud.set(kernel.ud.subarray(0, tu), nu);
    lb.set(kernel.lb.subarray(0, tl), nl);
    ld.set(kernel.ld.subarray(0, tl), nl);
    for (let r = 0; r < done; r++) {
      uStart[a + r + 1] = nu + (kernel.ue[r] as number);
      lStart[a + r + 1] = nl + (kernel.le[r] as number);
    }
    for (let t = nl; t < nl + tl; t++) {
      const r = lb[t] as number;
      lCount[r] = (lCount[r] as number) + 1;
    }
    nu += tu;
    nl += tl;
    a = next;
  }
  for (let a = kernel === undefined ? 0 : n; a < n; a++) {
    const ca = caps[a] as number;
    // room for all of this row's pairs on both sides
    const room = n - a;
    if (nu + room > ub.length) {
      ub = growPairs(ub, nu, nu + room, (k) => new Int32Array(k));
      ud = growPairs(ud, nu, nu + room, (k) => new Float64Array(k));
    }
    if (nl + room > lb.length) {
      lb = growPairs(lb, nl, nl + room, (k) => new Int32Array(k));
      ld = growPairs(ld, nl, nl + room, (k) => new Float64Array(k));
    }
    const a0 = P[a * W] as number;
    const a1 = W > 1 ? (P[a * W + 1] as number) : 0;
    const l0 = nl;
    if (kind === 5 && !sqrt) {
      // GSM8K's ~40 native sources: 33–40 columns, bytes 5–7 of the second word are padding.
      // Four pairs per step (independent sums, more work in flight), the same sums and order.
      let b = a + 1;
      for (; b + 3 < n; b += 4) {
        const w0 = a0 ^ (P[2 * b + 0] as number);
        const u0 = a1 ^ (P[2 * b + 1] as number);
        const d0 =
          (T[w0 & 255] as number) +
          (T[256 | ((w0 >>> 8) & 255)] as number) +
          (T[512 | ((w0 >>> 16) & 255)] as number) +
          (T[768 | (w0 >>> 24)] as number) +
          (T[1024 | (u0 & 255)] as number);
        const w1 = a0 ^ (P[2 * b + 2] as number);
        const u1 = a1 ^ (P[2 * b + 3] as number);
        const d1 =
          (T[w1 & 255] as number) +
          (T[256 | ((w1 >>> 8) & 255)] as number) +
          (T[512 | ((w1 >>> 16) & 255)] as number) +
          (T[768 | (w1 >>> 24)] as number) +
          (T[1024 | (u1 & 255)] as number);
        const w2 = a0 ^ (P[2 * b + 4] as number);
        const u2 = a1 ^ (P[2 * b + 5] as number);
        const d2 =
          (T[w2 & 255] as number) +
          (T[256 | ((w2 >>> 8) & 255)] as number) +
          (T[512 | ((w2 >>> 16) & 255)] as number) +
          (T[768 | (w2 >>> 24)] as number) +
          (T[1024 | (u2 & 255)] as number);
        const w3 = a0 ^ (P[2 * b + 6] as number);
        const u3 = a1 ^ (P[2 * b + 7] as number);
        const d3 =
          (T[w3 & 255] as number) +
          (T[256 | ((w3 >>> 8) & 255)] as number) +
          (T[512 | ((w3 >>> 16) & 255)] as number) +
          (T[768 | (w3 >>> 24)] as number) +
          (T[1024 | (u3 & 255)] as number);
        if (d0 > max) max = d0;
        if (d0 < ca) {
          ub[nu] = b;
          ud[nu] = d0;
          nu++;
        }
        if (d0 < (caps[b] as number)) {
          lb[nl] = b;
          ld[nl] = d0;
          nl++;
        }
        if (d1 > max) max = d1;
        if (d1 < ca) {
          ub[nu] = b + 1;
          ud[nu] = d1;
          nu++;
        }
        if (d1 < (caps[b + 1] as number)) {
          lb[nl] = b + 1;
          ld[nl] = d1;
          nl++;
        }
        if (d2 > max) max = d2;
        if (d2 < ca) {
          ub[nu] = b + 2;
          ud[nu] = d2;
          nu++;
        }
        if (d2 < (caps[b + 2] as number)) {
          lb[nl] = b + 2;
          ld[nl] = d2;
          nl++;
        }
        if (d3 > max) max = d3;
        if (d3 < ca) {
          ub[nu] = b + 3;
          ud[nu] = d3;
          nu++;
        }
        if (d3 < (caps[b + 3] as number)) {
          lb[nl] = b + 3;
          ld[nl] = d3;
          nl++;
        }
      }
      for (; b < n; b++) {
        const w = a0 ^ (P[2 * b] as number);
        const u = a1 ^ (P[2 * b + 1] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number);
        if (d > max) max = d;
        if (d < ca) {
          ub[nu] = b;
          ud[nu] = d;
          nu++;
        }
        if (d < (caps[b] as number)) {
          lb[nl] = b;
          ld[nl] = d;
          nl++;
        }
      }
    } else {
      for (let b = a + 1; b < n; b++) {
        let d: number;
        if (kind === 1) {
          const w = a0 ^ (P[b] as number);
          d =
            (T[w & 255] as number) +
            (T[256 | ((w >>> 8) & 255)] as number) +
            (T[512 | ((w >>> 16) & 255)] as number) +
            (T[768 | (w >>> 24)] as number);
        } else if (kind !== 0) {
          // two words, 5, 6 or 7–8 bytes used: the same left-to-right sum as hammingBlock
          const w = a0 ^ (P[2 * b] as number);
          const u = a1 ^ (P[2 * b + 1] as number);
          d =
            (T[w & 255] as number) +
            (T[256 | ((w >>> 8) & 255)] as number) +
            (T[512 | ((w >>> 16) & 255)] as number) +
            (T[768 | (w >>> 24)] as number) +
            (T[1024 | (u & 255)] as number);
          if (kind !== 5) d += T[1280 | ((u >>> 8) & 255)] as number;
          if (kind === 8) {
            d += T[1536 | ((u >>> 16) & 255)] as number;
            d += T[1792 | (u >>> 24)] as number;
          }
        } else {
          d = hammingGeneric(T, W, P, a * W, P, b * W);
        }
        if (sqrt) d = Math.sqrt(d);
        if (d > max) max = d;
        if (d < ca) {
          ub[nu] = b;
          ud[nu] = d;
          nu++;
        }
        if (d < (caps[b] as number)) {
          lb[nl] = b;
          ld[nl] = d;
          nl++;
        }
      }
    }
    uStart[a + 1] = nu;
    lStart[a + 1] = nl;
    for (let t = l0; t < nl; t++) {
      const r = lb[t] as number;
      lCount[r] = (lCount[r] as number) + 1;
    }
  }
  if (workspace !== undefined && ub.length <= MAX_PAIR_SCRATCH && lb.length <= MAX_PAIR_SCRATCH) {
    pairScratch.ub = ub;
    pairScratch.ud = ud;
    pairScratch.lb = lb;
    pairScratch.ld = ld;
  }
  // rows: [lower entries (a < r), r itself, upper entries (b > r)]
  const start = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) {
    const diag = 0 < (caps[r] as number) ? 1 : 0;
    start[r + 1] =
      (start[r] as number) + (lCount[r] as number) + diag + ((uStart[r + 1] as number) - (uStart[r] as number));
  }
  const total = start[n] as number;
  const idx = new Int32Array(total);
  const val = new Float64Array(total);
  const next = start.slice(0, n);
  for (let a = 0; a < n; a++) {
    const end = lStart[a + 1] as number;
    for (let t = lStart[a] as number; t < end; t++) {
      const r = lb[t] as number;
      const p = next[r] as number;
      next[r] = p + 1;
      idx[p] = a;
      val[p] = ld[t] as number;
    }
  }
  for (let r = 0; r < n; r++) {
    let p = next[r] as number;
    if (0 < (caps[r] as number)) {
      idx[p] = r;
      val[p] = 0;
      p++;
    }
    const u0 = uStart[r] as number;
    const u1 = uStart[r + 1] as number;
    idx.set(ub.subarray(u0, u1), p);
    val.set(ud.subarray(u0, u1), p);
  }
  return { max, start, idx, val };
}
