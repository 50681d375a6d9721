import { TbError, type WasmInstance, wasmInstance } from "@tb/core";
import { RIDGE_WASM_HEX } from "./ridge-wasm.js";

/**
 * The loops of the primal LOO along a column in WebAssembly (wasm/ridge.wat, SIMD): byte offsets into
 * the memory the arrays are views of; element i of a result from element i of the inputs with the
 * TypeScript loop's operations in its order — the same numbers bit for bit (ridge-kernel.test.ts).
 */
interface RidgeKernel {
  /** z[i] = z[i] − l0·z0[i] − l1·z1[i] − l2·z2[i] − l3·z3[i] */
  sub4(
    z: number,
    z0: number,
    z1: number,
    z2: number,
    z3: number,
    l0: number,
    l1: number,
    l2: number,
    l3: number,
    r: number,
  ): void;
  /** y[i] = y[i] − s·x[i] */
  axmy(y: number, x: number, s: number, r: number): void;
  /** z[i] = z[i]·inv, then lev[i] = lev[i] + z[i]² */
  scaleLev(z: number, lev: number, inv: number, r: number): void;
}

/**
 * The mean LOO squared error from the centred problem's residuals and leverages (the hat matrix's
 * diagonal is `lev + 1/rows`), each row's squared error written to `errs` when given.
 */
function looMean(res: Float64Array, lev: Float64Array, r: number, errs: Float64Array | undefined): number {
  const invR = 1 / r;
  let sum = 0;
  for (let i = 0; i < r; i++) {
    const e = (res[i] as number) / (1 - (lev[i] as number) - invR);
    const e2 = e * e;
    if (errs !== undefined) errs[i] = e2;
    sum += e2;
  }
  return sum / r;
}

/** Byte offset of element `i` of a view on a kernel's memory. */
const at = (a: Float64Array, i: number): number => a.byteOffset + 8 * i;

/**
 * Ridge regression with an unpenalised intercept, on typed arrays (docs/PEERS-METHODS.md: "centre X and y,
 * solve, recover the bias"):
 *
 *   w = argmin ‖yc − Xc·w‖² + α‖w‖²,   Xc = X − column means,  yc = y − mean(y),
 *   intercept = mean(y) − mean(X)·w.
 *
 * Solved by a Cholesky factorisation of either the primal `Xc'Xc + αI` (cols × cols, when
 * cols ≤ rows) or the dual `XcXc' + αI` (rows × rows, otherwise), whichever is smaller.
 *
 * Exact leave-one-out ("efficient LOO" of scikit-learn's RidgeCV): the fit is a linear smoother
 * ŷ = H·y whose hat matrix, with the unpenalised intercept, is that of the centred problem plus
 * 1/rows (the centred columns are orthogonal to the constant column):
 *
 *   H = Xc (Xc'Xc + αI)⁻¹ Xc' + 11'/rows,    LOO residual_i = (y_i − ŷ_i) / (1 − H_ii).
 *
 * This equals refitting without row i (re-centring on the other rows) and predicting row i.
 * Primal: H_ii − 1/rows = ‖L⁻¹x_i‖² with LL' = Xc'Xc + αI. Dual: with A = XcXc' + αI,
 * y − ŷ = α·A⁻¹yc and 1 − H_ii = α·(A⁻¹)_ii − 1/rows (A⁻¹ has eigenvalue 1/α on the constant
 * direction, which the 1/rows term removes again).
 */

/** A fitted ridge model: `prediction(x) = intercept + coef · x`. */
export interface RidgeFit {
  coef: Float64Array;
  intercept: number;
}

/** Result of {@link ridgeLoo}: exact LOO squared errors per alpha, the chosen alpha and its fit. */
export interface RidgeLooResult {
  /** The candidate alphas, in the order given. */
  alphas: Float64Array;
  /** `squaredErrors[t][i]`: squared LOO error of row `i` under `alphas[t]`. */
  squaredErrors: Float64Array[];
  /** Mean of `squaredErrors[t]` per alpha. */
  meanSquaredErrors: Float64Array;
  /** Index of the chosen alpha: the smallest mean LOO squared error, ties → the first. */
  alphaIndex: number;
  /** The chosen alpha. */
  alpha: number;
  /** The fit on all rows at the chosen alpha. */
  fit: RidgeFit;
}

