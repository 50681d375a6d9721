import {
  type CorrectnessMatrix,
  checkOptionKeys,
  type EvaluationMethod,
  KeyedByObject,
  type MethodResult,
  optionNames,
  RandomStream,
  range,
  type Seed,
  TbError,
  type Workspace,
  workspaceKey,
  workspaceOf,
} from "@tb/core";
import {
  binarizationThreshold,
  checkIrtStop,
  checkStopFits,
  type FitAbilityOptions,
  type FitIrtOptions,
  fitAbility,
  fitIrt,
  type IrtFit,
  type IrtItems,
  type IrtStop,
  irtProbability,
} from "./irt.js";
import { kmeans, nearestPoints } from "./kmeans.js";
import { oneRoundMethod } from "./one-round.js";

/** Options of the gp-IRT baseline (docs/METHOD.md §6). Every field is optional. */
export interface GpIrtOptions {
  /**
   * Candidate IRT dimensions, tried in order (§6.4, default `[2, 5, 10, 15]`). A one-element list
   * is the [OPT] "fixed d" (its validation error still gives `b̂`).
   */
  dims?: readonly number[];
  /** §6.4: pick the first `d` with `err(d) − min err < dimTolerance` (default 0.0025). */
  dimTolerance?: number;
  /** §6.4: every `validationEvery`-th source (0, 5, 10, …) is held out (default 5). */
  validationEvery?: number;
  /** §6.3 fitter: `"map"` (default, [SPEC]) or `"vi"` ([OPT] mean-field Gaussian VI). */
  fitMethod?: "map" | "vi";
  /** §6.3: Adam epochs (default 2000). */
  epochs?: number;
  /**
   * [OPT] End each IRT fit of the calibration early when its loss stalls (`fitIrt`'s `stop` rule):
   * `true` for `{ window: 100, tol: 1e-6 }` — the lowest loss fell by less than 10⁻⁶ of itself
   * over the last 100 epochs — or a rule of your own. Off by default (every fit runs all `epochs`,
   * as the reference does); on, a calibration takes about half the time and the numbers change
   * slightly (docs/PERFORMANCE.md, "gp-IRT's early stop").
   */
  earlyStop?: boolean | IrtStop;
  /** §6.3: Adam learning rate (default 0.1). */
  lr?: number;
  /** §6.3: learning-rate decay per epoch (default 0.9999). */
  decay?: number;
  /** §6.3: seed of the IRT initial values (default 42). Not the trial seed. */
  irtSeed?: number;
  /** §6.3: standard deviation of the seeded start (default 0.1). */
  initScale?: number;
  /** §6.3 `"vi"` only: initial guide standard deviation (default 1). */
  viInitScale?: number;
  /**
   * §6.5 anchor selection: `"irt"` (default, k-means on `(a_k, b_k)`), `"correctness"` (k-means
   * on the raw source-correctness columns) or `"random"` (§7 sampling, weights `1/N`).
   */
  anchorSpace?: "irt" | "correctness" | "random";
  /** §6.5: k-means restarts (default 5), streams `ctx.rng.child("kmeans", t)`. */
  restarts?: number;
  /** §6.5: Lloyd iterations per restart (default 300). */
  kmeansMaxIter?: number;
  /** §6.5: relative k-means tolerance (default 1e-4). */
  kmeansTol?: number;
  /** §6.7 data part of p-IRT: `"weighted"` (default, efficbench) or `"plain"` (tinyBenchmarks tutorial). */
  dataPart?: "weighted" | "plain";
  /** Which §6.7 estimate the method returns: `"gp-irt"` (default), `"p-irt"` or `"naive"`. */
  estimator?: "gp-irt" | "p-irt" | "naive";
  /** §6.6 [OPT]: standard deviation of an N(0, σ²I) prior on abilities; default none. */
  abilityPrior?: number;
  /** §6.1: binarisation threshold `c*` to use instead of the search (non-0/1 data only). */
  threshold?: number;
}

