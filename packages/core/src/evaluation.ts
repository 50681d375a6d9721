import { TbError } from "./errors.js";
import type { CorrectnessMatrix } from "./matrix.js";
import type { MethodResult } from "./method.js";
import type { Oracle } from "./oracle.js";
import type { RandomStream } from "./random.js";
import type { Workspace } from "./workspace.js";

/**
 * One thing an evaluation wants next: run target `target` on these examples (column indices of
 * the sources), none of which it was asked before.
 */
export interface EvaluationRequest {
  /** Target index in the evaluation (0 for an evaluation of one target). */
  readonly target: number;
  /** Column indices of the sources, in the order the answers are expected. */
  readonly examples: Int32Array;
  /**
   * Why these examples, as a short key: `"gset"`, `"look"`, `"nset"`, `"strata"`, `"sample"`, …
   * (the method's own words; for display and logs, never for control flow in a driver).
   */
  readonly reason: string;
}

/**
 * What a method is given to start an evaluation: everything of {@link MethodContext} but the
 * oracles. The targets are seen only through the answers a driver gives back.
 */
export interface EvaluationContext {
  /** Source models' full correctness (they are public). */
  sources: CorrectnessMatrix;
  /** How many targets are evaluated together (their answers may shape one shared design). */
  targets: number;
  /** Distinct examples each target may be asked about, in all. */
  budget: number;
  /** The evaluation's random stream; every draw comes from a keyed child of it. */
  rng: RandomStream;
  /** Where work may be kept between evaluations (caller-owned); results never depend on it. */
  workspace?: Workspace;
}

/**
 * A resumable evaluation of one target or of a group of targets evaluated jointly: asked what to
 * run next, given the answers, asked again, until it is done; then its result. The driver never
 * needs to know which method it drives, how many rounds it takes, or why (docs/DESIGN.md §2).
 *
 * A round's requests are all open at once: answer them in any order. Answers for a target are
 * its correctness on `request.examples`, in that order.
 */
export interface EvaluationRun {
  /** The method's registry name, e.g. `"tailored-plus"`. */
  readonly method: string;
  /** Number of targets. */
  readonly targets: number;
  /** Distinct examples per target, at most. */
  readonly budget: number;
  /** The open requests (one per target still to answer this round); empty when done. */
  requests(): EvaluationRequest[];
  /**
   * Answers of target `target` to its open request, in its order.
   *
   * @throws TbError `E_USAGE` when the target has no open request or the count differs; `E_INPUT`
   *   for an answer that is not a number in [0, 1].
   */
  answer(target: number, answers: ArrayLike<number>): void;
  /** Whether every target is done. */
  readonly done: boolean;
  /**
   * One estimate per target (with intervals and diagnostics where the method gives them).
   *
   * @throws TbError `E_USAGE` before {@link done}.
   */
  result(): MethodResult;
}

/**
 * Drive an evaluation to the end through budgeted oracles (one per target, in target order):
 * the loop every simulation (`reproduce`) and every method's `run` share.
 *
 * @throws TbError `E_USAGE` when the oracles do not match the targets; `E_BUDGET` from an oracle
 *   when the method asks past its budget.
 */
export function drive(run: EvaluationRun, oracles: readonly Oracle[]): MethodResult {
  if (oracles.length !== run.targets) {
    throw new TbError("E_USAGE", `drive: ${oracles.length} oracles for ${run.targets} targets`);
  }
  for (let rounds = 0; !run.done; rounds++) {
    const open = run.requests();
    if (open.length === 0 || rounds > 10_000) {
      throw new TbError("E_INTERNAL", `${run.method}: the evaluation is not done but asks for nothing`);
    }
    for (const r of open) run.answer(r.target, (oracles[r.target] as Oracle).queryMany(r.examples));
  }
  return run.result();
}

/**
 * Check a target's answers to a request: as many as asked, each a number in [0, 1]. Returns them
 * as a `Float64Array`. `where` names the caller in the error.
 */
export function checkAnswers(answers: ArrayLike<number>, expected: number, where: string): Float64Array {
  if (answers === null || typeof answers !== "object" || typeof answers.length !== "number") {
    throw new TbError("E_USAGE", `${where}: answers must be an array of numbers`);
  }
  if (answers.length !== expected) {
    throw new TbError("E_USAGE", `${where}: ${answers.length} answers for the ${expected} examples asked`);
  }
  const out = new Float64Array(expected);
  for (let i = 0; i < expected; i++) {
    const v = answers[i];
    if (!(typeof v === "number" && v >= 0 && v <= 1)) {
      throw new TbError("E_INPUT", `${where}: answer ${i} is ${String(v)}, not a number in [0, 1]`);
    }
    out[i] = v;
  }
  return out;
}
