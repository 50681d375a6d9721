/**
 * A user's own evaluation method, in its own module so that `reproduce` can run it on worker
 * threads: every worker imports this file by URL (see custom-method.ts). Nothing here is
 * registered anywhere; the module only exports a factory.
 *
 * The method: difficulty-stratified random sampling. The examples are sorted by how many source
 * models solve them and cut into `budget` strata of (nearly) equal size; one random example is
 * drawn per stratum, the same for every target; a target's estimate is the stratum-size-weighted
 * mean of its answers (the classic stratified-sampling estimator, unbiased for the full accuracy).
 */
import type { EvaluationMethod, MethodContext, MethodResult } from "@tb/core";
import type { MethodConfig } from "@tb/experiment";

export function stratifiedRandom(_config: MethodConfig = {}): EvaluationMethod {
  return {
    name: "stratified-random",
    run(ctx: MethodContext): MethodResult {
      const { sources, oracles, budget } = ctx;
      const n = sources.cols;
      // solve rate of each example over the source models
      const rate = new Float64Array(n);
      for (let s = 0; s < sources.rows; s++) {
        const row = sources.row(s);
        for (let j = 0; j < n; j++) rate[j] = (rate[j] as number) + (row[j] as number);
      }
      const order = Array.from({ length: n }, (_, j) => j).sort(
        (a, b) => (rate[a] as number) - (rate[b] as number) || a - b,
      );
      const rng = ctx.rng.child("strata");
      const picks: number[] = [];
      const weights: number[] = [];
      for (let s = 0; s < budget; s++) {
        const lo = Math.floor((s * n) / budget);
        const hi = Math.floor(((s + 1) * n) / budget);
        picks.push(order[lo + rng.nextInt(hi - lo)] as number);
        weights.push((hi - lo) / n);
      }
      const estimates = Float64Array.from(oracles, (oracle) => {
        const answers = oracle.queryMany(picks);
        let est = 0;
        for (let s = 0; s < budget; s++) est += (weights[s] as number) * (answers[s] as number);
        return est;
      });
      return { estimates };
    },
  };
}
