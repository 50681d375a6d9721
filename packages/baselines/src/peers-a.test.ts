import { readFileSync } from "node:fs";
import { CorrectnessMatrix, createOracle, type EvaluationMethod, RandomStream, range, TbError } from "@tb/core";
import { describe, expect, it } from "vitest";
import { aipw, aipwEstimate } from "./aipw.js";
import { randomLearn, randomLearnEstimate, randomLearnModel } from "./random-learn.js";
import { randomSearchLearn } from "./random-search-learn.js";

/** The hand-made case of `peers_reference.json` (written by `__fixtures__/make_peer_fixtures.py`). */
interface PeersReference {
  sources: number[][];
  target: number[];
  coreset: number[];
  randomLearn: { alpha: number; looMeanSquaredErrors: number[]; estimate: number };
  aipw: { alpha: number; estimate: number; meanPredictionRest: number };
  full: { randomLearn: { alpha: number; estimate: number }; aipw: { estimate: number } };
}

const ref = (
  JSON.parse(readFileSync(new URL("./__fixtures__/peers_reference.json", import.meta.url), "utf8")) as {
    peers: PeersReference;
  }
).peers;

const handSources = CorrectnessMatrix.from(ref.sources);
const at = (row: readonly number[], idx: readonly number[]): number[] => idx.map((j) => row[j] as number);

function close(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-14);
}

/** Run `method` on `sources` with one oracle per target row; returns the result and the oracles. */
function runOn(
  method: EvaluationMethod,
  sources: CorrectnessMatrix,
  targets: readonly ArrayLike<number>[],
  budget: number,
  rng: RandomStream,
) {
  const oracles = targets.map((row, t) => createOracle(row, budget, `t${t}`));
  return { res: method.run({ sources, oracles, budget, rng }), oracles };
}

function binaryMatrix(rng: RandomStream, rows: number, cols: number, pOf: (i: number) => number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, () => (rng.nextFloat() < pOf(i) ? 1 : 0)));
}

function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof TbError ? e.code : "not a TbError";
  }
  return undefined;
}

describe("inner estimators vs NumPy on the hand-made 4 × 6 case", () => {
  it("Random-Sampling-Learn: LOO alpha and estimate", () => {
    const y = at(ref.target, ref.coreset);
    const model = randomLearnModel(handSources, ref.coreset);
    expect(model.alpha).toBe(ref.randomLearn.alpha);
    ref.randomLearn.looMeanSquaredErrors.forEach((e, t) => {
      close(model.looMeanSquaredErrors[t] as number, e);
    });
    close(randomLearnEstimate(handSources, ref.coreset, y, [0.1, 1, 10]), ref.randomLearn.estimate);
  });

  it("AIPW (alpha = 10): estimate by the published formula", () => {
    const y = at(ref.target, ref.coreset);
    close(aipwEstimate(handSources, ref.coreset, y, 10), ref.aipw.estimate);
    // A different alpha gives a different number (the check above can fail on alpha).
    expect(Math.abs(aipwEstimate(handSources, ref.coreset, y, 0.1) - ref.aipw.estimate)).toBeGreaterThan(1e-3);
  });

  it("AIPW with k = n (R empty) is the plain mean of y", () => {
    expect(aipwEstimate(handSources, range(6), ref.target)).toBe(4 / 6);
    close(ref.full.aipw.estimate, 4 / 6);
  });

  it("the inner estimators reject bad coresets with E_USAGE", () => {
    expect(errorCode(() => randomLearnEstimate(handSources, [1, 1], [0, 1]))).toBe("E_USAGE");
    expect(errorCode(() => randomLearnEstimate(handSources, [6], [0]))).toBe("E_USAGE");
    expect(errorCode(() => aipwEstimate(handSources, [0, 2], [1]))).toBe("E_USAGE");
    expect(errorCode(() => aipwEstimate(handSources, [0, 2], [1, 0], 0))).toBe("E_USAGE");
  });
});

describe("the methods on the hand-made case with budget = n (the coreset is every example)", () => {
  const rng = RandomStream.derive("peers-a", "full");
  it("random-learn and random-search-learn (clip off) match NumPy's Random-Sampling-Learn", () => {
    for (const m of [randomLearn({ clip: false }), randomSearchLearn({ search: 7, clip: false })]) {
      const { res, oracles } = runOn(m, handSources, [ref.target], 6, rng);
      close(res.estimates[0] as number, ref.full.randomLearn.estimate);
      expect(res.diagnostics?.alpha).toBe(ref.full.randomLearn.alpha);
      expect(oracles[0]?.queried).toBe(6);
    }
  });
  it("aipw is the target's mean", () => {
    const { res } = runOn(aipw(), handSources, [ref.target], 6, rng);
    close(res.estimates[0] as number, 4 / 6);
  });
});

