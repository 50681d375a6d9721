import { type CorrectnessMatrix, checkOptionKeys, normalQuantile, optionNames, TbError } from "@tb/core";
import { calibratedAccuracy, checkEstimateOptions, type EstimateOptions, nativeMean } from "./calibrate.js";
import { TAILORED_OPTION_NAMES } from "./tailored.js";

/** The parts of a tailored plan an interval needs (a `TailorPlan` has them). */
export interface ClusterPlan {
  /** Native sources, as source row indices. */
  natives: Int32Array;
  /** Medoid list (G-set first). */
  nset: Int32Array;
  /** Cluster slot of every example. */
  labels: Int32Array;
}

/**
 * Default multiplier of the standard error in {@link estimateInterval}. Chosen once on the GSM8K
 * meta split (single-target mode, N = 20, 30, 40, seeds 0–4): there 0.75 and 0.8 bring both the
 * 80 % and the 95 % intervals equally close to nominal (82.7 % / 94.8 % at 0.8), and 0.8 errs on
 * the wide side. The other matrices of `shared/data` were then measured with it out of sample
 * (`docs/results/intervals.md`, made by `research/coverage/coverage.ts`).
 */
export const DEFAULT_INTERVAL_SCALE = 0.8;

/** Options of {@link estimateInterval}. */
export interface IntervalOptions extends EstimateOptions {
  /** Nominal coverage in (0, 1); default 0.9. */
  level?: number;
  /** Multiplier of the standard error; default {@link DEFAULT_INTERVAL_SCALE}. */
  scale?: number;
}

/** An interval for a target's true score, with the parts it was derived from. */
export interface EstimateInterval {
  /** `[lower, upper]`, clipped to [0, 1]; `null` when the plan gives no spread at all (see below). */
  interval: [number, number] | null;
  /** Nominal coverage. */
  level: number;
  /** Multiplier applied to the standard error. */
  scale: number;
  /** The unscaled standard error `√(calibration² + sampling)`. */
  se: number;
  /** Root mean square of the native sources' leave-one-out errors ({@link nativeCalibrationErrors}). */
  calibrationRms: number;
  /** The medoid-sampling standard deviation `√V` ({@link clusterSamplingVariance}). */
  samplingSd: number;
  /** Signed leave-one-out errors `P̂_s − P_s` of the native sources, in `plan.natives` order. */
  errors: Float64Array;
}

/**
 * Leave-one-out calibration errors of a plan (used by {@link estimateInterval}; builds on
 * docs/METHOD.md §3 step 7). Each native source `s` of the plan is treated as a pseudo-target whose
 * true score is known: it "answers" the plan's N-set with its own row, and the same N-set,
 * clusters and calibration are applied, except that `m̄` is the mean of the *other* native
 * sources, `m̄₋ₛ(x) = (Σ_{r∈S_t} c[r][x] − c[s][x]) / (n̄ − 1)`, since a real target is never part
 * of its own native set. The result is `P̂_s − P_s` per native source, `P_s` being its true score
 * (`sources.trueScore`; argmax accuracy on probability benchmarks, so their systematic offset is
 * part of the error). Cost `O(n̄ · n)`; nothing is re-clustered.
 *
 * @param sources - The source matrix the plan was made for.
 * @param plan - Native sources, N-set (medoid list) and labels of one target.
 * @param options - Estimator options (`clip`, `estimator`), the same as for the target.
 * @returns One signed error per native source; empty with fewer than 2 native sources.
 */
export function nativeCalibrationErrors(
  sources: CorrectnessMatrix,
  plan: ClusterPlan,
  options: EstimateOptions = {},
): Float64Array {
  const q = plan.natives.length;
  const n = sources.cols;
  const K = plan.nset.length;
  if (q < 2) return new Float64Array(0);
  const sum = new Float64Array(n);
  const data = sources.data;
  for (let k = 0; k < q; k++) {
    const base = (plan.natives[k] as number) * n;
    for (let x = 0; x < n; x++) sum[x] = (sum[x] as number) + (data[base + x] as number);
  }
  checkPlanShape(plan, n, "nativeCalibrationErrors");
  const errors = new Float64Array(q);
  const half = new Float64Array(n);
  const answers = new Float64Array(K);
  const factor = new Float64Array(K);
  const clip = options.clip ?? "upper";
  const kind = options.estimator ?? "calibrated";
  for (let k = 0; k < q; k++) {
    const s = plan.natives[k] as number;
    const base = s * n;
    // m̄ without s, plus ½: the doubles estimateFromClusters forms from that mean
    for (let x = 0; x < n; x++) half[x] = ((sum[x] as number) - (data[base + x] as number)) / (q - 1) + 0.5;
    for (let j = 0; j < K; j++) answers[j] = data[base + (plan.nset[j] as number)] as number;
    const est = calibratedAccuracy(half, plan.nset, plan.labels, answers, clip, kind, factor);
    errors[k] = est - sources.trueScore(s);
  }
  return errors;
}

