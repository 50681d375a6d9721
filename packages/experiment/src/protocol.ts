import {
  type CorrectnessMatrix,
  createOracle,
  drive,
  type EvaluationMethod,
  KeyedByObject,
  RandomStream,
  TbError,
  type Workspace,
  workspaceKey,
  workspaceOf,
} from "@tb/core";
import { evaluateEstimates, meanSe, pairOrder } from "@tb/metrics";
import type { ResolvedMethodModule } from "./custom.js";
import { isPairedMethod, type PairedScores, runPairedDesign, scorePairs, trialPairs } from "./paired.js";
import { type MethodConfig, makeMethod } from "./registry.js";
import { extrapolationSplit, randomSplit, type Split, type SplitKind } from "./split.js";

/** Version of the reproduce JSON schema (docs/DESIGN.md §3.3). */
export const SPEC_VERSION = 1;

/** One unit of work: a method at a budget in a trial. */
export interface TrialTask {
  /** The method's name in the records. */
  method: string;
  /** A user's method: imported from here (in whichever thread runs the task) instead of the registry. */
  module?: ResolvedMethodModule;
  budget: number;
  trial: number;
  seed: number;
  config: MethodConfig;
  /** `"meta"` uses `metaSplit`; `"random"`/`"interpolation"` draw a seeded split per trial; `"extrapolation"` ranks by accuracy. */
  split: SplitKind;
  targetFraction: number;
  /** Extrapolation only: the sources' share of the models (default 0.5). */
  sourceFraction?: number;
  metaSplit?: { source: number[]; target: number[] };
  /** Paired mode (docs/DESIGN.md §3.3): the trial's targets are compared in seeded pairs (see `trialPairs`). */
  pairs?: boolean;
  /**
   * Precision on demand (docs/DESIGN.md §3.3): the method (one that can stop, {@link STOPPING_METHODS})
   * asks until each target's interval half-width is at most this, from `budget` up to `maxBudget`
   * distinct examples; each target's oracle then answers up to `maxBudget`.
   */
  precision?: number;
  /** With `precision`: the most distinct examples a target may be asked. */
  maxBudget?: number;
}

/** Metrics of one trial (docs/METHOD.md §4). */
export interface TrialRecord {
  method: string;
  budget: number;
  trial: number;
  kendallTau: number;
  pearson: number;
  spearman: number;
  mae: number;
  mse: number;
  /** Largest number of distinct examples any target's oracle answered. */
  maxQueried: number;
  /** Pair order (docs/DESIGN.md §3.3): share of target pairs ≥ {@link PAIR_GAP} apart in truth ordered right (NaN: no such pair). */
  pairOrder?: number;
  /** How many target pairs were ≥ {@link PAIR_GAP} apart in truth. */
  pairOrderPairs?: number;
  /** With intervals: the share of targets whose true score lies inside its interval. */
  coverage?: number;
  /** With intervals: their mean width. */
  intervalWidth?: number;
  /** With intervals: their nominal level. */
  level?: number;
  /** Paired mode: `"paired"` (the other metrics are then over the targets in pairs). */
  design?: "paired";
  /** Paired mode, with difference intervals: the share of pairs whose interval holds the true difference. */
  differenceCoverage?: number;
  /** Paired mode, with difference intervals: their mean width. */
  differenceWidth?: number;
  /** Precision on demand: the precision and the cap the trial ran with. */
  precision?: number;
  maxBudget?: number;
  /** Precision on demand: the mean over targets of the distinct examples its oracle answered. */
  asked?: number;
  /** Precision on demand: the share of targets whose interval half-width is at most `precision`. */
  reachedPrecision?: number;
  seconds: number;
  diagnostics?: Record<string, unknown>;
}

/**
 * What decides a task's split in {@link splitFor}: tasks with the same key have the same sources
 * (meta and extrapolation splits are the same in every trial). Kept beside `splitFor` so that the
 * two change together; the executor groups tasks by it.
 */
export function splitKey(t: TrialTask): string {
  if (t.split === "meta") return "meta";
  if (t.split === "extrapolation") return `extrapolation:${t.sourceFraction}:${t.targetFraction}`;
  return `${t.split}:${t.seed}:${t.trial}:${t.targetFraction}`;
}

