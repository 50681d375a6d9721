/**
 * One trial of `tb reproduce`'s extrapolation split (seed 0, target fraction 0.3) with the method's
 * whole result kept — estimates, intervals and diagnostics such as the trial's G-set — for the
 * research scripts of this folder to look inside tailored-plus's trials.
 */
import type { CorrectnessMatrix, EvaluationMethod, MethodContext, MethodResult } from "@tb/core";
import { createMethod, type MethodConfig, runTrial } from "@tb/experiment";

export function extrapolationTrial(
  matrix: CorrectnessMatrix,
  name: string,
  budget: number,
  trial: number,
  config: MethodConfig = {},
): MethodResult {
  const inner = createMethod(name, config);
  let last: MethodResult | undefined;
  const method: EvaluationMethod = {
    name,
    run(ctx: MethodContext) {
      last = inner.run(ctx);
      return last;
    },
  };
  const task = { method: name, budget, trial, seed: 0, config, split: "extrapolation" as const, targetFraction: 0.3 };
  runTrial(matrix, task, method);
  if (last === undefined) throw new Error("extrapolationTrial: the method did not run");
  return last;
}
