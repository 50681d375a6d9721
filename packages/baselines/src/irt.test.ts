import { RandomStream } from "@tb/core";
import { describe, expect, it } from "vitest";
import {
  abilityObjective,
  binarizationThreshold,
  fitAbility,
  fitIrt,
  type IrtItems,
  irtMapObjective,
  irtParamCount,
  irtProbability,
} from "./irt.js";

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = (x[i] as number) - mx;
    const b = (y[i] as number) - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function ranks(x: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((i, j) => (x[i] as number) - (x[j] as number));
  const r = new Float64Array(x.length);
  idx.forEach((i, k) => {
    r[i] = k;
  });
  return r;
}

const spearman = (x: ArrayLike<number>, y: ArrayLike<number>) => pearson(ranks(x), ranks(y));

/** Responses drawn from a known 2PL model with the §6.2 logit `Σ_e (a_ke θ_je − b_k)`. */
function synthetic(models: number, items: number, dim: number, seed: number) {
  const rng = RandomStream.derive("synthetic-irt", seed);
  const theta = new Float64Array(models * dim).map(() => rng.nextNormal());
  const a = new Float64Array(items * dim).map(() => 0.7 + 0.6 * rng.nextFloat());
  const b = new Float64Array(items).map(() => rng.nextNormal() / dim);
  const truth: IrtItems = { dim, items, a, b };
  const R = new Uint8Array(models * items);
  for (let j = 0; j < models; j++) {
    for (let k = 0; k < items; k++) {
      const p = irtProbability(truth, k, theta.subarray(j * dim, (j + 1) * dim));
      R[j * items + k] = rng.nextFloat() < p ? 1 : 0;
    }
  }
  return { truth, theta, R };
}

describe("irtMapObjective (docs/METHOD.md §6.3)", () => {
  it("analytic gradient matches central finite differences", () => {
    const models = 5;
    const items = 7;
    for (const dim of [1, 3]) {
      const rng = RandomStream.derive("fd-map", dim);
      const R = new Uint8Array(models * items).map(() => (rng.nextFloat() < 0.5 ? 1 : 0));
      const P = irtParamCount(models, items, dim);
      const w = new Float64Array(P).map(() => rng.nextNormal());
      const g = new Float64Array(P);
      irtMapObjective(w, R, models, items, dim, g);
      const h = 1e-5;
      for (let i = 0; i < P; i++) {
        const wp = Float64Array.from(w);
        const wm = Float64Array.from(w);
        wp[i] = (wp[i] as number) + h;
        wm[i] = (wm[i] as number) - h;
        const fd = (irtMapObjective(wp, R, models, items, dim) - irtMapObjective(wm, R, models, items, dim)) / (2 * h);
        expect(g[i]).toBeCloseTo(fd, 5);
      }
    }
  });

  it("equals the NLL with σ(Σ_e (a θ − b)) plus ½‖w‖², computed naively", () => {
    const [models, items, dim] = [2, 3, 2];
    const w = Float64Array.from([0.3, -0.2, 1.1, 0.4, 0.5, -0.7, 0.2, 0.9, -1.2, 0.8, 0.1, -0.3, 0.6]);
    expect(w.length).toBe(irtParamCount(models, items, dim));
    const R = Uint8Array.from([1, 0, 1, 0, 0, 1]);
    let expected = 0;
    for (let j = 0; j < models; j++) {
      for (let k = 0; k < items; k++) {
        let z = 0;
        for (let e = 0; e < dim; e++) {
          z += (w[4 + k * dim + e] as number) * (w[j * dim + e] as number) - (w[10 + k] as number);
        }
        const p = 1 / (1 + Math.exp(-z));
        expected -= R[j * items + k] === 1 ? Math.log(p) : Math.log(1 - p);
      }
    }
    for (const v of w) expected += 0.5 * v * v;
    expect(irtMapObjective(w, R, models, items, dim)).toBeCloseTo(expected, 12);
  });
});

