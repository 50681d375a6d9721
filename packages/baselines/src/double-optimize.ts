import {
  checkOptionKeys,
  type EvaluationMethod,
  type MethodResult,
  optionNames,
  RandomStream,
  range,
  type Seed,
  TbError,
} from "@tb/core";
import { oneRoundMethod } from "./one-round.js";

/**
 * Projection onto `{p ∈ [0,1]ⁿ : Σp = k}` as BenchPred does it: find the shift λ with
 * `Σ_j clip(p_j − λ, 0, 1) = k` by bisection and set `p ← clip(p − λ, 0, 1)` (in place). The sum is
 * decreasing in λ; the bracket `[min p − 1, max p]` is halved until it stops shrinking (machine
 * precision), so `Σp = k` up to rounding. Returns λ.
 */
export function projectCappedSimplex(p: Float64Array, k: number): number {
  const n = p.length;
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
    throw new TbError("E_USAGE", `projectCappedSimplex: k must be an integer in [0, ${n}], got ${k}`);
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < n; j++) {
    const v = p[j] as number;
    if (!Number.isFinite(v)) throw new TbError("E_USAGE", `projectCappedSimplex: p[${j}] is not finite`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  lo -= 1; // every entry clipped to 1: sum n ≥ k
  // at hi every entry is clipped to 0: sum 0 ≤ k
  const total = (lambda: number): number => {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const v = (p[j] as number) - lambda;
      s += v <= 0 ? 0 : Math.min(v, 1);
    }
    return s;
  };
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) break;
    if (total(mid) > k) lo = mid;
    else hi = mid;
  }
  // Of the two ends, take the one whose sum is closer to k.
  const lambda = Math.abs(total(lo) - k) <= Math.abs(total(hi) - k) ? lo : hi;
  for (let j = 0; j < n; j++) {
    const v = (p[j] as number) - lambda;
    p[j] = v <= 0 ? 0 : Math.min(v, 1);
  }
  return lambda;
}

/**
 * Indices of the `k` largest entries of `p` (the smaller index first on ties), in increasing index
 * order.
 */
export function topK(p: ArrayLike<number>, k: number): Int32Array {
  const order = Int32Array.from(range(p.length)).sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
  return order.slice(0, k).sort();
}

/** Options of {@link doubleOptimizeFit} and the Double-Optimize method. */
export interface DoubleOptimizeOptions {
  /** Most optimisation steps. Default 1000. */
  steps?: number;
  /** Stop after this many steps without a better validation MSE. Default 100. */
  patience?: number;
  /** Adam learning rate of the weights w. Default 0.1. */
  lrWeights?: number;
  /** Adam learning rate of the soft selection p. Default 0.001. */
  lrSelection?: number;
  /** Weight decay (torch Adam's: `λ·param` added to the gradient of w and of p). Default 1e-4. */
  weightDecay?: number;
  /** Share of sources held out for validation. Default 0.2. */
  validationFraction?: number;
  /** Standard deviation of the Gaussian noise added to the uniform initial p = k/n. Default 1e-3. */
  initNoise?: number;
}

/** Result of {@link doubleOptimizeFit}. */
export interface DoubleOptimizeFit {
  /** The kept soft selection and weights (the state with the best validation MSE). */
  p: Float64Array;
  w: Float64Array;
  /** Top-k of the kept p, increasing index order. */
  coreset: Int32Array;
  /** Best validation MSE and the step (1-based) it was reached at. */
  bestValidationMse: number;
  bestStep: number;
  /** Validation MSE of the initial state (before any step). */
  initialValidationMse: number;
  /** Steps performed. */
  steps: number;
  /** Row indices used for training and for validation. */
  train: Int32Array;
  validation: Int32Array;
}

interface CheckedOptions {
  steps: number;
  patience: number;
  lrW: number;
  lrP: number;
  wd: number;
  valFrac: number;
  noise: number;
}

