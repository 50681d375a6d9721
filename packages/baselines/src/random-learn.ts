import {
  type CorrectnessMatrix,
  checkOptionKeys,
  type EvaluationMethod,
  type MethodResult,
  range,
  TbError,
} from "@tb/core";
import { checkAlphas, type RidgeFit, ridgeLoo } from "@tb/linear";
import { oneRoundMethod } from "./one-round.js";

/** BenchPred's (and scikit-learn RidgeCV's default) candidate alphas. */
export const RANDOM_LEARN_ALPHAS: readonly number[] = Object.freeze([0.1, 1, 10]);

/** Options of {@link randomLearn}. */
export interface RandomLearnOptions {
  /** Candidate ridge penalties, chosen by exact LOO (default `[0.1, 1, 10]`). */
  alphas?: readonly number[];
  /**
   * Clip each estimate to [0, 1] (default `true`). BenchPred does not clip; a linear model
   * applied to a target unlike the sources can leave [0, 1], and an accuracy cannot.
   */
  clip?: boolean;
}

/** The model-level ridge of Random-Sampling-Learn: estimate = `intercept + coef · y`. */
export interface RandomLearnModel extends RidgeFit {
  /** The alpha chosen by exact LOO. */
  alpha: number;
  /** Mean LOO squared error per candidate alpha. */
  looMeanSquaredErrors: Float64Array;
}

/** Throw E_USAGE unless the budget is an integer in [1, n]. */
export function checkPeerBudget(method: string, budget: number, n: number): void {
  if (!(Number.isInteger(budget) && budget >= 1 && budget <= n)) {
    throw new TbError("E_USAGE", `${method}: budget ${budget} must be an integer in [1, ${n}]`);
  }
}

/** Throw E_USAGE unless `clip` is undefined or a boolean; return it with default `true`. */
export function checkClip(method: string, clip: unknown): boolean {
  if (clip === undefined) return true;
  if (typeof clip !== "boolean") throw new TbError("E_USAGE", `${method}: clip must be a boolean, got ${String(clip)}`);
  return clip;
}

/** `v` clipped to [0, 1]. */
export function clip01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** acc(s): the mean of each row. */
export function rowMeans(m: CorrectnessMatrix): Float64Array {
  const out = new Float64Array(m.rows);
  const d = m.data;
  for (let s = 0; s < m.rows; s++) {
    let t = 0;
    const o = s * m.cols;
    for (let j = 0; j < m.cols; j++) t += d[o + j] as number;
    out[s] = t / m.cols;
  }
  return out;
}

/** Throw E_USAGE unless `coreset` holds distinct example indices of `sources`. */
export function checkCoreset(fn: string, sources: CorrectnessMatrix, coreset: ArrayLike<number>): void {
  const seen = new Uint8Array(sources.cols);
  if (coreset.length < 1) throw new TbError("E_USAGE", `${fn}: the coreset is empty`);
  for (let a = 0; a < coreset.length; a++) {
    const j = coreset[a] as number;
    if (!(Number.isInteger(j) && j >= 0 && j < sources.cols)) {
      throw new TbError("E_USAGE", `${fn}: coreset index ${j} is not in [0, ${sources.cols})`);
    }
    if (seen[j] === 1) throw new TbError("E_USAGE", `${fn}: coreset index ${j} appears twice`);
    seen[j] = 1;
  }
}

/**
 * Fit Random-Sampling-Learn's model-level ridge (docs/PEERS-METHODS.md): one row per source `s`, features =
 * `S[s, coreset]`, label = acc(s) (the row mean over all n examples), alpha from `alphas` by exact
 * LOO (ties → the first). Needs ≥ 2 sources.
 */
export function randomLearnModel(
  sources: CorrectnessMatrix,
  coreset: ArrayLike<number>,
  alphas: readonly number[] = RANDOM_LEARN_ALPHAS,
): RandomLearnModel {
  checkCoreset("randomLearnModel", sources, coreset);
  checkAlphas(alphas, "randomLearnModel: alphas");
  const m = sources.rows;
  const n = sources.cols;
  const k = coreset.length;
  if (m < 2) {
    throw new TbError("E_DEGENERATE", `random-learn: leave-one-out alpha selection needs ≥ 2 sources, got ${m}`);
  }
  const X = new Float64Array(m * k);
  const d = sources.data;
  for (let s = 0; s < m; s++) {
    for (let a = 0; a < k; a++) X[s * k + a] = d[s * n + (coreset[a] as number)] as number;
  }
  const res = ridgeLoo(X, m, k, rowMeans(sources), alphas);
  return {
    coef: res.fit.coef,
    intercept: res.fit.intercept,
    alpha: res.alpha,
    looMeanSquaredErrors: res.meanSquaredErrors,
  };
}

/** `model.intercept + model.coef · y` (unclipped). */
export function applyRandomLearnModel(model: RidgeFit, y: ArrayLike<number>): number {
  if (y.length !== model.coef.length) {
    throw new TbError("E_USAGE", `random-learn: ${y.length} answers for a coreset of ${model.coef.length}`);
  }
  let v = model.intercept;
  for (let a = 0; a < y.length; a++) v += (model.coef[a] as number) * (y[a] as number);
  return v;
}

/**
 * Random-Sampling-Learn's estimate for one target (unclipped): {@link randomLearnModel} on
 * `coreset`, applied to the target's answers `y` on the coreset (in coreset order).
 */
export function randomLearnEstimate(
  sources: CorrectnessMatrix,
  coreset: ArrayLike<number>,
  y: ArrayLike<number>,
  alphas: readonly number[] = RANDOM_LEARN_ALPHAS,
): number {
  return applyRandomLearnModel(randomLearnModel(sources, coreset, alphas), y);
}

/**
 * Random-Sampling-Learn (BenchPred, docs/PEERS-METHODS.md): one uniform k-subset per trial shared by all
 * targets (`ctx.rng.child("random")`, the same draw as the `random` baseline), a model-level
 * ridge regression from the sources' answers on it to their accuracies (alpha from {0.1, 1, 10}
 * by exact LOO), applied to each target's answers. Estimates are clipped to [0, 1] unless
 * `clip: false` (BenchPred does not clip). Diagnostics: `alpha`, the chosen penalty. One round:
 * every target is asked the coreset at once (`start(ctx)`; `run(ctx)` drives it).
 */
export function randomLearn(options: RandomLearnOptions = {}): Required<EvaluationMethod> {
  checkOptionKeys(options, ["alphas", "clip"], "randomLearn");
  const alphas = options.alphas ?? RANDOM_LEARN_ALPHAS;
  checkAlphas(alphas, "random-learn: alphas");
  const frozen = Object.freeze([...alphas]);
  const clip = checkClip("random-learn", options.clip);
  return oneRoundMethod("random-learn", (ctx) => {
    const n = ctx.sources.cols;
    checkPeerBudget("random-learn", ctx.budget, n);
    const coreset = ctx.rng.child("random").sample(range(n), ctx.budget);
    const model = randomLearnModel(ctx.sources, coreset, frozen);
    return {
      examples: coreset,
      reason: "sample",
      result(answers): MethodResult {
        const estimates = new Float64Array(answers.length);
        answers.forEach((y, t) => {
          const v = applyRandomLearnModel(model, y);
          estimates[t] = clip ? clip01(v) : v;
        });
        return { estimates, diagnostics: { alpha: model.alpha } };
      },
    };
  });
}