function splitFor(matrix: CorrectnessMatrix, task: TrialTask): Split {
  if (task.split === "meta") {
    if (!task.metaSplit) throw new TbError("E_USAGE", "split 'meta' requested but the data has no split in meta.json");
    return { source: Int32Array.from(task.metaSplit.source), target: Int32Array.from(task.metaSplit.target) };
  }
  if (task.split === "extrapolation")
    return extrapolationSplit(matrix.trueScores(), task.sourceFraction, task.targetFraction);
  return randomSplit(matrix.rows, task.targetFraction, task.seed, task.trial);
}

/** The source matrices of splits a workspace keeps, per data matrix (weakly) and source rows (a few). */
type SplitSources = KeyedByObject<CorrectnessMatrix, CorrectnessMatrix>;
const SPLIT_SOURCES = workspaceKey<SplitSources>("@tb/experiment split sources");

/**
 * The source matrix of a split. With a workspace the same split gives the same matrix object in
 * every trial, so the per-source work the methods keep in that workspace (IRT fits, distance
 * sources) survives trials; without one a fresh matrix.
 */
function sourcesOf(matrix: CorrectnessMatrix, source: Int32Array, workspace: Workspace | undefined): CorrectnessMatrix {
  if (workspace === undefined) return matrix.selectRows(source, `${matrix.name} sources`);
  const m = workspace
    .slot(SPLIT_SOURCES, (): SplitSources => new KeyedByObject((s: CorrectnessMatrix) => s.data.byteLength))
    .of(matrix);
  const key = source.join(",");
  let s = m.get(key);
  if (!s) {
    s = matrix.selectRows(source, `${matrix.name} sources`);
    if (m.size > 4) m.clear();
    m.set(key, s);
  }
  return s;
}

/** What one trial produced for each target, before scoring. */
interface TrialRun {
  split: Split;
  truth: Float64Array;
  estimates: ArrayLike<number>;
  intervals?: { lower: ArrayLike<number>; upper: ArrayLike<number>; level: number };
  maxQueried: number;
  /** Mean over targets of the distinct examples each oracle answered. */
  meanQueried: number;
  diagnostics?: Record<string, unknown>;
  /** Paired mode: the trial's pairs of target positions, and a paired design's difference intervals. */
  pairs?: [number, number][];
  differences?: { lower: ArrayLike<number>; upper: ArrayLike<number>; level: number };
}

/** The stopping options of a precision task (undefined without precision). */
function stoppingOf(task: TrialTask): { precision: number; maxBudget: number } | undefined {
  if (task.precision === undefined) return undefined;
  return { precision: task.precision, maxBudget: task.maxBudget ?? task.budget };
}

