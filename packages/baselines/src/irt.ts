import { checkOptionKeys, optionNames, RandomStream, TbError } from "@tb/core";
import { bfgs } from "./bfgs.js";
import { irtKernel } from "./irt-kernel.js";

/**
 * Item parameters of a multidimensional 2PL IRT model (docs/METHOD.md §6.2): `a` is `items × dim`
 * (row-major), `b` has one difficulty per item.
 */
export interface IrtItems {
  readonly dim: number;
  readonly items: number;
  readonly a: Float64Array;
  readonly b: Float64Array;
}

/** A fitted IRT model (docs/METHOD.md §6.3): item parameters plus the abilities of the training models. */
export interface IrtFit extends IrtItems {
  readonly models: number;
  /** Abilities, `models × dim` row-major. */
  readonly theta: Float64Array;
  /** The loss at the returned (lowest-loss) snapshot. */
  readonly loss: number;
  /** Epoch whose parameters were returned (0 = the initial values, `epochsRun` = after the last step). */
  readonly bestEpoch: number;
  /** Adam steps taken: `epochs`, or fewer when the `stop` rule ended the fit. */
  readonly epochsRun: number;
  /** The loss of every evaluation, when `trace: true` (length `epochsRun + 1`). */
  readonly lossTrace?: Float64Array;
  readonly method: "map" | "vi";
}

/** Options of {@link fitIrt} (docs/METHOD.md §6.3). */
export interface FitIrtOptions {
  /** Latent dimension `d`. */
  dim: number;
  /** Full-batch Adam steps (default 2000). */
  epochs?: number;
  /** Adam learning rate (default 0.1). */
  lr?: number;
  /** Learning-rate decay factor per epoch (default 0.9999). */
  decay?: number;
  /** Seed of the initial values (and of the VI noise); default 42. */
  seed?: number;
  /**
   * `"map"` (default, [SPEC]): MAP under fixed N(0,1) priors on θ, a, b. `"vi"` ([OPT]): mean-field
   * Gaussian VI under the same priors, single-sample reparameterised ELBO; the guide locations
   * are returned.
   */
  method?: "map" | "vi";
  /** Standard deviation of the seeded N(0, s²) start (of the VI locations for `"vi"`); default 0.1. */
  initScale?: number;
  /** `"vi"` only: initial guide standard deviation (default 1, as py-irt's guide). */
  viInitScale?: number;
  /** Record the loss of every epoch in `lossTrace`. */
  trace?: boolean;
  /**
   * Early stopping ([OPT], off by default: the reference runs every epoch; MAP fits only — a VI
   * loss is one noisy sample per epoch). After evaluation `t ≥ window`, the fit ends when the
   * lowest loss so far fell by less than `tol · |lowest|` over the last `window` evaluations; the
   * lowest-loss parameters are returned as always. A fit that stops has the same parameters as one
   * run with `epochs = epochsRun` (the same steps, bit for bit). `window` must be below `epochs`.
   */
  stop?: IrtStop;
}

/** The stall rule of {@link FitIrtOptions.stop}. */
export interface IrtStop {
  /** Evaluations looked back over (an integer ≥ 1). */
  readonly window: number;
  /** Relative improvement of the lowest loss below which the fit ends (a number > 0). */
  readonly tol: number;
}

/**
 * A rule that could never end a fit, or one that would end it on noise, is refused: `window` below
 * `epochs`, and a MAP fit (`fitMethod`/`method` named by the caller's terms).
 */
export function checkStopFits(
  stop: IrtStop,
  epochs: number,
  method: "map" | "vi",
  what: string,
  methodName: string,
  epochsName: string,
): void {
  if (method === "vi") {
    throw new TbError(
      "E_USAGE",
      `${what} is for MAP fits (${methodName} "map"): a VI loss is one noisy sample per epoch, so a stall rule would stop on noise`,
    );
  }
  if (stop.window >= epochs) {
    throw new TbError(
      "E_USAGE",
      `${what}.window (${stop.window}) must be less than ${epochsName} (${epochs}), or the rule could never end a fit`,
    );
  }
}