/**
 * The centred columns of a column-major design (`rows × cols`) and its centred labels, computed
 * once so that {@link RidgeWorkspace.solveColumns} can fit on many column subsets (the ridge
 * inside Random-Search-Learn's search) without centring or gathering again. Centring is per
 * column over all rows, so it does not depend on which columns are chosen. With `gram: true` it
 * also holds the `cols × cols` cross-products of the centred columns (8·cols² bytes), after which
 * a subset's Gram matrix is a lookup instead of `rows·k²/2` multiply-adds.
 */
export class RidgeColumns {
  readonly rows: number;
  readonly cols: number;
  /** Centred columns, column-major: column j is `centred[j·rows … (j+1)·rows)`. */
  readonly centred: Float64Array;
  /** Column means. */
  readonly means: Float64Array;
  /** Centred labels and their mean. */
  readonly yc: Float64Array;
  readonly ym: number;
  /** `cy[j]` = centred column j · yc. */
  readonly cy: Float64Array;
  /** Full symmetric `cols × cols` Gram of the centred columns, or null. */
  readonly gram: Float64Array | null;

  constructor(src: Float64Array, rows: number, cols: number, y: ArrayLike<number>, gram = false) {
    if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(cols) && cols >= 1)) {
      throw new TbError("E_USAGE", `RidgeColumns: rows and cols must be positive integers, got ${rows} × ${cols}`);
    }
    if (src.length !== rows * cols || y.length !== rows) {
      throw new TbError("E_USAGE", `RidgeColumns: ${src.length} values and ${y.length} labels for ${rows} × ${cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.centred = new Float64Array(rows * cols);
    this.means = new Float64Array(cols);
    this.yc = new Float64Array(rows);
    let ys = 0;
    for (let i = 0; i < rows; i++) ys += y[i] as number;
    this.ym = ys / rows;
    for (let i = 0; i < rows; i++) this.yc[i] = (y[i] as number) - this.ym;
    this.cy = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      const o = j * rows;
      let s = 0;
      for (let i = 0; i < rows; i++) s += src[o + i] as number;
      const m = s / rows;
      this.means[j] = m;
      let c = 0;
      for (let i = 0; i < rows; i++) {
        const v = (src[o + i] as number) - m;
        this.centred[o + i] = v;
        c += v * (this.yc[i] as number);
      }
      this.cy[j] = c;
    }
    if (gram) {
      const G = new Float64Array(cols * cols);
      const off = new Int32Array(cols);
      for (let j = 0; j < cols; j++) off[j] = j * rows;
      for (let a = 0; a < cols; a++) {
        dotsWithColumn(this.centred, off, rows, a, G, a * cols);
        for (let b = 0; b < a; b++) G[b * cols + a] = G[a * cols + b] as number;
      }
      this.gram = G;
    } else {
      this.gram = null;
    }
  }
}

/**
 * `out[o + b] = X[:, a] · X[:, b]` for b = 0 … a, columns read at `X[off[·] + i]`, four columns at
 * a time (independent accumulators).
 */
function dotsWithColumn(X: Float64Array, off: Int32Array, r: number, a: number, out: Float64Array, o: number): void {
  const oa = off[a] as number;
  let b = 0;
  for (; b + 3 <= a; b += 4) {
    const o0 = off[b] as number;
    const o1 = off[b + 1] as number;
    const o2 = off[b + 2] as number;
    const o3 = off[b + 3] as number;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < r; i++) {
      const x = X[oa + i] as number;
      s0 += x * (X[o0 + i] as number);
      s1 += x * (X[o1 + i] as number);
      s2 += x * (X[o2 + i] as number);
      s3 += x * (X[o3 + i] as number);
    }
    out[o + b] = s0;
    out[o + b + 1] = s1;
    out[o + b + 2] = s2;
    out[o + b + 3] = s3;
  }
  for (; b <= a; b++) {
    const ob = off[b] as number;
    let s = 0;
    for (let i = 0; i < r; i++) s += (X[oa + i] as number) * (X[ob + i] as number);
    out[o + b] = s;
  }
}

/**
 * Reusable scratch space for repeated ridge fits (no allocation once the buffers have grown to
 * the largest problem seen). {@link solve} reads the design column-major from `src` (column `a`
 * of X is `src[c·rows … c·rows + rows)` with `c = colIdx[a]`, or `c = a` when `colIdx` is null);
 * {@link solveColumns} fits on a column subset of a precomputed {@link RidgeColumns}. The results
 * (`coef`, `intercept`, `alphaIndex`, `meanSquaredErrors`) live in the workspace and are
 * overwritten by the next call.
 */
export class RidgeWorkspace {
  private xc = new Float64Array(0);
  private off = new Int32Array(0);
  private xmean = new Float64Array(0);
  private yc = new Float64Array(0);
  private gram = new Float64Array(0);
  private chol = new Float64Array(0);
  private work = new Float64Array(0);
  private lev = new Float64Array(0);
  private resid = new Float64Array(0);
  private vec = new Float64Array(0);
  private coefs = new Float64Array(0);
  private intercepts = new Float64Array(0);
  private mse = new Float64Array(0);
  private cols = 0;
  private chosen = 0;
  /** The LOO kernel's memory (grown when a solve needs more), or null where WebAssembly SIMD is missing. */
  private kernel: { inst: WasmInstance; bytes: number } | null | undefined;
  /** Whether solves may use the kernel (tests turn it off to compare). @internal */
  useKernel = true;
  /**
   * Primal LOO solves (one per alpha) before the kernel is made: making one (compiling the module,
   * a fresh memory) costs ≈ 0.25 ms, more than a small solve, so a workspace used for one fit
   * (`ridgeFit`, `ridgeLoo`) stays in TypeScript and a reused one (a subset search) switches. The
   * numbers are the same either way. @internal
   */
  kernelAfter = 8;
  /** Smallest `rows × columns` of a solve that uses the kernel (below it, its calls cost more than they save). @internal */
  kernelMinSize = 512;
  private primalSolves = 0;
  /** Whether the kernel's `X` holds this solve's columns (copied once, read by every alpha). */
  private columnsIn = false;

  /**
   * Views on the kernel's memory for a primal LOO of `r` rows and `p` columns — the columns `X`,
   * their substitution `Z` (both `r × p`, column-major), the residuals and leverages — or undefined
   * without a kernel.
   */
  private kernelArrays(
    r: number,
    p: number,
  ): { k: RidgeKernel; X: Float64Array; Z: Float64Array; res: Float64Array; lev: Float64Array } | undefined {
    if (!this.useKernel || this.kernel === null || r * p < this.kernelMinSize) return undefined;
    if (++this.primalSolves <= this.kernelAfter) return undefined;
    const pad = (len: number) => Math.ceil((8 * len) / 16) * 16;
    const bytes = 2 * pad(r * p) + 2 * pad(r);
    let kern = this.kernel;
    if (kern === undefined || kern.bytes < bytes) {
      // grown by half again, so a search over subsets of one size makes it once
      const want = kern === undefined ? bytes : Math.max(bytes, Math.ceil(kern.bytes * 1.5));
      const inst = wasmInstance(RIDGE_WASM_HEX, want);
      if (inst === undefined) {
        this.kernel = null;
        return undefined;
      }
      kern = { inst, bytes: want };
      this.kernel = kern;
      this.columnsIn = false; // a new memory holds no columns yet
    }
    const buf = kern.inst.buffer;
    const X = new Float64Array(buf, 0, r * p);
    const Z = new Float64Array(buf, pad(r * p), r * p);
    const res = new Float64Array(buf, 2 * pad(r * p), r);
    const lev = new Float64Array(buf, 2 * pad(r * p) + pad(r), r);
    return { k: kern.inst.exports as unknown as RidgeKernel, X, Z, res, lev };
  }

  /** Coefficients of the chosen fit (a view into the workspace). */
  get coef(): Float64Array {
    return this.coefs.subarray(this.chosen * this.cols, (this.chosen + 1) * this.cols);
  }

  /** Intercept of the chosen fit. */
  get intercept(): number {
    return this.intercepts[this.chosen] as number;
  }

  /** Index of the chosen alpha. */
  get alphaIndex(): number {
    return this.chosen;
  }

  /** Mean LOO squared error per alpha after a `loo` solve (a view into the workspace). */
  get meanSquaredErrors(): Float64Array {
    return this.mse;
  }

  /**
   * Fit ridge at every alpha; with `loo`, also compute the exact LOO squared errors (written to
   * `squaredErrorsOut[t·rows + i]` when given) and choose the alpha with the smallest mean (ties
   * → the first). Without `loo` the first alpha is chosen. Inputs are not validated here (the
   * public functions do that); returns the chosen index.
   */
  solve(
    src: Float64Array,
    rows: number,
    cols: number,
    colIdx: ArrayLike<number> | null,
    y: ArrayLike<number>,
    alphas: ArrayLike<number>,
    loo: boolean,
    squaredErrorsOut?: Float64Array,
  ): number {
    const r = rows;
    const p = cols;
    this.ensure(r, p, alphas.length);
    const xc = this.xc;
    const off = this.off;
    const xmean = this.xmean;
    const yc = this.yc;
    // Centre the columns and the labels.
    for (let a = 0; a < p; a++) {
      const base = (colIdx === null ? a : (colIdx[a] as number)) * r;
      let s = 0;
      for (let i = 0; i < r; i++) s += src[base + i] as number;
      const m = s / r;
      xmean[a] = m;
      const o = a * r;
      off[a] = o;
      for (let i = 0; i < r; i++) xc[o + i] = (src[base + i] as number) - m;
    }
    let ys = 0;
    for (let i = 0; i < r; i++) ys += y[i] as number;
    const ym = ys / r;
    for (let i = 0; i < r; i++) yc[i] = (y[i] as number) - ym;
    if (p <= r) {
      for (let a = 0; a < p; a++) {
        dotsWithColumn(xc, off, r, a, this.gram, a * p);
        let s = 0;
        const o = a * r;
        for (let i = 0; i < r; i++) s += (xc[o + i] as number) * (yc[i] as number);
        this.vec[a] = s;
      }
    } else {
      this.dualGram(xc, r, p);
    }
    return this.finish(xc, r, p, yc, ym, alphas, loo, squaredErrorsOut);
  }

  /**
   * {@link solve} on the columns `colIdx` of a precomputed {@link RidgeColumns} (labels and
   * centring are the ones stored there).
   */
  solveColumns(
    columns: RidgeColumns,
    colIdx: ArrayLike<number>,
    alphas: ArrayLike<number>,
    loo: boolean,
    squaredErrorsOut?: Float64Array,
  ): number {
    const r = columns.rows;
    const p = colIdx.length;
    const n = columns.cols;
    this.ensure(r, p, alphas.length);
    const off = this.off;
    const xmean = this.xmean;
    for (let a = 0; a < p; a++) {
      const j = colIdx[a] as number;
      off[a] = j * r;
      xmean[a] = columns.means[j] as number;
    }
    const xs = columns.centred;
    if (p <= r) {
      const CG = columns.gram;
      const G = this.gram;
      for (let a = 0; a < p; a++) {
        const ja = colIdx[a] as number;
        this.vec[a] = columns.cy[ja] as number;
        if (CG !== null) {
          const row = ja * n;
          for (let b = 0; b <= a; b++) G[a * p + b] = CG[row + (colIdx[b] as number)] as number;
        } else {
          dotsWithColumn(xs, off, r, a, G, a * p);
        }
      }
    } else {
      this.dualGram(xs, r, p);
    }
    return this.finish(xs, r, p, columns.yc, columns.ym, alphas, loo, squaredErrorsOut);
  }

  private finish(
    xs: Float64Array,
    r: number,
    p: number,
    yc: Float64Array,
    ym: number,
    alphas: ArrayLike<number>,
    loo: boolean,
    squaredErrorsOut: Float64Array | undefined,
  ): number {
    this.cols = p;
    this.columnsIn = false; // a new solve: its columns are copied at its first kernel alpha
    const xmean = this.xmean;
    let best = 0;
    let bestMse = Number.POSITIVE_INFINITY;
    for (let t = 0; t < alphas.length; t++) {
      const alpha = alphas[t] as number;
      const errs = squaredErrorsOut === undefined ? undefined : squaredErrorsOut.subarray(t * r, (t + 1) * r);
      const m =
        p <= r
          ? this.primalAlpha(xs, r, p, yc, alpha, t, loo, errs)
          : this.dualAlpha(xs, r, p, yc, alpha, t, loo, errs);
      this.mse[t] = m;
      let b = ym;
      const w = this.coefs;
      for (let a = 0; a < p; a++) b -= (xmean[a] as number) * (w[t * p + a] as number);
      this.intercepts[t] = b;
      if (loo && m < bestMse) {
        bestMse = m;
        best = t;
      }
    }
    this.chosen = best;
    return best;
  }

  private ensure(r: number, p: number, na: number): void {
    const grow = (buf: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> =>
      buf.length >= size ? buf : new Float64Array(size);
    const q = Math.min(r, p);
    this.xc = grow(this.xc, r * p);
    if (this.off.length < p) this.off = new Int32Array(p);
    this.xmean = grow(this.xmean, p);
    this.yc = grow(this.yc, r);
    this.gram = grow(this.gram, q * q);
    this.chol = grow(this.chol, q * q);
    this.work = grow(this.work, p <= r ? r * p : r * r);
    this.lev = grow(this.lev, r);
    this.resid = grow(this.resid, r);
    this.vec = grow(this.vec, Math.max(r, p));
    this.coefs = grow(this.coefs, na * p);
    this.intercepts = grow(this.intercepts, na);
    if (this.mse.length !== na) this.mse = new Float64Array(na);
  }

  /** Lower triangle of K = XcXc' (r × r), columns of Xc at `xs[off[a] + i]`. */
  private dualGram(xs: Float64Array, r: number, p: number): void {
    const off = this.off;
    const K = this.gram;
    K.fill(0, 0, r * r);
    for (let a = 0; a < p; a++) {
      const oa = off[a] as number;
      for (let i = 0; i < r; i++) {
        const xi = xs[oa + i] as number;
        if (xi === 0) continue;
        const ki = i * r;
        for (let j = 0; j <= i; j++) K[ki + j] = (K[ki + j] as number) + xi * (xs[oa + j] as number);
      }
    }
  }

  /** Primal solve at one alpha; returns the mean LOO squared error (NaN when `loo` is false). */
  private primalAlpha(
    xs: Float64Array,
    r: number,
    p: number,
    yc: Float64Array,
    alpha: number,
    t: number,
    loo: boolean,
    errs: Float64Array | undefined,
  ): number {
    const L = this.chol;
    cholesky(this.gram, p, alpha, L);
    const w = this.coefs.subarray(t * p, (t + 1) * p);
    choleskySolve(L, p, this.vec, w);
    if (!loo) return Number.NaN;
    const off = this.off;
    const kk = this.kernelArrays(r, p);
    if (kk !== undefined) return this.primalLooKernel(kk, xs, r, p, yc, w, errs);
    // Z = Xc·L⁻ᵀ by forward substitution over columns (Z[:, a] = (Xc[:, a] − Σ_{b<a} L[a,b]·Z[:, b]) / L[a,a]),
    // column-major in `work`; the centred-problem leverage of row i is ‖Z[i, :]‖².
    const Z = this.work;
    const lev = this.lev;
    lev.fill(0, 0, r);
    for (let a = 0; a < p; a++) {
      const za = a * r;
      const xa = off[a] as number;
      const la = a * p;
      for (let i = 0; i < r; i++) Z[za + i] = xs[xa + i] as number;
      let b = 0;
      for (; b + 3 < a; b += 4) {
        const l0 = L[la + b] as number;
        const l1 = L[la + b + 1] as number;
        const l2 = L[la + b + 2] as number;
        const l3 = L[la + b + 3] as number;
        const z0 = b * r;
        const z1 = z0 + r;
        const z2 = z1 + r;
        const z3 = z2 + r;
        for (let i = 0; i < r; i++) {
          Z[za + i] =
            (Z[za + i] as number) -
            l0 * (Z[z0 + i] as number) -
            l1 * (Z[z1 + i] as number) -
            l2 * (Z[z2 + i] as number) -
            l3 * (Z[z3 + i] as number);
        }
      }
      for (; b < a; b++) {
        const l = L[la + b] as number;
        const zb = b * r;
        for (let i = 0; i < r; i++) Z[za + i] = (Z[za + i] as number) - l * (Z[zb + i] as number);
      }
      const inv = 1 / (L[la + a] as number);
      for (let i = 0; i < r; i++) {
        const z = (Z[za + i] as number) * inv;
        Z[za + i] = z;
        lev[i] = (lev[i] as number) + z * z;
      }
    }
    const res = this.resid;
    for (let i = 0; i < r; i++) res[i] = yc[i] as number;
    for (let a = 0; a < p; a++) {
      const wa = w[a] as number;
      const oa = off[a] as number;
      for (let i = 0; i < r; i++) res[i] = (res[i] as number) - wa * (xs[oa + i] as number);
    }
    return looMean(res, lev, r, errs);
  }

  /**
   * The LOO part of {@link primalAlpha} with its loops along a column in the kernel: the same
   * operations in the same order on the same values (the columns copied into its memory first).
   */
  private primalLooKernel(
    kk: { k: RidgeKernel; X: Float64Array; Z: Float64Array; res: Float64Array; lev: Float64Array },
    xs: Float64Array,
    r: number,
    p: number,
    yc: Float64Array,
    w: Float64Array,
    errs: Float64Array | undefined,
  ): number {
    const { k, X, Z, res, lev } = kk;
    const L = this.chol;
    const off = this.off;
    if (!this.columnsIn) {
      for (let a = 0; a < p; a++) {
        const xa = off[a] as number;
        X.set(xs.subarray(xa, xa + r), a * r);
      }
      this.columnsIn = true;
    }
    Z.set(X);
    lev.fill(0);
    for (let a = 0; a < p; a++) {
      const za = a * r;
      const la = a * p;
      let b = 0;
      for (; b + 3 < a; b += 4) {
        k.sub4(
          at(Z, za),
          at(Z, b * r),
          at(Z, (b + 1) * r),
          at(Z, (b + 2) * r),
          at(Z, (b + 3) * r),
          L[la + b] as number,
          L[la + b + 1] as number,
          L[la + b + 2] as number,
          L[la + b + 3] as number,
          r,
        );
      }
      for (; b < a; b++) k.axmy(at(Z, za), at(Z, b * r), L[la + b] as number, r);
      k.scaleLev(at(Z, za), at(lev, 0), 1 / (L[la + a] as number), r);
    }
    res.set(yc.subarray(0, r));
    for (let a = 0; a < p; a++) k.axmy(at(res, 0), at(X, a * r), w[a] as number, r);
    return looMean(res, lev, r, errs);
  }

  /** Dual solve at one alpha; returns the mean LOO squared error (NaN when `loo` is false). */
  private dualAlpha(
    xs: Float64Array,
    r: number,
    p: number,
    yc: Float64Array,
    alpha: number,
    t: number,
    loo: boolean,
    errs: Float64Array | undefined,
  ): number {
    const L = this.chol;
    cholesky(this.gram, r, alpha, L);
    const c = this.resid; // c = A⁻¹ yc
    choleskySolve(L, r, yc, c);
    const off = this.off;
    const w = this.coefs.subarray(t * p, (t + 1) * p);
    for (let a = 0; a < p; a++) {
      const oa = off[a] as number;
      let s = 0;
      for (let i = 0; i < r; i++) s += (xs[oa + i] as number) * (c[i] as number);
      w[a] = s;
    }
    if (!loo) return Number.NaN;
    // M = (L⁻¹)' stored row-major (M[j·r + i] = (L⁻¹)[i, j], upper); diag(A⁻¹)_j = Σ_i M[j, i]².
    const M = this.work;
    for (let j = 0; j < r; j++) {
      const mj = j * r;
      M[mj + j] = 1 / (L[j * r + j] as number);
      for (let i = j + 1; i < r; i++) {
        const li = i * r;
        let s = 0;
        for (let k = j; k < i; k++) s += (L[li + k] as number) * (M[mj + k] as number);
        M[mj + i] = -s / (L[li + i] as number);
      }
    }
    const invR = 1 / r;
    let sum = 0;
    for (let j = 0; j < r; j++) {
      const mj = j * r;
      let d = 0;
      for (let i = j; i < r; i++) d += (M[mj + i] as number) * (M[mj + i] as number);
      const e = (alpha * (c[j] as number)) / (alpha * d - invR);
      const e2 = e * e;
      if (errs !== undefined) errs[j] = e2;
      sum += e2;
    }
    return sum / r;
  }
}

/** Cholesky factor L (lower, row-major q × q) of `lower(G) + alpha·I`. */
function cholesky(G: Float64Array, q: number, alpha: number, L: Float64Array): void {
  for (let i = 0; i < q; i++) {
    const li = i * q;
    for (let j = 0; j <= i; j++) {
      const lj = j * q;
      let s = G[li + j] as number;
      for (let k = 0; k < j; k++) s -= (L[li + k] as number) * (L[lj + k] as number);
      if (i === j) {
        s += alpha;
        if (!(s > 0)) {
          throw new TbError("E_DEGENERATE", `ridge: the regularised Gram matrix is not positive definite (pivot ${s})`);
        }
        L[li + i] = Math.sqrt(s);
      } else {
        L[li + j] = s / (L[lj + j] as number);
      }
    }
  }
}

/** Solve (LL')·x = b for x (x may not alias b). */
function choleskySolve(L: Float64Array, q: number, b: ArrayLike<number>, x: Float64Array): void {
  for (let i = 0; i < q; i++) {
    const li = i * q;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (L[li + k] as number) * (x[k] as number);
    x[i] = s / (L[li + i] as number);
  }
  for (let i = q - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < q; k++) s -= (L[k * q + i] as number) * (x[k] as number);
    x[i] = s / (L[i * q + i] as number);
  }
}

function checkShape(fn: string, X: ArrayLike<number>, rows: number, cols: number, y: ArrayLike<number>): void {
  if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(cols) && cols >= 1)) {
    throw new TbError("E_USAGE", `${fn}: rows and cols must be positive integers, got ${rows} × ${cols}`);
  }
  if (X.length !== rows * cols) {
    throw new TbError("E_USAGE", `${fn}: X has ${X.length} values for ${rows} × ${cols}`);
  }
  if (y.length !== rows) {
    throw new TbError("E_USAGE", `${fn}: y has ${y.length} values for ${rows} rows`);
  }
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i] as number)) throw new TbError("E_USAGE", `${fn}: X[${i}] is not finite`);
  }
  for (let i = 0; i < rows; i++) {
    if (!Number.isFinite(y[i] as number)) throw new TbError("E_USAGE", `${fn}: y[${i}] is not finite`);
  }
}

/** Throw E_USAGE unless `alpha` is a finite number > 0; `what` names the option in the message. */
export function checkAlpha(alpha: unknown, what: string): asserts alpha is number {
  if (!(typeof alpha === "number" && Number.isFinite(alpha) && alpha > 0)) {
    throw new TbError("E_USAGE", `${what} must be a finite number > 0, got ${String(alpha)}`);
  }
}

/** Throw E_USAGE unless `alphas` is a non-empty array of finite numbers > 0. */
export function checkAlphas(alphas: unknown, what: string): asserts alphas is readonly number[] {
  if (!(Array.isArray(alphas) || alphas instanceof Float64Array) || alphas.length === 0) {
    throw new TbError("E_USAGE", `${what} must be a non-empty array of numbers > 0`);
  }
  const list = alphas as ArrayLike<unknown>;
  for (let t = 0; t < list.length; t++) checkAlpha(list[t], `${what}[${t}]`);
}

/** Row-major `rows × cols` → column-major copy. */
function toColumnMajor(X: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let a = 0; a < cols; a++) out[a * rows + i] = X[o + a] as number;
  }
  return out;
}

/**
 * Ridge fit with an unpenalised intercept. `X` is row-major `rows × cols`, `y` has `rows`
 * labels, `alpha` > 0.
 */
export function ridgeFit(
  X: ArrayLike<number>,
  rows: number,
  cols: number,
  y: ArrayLike<number>,
  alpha: number,
): RidgeFit {
  checkShape("ridgeFit", X, rows, cols, y);
  checkAlpha(alpha, "ridgeFit: alpha");
  const ws = new RidgeWorkspace();
  ws.solve(toColumnMajor(X, rows, cols), rows, cols, null, y, [alpha], false);
  return { coef: Float64Array.from(ws.coef), intercept: ws.intercept };
}

/**
 * Exact LOO squared errors of ridge (unpenalised intercept) for every alpha in `alphas`, the alpha
 * with the smallest mean (ties → the first in the list) and the fit on all rows at that alpha —
 * what scikit-learn's `RidgeCV(alphas)` computes with its default efficient LOO. Needs ≥ 2 rows.
 */
export function ridgeLoo(
  X: ArrayLike<number>,
  rows: number,
  cols: number,
  y: ArrayLike<number>,
  alphas: readonly number[] | Float64Array,
): RidgeLooResult {
  checkShape("ridgeLoo", X, rows, cols, y);
  checkAlphas(alphas, "ridgeLoo: alphas");
  if (rows < 2) throw new TbError("E_DEGENERATE", `ridgeLoo: leave-one-out needs at least 2 rows, got ${rows}`);
  const ws = new RidgeWorkspace();
  const errs = new Float64Array(alphas.length * rows);
  const best = ws.solve(toColumnMajor(X, rows, cols), rows, cols, null, y, alphas, true, errs);
  const alphaArr = Float64Array.from(alphas);
  return {
    alphas: alphaArr,
    squaredErrors: Array.from({ length: alphas.length }, (_, t) => errs.slice(t * rows, (t + 1) * rows)),
    meanSquaredErrors: Float64Array.from(ws.meanSquaredErrors),
    alphaIndex: best,
    alpha: alphaArr[best] as number,
    fit: { coef: Float64Array.from(ws.coef), intercept: ws.intercept },
  };
}

/** `fit.intercept + fit.coef · x`. */
export function ridgePredict(fit: RidgeFit, x: ArrayLike<number>): number {
  if (x.length !== fit.coef.length) {
    throw new TbError("E_USAGE", `ridgePredict: x has ${x.length} values for ${fit.coef.length} coefficients`);
  }
  let s = fit.intercept;
  for (let a = 0; a < x.length; a++) s += (fit.coef[a] as number) * (x[a] as number);
  return s;
}
