import { type EvaluationMethod, type MethodResult, range, TbError } from "@tb/core";
import { oneRoundMethod } from "./one-round.js";

/** Options of the Random baseline (docs/METHOD.md §7). */
export interface RandomBaselineOptions {
  /**
   * `"shared"` (default, the reference): one subset per trial, used for every target.
   * `"perTarget"`: a separate subset per target (lower τ, same MAE).
   */
  mode?: "shared" | "perTarget";
}

/**
 * Random baseline (docs/METHOD.md §7): draw `N` examples uniformly without replacement and estimate
 * each target's accuracy as its mean correctness on them. One round: every target is asked its
 * sample at once (`start(ctx)`; `run(ctx)` drives it through the oracles).
 */
export function randomBaseline(options: RandomBaselineOptions = {}): Required<EvaluationMethod> {
  const mode = options.mode ?? "shared";
  if (mode !== "shared" && mode !== "perTarget") {
    throw new TbError("E_USAGE", `random baseline: mode must be "shared" or "perTarget", got "${String(mode)}"`);
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