/** Check a {@link IrtStop} (`what` names it in the message). */
export function checkIrtStop(stop: unknown, what: string): IrtStop {
  const o = stop as { window?: unknown; tol?: unknown } | null;
  if (o === null || typeof o !== "object" || Array.isArray(o)) {
    throw new TbError("E_USAGE", `${what} must be { window, tol }, got ${JSON.stringify(stop) ?? String(stop)}`);
  }
  for (const k of Object.keys(o)) {
    if (k !== "window" && k !== "tol")
      throw new TbError("E_USAGE", `${what}.${k} is not a setting (known: window, tol)`);
  }
  const { window, tol } = o;
  if (!(typeof window === "number" && Number.isSafeInteger(window) && window >= 1)) {
    throw new TbError("E_USAGE", `${what}.window must be an integer ≥ 1, got ${String(window)}`);
  }
  // tol = 0 would never stop a fit (the lowest loss cannot rise): refused rather than ignored
  if (!(typeof tol === "number" && tol > 0 && Number.isFinite(tol))) {
    throw new TbError("E_USAGE", `${what}.tol must be a finite number > 0, got ${String(tol)}`);
  }
  return { window, tol };
}

const LOG_EPS = 1e-10;

/** Logistic function, stable for large |z|. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Negative Bernoulli log-likelihood of `R` under the training logit `Σ_e (a_ke θ_je − b_k)`
 * (docs/METHOD.md §6.2, no clipping), for the packed parameter vector `w = [θ (M·d) | a (I·d) | b (I)]`.
 * Writes the gradient into `grad` (overwritten). One fused pass over `M × I × d`. The reference of
 * the WebAssembly pass (wasm/irt.wat) that {@link fitIrt} runs where it can: the same numbers, bit
 * for bit. Internal (exported for that test).
 */
