import { describe, expect, it } from "vitest";
import { bfgs } from "./bfgs.js";

describe("bfgs (docs/METHOD.md §6.6)", () => {
  it("minimises the Rosenbrock function", () => {
    const res = bfgs(
      (x, g) => {
        const a = x[0] as number;
        const b = x[1] as number;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
    );
    expect(res.status).toBe("converged");
    expect(res.x[0]).toBeCloseTo(1, 4);
    expect(res.x[1]).toBeCloseTo(1, 4);
    expect(res.gradNorm).toBeLessThanOrEqual(1e-5);
  });

  it("solves a quadratic in at most a few iterations more than its dimension", () => {
    // f = ½ xᵀAx − bᵀx with A = diag(1..5): minimiser x_i = b_i / i.
    const n = 5;
    const res = bfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        const xi = x[i] as number;
        f += 0.5 * (i + 1) * xi * xi - xi;
        g[i] = (i + 1) * xi - 1;
      }
      return f;
    }, new Float64Array(n));
    for (let i = 0; i < n; i++) expect(res.x[i]).toBeCloseTo(1 / (i + 1), 5);
    expect(res.iterations).toBeLessThan(20);
  });

  it("stops at once when the start already meets the gradient test, and honours maxIter", () => {
    const zero = bfgs(
      (_x, g) => {
        g.fill(0);
        return 3;
      },
      [1, 2],
    );
    expect(zero.iterations).toBe(0);
    expect(zero.status).toBe("converged");
    const capped = bfgs(
      (x, g) => {
        const a = x[0] as number;
        const b = x[1] as number;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
      { maxIter: 3 },
    );
    expect(capped.iterations).toBe(3);
    expect(capped.status).toBe("maxIter");
  });
});