/** What gp-IRT learns from the sources alone (docs/METHOD.md §6.1, §6.3, §6.4); cached per sources matrix. */
export interface GpIrtCalibration {
  /** `c*` of §6.1, or `undefined` when the sources are already 0/1 (then `R = Y`). */
  threshold: number | undefined;
  /** The chosen dimension `d`. */
  dim: number;
  /** The candidate dimensions and their validation errors `err(d)`, in order. */
  dims: readonly number[];
  errByDim: Float64Array;
  /** `b̂ = err(d)` for the chosen `d`. */
  bHat: number;
  /** `v̂ = mean_s Var_x(Y[s][x])` (population variance). */
  vHat: number;
  /** The IRT model refitted on all sources with the chosen `d`. */
  irt: IrtFit;
  /** The Adam steps each validation fit took, in the order of `dims` (all `epochs` without an early stop). */
  epochsByDim: Int32Array;
}

/** The calibrations a workspace keeps, per sources matrix (weakly: they go with the matrix) and option set. */
type Calibrations = KeyedByObject<CorrectnessMatrix, GpIrtCalibration>;
const calibrationBytes = (c: GpIrtCalibration): number =>
  c.errByDim.byteLength + c.epochsByDim.byteLength + c.irt.a.byteLength + c.irt.b.byteLength + c.irt.theta.byteLength;
const CALIBRATIONS = workspaceKey<Calibrations>("@tb/baselines gp-IRT calibrations");

function isBinary(data: Float64Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v !== 0 && v !== 1) return false;
  }
  return true;
}

/** `R = 1[Y > c*]` (docs/METHOD.md §6.1); for 0/1 data (`threshold` undefined) `R = Y`. */
function binarize(y: number, threshold: number | undefined): number {
  return threshold === undefined ? (y > 0.5 ? 1 : 0) : y > threshold ? 1 : 0;
}

interface ResolvedOptions {
  dims: readonly number[];
  dimTolerance: number;
  validationEvery: number;
  fitMethod: "map" | "vi";
  epochs: number;
  stop: IrtStop | undefined;
  lr: number;
  decay: number;
  irtSeed: number;
  initScale: number;
  viInitScale: number;
  anchorSpace: "irt" | "correctness" | "random";
  restarts: number;
  kmeansMaxIter: number;
  kmeansTol: number;
  dataPart: "weighted" | "plain";
  estimator: "gp-irt" | "p-irt" | "naive";
  abilityPrior: number | undefined;
  threshold: number | undefined;
}

function oneOf<T extends string>(what: string, value: T | undefined, allowed: readonly T[], dflt: T): T {
  const v = value ?? dflt;
  if (!allowed.includes(v)) {
    throw new TbError("E_USAGE", `gp-IRT: ${what} must be one of ${allowed.join(", ")}, got "${String(v)}"`);
  }
  return v;
}

/**
 * The options a choice elsewhere in `o` makes unread: `viInitScale` outside the VI fit, k-means's
 * options with random anchors, and the estimate's data part with the naive estimator (the
 * anchors' weighted mean).
 */
function unreadOptions(o: GpIrtOptions): string[] {
  const out: string[] = [];
  if ((o.fitMethod ?? "map") !== "vi" && o.viInitScale !== undefined)
    out.push('viInitScale (read by fitMethod "vi" only)');
  if (o.anchorSpace === "random") {
    for (const k of ["restarts", "kmeansMaxIter", "kmeansTol"] as const) {
      if (o[k] !== undefined) out.push(`${k} (k-means's; anchorSpace "random" runs no k-means)`);
    }
  }
  if (o.estimator === "naive" && o.dataPart !== undefined) {
    out.push(`dataPart (estimator "naive" is the anchors' weighted mean, with no data part to choose)`);
  }
  return out;
}

