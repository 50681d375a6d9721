import {
  type CorrectnessMatrix,
  checkOptionKeys,
  type EvaluationMethod,
  type MethodResult,
  range,
  TbError,
  WeakTable,
  type Workspace,
  workspaceKey,
} from "@tb/core";
import { fasterPam, pamSwap } from "@tb/kmedoids";
import { oneRoundMethod } from "./one-round.js";

/** Options of the Anchor Points baseline (docs/METHOD.md §5). */
export interface AnchorPointsOptions {
  /** §5 step 3: `"fasterpam"` (default, the reference's `kmedoids.fasterpam`) or `"pam"` (§2.3 PAM-SWAP). */
  algorithm?: "fasterpam" | "pam";
  /** FasterPAM only: pass cap (default 100, the reference's `max_iter`). */
  maxPasses?: number;
  /** PAM only: swap cap (default: `@tb/kmedoids`' 5000). */
  maxIter?: number;
  /**
   * FasterPAM only: candidate order within a pass, `"index"` (default) or `"shuffled"` (one random
   * permutation per trial from `ctx.rng.child("fasterpam")`, like `kmedoids` with a seed).
   */
  candidateOrder?: "index" | "shuffled";
}

/**
 * Pearson correlation between the examples (columns) of a matrix, across its models (rows)
 * (docs/METHOD.md §5 step 2, §2.2): an `n × n` row-major Float64Array, clamped to [−1, 1], with 1 on
 * the diagonal. An example with zero variance across models has ρ = 0 to every other example
 * [SPEC] (NumPy gives NaN); `zeroVariance` lists them.
 */
export interface ExampleCorrelation {
  readonly n: number;
  readonly rho: Float64Array;
  readonly zeroVariance: Int32Array;
}

/** {@link ExampleCorrelation} of `values` (`rows × cols`, row-major), computed on typed arrays. */
export function exampleCorrelation(values: Float64Array, rows: number, cols: number): ExampleCorrelation {
  if (values.length !== rows * cols) {
    throw new TbError("E_USAGE", `exampleCorrelation: ${values.length} values for ${rows} × ${cols}`);
  }
  const n = cols;
  const S = rows;
  // Z[x] = centred column x scaled to unit norm (0 for a zero-variance column), example-major.
  const Z = new Float64Array(n * S);
  const zero: number[] = [];
  for (let x = 0; x < n; x++) {
    let m = 0;
    for (let s = 0; s < S; s++) m += values[s * n + x] as number;
    m /= S;
    let ss = 0;
    for (let s = 0; s < S; s++) {
      const t = (values[s * n + x] as number) - m;
      Z[x * S + s] = t;
      ss += t * t;
    }
    if (ss === 0) {
      zero.push(x);
      Z.fill(0, x * S, (x + 1) * S);
    } else {
      const inv = 1 / Math.sqrt(ss);
      for (let s = 0; s < S; s++) Z[x * S + s] = (Z[x * S + s] as number) * inv;
    }
  }
  const rho = new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    rho[x * n + x] = 1;
    const xo = x * S;
    for (let y = x + 1; y < n; y++) {
      const yo = y * S;
      let c = 0;
      for (let s = 0; s < S; s++) c += (Z[xo + s] as number) * (Z[yo + s] as number);
      if (c > 1) c = 1;
      else if (c < -1) c = -1;
      rho[x * n + y] = c;
      rho[y * n + x] = c;
    }
  }
  return { n, rho, zeroVariance: Int32Array.from(zero) };
}

/** Correlation-distance matrix `1 − ρ` (0 on the diagonal) of docs/METHOD.md §5 step 2. */
export function correlationDistance(corr: ExampleCorrelation): Float64Array {
  const { n, rho } = corr;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) dist[i] = 1 - (rho[i] as number);
  for (let x = 0; x < n; x++) dist[x * n + x] = 0;
  return dist;
}

/**
 * Anchor Points weights (docs/METHOD.md §5 step 4): every example goes to the medoid with the
 * **highest** correlation, first in the medoid list on ties; `w_r = |C_r| / n` (0 for an empty
 * cluster). Returns the weights and each example's cluster.
 */
export function anchorWeights(
  corr: ExampleCorrelation,
  medoids: ArrayLike<number>,
): { weights: Float64Array; labels: Int32Array } {
  const { n, rho } = corr;
  const K = medoids.length;
  const labels = new Int32Array(n);
  const best = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < K; r++) {
    const row = (medoids[r] as number) * n;
    for (let x = 0; x < n; x++) {
      const v = rho[row + x] as number;
      if (v > (best[x] as number)) {
        best[x] = v;
        labels[x] = r;
      }
    }
  }
  const weights = new Float64Array(K);
  for (let x = 0; x < n; x++) {
    const l = labels[x] as number;
    weights[l] = (weights[l] as number) + 1;
  }
  for (let r = 0; r < K; r++) weights[r] = (weights[r] as number) / n;
  return { weights, labels };
}

interface Prepared {
  corr: ExampleCorrelation;
  dist: Float64Array;
}
/** The correlation matrices a workspace keeps, per sources matrix (weakly: they go with the matrix). */
class PreparedTable {
  readonly byMatrix = new WeakTable<CorrectnessMatrix, Prepared>();
  entries(): number {
    return this.byMatrix.values().length;
  }
  bytes(): number {
    let b = 0;
    for (const p of this.byMatrix.values()) b += p.dist.byteLength + p.corr.rho.byteLength;
    return b;
  }
}
const PREPARED = workspaceKey<PreparedTable>("@tb/baselines anchor-points correlations");

