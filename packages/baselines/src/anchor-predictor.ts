import { checkOptionKeys, type EvaluationMethod, type MethodResult, range, TbError } from "@tb/core";
import { fasterPam } from "@tb/kmedoids";
import { exampleCorrelation } from "./anchor-points.js";
import { oneRoundMethod } from "./one-round.js";

/** Per-example linear predictors from anchors ({@link anchorPredictorFit}). */
export interface AnchorPredictorFit {
  /** The anchors (example indices), in slot order. */
  readonly anchors: Int32Array;
  /** Per example: the slot of its anchor, −1 for the anchors themselves. */
  readonly slot: Int32Array;
  /** Per example: slope m and intercept b of `x ≈ m·anchor + b` (0 for anchors). */
  readonly slope: Float64Array;
  readonly intercept: Float64Array;
  /** Per example: residual sum of squares of the kept fit (0 for anchors). */
  readonly rss: Float64Array;
}

/**
 * For every non-anchor example x (a column of the `rows × cols` matrix) and every anchor a, the
 * least-squares line `X[:,x] ≈ m·X[:,a] + b` over the rows (`m = cov(x,a)/var(a)`, `b = x̄ − m·ā`; a
 * zero-variance anchor gives `m = 0, b = x̄`), and x keeps the anchor with the smallest residual sum
 * of squares (computed as `Σ_s (x_s − m·a_s − b)²`), the first anchor in slot order on ties.
 */
export function anchorPredictorFit(
  values: Float64Array,
  rows: number,
  cols: number,
  anchors: ArrayLike<number>,
): AnchorPredictorFit {
  if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(cols) && cols >= 1) || values.length !== rows * cols) {
    throw new TbError("E_USAGE", `anchor-predictor: ${values.length} values for ${rows} × ${cols}`);
  }
  const K = anchors.length;
  if (K < 1) throw new TbError("E_USAGE", "anchor-predictor: need at least one anchor");
  const n = cols;
  const slot = new Int32Array(n).fill(-2);
  const anc = new Int32Array(K);
  for (let r = 0; r < K; r++) {
    const a = anchors[r] as number;
    if (!(Number.isInteger(a) && a >= 0 && a < n)) {
      throw new TbError("E_USAGE", `anchor-predictor: anchor ${a} is not an example index in [0, ${n})`);
    }
    if (slot[a] === -1) throw new TbError("E_USAGE", `anchor-predictor: anchor ${a} is given twice`);
    slot[a] = -1;
    anc[r] = a;
  }
  // Columns, example-major, and their means.
  const col = new Float64Array(n * rows);
  const mean = new Float64Array(n);
  for (let s = 0; s < rows; s++) {
    for (let j = 0; j < n; j++) col[j * rows + s] = values[s * n + j] as number;
  }
  for (let j = 0; j < n; j++) {
    let m = 0;
    for (let s = 0; s < rows; s++) m += col[j * rows + s] as number;
    mean[j] = m / rows;
  }
  // Centred anchors and their sums of squares.
  const ac = new Float64Array(K * rows);
  const saa = new Float64Array(K);
  for (let r = 0; r < K; r++) {
    const a = anc[r] as number;
    const ma = mean[a] as number;
    let q = 0;
    for (let s = 0; s < rows; s++) {
      const v = (col[a * rows + s] as number) - ma;
      ac[r * rows + s] = v;
      q += v * v;
    }
    saa[r] = q;
  }
  const slope = new Float64Array(n);
  const intercept = new Float64Array(n);
  const rss = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    if (slot[x] === -1) continue;
    const xo = x * rows;
    const mx = mean[x] as number;
    let bestR = -1;
    let bestRss = Number.POSITIVE_INFINITY;
    let bestM = 0;
    let bestB = mx;
    for (let r = 0; r < K; r++) {
      const q = saa[r] as number;
      let m = 0;
      if (q > 0) {
        const ao = r * rows;
        let sxa = 0;
        for (let s = 0; s < rows; s++) sxa += ((col[xo + s] as number) - mx) * (ac[ao + s] as number);
        m = sxa / q;
      }
      const a = anc[r] as number;
      const b = mx - m * (mean[a] as number);
      const ao2 = a * rows;
      let e = 0;
      for (let s = 0; s < rows; s++) {
        const d = (col[xo + s] as number) - m * (col[ao2 + s] as number) - b;
        e += d * d;
      }
      if (e < bestRss) {
        bestRss = e;
        bestR = r;
        bestM = m;
        bestB = b;
      }
    }
    slot[x] = bestR;
    slope[x] = bestM;
    intercept[x] = bestB;
    rss[x] = bestRss;
  }
  return { anchors: anc, slot, slope, intercept, rss };
}

