/** Methods in a module of their own, for the module-method tests (custom.test.ts). */
import { resourceLimits } from "node:worker_threads";
import type { EvaluationMethod, MethodContext } from "@tb/core";

/**
 * Asks every target for all its examples (needs budget = number of examples) and returns the
 * mean: the estimate is then the target's true score, an independent fact the test checks.
 */
export function askAll(): EvaluationMethod {
  return {
    name: "ask-all",
    run(ctx: MethodContext) {
      const all = Array.from({ length: ctx.sources.cols }, (_, j) => j);
      return {
        estimates: Float64Array.from(ctx.oracles, (o) => {
          const a = o.queryMany(all);
          return a.reduce((x, y) => x + y, 0) / a.length;
        }),
      };
    },
  };
}

/** An EvaluationMethod object (not a factory) as the export. */
export const constantHalf: EvaluationMethod = {
  name: "constant-half",
  run: (ctx) => ({ estimates: new Float64Array(ctx.oracles.length).fill(0.5) }),
};

export const notAMethod = 42;

/**
 * Reports the thread's young-generation limit (`resourceLimits` of node:worker_threads, MiB; none
 * on the main thread) as the number of examples its first target is asked: the trial's
 * `maxQueried`, which a test reads.
 */
export function youngGeneration(): EvaluationMethod {
  return {
    name: "young-generation",
    run(ctx: MethodContext) {
      const mb = resourceLimits.maxYoungGenerationSizeMb ?? 0;
      ctx.oracles[0]?.queryMany(Array.from({ length: mb }, (_, j) => j));
      return { estimates: new Float64Array(ctx.oracles.length).fill(0.5) };
    },
  };
}