describe("fitIrt (docs/METHOD.md §6.2–§6.3)", () => {
  it("recovers difficulty order and abilities from synthetic data", () => {
    const { truth, theta, R } = synthetic(300, 80, 1, 1);
    const fit = fitIrt(R, 300, 80, { dim: 1, epochs: 1500, seed: 42 });
    expect(spearman(fit.b, truth.b)).toBeGreaterThanOrEqual(0.9);
    // d = 1: a θ is identified up to a common sign.
    expect(Math.abs(pearson(fit.theta, theta))).toBeGreaterThanOrEqual(0.9);
  });

  it("recovers item difficulty order in two dimensions", () => {
    const { truth, R } = synthetic(300, 60, 2, 2);
    const fit = fitIrt(R, 300, 60, { dim: 2, epochs: 1500 });
    expect(spearman(fit.b, truth.b)).toBeGreaterThanOrEqual(0.9);
  });

  it("returns the lowest-loss snapshot, not the last epoch", () => {
    const rng = RandomStream.derive("x");
    const R = new Uint8Array(40 * 30).map(() => (rng.nextFloat() < 0.5 ? 1 : 0));
    // A large, undecayed step makes full-batch Adam oscillate: the minimum is reached before the end.
    const fit = fitIrt(R, 40, 30, { dim: 2, epochs: 300, lr: 5, decay: 1, trace: true });
    const trace = fit.lossTrace as Float64Array;
    expect(trace.length).toBe(301);
    let min = Number.POSITIVE_INFINITY;
    let arg = -1;
    trace.forEach((v, i) => {
      if (v < min) {
        min = v;
        arg = i;
      }
    });
    expect(fit.loss).toBe(min);
    expect(fit.bestEpoch).toBe(arg);
    expect(trace[300]).toBeGreaterThan(min);
    expect(arg).toBeLessThan(300);
    // The returned parameters are the ones that produced that loss.
    const w = new Float64Array(irtParamCount(40, 30, 2));
    w.set(fit.theta, 0);
    w.set(fit.a, 80);
    w.set(fit.b, 80 + 60);
    expect(irtMapObjective(w, R, 40, 30, 2)).toBe(fit.loss);
  });

  it("[OPT] stop: ends at the first evaluation where the lowest loss stalled, with the parameters of a shorter run", () => {
    const rng = RandomStream.derive("stop");
    const R = new Uint8Array(60 * 40).map(() => (rng.nextFloat() < 0.6 ? 1 : 0));
    const full = fitIrt(R, 60, 40, { dim: 2, epochs: 800, trace: true });
    expect(full.epochsRun).toBe(800);
    const trace = full.lossTrace as Float64Array;
    for (const [window, tol] of [
      [20, 1e-4],
      [50, 1e-6],
      [5, 1e-3],
    ] as const) {
      // The rule, re-derived from the full run's trace: lowest loss so far, then the first t ≥ window
      // with lowest[t − window] − lowest[t] < tol · |lowest[t]| (t < epochs).
      const lowest: number[] = [];
      let m = Number.POSITIVE_INFINITY;
      for (const v of trace) lowest.push((m = Math.min(m, v)));
      let want = 800;
      for (let t = window; t < 800; t++) {
        if ((lowest[t - window] as number) - (lowest[t] as number) < tol * Math.abs(lowest[t] as number)) {
          want = t;
          break;
        }
      }
      expect(want).toBeLessThan(800);
      const stopped = fitIrt(R, 60, 40, { dim: 2, epochs: 800, stop: { window, tol }, trace: true });
      expect(stopped.epochsRun).toBe(want);
      expect(Array.from(stopped.lossTrace as Float64Array)).toEqual(Array.from(trace.subarray(0, want + 1)));
      // the same as a run of `want` epochs: the same steps, so the same lowest-loss parameters
      const short = fitIrt(R, 60, 40, { dim: 2, epochs: want });
      expect(stopped.loss).toBe(short.loss);
      expect(stopped.bestEpoch).toBe(short.bestEpoch);
      expect(Array.from(stopped.theta)).toEqual(Array.from(short.theta));
      expect(Array.from(stopped.a)).toEqual(Array.from(short.a));
      expect(Array.from(stopped.b)).toEqual(Array.from(short.b));
    }
  });

  it("[OPT] stop: bad rules are refused by name", () => {
    const R = new Uint8Array(4 * 3).fill(1);
    const fit = (stop: unknown) => () =>
      fitIrt(R, 4, 3, { dim: 1, epochs: 5, stop: stop as { window: number; tol: number } });
    expect(fit({ window: 0, tol: 1e-5 })).toThrow(/IRT: stop\.window must be an integer ≥ 1, got 0/);
    expect(fit({ window: 2.5, tol: 1e-5 })).toThrow(/stop\.window/);
    expect(fit({ window: 10, tol: -1 })).toThrow(/IRT: stop\.tol must be a finite number > 0, got -1/);
    // tol = 0 could never end a fit (the lowest loss cannot rise), nor a window of all the epochs
    expect(fit({ window: 1, tol: 0 })).toThrow(/IRT: stop\.tol must be a finite number > 0, got 0/);
    expect(fit({ window: 5, tol: 1e-5 })).toThrow(/IRT: stop\.window \(5\) must be less than epochs \(5\)/);
    expect(() => fitIrt(R, 4, 3, { dim: 1, epochs: 50, method: "vi", stop: { window: 10, tol: 1e-5 } })).toThrow(
      /IRT: stop is for MAP fits \(method "map"\): a VI loss is one noisy sample per epoch/,
    );
    expect(fit({ window: 10, tol: Number.NaN })).toThrow(/stop\.tol/);
    expect(fit({ window: 10 })).toThrow(/stop\.tol/);
    expect(fit({ window: 10, tol: 1e-5, patience: 3 })).toThrow(/IRT: stop\.patience is not a setting/);
    expect(fit(true)).toThrow(/IRT: stop must be \{ window, tol \}, got true/);
  });

  it("is deterministic under a seed and differs across seeds", () => {
    const { R } = synthetic(20, 15, 2, 4);
    const f1 = fitIrt(R, 20, 15, { dim: 2, epochs: 50, seed: 7 });
    const f2 = fitIrt(R, 20, 15, { dim: 2, epochs: 50, seed: 7 });
    const f3 = fitIrt(R, 20, 15, { dim: 2, epochs: 50, seed: 8 });
    expect(Array.from(f1.a)).toEqual(Array.from(f2.a));
    expect(Array.from(f1.a)).not.toEqual(Array.from(f3.a));
  });

  it("[OPT] VI recovers the difficulty order too", () => {
    const { truth, R } = synthetic(300, 80, 1, 5);
    const fit = fitIrt(R, 300, 80, { dim: 1, epochs: 1500, method: "vi" });
    expect(fit.method).toBe("vi");
    expect(spearman(fit.b, truth.b)).toBeGreaterThanOrEqual(0.9);
    const again = fitIrt(R, 300, 80, { dim: 1, epochs: 30, method: "vi" });
    const again2 = fitIrt(R, 300, 80, { dim: 1, epochs: 30, method: "vi" });
    expect(Array.from(again.b)).toEqual(Array.from(again2.b));
  });

  it("rejects bad shapes", () => {
    expect(() => fitIrt(new Uint8Array(5), 2, 3, { dim: 1 })).toThrow(/cells/);
    expect(() => fitIrt(new Uint8Array(6), 2, 3, { dim: 0 })).toThrow(/dim/);
  });
});

