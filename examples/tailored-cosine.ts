/**
 * TailoredBench composed by hand with non-default choices: cosine distance and a G-set of 15,
 * compared with the defaults (manhattan, G = 10), on the same synthetic population and split.
 * Uses the method interface of @tb/core, so any EvaluationMethod can be dropped in.
 *
 * Run: pnpm examples
 */
import { pathToFileURL } from "node:url";
import { createOracle, type EvaluationMethod, RandomStream } from "@tb/core";
import { tailoredBench } from "@tb/estimate";
import { randomSplit, syntheticPopulation } from "@tb/experiment";
import { evaluateEstimates } from "@tb/metrics";

export function compareVariants(budget = 30, seed = 2) {
  const matrix = syntheticPopulation({ models: 100, examples: 500, seed });
  const split = randomSplit(matrix.rows, 0.4, seed, 0);
  const sources = matrix.selectRows(split.source);
  const truth = Float64Array.from(split.target, (r) => matrix.trueScore(r));
  const run = (method: EvaluationMethod) => {
    const oracles = Array.from(split.target, (r) => createOracle(matrix.row(r), budget, matrix.modelIds[r]));
    const { estimates } = method.run({ sources, oracles, budget, rng: RandomStream.derive(seed, method.name, budget) });
    return { ...evaluateEstimates(estimates, truth), maxQueried: Math.max(...oracles.map((o) => o.queried)) };
  };
  return {
    defaults: run(tailoredBench()),
    cosineG15: run(tailoredBench({ metric: "cosine", gset: 15 })),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = compareVariants();
  for (const [name, m] of Object.entries(r)) {
    console.log(
      `TailoredBench ${name}: τ-b ${m.kendallTau.toFixed(3)}, MAE ${m.mae.toFixed(4)}, max queried ${m.maxQueried}`,
    );
  }
}
