import { RandomStream, range, type Seed, type Workspace, workspaceOf } from "@tb/core";
import type { Buffers } from "./buffer-pool.js";
import { gridMatrix } from "./exact.js";
import { DEFAULT_EPS, medoidCost, type SwapResult } from "./pam.js";
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
): { iterations: number; swaps: number } {
  const K = med.length;
  if (maxPasses === 0) return { iterations: 0, swaps: 0 };
  if (f === K || K === m) return { iterations: 1, swaps: 0 };
  const order = rng ? rng.shuffle(range(m)) : range(m);
  const st = new SwapState(q, m, med, f, false, undefined, undefined, buffers);
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
      st.phiAll(h, phi);
      let bi = -1;
      let best = Number.POSITIVE_INFINITY;
      for (let i = f; i < K; i++) {
        const v = phi[i] as number;
        if (v < best) {
          best = v;
          bi = i;
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
  checkSquare(dist, m, "fasterPam");
  const med = checkMedoids(initialMedoids, m, "fasterPam");
  const f = checkInt(opts.fixed ?? 0, 0, med.length, "fasterPam: fixed");
  const maxPasses = checkInt(opts.maxPasses ?? DEFAULT_MAX_PASSES, 0, Number.MAX_SAFE_INTEGER, "fasterPam: maxPasses");
  const eps = checkEps(opts.eps ?? DEFAULT_EPS, "fasterPam: eps");
  const scratch =
    opts.workspace === undefined ? undefined : kmedoidsScratch(workspaceOf(opts.workspace, "fasterPam: workspace"));
  const q = gridMatrix(dist, m, scratch);
  const rng = opts.rng === undefined ? undefined : RandomStream.from(opts.rng, "fasterPam: rng");
  const { iterations, swaps } = fasterPamCore(q, m, med, f, maxPasses, eps, rng, scratch?.pool);
  return { medoids: med, cost: medoidCost(dist, m, med), iterations, swaps };
}
