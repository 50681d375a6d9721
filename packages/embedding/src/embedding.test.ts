import { CorrectnessMatrix, RandomStream, range, TbError } from "@tb/core";
import { describe, expect, test, vi } from "vitest";
import { distanceSource, pairwiseDistances } from "./distance-source.js";
import { exampleEmbedding, modelEmbedding } from "./embedding.js";
import { standardizeColumns } from "./standardize.js";

/** A seeded 0/1 matrix (models × examples) with an all-zero and an all-one model. */
function binaryMatrix(models: number, examples: number, seed: number): CorrectnessMatrix {
  const rng = RandomStream.derive("embedding-test", seed);
  const rows: number[][] = [];
  for (let m = 0; m < models; m++) {
    const p = (m + 1) / (models + 1);
    rows.push(Array.from({ length: examples }, () => (m === 1 ? 0 : m === 2 ? 1 : rng.nextFloat() < p ? 1 : 0)));
  }
  return CorrectnessMatrix.from(rows, { kind: "binary" });
}

/** The dense construction, written out: raw columns, then standardizeColumns (docs/METHOD.md §2.1). */
function denseReference(m: CorrectnessMatrix, rows: number[], standardize: boolean): Float64Array {
  const n = m.cols;
  const q = rows.length;
  const raw = new Float64Array(n * q);
  rows.forEach((r, k) => {
    for (let x = 0; x < n; x++) raw[x * q + k] = m.data[r * n + x] as number;
  });
  return standardize ? standardizeColumns(raw, n, q) : raw;
}