export function dataLossGrad(
  w: Float64Array,
  R: Uint8Array,
  M: number,
  I: number,
  d: number,
  grad: Float64Array,
): number {
  grad.fill(0);
  const aBase = M * d;
  const bBase = aBase + I * d;
  let loss = 0;
  // −[y ln σ(z) + (1−y) ln(1−σ(z))] = softplus(z) − y z = max(z,0) − y z + ln(1 + e^{−|z|}).
  // The ln terms are summed as the ln of a running product of factors in [1, 2], flushed every
  // ≥ 512 cells (2^516 is far from overflow): one ln per 512 cells instead of one per cell.
  let prod = 1;
  let inProd = 0;
  let j = 0;
  // Four models at a time share every load of a_k and every update of ∂/∂a_k (≈ 2× faster).
  for (; j + 4 <= M; j += 4) {
    const t0 = j * d;
    const t1 = t0 + d;
    const t2 = t1 + d;
    const t3 = t2 + d;
    const r0 = j * I;
    const r1 = r0 + I;
    const r2 = r1 + I;
    const r3 = r2 + I;
    for (let k = 0; k < I; k++) {
      const aOff = aBase + k * d;
      const db = -d * (w[bBase + k] as number);
      let z0 = db;
      let z1 = db;
      let z2 = db;
      let z3 = db;
      for (let e = 0; e < d; e++) {
        const a = w[aOff + e] as number;
        z0 += a * (w[t0 + e] as number);
        z1 += a * (w[t1 + e] as number);
        z2 += a * (w[t2 + e] as number);
        z3 += a * (w[t3 + e] as number);
      }
      let y = R[r0 + k] as number;
      let ez = Math.exp(-Math.abs(z0));
      let op = 1 + ez;
      loss += z0 > 0 ? z0 - y * z0 : -y * z0;
      prod *= op;
      const q0 = (z0 >= 0 ? 1 : ez) / op - y;
      y = R[r1 + k] as number;
      ez = Math.exp(-Math.abs(z1));
      op = 1 + ez;
      loss += z1 > 0 ? z1 - y * z1 : -y * z1;
      prod *= op;
      const q1 = (z1 >= 0 ? 1 : ez) / op - y;
      y = R[r2 + k] as number;
      ez = Math.exp(-Math.abs(z2));
      op = 1 + ez;
      loss += z2 > 0 ? z2 - y * z2 : -y * z2;
      prod *= op;
      const q2 = (z2 >= 0 ? 1 : ez) / op - y;
      y = R[r3 + k] as number;
      ez = Math.exp(-Math.abs(z3));
      op = 1 + ez;
      loss += z3 > 0 ? z3 - y * z3 : -y * z3;
      prod *= op;
      const q3 = (z3 >= 0 ? 1 : ez) / op - y;
      inProd += 4;
      if (inProd >= 512) {
        loss += Math.log(prod);
        prod = 1;
        inProd = 0;
      }
      for (let e = 0; e < d; e++) {
        const a = w[aOff + e] as number;
        const u0 = w[t0 + e] as number;
        const u1 = w[t1 + e] as number;
        const u2 = w[t2 + e] as number;
        const u3 = w[t3 + e] as number;
        grad[t0 + e] = (grad[t0 + e] as number) + q0 * a;
        grad[t1 + e] = (grad[t1 + e] as number) + q1 * a;
        grad[t2 + e] = (grad[t2 + e] as number) + q2 * a;
        grad[t3 + e] = (grad[t3 + e] as number) + q3 * a;
        grad[aOff + e] = (grad[aOff + e] as number) + (q0 * u0 + q1 * u1 + q2 * u2 + q3 * u3);
      }
      grad[bBase + k] = (grad[bBase + k] as number) - d * (q0 + q1 + q2 + q3);
    }
  }
  for (; j < M; j++) {
    const tOff = j * d;
    const rOff = j * I;
    for (let k = 0; k < I; k++) {
      const aOff = aBase + k * d;
      let z = -d * (w[bBase + k] as number);
      for (let e = 0; e < d; e++) z += (w[aOff + e] as number) * (w[tOff + e] as number);
      const y = R[rOff + k] as number;
      const ez = Math.exp(-Math.abs(z));
      const op = 1 + ez;
      loss += z > 0 ? z - y * z : -y * z;
      prod *= op;
      if (++inProd >= 512) {
        loss += Math.log(prod);
        prod = 1;
        inProd = 0;
      }
      const r = (z >= 0 ? 1 : ez) / op - y;
      for (let e = 0; e < d; e++) {
        grad[tOff + e] = (grad[tOff + e] as number) + r * (w[aOff + e] as number);
        grad[aOff + e] = (grad[aOff + e] as number) + r * (w[tOff + e] as number);
      }
      grad[bBase + k] = (grad[bBase + k] as number) - d * r;
    }
  }
  return loss + Math.log(prod);
}

/** Number of packed parameters `M·d + I·d + I` (layout `[θ | a | b]`, see {@link irtMapObjective}). */
export function irtParamCount(models: number, items: number, dim: number): number {
  return models * dim + items * dim + items;
}

function checkShape(R: Uint8Array, models: number, items: number, dim: number): void {
  if (!(Number.isInteger(models) && models > 0 && Number.isInteger(items) && items > 0)) {
    throw new TbError("E_USAGE", `IRT: need at least one model and one item, got ${models} × ${items}`);
  }
  if (!(Number.isInteger(dim) && dim >= 1)) throw new TbError("E_USAGE", `IRT: dim must be an integer ≥ 1, got ${dim}`);
  if (R.length !== models * items) {
    throw new TbError("E_USAGE", `IRT: responses have ${R.length} cells, expected ${models} × ${items}`);
  }
}

/**
 * The MAP objective of docs/METHOD.md §6.3 [SPEC]: negative log-likelihood of the 0/1 responses `R`
 * (`models × items`, row-major) plus `½‖w‖²` (fixed N(0,1) priors on every θ, a, b), for the
 * packed vector `w = [θ (models·dim) | a (items·dim) | b (items)]`. Writes the analytic gradient
 * into `grad` when given. Exposed for tests (finite-difference checks) and diagnostics.
 */
