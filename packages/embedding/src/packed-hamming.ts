// Packed 0/1 embeddings: the bit-packing of points and the weighted-Hamming kernels (one pair,
// a block among sample points, rows from a few points to all) that binary distance sources use.
import type { Embedding } from "./embedding.js";

/** Words per point and the per-byte tables of {@link binarySource}. */
export interface Packed {
  /** `n × W` little-endian 32-bit words of the packed bits, zero-padded. */
  words: Int32Array;
  W: number;
  /** `4W × 256`: table `b` maps a byte of XORed bits to the summed weights (squared for euclidean). */
  tables: Float64Array;
}

export function packWords(n: number, dim: number, bin: NonNullable<Embedding["binary"]>, squared: boolean): Packed {
  const { bytes, stride, weights } = bin;
  const W = Math.max(1, Math.ceil(stride / 4));
  const words = new Int32Array(n * W);
  for (let x = 0; x < n; x++) {
    for (let b = 0; b < stride; b++) {
      const t = x * W + (b >> 2);
      words[t] = (words[t] as number) | ((bytes[x * stride + b] as number) << ((b & 3) * 8));
    }
  }
  const tables = new Float64Array(W * 4 * 256);
  for (let b = 0; b < stride; b++) {
    for (let v = 1; v < 256; v++) {
      let s = 0;
      for (let bit = 0; bit < 8; bit++) {
        const k = b * 8 + bit;
        if (k < dim && v & (1 << bit)) {
          const w = weights[k] as number;
          s += squared ? w * w : w;
        }
      }
      tables[b * 256 + v] = s;
    }
  }
  return { words, W, tables };
}

/**
 * The weighted Hamming distance (docs/METHOD.md §2.2, binary fast path) of two points given by their
 * packed words: the per-byte table values summed byte 0 first — `((T₀ + T₁) + T₂) + …` — so the
 * value equals the byte-at-a-time sum bit for bit (padding bytes would add +0 and are skipped
 * where the word count allows). Generic form; {@link hammingBlock} and {@link hammingRows}
 * inline the common widths.
 */
export function hammingGeneric(
  T: Float64Array,
  W: number,
  A: Int32Array,
  pa: number,
  P: Int32Array,
  pb: number,
): number {
  let d = 0;
  for (let k = 0; k < W; k++) {
    const w = (A[pa + k] as number) ^ (P[pb + k] as number);
    const t = k << 10;
    d =
      d +
      (T[t | (w & 255)] as number) +
      (T[(t + 256) | ((w >>> 8) & 255)] as number) +
      (T[(t + 512) | ((w >>> 16) & 255)] as number) +
      (T[(t + 768) | (w >>> 24)] as number);
  }
  return d;
}

/**
 * The full symmetric `s × s` block of distances among the points whose words are `P` (`s × W`),
 * into `out` (upper triangle computed, mirrored); returns its largest entry. `bytes` is the
 * packed width (1–4 bytes: one word; 5, 6 or 7–8: two words; more: the generic loop).
 */
export function hammingBlock(
  T: Float64Array,
  W: number,
  bytes: number,
  P: Int32Array,
  s: number,
  out: Float64Array,
): number {
  let max = 0;
  for (let a = 0; a < s; a++) out[a * s + a] = 0;
  if (W === 1) {
    for (let a = 0; a < s; a++) {
      const a0 = P[a] as number;
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const w = a0 ^ (P[b] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  } else if (W === 2 && bytes === 5) {
    // 33–40 columns (GSM8K's ~40 native sources): bytes 5–7 are padding
    for (let a = 0; a < s; a++) {
      const a0 = P[2 * a] as number;
      const a1 = P[2 * a + 1] as number;
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const w = a0 ^ (P[2 * b] as number);
        const u = a1 ^ (P[2 * b + 1] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  } else if (W === 2 && bytes === 6) {
    for (let a = 0; a < s; a++) {
      const a0 = P[2 * a] as number;
      const a1 = P[2 * a + 1] as number;
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const w = a0 ^ (P[2 * b] as number);
        const u = a1 ^ (P[2 * b + 1] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number) +
          (T[1280 | ((u >>> 8) & 255)] as number);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  } else if (W === 2) {
    for (let a = 0; a < s; a++) {
      const a0 = P[2 * a] as number;
      const a1 = P[2 * a + 1] as number;
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const w = a0 ^ (P[2 * b] as number);
        const u = a1 ^ (P[2 * b + 1] as number);
        const d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number) +
          (T[1280 | ((u >>> 8) & 255)] as number) +
          (T[1536 | ((u >>> 16) & 255)] as number) +
          (T[1792 | (u >>> 24)] as number);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  } else {
    for (let a = 0; a < s; a++) {
      const ra = a * s;
      for (let b = a + 1; b < s; b++) {
        const d = hammingGeneric(T, W, P, a * W, P, b * W);
        out[ra + b] = d;
        out[b * s + a] = d;
        if (d > max) max = d;
      }
    }
  }
  return max;
}

/** Distances from each of the points with words `A` (`f × W`) to all `n` points (`words`), `f × n` into `out`. */
export function hammingRows(
  T: Float64Array,
  W: number,
  bytes: number,
  A: Int32Array,
  f: number,
  words: Int32Array,
  n: number,
  out: Float64Array,
): void {
  for (let a = 0; a < f; a++) {
    const o = a * n;
    if (W === 1) {
      const a0 = A[a] as number;
      for (let b = 0; b < n; b++) {
        const w = a0 ^ (words[b] as number);
        out[o + b] =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number);
      }
    } else if (W === 2 && bytes <= 6) {
      const a0 = A[2 * a] as number;
      const a1 = A[2 * a + 1] as number;
      const six = bytes === 6;
      for (let b = 0; b < n; b++) {
        const w = a0 ^ (words[2 * b] as number);
        const u = a1 ^ (words[2 * b + 1] as number);
        let d =
          (T[w & 255] as number) +
          (T[256 | ((w >>> 8) & 255)] as number) +
          (T[512 | ((w >>> 16) & 255)] as number) +
          (T[768 | (w >>> 24)] as number) +
          (T[1024 | (u & 255)] as number);
        if (six) d += T[1280 | ((u >>> 8) & 255)] as number;
        out[o + b] = d;
      }
    } else {
      for (let b = 0; b < n; b++) out[o + b] = hammingGeneric(T, W, A, a * W, words, b * W);
    }
  }
}
