import { checkOptionKeys, type EvaluationMethod, type MethodResult, range, TbError } from "@tb/core";
import { checkAlphas, RidgeColumns, RidgeWorkspace } from "@tb/linear";
import { oneRoundMethod } from "./one-round.js";
import {
  applyRandomLearnModel,
  checkClip,
  checkPeerBudget,
  clip01,
  RANDOM_LEARN_ALPHAS,
  randomLearnModel,
  rowMeans,
} from "./random-learn.js";

/** Options of {@link randomSearchLearn}. */
export interface RandomSearchLearnOptions {
  /** Number of random k-subsets scored (default 10,000, BenchPred's). Integer ≥ 1. */
  search?: number;
  /** Candidate ridge penalties, chosen by exact LOO on the fitting part (default `[0.1, 1, 10]`). */
  alphas?: readonly number[];
  /** Clip each estimate to [0, 1] (default `true`; BenchPred does not clip). */
  clip?: boolean;
}

/**
 * Random-Search-Learn (BenchPred, docs/PEERS-METHODS.md): score `search` random k-subsets and keep the best;
 * then refit Random-Sampling-Learn's model-level ridge on all sources at that subset and apply it
 * to each target's answers.
 *
 * - One split of the sources, drawn once for the whole search from `ctx.rng.child("split")`
 *   (a shuffle): the first ⌈25 %⌉ are the validation part, the rest (75 %) the fitting part
 *   (scikit-learn's `train_test_split(test_size=0.25)` rounding). Needs ≥ 3 sources.
 * - A subset's score: ridge (alpha by exact LOO on the fitting part, labels = acc over all n
 *   examples) fitted on the fitting part, mean absolute error of its predicted accuracies on the
 *   validation part. Lowest score wins; ties → the earlier subset.
 * - Subset 0 is `ctx.rng.child("random").sample(range(n), k)`, the very subset `random-learn`
 *   draws, so `search: 1` reproduces `random-learn` exactly; subsets 1, 2, … come from
 *   `ctx.rng.child("search")` (a partial Fisher–Yates shuffle continued on one reusable
 *   permutation, which is uniform on k-subsets). Subsets for a smaller `search` are a prefix of
 *   those for a larger one, so `bestValidationMae` never grows with `search`.
 *
 * The search allocates nothing per subset: features are read from column-major copies of the
 * two parts of S (the fitting part centred once, {@link RidgeColumns}, with its n × n Gram when
 * that pays) and the ridge reuses one {@link RidgeWorkspace}.
 *
 * Estimates are clipped to [0, 1] unless `clip: false`. Diagnostics: `alpha` (of the final fit),
 * `bestValidationMae`, `bestSearchIndex` (0-based), `search`. One round: the search uses the
 * sources alone, then every target is asked the best subset at once (`start(ctx)`; `run(ctx)`
 * drives it).
 */
export function randomSearchLearn(options: RandomSearchLearnOptions = {}): Required<EvaluationMethod> {
  checkOptionKeys(options, ["search", "alphas", "clip"], "randomSearchLearn");
  const search = options.search ?? 10_000;
  if (!(typeof search === "number" && Number.isInteger(search) && search >= 1)) {
    throw new TbError("E_USAGE", `random-search-learn: search must be an integer ≥ 1, got ${String(search)}`);
  }
  const alphas = options.alphas ?? RANDOM_LEARN_ALPHAS;
  checkAlphas(alphas, "random-search-learn: alphas");
  const frozen = Object.freeze([...alphas]);
  const clip = checkClip("random-search-learn", options.clip);
  return oneRoundMethod("random-search-learn", (ctx) => {
    const S = ctx.sources;
    const m = S.rows;
    const n = S.cols;
    const k = ctx.budget;
    checkPeerBudget("random-search-learn", k, n);
    if (m < 3) {
      throw new TbError(
        "E_DEGENERATE",
        `random-search-learn: a 75/25 split with leave-one-out on the fitting part needs ≥ 3 sources, got ${m}`,
      );
    }
    const acc = rowMeans(S);
    const nVal = Math.ceil(0.25 * m);
    const nFit = m - nVal;
    const perm = ctx.rng.child("split").shuffle(range(m));
    // Column-major copies of the two parts: column j of part P is P[j·|P| … (j+1)·|P|).
    const fitCM = new Float64Array(n * nFit);
    const valCM = new Float64Array(n * nVal);
    const yFit = new Float64Array(nFit);
    const yVal = new Float64Array(nVal);
    const d = S.data;
    for (let q = 0; q < m; q++) {
      const s = perm[q] as number;
      const o = s * n;
      if (q < nVal) {
        yVal[q] = acc[s] as number;
        for (let j = 0; j < n; j++) valCM[j * nVal + q] = d[o + j] as number;
      } else {
        const i = q - nVal;
        yFit[i] = acc[s] as number;
        for (let j = 0; j < n; j++) fitCM[j * nFit + i] = d[o + j] as number;
      }
    }

    // Centre the fitting part once (centring is per column, whatever the subset); when the
    // search is long enough to amortise it and n² cells fit in 32 MB, also precompute the
    // n × n Gram of its centred columns so that a subset's Gram is a lookup.
    const withGram = k <= nFit && n * n <= 4_000_000 && search * k * k > n * n;
    const columns = new RidgeColumns(fitCM, nFit, n, yFit, withGram);
    const ws = new RidgeWorkspace();
    const pred = new Float64Array(nVal);
    const pool = range(n);
    const subset = ctx.rng.child("random").sample(range(n), k);
    const best = Int32Array.from(subset);
    const searchRng = ctx.rng.child("search");
    let bestMae = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    for (let it = 0; it < search; it++) {
      if (it > 0) {
        for (let i = 0; i < k; i++) {
          const j = i + searchRng.nextInt(n - i);
          const t = pool[i] as number;
          pool[i] = pool[j] as number;
          pool[j] = t;
          subset[i] = pool[i] as number;
        }
      }
      ws.solveColumns(columns, subset, frozen, true);
      const coef = ws.coef;
      pred.fill(ws.intercept);
      for (let a = 0; a < k; a++) {
        const w = coef[a] as number;
        const o = (subset[a] as number) * nVal;
        for (let v = 0; v < nVal; v++) pred[v] = (pred[v] as number) + w * (valCM[o + v] as number);
      }
      let mae = 0;
      for (let v = 0; v < nVal; v++) mae += Math.abs((pred[v] as number) - (yVal[v] as number));
      mae /= nVal;
      if (mae < bestMae) {
        bestMae = mae;
        bestIndex = it;
        best.set(subset);
      }
    }

    const model = randomLearnModel(S, best, frozen);
    return {
      examples: best,
      reason: "coreset",
      result(answers): MethodResult {
        const estimates = new Float64Array(answers.length);
        answers.forEach((y, t) => {
          const v = applyRandomLearnModel(model, y);
          estimates[t] = clip ? clip01(v) : v;
        });
        return {
          estimates,
          diagnostics: { alpha: model.alpha, bestValidationMae: bestMae, bestSearchIndex: bestIndex, search },
        };
      },
    };
  });
}