const DOUBLE_OPTIMIZE_FIT_OPTION_NAMES = optionNames<DoubleOptimizeOptions>()(
  "steps",
  "patience",
  "lrWeights",
  "lrSelection",
  "weightDecay",
  "validationFraction",
  "initNoise",
);

function checkOptions(o: DoubleOptimizeOptions): CheckedOptions {
  const int = (v: number, name: string): number => {
    if (!(Number.isInteger(v) && v >= 1)) {
      throw new TbError("E_USAGE", `double-optimize: ${name} must be a positive integer, got ${v}`);
    }
    return v;
  };
  const nonneg = (v: number, name: string, positive = false): number => {
    if (!(Number.isFinite(v) && (positive ? v > 0 : v >= 0))) {
      throw new TbError(
        "E_USAGE",
        `double-optimize: ${name} must be a ${positive ? "positive" : "non-negative"} number, got ${v}`,
      );
    }
    return v;
  };
  const valFrac = o.validationFraction ?? 0.2;
  if (!(Number.isFinite(valFrac) && valFrac > 0 && valFrac < 1)) {
    throw new TbError("E_USAGE", `double-optimize: validationFraction must be in (0, 1), got ${valFrac}`);
  }
  return {
    steps: int(o.steps ?? 1000, "steps"),
    patience: int(o.patience ?? 100, "patience"),
    lrW: nonneg(o.lrWeights ?? 0.1, "lrWeights", true),
    lrP: nonneg(o.lrSelection ?? 0.001, "lrSelection", true),
    wd: nonneg(o.weightDecay ?? 1e-4, "weightDecay"),
    valFrac,
    noise: nonneg(o.initNoise ?? 1e-3, "initNoise"),
  };
}

/** Sort `order` by (p descending, index ascending); insertion sort, fast when nearly sorted. */
function resort(order: Int32Array, p: Float64Array): void {
  for (let i = 1; i < order.length; i++) {
    const x = order[i] as number;
    const px = p[x] as number;
    let j = i - 1;
    while (j >= 0) {
      const y = order[j] as number;
      const py = p[y] as number;
      if (py > px || (py === px && y < x)) break;
      order[j + 1] = y;
      j--;
    }
    order[j + 1] = x;
  }
}

/**
 * Double-Optimize (BenchPred, docs/PEERS-METHODS.md) on a `rows × cols` matrix with one label per row: learn a
 * soft selection `p ∈ [0,1]ⁿ, Σp = k` and weights `w ∈ ℝⁿ` jointly. Each step takes the hard top-k of
 * p (ties → smaller index), predicts `label(s) ≈ Σ_{j ∈ top-k} w_j·X[s,j] / k`, and takes one Adam
 * step on the training MSE — torch semantics: β = (0.9, 0.999), ε = 1e-8, bias-corrected moments,
 * weight decay as L2 added to the gradient (`g + λ·param`, torch `Adam(weight_decay=λ)`, not AdamW),
 * for both w and p — with the straight-through gradient for p (the top-k mask's gradient goes to p:
 * `∂L/∂p_j = Σ_s g_s·w_j·X[s,j]/k` for every j; `∂L/∂w_j` is non-zero on the top-k only). After the
 * step p is projected back ({@link projectCappedSimplex}). The validation MSE of the new state decides
 * which state is kept (strictly better only); the loop stops after `patience` steps without
 * improvement or `steps` steps.
 *
 * Split: the rows are shuffled with `rng.child("split")`; the first `max(1, round(validationFraction
 * · rows))` (at most rows − 1) validate, the rest train (one row: it both trains and validates).
 * Initialisation (our choice; docs/PEERS-METHODS.md leaves it open): `w = 1` (the first prediction is the plain
 * mean over the initial top-k) and `p = k/n + initNoise·N(0,1)` from `rng.child("init")`, projected —
 * the noise makes the initial top-k a random k-subset.
 */
