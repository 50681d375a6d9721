import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CorrectnessMatrix, RandomStream, range } from "@tb/core";
import { describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs build script, no declarations
import { wasmModuleSource } from "../../../scripts/build-wasm.mjs";
import { distanceSource } from "./distance-source.js";
import { exampleEmbedding } from "./embedding.js";
import { hammingKernel } from "./hamming-kernel.js";
import { hammingNearPairs } from "./near-pairs.js";
import { hammingRows, type Packed, packWords } from "./packed-hamming.js";

/** n random points of `dim` bits with random weights (some zero, some equal): the packed form. */
function packed(n: number, dim: number, seed: number, squared = false): { pk: Packed; stride: number } {
  const rng = RandomStream.derive("hamming-kernel", seed);
  const stride = Math.ceil(dim / 8);
  const bytes = new Uint8Array(n * stride);
  for (let x = 0; x < n; x++) {
    for (let k = 0; k < dim; k++) {
      const t = x * stride + (k >> 3);
      if (rng.nextFloat() < 0.3 + 0.4 * (k / dim)) bytes[t] = (bytes[t] as number) | (1 << (k & 7));
    }
  }
  const weights = Float64Array.from({ length: dim }, (_, k) =>
    k % 7 === 3 ? 0 : k % 5 === 0 ? 0.75 : rng.nextFloat() * 3,
  );
  return { pk: packWords(n, dim, { bytes, stride, weights }, squared), stride };
}

const bits = (x: ArrayLike<number>) => Array.from(x, (v) => (Object.is(v, -0) ? "-0" : v.toString(16)));

describe("the weighted-Hamming kernel in WebAssembly", () => {
  test("src/hamming-wasm.ts is what scripts/build-wasm.mjs assembles from wasm/hamming.wat", async () => {
    const file = fileURLToPath(new URL("./hamming-wasm.ts", import.meta.url));
    const dir = fileURLToPath(new URL("..", import.meta.url));
    expect(readFileSync(file, "utf8")).toBe(await wasmModuleSource(dir, "wasm/hamming.wat"));
  });

  // every width the TypeScript kernels special-case (1–4 bytes: one word; 5, 6, 7–8: two) and the
  // generic loop beyond, with and without square roots
  for (const dim of [1, 7, 8, 9, 31, 33, 40, 41, 48, 49, 64, 65, 130]) {
    test(`rows and near pairs equal the TypeScript kernels bit for bit: ${dim} columns`, () => {
      for (const sqrt of [false, true]) {
        const n = 57;
        const { pk, stride } = packed(n, dim, dim, sqrt);
        const kern = hammingKernel(pk, n, stride, true);
        expect(kern).toBeDefined();
        if (kern === undefined) return;
        const ref = new Float64Array(n * n);
        hammingRows(pk.tables, pk.W, stride, pk.words, n, pk.words, n, ref);
        if (sqrt) for (let t = 0; t < n * n; t++) ref[t] = Math.sqrt(ref[t] as number);
        const row = new Float64Array(n);
        for (const p of [0, 1, 28, n - 1]) {
          kern.row(p, row, sqrt);
          expect(bits(row)).toEqual(bits(ref.subarray(p * n, p * n + n)));
        }
        // caps between the distances (some points with a cap of 0, one of +∞)
        const rng = RandomStream.derive("caps", dim);
        const caps = Float64Array.from(range(n), (j) =>
          j % 11 === 0
            ? 0
            : j === 5
              ? Number.POSITIVE_INFINITY
              : (ref[j * n + ((j * 7) % n)] as number) + rng.nextFloat() * 0.5,
        );
        const js = hammingNearPairs(pk.tables, pk.W, stride, pk.words, n, caps, sqrt);
        const wa = hammingNearPairs(pk.tables, pk.W, stride, pk.words, n, caps, sqrt, undefined, kern);
        expect(wa.max).toBe(js.max);
        expect(Array.from(wa.start)).toEqual(Array.from(js.start));
        expect(Array.from(wa.idx)).toEqual(Array.from(js.idx));
        expect(bits(wa.val)).toEqual(bits(js.val));
        expect(js.start[n]).toBeGreaterThan(n); // the caps do list pairs
        // output areas of n entries a side: the pass stops and resumes at many rows, same lists
        const small = hammingKernel(pk, n, stride, true, n);
        const wb = hammingNearPairs(pk.tables, pk.W, stride, pk.words, n, caps, sqrt, undefined, small);
        expect(wb.max).toBe(js.max);
        expect(Array.from(wb.start)).toEqual(Array.from(js.start));
        expect(Array.from(wb.idx)).toEqual(Array.from(js.idx));
        expect(bits(wb.val)).toEqual(bits(js.val));
      }
    });
  }

  test("a distance source gives the same rows and pairs as its TypeScript kernels (GSM8K-like 0/1 data)", () => {
    const rng = RandomStream.derive("source", 1);
    const rows = 37;
    const cols = 300;
    const data = Float64Array.from({ length: rows * cols }, (_, t) =>
      rng.nextFloat() < 0.2 + 0.6 * ((t % cols) / cols) ? 1 : 0,
    );
    const m = new CorrectnessMatrix({
      data,
      modelIds: Array.from(range(rows), (r) => `m${r}`),
      exampleIds: Array.from(range(cols), (c) => `e${c}`),
    });
    const emb = exampleEmbedding(m, range(rows));
    const src = distanceSource(emb, "manhattan");
    // the same source's rows and pairs through the TypeScript kernels
    const bin = emb.binary;
    if (bin === undefined) throw new Error("not binary");
    const pk = packWords(cols, rows, bin, false);
    const ref = new Float64Array(3 * cols);
    hammingRows(
      pk.tables,
      pk.W,
      bin.stride,
      Int32Array.from([
        ...pk.words.subarray(0, pk.W),
        ...pk.words.subarray(10 * pk.W, 11 * pk.W),
        ...pk.words.subarray(299 * pk.W, 300 * pk.W),
      ]),
      3,
      pk.words,
      cols,
      ref,
    );
    expect(bits(src.rowsTo(Int32Array.from([0, 10, 299])))).toEqual(bits(ref));
    const caps = Float64Array.from(range(cols), (j) => (ref[(j % 3) * cols + ((j * 13) % cols)] as number) * 0.9);
    const pairs = src.nearPairs?.(caps);
    const js = hammingNearPairs(pk.tables, pk.W, bin.stride, pk.words, cols, caps, false);
    expect(pairs?.max).toBe(js.max);
    expect(Array.from(pairs?.idx ?? [])).toEqual(Array.from(js.idx));
    expect(bits(pairs?.val ?? [])).toEqual(bits(js.val));
  });
});
