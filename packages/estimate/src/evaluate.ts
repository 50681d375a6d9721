import { type CorrectnessMatrix, type MatrixLike, TbError } from "@tb/core";
import {
  checkOptionNames,
  createEvaluation,
  type EvaluationEstimate,
  type EvaluationOptions,
  ONE_TARGET_OPTIONS,
} from "./evaluation/session.js";

/** Options of {@link evaluate}: those of {@link createEvaluation} for one target. */
export type EvaluateOptions = Omit<EvaluationOptions, "targets" | "pooling">;

/** Result of {@link evaluate}: the evaluation's estimate of the one target. */
export interface EvaluateResult extends Omit<EvaluationEstimate, "interval" | "target"> {
  /** Interval for the accuracy at `level`, within [0, 1]. */
  interval: [number, number];
}

/** What the caller's `ask` returns: answers in [0, 1], one per id, in order (or a promise of it). */
export type Ask = (exampleIds: string[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * Estimate one model's accuracy on a benchmark from a few of its answers, in one call: a loop over
 * a resumable evaluation ({@link createEvaluation}) — the G-set, then (tailored-plus, for a model at
 * the top of the sources) a second look, then the rest of its coreset — and the estimate, its
 * interval and the model's rank among the sources. `ask(ids)` runs the model on those examples
 * and returns its correctness (0/1 or a score in [0, 1]) in the same order; it is never asked for
 * more than `budget` distinct examples in all — or, with `precision`, `maxBudget`: then rounds of
 * random draws follow until the interval's half-width is at most `precision`
 * (`reachedPrecision`).
 *
 * ```ts
 * const r = await evaluate(sourceRows, async (ids) => runMyModel(ids), { budget: 30, seed: 0 });
 * console.log(r.accuracy, r.interval, r.rank.position);
 * ```
 *
 * @param sources per-example correctness of the source models (models × examples): a
 *   `number[][]`, typed rows, an `ml-matrix` `Matrix`, or a `CorrectnessMatrix`
 * @throws TbError `E_USAGE` for bad options, `E_INPUT` for bad sources or answers
 */
export async function evaluate(
  sources: MatrixLike | CorrectnessMatrix,
  ask: Ask,
  options: EvaluateOptions = {},
): Promise<EvaluateResult> {
  if (typeof ask !== "function") throw new TbError("E_USAGE", "evaluate: ask must be a function (ids) => answers");
  if (options !== null && typeof options === "object") checkOptionNames(options, ONE_TARGET_OPTIONS, "evaluate");
  let ev: ReturnType<typeof createEvaluation>;
  try {
    ev = createEvaluation(sources, options);
  } catch (e) {
    // the same checks, named as this function's
    if (e instanceof TbError) throw new TbError(e.code, e.message.replace(/^createEvaluation/, "evaluate"));
    throw e;
  }
  while (!ev.done) {
    for (const step of ev.next()) {
      const got = await ask(step.ids);
      if (got === null || typeof got !== "object" || typeof (got as ArrayLike<number>).length !== "number") {
        throw new TbError("E_INPUT", "evaluate: ask must return an array of answers");
      }
      if (got.length !== step.ids.length) {
        throw new TbError("E_INPUT", `evaluate: ask returned ${got.length} answers for ${step.ids.length} examples`);
      }
      for (let i = 0; i < got.length; i++) {
        const v = got[i];
        if (!(typeof v === "number" && v >= 0 && v <= 1)) {
          throw new TbError(
            "E_INPUT",
            `evaluate: the answer for example "${step.ids[i]}" is ${String(v)}, not a number in [0, 1]`,
          );
        }
      }
      ev.answer(step.target, got);
    }
  }
  const r = ev.estimate(0);
  const { target: _target, interval, ...rest } = r;
  return { ...rest, interval: interval ?? [r.accuracy, r.accuracy] };
}
