import {
  checkAnswers,
  checkOptionKeys,
  checkPrecisionOptions,
  drive,
  type EvaluationContext,
  type EvaluationMethod,
  type EvaluationRequest,
  type EvaluationRun,
  lookLevel,
  type MethodContext,
  type MethodResult,
  precisionTotals,
  range,
  TbError,
  wilsonInterval,
} from "@tb/core";
import { evaluationContext, oneRoundMethod } from "./one-round.js";

/** Options of the Random baseline (docs/METHOD.md §7). */
export interface RandomBaselineOptions {
  /**
   * `"shared"` (default, the reference): one subset per trial, used for every target.
   * `"perTarget"`: a separate subset per target (lower τ, same MAE).
   */
  mode?: "shared" | "perTarget";
  /**
   * Sequential random sampling (precision on demand, docs/DESIGN.md §3.5): after the first
   * `budget` draws, while the Wilson interval's half-width is above `precision`, more draws of the
   * same random order, the total doubling each round up to `maxBudget`. Off by default; needs
   * `maxBudget`. The result then has intervals at `level`.
   */
  precision?: number;
  /** With `precision`: the most distinct examples a target is asked, in all. */
  maxBudget?: number;
  /** With `precision`: nominal coverage of the intervals; default 0.9. */
  level?: number;
}

/**
 * Random baseline (docs/METHOD.md §7): draw `N` examples uniformly without replacement and estimate
 * each target's accuracy as its mean correctness on them. One round: every target is asked its
 * sample at once (`start(ctx)`; `run(ctx)` drives it through the oracles).
 *
 * With `precision`, sequential random sampling — the simple reference for precision on demand:
 * each target is asked a prefix of a uniformly random order of the examples (shared by the
 * targets in `"shared"` mode), `budget` first, then the total doubling each round up to
 * `maxBudget` ({@link precisionTotals}) until the half-width `(upper − lower)/2` of its interval is
 * at most `precision`. The interval is Wilson's with the finite-population correction
 * ({@link wilsonInterval}), each of the schedule's `K` looks at the Bonferroni level
 * `1 − (1 − level)/K` ({@link lookLevel}), so the interval reported at the look the rule stopped
 * at covers with probability ≥ `level`.
 */
export function randomBaseline(options: RandomBaselineOptions = {}): Required<EvaluationMethod> {
  checkOptionKeys(options, ["mode", "precision", "maxBudget", "level"], "randomBaseline");
  const mode = options.mode ?? "shared";
  if (mode !== "shared" && mode !== "perTarget") {
    throw new TbError("E_USAGE", `random baseline: mode must be "shared" or "perTarget", got "${String(mode)}"`);
  }
  if (options.precision !== undefined || options.maxBudget !== undefined) {
    checkPrecisionOptions(options, 1, Number.MAX_SAFE_INTEGER, "random baseline");
    const level = options.level ?? 0.9;
    if (!(level > 0 && level < 1)) {
      throw new TbError("E_USAGE", `random baseline: level must be in (0, 1), got ${String(level)}`);
    }
    const start = (ctx: EvaluationContext): EvaluationRun => new SequentialRandom(ctx, mode, options, level);
    return {
      name: "random",
      start,
      run: (ctx: MethodContext): MethodResult => drive(start(evaluationContext(ctx)), ctx.oracles),
    };
  }
  if (options.level !== undefined) {
    throw new TbError(
      "E_USAGE",
      "random baseline: level applies with precision only (the plain method gives no interval)",
    );
  }
  return oneRoundMethod("random", (ctx) => {
    const n = ctx.sources.cols;
    if (ctx.budget < 1 || ctx.budget > n) {
      throw new TbError("E_USAGE", `random baseline: budget ${ctx.budget} must be in [1, ${n}]`);
    }
    const pool = range(n);
    const examples =
      mode === "shared"
        ? ctx.rng.child("random").sample(pool, ctx.budget)
        : Array.from({ length: ctx.targets }, (_, t) => ctx.rng.child("random", t).sample(pool, ctx.budget));
    return {
      examples,
      reason: "sample",
      result(answers): MethodResult {
        const estimates = new Float64Array(answers.length);
        answers.forEach((y, t) => {
          let s = 0;
          for (let k = 0; k < y.length; k++) s += y[k] as number;
          estimates[t] = s / y.length;
        });
        return { estimates };
      },
    };
  });
}

