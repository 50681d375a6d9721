import { checkOptionKeys, RandomStream, range, type Seed, type Workspace, workspaceOf } from "@tb/core";
import type { Buffers } from "./buffer-pool.js";
import { checkedMax, gridBuffer, isOnGrid, roundToGrid } from "./exact.js";
import { DEFAULT_EPS, medoidCost, type SwapResult } from "./pam.js";
import { keptKernel, kernelOf, PHI_KERNEL_MIN_POINTS, type PhiKernel } from "./phi-kernel.js";
import { kmedoidsScratch } from "./scratch.js";
import { SwapState } from "./swap-state.js";
import { checkEps, checkInt, checkMedoids, checkSquare } from "./validate.js";

/** Options of {@link fasterPam} (docs/METHOD.md §5 step 3). */
export interface FasterPamOptions {
  /** Maximum number of passes over the candidates. Default 100 (the Anchor Points reference). */
  maxPasses?: number;
  /**
   * When given (a `RandomStream` or an integer seed), the candidate order is one random
   * permutation drawn from it (`rand_fasterpam`).
   */
  rng?: Seed;
  /** Relative acceptance threshold: swap only when `Φ < −eps·max(1, |cost|)` (§9.18). Default 1e-9. */
  eps?: number;
  /** Number of leading medoid slots that are never swapped out. Default 0. */
  fixed?: number;
  /**
   * Where to keep the quantized copy and the search's buffers for later calls (a `Workspace` of
   * `@tb/core`); without one they are fresh and dropped with the call. Same result either way.
   */
  workspace?: Workspace;
}

/** Default `maxPasses` of {@link fasterPam} (docs/METHOD.md §5 step 3: at most 100 passes). */
export const DEFAULT_MAX_PASSES = 100;

/**
 * The FasterPAM loop on an already quantized matrix; `med` is updated in place. Internal.
 *
 * @param kernel where Φ is computed: a {@link PhiKernel} whose `matrix` is `q`, `false` for the
 *   TypeScript loop, or undefined: the kernel when `q` is a {@link kernelMatrix} (never a copy), else
 *   the TypeScript loop. The same swaps and medoids either way.
 */
export function fasterPamCore(
  q: Float64Array,
  m: number,
  med: Int32Array,
  f: number,
  maxPasses: number,
  eps: number,
  rng: RandomStream | undefined,
  buffers?: Buffers,
  kernel?: PhiKernel | false,
): { iterations: number; swaps: number } {
  const K = med.length;
  if (maxPasses === 0) return { iterations: 0, swaps: 0 };
  if (f === K || K === m) return { iterations: 1, swaps: 0 };
  const order = rng ? rng.shuffle(range(m)) : range(m);
  const kern = kernel === false ? undefined : (kernel ?? kernelOf(q, m));
  const st = new SwapState(q, m, med, f, false, undefined, undefined, buffers, kern);
  const { slotOf } = st;
  const phi = new Float64Array(K);
  let lastSwap = -1;
  let swaps = 0;
  let passes = 0;
  let loss = st.cost;
  while (passes < maxPasses) {
    passes++;
    const swapsBefore = swaps;
    const lastLoss = loss;
    for (let t = 0; t < m; t++) {
      const h = order[t] as number;
      if (h === lastSwap) break; // a full circle since the last swap found nothing
      if ((slotOf[h] as number) >= 0) continue;
      let bi = -1;
      let best = Number.POSITIVE_INFINITY;
      if (kern !== undefined) {
        best = st.phiBest(h);
        bi = st.bestSlot;
      } else {
        st.phiAll(h, phi);
        for (let i = f; i < K; i++) {
          const v = phi[i] as number;
          if (v < best) {
            best = v;
            bi = i;
          }
        }
      }
      if (!(best < -eps * Math.max(1, Math.abs(loss)))) continue;
      st.swap(bi, h, true);
      swaps++;
      lastSwap = h;
      loss = st.cost;
    }
    if (swaps === swapsBefore || loss >= lastLoss) break;
  }
  st.release();
  return { iterations: passes, swaps };
}

/**
 * FasterPAM (Schubert & Rousseeuw; `kmedoids.fasterpam` as used by the Anchor Points reference,
 * docs/METHOD.md §5 step 3). Each pass visits the candidates in index order (or in one random
 * permutation drawn from `opts.rng`), skipping medoids; for each candidate it finds the best slot
 * to replace (the same Φ as §2.3, first slot on ties) and swaps at once when
 * `Φ < −eps·max(1, |cost|)`. A pass ends early when it comes back to the candidate of the last
 * swap; the search stops after a pass with no swap or no decrease in loss, or after `maxPasses`.
 * Φ is exact (quantized matrix, §9.18), computed per candidate in one O(m) pass (the removal-loss
 * form of FastPAM); a swap costs O(mK). Eager swapping makes many more swaps than PAM, so keeping
 * per-candidate sums (as {@link pamSwap} does) would cost more than it saves.
 *
 * @param dist m×m symmetric row-major distance matrix, not modified.
 * @param initialMedoids K distinct point indices (drawn without replacement, [SPEC] §5).
 * @returns medoids in slot order, cost on `dist`, passes (`iterations`) and swaps.
 * @throws TbError `E_USAGE` on bad shapes or options, `E_INPUT` on invalid distances.
 */
export function fasterPam(
  dist: Float64Array,
  m: number,
  initialMedoids: ArrayLike<number>,
  opts: FasterPamOptions = {},
): SwapResult {
  checkOptionKeys(opts, ["maxPasses", "rng", "eps", "fixed", "workspace"], "fasterPam");
  checkSquare(dist, m, "fasterPam");
  const med = checkMedoids(initialMedoids, m, "fasterPam");
  const f = checkInt(opts.fixed ?? 0, 0, med.length, "fasterPam: fixed");
  const maxPasses = checkInt(opts.maxPasses ?? DEFAULT_MAX_PASSES, 0, Number.MAX_SAFE_INTEGER, "fasterPam: maxPasses");
  const eps = checkEps(opts.eps ?? DEFAULT_EPS, "fasterPam: eps");
  const scratch =
    opts.workspace === undefined ? undefined : kmedoidsScratch(workspaceOf(opts.workspace, "fasterPam: workspace"));
  const rng = opts.rng === undefined ? undefined : RandomStream.from(opts.rng, "fasterPam: rng");
  // the matrix as it is when it is on the grid (in a kernelMatrix: the wasm kernel reads it there);
  // else rounded — on n ≥ PHI_KERNEL_MIN_POINTS points into a kernel's memory (kept in the workspace
  // for the next call of that size), which the wasm kernel then reads
  let kernel: PhiKernel | undefined;
  let q: Float64Array;
  const max = checkedMax(dist);
  if (isOnGrid(dist, max, m)) {
    q = dist;
  } else {
    kernel = m >= PHI_KERNEL_MIN_POINTS ? keptKernel(scratch, m) : undefined;
    q = roundToGrid(dist, max, m, kernel?.matrix ?? gridBuffer(scratch, dist.length));
  }
  const { iterations, swaps } = fasterPamCore(q, m, med, f, maxPasses, eps, rng, scratch?.pool, kernel);
  return { medoids: med, cost: medoidCost(dist, m, med), iterations, swaps };
}
