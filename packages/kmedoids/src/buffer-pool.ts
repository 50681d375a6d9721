// The free typed-array buffers the swap searches reuse between runs in one thread (see the note on
// `pool`). Internal: not exported from the package.

/**
 * Free buffers kept between searches (one thread, synchronous searches): a GSM8K trial runs 75
 * of them, each with three m×K arrays (400 KB) and ten m-arrays, and fresh arrays cost page
 * faults and garbage collection (their memory lives outside the JS heap) each time.
 */
const pool: ArrayBuffer[] = [];
/** Buffers kept at most, and the largest kept (16 MiB). */
const POOL_SIZE = 16;
const POOL_MAX_BYTES = 1 << 24;

/** The smallest free buffer of at least `bytes` bytes, taken out of the pool, or undefined. */
function takeBytes(bytes: number): ArrayBuffer | undefined {
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
export function takeBuffer(len: number): Float64Array {
  const b = takeBytes(len * 8);
  return b === undefined ? new Float64Array(len) : new Float64Array(b, 0, len);
}

/** `len` 32-bit integers, as {@link takeBuffer}; contents undefined. */
export function takeInts(len: number): Int32Array {
  const b = takeBytes(len * 4);
  return b === undefined ? new Int32Array(len) : new Int32Array(b, 0, len);
}

export function giveBuffer(v: Float64Array | Int32Array): void {
  const b = v.buffer as ArrayBuffer;
  if (b.byteLength > POOL_MAX_BYTES || pool.length >= POOL_SIZE || pool.includes(b)) return;
  pool.push(b);
}
