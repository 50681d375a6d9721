// The free typed-array buffers the swap searches reuse between runs, owned by a workspace's
// K-Medoids slot (see scratch.ts). Internal: not exported from the package.

/** Buffers kept at most, and the largest kept (16 MiB). */
const POOL_SIZE = 16;
const POOL_MAX_BYTES = 1 << 24;

/**
 * Free buffers kept between searches (one thread, synchronous searches): a GSM8K trial runs 75
 * of them, each with three m×K arrays (400 KB) and ten m-arrays, and fresh arrays cost page
 * faults and garbage collection (their memory lives outside the JS heap) each time.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** The smallest free buffer of at least `bytes` bytes, taken out of the pool, or undefined. */
  private takeBytes(bytes: number): ArrayBuffer | undefined {
    const pool = this.free;
    let best = -1;
    for (let t = 0; t < pool.length; t++) {
      const len = (pool[t] as ArrayBuffer).byteLength;
      if (len >= bytes && (best < 0 || len < (pool[best] as ArrayBuffer).byteLength)) best = t;
    }
    if (best < 0) return undefined;
    const b = pool[best] as ArrayBuffer;
    pool[best] = pool[pool.length - 1] as ArrayBuffer;
    pool.pop();
    return b;
  }

  /** `len` doubles (a view of a pooled buffer when one is free); contents undefined. */
  takeBuffer(len: number): Float64Array {
    const b = this.takeBytes(len * 8);
    return b === undefined ? new Float64Array(len) : new Float64Array(b, 0, len);
  }

  /** `len` 32-bit integers, as {@link takeBuffer}; contents undefined. */
  takeInts(len: number): Int32Array {
    const b = this.takeBytes(len * 4);
    return b === undefined ? new Int32Array(len) : new Int32Array(b, 0, len);
  }

  /** Hands a buffer back (kept when there is room and it is not too large). */
  give(v: Float64Array | Int32Array): void {
    const b = v.buffer as ArrayBuffer;
    const pool = this.free;
    if (b.byteLength > POOL_MAX_BYTES || pool.length >= POOL_SIZE || pool.includes(b)) return;
    pool.push(b);
  }

  get size(): number {
    return this.free.length;
  }

  bytes(): number {
    let b = 0;
    for (const x of this.free) b += x.byteLength;
    return b;
  }
}

/** What a swap search takes its buffers from. */
export type Buffers = Pick<BufferPool, "takeBuffer" | "takeInts" | "give">;

/** Fresh arrays every time, nothing kept: what a swap search uses when it is given no pool. */
class FreshBuffers implements Buffers {
  takeBuffer(len: number): Float64Array {
    return new Float64Array(len);
  }
  takeInts(len: number): Int32Array {
    return new Int32Array(len);
  }
  give(_v: Float64Array | Int32Array): void {}
}
export const NO_POOL: Buffers = new FreshBuffers();
