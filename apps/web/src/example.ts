/**
 * The Evaluate view's one-click example: a synthetic benchmark whose source matrix is every model
 * but one, and that held-out model playing "your model" — the page answers each step with its
 * row, and shows its true score next to the estimate. The Compare view's holds out two models, A
 * and B, and shows their true difference next to the estimated one. Data only: the steps are the
 * real ones.
 */
import { syntheticPopulation } from "@tb/experiment/browser";
import { formatCorrectnessCsv } from "@tb/io/browser";
import type { CompareExample, EvaluateExample } from "./example-answers.js";

export type { CompareExample, EvaluateExample } from "./example-answers.js";

/**
 * The synthetic population (seed 0, 80 models × 300 examples) with the models at the given
 * quantiles of true scores held out: the sources are every other model.
 */
function heldOut(quantiles: readonly number[]) {
  const full = syntheticPopulation({ seed: 0, models: 80, examples: 300 });
  const acc = full.trueScores();
  const order = Array.from(acc.keys()).sort((a, b) => (acc[a] as number) - (acc[b] as number));
  const held = quantiles.map((q) => order[Math.floor(q * order.length)] as number);
  const keep = Int32Array.from(order.filter((r) => !held.includes(r)).sort((a, b) => a - b));
  const sources = full.selectRows(keep, "example");
  const models = held.map((t) => {
    const row = full.row(t);
    const answers: Record<string, number> = {};
    full.exampleIds.forEach((id, j) => {
      answers[id] = row[j] as number;
    });
    return { id: full.modelIds[t] as string, answers, truth: acc[t] as number };
  });
  return { sources, models };
}

/**
 * The synthetic population (seed 0, 80 models × 300 examples); the held-out model is the one at
 * the 60th percentile of true scores (inside the sources' range: the ordinary case).
 */
export function evaluateExample(): EvaluateExample {
  const { sources, models } = heldOut([0.6]);
  return {
    fileName: "example-correctness.csv",
    sourcesCsv: formatCorrectnessCsv(sources),
    model: models[0] as EvaluateExample["model"],
    sources: sources.rows,
    examples: sources.cols,
  };
}

/**
 * The Compare view's example: the same population with two models held out, A at the 60th and B
 * at the 45th percentile of true scores (both inside the sources' range, a few points apart).
 */
export function compareExample(): CompareExample {
  const { sources, models } = heldOut([0.6, 0.45]);
  return {
    fileName: "example-correctness.csv",
    sourcesCsv: formatCorrectnessCsv(sources),
    models: models as CompareExample["models"],
    sources: sources.rows,
    examples: sources.cols,
  };
}
