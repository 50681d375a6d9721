import {
  type CorrectnessMatrix,
  checkOptionKeys,
  type EvaluationMethod,
  type MethodResult,
  range,
  TbError,
} from "@tb/core";
import { checkAlpha, RidgeWorkspace } from "@tb/linear";
import { oneRoundMethod } from "./one-round.js";
import { checkClip, checkCoreset, checkPeerBudget, clip01 } from "./random-learn.js";

/** Options of {@link aipw}. */
export interface AipwOptions {
  /** Ridge penalty of the per-target example-level regression (default 10, BenchPred's). */
  alpha?: number;
  /** Clip each estimate to [0, 1] (default `true`; BenchPred does not clip). */
  clip?: boolean;
}

/** What AIPW needs from the sources for one coreset, shared by all targets. */
interface AipwDesign {
  k: number;
  /** Number of sources (features). */
  m: number;
  /** Column-major k × m design: feature s of coreset example a is `xcm[s·k + a]` = S[s, coreset[a]]. */
  xcm: Float64Array;
  /** meanRest[s] = mean of S[s, j] over the examples j outside the coreset (empty when k = n). */
  meanRest: Float64Array;
  /** |R| = n − k. */
  rest: number;
}

function aipwDesign(sources: CorrectnessMatrix, coreset: ArrayLike<number>): AipwDesign {
  const m = sources.rows;
  const n = sources.cols;
  const k = coreset.length;
  const rest = n - k;
  const d = sources.data;
  const xcm = new Float64Array(m * k);
  const meanRest = new Float64Array(m);
  for (let s = 0; s < m; s++) {
    const o = s * n;
    let total = 0;
    for (let j = 0; j < n; j++) total += d[o + j] as number;
    let inCore = 0;
    for (let a = 0; a < k; a++) {
      const v = d[o + (coreset[a] as number)] as number;
      xcm[s * k + a] = v;
      inCore += v;
    }
    meanRest[s] = rest > 0 ? (total - inCore) / rest : 0;
  }
  return { k, m, xcm, meanRest, rest };
}

function aipwFromDesign(design: AipwDesign, y: ArrayLike<number>, alpha: number, ws: RidgeWorkspace): number {
  const { k, m, xcm, meanRest, rest } = design;
  if (y.length !== k) throw new TbError("E_USAGE", `aipw: ${y.length} answers for a coreset of ${k}`);
  let ySum = 0;
  for (let a = 0; a < k; a++) ySum += y[a] as number;
  // k = n: nothing is left to predict, and the published formula would divide by |R| = 0.
  // We define the estimate as the plain mean of the (complete) answers.
  if (rest === 0) return ySum / k;
  ws.solve(xcm, k, m, null, y, [alpha], false);
  const w = ws.coef;
  const b = ws.intercept;
  // ŷ_c for every coreset example, residual mean mean(y − ŷ_c).
  let resid = 0;
  for (let a = 0; a < k; a++) {
    let yhat = b;
    for (let s = 0; s < m; s++) yhat += (w[s] as number) * (xcm[s * k + a] as number);
    resid += (y[a] as number) - yhat;
  }
  resid /= k;
  // mean(ŷ_R) = b + Σ_s w_s · mean_{j∈R} S[s, j] (the model is linear, so the mean of the
  // predictions is the prediction at the mean column).
  let meanPredRest = b;
  for (let s = 0; s < m; s++) meanPredRest += (w[s] as number) * (meanRest[s] as number);
  // The published AIPW formula, kept exactly: mean(y − ŷ_c) / (1 + k/|R|) + mean(ŷ_R).
  // Note: ŷ_c is the in-sample fit of a ridge with an unpenalised intercept, whose residuals sum
  // to zero, so the correction term is 0 up to rounding and the estimate is in effect mean(ŷ_R),
  // the model's mean prediction over the examples outside the coreset.
  return resid / (1 + k / rest) + meanPredRest;
}

/**
 * AIPW's estimate for one target (unclipped), docs/PEERS-METHODS.md: ridge (penalty `alpha`, unpenalised
 * intercept) at the example level — one row per coreset example, features = that example's
 * column of S (all sources' answers), label = the target's answer `y[a]` on `coreset[a]` — then
 * `mean(y − ŷ_c) / (1 + k/|R|) + mean(ŷ_R)` with R the n − k examples outside the coreset.
 * When k = n (R empty) the estimate is defined as `mean(y)`.
 */
export function aipwEstimate(
  sources: CorrectnessMatrix,
  coreset: ArrayLike<number>,
  y: ArrayLike<number>,
  alpha = 10,
): number {
  checkCoreset("aipwEstimate", sources, coreset);
  checkAlpha(alpha, "aipwEstimate: alpha");
  for (let a = 0; a < y.length; a++) {
    if (!Number.isFinite(y[a] as number)) throw new TbError("E_USAGE", `aipwEstimate: y[${a}] is not finite`);
  }
  return aipwFromDesign(aipwDesign(sources, coreset), y, alpha, new RidgeWorkspace());
}

/**
 * AIPW (BenchPred, docs/PEERS-METHODS.md): the coreset is one uniform k-subset per trial shared by all targets
 * (`ctx.rng.child("random")`, as the `random` baseline); per target, {@link aipwEstimate} with
 * alpha = 10. Estimates are clipped to [0, 1] unless `clip: false` (BenchPred does not clip).
 * When the budget equals n the estimate is the target's plain mean. Diagnostics: `alpha`.
 * One round: every target is asked the coreset at once (`start(ctx)`; `run(ctx)` drives it).
 */
export function aipw(options: AipwOptions = {}): Required<EvaluationMethod> {
  checkOptionKeys(options, ["alpha", "clip"], "aipw");
  const alpha = options.alpha ?? 10;
  checkAlpha(alpha, "aipw: alpha");
  const clip = checkClip("aipw", options.clip);
  return oneRoundMethod("aipw", (ctx) => {
    const n = ctx.sources.cols;
    checkPeerBudget("aipw", ctx.budget, n);
    const coreset = ctx.rng.child("random").sample(range(n), ctx.budget);
    const design = aipwDesign(ctx.sources, coreset);
    return {
      examples: coreset,
      reason: "sample",
      result(answers): MethodResult {
        const ws = new RidgeWorkspace();
        const estimates = new Float64Array(answers.length);
        answers.forEach((y, t) => {
          const v = aipwFromDesign(design, y, alpha, ws);
          estimates[t] = clip ? clip01(v) : v;
        });
        return { estimates, diagnostics: { alpha } };
      },
    };
  });
}