function resolveOptions(o: GpIrtOptions): ResolvedOptions {
  const unread = unreadOptions(o);
  if (unread.length > 0) {
    throw new TbError(
      "E_USAGE",
      `gp-IRT: ${unread.join("; ")} — never read with these options: leave ${unread.length > 1 ? "them" : "it"} out`,
    );
  }
  const dims = [...(o.dims ?? [2, 5, 10, 15])];
  if (dims.length === 0 || dims.some((d) => !(Number.isInteger(d) && d >= 1))) {
    throw new TbError("E_USAGE", `gp-IRT: dims must be a non-empty list of integers ≥ 1, got [${dims.join(", ")}]`);
  }
  const r: ResolvedOptions = {
    dims,
    dimTolerance: o.dimTolerance ?? 0.0025,
    validationEvery: o.validationEvery ?? 5,
    fitMethod: oneOf("fitMethod", o.fitMethod, ["map", "vi"], "map"),
    epochs: o.epochs ?? 2000,
    stop: resolveStop(o.earlyStop),
    lr: o.lr ?? 0.1,
    decay: o.decay ?? 0.9999,
    irtSeed: o.irtSeed ?? 42,
    initScale: o.initScale ?? 0.1,
    viInitScale: o.viInitScale ?? 1,
    anchorSpace: oneOf("anchorSpace", o.anchorSpace, ["irt", "correctness", "random"], "irt"),
    restarts: o.restarts ?? 5,
    kmeansMaxIter: o.kmeansMaxIter ?? 300,
    kmeansTol: o.kmeansTol ?? 1e-4,
    dataPart: oneOf("dataPart", o.dataPart, ["weighted", "plain"], "weighted"),
    estimator: oneOf("estimator", o.estimator, ["gp-irt", "p-irt", "naive"], "gp-irt"),
    abilityPrior: o.abilityPrior,
    threshold: o.threshold,
  };
  if (!(Number.isInteger(r.validationEvery) && r.validationEvery >= 2)) {
    throw new TbError("E_USAGE", `gp-IRT: validationEvery must be an integer ≥ 2, got ${r.validationEvery}`);
  }
  if (!(Number.isInteger(r.restarts) && r.restarts >= 1)) {
    throw new TbError("E_USAGE", `gp-IRT: restarts must be an integer ≥ 1, got ${r.restarts}`);
  }
  if (!(r.dimTolerance >= 0)) throw new TbError("E_USAGE", "gp-IRT: dimTolerance must be ≥ 0");
  // checked here, in gpIrt's terms (the fitter and k-means would refuse some only when a trial runs,
  // in theirs, and k-means would take a negative or NaN cap or tolerance as "no Lloyd step")
  const need = (name: string, v: number, ok: boolean, what: string) => {
    if (!ok) throw new TbError("E_USAGE", `gp-IRT: ${name} must be ${what}, got ${String(v)}`);
  };
  need("epochs", r.epochs, Number.isSafeInteger(r.epochs) && r.epochs >= 1, "an integer ≥ 1");
  need("lr", r.lr, r.lr > 0 && Number.isFinite(r.lr), "a finite number > 0");
  need("decay", r.decay, r.decay > 0 && Number.isFinite(r.decay), "a finite number > 0");
  need("irtSeed", r.irtSeed, Number.isSafeInteger(r.irtSeed), "an integer");
  need("initScale", r.initScale, r.initScale >= 0 && Number.isFinite(r.initScale), "a finite number ≥ 0");
  need("viInitScale", r.viInitScale, r.viInitScale > 0 && Number.isFinite(r.viInitScale), "a finite number > 0");
  need(
    "kmeansMaxIter",
    r.kmeansMaxIter,
    Number.isSafeInteger(r.kmeansMaxIter) && r.kmeansMaxIter >= 1,
    "an integer ≥ 1",
  );
  need("kmeansTol", r.kmeansTol, r.kmeansTol >= 0 && Number.isFinite(r.kmeansTol), "a finite number ≥ 0");
  if (r.abilityPrior !== undefined) {
    need("abilityPrior", r.abilityPrior, r.abilityPrior > 0 && Number.isFinite(r.abilityPrior), "a finite number > 0");
  }
  if (r.stop !== undefined) checkStopFits(r.stop, r.epochs, r.fitMethod, "gp-IRT: earlyStop", "fitMethod", "epochs");
  if (r.threshold !== undefined && !(r.threshold >= 0 && r.threshold < 1)) {
    throw new TbError("E_USAGE", `gp-IRT: threshold must be in [0, 1), got ${r.threshold}`);
  }
  return r;
}

