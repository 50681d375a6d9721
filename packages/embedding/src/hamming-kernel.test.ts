import { CorrectnessMatrix, RandomStream, range, Workspace } from "@tb/core";
import { describe, expect, test } from "vitest";
import { committedAndAssembled } from "../../../scripts/kernel-tests.mjs";
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

describe("the near-pairs pass in WebAssembly", () => {
  test("src/hamming-wasm.ts is what scripts/build-wasm.mjs assembles from wasm/hamming.wat", async () => {
    const { committed, assembled } = await committedAndAssembled(import.meta.url, "hamming");
    expect(committed).toBe(assembled);
  });

  // every width the TypeScript loop special-cases (1–4 bytes: one word; 5, 6, 7–8: two) and the
  // generic loop beyond, with and without square roots
  for (const dim of [1, 7, 8, 9, 31, 33, 40, 41, 48, 49, 64, 65, 130]) {
    test(`near pairs equal the TypeScript pass bit for bit: ${dim} columns`, () => {
      for (const sqrt of [false, true]) {
        const n = 57;
        const { pk, stride } = packed(n, dim, dim, sqrt);
        const ref = new Float64Array(n * n);
        hammingRows(pk.tables, pk.W, stride, pk.words, n, pk.words, n, ref);
        if (sqrt) for (let t = 0; t < n * n; t++) ref[t] = Math.sqrt(ref[t] as number);
        // caps between the distances (some points with a cap of 0, one of +∞)
        const rng = RandomStream.derive("caps", dim);
        const caps = Float64Array.from(range(n), (j) =>
          j % 11 === 0
            ? 0
            : j === 5
              ? Number.POSITIVE_INFINITY
              : (ref[j * n + ((j * 7) % n)] as number) + rng.nextFloat() * 0.5,
        );
        const js = hammingNearPairs(pk.tables, pk.W, stride, pk.words, n, caps, sqrt, undefined, false);
        expect(js.start[n]).toBeGreaterThan(n); // the caps do list pairs
        // a kernel for this call; one with output areas of n entries a side (the pass stops and
        // resumes at many rows); one made for more and longer points
        for (const kern of [undefined, hammingKernel(n, stride, n), hammingKernel(2 * n, stride + 9)]) {
          const wa = hammingNearPairs(pk.tables, pk.W, stride, pk.words, n, caps, sqrt, undefined, kern);
          expect(wa.max).toBe(js.max);
          expect(Array.from(wa.start)).toEqual(Array.from(js.start));
          expect(Array.from(wa.idx)).toEqual(Array.from(js.idx));
          expect(bits(wa.val)).toEqual(bits(js.val));
        }
      }
    });
  }

  test("a workspace keeps one kernel for its sources, made larger when a source does not fit", () => {
    const ws = new Workspace();
    const run = (n: number, dim: number, seed: number) => {
      const { pk, stride } = packed(n, dim, seed);
      const caps = new Float64Array(n).fill(dim / 3);
      const js = hammingNearPairs(pk.tables, pk.W, stride, pk.words, n, caps, false, undefined, false);
      const wa = hammingNearPairs(pk.tables, pk.W, stride, pk.words, n, caps, false, ws);
      expect(Array.from(wa.idx)).toEqual(Array.from(js.idx));
      expect(bits(wa.val)).toEqual(bits(js.val));
      return ws.stats();
    };
    const first = run(40, 20, 1);
    expect(first.entries).toBe(2); // the pair buffers and one kernel
    const again = run(30, 12, 2); // fits: the same kernel
    expect(again).toEqual(first);
    const bigger = run(90, 300, 3); // does not fit: a larger one in its place
    expect(bigger.entries).toBe(2);
    expect(bigger.bytes).toBeGreaterThan(first.bytes);
    run(40, 20, 1);
  });

  test("a distance source's near pairs (with and without a workspace) equal the TypeScript pass", () => {
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
    const bin = emb.binary;
    if (bin === undefined) throw new Error("not binary");
    const pk = packWords(cols, rows, bin, false);
    const row0 = src.rowsTo(Int32Array.from([0]));
    const caps = Float64Array.from(range(cols), (j) => (row0[(j * 13) % cols] as number) * 0.9);
    const js = hammingNearPairs(pk.tables, pk.W, bin.stride, pk.words, cols, caps, false, undefined, false);
    for (const pairs of [src.nearPairs?.(caps), src.nearPairs?.(caps, new Workspace())]) {
      expect(pairs?.max).toBe(js.max);
      expect(Array.from(pairs?.idx ?? [])).toEqual(Array.from(js.idx));
      expect(bits(pairs?.val ?? [])).toEqual(bits(js.val));
    }
  });
});
