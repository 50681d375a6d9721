import { checkOptionKeys, optionNames, type Workspace, workspaceOf } from "@tb/core";
import type { Buffers } from "./buffer-pool.js";
import { gridMatrix } from "./exact.js";
import { type NearIndex, nearIndex } from "./near.js";
import { kmedoidsScratch } from "./scratch.js";
import { type RowSource, SwapState } from "./swap-state.js";
import { checkEps, checkInt, checkMedoids, checkSquare } from "./validate.js";

/** Options of {@link pamSwap} and {@link pamSwapNaive} (docs/METHOD.md §2.3). */
export interface PamSwapOptions {
  /** Number `f` of leading medoid slots that are fixed: never swapped out, but they serve points. Default 0. */
  fixed?: number;
  /** Maximum number of swaps (the reference's `max_iter`). Default 5000. */
  maxIter?: number;
  /**
   * Relative acceptance threshold (docs/METHOD.md §9.18): a swap is made only when
   * `Φ < −eps·max(1, |current cost|)`. Default 1e-9.
   */
  eps?: number;
}

/** Options of {@link pamSwap} (docs/METHOD.md §2.3). */
export interface PamSwapFastOptions extends PamSwapOptions {
  /**
   * Keep the per-candidate sums A(h), B_i(h) between iterations and update them only for the
   * points whose medoid status, d1, d2 or nearest slot changed (default `true`). `false` rebuilds
   * them from scratch every iteration (O(m²)); both give identical swaps.
   */
  incremental?: boolean;
  /**
   * With fixed medoids, list once per run the entries of each row below the point's distance
   * to its nearest fixed medoid — the only ones the sums can read — and scan those lists
   * instead of whole rows (default `true`; ≈ 3 % of the entries on GSM8K). Same swaps.
   */
  nearLists?: boolean;
  /**
   * Where to keep the quantized copy and the search's buffers for later calls (a `Workspace` of
   * `@tb/core`); without one they are fresh and dropped with the call. Same result either way.
   */
  workspace?: Workspace;
}

/** pamSwapNaive takes the swap options only (not pamSwap's incremental, nearLists or workspace). */
const NAIVE_OPTION_NAMES = optionNames<PamSwapOptions>()("fixed", "maxIter", "eps");

/** Result of a swap search (docs/METHOD.md §2.3, §5). */
export interface SwapResult {
  /** Final medoid per slot (point indices). Slot order is kept; the first `fixed` slots never change. */
  medoids: Int32Array;
  /** Σ_j min_i Δ(μ_i, j) over all `m` points, on the given matrix. */
  cost: number;
  /**
   * Swap evaluations performed: PAM sweeps over all (slot, candidate) pairs (= swaps + 1 when it
   * converged, = swaps when `maxIter` stopped it); for FasterPAM, passes over the candidates.
   */
  iterations: number;
  /** Swaps made. */
  swaps: number;
}

/** Default `maxIter` of {@link pamSwap} (docs/METHOD.md §2.3). */
export const DEFAULT_MAX_ITER = 5000;
/** Default relative acceptance threshold (docs/METHOD.md §9.18). */
export const DEFAULT_EPS = 1e-9;

/** Σ_j min_i Δ(μ_i, j), summed in point order. Internal. */
export function medoidCost(dist: Float64Array, m: number, med: Int32Array): number {
  const best = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < med.length; i++) {
    const row = (med[i] as number) * m;
    for (let j = 0; j < m; j++) {
      const v = dist[row + j] as number;
      if (v < (best[j] as number)) best[j] = v;
    }
  }
  let c = 0;
  for (let j = 0; j < m; j++) c += best[j] as number;
  return c;
}

interface ParsedOptions {
  med: Int32Array;
  f: number;
  maxIter: number;
  eps: number;
}

function parse(
  fn: string,
  dist: Float64Array,
  m: number,
  initialMedoids: ArrayLike<number>,
  opts: PamSwapOptions,
): ParsedOptions {
  checkSquare(dist, m, fn);
  const med = checkMedoids(initialMedoids, m, fn);
  const f = checkInt(opts.fixed ?? 0, 0, med.length, `${fn}: fixed`);
  const maxIter = checkInt(opts.maxIter ?? DEFAULT_MAX_ITER, 0, Number.MAX_SAFE_INTEGER, `${fn}: maxIter`);
  const eps = checkEps(opts.eps ?? DEFAULT_EPS, `${fn}: eps`);
  return { med, f, maxIter, eps };
}

/**
 * The PAM swap loop on an already quantized matrix; `med` is updated in place. Internal (used by
 * {@link pamSwap} and CLARA, which owns its sample matrix and quantizes it in place). `near`: the
 * near lists of `q` for the fixed medoids `med[0..f)` ({@link nearIndex}), when the caller has them.
 * `rows`: the sparse path — rows on demand instead of `q` (then empty), `near` required.
 */