function execute(
  matrix: CorrectnessMatrix,
  task: TrialTask,
  method?: EvaluationMethod,
  workspace?: Workspace,
): TrialRun {
  const ws = workspace === undefined ? undefined : workspaceOf(workspace, "runTrial: workspace");
  const split = splitFor(matrix, task);
  const sources = sourcesOf(matrix, split.source, ws);
  // with precision on demand a target may be asked up to maxBudget examples
  const cap = task.precision !== undefined ? (task.maxBudget ?? task.budget) : task.budget;
  const oracles = Array.from(split.target, (r) => createOracle(matrix.row(r), cap, matrix.modelIds[r]));
  const truth = Float64Array.from(split.target, (r) => matrix.trueScore(r));
  const rng = RandomStream.derive(task.seed, task.method, task.budget, task.trial);
  const pairs = task.pairs ? trialPairs(oracles.length, task.seed, task.trial) : undefined;
  if (pairs !== undefined && pairs.length === 0) {
    throw new TbError(
      "E_USAGE",
      `pairs: the split leaves ${oracles.length} target a trial, and paired mode compares pairs of targets (raise targetFraction)`,
    );
  }
  if (pairs !== undefined && method === undefined && isPairedMethod(task.method)) {
    const r = runPairedDesign(task.method, sources, oracles, pairs, task.budget, rng, task.config, ws);
    let maxQueried = 0;
    let sumQueried = 0;
    for (const o of oracles) {
      maxQueried = Math.max(maxQueried, o.queried);
      sumQueried += o.queried;
    }
    return {
      split,
      truth,
      estimates: r.estimates,
      maxQueried,
      meanQueried: oracles.length > 0 ? sumQueried / oracles.length : 0,
      pairs,
      differences: { lower: r.differenceLower, upper: r.differenceUpper, level: r.level },
    };
  }
  const runner = method ?? makeMethod(task.method, task.config, stoppingOf(task));
  const ctx =
    ws === undefined ? { sources, budget: task.budget, rng } : { sources, budget: task.budget, rng, workspace: ws };
  // a method that is a resumable evaluation is driven round by round through the budgeted oracles
  // (docs/DESIGN.md §3.5); a user's method with only `run` is given the oracles
  const result =
    runner.start !== undefined
      ? drive(runner.start({ ...ctx, targets: oracles.length }), oracles)
      : runner.run({ ...ctx, oracles });
  if (result.estimates.length !== oracles.length) {
    throw new TbError(
      "E_INTERNAL",
      `${task.method} returned ${result.estimates.length} estimates for ${oracles.length} targets`,
    );
  }
  let maxQueried = 0;
  let sumQueried = 0;
  for (const o of oracles) {
    maxQueried = Math.max(maxQueried, o.queried);
    sumQueried += o.queried;
  }
  const meanQueried = oracles.length > 0 ? sumQueried / oracles.length : 0;
  const run: TrialRun = { split, truth, estimates: result.estimates, maxQueried, meanQueried };
  if (pairs !== undefined) run.pairs = pairs;
  if (result.diagnostics) run.diagnostics = result.diagnostics;
  if (result.intervals) {
    const { lower, upper, level } = result.intervals;
    if (lower.length !== oracles.length || upper.length !== oracles.length) {
      throw new TbError(
        "E_INTERNAL",
        `${task.method} returned intervals for ${lower.length} of ${oracles.length} targets`,
      );
    }
    run.intervals = { lower, upper, level };
  }
  return run;
}

/**
 * Run one trial of one method at one budget (docs/METHOD.md §4): split, hide the targets behind
 * budgeted oracles, run the method, score its estimates against the targets' true scores.
 * Deterministic in `(seed, method, budget, trial)`. `method`: the method to run, when the caller
 * has built it (a user's module method, see {@link TrialTask.module}); by default the registry's.
 * `workspace`: where the method keeps work for the next trials (given to it as
 * `MethodContext.workspace`; `reproduce` makes one per worker for the run and drops it at the
 * end); without one the trial keeps nothing. The record is the same either way (but `seconds`).
 */
export function runTrial(
  matrix: CorrectnessMatrix,
  task: TrialTask,
  method?: EvaluationMethod,
  workspace?: Workspace,
): TrialRecord {
  const t0 = performance.now();
  const run = execute(matrix, task, method, workspace);
  let { truth, estimates, intervals } = run;
  let paired: PairedScores | undefined;
  if (run.pairs !== undefined) {
    // paired mode: every metric over the targets in pairs; pair order on the pairs themselves
    paired = scorePairs(run.estimates, run.truth, run.pairs, PAIR_GAP, run.differences);
    const sub = (v: ArrayLike<number>) => Float64Array.from(paired?.members ?? [], (t) => v[t] as number);
    truth = sub(run.truth);
    estimates = sub(run.estimates);
    if (intervals) intervals = { lower: sub(intervals.lower), upper: sub(intervals.upper), level: intervals.level };
  }
  const m = evaluateEstimates(estimates, truth);
  const rec: TrialRecord = {
    method: task.method,
    budget: task.budget,
    trial: task.trial,
    kendallTau: m.kendallTau,
    pearson: m.pearson,
    spearman: m.spearman,
    mae: m.mae,
    mse: m.mse,
    maxQueried: run.maxQueried,
    seconds: (performance.now() - t0) / 1000,
  };
  const po =
    paired === undefined
      ? pairOrder(estimates, truth, PAIR_GAP)
      : { share: paired.pairOrder, pairs: paired.pairOrderPairs };
  rec.pairOrder = po.share;
  rec.pairOrderPairs = po.pairs;
  if (paired !== undefined) {
    rec.design = "paired";
    if (paired.differenceCoverage !== undefined) rec.differenceCoverage = paired.differenceCoverage;
    if (paired.differenceWidth !== undefined) rec.differenceWidth = paired.differenceWidth;
    if (run.differences !== undefined) rec.level = run.differences.level;
  }
  if (run.diagnostics) rec.diagnostics = run.diagnostics;
  if (intervals) {
    const { lower, upper, level } = intervals;
    let inside = 0;
    let width = 0;
    for (let t = 0; t < truth.length; t++) {
      const v = truth[t] as number;
      if (v >= (lower[t] as number) - 1e-12 && v <= (upper[t] as number) + 1e-12) inside++;
      width += (upper[t] as number) - (lower[t] as number);
    }
    rec.coverage = inside / truth.length;
    rec.intervalWidth = width / truth.length;
    rec.level = level;
  }
  if (task.precision !== undefined) {
    if (!run.intervals) {
      throw new TbError("E_INTERNAL", `${task.method} ran with precision but returned no intervals`);
    }
    const P = task.precision;
    const { lower, upper } = run.intervals;
    let reached = 0;
    for (let t = 0; t < truth.length; t++) {
      // the same tolerance as the methods' stopping rule
      if (((upper[t] as number) - (lower[t] as number)) / 2 <= P + 1e-12) reached++;
    }
    rec.precision = P;
    rec.maxBudget = task.maxBudget ?? task.budget;
    rec.asked = run.meanQueried;
    rec.reachedPrecision = truth.length > 0 ? reached / truth.length : 0;
  }
  return rec;
}