/** The default early-stop rule (`earlyStop: true`). */
const DEFAULT_STOP: IrtStop = Object.freeze({ window: 100, tol: 1e-6 });

function resolveStop(v: GpIrtOptions["earlyStop"]): IrtStop | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true) return DEFAULT_STOP;
  if (v === null || typeof v !== "object") {
    throw new TbError(
      "E_USAGE",
      `gp-IRT: earlyStop must be true, false or { window, tol }, got ${JSON.stringify(v) ?? String(v)}`,
    );
  }
  return checkIrtStop(v, "gp-IRT: earlyStop");
}

function calibrationKey(r: ResolvedOptions): string {
  return JSON.stringify([
    r.stop === undefined ? null : [r.stop.window, r.stop.tol],
    r.dims,
    r.dimTolerance,
    r.validationEvery,
    r.fitMethod,
    r.epochs,
    r.lr,
    r.decay,
    r.irtSeed,
    r.initScale,
    r.viInitScale,
    r.abilityPrior ?? null,
    r.threshold ?? null,
  ]);
}

/** The options of {@link gpIrt} (and of `calibrateGpIrt`, which takes the same object). */
const GP_IRT_OPTION_NAMES = optionNames<GpIrtOptions>()(
  "dims",
  "dimTolerance",
  "validationEvery",
  "fitMethod",
  "epochs",
  "earlyStop",
  "lr",
  "decay",
  "irtSeed",
  "initScale",
  "viInitScale",
  "anchorSpace",
  "restarts",
  "kmeansMaxIter",
  "kmeansTol",
  "dataPart",
  "estimator",
  "abilityPrior",
  "threshold",
);

/**
 * The source-only part of gp-IRT (docs/METHOD.md §6.1, §6.3, §6.4): binarisation threshold, choice of
 * `d` on held-out sources (every `validationEvery`-th), `b̂`, `v̂`, and the IRT model refitted on
 * all sources. It does not depend on the trial: with a `workspace` (a `Workspace` of `@tb/core`)
 * the result is kept there per `sources` object (weakly) and option set, so 100 trials of a
 * protocol fit once; without one it is computed for this call only. The same numbers either way.
 */
export function calibrateGpIrt(
  sources: CorrectnessMatrix,
  options: GpIrtOptions = {},
  workspace?: Workspace,
): GpIrtCalibration {
  checkOptionKeys(options, GP_IRT_OPTION_NAMES, "calibrateGpIrt");
  const r = resolveOptions(options);
  if (workspace === undefined) return computeCalibration(sources, r);
  const perMatrix = workspaceOf(workspace, "calibrateGpIrt: workspace")
    .slot(CALIBRATIONS, (): Calibrations => new KeyedByObject(calibrationBytes))
    .of(sources);
  const key = calibrationKey(r);
  const hit = perMatrix.get(key);
  if (hit) return hit;
  const cal = computeCalibration(sources, r);
  perMatrix.set(key, cal);
  return cal;
}