export function irtMapObjective(
  w: Float64Array,
  R: Uint8Array,
  models: number,
  items: number,
  dim: number,
  grad?: Float64Array,
): number {
  checkShape(R, models, items, dim);
  const P = irtParamCount(models, items, dim);
  if (w.length !== P) throw new TbError("E_USAGE", `IRT: parameter vector has ${w.length} entries, expected ${P}`);
  const g = grad ?? new Float64Array(P);
  return withPrior(dataLossGrad(w, R, models, items, dim, g), w, g, P);
}

/** `loss + ½‖w‖²` with `w` added to the gradient (the N(0, 1) priors of §6.3), over the first P entries. */
function withPrior(dataLoss: number, w: Float64Array, g: Float64Array, P: number): number {
  let loss = dataLoss;
  for (let i = 0; i < P; i++) {
    const v = w[i] as number;
    loss += 0.5 * v * v;
    g[i] = (g[i] as number) + v;
  }
  return loss;
}

const FIT_IRT_OPTION_NAMES = optionNames<FitIrtOptions>()(
  "dim",
  "epochs",
  "lr",
  "decay",
  "seed",
  "method",
  "initScale",
  "viInitScale",
  "trace",
  "stop",
);

/**
 * Fit a multidimensional 2PL IRT model (docs/METHOD.md §6.2–§6.3) to 0/1 responses `R`
 * (`models × items`, row-major). Full-batch Adam (β = 0.9, 0.999, ε = 1e-8) at `lr · decay^epoch`
 * from seeded N(0, initScale²) values; the loss is evaluated before every step and after the last
 * one, and the parameters with the **lowest** loss are returned (py-irt's "best parameters", §9
 * item 13). Deterministic for a given seed.
 */
export function fitIrt(R: Uint8Array, models: number, items: number, options: FitIrtOptions): IrtFit {
  return fitIrtWith(R, models, items, options, true);
}

/**
 * {@link fitIrt}, with the loss + gradient pass in WebAssembly where `wasm` and the runtime allow
 * (irt-kernel.ts), else the TypeScript loop: the same fit, bit for bit. Internal (tests compare the two).
 */
