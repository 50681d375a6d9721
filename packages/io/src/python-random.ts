/**
 * CPython's `random.Random` as far as `seed(int)` and `shuffle` go, bit for bit: the Mersenne
 * Twister MT19937, seeded from an integer the way CPython seeds it (`init_by_array` over the
 * integer's 32-bit words), `getrandbits(k)` for k ≤ 32, `_randbelow` by rejection sampling, and
 * `shuffle`'s backwards Fisher–Yates loop. Needed to undo the visit order of lm-evaluation-harness
 * v0.3, which shuffled every task's docs with `random.Random(42)` before evaluating them.
 */
import { TbError } from "@tb/core";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/** An MT19937 state; every instance is independent (no shared state between calls). */
export class PythonRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  /**
   * @param seed - A non-negative safe integer, as `random.Random(seed)` takes it.
   */
  constructor(seed: number) {
    if (!(Number.isSafeInteger(seed) && seed >= 0)) {
      throw new TbError("E_USAGE", `PythonRandom: the seed must be a non-negative safe integer, got ${seed}`);
    }
    // CPython: the absolute value, split into 32-bit words, least significant first; 0 → [0].
    const key: number[] = [];
    let rest = seed;
    do {
      key.push(rest % 0x100000000);
      rest = Math.floor(rest / 0x100000000);
    } while (rest > 0);
    this.initByArray(key);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      // 1812433253 * x + i, mod 2^32, without losing bits to float rounding
      mt[i] = (Math.imul(1812433253, x) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] as number;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      mt[i] = (((mt[i] as number) ^ Math.imul(x, 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] as number;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      mt[i] = (((mt[i] as number) ^ Math.imul(x, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** The next 32-bit output (`genrand_uint32`). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = ((mt[kk] as number) & UPPER) | ((mt[kk + 1] as number) & LOWER);
        mt[kk] = ((mt[kk + M] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
      }
      for (; kk < N - 1; kk++) {
        const y = ((mt[kk] as number) & UPPER) | ((mt[kk + 1] as number) & LOWER);
        mt[kk] = ((mt[kk + (M - N)] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
      }
      const y = ((mt[N - 1] as number) & UPPER) | ((mt[0] as number) & LOWER);
      mt[N - 1] = ((mt[M - 1] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
      this.mti = 0;
    }
    let y = mt[this.mti++] as number;
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `getrandbits(k)` for 1 ≤ k ≤ 32: the top k bits of one output. */
  getrandbits(k: number): number {
    if (!(Number.isInteger(k) && k >= 1 && k <= 32)) {
      throw new TbError("E_USAGE", `PythonRandom.getrandbits: k must be an integer in [1, 32], got ${k}`);
    }
    return this.nextUint32() >>> (32 - k);
  }

  /** `_randbelow(n)`: uniform in [0, n) by drawing `n.bit_length()` bits until below n. */
  randbelow(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= 0xffffffff)) {
      throw new TbError("E_USAGE", `PythonRandom.randbelow: n must be an integer in [1, 2^32), got ${n}`);
    }
    const k = 32 - Math.clz32(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `shuffle(x)` in place: for i from len−1 down to 1, swap x[i] with x[randbelow(i + 1)]. */
  shuffle<T>(x: T[]): T[] {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i] as T;
      x[i] = x[j] as T;
      x[j] = t;
    }
    return x;
  }
}

/**
 * How a matrix's columns relate to lm-eval doc indices (`--doc-order`): `lm-eval-v0.3`, column k
 * is doc `perm[k]` of lm-eval v0.3's visit order; `identity`, the example ids are the doc indices
 * (a declaration, for a hand-made matrix whose `meta.json` cannot say so).
 */
export type DocOrder = "lm-eval-v0.3" | "identity";

/**
 * lm-evaluation-harness v0.3's visit order of a task with `n` docs: it evaluated
 * `random.Random(42).shuffle(docs)`, so the k-th doc visited (column k of a matrix in visit
 * order, row k of an Open LLM Leaderboard v1 details file) is doc `perm[k]` with
 * `perm = list(range(n)); random.Random(42).shuffle(perm)`.
 *
 * @param n - Number of docs in the task (the whole test set: v0.3 shuffled before `--limit`).
 * @returns `perm`: visit position → doc index.
 */
export function lmEvalV03Permutation(n: number): number[] {
  if (!(Number.isSafeInteger(n) && n >= 0)) {
    throw new TbError("E_USAGE", `lmEvalV03Permutation: n must be a non-negative integer, got ${n}`);
  }
  const perm = Array.from({ length: n }, (_, i) => i);
  return new PythonRandom(42).shuffle(perm);
}

/**
 * Parse a `--doc-order` value.
 *
 * @param v - `lm-eval-v0.3`, or undefined.
 * @throws TbError `E_USAGE` for anything else.
 */
export function parseDocOrder(v: string | undefined): DocOrder | undefined {
  if (v === undefined) return undefined;
  if (v !== "lm-eval-v0.3" && v !== "identity") {
    throw new TbError(
      "E_USAGE",
      `unknown doc order ${JSON.stringify(v)}: known are lm-eval-v0.3 (lm-evaluation-harness v0.3's random.Random(42) shuffle, the Open LLM Leaderboard v1 order) and identity (the example ids are the doc indices)`,
    );
  }
  return v;
}