describe("irtProbability (docs/METHOD.md §6.2)", () => {
  it("clips each term to [−30, 30] before summing", () => {
    const m: IrtItems = { dim: 2, items: 1, a: Float64Array.from([10, 1]), b: Float64Array.from([0]) };
    // term 1: 10·5 = 50 → 30; term 2: 1·(−31) = −31 → −30; sum 0 → 0.5
    expect(irtProbability(m, 0, [5, -31])).toBe(0.5);
    // unclipped: 2·0.5 − 1 + 1·0.5 − 1 = −0.5
    const m2: IrtItems = { dim: 2, items: 1, a: Float64Array.from([2, 1]), b: Float64Array.from([1]) };
    expect(irtProbability(m2, 0, [0.5, 0.5])).toBeCloseTo(1 / (1 + Math.exp(0.5)), 15);
  });
});

describe("ability fit (docs/METHOD.md §6.6)", () => {
  const rng = RandomStream.derive("ability-test");
  const dim = 3;
  const items = 400;
  const model: IrtItems = {
    dim,
    items,
    a: new Float64Array(items * dim).map(() => rng.nextNormal()),
    b: new Float64Array(items).map(() => 0.3 * rng.nextNormal()),
  };

  it("analytic gradient matches central finite differences (with and without prior)", () => {
    const idx = [0, 5, 9, 9, 17, 30, 44];
    const resp = [1, 0, 1, 1, 0, 0, 1];
    const theta = Float64Array.from([0.4, -0.3, 0.8]);
    for (const prior of [undefined, 2]) {
      const g = new Float64Array(dim);
      abilityObjective(model, idx, resp, theta, g, prior);
      for (let e = 0; e < dim; e++) {
        const h = 1e-6;
        const tp = Float64Array.from(theta);
        const tm = Float64Array.from(theta);
        tp[e] = (tp[e] as number) + h;
        tm[e] = (tm[e] as number) - h;
        const fd =
          (abilityObjective(model, idx, resp, tp, undefined, prior) -
            abilityObjective(model, idx, resp, tm, undefined, prior)) /
          (2 * h);
        expect(g[e]).toBeCloseTo(fd, 6);
      }
    }
  });

  it("recovers a known ability from many items", () => {
    const truth = [0.8, -0.5, 0.3];
    const idx: number[] = [];
    const resp: number[] = [];
    for (let k = 0; k < items; k++) {
      idx.push(k);
      resp.push(rng.nextFloat() < irtProbability(model, k, truth) ? 1 : 0);
    }
    const fit = fitAbility(model, idx, resp);
    expect(fit.status).toBe("converged");
    for (let e = 0; e < dim; e++) expect(Math.abs((fit.theta[e] as number) - (truth[e] as number))).toBeLessThan(0.35);
  });

  it("separable responses: stops where the gradient vanishes (no prior); a prior keeps θ finite", () => {
    const one: IrtItems = { dim: 1, items: 2, a: Float64Array.from([1, 1]), b: Float64Array.from([0, 0.5]) };
    const fit = fitAbility(one, [0, 1], [1, 1]);
    expect(fit.theta[0]).toBeGreaterThan(5);
    expect(fit.iterations).toBeLessThanOrEqual(200);
    const reg = fitAbility(one, [0, 1], [1, 1], { abilityPrior: 1 });
    expect(reg.status).toBe("converged");
    expect(reg.theta[0]).toBeLessThan(2);
    expect(reg.theta[0]).toBeGreaterThan(0);
  });
});

describe("binarizationThreshold (docs/METHOD.md §6.1)", () => {
  it("returns the first minimiser of the mean accuracy gap", () => {
    // One source with values 0.3 and 0.9: mean 0.6. 1[Y > c] averages 1 for c < 0.3, 0.5 for
    // 0.3 ≤ c < 0.9. |0.5 − 0.6| = 0.1 < |1 − 0.6| = 0.4, so the first c ≥ 0.3 on the grid wins.
    const c = binarizationThreshold(Float64Array.from([0.3, 0.9]), 1, 2);
    const grid = Array.from({ length: 1000 }, (_, i) => i * ((0.99 - 0.01) / 999) + 0.01);
    expect(c).toBe(grid.find((g) => g >= 0.3));
  });
});