export function fitIrtWith(
  R: Uint8Array,
  models: number,
  items: number,
  options: FitIrtOptions,
  wasm: boolean,
): IrtFit {
  checkOptionKeys(options, FIT_IRT_OPTION_NAMES, "fitIrt");
  const d = options.dim;
  checkShape(R, models, items, d);
  const epochs = options.epochs ?? 2000;
  const lr0 = options.lr ?? 0.1;
  const decay = options.decay ?? 0.9999;
  const seed = options.seed ?? 42;
  const method = options.method ?? "map";
  const initScale = options.initScale ?? 0.1;
  if (!(Number.isInteger(epochs) && epochs >= 0))
    throw new TbError("E_USAGE", `IRT: epochs must be ≥ 0, got ${epochs}`);
  if (!(lr0 > 0 && decay > 0 && initScale >= 0)) throw new TbError("E_USAGE", "IRT: lr, decay must be > 0");
  if (method !== "map" && method !== "vi") {
    throw new TbError("E_USAGE", `IRT: method must be "map" or "vi", got "${String(method)}"`);
  }
  const stop = options.stop === undefined ? undefined : checkIrtStop(options.stop, "IRT: stop");
  if (stop !== undefined) checkStopFits(stop, epochs, method, "IRT: stop", "method", "epochs");
  const P = irtParamCount(models, items, d);
  const init = RandomStream.derive("irt", seed, "init");
  const vi = method === "vi";
  // The data pass reads the parameters it is given and writes their gradient: in the kernel's
  // memory (MAP: x and g themselves; VI: the sampled parameters and their data gradient).
  const kernel = wasm ? irtKernel(models, items, d) : undefined;
  kernel?.R.set(R);
  // The kernel reads only its own memory: its w and grad are the only arrays it can be handed.
  const data = (w: Float64Array, grad: Float64Array): number => {
    if (kernel === undefined) return dataLossGrad(w, R, models, items, d, grad);
    if (w !== kernel.w || grad !== kernel.grad) throw new TbError("E_INTERNAL", "IRT: kernel pass on foreign arrays");
    return kernel.run();
  };
  // Optimised vector: MAP → w; VI → [μ (P) | ρ = ln s (P)].
  const Q = vi ? 2 * P : P;
  const x = !vi && kernel !== undefined ? kernel.w : new Float64Array(Q);
  for (let i = 0; i < P; i++) x[i] = initScale * init.nextNormal();
  if (vi) {
    const s0 = options.viInitScale ?? 1;
    if (!(s0 > 0)) throw new TbError("E_USAGE", `IRT: viInitScale must be > 0, got ${s0}`);
    x.fill(Math.log(s0), P, Q);
  }
  const g = !vi && kernel !== undefined ? kernel.grad : new Float64Array(Q);
  const m1 = new Float64Array(Q);
  const m2 = new Float64Array(Q);
  const best = new Float64Array(P);
  const traced = options.trace ? new Float64Array(epochs + 1) : undefined;
  // The lowest loss after each evaluation, for the stall rule.
  const lowest = stop === undefined ? undefined : new Float64Array(epochs + 1);
  let epochsRun = epochs;
  // VI scratch: sampled parameters, their data gradient, and the noise.
  const wS = vi ? (kernel?.w ?? new Float64Array(P)) : undefined;
  const gS = vi ? (kernel?.grad ?? new Float64Array(P)) : undefined;
  const eps = vi ? new Float64Array(P) : undefined;
  const noise = vi ? RandomStream.derive("irt", seed, "vi") : undefined;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  const beta1 = 0.9;
  const beta2 = 0.999;
  let bc1 = 1;
  let bc2 = 1;
  for (let t = 0; t <= epochs; t++) {
    let loss: number;
    if (!vi) {
      loss = withPrior(data(x, g), x, g, P);
    } else {
      const w = wS as Float64Array;
      const gd = gS as Float64Array;
      const ep = eps as Float64Array;
      const rng = noise as RandomStream;
      for (let i = 0; i < P; i++) {
        const e = rng.nextNormal();
        ep[i] = e;
        w[i] = (x[i] as number) + Math.exp(x[P + i] as number) * e;
      }
      loss = data(w, gd);
      // KL(N(μ, s²) ‖ N(0, 1)) = ½(s² + μ² − 1) − ln s, per coordinate.
      for (let i = 0; i < P; i++) {
        const mu = x[i] as number;
        const rho = x[P + i] as number;
        const s = Math.exp(rho);
        loss += 0.5 * (s * s + mu * mu - 1) - rho;
        const gi = gd[i] as number;
        g[i] = gi + mu;
        g[P + i] = gi * (ep[i] as number) * s + s * s - 1;
      }
    }
    if (traced) traced[t] = loss;
    if (loss < bestLoss) {
      bestLoss = loss;
      bestEpoch = t;
      best.set(x.subarray(0, P));
    }
    if (t === epochs) break;
    if (lowest !== undefined && stop !== undefined) {
      lowest[t] = bestLoss;
      // NaN (no finite loss yet) never stops the fit.
      if (t >= stop.window && (lowest[t - stop.window] as number) - bestLoss < stop.tol * Math.abs(bestLoss)) {
        epochsRun = t;
        break;
      }
    }
    const lr = lr0 * decay ** t;
    bc1 *= beta1;
    bc2 *= beta2;
    const stepSize = lr / (1 - bc1);
    const sqrtBc2 = Math.sqrt(1 - bc2);
    for (let i = 0; i < Q; i++) {
      const gi = g[i] as number;
      const mi = beta1 * (m1[i] as number) + (1 - beta1) * gi;
      const vi2 = beta2 * (m2[i] as number) + (1 - beta2) * gi * gi;
      m1[i] = mi;
      m2[i] = vi2;
      x[i] = (x[i] as number) - (stepSize * mi) / (Math.sqrt(vi2) / sqrtBc2 + 1e-8);
    }
  }
  if (!Number.isFinite(bestLoss)) throw new TbError("E_DEGENERATE", "IRT: the loss was never finite");
  const aBase = models * d;
  const bBase = aBase + items * d;
  const fit: IrtFit = {
    dim: d,
    items,
    models,
    theta: best.slice(0, aBase),
    a: best.slice(aBase, bBase),
    b: best.slice(bBase, P),
    loss: bestLoss,
    bestEpoch,
    epochsRun,
    method,
    ...(traced ? { lossTrace: epochsRun === epochs ? traced : traced.slice(0, epochsRun + 1) } : {}),
  };
  return fit;
}

