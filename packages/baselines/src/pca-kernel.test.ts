// The WebAssembly row loops of the PCA imputation (wasm/pca.wat) against the TypeScript loops they
// replace: imputePca gives the same filled matrix, bit for bit, with and without the kernel, so
// its numbers do not depend on which one ran.
import { RandomStream, wasmInstance } from "@tb/core";
import { describe, expect, test } from "vitest";
import { committedAndAssembled, differences } from "../../../scripts/kernel-tests.mjs";
import { imputePcaWith } from "./pca.js";
import { PCA_WASM_HEX } from "./pca-wasm.js";

describe("the compiled kernel", () => {
  test("src/pca-wasm.ts is what wasm/pca.wat assembles to", async () => {
    const { committed, assembled } = await committedAndAssembled(import.meta.url, "pca");
    expect(committed).toBe(assembled);
  });
  test("this runtime runs it (so the comparisons below exercise the kernel)", () => {
    expect(wasmInstance(PCA_WASM_HEX, 1024)).toBeDefined();
  });
});

describe("imputePca with and without the kernel", () => {
  // rows mod 4 = 0…3 (qtz's groups of four and the rows left), odd and even row lengths (the
  // kernel's pairs and its last element), fractional and 0/1 values, one to many hidden rows
  const shapes: [number, number, number][] = [
    [12, 40, 2],
    [13, 41, 3],
    [14, 7, 1],
    [15, 33, 5],
    [9, 2, 1],
    [30, 101, 8],
  ];
  test.each(shapes)("%i × %i, c = %i: the same filled matrix, rounds and change", (rows, cols, c) => {
    for (const binary of [false, true]) {
      const rng = RandomStream.derive("pca-kernel", rows, cols, c, binary ? 1 : 0);
      const values = new Float64Array(rows * cols);
      // a low-rank signal plus noise, so the rounds do real work
      const u = Array.from({ length: rows }, () => rng.nextNormal());
      const v = Array.from({ length: cols }, () => rng.nextNormal());
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) {
          const x = (u[i] as number) * (v[j] as number) + 0.5 * rng.nextNormal();
          values[i * cols + j] = binary ? (x > 0 ? 1 : 0) : x;
        }
      const known = new Uint8Array(rows * cols).fill(1);
      // the last third of the rows keep a few cells only; every column keeps a known cell
      for (let i = Math.floor((2 * rows) / 3); i < rows; i++)
        for (let j = 0; j < cols; j++) if (rng.nextFloat() < 0.7) known[i * cols + j] = 0;
      const opts = { components: c, maxIter: 40, tol: 1e-10, rng: 5 };
      const a = imputePcaWith(values, rows, cols, known, opts, true);
      const b = imputePcaWith(values, rows, cols, known, opts, false);
      expect(differences(a.filled, b.filled)).toEqual([]);
      expect(a.iterations).toBe(b.iterations);
      expect(a.iterations).toBeGreaterThan(1);
      expect(Object.is(a.change, b.change)).toBe(true);
      expect(a.powerSteps).toBe(b.powerSteps);
      // the result is an array of its own, not a view on the kernel's memory
      expect(a.filled.buffer.byteLength).toBe(8 * rows * cols);
    }
  });
});
