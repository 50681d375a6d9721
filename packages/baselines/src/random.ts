import { type EvaluationMethod, type MethodContext, type MethodResult, range, TbError } from "@tb/core";

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
 * each target's accuracy as its mean correctness on them.
 */
export function randomBaseline(options: RandomBaselineOptions = {}): EvaluationMethod {
  const mode = options.mode ?? "shared";
  if (mode !== "shared" && mode !== "perTarget") {
    throw new TbError("E_USAGE", `random baseline: mode must be "shared" or "perTarget", got "${String(mode)}"`);
  }
  return {
    name: "random",
    run(ctx: MethodContext): MethodResult {
      const n = ctx.sources.cols;
      if (ctx.budget < 1 || ctx.budget > n) {
        throw new TbError("E_USAGE", `random baseline: budget ${ctx.budget} must be in [1, ${n}]`);
      }
      const pool = range(n);
      const shared = mode === "shared" ? ctx.rng.child("random").sample(pool, ctx.budget) : undefined;
      const estimates = new Float64Array(ctx.oracles.length);
      ctx.oracles.forEach((oracle, t) => {
        const subset = shared ?? ctx.rng.child("random", t).sample(pool, ctx.budget);
        const answers = oracle.queryMany(subset);
        let s = 0;
        for (let k = 0; k < answers.length; k++) s += answers[k] as number;
        estimates[t] = s / answers.length;
      });
      return { estimates };
    },
  };
}
