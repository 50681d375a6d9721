import { type CorrectnessMatrix, TbError } from "@tb/core";

/** Which side of the calibrated per-example estimate is clipped (docs/METHOD.md §3 step 7). */
export type ClipMode = "upper" | "both" | "none";
/** `"calibrated"` (default, paper Eq. 9) or the non-calibrated medoid-weighted estimate. */
export type EstimatorKind = "calibrated" | "medoid";

/** Options of {@link estimateFromClusters}. */
export interface EstimateOptions {
  /** Default `"upper"`: `min(1, ·)` only, negative values kept (the reference). */
  clip?: ClipMode;
  /** Default `"calibrated"`. */
  estimator?: EstimatorKind;
}

/**
 * Mean raw correctness of the given source rows per example, `m̄(x)` (docs/METHOD.md §3 step 7).
 * Raw, never standardised.
 */
/**
 * The estimator options' values, in the terms of the function called (`where`): `clip` and
 * `estimator` among their values, and no `clip` with the medoid estimator, which never reads it.
 * Internal.
 */
export function checkEstimateOptions(o: EstimateOptions, where: string): void {
  if (o.clip !== undefined && !["upper", "both", "none"].includes(o.clip)) {
    throw new TbError(
      "E_USAGE",
      `${where}: clip must be one of "upper", "both", "none", got ${JSON.stringify(o.clip)}`,
    );
  }
  if (o.estimator !== undefined && !["calibrated", "medoid"].includes(o.estimator)) {
    throw new TbError(
      "E_USAGE",
      `${where}: estimator must be one of "calibrated", "medoid", got ${JSON.stringify(o.estimator)}`,
    );
  }
  if (o.estimator === "medoid" && o.clip !== undefined) {
    throw new TbError(
      "E_USAGE",
      `${where}: clip applies to the calibrated estimator; estimator "medoid" (each cluster takes its medoid's answer) never reads it: leave it out`,
    );
  }
}

export function nativeMean(sources: CorrectnessMatrix, natives: ArrayLike<number>): Float64Array {
  const n = sources.cols;
  const out = new Float64Array(n);
  const data = sources.data;
  for (let k = 0; k < natives.length; k++) {
    const base = (natives[k] as number) * n;
    for (let x = 0; x < n; x++) out[x] = (out[x] as number) + (data[base + x] as number);
  }
  const q = natives.length;
  for (let x = 0; x < n; x++) out[x] = (out[x] as number) / q;
  return out;
}

/**
 * Per-example calibrated estimates and their mean (docs/METHOD.md §3 step 7, paper Eq. 9):
 * `ĉ(x) = (m̄(x) + ½)(c_t(μ) + ½)/(m̄(μ) + ½) − ½` for every member `x` of the cluster of medoid
 * `μ`, clipped per `clip`; `P̂ = mean_x ĉ(x)`. The `"medoid"` estimator is
 * `Σ_μ |C_μ|/n · c_t(μ)`.
 *
 * @param mBar native mean per example (length n)
 * @param medoids medoid example index per slot
 * @param labels slot per example (length n)
 * @param answers the target's correctness on each medoid, per slot
 */
export function estimateFromClusters(
  mBar: Float64Array,
  medoids: ArrayLike<number>,
  labels: Int32Array,
  answers: ArrayLike<number>,
  options: EstimateOptions = {},
): { accuracy: number; perExample: Float64Array } {
  const n = mBar.length;
  const K = medoids.length;
  if (labels.length !== n) throw new TbError("E_USAGE", `estimate: ${labels.length} labels for ${n} examples`);
  if (answers.length !== K) throw new TbError("E_USAGE", `estimate: ${answers.length} answers for ${K} medoids`);
  for (let s = 0; s < K; s++) {
    const a = answers[s] as number;
    if (!(a >= 0 && a <= 1)) throw new TbError("E_INPUT", `estimate: answer ${a} for medoid slot ${s} is not in [0,1]`);
  }
  const clip = options.clip ?? "upper";
  const perExample = new Float64Array(n);
  if ((options.estimator ?? "calibrated") === "medoid") {
    for (let x = 0; x < n; x++) perExample[x] = answers[labels[x] as number] as number;
  } else {
    const factor = new Float64Array(K);
    for (let s = 0; s < K; s++) {
      factor[s] = ((answers[s] as number) + 0.5) / ((mBar[medoids[s] as number] as number) + 0.5);
    }
    for (let x = 0; x < n; x++) {
      const s = labels[x] as number;
      let v = ((mBar[x] as number) + 0.5) * (factor[s] as number) - 0.5;
      if (clip !== "none" && v > 1) v = 1;
      if (clip === "both" && v < 0) v = 0;
      perExample[x] = v;
    }
  }
  let sum = 0;
  for (let x = 0; x < n; x++) sum += perExample[x] as number;
  return { accuracy: sum / n, perExample };
}

/**
 * The `accuracy` of {@link estimateFromClusters}, bit for bit (the same operations in the same
 * order), without building the per-example estimates: for callers that need only the mean, many
 * times over (the sources' leave-one-out errors of an interval, `O(S · n)` per target). `half[x]`
 * is `m̄(x) + ½` (the same double {@link estimateFromClusters} forms); `factor` is scratch of
 * length ≥ the number of medoids. No checks: internal.
 */
export function calibratedAccuracy(
  half: Float64Array,
  medoids: ArrayLike<number>,
  labels: Int32Array,
  answers: ArrayLike<number>,
  clip: ClipMode,
  estimator: EstimatorKind,
  factor: Float64Array,
): number {
  const n = half.length;
  const K = medoids.length;
  let sum = 0;
  if (estimator === "medoid") {
    for (let x = 0; x < n; x++) sum += answers[labels[x] as number] as number;
    return sum / n;
  }
  for (let s = 0; s < K; s++) factor[s] = ((answers[s] as number) + 0.5) / (half[medoids[s] as number] as number);
  if (clip === "none") {
    for (let x = 0; x < n; x++) sum += (half[x] as number) * (factor[labels[x] as number] as number) - 0.5;
  } else if (clip === "both") {
    for (let x = 0; x < n; x++) {
      const v = (half[x] as number) * (factor[labels[x] as number] as number) - 0.5;
      sum += v > 1 ? 1 : Math.max(v, 0);
    }
  } else {
    // "upper", as estimateFromClusters treats every clip but "none" and "both"
    for (let x = 0; x < n; x++) {
      const v = (half[x] as number) * (factor[labels[x] as number] as number) - 0.5;
      sum += Math.min(v, 1);
    }
  }
  return sum / n;
}