/**
 * The Anchor-Points-Predictor estimate from a target's answers `y` on the anchors (slot order): the
 * mean over the non-anchor examples x of `m_x·y_{anchor(x)} + b_x` (the anchors themselves are left
 * out, as published). When every example is an anchor there is nothing to predict and the estimate
 * is the mean of `y` (the exact accuracy).
 */
export function anchorPredictorEstimate(fit: AnchorPredictorFit, y: ArrayLike<number>): number {
  const K = fit.anchors.length;
  if (y.length !== K) throw new TbError("E_USAGE", `anchor-predictor: ${y.length} answers for ${K} anchors`);
  const { slot, slope, intercept } = fit;
  let s = 0;
  let cnt = 0;
  for (let x = 0; x < slot.length; x++) {
    const r = slot[x] as number;
    if (r < 0) continue;
    s += (slope[x] as number) * (y[r] as number) + (intercept[x] as number);
    cnt++;
  }
  if (cnt === 0) {
    let t = 0;
    for (let r = 0; r < K; r++) t += y[r] as number;
    return t / K;
  }
  return s / cnt;
}

/** Options of the Anchor-Points-Predictor method. */
export interface AnchorPredictorOptions {
  /** FasterPAM pass cap (default: `@tb/kmedoids`' 100). */
  maxPasses?: number;
  /** Clip estimates to [0, 1]. Default true. */
  clip?: boolean;
}

/**
 * BenchPred's Anchor-Points-Predictor (docs/PEERS-METHODS.md): K = budget anchors by FasterPAM (`@tb/kmedoids`,
 * random initial medoids from `ctx.rng.child("init")`, candidates in index order) on the distance
 * `1 − |ρ|` between example columns of the sources (ρ = Pearson correlation across sources; a
 * zero-variance example has ρ = 0 to every other, so distance 1); then {@link anchorPredictorFit} on
 * the sources and, per target, {@link anchorPredictorEstimate} from its answers on the anchors,
 * clipped to [0, 1] unless `clip: false`. One coreset (the anchors) for all targets.
 * Diagnostics: `cost`, `passes`, `swaps`, `anchors` (slot order), `zeroVariance`. One round: every
 * target is asked the anchors at once (`start(ctx)`; `run(ctx)` drives it).
 */
export function anchorPredictor(options: AnchorPredictorOptions = {}): Required<EvaluationMethod> {
  checkOptionKeys(options, ["maxPasses", "clip"], "anchorPredictor");
  const clip = options.clip ?? true;
  if (typeof clip !== "boolean") {
    throw new TbError("E_USAGE", `anchor-predictor: clip must be a boolean, got ${String(clip)}`);
  }
  if (options.maxPasses !== undefined && !(Number.isInteger(options.maxPasses) && options.maxPasses >= 0)) {
    throw new TbError(
      "E_USAGE",
      `anchor-predictor: maxPasses must be a non-negative integer, got ${options.maxPasses}`,
    );
  }
  return oneRoundMethod("anchor-predictor", (ctx) => {
    const { sources } = ctx;
    const n = sources.cols;
    const K = ctx.budget;
    if (!(Number.isInteger(K) && K >= 1 && K <= n)) {
      throw new TbError("E_USAGE", `anchor-predictor: budget ${K} must be an integer in [1, ${n}]`);
    }
    const corr = exampleCorrelation(sources.data, sources.rows, n);
    const dist = new Float64Array(n * n);
    for (let u = 0; u < n * n; u++) dist[u] = 1 - Math.abs(corr.rho[u] as number);
    for (let x = 0; x < n; x++) dist[x * n + x] = 0;
    const init = ctx.rng.child("init").sample(range(n), K);
    const res = fasterPam(dist, n, init, {
      ...(options.maxPasses !== undefined ? { maxPasses: options.maxPasses } : {}),
      ...(ctx.workspace !== undefined ? { workspace: ctx.workspace } : {}),
    });
    const fit = anchorPredictorFit(sources.data, sources.rows, n, res.medoids);
    return {
      examples: fit.anchors,
      reason: "anchors",
      result(answers): MethodResult {
        const estimates = new Float64Array(answers.length);
        answers.forEach((y, t) => {
          const e = anchorPredictorEstimate(fit, y);
          estimates[t] = clip ? Math.min(1, Math.max(0, e)) : e;
        });
        return {
          estimates,
          diagnostics: {
            cost: res.cost,
            passes: res.iterations,
            swaps: res.swaps,
            anchors: Array.from(fit.anchors),
            zeroVariance: corr.zeroVariance.length,
          },
        };
      },
    };
  });
}