describe("the methods draw their coreset from ctx.rng.child('random')", () => {
  it("estimates equal the inner estimators on the read-back coreset (clipped by default)", () => {
    const rng = RandomStream.derive("peers-a", "readback");
    const budget = 3;
    const coreset = Array.from(rng.child("random").sample(range(6), budget));
    const y = at(ref.target, coreset);
    const rl = runOn(randomLearn(), handSources, [ref.target], budget, rng).res.estimates[0] as number;
    const clip = (v: number) => Math.min(1, Math.max(0, v));
    expect(rl).toBe(clip(randomLearnEstimate(handSources, coreset, y)));
    const ap = runOn(aipw(), handSources, [ref.target], budget, rng).res.estimates[0] as number;
    expect(ap).toBe(clip(aipwEstimate(handSources, coreset, y, 10)));
  });
});

describe("budget, determinism and options", () => {
  const rng0 = RandomStream.derive("peers-a", "matrix");
  const srcRows = binaryMatrix(rng0, 24, 40, (i) => 0.2 + (0.6 * i) / 23);
  const sources = CorrectnessMatrix.from(srcRows);
  const targets = binaryMatrix(rng0, 3, 40, (t) => 0.3 + 0.2 * t);
  const methods = [randomLearn(), randomSearchLearn({ search: 30 }), aipw()];

  it("each target is queried on exactly `budget` distinct examples", () => {
    for (const m of methods) {
      for (const budget of [1, 5, 40]) {
        const { res, oracles } = runOn(m, sources, targets, budget, RandomStream.derive("b", budget));
        expect(res.estimates.length).toBe(3);
        for (const o of oracles) expect(o.queried).toBe(budget);
      }
    }
  });

  it("the same stream gives the same estimates; another stream another coreset", () => {
    for (const m of methods) {
      const a = runOn(m, sources, targets, 8, RandomStream.derive("d", 1)).res.estimates;
      const b = runOn(m, sources, targets, 8, RandomStream.derive("d", 1)).res.estimates;
      const c = runOn(m, sources, targets, 8, RandomStream.derive("d", 2)).res.estimates;
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(Array.from(c)).not.toEqual(Array.from(a));
    }
  });

  it("bad budgets and options → E_USAGE naming the option", () => {
    for (const m of methods) {
      for (const budget of [0, 41, 2.5]) {
        expect(errorCode(() => runOn(m, sources, targets, budget, RandomStream.derive("x")))).toBe("E_USAGE");
      }
    }
    const usage = (f: () => unknown, name: string) => {
      expect(errorCode(f)).toBe("E_USAGE");
      expect(() => f()).toThrow(name);
    };
    usage(() => randomSearchLearn({ search: 0 }), "search");
    usage(() => randomSearchLearn({ search: 2.5 }), "search");
    usage(() => randomSearchLearn({ search: Number.NaN }), "search");
    usage(() => randomSearchLearn({ search: "10" as unknown as number }), "search");
    usage(() => randomSearchLearn({ alphas: [] }), "alphas");
    usage(() => randomLearn({ alphas: [0.1, 0] }), "alphas");
    usage(() => randomLearn({ clip: 1 as unknown as boolean }), "clip");
    usage(() => aipw({ alpha: -1 }), "alpha");
    usage(() => aipw({ alpha: Number.POSITIVE_INFINITY }), "alpha");
    usage(() => aipw({ clip: "no" as unknown as boolean }), "clip");
  });

  it("too few sources → E_DEGENERATE", () => {
    const two = CorrectnessMatrix.from(srcRows.slice(0, 2));
    expect(errorCode(() => runOn(randomSearchLearn({ search: 2 }), two, targets, 4, RandomStream.derive("x")))).toBe(
      "E_DEGENERATE",
    );
    const one = CorrectnessMatrix.from(srcRows.slice(0, 1));
    expect(errorCode(() => runOn(randomLearn(), one, targets, 4, RandomStream.derive("x")))).toBe("E_DEGENERATE");
  });
});

