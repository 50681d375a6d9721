/**
 * A registry method that keeps its last trial's result (estimates, intervals, diagnostics such as
 * the G-set) for a script to read after `runTrial` — the research scripts of this folder use it to
 * look inside tailored-plus's trials.
 */
import type { EvaluationMethod, MethodContext, MethodResult } from "@tb/core";
import { createMethod, type MethodConfig } from "@tb/experiment";

export function capturing(name: string, config: MethodConfig = {}): { method: EvaluationMethod; last(): MethodResult } {
  const inner = createMethod(name, config);
  let last: MethodResult | undefined;
  const method: EvaluationMethod = {
    name,
    run(ctx: MethodContext) {
      last = inner.run(ctx);
      return last;
    },
  };
  return {
    method,
    last() {
      if (last === undefined) throw new Error("capturing: no trial has run yet");
      return last;
    },
  };
}