export function doubleOptimizeFit(
  values: Float64Array,
  rows: number,
  cols: number,
  labels: ArrayLike<number>,
  k: number,
  seed: Seed,
  options: DoubleOptimizeOptions = {},
): DoubleOptimizeFit {
  const rng = RandomStream.from(seed, "doubleOptimizeFit: rng");
  checkOptionKeys(options, DOUBLE_OPTIMIZE_FIT_OPTION_NAMES, "doubleOptimizeFit");
  const o = checkOptions(options);
  const n = cols;
  if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(n) && n >= 1) || values.length !== rows * n) {
    throw new TbError("E_USAGE", `double-optimize: ${values.length} values for ${rows} × ${cols}`);
  }
  if (labels.length !== rows) throw new TbError("E_USAGE", `double-optimize: ${labels.length} labels for ${rows} rows`);
  if (!(Number.isInteger(k) && k >= 1 && k <= n)) {
    throw new TbError("E_USAGE", `double-optimize: k must be an integer in [1, ${n}], got ${k}`);
  }
  const perm = rng.child("split").shuffle(range(rows));
  let validation: Int32Array;
  let train: Int32Array;
  if (rows === 1) {
    validation = perm.slice();
    train = perm.slice();
  } else {
    const nv = Math.min(rows - 1, Math.max(1, Math.round(o.valFrac * rows)));
    validation = perm.slice(0, nv);
    train = perm.slice(nv);
  }
  const init = rng.child("init");
  const p = new Float64Array(n);
  for (let j = 0; j < n; j++) p[j] = k / n + o.noise * init.nextNormal();
  projectCappedSimplex(p, k);
  const w = new Float64Array(n).fill(1);
  const order = Int32Array.from(range(n));
  resort(order, p);

  const pred = new Float64Array(rows);
  const g = new Float64Array(rows);
  const u = new Float64Array(n);
  const mW = new Float64Array(n);
  const vW = new Float64Array(n);
  const mP = new Float64Array(n);
  const vP = new Float64Array(n);
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;

  const predict = (rowsIdx: Int32Array): void => {
    for (const s of rowsIdx) {
      const o2 = s * n;
      let e = 0;
      for (let t = 0; t < k; t++) {
        const j = order[t] as number;
        e += (w[j] as number) * (values[o2 + j] as number);
      }
      pred[s] = e / k;
    }
  };
  const mse = (rowsIdx: Int32Array): number => {
    predict(rowsIdx);
    let e = 0;
    for (const s of rowsIdx) e += ((pred[s] as number) - (labels[s] as number)) ** 2;
    return e / rowsIdx.length;
  };

  const initialValidationMse = mse(validation);
  let best = Number.POSITIVE_INFINITY;
  let bestStep = 0;
  const bestP = Float64Array.from(p);
  const bestW = Float64Array.from(w);
  let since = 0;
  let step = 0;
  const inTop = new Uint8Array(n);
  while (step < o.steps) {
    step++;
    // Forward on the training rows with the hard top-k.
    predict(train);
    const scale = 2 / train.length;
    for (const s of train) g[s] = scale * ((pred[s] as number) - (labels[s] as number));
    // u_j = Σ_s g_s·X[s,j] / k over the training rows.
    u.fill(0);
    for (const s of train) {
      const gs = (g[s] as number) / k;
      if (gs === 0) continue;
      const o2 = s * n;
      for (let j = 0; j < n; j++) u[j] = (u[j] as number) + gs * (values[o2 + j] as number);
    }
    inTop.fill(0);
    for (let t = 0; t < k; t++) inTop[order[t] as number] = 1;
    const bc1 = 1 - b1 ** step;
    const bc2 = 1 - b2 ** step;
    const sW = o.lrW / bc1;
    const sP = o.lrP / bc1;
    const r2 = Math.sqrt(bc2);
    for (let j = 0; j < n; j++) {
      const uj = u[j] as number;
      const wj = w[j] as number;
      const pj = p[j] as number;
      const gw = (inTop[j] === 1 ? uj : 0) + o.wd * wj;
      const gp = wj * uj + o.wd * pj;
      const mw = b1 * (mW[j] as number) + (1 - b1) * gw;
      const vw = b2 * (vW[j] as number) + (1 - b2) * gw * gw;
      const mp = b1 * (mP[j] as number) + (1 - b1) * gp;
      const vp = b2 * (vP[j] as number) + (1 - b2) * gp * gp;
      mW[j] = mw;
      vW[j] = vw;
      mP[j] = mp;
      vP[j] = vp;
      w[j] = wj - (sW * mw) / (Math.sqrt(vw) / r2 + eps);
      p[j] = pj - (sP * mp) / (Math.sqrt(vp) / r2 + eps);
    }
    projectCappedSimplex(p, k);
    resort(order, p);
    const val = mse(validation);
    if (val < best) {
      best = val;
      bestStep = step;
      bestP.set(p);
      bestW.set(w);
      since = 0;
    } else if (++since >= o.patience) break;
  }
  return {
    p: bestP,
    w: bestW,
    coreset: topK(bestP, k),
    bestValidationMse: best,
    bestStep,
    initialValidationMse,
    steps: step,
    train,
    validation,
  };
}