/** Naive ridge (unpenalised intercept) by Gaussian elimination on the normal equations. */
function naiveRidge(X: number[][], y: number[], alpha: number): { w: number[]; b: number } {
  const r = X.length;
  const p = (X[0] as number[]).length;
  const xm = Array.from({ length: p }, (_, a) => X.reduce((s, row) => s + (row[a] as number), 0) / r);
  const ym = y.reduce((s, v) => s + v, 0) / r;
  const A = Array.from({ length: p }, (_, a) =>
    Array.from({ length: p + 1 }, (_, b) => {
      let s = 0;
      for (let i = 0; i < r; i++) {
        const xa = (X[i]![a] as number) - xm[a]!;
        s += b === p ? xa * (y[i]! - ym) : xa * ((X[i]![b] as number) - xm[b]!);
      }
      return s + (a === b ? alpha : 0);
    }),
  );
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let i = c + 1; i < p; i++) if (Math.abs(A[i]![c]!) > Math.abs(A[piv]![c]!)) piv = i;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let i = c + 1; i < p; i++) {
      const f = A[i]![c]! / A[c]![c]!;
      for (let j = c; j <= p; j++) A[i]![j]! -= f * A[c]![j]!;
    }
  }
  const w = new Array<number>(p).fill(0);
  for (let c = p - 1; c >= 0; c--) {
    let s = A[c]![p]!;
    for (let j = c + 1; j < p; j++) s -= A[c]![j]! * w[j]!;
    w[c] = s / A[c]![c]!;
  }
  return { w, b: ym - xm.reduce((s, m, a) => s + m * w[a]!, 0) };
}

/** Ridge with alpha by explicit leave-one-out refits (first of equal minima). */
function naiveRidgeCv(X: number[][], y: number[], alphas: number[]): { w: number[]; b: number } {
  let best = 0;
  let bestErr = Number.POSITIVE_INFINITY;
  alphas.forEach((alpha, t) => {
    let err = 0;
    for (let i = 0; i < X.length; i++) {
      const fit = naiveRidge(
        X.filter((_, q) => q !== i),
        y.filter((_, q) => q !== i),
        alpha,
      );
      const pred = fit.b + fit.w.reduce((s, w, a) => s + w * (X[i]![a] as number), 0);
      err += (y[i]! - pred) ** 2;
    }
    if (err / X.length < bestErr) {
      bestErr = err / X.length;
      best = t;
    }
  });
  return naiveRidge(X, y, alphas[best]!);
}

describe("random-search-learn invariants", () => {
  const rng0 = RandomStream.derive("peers-a", "search");
  const srcRows = binaryMatrix(rng0, 30, 50, (i) => 0.15 + (0.7 * i) / 29);
  const sources = CorrectnessMatrix.from(srcRows);
  const targets = binaryMatrix(rng0, 4, 50, (t) => 0.2 + 0.2 * t);
  const budget = 8;

  it("search = 1 is random-learn on the same stream (clip on and off)", () => {
    for (let trial = 0; trial < 5; trial++) {
      const rng = RandomStream.derive("inv", trial);
      for (const clip of [true, false]) {
        const a = runOn(randomLearn({ clip }), sources, targets, budget, rng).res;
        const b = runOn(randomSearchLearn({ search: 1, clip }), sources, targets, budget, rng).res;
        expect(Array.from(b.estimates)).toEqual(Array.from(a.estimates));
        expect(b.diagnostics?.alpha).toBe(a.diagnostics?.alpha);
        expect(b.diagnostics?.bestSearchIndex).toBe(0);
      }
    }
  });

  it("bestValidationMae of search = 1 equals a naive 75/25 ridge computed here", () => {
    const rng = RandomStream.derive("inv", "naive");
    const m = srcRows.length;
    const perm = Array.from(rng.child("split").shuffle(range(m)));
    const nVal = Math.ceil(m / 4);
    const val = perm.slice(0, nVal);
    const fit = perm.slice(nVal);
    const subset = Array.from(rng.child("random").sample(range(50), budget));
    const acc = srcRows.map((row) => row.reduce((s, v) => s + v, 0) / row.length);
    const model = naiveRidgeCv(
      fit.map((s) => at(srcRows[s]!, subset)),
      fit.map((s) => acc[s]!),
      [0.1, 1, 10],
    );
    const mae =
      val.reduce((s, v) => {
        const pred = model.b + model.w.reduce((q, w, a) => q + w * srcRows[v]![subset[a]!]!, 0);
        return s + Math.abs(pred - acc[v]!);
      }, 0) / nVal;
    const res = runOn(randomSearchLearn({ search: 1 }), sources, targets, budget, rng).res;
    close(res.diagnostics?.bestValidationMae as number, mae, 1e-9);
  });

  it("a larger search never ends with a worse validation MAE (subsets are nested prefixes)", () => {
    for (let trial = 0; trial < 3; trial++) {
      const rng = RandomStream.derive("inv", "grow", trial);
      let prev = Number.POSITIVE_INFINITY;
      for (const search of [1, 5, 40, 200]) {
        const { res, oracles } = runOn(randomSearchLearn({ search }), sources, targets, budget, rng);
        const mae = res.diagnostics?.bestValidationMae as number;
        expect(Number.isFinite(mae)).toBe(true);
        expect(mae).toBeLessThanOrEqual(prev);
        prev = mae;
        expect(res.diagnostics?.bestSearchIndex as number).toBeLessThan(search);
        for (const o of oracles) expect(o.queried).toBe(budget);
      }
    }
  });
});