function prepare(sources: CorrectnessMatrix, workspace: Workspace | undefined): Prepared {
  const make = (): Prepared => {
    const corr = exampleCorrelation(sources.data, sources.rows, sources.cols);
    return { corr, dist: correlationDistance(corr) };
  };
  if (workspace === undefined) return make();
  const table = workspace.slot(PREPARED, () => new PreparedTable());
  let p = table.byMatrix.get(sources);
  if (!p) table.byMatrix.set(sources, (p = make()));
  return p;
}

/**
 * Anchor Points baseline (Vivek et al. 2024; docs/METHOD.md §5): embed each example by the raw
 * correctness of the sources, cluster the examples with K-medoids (`K = N`, random start without
 * replacement from `ctx.rng.child("anchors")`, FasterPAM by default) on the correlation distance
 * `1 − ρ` (zero-variance rule of §2.2), weight each medoid by its cluster's share of examples
 * (highest correlation, first on ties), and estimate every target as `Σ_r w_r c[t][μ_r]`. One
 * coreset for all targets. The correlation matrix is kept in the context's workspace per sources
 * matrix (a protocol's trials compute it once), with K-Medoids' buffers. One round: every target
 * is asked the medoids at once (`start(ctx)`; `run(ctx)` drives it through the oracles).
 * Diagnostics: `zeroVariance` (examples with no variance across sources), `cost`, `passes`,
 * `swaps`, `emptyClusters`, and the `medoids` (slot order) with their `weights`.
 */
export function anchorPoints(options: AnchorPointsOptions = {}): Required<EvaluationMethod> {
  checkOptionKeys(options, ["algorithm", "maxPasses", "maxIter", "candidateOrder"], "anchorPoints");
  const algorithm = options.algorithm ?? "fasterpam";
  if (algorithm !== "fasterpam" && algorithm !== "pam") {
    throw new TbError("E_USAGE", `anchor points: algorithm must be "fasterpam" or "pam", got "${String(algorithm)}"`);
  }
  const order = options.candidateOrder ?? "index";
  if (order !== "index" && order !== "shuffled") {
    throw new TbError("E_USAGE", `anchor points: candidateOrder must be "index" or "shuffled", got "${String(order)}"`);
  }
  // an option of the other algorithm would be ignored: said, not run as if it were not given
  const unread =
    algorithm === "pam"
      ? (["maxPasses", "candidateOrder"] as const).filter((k) => options[k] !== undefined)
      : (["maxIter"] as const).filter((k) => options[k] !== undefined);
  if (unread.length > 0) {
    const other = algorithm === "pam" ? "FasterPAM" : "PAM";
    throw new TbError(
      "E_USAGE",
      `anchor points: ${unread.join(" and ")} ${unread.length > 1 ? "are options" : "is an option"} of ${other}, and algorithm "${algorithm}" never reads ${unread.length > 1 ? "them" : "it"}: leave ${unread.length > 1 ? "them" : "it"} out, or choose algorithm "${algorithm === "pam" ? "fasterpam" : "pam"}"`,
    );
  }
  return oneRoundMethod("anchor-points", (ctx) => {
    const n = ctx.sources.cols;
    const K = ctx.budget;
    if (!(Number.isInteger(K) && K >= 1 && K <= n)) {
      throw new TbError("E_USAGE", `anchor points: budget ${K} must be an integer in [1, ${n}]`);
    }
    const { corr, dist } = prepare(ctx.sources, ctx.workspace);
    const workspace = ctx.workspace === undefined ? {} : { workspace: ctx.workspace };
    const init = ctx.rng.child("anchors").sample(range(n), K);
    let res: { medoids: Int32Array; cost: number; iterations: number; swaps: number };
    if (algorithm === "fasterpam") {
      res = fasterPam(dist, n, init, {
        ...(options.maxPasses !== undefined ? { maxPasses: options.maxPasses } : {}),
        ...(order === "shuffled" ? { rng: ctx.rng.child("fasterpam") } : {}),
        ...workspace,
      });
    } else {
      res = pamSwap(dist, n, init, {
        ...(options.maxIter !== undefined ? { maxIter: options.maxIter } : {}),
        ...workspace,
      });
    }
    const medoids = res.medoids;
    const { weights } = anchorWeights(corr, medoids);
    let empty = 0;
    for (const w of weights) if (w === 0) empty++;
    return {
      examples: medoids,
      reason: "anchors",
      result(answers): MethodResult {
        const estimates = new Float64Array(answers.length);
        answers.forEach((y, t) => {
          let s = 0;
          for (let r = 0; r < K; r++) s += (weights[r] as number) * (y[r] as number);
          estimates[t] = s;
        });
        return {
          estimates,
          diagnostics: {
            algorithm,
            zeroVariance: corr.zeroVariance.length,
            cost: res.cost,
            passes: res.iterations,
            swaps: res.swaps,
            emptyClusters: empty,
            medoids: Array.from(medoids),
            weights: Array.from(weights),
          },
        };
      },
    };
  });
}