/**
 * Prediction-time probability of item `k` for ability `theta` (docs/METHOD.md §6.2):
 * `σ(Σ_e clip(a_ke θ_e − b_k, −30, 30))`.
 */
export function irtProbability(model: IrtItems, k: number, theta: ArrayLike<number>): number {
  const d = model.dim;
  const off = k * d;
  const bk = model.b[k] as number;
  let z = 0;
  for (let e = 0; e < d; e++) {
    let u = (model.a[off + e] as number) * (theta[e] as number) - bk;
    if (u > 30) u = 30;
    else if (u < -30) u = -30;
    z += u;
  }
  return sigmoid(z);
}

/** {@link irtProbability} for every item, into a new Float64Array of length `items`. */
export function irtProbabilities(model: IrtItems, theta: ArrayLike<number>): Float64Array {
  const out = new Float64Array(model.items);
  for (let k = 0; k < model.items; k++) out[k] = irtProbability(model, k, theta);
  return out;
}

/**
 * Ability objective of docs/METHOD.md §6.6:
 * `−Σ_i [r_i ln(P_{k_i}(θ) + 1e-10) + (1 − r_i) ln(1 − P_{k_i}(θ) + 1e-10)]` over the item list
 * `itemIdx` (duplicates count), plus `‖θ‖² / (2σ²)` when `priorSd = σ` is given. Writes the
 * analytic gradient (through the clipped terms: a clipped term has zero derivative) into `grad`.
 */
export function abilityObjective(
  model: IrtItems,
  itemIdx: ArrayLike<number>,
  responses: ArrayLike<number>,
  theta: ArrayLike<number>,
  grad?: Float64Array,
  priorSd?: number,
): number {
  const d = model.dim;
  const g = grad ?? new Float64Array(d);
  g.fill(0);
  let f = 0;
  for (let i = 0; i < itemIdx.length; i++) {
    const k = itemIdx[i] as number;
    const r = responses[i] as number;
    const off = k * d;
    const bk = model.b[k] as number;
    let z = 0;
    for (let e = 0; e < d; e++) {
      let u = (model.a[off + e] as number) * (theta[e] as number) - bk;
      if (u > 30) u = 30;
      else if (u < -30) u = -30;
      z += u;
    }
    const p = sigmoid(z);
    const q = 1 - p;
    f -= r * Math.log(p + LOG_EPS) + (1 - r) * Math.log(q + LOG_EPS);
    // d f / d z = (−r/(p+ε) + (1−r)/(q+ε)) · p q
    const dz = (-r / (p + LOG_EPS) + (1 - r) / (q + LOG_EPS)) * p * q;
    if (dz !== 0) {
      for (let e = 0; e < d; e++) {
        const ae = model.a[off + e] as number;
        const u = ae * (theta[e] as number) - bk;
        if (u > -30 && u < 30) g[e] = (g[e] as number) + dz * ae;
      }
    }
  }
  if (priorSd !== undefined) {
    const inv = 1 / (priorSd * priorSd);
    for (let e = 0; e < d; e++) {
      const t = theta[e] as number;
      f += 0.5 * inv * t * t;
      g[e] = (g[e] as number) + inv * t;
    }
  }
  return f;
}