/** Options of the Double-Optimize method. */
export interface DoubleOptimizeMethodOptions extends DoubleOptimizeOptions {
  /** Clip estimates to [0, 1]. Default true. */
  clip?: boolean;
}

/**
 * BenchPred's Double-Optimize (docs/PEERS-METHODS.md): {@link doubleOptimizeFit} once per run on the sources
 * (label = each source's accuracy, its row mean; `k = budget`, stream `ctx.rng.child("double-optimize")`);
 * the coreset is the top-k of the kept p (the same for every target), and a target's estimate is
 * `mean_{j ∈ coreset}(w_j·y_j)` = `Σ w_j·y_j / k`, clipped to [0, 1] unless `clip: false`.
 * Diagnostics: `steps`, `bestStep`, `validationMse`, `initialValidationMse`, `coreset`. One round:
 * the fit uses the sources alone, then every target is asked the coreset at once (`start(ctx)`;
 * `run(ctx)` drives it).
 */
export function doubleOptimize(options: DoubleOptimizeMethodOptions = {}): Required<EvaluationMethod> {
  checkOptionKeys(options, [...DOUBLE_OPTIMIZE_FIT_OPTION_NAMES, "clip"], "doubleOptimize");
  checkOptions(options);
  const clip = options.clip ?? true;
  // the fit's own options (clip is the method's)
  const { clip: _clip, ...fitOptions } = options;
  if (typeof clip !== "boolean") {
    throw new TbError("E_USAGE", `double-optimize: clip must be a boolean, got ${String(clip)}`);
  }
  return oneRoundMethod("double-optimize", (ctx) => {
    const { sources } = ctx;
    const n = sources.cols;
    const k = ctx.budget;
    if (!(Number.isInteger(k) && k >= 1 && k <= n)) {
      throw new TbError("E_USAGE", `double-optimize: budget ${k} must be an integer in [1, ${n}]`);
    }
    const S = sources.rows;
    const acc = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      const r = sources.row(s);
      let t = 0;
      for (let j = 0; j < n; j++) t += r[j] as number;
      acc[s] = t / n;
    }
    const fit = doubleOptimizeFit(sources.data, S, n, acc, k, ctx.rng.child("double-optimize"), fitOptions);
    return {
      examples: fit.coreset,
      reason: "coreset",
      result(answers): MethodResult {
        const estimates = new Float64Array(answers.length);
        answers.forEach((y, t) => {
          let e = 0;
          for (let i = 0; i < k; i++) e += (fit.w[fit.coreset[i] as number] as number) * (y[i] as number);
          e /= k;
          estimates[t] = clip ? Math.min(1, Math.max(0, e)) : e;
        });
        return {
          estimates,
          diagnostics: {
            steps: fit.steps,
            bestStep: fit.bestStep,
            validationMse: fit.bestValidationMse,
            initialValidationMse: fit.initialValidationMse,
            coreset: Array.from(fit.coreset),
          },
        };
      },
    };
  });
}