function computeCalibration(sources: CorrectnessMatrix, r: ResolvedOptions): GpIrtCalibration {
  const S = sources.rows;
  const n = sources.cols;
  const Y = sources.data;
  if (S < 2 || n < 2) {
    throw new TbError("E_DEGENERATE", `gp-IRT: need at least 2 sources and 2 examples, got ${S} × ${n}`);
  }
  const threshold = r.threshold ?? (isBinary(Y) ? undefined : binarizationThreshold(Y, S, n));
  const R = new Uint8Array(S * n);
  for (let i = 0; i < S * n; i++) R[i] = binarize(Y[i] as number, threshold);

  // v̂: mean over sources of the population variance of raw correctness across items.
  let vHat = 0;
  for (let s = 0; s < S; s++) {
    let m = 0;
    for (let x = 0; x < n; x++) m += Y[s * n + x] as number;
    m /= n;
    let v = 0;
    for (let x = 0; x < n; x++) {
      const t = (Y[s * n + x] as number) - m;
      v += t * t;
    }
    vHat += v / n;
  }
  vHat /= S;

  // §6.4 hold-out split: validation = sources 0, e, 2e, …; even / odd items.
  const val: number[] = [];
  const train: number[] = [];
  for (let s = 0; s < S; s++) (s % r.validationEvery === 0 ? val : train).push(s);
  const Rtrain = new Uint8Array(train.length * n);
  train.forEach((s, i) => {
    Rtrain.set(R.subarray(s * n, (s + 1) * n), i * n);
  });
  const even: number[] = [];
  const odd: number[] = [];
  for (let x = 0; x < n; x++) (x % 2 === 0 ? even : odd).push(x);
  const ability: FitAbilityOptions = r.abilityPrior === undefined ? {} : { abilityPrior: r.abilityPrior };
  const fitOpts = (dim: number): FitIrtOptions => ({
    dim,
    epochs: r.epochs,
    ...(r.stop === undefined ? {} : { stop: r.stop }),
    lr: r.lr,
    decay: r.decay,
    seed: r.irtSeed,
    method: r.fitMethod,
    initScale: r.initScale,
    viInitScale: r.viInitScale,
  });
  const errByDim = new Float64Array(r.dims.length);
  const epochsByDim = new Int32Array(r.dims.length);
  r.dims.forEach((dim, di) => {
    const model = fitIrt(Rtrain, train.length, n, fitOpts(dim));
    epochsByDim[di] = model.epochsRun;
    let err = 0;
    for (const j of val) {
      const resp = even.map((x) => R[j * n + x] as number);
      const { theta } = fitAbility(model, even, resp, ability);
      let pm = 0;
      let ym = 0;
      for (const x of odd) {
        pm += irtProbability(model, x, theta);
        ym += Y[j * n + x] as number;
      }
      err += Math.abs(pm / odd.length - ym / odd.length);
    }
    errByDim[di] = err / val.length;
  });
  let minErr = Number.POSITIVE_INFINITY;
  for (const e of errByDim) if (e < minErr) minErr = e;
  let chosen = 0;
  while ((errByDim[chosen] as number) - minErr >= r.dimTolerance) chosen++;
  const dim = r.dims[chosen] as number;
  const bHat = errByDim[chosen] as number;
  const irt = fitIrt(R, S, n, fitOpts(dim));
  return { threshold, dim, dims: r.dims, errByDim, bHat, vHat, irt, epochsByDim };
}

/**
 * gp-IRT mixing weight (docs/METHOD.md §6.7, §9 item 14): `λ = b̂² / (b̂² + v̂/(4K))` for anchor-based
 * selection and `λ = b̂² / (b̂² + v̂/K)` for random selection. When both terms are 0, 1.
 */
export function gpIrtLambda(bHat: number, vHat: number, anchors: number, selection: "anchor" | "random"): number {
  const b2 = bHat * bHat;
  const noise = selection === "random" ? vHat / anchors : vHat / (4 * anchors);
  const den = b2 + noise;
  return den === 0 ? 1 : b2 / den;
}

/** Inputs of {@link gpIrtEstimates}. */
export interface GpIrtEstimateInput {
  /** The data part: `Σ_r w_r Y[t][anchor_r]` (weighted) or the plain anchor mean. */
  dataPart: number;
  /** `mean_{k ∈ U} P_k(θ̂_t)` over the non-anchor items `U`; `NaN` when `U` is empty. */
  irtUnseen: number;
  /** `K`, the anchor count with duplicates. */
  anchors: number;
  /** `n`, the number of items. */
  items: number;
  /** λ from {@link gpIrtLambda}. */
  lambda: number;
}

/**
 * p-IRT and gp-IRT (docs/METHOD.md §6.7): `λ_p = K/n`, `Ŷ_p = λ_p·data + (1 − λ_p)·irtUnseen`,
 * `Ŷ = λ·data + (1 − λ)·Ŷ_p`. When `U` is empty the IRT part is the data part.
 */
