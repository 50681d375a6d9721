/**
 * A small dense BFGS minimiser with SciPy's `minimize(method="BFGS")` control flow, used to fit a
 * target's IRT ability (docs/METHOD.md §6.6). The line search is a port of SciPy's
 * `scalar_search_wolfe2` (strong Wolfe conditions, `c1 = 1e-4`, `c2 = 0.9`, cubic/quadratic
 * zoom); SciPy tries MINPACK's `dcsrch` first and falls back to this one, so step lengths can
 * differ in the last digits but the stopping rules are the same.
 */
import { checkOptionKeys, optionNames } from "@tb/core";

/** Objective: returns `f(x)` and writes `∇f(x)` into `grad`. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link bfgs}. */
export interface BfgsOptions {
  /** Stop when `‖∇f‖∞ ≤ gtol` (SciPy default 1e-5). */
  gtol?: number;
  /** Iteration cap (SciPy default `200 · dim`). */
  maxIter?: number;
}

/** Result of {@link bfgs}. */
export interface BfgsResult {
  x: Float64Array;
  f: number;
  /** `‖∇f(x)‖∞` at the returned point. */
  gradNorm: number;
  iterations: number;
  /** `"converged"` (gradient test), `"maxIter"`, or `"lineSearch"` (no acceptable step found). */
  status: "converged" | "maxIter" | "lineSearch";
}

const C1 = 1e-4;
const C2 = 0.9;

function normInf(g: Float64Array): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) {
    const a = Math.abs(g[i] as number);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += (u[i] as number) * (v[i] as number);
  return s;
}

/**
 * Minimise `fg` from `x0` by BFGS on the inverse Hessian, starting from the identity (SciPy's
 * `_minimize_bfgs`: initial step guess `dx ≈ 1`, `rhok = 1000` when `yᵀs = 0`, stop on a failed
 * line search or a non-finite value). `x0` is not modified.
 */
const BFGS_OPTION_NAMES = optionNames<BfgsOptions>()("gtol", "maxIter");

export function bfgs(fg: ObjectiveWithGradient, x0: ArrayLike<number>, options: BfgsOptions = {}): BfgsResult {
  checkOptionKeys(options, BFGS_OPTION_NAMES, "bfgs");
  const n = x0.length;
  const gtol = options.gtol ?? 1e-5;
  const maxIter = options.maxIter ?? 200 * n;
  let xk: Float64Array = Float64Array.from(x0);
  let gk: Float64Array = new Float64Array(n);
  let fk = fg(xk, gk);
  // SciPy: "Sets the initial step guess to dx ~ 1".
  let fPrev = fk + Math.sqrt(dot(gk, gk)) / 2;
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const pk = new Float64Array(n);
  const sk = new Float64Array(n);
  const yk = new Float64Array(n);
  const Hy = new Float64Array(n);
  let gnorm = normInf(gk);
  let k = 0;
  let status: BfgsResult["status"] = "maxIter";
  if (gnorm <= gtol) status = "converged";
  while (status === "maxIter" && gnorm > gtol && k < maxIter) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= (H[i * n + j] as number) * (gk[j] as number);
      pk[i] = s;
    }
    const ls = lineSearchWolfe2(fg, xk, pk, gk, fk, fPrev);
    if (ls === undefined) {
      status = "lineSearch";
      break;
    }
    for (let i = 0; i < n; i++) {
      sk[i] = ls.alpha * (pk[i] as number);
      yk[i] = (ls.g[i] as number) - (gk[i] as number);
    }
    xk = ls.x;
    gk = ls.g;
    fPrev = fk;
    fk = ls.f;
    k++;
    gnorm = normInf(gk);
    if (gnorm <= gtol) {
      status = "converged";
      break;
    }
    if (!Number.isFinite(fk)) {
      status = "lineSearch";
      break;
    }
    const ys = dot(yk, sk);
    const rho = ys === 0 ? 1000 : 1 / ys;
    // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
    //   = H − ρ (s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ   (H symmetric)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (H[i * n + j] as number) * (yk[j] as number);
      Hy[i] = s;
    }
    const yHy = dot(yk, Hy);
    const c = rho * rho * yHy + rho;
    for (let i = 0; i < n; i++) {
      const si = sk[i] as number;
      const hyi = Hy[i] as number;
      for (let j = 0; j < n; j++) {
        const sj = sk[j] as number;
        H[i * n + j] = (H[i * n + j] as number) - rho * (si * (Hy[j] as number) + hyi * sj) + c * si * sj;
      }
    }
  }
  if (status === "maxIter" && gnorm <= gtol) status = "converged";
  return { x: xk, f: fk, gradNorm: gnorm, iterations: k, status };
}

interface LineSearchPoint {
  alpha: number;
  x: Float64Array;
  f: number;
  g: Float64Array;
}