/** Options of {@link fitAbility} (docs/METHOD.md §6.6). */
export interface FitAbilityOptions {
  /** BFGS gradient tolerance in the ∞-norm (default 1e-5, SciPy's). */
  gtol?: number;
  /** Iteration cap (default `200 · dim`, SciPy's). */
  maxIter?: number;
  /** [OPT] standard deviation of an N(0, σ²I) prior on θ; default none (plain MLE, the reference). */
  abilityPrior?: number;
}

/** Result of {@link fitAbility}. */
export interface AbilityFit {
  theta: Float64Array;
  /** Objective value at `theta`. */
  nll: number;
  iterations: number;
  status: "converged" | "maxIter" | "lineSearch";
}

const FIT_ABILITY_OPTION_NAMES = optionNames<FitAbilityOptions>()("gtol", "maxIter", "abilityPrior");

/**
 * Fit one model's ability on a list of items (docs/METHOD.md §6.6): BFGS from θ = 0 on
 * {@link abilityObjective}, with SciPy's defaults (gtol 1e-5 in the ∞-norm, at most `200·d`
 * iterations). With separable responses θ runs off until the clipped terms saturate, as in the
 * reference; set `abilityPrior` to regularise instead.
 */
export function fitAbility(
  model: IrtItems,
  itemIdx: ArrayLike<number>,
  responses: ArrayLike<number>,
  options: FitAbilityOptions = {},
): AbilityFit {
  checkOptionKeys(options, FIT_ABILITY_OPTION_NAMES, "fitAbility");
  if (itemIdx.length !== responses.length) {
    throw new TbError("E_USAGE", `fitAbility: ${itemIdx.length} items but ${responses.length} responses`);
  }
  const prior = options.abilityPrior;
  if (prior !== undefined && !(prior > 0)) throw new TbError("E_USAGE", `abilityPrior must be > 0, got ${prior}`);
  const d = model.dim;
  const res = bfgs((x, g) => abilityObjective(model, itemIdx, responses, x, g, prior), new Float64Array(d), {
    gtol: options.gtol ?? 1e-5,
    maxIter: options.maxIter ?? 200 * d,
  });
  return { theta: res.x, nll: res.f, iterations: res.iterations, status: res.status };
}

/**
 * Binarisation threshold of docs/METHOD.md §6.1: among 1000 evenly spaced `c ∈ [0.01, 0.99]`, the
 * first minimiser of `mean_s |mean_x 1[Y[s][x] > c] − mean_x Y[s][x]|` over the rows of `Y`
 * (`rows × cols`, row-major).
 */
export function binarizationThreshold(Y: Float64Array, rows: number, cols: number): number {
  const sorted = new Float64Array(cols);
  const means = new Float64Array(rows);
  const sortedRows: Float64Array[] = [];
  for (let s = 0; s < rows; s++) {
    let m = 0;
    for (let x = 0; x < cols; x++) m += Y[s * cols + x] as number;
    means[s] = m / cols;
    sorted.set(Y.subarray(s * cols, (s + 1) * cols));
    sortedRows.push(Float64Array.from(sorted).sort());
  }
  const ptr = new Int32Array(rows);
  let bestC = 0.01;
  let bestErr = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 1000; i++) {
    const c = i * ((0.99 - 0.01) / 999) + 0.01;
    let err = 0;
    for (let s = 0; s < rows; s++) {
      const row = sortedRows[s] as Float64Array;
      let p = ptr[s] as number;
      while (p < cols && (row[p] as number) <= c) p++;
      ptr[s] = p;
      err += Math.abs((cols - p) / cols - (means[s] as number));
    }
    err /= rows;
    if (err < bestErr) {
      bestErr = err;
      bestC = c;
    }
  }
  return bestC;
}