export function gpIrtEstimates(input: GpIrtEstimateInput): { lambdaP: number; pIrt: number; gpIrt: number } {
  const lambdaP = input.anchors / input.items;
  const pIrt = Number.isNaN(input.irtUnseen)
    ? input.dataPart
    : lambdaP * input.dataPart + (1 - lambdaP) * input.irtUnseen;
  const gpIrt = input.lambda * input.dataPart + (1 - input.lambda) * pIrt;
  return { lambdaP, pIrt, gpIrt };
}

/** Anchors (duplicates kept, in centre order) and their weights (docs/METHOD.md §6.5). */
export interface AnchorSelection {
  anchors: Int32Array;
  weights: Float64Array;
  /** k-means inertia of the winning restart (NaN for random selection). */
  inertia: number;
}

/**
 * §6.5 anchor selection for `K` anchors: k-means on the item embedding `(a_k, b_k)` (or on raw
 * source correctness columns), anchor = item nearest each centre, weight = cluster fraction; or a
 * random sample with weights `1/K`.
 */
export function selectAnchors(
  cal: GpIrtCalibration,
  sources: CorrectnessMatrix,
  K: number,
  seed: Seed,
  options: Pick<GpIrtOptions, "anchorSpace" | "restarts" | "kmeansMaxIter" | "kmeansTol"> = {},
): AnchorSelection {
  const rng = RandomStream.from(seed, "selectAnchors: rng");
  const n = sources.cols;
  // a misspelt option or space would otherwise fall through to k-means on the correctness columns
  checkOptionKeys(options, ["anchorSpace", "restarts", "kmeansMaxIter", "kmeansTol"], "selectAnchors");
  const space = options.anchorSpace ?? "irt";
  if (space !== "irt" && space !== "correctness" && space !== "random") {
    throw new TbError(
      "E_USAGE",
      `selectAnchors: anchorSpace must be one of "irt", "correctness", "random", got ${JSON.stringify(space)}`,
    );
  }
  if (space === "random") {
    const anchors = rng.child("anchors").sample(range(n), K);
    return { anchors, weights: new Float64Array(K).fill(1 / K), inertia: Number.NaN };
  }
  let X: Float64Array;
  let q: number;
  if (space === "irt") {
    const irt: IrtItems = cal.irt;
    const d = irt.dim;
    q = d + 1;
    X = new Float64Array(n * q);
    for (let k = 0; k < n; k++) {
      for (let e = 0; e < d; e++) X[k * q + e] = irt.a[k * d + e] as number;
      X[k * q + d] = irt.b[k] as number;
    }
  } else {
    const S = sources.rows;
    q = S;
    X = new Float64Array(n * S);
    for (let s = 0; s < S; s++) for (let k = 0; k < n; k++) X[k * S + s] = sources.data[s * n + k] as number;
  }
  const restarts = options.restarts ?? 5;
  const streams = Array.from({ length: restarts }, (_, t) => rng.child("kmeans", t));
  const km = kmeans(X, n, q, {
    k: K,
    streams,
    maxIter: options.kmeansMaxIter ?? 300,
    tol: options.kmeansTol ?? 1e-4,
  });
  const anchors = nearestPoints(X, n, q, km.centers, K);
  const weights = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const c = km.labels[i] as number;
    weights[c] = (weights[c] as number) + 1;
  }
  for (let c = 0; c < K; c++) weights[c] = (weights[c] as number) / n;
  return { anchors, weights, inertia: km.inertia };
}

/**
 * gp-IRT baseline (Polo et al. 2024, tinyBenchmarks; docs/METHOD.md §6): fit a multidimensional 2PL
 * IRT model on the sources (kept in the context's workspace across trials, {@link calibrateGpIrt}), choose `K = N` anchors per trial
 * (§6.5), query each target on the distinct anchors only, fit its ability (§6.6) and return the
 * gp-IRT estimate (§6.7). Diagnostics: `d`, `bHat`, `vHat`, `lambda`, `lambdaP`, the
 * validation errors per `d`, the distinct anchor count and the k-means inertia. One round: the
 * calibration and the anchors come from the sources and `ctx.rng` when the evaluation starts, then
 * every target is asked the distinct anchors at once (`start(ctx)`; `run(ctx)` drives it).
 */
