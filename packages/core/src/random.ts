import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { TbError } from "./errors.js";

/** A key component of a random-stream path (docs/METHOD.md §10). */
export type StreamKey = string | number;

/**
 * What public functions accept where they draw random numbers: an integer seed (the stream
 * `RandomStream.derive(seed)`) or a {@link RandomStream} (e.g. a child stream of a protocol).
 */
export type Seed = number | RandomStream;

/**
 * 128-bit hash of a key path (cyrb128 mixing over a canonical string). Used only to derive
 * generator states, so that `(seed, method, budget, trial, purpose, target)` → one stream,
 * independent of execution order or worker count.
 */
function hashKeys(keys: readonly StreamKey[]): [number, number, number, number] {
  const text = keys
    .map((k) => {
      // the separator and a number that is not one would let two key paths share a stream
      if (typeof k === "number" ? !Number.isFinite(k) : typeof k !== "string" || k.includes("\u0000")) {
        throw new TbError(
          "E_USAGE",
          `stream key ${JSON.stringify(k) ?? String(k)} must be a finite number or a string without NUL`,
        );
      }
      return typeof k === "number" ? `n${k}` : `s${k}`;
    })
    .join("\u0000");
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  // xoroshiro128+ must not start from the all-zero state.
  if ((h1 | h2 | h3 | h4) === 0) h1 = 1;
  return [h1 | 0, h2 | 0, h3 | 0, h4 | 0];
}

/**
 * A seeded stream of random numbers (xoroshiro128+ from `pure-rand`). Every random choice in
 * tailoredbench comes from one of these, derived from an explicit key path (docs/METHOD.md §10).
 */
export class RandomStream {
  private readonly gen: RandomGenerator;
  /** The key path this stream was derived from (for diagnostics and JSON records). */
  readonly keys: readonly StreamKey[];

  private constructor(gen: RandomGenerator, keys: readonly StreamKey[]) {
    this.gen = gen;
    this.keys = keys;
  }

  /** The stream for a key path, e.g. `RandomStream.derive(0, "tailored", 20, 3, "gset")`. */
  static derive(...keys: StreamKey[]): RandomStream {
    return new RandomStream(xoroshiro128plusFromState(hashKeys(keys)), keys);
  }

  /**
   * The stream a public function draws from when given `seed`: a number `s` is
   * `RandomStream.derive(s)` (so `{ seed: 5 }` and `RandomStream.derive(5)` give the same
   * numbers); a stream is used as it is. `what` names the option in the error.
   *
   * @throws TbError `E_USAGE` unless `seed` is a safe integer or a `RandomStream`.
   */
  static from(seed: Seed, what = "seed"): RandomStream {
    if (typeof seed === "number") {
      if (!Number.isSafeInteger(seed)) {
        throw new TbError("E_USAGE", `${what} must be an integer or a RandomStream, got ${String(seed)}`);
      }
      return RandomStream.derive(seed);
    }
    if (seed instanceof RandomStream) return seed;
    // a stream from another copy of @tb/core: rebuild it from its key path (same numbers)
    const keys = (seed as { keys?: unknown } | null)?.keys;
    if (typeof (seed as { child?: unknown } | null)?.child === "function" && Array.isArray(keys)) {
      return RandomStream.derive(...(keys as StreamKey[]));
    }
    throw new TbError("E_USAGE", `${what} must be an integer or a RandomStream, got ${String(seed)}`);
  }

  /** A child stream: this stream's key path extended by `keys`. Does not advance this stream. */
  child(...keys: StreamKey[]): RandomStream {
    return RandomStream.derive(...this.keys, ...keys);
  }

  /** Next raw unsigned 32-bit value. */
  nextUint32(): number {
    return this.gen.next() >>> 0;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  nextInt(n: number): number {
    if (!(Number.isInteger(n) && n > 0 && n <= 0x1_0000_0000)) {
      throw new TbError("E_USAGE", `nextInt: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal draw (Box–Muller, one value per call). */
  nextNormal(): number {
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * The first `k` items of a partial Fisher–Yates shuffle of `pool` (docs/METHOD.md §10): a uniform
   * sample without replacement, in draw order. `pool` is not modified.
   */
  sample(pool: ArrayLike<number>, k: number): Int32Array {
    const n = pool.length;
    if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
      throw new TbError("E_USAGE", `sample: cannot draw ${k} items from a pool of ${n}`);
    }
    if (!(pool instanceof Int32Array)) {
      // the draw is of indices, kept as 32-bit integers: another value would come back changed
      for (let i = 0; i < n; i++) {
        const v = pool[i];
        if (!(typeof v === "number" && (v | 0) === v)) {
          throw new TbError("E_USAGE", `sample: pool[${i}] is ${String(v)}, not an index (a 32-bit integer)`);
        }
      }
    }
    const a = Int32Array.from(pool);
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const t = a[i] as number;
      a[i] = a[j] as number;
      a[j] = t;
    }
    return a.slice(0, k);
  }

  /** A uniformly random permutation of `pool` (full Fisher–Yates). */
  shuffle(pool: ArrayLike<number>): Int32Array {
    return this.sample(pool, pool.length);
  }
}

/** `[0, 1, …, n−1]` as an Int32Array. */
export function range(n: number): Int32Array {
  if (!(Number.isInteger(n) && n >= 0)) throw new TbError("E_USAGE", `range: n must be an integer ≥ 0, got ${n}`);
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
