import type { EvaluationContext, EvaluationRun } from "./evaluation.js";
import type { CorrectnessMatrix } from "./matrix.js";
import type { Oracle } from "./oracle.js";
import type { RandomStream } from "./random.js";
import type { Workspace } from "./workspace.js";

/** What every method (TailoredBench and each baseline) is given for one trial and budget. */
export interface MethodContext {
  /** Source models' full correctness (they are public). */
  sources: CorrectnessMatrix;
  /** One oracle per target, in target order. The only way to see a target. */
  oracles: readonly Oracle[];
  /** Inference count N: distinct examples each target may be evaluated on. */
  budget: number;
  /**
   * Random stream for this (seed, method, budget, trial); derive children by purpose and target,
   * e.g. `rng.child("nset", t)`, so results do not depend on execution order.
   */
  rng: RandomStream;
  /**
   * Where the method may keep work between trials (distance sources, fits), owned by the run:
   * `reproduce` makes one per worker and drops it when the run ends. Without one the method keeps
   * nothing beyond the call. Results must not depend on it.
   */
  workspace?: Workspace;
}

/** Per-target intervals for the true score, at a nominal coverage `level`. */
export interface MethodIntervals {
  lower: Float64Array;
  upper: Float64Array;
  /** Nominal coverage in (0, 1). */
  level: number;
}

/** Result of a method for one trial: one estimate per target plus free-form diagnostics. */
export interface MethodResult {
  estimates: Float64Array;
  /** Optional per-target intervals, in target order (methods that give none leave it out). */
  intervals?: MethodIntervals;
  diagnostics?: Record<string, number | string | boolean | number[]>;
}

/** The one interface behind which TailoredBench and every baseline sit (docs/DESIGN.md §2). */
export interface EvaluationMethod {
  /** Registry name, e.g. `"tailored"`, `"random"`. */
  readonly name: string;
  /**
   * One trial, all targets, through their oracles. A method that also has {@link start} runs
   * `drive(start(ctx), ctx.oracles)` here, so both give the same numbers.
   */
  run(ctx: MethodContext): MethodResult;
  /**
   * The same trial as a resumable evaluation (no oracles: a driver answers its requests). Methods
   * that have it can be driven round by round — by files, a web page, or a user's harness.
   */
  start?(ctx: EvaluationContext): EvaluationRun;
}