/** One target of one trial: its true score, the method's estimate and, with intervals, its interval. */
export interface TargetEstimate {
  model: string;
  truth: number;
  estimate: number;
  lower?: number;
  upper?: number;
}

/** Every target's estimate in one trial (for estimate-vs-truth plots). */
export interface TrialEstimates {
  method: string;
  budget: number;
  trial: number;
  /** Nominal level of the intervals, when the method gives them. */
  level?: number;
  targets: TargetEstimate[];
}

/**
 * The per-target estimates of one trial: the same split, oracles and random stream as
 * {@link runTrial} on the same task, so the estimates are those that trial scored.
 */
export function trialEstimates(
  matrix: CorrectnessMatrix,
  task: TrialTask,
  method?: EvaluationMethod,
  workspace?: Workspace,
): TrialEstimates {
  const run = execute(matrix, task, method, workspace);
  const targets: TargetEstimate[] = Array.from(run.split.target, (r, t) => {
    const e: TargetEstimate = {
      model: matrix.modelIds[r] as string,
      truth: run.truth[t] as number,
      estimate: run.estimates[t] as number,
    };
    if (run.intervals) {
      e.lower = run.intervals.lower[t] as number;
      e.upper = run.intervals.upper[t] as number;
    }
    return e;
  });
  const out: TrialEstimates = { method: task.method, budget: task.budget, trial: task.trial, targets };
  if (run.intervals) out.level = run.intervals.level;
  return out;
}

/** Smallest true difference of a target pair that {@link CellSummary.pairOrder} scores (five points). */
export const PAIR_GAP = 0.05;

/** Mean ± standard error (std with ddof 0 over √trials). */
export interface MeanSe {
  mean: number;
  se: number;
}