/**
 * Variance of the estimate that comes from observing each cluster through one medoid answer
 * (used by {@link estimateInterval}; docs/METHOD.md §3 step 7). The target's answer on medoid `μ` is
 * modelled as a draw with mean `m̄(μ)` (its native sources' mean on that very example), so its
 * variance is `m̄(μ)(1 − m̄(μ))` (the Bernoulli value, an upper bound for answers in [0,1]), zero
 * when the natives agree on it. The estimate is linear in each medoid answer (ignoring the clip),
 * with slope `A_μ / n`, `A_μ = Σ_{x∈C_μ} (m̄(x)+½)/(m̄(μ)+½)` for the calibrated estimator and
 * `A_μ = |C_μ|` for the medoid-weighted one. Treating the answers as independent:
 * `V = Σ_μ (A_μ / n)² · m̄(μ)(1 − m̄(μ))`.
 *
 * @param sources - The source matrix the plan was made for.
 * @param plan - Native sources, N-set and labels of one target.
 * @param options - `estimator` (the clip is ignored).
 * @returns `V`.
 */
export function clusterSamplingVariance(
  sources: CorrectnessMatrix,
  plan: ClusterPlan,
  options: EstimateOptions = {},
): number {
  const n = sources.cols;
  const K = plan.nset.length;
  const mBar = nativeMean(sources, plan.natives);
  const medoidWeighted = options.estimator === "medoid";
  const gain = new Float64Array(K);
  for (let x = 0; x < n; x++) {
    const c = plan.labels[x] as number;
    const mu = mBar[plan.nset[c] as number] as number;
    gain[c] = (gain[c] as number) + (medoidWeighted ? 1 : ((mBar[x] as number) + 0.5) / (mu + 0.5));
  }
  let v = 0;
  for (let c = 0; c < K; c++) {
    const p = mBar[plan.nset[c] as number] as number;
    const a = (gain[c] as number) / n;
    v += a * a * p * (1 - p);
  }
  return v;
}

/**
 * An interval for the target's true score around its calibrated estimate `accuracy`
 * (docs/METHOD.md §3 step 7), derived from the plan's own structure, with no random draw (the same
 * plan gives the same interval).
 *
 * Derivation. The estimate errs for two reasons, and both can be read off the plan:
 * 1. *Calibration*: the native sources' mean `m̄` may describe the target imperfectly. Each native
 *    source is used as a pseudo-target whose true score is known, leaving it out of `m̄`
 *    ({@link nativeCalibrationErrors}); the root mean square of those errors, `r`, measures this.
 * 2. *Medoid sampling*: each cluster is seen through one answer of the target. Its variance,
 *    propagated through the calibrated formula, is `V` ({@link clusterSamplingVariance}).
 *
 * The natives' own errors understate (1) for an outside model (the N-set was clustered on their
 * answers), and (2) overstates the noise where clusters are homogeneous, so the standard error
 * `se = √(r² + V)` is multiplied by one constant `scale` (default
 * {@link DEFAULT_INTERVAL_SCALE}), measured once on held-out targets. The interval is
 * `P̂ ± z_{(1+level)/2} · scale · se`, clipped to [0, 1], with `z` the standard normal quantile.
 * It is `null` only when `se = 0` (a single native source that agrees with every medoid), where no
 * spread can be derived.
 *
 * @param sources - The source matrix the plan was made for.
 * @param plan - Native sources, N-set and labels of the target.
 * @param accuracy - The target's estimate from {@link estimate} with the same options.
 * @param options - `level` (default 0.9), `scale`, and the estimator options of the estimate.
 * @returns The interval and the parts behind it.
 * @throws TbError `E_USAGE` for a level outside (0, 1) or a scale that is not positive and finite.
 * @example
 * ```ts
 * const { accuracy } = estimate(sources, plan, answers);
 * const { interval } = estimateInterval(sources, plan, accuracy, { level: 0.95 });
 * ```
 */