/** The previous byte-at-a-time weighted Hamming distance (the bit-for-bit reference). */
function byteHamming(emb: ReturnType<typeof exampleEmbedding>, i: number, j: number, squared: boolean): number {
  const { bytes, stride, weights } = emb.binary as NonNullable<typeof emb.binary>;
  if (i === j) return 0;
  let s = 0;
  for (let b = 0; b < stride; b++) {
    const v = (bytes[i * stride + b] as number) ^ (bytes[j * stride + b] as number);
    let t = 0;
    for (let bit = 0; bit < 8; bit++) {
      const k = b * 8 + bit;
      if (k < emb.dim && v & (1 << bit)) {
        const w = weights[k] as number;
        t += squared ? w * w : w;
      }
    }
    s += t;
  }
  return squared ? Math.sqrt(s) : s;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe("lazy packed example embedding of 0/1 data (docs/METHOD.md §2.1–2.2)", () => {
  const m = binaryMatrix(70, 53, 1);
  for (const q of [1, 3, 8, 9, 31, 33, 64, 65, 70]) {
    for (const standardize of [true, false]) {
      test(`q = ${q}, standardize ${standardize}: data equals the dense construction bit for bit`, () => {
        const rows = Array.from({ length: q }, (_, k) => (k * 7 + 3) % 70);
        const emb = exampleEmbedding(m, rows, { standardize });
        expect(same(emb.data, denseReference(m, rows, standardize))).toBe(true);
      });
      test(`q = ${q}, standardize ${standardize}: bits and weights are those of the dense z-scores`, () => {
        const rows = Array.from({ length: q }, (_, k) => (k * 11 + 1) % 70);
        const emb = exampleEmbedding(m, rows, { standardize });
        const z = denseReference(m, rows, standardize);
        const bin = emb.binary as NonNullable<typeof emb.binary>;
        expect(bin.stride).toBe(Math.ceil(q / 8));
        const z0 = new Float64Array(q).fill(Number.NaN);
        const z1 = new Float64Array(q).fill(Number.NaN);
        for (let x = 0; x < m.cols; x++) {
          for (let k = 0; k < q; k++) {
            const one = m.data[(rows[k] as number) * m.cols + x] === 1;
            expect(((bin.bytes[x * bin.stride + (k >> 3)] as number) >> (k & 7)) & 1).toBe(one ? 1 : 0);
            if (one) z1[k] = z[x * q + k] as number;
            else z0[k] = z[x * q + k] as number;
          }
        }
        for (let k = 0; k < q; k++) {
          const a = z0[k] as number;
          const b = z1[k] as number;
          expect(bin.weights[k]).toBe(Number.isNaN(a) || Number.isNaN(b) ? 0 : Math.abs(b - a));
        }
      });
    }
  }

  test("distances never read the dense data", () => {
    const emb = exampleEmbedding(m, range(40));
    const spy = vi.spyOn(emb, "data", "get");
    const src = distanceSource(emb);
    src.submatrix(Int32Array.from([4, 0, 9]));
    src.rowsTo(Int32Array.from([2, 5]));
    src.submatrixInto(range(m.cols), new Float64Array(m.cols * m.cols));
    expect(spy).not.toHaveBeenCalled();
    expect(emb.data.length).toBe(m.cols * 40);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  test("a probability matrix gets the dense embedding and no packed form", () => {
    const p = CorrectnessMatrix.from([
      [0.2, 0.9, 0.5],
      [0.1, 0.3, 0.8],
    ]);
    const emb = exampleEmbedding(p, [0, 1]);
    expect(emb.binary).toBeUndefined();
    expect(same(emb.data, standardizeColumns(Float64Array.from([0.2, 0.1, 0.9, 0.3, 0.5, 0.8]), 3, 2))).toBe(true);
  });
});

describe("word-wise weighted Hamming = the byte-at-a-time sum, bit for bit", () => {
  // q = 5 → 1 word; 40, 44 → 2 words of which 5, 6 bytes are used; 60 → 2 full words;
  // 75 → 3 words (the G-set of GSM8K); 130 → 5 words
  for (const q of [5, 40, 44, 60, 75, 130]) {
    const m = binaryMatrix(q, 61, q);
    const emb = exampleEmbedding(m, range(q));
    for (const metric of ["manhattan", "euclidean"] as const) {
      const squared = metric === "euclidean";
      test(`q = ${q}, ${metric}: submatrix (any order, repeats), rowsTo, submatrixInto`, () => {
        const src = distanceSource(emb, metric);
        const pts = Int32Array.from([60, 3, 3, 0, 17, 42, 5]);
        const sub = src.submatrix(pts);
        for (let a = 0; a < pts.length; a++) {
          for (let b = 0; b < pts.length; b++) {
            expect(sub[a * pts.length + b]).toBe(byteHamming(emb, pts[a] as number, pts[b] as number, squared));
          }
        }
        const rows = src.rowsTo(Int32Array.from([7, 0]));
        for (let j = 0; j < 61; j++) {
          expect(rows[j]).toBe(byteHamming(emb, 7, j, squared));
          expect(rows[61 + j]).toBe(byteHamming(emb, 0, j, squared));
        }
        const all = range(61);
        const out = new Float64Array(61 * 61 + 3).fill(-1);
        const max = src.submatrixInto(all, out);
        const full = src.submatrix(all);
        expect(same(out.subarray(0, 61 * 61), full)).toBe(true);
        expect(out[61 * 61]).toBe(-1); // nothing written past s²
        expect(max).toBe(Math.max(...full));
        // and the dense path (no packed form) agrees to rounding
        const slow = pairwiseDistances(emb, metric, { binaryFastPath: false });
        for (let t = 0; t < full.length; t++) expect(full[t]).toBeCloseTo(slow[t] as number, 12);
      });
    }
  }

  test("nearPairs: each row's points below its cap, ascending, with the byte-at-a-time values", () => {
    for (const q of [5, 40, 44, 60, 75]) {
      const n = 61;
      const emb = exampleEmbedding(binaryMatrix(q, n, q + 1), range(q));
      for (const metric of ["manhattan", "euclidean"] as const) {
        const squared = metric === "euclidean";
        const src = distanceSource(emb, metric);
        // caps: the row's 9th smallest distance, 0 for a few rows (then the row is empty, not
        // even the point itself), +∞ for one row (everything)
        const caps = new Float64Array(n);
        for (let a = 0; a < n; a++) {
          const row = Array.from(range(n), (b) => byteHamming(emb, a, b, squared)).sort((x, y) => x - y);
          caps[a] = a % 13 === 0 ? 0 : a === 7 ? Number.POSITIVE_INFINITY : (row[8] as number);
        }
        const got = src.nearPairs?.(caps);
        expect(got).toBeDefined();
        if (got === undefined) return;
        let max = 0;
        for (let a = 0; a < n; a++) {
          const want: number[] = [];
          for (let b = 0; b < n; b++) {
            const d = byteHamming(emb, a, b, squared);
            if (d > max) max = d;
            if (d < (caps[a] as number)) want.push(b);
          }
          const from = got.start[a] as number;
          const to = got.start[a + 1] as number;
          expect(Array.from(got.idx.subarray(from, to))).toEqual(want);
          for (let t = from; t < to; t++) {
            expect(got.val[t]).toBe(byteHamming(emb, a, got.idx[t] as number, squared));
          }
        }
        expect(got.max).toBe(max);
      }
    }
    const src = distanceSource(exampleEmbedding(binaryMatrix(9, 12, 3), range(9)));
    expect(() => src.nearPairs?.(new Float64Array(11))).toThrow(TbError);
  });

  test("rowsTo keeps the rows it handed out: mixed cached/new requests give the same values, and callers may overwrite what they get", () => {
    const n = 61;
    const emb = exampleEmbedding(binaryMatrix(40, n, 9), range(40));
    const src = distanceSource(emb);
    const first = src.rowsTo(Int32Array.from([3, 7]));
    first.fill(-1); // the caller owns it: the kept copies must not change
    const mixed = src.rowsTo(Int32Array.from([7, 5, 3, 5]));
    for (const [t, p] of [7, 5, 3, 5].entries()) {
      for (let j = 0; j < n; j++) expect(mixed[t * n + j]).toBe(byteHamming(emb, p, j, false));
    }
  });

  test("rowsInto writes what rowsTo returns, from kept and new rows alike; bad input is refused", () => {
    const n = 53;
    const emb = exampleEmbedding(binaryMatrix(30, n, 10), range(30));
    for (const metric of ["manhattan", "euclidean"] as const) {
      const src = distanceSource(emb, metric);
      const into = src.rowsInto as NonNullable<typeof src.rowsInto>;
      expect(into).toBeTypeOf("function");
      const out = new Float64Array(4 * n + 3).fill(-7);
      into(Int32Array.from([4, 9, 4, 0]), out); // nothing kept yet; 4 twice
      into(Int32Array.from([9]), out.subarray(n)); // kept
      for (const [t, p] of [4, 9, 4, 0].entries()) {
        for (let j = 0; j < n; j++) {
          const want = byteHamming(emb, p, j, metric === "euclidean");
          expect(out[t * n + j]).toBe(want);
        }
      }
      expect(Array.from(out.subarray(4 * n))).toEqual([-7, -7, -7]); // nothing past |from| × n
      expect(() => into(Int32Array.from([1, 2]), new Float64Array(2 * n - 1))).toThrow(TbError);
      expect(() => into(Int32Array.from([n]), new Float64Array(n))).toThrow(TbError);
    }
  });

  test("kept rows stay within 4 MiB, emptied when full, and the rows stay right", () => {
    const n = 70_000; // 4 MiB holds 7 rows of 70 000 distances
    const emb = exampleEmbedding(binaryMatrix(5, n, 11), range(5));
    const src = distanceSource(emb);
    src.submatrix(Int32Array.from([0])); // packs the bits: the data part of retainedBytes
    const base = src.retainedBytes();
    const out = new Float64Array(n);
    const asked = [3, 17, 60_000, 5, 9, 11, 12, 13, 14, 15, 3, 16, 17, 69_999];
    for (const p of asked) {
      (src.rowsInto as NonNullable<typeof src.rowsInto>)(Int32Array.from([p]), out);
      for (let j = 0; j < n; j += 997) expect(out[j]).toBe(byteHamming(emb, p, j, false));
      expect(src.retainedBytes() - base).toBeLessThanOrEqual(4 * 1024 * 1024);
    }
    expect(src.retainedBytes()).toBeGreaterThan(base);
    // shedRows drops the kept rows (back to the data alone); rows asked again are the same values
    src.shedRows();
    expect(src.retainedBytes()).toBe(base);
    (src.rowsInto as NonNullable<typeof src.rowsInto>)(Int32Array.from([60_000]), out);
    for (let j = 0; j < n; j += 997) expect(out[j]).toBe(byteHamming(emb, 60_000, j, false));
  });

  test("sources are marked immutable and reject out-of-range points", () => {
    const emb = exampleEmbedding(binaryMatrix(9, 12, 3), range(9));
    for (const src of [distanceSource(emb), distanceSource(emb, "correlation")]) {
      expect(src.immutable).toBe(true);
      expect(() => src.submatrix(Int32Array.from([0, 12]))).toThrow(TbError);
      expect(() => src.rowsTo(Int32Array.from([-1]))).toThrow(TbError);
    }
  });

  test("dense path: submatrixInto writes the submatrix and returns its largest entry", () => {
    const emb = exampleEmbedding(binaryMatrix(9, 12, 4), range(9));
    const src = distanceSource(emb, "cosine");
    const pts = Int32Array.from([3, 1, 7, 1]);
    const out = new Float64Array(16);
    const max = src.submatrixInto(pts, out);
    expect(same(out, src.submatrix(pts))).toBe(true);
    expect(max).toBe(Math.max(...out));
  });
});

describe("options and shapes are checked", () => {
  test("an unknown option name (standardise) is refused, not ignored; modelEmbedding checks its shape without standardizing too", () => {
    const m = CorrectnessMatrix.from([
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 0],
    ]);
    expect(() => exampleEmbedding(m, [0, 1, 2], { standardise: false } as never)).toThrow(
      /^exampleEmbedding: unknown option "standardise" \(known: standardize\)/,
    );
    expect(() => modelEmbedding(Float64Array.from([1, 0, 1, 0, 1]), 2, 2, { standardize: false })).toThrow(
      /^modelEmbedding: 5 values for 2 models × 2 examples/,
    );
    expect(() => modelEmbedding(Float64Array.from([1, 0, 1, 0]), 2.5, 2)).toThrow(/integers ≥ 1/);
    expect(modelEmbedding(Float64Array.from([1, 0, 1, 0]), 2, 2, { standardize: false }).data).toEqual(
      Float64Array.from([1, 0, 1, 0]),
    );
  });
});
