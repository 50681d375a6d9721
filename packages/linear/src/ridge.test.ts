import { readFileSync } from "node:fs";
import { RandomStream, TbError } from "@tb/core";
import { describe, expect, it } from "vitest";
import { RidgeColumns, RidgeWorkspace, ridgeFit, ridgeLoo } from "./ridge.js";

/** One ridge case of `ridge_reference.json` (written by `packages/baselines/src/__fixtures__/make_peer_fixtures.py`). */
interface RidgeCase {
  name: string;
  rows: number;
  cols: number;
  X: number[];
  y: number[];
  fits: { alpha: number; coef: number[]; intercept: number; looSquaredErrors: number[] }[];
  chosenAlpha: number;
}

const reference = JSON.parse(readFileSync(new URL("./__fixtures__/ridge_reference.json", import.meta.url), "utf8")) as {
  alphas: number[];
  ridge: RidgeCase[];
};

/** |actual − expected| ≤ 1e-9·|expected| (+1e-14 so that exact zeros compare). */
function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected) + 1e-14);
}

describe("ridge with an unpenalised intercept vs NumPy (ridge_reference.json)", () => {
  it("covers both the primal (rows ≥ cols) and the dual (rows < cols) form", () => {
    expect(reference.ridge.some((c) => c.cols <= c.rows)).toBe(true);
    expect(reference.ridge.some((c) => c.cols > c.rows)).toBe(true);
  });

  for (const c of reference.ridge) {
    it(`${c.name}: coef and intercept at every alpha`, () => {
      for (const f of c.fits) {
        const fit = ridgeFit(c.X, c.rows, c.cols, c.y, f.alpha);
        expect(fit.coef.length).toBe(c.cols);
        f.coef.forEach((w, a) => {
          close(fit.coef[a] as number, w);
        });
        close(fit.intercept, f.intercept);
      }
    });

    it(`${c.name}: exact LOO squared errors (explicit refits in NumPy) and the chosen alpha`, () => {
      const res = ridgeLoo(c.X, c.rows, c.cols, c.y, reference.alphas);
      c.fits.forEach((f, t) => {
        const errs = res.squaredErrors[t] as Float64Array;
        expect(errs.length).toBe(c.rows);
        f.looSquaredErrors.forEach((e, i) => {
          close(errs[i] as number, e);
        });
        const mean = f.looSquaredErrors.reduce((p, q) => p + q, 0) / c.rows;
        close(res.meanSquaredErrors[t] as number, mean);
      });
      expect(res.alpha).toBe(c.chosenAlpha);
      const chosen = c.fits.find((f) => f.alpha === c.chosenAlpha);
      chosen?.coef.forEach((w, a) => {
        close(res.fit.coef[a] as number, w);
      });
      close(res.fit.intercept, chosen?.intercept ?? Number.NaN);
    });
  }
});

/** A `rows × cols` row-major matrix of standard normal draws times `scale`. */
function normalMatrix(rng: RandomStream, rows: number, cols: number, scale = 1): Float64Array {
  return Float64Array.from({ length: rows * cols }, () => scale * rng.nextNormal());
}

describe("ridgeLoo: the alpha choice on cases where the answer is known", () => {
  it("noise-free linear y → the smallest alpha, wherever it sits in the list", () => {
    const rng = RandomStream.derive("ridge-linear");
    const rows = 40;
    const cols = 3;
    const X = normalMatrix(rng, rows, cols);
    const y = Float64Array.from({ length: rows }, (_, i) => 0.5 + X[i * 3]! - 2 * X[i * 3 + 1]! + 3 * X[i * 3 + 2]!);
    expect(ridgeLoo(X, rows, cols, y, [0.1, 1, 10]).alpha).toBe(0.1);
    expect(ridgeLoo(X, rows, cols, y, [10, 1, 0.1]).alpha).toBe(0.1);
    // A tiny alpha recovers the generating coefficients and intercept.
    const fit = ridgeFit(X, rows, cols, y, 1e-10);
    expect(fit.coef[0]).toBeCloseTo(1, 8);
    expect(fit.coef[1]).toBeCloseTo(-2, 8);
    expect(fit.coef[2]).toBeCloseTo(3, 8);
    expect(fit.intercept).toBeCloseTo(0.5, 8);
  });

  it("pure-noise y, independent of X → the largest alpha (primal and dual)", () => {
    const rng = RandomStream.derive("ridge-noise");
    for (const [rows, cols] of [
      [60, 20],
      [20, 60],
    ] as const) {
      const X = normalMatrix(rng, rows, cols, 0.3);
      const y = Float64Array.from({ length: rows }, () => rng.nextNormal());
      expect(ridgeLoo(X, rows, cols, y, [0.1, 1, 10]).alpha).toBe(10);
      expect(ridgeLoo(X, rows, cols, y, [10, 0.1, 1]).alpha).toBe(10);
    }
  });

  it("constant y: every LOO error is 0, so the tie goes to the first alpha in the list", () => {
    const rng = RandomStream.derive("ridge-const");
    const X = normalMatrix(rng, 10, 4);
    const y = new Float64Array(10).fill(0.5); // exactly representable, so mean(y) = 0.5 and yc = 0 exactly
    const res = ridgeLoo(X, 10, 4, y, [1, 0.1, 10]);
    expect(Array.from(res.meanSquaredErrors)).toEqual([0, 0, 0]);
    expect(res.alphaIndex).toBe(0);
    expect(res.alpha).toBe(1);
    expect(Array.from(res.fit.coef)).toEqual([0, 0, 0, 0]);
    expect(res.fit.intercept).toBe(0.5);
  });
});