export function pamSwapCore(
  q: Float64Array,
  m: number,
  med: Int32Array,
  f: number,
  maxIter: number,
  eps: number,
  incremental: boolean,
  near?: NearIndex,
  rows?: RowSource,
  buffers?: Buffers,
): { iterations: number; swaps: number } {
  const K = med.length;
  if (maxIter === 0) return { iterations: 0, swaps: 0 };
  if (f === K || K === m) return { iterations: 1, swaps: 0 }; // no (slot, candidate) pair exists
  const st = new SwapState(q, m, med, f, true, near, rows, buffers);
  const { A, C, V, W, M, slotOf } = st;
  const order = new Int32Array(K);
  const cs = new Float64Array(K);
  const d2s = new Float64Array(K);
  let swaps = 0;
  let iterations = 0;
  while (swaps < maxIter) {
    iterations++;
    const d2 = st.d2;
    // Scan order of §2.3: candidates h ascending, slots i ascending within h, keeping the first
    // strictly smaller Φ. All Φ are exact (quantized matrix), so ties are exact. Since B_i(h) ≥ 0
    // and ψ ≥ 0, Φ(i,h) ≥ A(h): a candidate with A(h) ≥ best cannot give a strictly smaller Φ,
    // so it is skipped without looking at its slots (the same pair is found, far fewer Φ).
    // A first bound: g = min_i Φ(i, h*) for the candidate h* with the smallest A. The best Φ is
    // ≤ g, so a candidate with A(h) > g can be skipped from the start of the scan.
    // per slot: C(i) and d2(μ_i), read contiguously in the candidate loop
    for (let i = f; i < K; i++) {
      cs[i] = C[i] as number;
      d2s[i] = d2[med[i] as number] as number;
    }
    let hs = -1;
    let as = 0;
    for (let h = 0; h < m; h++) {
      if ((slotOf[h] as number) < 0 && (A[h] as number) < as) {
        as = A[h] as number;
        hs = h;
      }
    }
    let g = 0;
    if (hs >= 0) {
      for (let i = f; i < K; i++) {
        const dho = M[hs * K + i] as number;
        const d2o = d2s[i] as number;
        const phi = as + ((cs[i] as number) + (V[hs * K + i] as number)) + Math.min(dho, d2o);
        if (phi < g) g = phi;
      }
    }
    // Slots by ascending C(i) (ties by slot): since V_i(h) ≥ W(h) = Σ_i V_i(h) and ψ ≥ 0,
    // Φ(i,h) ≥ A(h) + C(i) + W(h), so once that bound exceeds the best Φ so far, no later slot
    // in this order can do better for this candidate. Within a candidate the slots are then not
    // visited in index order: a tie with the best Φ of the same candidate goes to the smaller slot.
    let ns = 0;
    for (let i = f; i < K; i++) order[ns++] = i;
    const ord = order.subarray(0, ns);
    ord.sort((x, y) => (cs[x] as number) - (cs[y] as number) || x - y);
    let best = 0;
    let bi = -1;
    let bh = -1;
    for (let h = 0; h < m; h++) {
      if ((slotOf[h] as number) >= 0) continue;
      const ah = A[h] as number;
      if (!(ah < best) || ah > g) continue;
      const base = h * K;
      const aw = ah + (W[h] as number);
      for (let t = 0; t < ns; t++) {
        const i = ord[t] as number;
        const ci = cs[i] as number;
        if (aw + ci > best) break;
        // ψ(i,h) = min(Δ(μ_i, h), d2(μ_i))
        const dho = M[base + i] as number;
        const d2o = d2s[i] as number;
        const phi = ah + (ci + (V[base + i] as number)) + Math.min(dho, d2o);
        if (phi < best || (phi === best && h === bh && i < bi)) {
          best = phi;
          bi = i;
          bh = h;
        }
      }
    }
    if (bi < 0 || !(best < -eps * Math.max(1, Math.abs(st.cost)))) break;
    st.swap(bi, bh, incremental);
    swaps++;
  }
  st.release();
  return { iterations, swaps };
}

/**
 * PAM swap with optional fixed medoids — the patched scikit-learn-extra `KMedoids(method="pam",
 * init=<given>)` swap phase (docs/METHOD.md §2.3). Best improvement: each iteration evaluates every
 * (swappable slot, non-medoid candidate) pair with the fast form Φ(i,h) = A(h) + B_i(h) + ψ(i,h),
 * takes the first pair (candidates ascending, slots ascending within a candidate) with the
 * smallest Φ, and makes that swap if `Φ < −eps·max(1, |cost|)` (§9.18); otherwise it stops.
 * Stops after `maxIter` swaps at the latest.
 *
 * Φ is evaluated exactly on the matrix rounded by `quantizeDistances` (§9.18), so exact ties
 * (common with 0/1 data, §9.6) are broken purely by scan order. The per-candidate sums are kept
 * between iterations and updated only for the points whose nearest/second-nearest medoid changed
 * (`incremental`, default); cost per iteration ≈ O(mK + |changed|·m) instead of O(m²).
 *
 * @param dist m×m symmetric row-major distance matrix (zero diagonal), not modified.
 * @param m number of points.
 * @param initialMedoids K distinct point indices; the first `opts.fixed` are fixed.
 * @returns medoids in slot order, the cost on `dist`, iterations and swaps.
 * @throws TbError `E_USAGE` on bad shapes or options, `E_INPUT` on negative/NaN/infinite distances.
 */