export function gpIrt(options: GpIrtOptions = {}): Required<EvaluationMethod> {
  checkOptionKeys(options, GP_IRT_OPTION_NAMES, "gpIrt");
  const r = resolveOptions(options);
  const anchorOptions = {
    anchorSpace: r.anchorSpace,
    restarts: r.restarts,
    kmeansMaxIter: r.kmeansMaxIter,
    kmeansTol: r.kmeansTol,
  };
  return oneRoundMethod("gp-irt", (ctx) => {
    const sources = ctx.sources;
    const n = sources.cols;
    const K = ctx.budget;
    if (!(Number.isInteger(K) && K >= 1 && K <= n)) {
      throw new TbError("E_USAGE", `gp-IRT: budget ${K} must be an integer in [1, ${n}]`);
    }
    const cal = calibrateGpIrt(sources, options, ctx.workspace);
    const sel = selectAnchors(cal, sources, K, ctx.rng, anchorOptions);
    const { anchors, weights } = sel;
    const isAnchor = new Uint8Array(n);
    for (const a of anchors) isAnchor[a] = 1;
    let distinct = 0;
    for (let k = 0; k < n; k++) distinct += isAnchor[k] as number;
    const lambda = gpIrtLambda(cal.bHat, cal.vHat, K, r.anchorSpace === "random" ? "random" : "anchor");
    return {
      // Anchors may repeat (two centres nearest the same item): each distinct one is asked once.
      examples: anchors,
      reason: "anchors",
      result(answers): MethodResult {
        const estimates = new Float64Array(answers.length);
        const ability: FitAbilityOptions = r.abilityPrior === undefined ? {} : { abilityPrior: r.abilityPrior };
        const irt = cal.irt;
        let notConverged = 0;
        let lambdaP = K / n;
        answers.forEach((y, t) => {
          let weighted = 0;
          let plain = 0;
          const resp = new Float64Array(K);
          for (let i = 0; i < K; i++) {
            const v = y[i] as number;
            weighted += (weights[i] as number) * v;
            plain += v;
            resp[i] = binarize(v, cal.threshold);
          }
          plain /= K;
          const dataPart = r.dataPart === "weighted" ? weighted : plain;
          if (r.estimator === "naive") {
            estimates[t] = weighted;
            return;
          }
          const fit = fitAbility(irt, anchors, resp, ability);
          if (fit.status !== "converged") notConverged++;
          let pu = 0;
          for (let k = 0; k < n; k++) if (isAnchor[k] === 0) pu += irtProbability(irt, k, fit.theta);
          const irtUnseen = distinct < n ? pu / (n - distinct) : Number.NaN;
          const est = gpIrtEstimates({ dataPart, irtUnseen, anchors: K, items: n, lambda });
          lambdaP = est.lambdaP;
          estimates[t] = r.estimator === "p-irt" ? est.pIrt : est.gpIrt;
        });
        const diagnostics: NonNullable<MethodResult["diagnostics"]> = {
          d: cal.dim,
          bHat: cal.bHat,
          vHat: cal.vHat,
          lambda,
          lambdaP,
          dims: [...cal.dims],
          errByDim: Array.from(cal.errByDim),
          distinctAnchors: distinct,
          anchors: Array.from(anchors),
          weights: Array.from(weights),
          anchorSpace: r.anchorSpace,
          estimator: r.estimator,
          abilityNotConverged: notConverged,
          irtLoss: cal.irt.loss,
          irtBestEpoch: cal.irt.bestEpoch,
        };
        if (r.stop !== undefined) {
          diagnostics.irtEpochsRun = cal.irt.epochsRun;
          diagnostics.epochsByDim = Array.from(cal.epochsByDim);
        }
        if (!Number.isNaN(sel.inertia)) diagnostics.kmeansInertia = sel.inertia;
        if (cal.threshold !== undefined) diagnostics.threshold = cal.threshold;
        return { estimates, diagnostics };
      },
    };
  });
}
