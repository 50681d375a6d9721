import { type CorrectnessMatrix, TbError } from "@tb/core";
import { type RidgeFit, ridgeLoo, ridgePredict } from "@tb/linear";
import { estimateFromClusters, nativeMean } from "../calibrate.js";
import { sourceCalibrationErrors } from "../interval.js";

/**
 * The "within" half of tailored-plus: on the tailored coreset (G-set + N-set medoids), a blend of
 * a learned estimate and TailoredBench's calibrated one, the blend weight and the interval both
 * chosen from the sources' own leave-one-out errors.
 */

/** Candidate blend weights λ of the learned estimate (1 − λ goes to the calibrated one). */
export const BLEND_GRID: readonly number[] = Object.freeze([1, 0.75, 0.5, 0.25, 0]);

/** Result of {@link learnedEstimate}. */
export interface LearnedEstimate {
  /** Blended estimate, clipped to [0, 1]. */
  accuracy: number;
  /** The learned (ridge) estimate alone, unclipped. */
  learned: number;
  /** The calibrated estimate alone. */
  calibrated: number;
  /** Weight λ of the learned estimate. */
  blend: number;
  /** Ridge penalty chosen by leave-one-out. */
  alpha: number;
  /** Signed leave-one-out errors (estimate − truth) of the blend on every source, source order. */
  errors: Float64Array;
}

/**
 * Learned + calibrated estimate of one target on its tailored coreset.
 *
 * - *Learned*: ridge regression over the sources (one row per source, features = its answers on
 *   the coreset, label = its accuracy), penalty from `alphas` by exact leave-one-out error,
 *   applied to the target's answers — Random-Sampling-Learn's model, fitted on the tailored
 *   coreset instead of a random one.
 * - *Calibrated*: TailoredBench's estimate `ĉ(x) = (m̄(x)+½)(c_t(μ)+½)/(m̄(μ)+½) − ½` (clipped
 *   above at 1), `m̄` the native sources' mean.
 * - *Blend*: `λ·learned + (1−λ)·calibrated` with λ from {@link BLEND_GRID} minimising the mean
 *   absolute leave-one-out error over the sources: source s answers the coreset with its own row,
 *   the ridge is its exact LOO prediction, and the calibrated estimate uses the native mean
 *   without s. Ties go to the larger λ.
 *
 * @param acc the sources' true scores
 * @param nset the coreset (medoid list: G-set, then the added medoids)
 * @param labels cluster slot of every example
 * @param answers the target's answers on `nset`
 */
export function learnedEstimate(
  sources: CorrectnessMatrix,
  acc: Float64Array,
  natives: Int32Array,
  nset: Int32Array,
  labels: Int32Array,
  answers: ArrayLike<number>,
  alphas: readonly number[],
): LearnedEstimate {
  const S = sources.rows;
  const K = nset.length;
  if (answers.length !== K)
    throw new TbError("E_USAGE", `learned estimate: ${answers.length} answers for ${K} examples`);
  if (S < 3) throw new TbError("E_DEGENERATE", `tailored-plus needs at least 3 source models, got ${S}`);
  const loo = sourceRidge(sources, acc, nset, alphas);
  const learned = ridgePredict(loo.fit, answers);
  const errL = loo.errors;
  // Calibrated estimate, and its leave-one-out error for every source as a pseudo-target.
  const calibrated = estimateFromClusters(nativeMean(sources, natives), nset, labels, answers).accuracy;
  const errC = sourceCalibrationErrors(sources, { natives, nset, labels });
  let best = Infinity;
  let blend = 1;
  for (const lam of BLEND_GRID) {
    let e = 0;
    for (let s = 0; s < S; s++) e += Math.abs(lam * (errL[s] as number) + (1 - lam) * (errC[s] as number));
    if (e < best - 1e-12) {
      best = e;
      blend = lam;
    }
  }
  const errors = Float64Array.from(errL, (e, s) => blend * e + (1 - blend) * (errC[s] as number));
  const est = blend * learned + (1 - blend) * calibrated;
  return {
    accuracy: Math.min(1, Math.max(0, est)),
    learned,
    calibrated,
    blend,
    alpha: loo.alpha,
    errors,
  };
}

/** The sources' answers on `cols`, one row per source (S × cols.length, row-major). */
function sourceRows(sources: CorrectnessMatrix, cols: ArrayLike<number>): Float64Array {
  const S = sources.rows;
  const n = sources.cols;
  const K = cols.length;
  const d = sources.data;
  const X = new Float64Array(S * K);
  for (let s = 0; s < S; s++) {
    const base = s * n;
    for (let j = 0; j < K; j++) X[s * K + j] = d[base + (cols[j] as number)] as number;
  }
  return X;
}

/**
 * The learned model on any examples, with what its interval needs: a ridge over the sources (one
 * row per source, features = its answers on `cols`, label = `acc`; unpenalised intercept; α from
 * `alphas` by exact leave-one-out), and each source's signed leave-one-out error (prediction −
 * truth; the LOO residual has the sign of the in-sample one). Shared by tailored-plus's learned
 * estimate and the paired comparison's learned difference.
 */
export function sourceRidge(
  sources: CorrectnessMatrix,
  acc: Float64Array,
  cols: ArrayLike<number>,
  alphas: readonly number[],
): { fit: RidgeFit; alpha: number; errors: Float64Array } {
  const S = sources.rows;
  const K = cols.length;
  const X = sourceRows(sources, cols);
  const loo = ridgeLoo(X, S, K, acc, alphas);
  const sq = loo.squaredErrors[loo.alphaIndex] as Float64Array;
  const errors = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const r = (acc[s] as number) - ridgePredict(loo.fit, X.subarray(s * K, (s + 1) * K));
    errors[s] = -Math.sign(r) * Math.sqrt(sq[s] as number);
  }
  return { fit: loo.fit, alpha: loo.alpha, errors };
}

/**
 * Random-Sampling-Learn's model on any coreset: ridge over the sources (features = their answers
 * on `cols`, label = accuracy; α from `alphas` by exact leave-one-out), applied to `answers`.
 * Unclipped.
 */
export function ridgeLearn(
  sources: CorrectnessMatrix,
  acc: Float64Array,
  cols: ArrayLike<number>,
  answers: ArrayLike<number>,
  alphas: readonly number[],
): number {
  return ridgePredict(ridgeLoo(sourceRows(sources, cols), sources.rows, cols.length, acc, alphas).fit, answers);
}

/**
 * Split-conformal half-width from signed leave-one-out errors: the `⌈(m+1)·level⌉`-th smallest
 * absolute error of the `m` sources (Vovk et al.; the jackknife interval of Barber et al. 2021),
 * `Infinity` when `m` is too small for the level.
 */
export function conformalHalfWidth(errors: Float64Array, level: number): number {
  const m = errors.length;
  const k = Math.ceil((m + 1) * level);
  if (k > m) return Number.POSITIVE_INFINITY;
  const abs = Float64Array.from(errors, Math.abs).sort();
  return abs[k - 1] as number;
}