export function pamSwap(
  dist: Float64Array,
  m: number,
  initialMedoids: ArrayLike<number>,
  opts: PamSwapFastOptions = {},
): SwapResult {
  checkOptionKeys(opts, ["fixed", "maxIter", "eps", "incremental", "nearLists", "workspace"], "pamSwap");
  const { med, f, maxIter, eps } = parse("pamSwap", dist, m, initialMedoids, opts);
  const scratch =
    opts.workspace === undefined ? undefined : kmedoidsScratch(workspaceOf(opts.workspace, "pamSwap: workspace"));
  const q = gridMatrix(dist, m, scratch);
  const useNear = opts.nearLists !== false && maxIter > 0 && f < med.length;
  const near = useNear ? nearIndex(q, m, med.subarray(0, f)) : undefined;
  const { iterations, swaps } = pamSwapCore(
    q,
    m,
    med,
    f,
    maxIter,
    eps,
    opts.incremental ?? true,
    near,
    undefined,
    scratch?.pool,
  );
  return { medoids: med, cost: medoidCost(dist, m, med), iterations, swaps };
}

/**
 * Reference implementation for tests: §2.3 taken literally (docs/METHOD.md §2.3). Every iteration
 * recomputes d1/d2 and evaluates Φ(i,h) = Σ_{j ∉ medoids} φ_j + ψ with the φ_j case rules
 * ("served by μ_i" ⇔ Δ(μ_i, j) = d1(j)), scanning candidates ascending and slots ascending,
 * keeping the first strictly smaller Φ starting from 0, and accepting it when
 * `Φ < −eps·max(1, |cost|)`. O(K·m²) per iteration: use {@link pamSwap} for real work.
 *
 * It works on `dist` as given (no quantization): on matrices whose sums are not exact in float64,
 * feed it `quantizeDistances(dist, m)` to compare swap by swap with {@link pamSwap}.
 */
export function pamSwapNaive(
  dist: Float64Array,
  m: number,
  initialMedoids: ArrayLike<number>,
  opts: PamSwapOptions = {},
): SwapResult {
  checkOptionKeys(opts, NAIVE_OPTION_NAMES, "pamSwapNaive");
  const { med, f, maxIter, eps } = parse("pamSwapNaive", dist, m, initialMedoids, opts);
  const K = med.length;
  const isMed = new Uint8Array(m);
  for (let i = 0; i < K; i++) isMed[med[i] as number] = 1;
  const d1 = new Float64Array(m);
  const d2 = new Float64Array(m);
  let swaps = 0;
  let iterations = 0;
  while (swaps < maxIter) {
    iterations++;
    let cost = 0;
    for (let j = 0; j < m; j++) {
      let s1 = Number.POSITIVE_INFINITY;
      let s2 = Number.POSITIVE_INFINITY;
      for (let i = 0; i < K; i++) {
        const v = dist[(med[i] as number) * m + j] as number;
        if (v < s1) {
          s2 = s1;
          s1 = v;
        } else if (v < s2) s2 = v;
      }
      d1[j] = s1;
      d2[j] = s2;
      cost += s1;
    }
    let best = 0;
    let bi = -1;
    let bh = -1;
    for (let h = 0; h < m; h++) {
      if (isMed[h] === 1) continue;
      for (let i = f; i < K; i++) {
        const mu = med[i] as number;
        let phi = 0;
        for (let j = 0; j < m; j++) {
          if (isMed[j] === 1) continue;
          const dhj = dist[h * m + j] as number;
          const e1 = d1[j] as number;
          const e2 = d2[j] as number;
          if (dist[mu * m + j] === e1) phi += dhj < e2 ? dhj - e1 : e2 - e1;
          else phi += dhj < e1 ? dhj - e1 : 0;
        }
        const dhm = dist[h * m + mu] as number;
        const e2m = d2[mu] as number;
        phi += Math.min(dhm, e2m);
        if (phi < best) {
          best = phi;
          bi = i;
          bh = h;
        }
      }
    }
    if (bi < 0 || !(best < -eps * Math.max(1, Math.abs(cost)))) break;
    isMed[med[bi] as number] = 0;
    isMed[bh] = 1;
    med[bi] = bh;
    swaps++;
  }
  return { medoids: med, cost: medoidCost(dist, m, med), iterations, swaps };
}