describe("ridge edge cases and validation", () => {
  it("one row: coef 0 and intercept = y (centring removes everything)", () => {
    const fit = ridgeFit([1, 0, 1], 1, 3, [0.25], 10);
    expect(Array.from(fit.coef)).toEqual([0, 0, 0]);
    expect(fit.intercept).toBe(0.25);
  });

  it("the workspace gives the same answer when reused on problems of different shapes", () => {
    const rng = RandomStream.derive("ridge-ws");
    const ws = new RidgeWorkspace();
    for (const [rows, cols] of [
      [12, 5],
      [5, 12],
      [30, 7],
      [3, 2],
    ] as const) {
      const X = normalMatrix(rng, rows, cols);
      const y = Float64Array.from({ length: rows }, () => rng.nextNormal());
      const cm = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let a = 0; a < cols; a++) cm[a * rows + i] = X[i * cols + a]!;
      const res = ridgeLoo(X, rows, cols, y, [0.1, 1, 10]);
      const t = ws.solve(cm, rows, cols, null, y, [0.1, 1, 10], true);
      expect(t).toBe(res.alphaIndex);
      expect(Array.from(ws.coef)).toEqual(Array.from(res.fit.coef));
      expect(ws.intercept).toBe(res.fit.intercept);
    }
  });

  it("solveColumns on a column subset (with and without the precomputed Gram) = ridgeLoo on the gathered matrix", () => {
    const rng = RandomStream.derive("ridge-columns");
    const rows = 15;
    const n = 25;
    const cm = Float64Array.from({ length: rows * n }, () => (rng.nextFloat() < 0.4 ? 1 : 0));
    const y = Float64Array.from({ length: rows }, () => rng.nextFloat());
    const plain = new RidgeColumns(cm, rows, n, y, false);
    const gram = new RidgeColumns(cm, rows, n, y, true);
    const ws = new RidgeWorkspace();
    for (const subset of [
      [3, 17, 0, 9],
      [24, 1, 5, 8, 13, 2, 20, 11, 6],
      Array.from({ length: 20 }, (_, a) => 24 - a),
    ]) {
      const X = new Float64Array(rows * subset.length);
      for (let i = 0; i < rows; i++)
        subset.forEach((j, a) => {
          X[i * subset.length + a] = cm[j * rows + i]!;
        });
      const res = ridgeLoo(X, rows, subset.length, y, [0.1, 1, 10]);
      for (const cols of [plain, gram]) {
        expect(ws.solveColumns(cols, subset, [0.1, 1, 10], true)).toBe(res.alphaIndex);
        res.fit.coef.forEach((w, a) => {
          close(ws.coef[a] as number, w);
        });
        close(ws.intercept, res.fit.intercept);
        res.meanSquaredErrors.forEach((e, t) => {
          close(ws.meanSquaredErrors[t] as number, e);
        });
      }
    }
  });

  it("rejects bad shapes and alphas with E_USAGE, and LOO on one row with E_DEGENERATE", () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof TbError ? e.code : "not a TbError";
      }
      return undefined;
    };
    expect(code(() => ridgeFit([1, 2, 3], 2, 2, [1, 2], 1))).toBe("E_USAGE");
    expect(code(() => ridgeFit([1, 2, 3, 4], 2, 2, [1], 1))).toBe("E_USAGE");
    expect(code(() => ridgeFit([1, 2, 3, 4], 2, 2, [1, 2], 0))).toBe("E_USAGE");
    expect(code(() => ridgeFit([1, 2, 3, Number.NaN], 2, 2, [1, 2], 1))).toBe("E_USAGE");
    expect(code(() => ridgeLoo([1, 2, 3, 4], 2, 2, [1, 2], []))).toBe("E_USAGE");
    expect(code(() => ridgeLoo([1, 2, 3, 4], 2, 2, [1, 2], [1, -1]))).toBe("E_USAGE");
    expect(code(() => ridgeLoo([1, 2], 1, 2, [1], [1]))).toBe("E_DEGENERATE");
  });
});