/** SciPy `line_search_wolfe2` / `scalar_search_wolfe2` (strong Wolfe, at most 10 bracketing steps). */
function lineSearchWolfe2(
  fg: ObjectiveWithGradient,
  xk: Float64Array,
  pk: Float64Array,
  gk: Float64Array,
  f0: number,
  fOld: number,
): LineSearchPoint | undefined {
  const n = xk.length;
  const derphi0 = dot(gk, pk);
  if (!(derphi0 < 0)) return undefined;
  let last: LineSearchPoint | undefined;
  const evalAt = (alpha: number): LineSearchPoint => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = (xk[i] as number) + alpha * (pk[i] as number);
    const g = new Float64Array(n);
    const f = fg(x, g);
    last = { alpha, x, f, g };
    return last;
  };
  const derphiOf = (p: LineSearchPoint): number => dot(p.g, pk);

  let alpha0 = 0;
  let phiA0 = f0;
  let derphiA0 = derphi0;
  let alpha1 = 1;
  const guess = (1.01 * 2 * (f0 - fOld)) / derphi0;
  if (Number.isFinite(guess) && guess > 0) alpha1 = Math.min(1, guess);
  const amax = 1e100;
  for (let i = 0; i < 10; i++) {
    if (alpha1 === 0) return undefined;
    const p1 = evalAt(alpha1);
    const phiA1 = p1.f;
    if (phiA1 > f0 + C1 * alpha1 * derphi0 || (phiA1 >= phiA0 && i > 0)) {
      return zoom(alpha0, alpha1, phiA0, phiA1, derphiA0, f0, derphi0, evalAt, derphiOf);
    }
    const derphiA1 = derphiOf(p1);
    if (Math.abs(derphiA1) <= -C2 * derphi0) return p1;
    if (derphiA1 >= 0) {
      return zoom(alpha1, alpha0, phiA1, phiA0, derphiA1, f0, derphi0, evalAt, derphiOf);
    }
    const alpha2 = Math.min(2 * alpha1, amax);
    alpha0 = alpha1;
    alpha1 = alpha2;
    phiA0 = phiA1;
    derphiA0 = derphiA1;
  }
  // SciPy warns and returns the last point when the bracketing loop runs out.
  return last;
}

function cubicMin(a: number, fa: number, fpa: number, b: number, fb: number, c: number, fc: number): number {
  const C = fpa;
  const db = b - a;
  const dc = c - a;
  const denom = (db * dc) ** 2 * (db - dc);
  if (denom === 0) return Number.NaN;
  const r1 = fb - fa - C * db;
  const r2 = fc - fa - C * dc;
  const A = (dc * dc * r1 - db * db * r2) / denom;
  const B = (-dc * dc * dc * r1 + db * db * db * r2) / denom;
  const radical = B * B - 3 * A * C;
  if (A === 0 || radical < 0) return Number.NaN;
  const xmin = a + (-B + Math.sqrt(radical)) / (3 * A);
  return Number.isFinite(xmin) ? xmin : Number.NaN;
}

function quadMin(a: number, fa: number, fpa: number, b: number, fb: number): number {
  const D = fa;
  const C = fpa;
  const db = b - a;
  const B = (fb - D - C * db) / (db * db);
  const xmin = a - C / (2 * B);
  return Number.isFinite(xmin) ? xmin : Number.NaN;
}

/** SciPy `_zoom` (Nocedal & Wright Alg. 3.6 with cubic, then quadratic, then bisection). */
function zoom(
  aLo: number,
  aHi: number,
  phiLo: number,
  phiHi: number,
  derphiLo: number,
  phi0: number,
  derphi0: number,
  evalAt: (alpha: number) => LineSearchPoint,
  derphiOf: (p: LineSearchPoint) => number,
): LineSearchPoint | undefined {
  const maxiter = 10;
  const delta1 = 0.2;
  const delta2 = 0.1;
  let phiRec = phi0;
  let aRec = 0;
  for (let i = 0; i < maxiter; i++) {
    const dalpha = aHi - aLo;
    const a = dalpha < 0 ? aHi : aLo;
    const b = dalpha < 0 ? aLo : aHi;
    let aj = Number.NaN;
    if (i > 0) {
      const cchk = delta1 * dalpha;
      aj = cubicMin(aLo, phiLo, derphiLo, aHi, phiHi, aRec, phiRec);
      if (!Number.isFinite(aj) || aj > b - cchk || aj < a + cchk) aj = Number.NaN;
    }
    if (Number.isNaN(aj)) {
      const qchk = delta2 * dalpha;
      aj = quadMin(aLo, phiLo, derphiLo, aHi, phiHi);
      if (!Number.isFinite(aj) || aj > b - qchk || aj < a + qchk) aj = aLo + 0.5 * dalpha;
    }
    const pj = evalAt(aj);
    const phiAj = pj.f;
    if (phiAj > phi0 + C1 * aj * derphi0 || phiAj >= phiLo) {
      phiRec = phiHi;
      aRec = aHi;
      aHi = aj;
      phiHi = phiAj;
    } else {
      const derphiAj = derphiOf(pj);
      if (Math.abs(derphiAj) <= -C2 * derphi0) return pj;
      if (derphiAj * (aHi - aLo) >= 0) {
        phiRec = phiHi;
        aRec = aHi;
        aHi = aLo;
        phiHi = phiLo;
      } else {
        phiRec = phiLo;
        aRec = aLo;
      }
      aLo = aj;
      phiLo = phiAj;
      derphiLo = derphiAj;
    }
  }
  return undefined;
}