/** One (method, budget) cell of the reproduce JSON (docs/DESIGN.md §3.3). */
export interface CellSummary {
  method: string;
  budget: number;
  trials: number;
  kendallTau: MeanSe;
  mae: MeanSe;
  pearson: MeanSe;
  spearman: MeanSe;
  mse: MeanSe;
  maxQueried: number;
  /** Sum of the trials' compute times (the cell's wall time on one worker). */
  seconds: number;
  /** Mean n̄ over trials, when the method reports one. */
  nBar?: MeanSe;
  /** Native selections that fell back because no source was within d̄ (summed over trials). */
  nativeFallbacks?: number;
  /**
   * Of the target pairs whose true scores differ by ≥ `gap`, the share ordered right: per trial,
   * then mean ± se over the trials that have such a pair (`share` null when none has); `pairs` is
   * the mean number of such pairs per trial.
   */
  pairOrder?: { gap: number; share: MeanSe | null; pairs: number };
  /** Interval coverage over trials (each trial: the share of targets inside), with intervals. */
  coverage?: MeanSe;
  /** Mean interval width over trials, with intervals. */
  intervalWidth?: MeanSe;
  /** Nominal level of the intervals. */
  level?: number;
  /** Paired mode (`reproduce` with `pairs: true`): `"paired"`; the other metrics are over the targets in pairs. */
  design?: "paired";
  /** Paired mode, a paired design: the share of pairs whose A − B interval holds the true difference (mean ± se over trials). */
  differenceCoverage?: MeanSe;
  /** Paired mode, a paired design: the mean width of those intervals. */
  differenceWidth?: MeanSe;
  /** Precision on demand (docs/DESIGN.md §3.3): the half-width asked for. */
  precision?: number;
  /** Precision on demand: the most distinct examples a target could be asked. */
  maxBudget?: number;
  /** Precision on demand: per trial the mean distinct examples asked per target, then mean ± se. */
  asked?: MeanSe;
  /** Precision on demand: per trial the share of targets whose half-width reached `precision`, then mean ± se. */
  reachedPrecision?: MeanSe;
  /** Per-trial values, for significance tests. */
  perTrial: { kendallTau: number[]; mae: number[] };
}

/** Aggregate trial records into cells, in the order (method, budget) first appear in `order`. */
export function summarize(records: readonly TrialRecord[]): CellSummary[] {
  const groups = new Map<string, TrialRecord[]>();
  for (const r of records) {
    const key = `${r.method}\u0000${r.budget}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const out: CellSummary[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => a.trial - b.trial);
    const first = g[0] as TrialRecord;
    const pick = (f: (r: TrialRecord) => number): MeanSe => meanSe(g.map(f));
    const cell: CellSummary = {
      method: first.method,
      budget: first.budget,
      trials: g.length,
      kendallTau: pick((r) => r.kendallTau),
      mae: pick((r) => r.mae),
      pearson: pick((r) => r.pearson),
      spearman: pick((r) => r.spearman),
      mse: pick((r) => r.mse),
      maxQueried: Math.max(...g.map((r) => r.maxQueried)),
      seconds: g.reduce((s, r) => s + r.seconds, 0),
      perTrial: { kendallTau: g.map((r) => r.kendallTau), mae: g.map((r) => r.mae) },
    };
    const po = g.filter((r) => r.pairOrderPairs !== undefined);
    if (po.length === g.length) {
      const shares = po.filter((r) => (r.pairOrderPairs as number) > 0).map((r) => r.pairOrder as number);
      cell.pairOrder = {
        gap: PAIR_GAP,
        share: shares.length > 0 ? meanSe(shares) : null,
        pairs: po.reduce((a, r) => a + (r.pairOrderPairs as number), 0) / po.length,
      };
    }
    const nb = g.map((r) => r.diagnostics?.nBarMean).filter((v): v is number => typeof v === "number");
    if (nb.length === g.length) cell.nBar = meanSe(nb);
    const fb = g.map((r) => r.diagnostics?.nativeFallbacks).filter((v): v is number => typeof v === "number");
    if (fb.length > 0) cell.nativeFallbacks = fb.reduce((a, b) => a + b, 0);
    const cov = g.filter((r) => r.coverage !== undefined);
    if (cov.length === g.length) {
      cell.coverage = meanSe(cov.map((r) => r.coverage as number));
      cell.intervalWidth = meanSe(cov.map((r) => r.intervalWidth as number));
      cell.level = first.level as number;
    }
    if (first.design === "paired") cell.design = "paired";
    const dc = g.filter((r) => r.differenceCoverage !== undefined);
    if (dc.length === g.length) {
      cell.differenceCoverage = meanSe(dc.map((r) => r.differenceCoverage as number));
      cell.differenceWidth = meanSe(dc.map((r) => r.differenceWidth as number));
      cell.level = first.level as number;
    }
    const pr = g.filter((r) => r.asked !== undefined && r.reachedPrecision !== undefined);
    if (pr.length === g.length && first.precision !== undefined) {
      cell.precision = first.precision;
      cell.maxBudget = first.maxBudget as number;
      cell.asked = meanSe(pr.map((r) => r.asked as number));
      cell.reachedPrecision = meanSe(pr.map((r) => r.reachedPrecision as number));
    }
    out.push(cell);
  }
  return out;
}