/** Sequential random sampling ({@link randomBaseline} with `precision`): one target's state. */
interface SeqTarget {
  /** Draws answered so far (a prefix of its order). */
  asked: number;
  sum: number;
  /** Open request: the order's entries [asked, open). */
  open: number;
  interval?: [number, number];
  reached?: boolean;
}

class SequentialRandom implements EvaluationRun {
  readonly method = "random";
  readonly targets: number;
  readonly budget: number;
  private readonly n: number;
  private readonly orders: Int32Array[];
  private readonly state: SeqTarget[];
  private readonly totals: number[];
  private readonly look: number;
  private readonly precision: number;
  private readonly level: number;

  constructor(ctx: EvaluationContext, mode: "shared" | "perTarget", o: RandomBaselineOptions, level: number) {
    const n = ctx.sources.cols;
    const T = ctx.targets;
    if (!(Number.isInteger(T) && T >= 0)) {
      throw new TbError("E_USAGE", `random: targets must be a non-negative integer, got ${String(T)}`);
    }
    if (!(Number.isInteger(ctx.budget) && ctx.budget >= 1 && ctx.budget <= n)) {
      throw new TbError("E_USAGE", `random baseline: budget ${ctx.budget} must be in [1, ${n}]`);
    }
    checkPrecisionOptions(o, ctx.budget, n, "random baseline");
    this.n = n;
    this.targets = T;
    this.budget = ctx.budget;
    this.precision = o.precision as number;
    this.level = level;
    const M = o.maxBudget as number;
    this.totals = precisionTotals(ctx.budget, M);
    this.look = lookLevel(level, 1 + this.totals.length);
    const pool = range(n);
    // one uniformly random order (per target in perTarget mode); prefixes are simple random samples
    const shared = mode === "shared" ? ctx.rng.child("random").sample(pool, M) : null;
    this.orders = Array.from({ length: T }, (_, t) => shared ?? ctx.rng.child("random", t).sample(pool, M));
    this.state = Array.from({ length: T }, () => ({ asked: 0, sum: 0, open: ctx.budget }));
  }

  get done(): boolean {
    return this.state.every((s) => s.open === s.asked);
  }

  requests(): EvaluationRequest[] {
    const out: EvaluationRequest[] = [];
    this.state.forEach((s, t) => {
      if (s.open > s.asked) {
        out.push({
          target: t,
          examples: (this.orders[t] as Int32Array).slice(s.asked, s.open),
          reason: s.asked === 0 ? "sample" : "precision",
        });
      }
    });
    return out;
  }

  answer(target: number, given: ArrayLike<number>): void {
    const s = Number.isInteger(target) ? this.state[target] : undefined;
    if (s === undefined || s.open === s.asked) {
      throw new TbError("E_USAGE", `random: target ${String(target)} has no open request`);
    }
    const y = checkAnswers(given, s.open - s.asked, `random: answers of target ${target}`);
    for (const v of y) s.sum += v;
    s.asked = s.open;
    const iv = wilsonInterval(s.sum, s.asked, this.look, this.n);
    s.interval = iv;
    s.reached = (iv[1] - iv[0]) / 2 <= this.precision + 1e-12;
    if (!s.reached) {
      const next = this.totals.find((x) => x > s.asked);
      if (next !== undefined) s.open = next;
    }
  }

  result(): MethodResult {
    if (!this.done) throw new TbError("E_USAGE", "random: no result yet, targets are still answering");
    const T = this.targets;
    return {
      estimates: Float64Array.from(this.state, (s) => s.sum / s.asked),
      intervals: {
        lower: Float64Array.from(this.state, (s) => (s.interval as [number, number])[0]),
        upper: Float64Array.from(this.state, (s) => (s.interval as [number, number])[1]),
        level: this.level,
      },
      diagnostics: {
        reachedPrecision: this.state.map((s) => (s.reached === true ? 1 : 0)),
        asked: this.state.map((s) => s.asked),
        targets: T,
      },
    };
  }
}