export function estimateInterval(
  sources: CorrectnessMatrix,
  plan: ClusterPlan,
  accuracy: number,
  options: IntervalOptions = {},
): EstimateInterval {
  // besides its own `scale`, the options of the estimate it goes with (one object can go to both)
  checkOptionKeys(options, INTERVAL_OPTION_NAMES, "estimateInterval");
  checkEstimateOptions(options, "estimateInterval");
  const level = options.level ?? 0.9;
  const scale = options.scale ?? DEFAULT_INTERVAL_SCALE;
  if (!(level > 0 && level < 1)) throw new TbError("E_USAGE", `interval level must be in (0, 1), got ${level}`);
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new TbError("E_USAGE", `interval scale must be a positive number, got ${scale}`);
  }
  if (!Number.isFinite(accuracy)) throw new TbError("E_USAGE", `estimateInterval: accuracy ${accuracy} is not finite`);
  const errors = nativeCalibrationErrors(sources, plan, options);
  let ss = 0;
  for (let k = 0; k < errors.length; k++) ss += (errors[k] as number) ** 2;
  const calibrationRms = errors.length > 0 ? Math.sqrt(ss / errors.length) : 0;
  const v = clusterSamplingVariance(sources, plan, options);
  const samplingSd = Math.sqrt(v);
  const se = Math.sqrt(calibrationRms * calibrationRms + v);
  const base = { level, scale, se, calibrationRms, samplingSd, errors };
  if (!(se > 0)) return { interval: null, ...base };
  const half = normalQuantile((1 + level) / 2) * scale * se;
  const lower = Math.min(1, Math.max(0, accuracy - half));
  const upper = Math.min(1, Math.max(0, accuracy + half));
  return { interval: [lower, upper], ...base };
}

/** Standard normal quantile `Φ⁻¹(p)` (lives in @tb/core with the other interval arithmetic). */
export { normalQuantile };

const INTERVAL_OPTION_NAMES = [
  ...TAILORED_OPTION_NAMES,
  ...optionNames<IntervalOptions>()("level", "scale", "clip", "estimator"),
];

/**
 * Leave-one-out errors `P̂_s − P_s` of the calibrated estimate for **every** source as a
 * pseudo-target on one target's plan: source s answers the plan's N-set with its own row, and the
 * natives' mean excludes s when s is a native ({@link nativeCalibrationErrors} does the natives
 * alone, whose errors understate an outside model's: the N-set was clustered on their answers).
 * Cost `O(S · n)`.
 */
export function sourceCalibrationErrors(
  sources: CorrectnessMatrix,
  plan: ClusterPlan,
  options: EstimateOptions = {},
): Float64Array {
  const S = sources.rows;
  const n = sources.cols;
  const K = plan.nset.length;
  const q = plan.natives.length;
  const data = sources.data;
  const sum = new Float64Array(n);
  const isNative = new Uint8Array(S);
  for (const s of plan.natives) {
    isNative[s] = 1;
    const base = s * n;
    for (let x = 0; x < n; x++) sum[x] = (sum[x] as number) + (data[base + x] as number);
  }
  checkPlanShape(plan, n, "sourceCalibrationErrors");
  // m̄ (without s for a native s), plus ½: the doubles estimateFromClusters forms from that mean
  const allHalf = Float64Array.from(sum, (v) => v / q + 0.5);
  const looHalf = new Float64Array(n);
  const answers = new Float64Array(K);
  const factor = new Float64Array(K);
  const errors = new Float64Array(S);
  const clip = options.clip ?? "upper";
  const kind = options.estimator ?? "calibrated";
  for (let s = 0; s < S; s++) {
    const base = s * n;
    let half = allHalf;
    if (isNative[s] === 1 && q > 1) {
      for (let x = 0; x < n; x++) looHalf[x] = ((sum[x] as number) - (data[base + x] as number)) / (q - 1) + 0.5;
      half = looHalf;
    }
    for (let j = 0; j < K; j++) answers[j] = data[base + (plan.nset[j] as number)] as number;
    errors[s] = calibratedAccuracy(half, plan.nset, plan.labels, answers, clip, kind, factor) - sources.trueScore(s);
  }
  return errors;
}

/** What estimateFromClusters checks of a plan, once per call instead of once per source. */
function checkPlanShape(plan: ClusterPlan, n: number, where: string): void {
  if (plan.labels.length !== n)
    throw new TbError("E_USAGE", `${where}: ${plan.labels.length} labels for ${n} examples`);
  const K = plan.nset.length;
  for (let x = 0; x < n; x++) {
    const s = plan.labels[x] as number;
    if (!(s >= 0 && s < K))
      throw new TbError("E_USAGE", `${where}: label ${s} of example ${x} is not a slot of the ${K} medoids`);
  }
}
