// The WebAssembly loops of the ridge's exact LOO (wasm/ridge.wat) against the TypeScript loops they
// replace: the same coefficients, intercepts and LOO errors bit for bit, with and without the
// kernel, so no number depends on which one ran.
import { RandomStream, wasmInstance } from "@tb/core";
import { describe, expect, test } from "vitest";
import { committedAndAssembled, differences } from "../../../scripts/kernel-tests.mjs";
import { RidgeColumns, RidgeWorkspace } from "./ridge.js";
import { RIDGE_WASM_HEX } from "./ridge-wasm.js";

describe("the compiled kernel", () => {
  test("src/ridge-wasm.ts is what wasm/ridge.wat assembles to", async () => {
    const { committed, assembled } = await committedAndAssembled(import.meta.url, "ridge");
    expect(committed).toBe(assembled);
  });
  test("this runtime runs it (so the comparisons below exercise the kernel)", () => {
    expect(wasmInstance(RIDGE_WASM_HEX, 1024)).toBeDefined();
  });
});

describe("RidgeWorkspace with and without the kernel", () => {
  // r odd and even (the kernel's pairs and its last element); p from 1 to past 8 (the groups of
  // four of the substitution and the columns left); p ≤ r (the primal solve the kernel serves)
  const shapes: [number, number][] = [
    [7, 1],
    [9, 4],
    [12, 5],
    [31, 9],
    [40, 13],
    [65, 30],
  ];
  test.each(shapes)("%i rows, %i columns: the same fit and LOO errors", (r, p) => {
    const rng = RandomStream.derive("ridge-kernel", r, p);
    const n = p + 7; // columns to choose from
    const X = new Float64Array(r * n);
    for (let i = 0; i < X.length; i++) X[i] = rng.nextFloat() < 0.5 ? 1 : rng.nextNormal();
    const y = Float64Array.from({ length: r }, () => rng.nextFloat());
    const alphas = [0.1, 1, 10];
    const cols = rng.sample(
      Array.from({ length: n }, (_, j) => j),
      p,
    );
    const columns = new RidgeColumns(X, r, n, y);
    const run = (kernel: boolean, how: "columns" | "solve") => {
      const ws = new RidgeWorkspace();
      ws.useKernel = kernel;
      // the kernel from the first solve on, whatever the size (by default it waits for a reused
      // workspace and a large enough solve)
      ws.kernelAfter = 0;
      ws.kernelMinSize = 0;
      const errs = new Float64Array(alphas.length * r);
      // solve() centres the p chosen columns of the column-major X itself
      const best =
        how === "columns"
          ? ws.solveColumns(columns, cols, alphas, true, errs)
          : ws.solve(X, r, p, cols, y, alphas, true, errs);
      return { best, coef: Array.from(ws.coef), b: ws.intercept, mse: Array.from(ws.meanSquaredErrors), errs };
    };
    for (const how of ["columns", "solve"] as const) {
      const a = run(true, how);
      const b = run(false, how);
      expect(a.best).toBe(b.best);
      expect(differences(a.errs, b.errs)).toEqual([]);
      expect(differences(a.mse, b.mse)).toEqual([]);
      expect(differences(a.coef, b.coef)).toEqual([]);
      expect(Object.is(a.b, b.b)).toBe(true);
      expect(a.mse.every(Number.isFinite)).toBe(true);
    }
  });

  test("one workspace through subsets of growing size (its kernel memory grows) gives each subset's own numbers", () => {
    const rng = RandomStream.derive("ridge-kernel-grow");
    const r = 50;
    const n = 60;
    const X = Float64Array.from({ length: r * n }, () => rng.nextNormal());
    const y = Float64Array.from({ length: r }, () => rng.nextNormal());
    const columns = new RidgeColumns(X, r, n, y);
    const shared = new RidgeWorkspace();
    shared.kernelAfter = 0;
    shared.kernelMinSize = 0;
    for (const p of [3, 10, 25, 40, 8]) {
      const cols = rng.sample(
        Array.from({ length: n }, (_, j) => j),
        p,
      );
      const alone = new RidgeWorkspace();
      alone.useKernel = false;
      const e1 = new Float64Array(3 * r);
      const e2 = new Float64Array(3 * r);
      shared.solveColumns(columns, cols, [0.1, 1, 10], true, e1);
      alone.solveColumns(columns, cols, [0.1, 1, 10], true, e2);
      expect(differences(e1, e2)).toEqual([]);
      expect(differences(shared.coef, alone.coef)).toEqual([]);
    }
  });

  test("a workspace switches to the kernel only when reused on large enough solves, with the same numbers", () => {
    const rng = RandomStream.derive("ridge-kernel-switch");
    const r = 64;
    const p = 16; // r·p = 1024 ≥ the default 512
    const X = Float64Array.from({ length: r * p }, () => rng.nextNormal());
    const y = Float64Array.from({ length: r }, () => rng.nextNormal());
    const reused = new RidgeWorkspace();
    const plain = new RidgeWorkspace();
    plain.useKernel = false;
    // 3 alphas a solve: the kernel starts within the 4th solve (after 8 primal solves)
    for (let call = 0; call < 6; call++) {
      const e1 = new Float64Array(3 * r);
      const e2 = new Float64Array(3 * r);
      reused.solve(X, r, p, null, y, [0.1, 1, 10], true, e1);
      plain.solve(X, r, p, null, y, [0.1, 1, 10], true, e2);
      expect(differences(e1, e2)).toEqual([]);
    }
    expect((reused as unknown as { kernel: unknown }).kernel).toBeTruthy();
    const small = new RidgeWorkspace();
    for (let call = 0; call < 6; call++) small.solve(X, r, 4, null, y, [0.1, 1, 10], true);
    expect((small as unknown as { kernel: unknown }).kernel).toBeUndefined(); // 64 × 4 < 512
  });
});
