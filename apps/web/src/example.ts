/**
 * The Evaluate view's one-click example: a synthetic benchmark whose source matrix is every model
 * but one, and that held-out model playing "your model" — the page answers each step with its
 * row, and shows its true score next to the estimate. Data only: the steps are the real ones.
 */
import { syntheticPopulation } from "@tb/experiment/browser";
import { formatCorrectnessCsv } from "@tb/io/browser";
import type { EvaluateExample } from "./example-answers.js";

export type { EvaluateExample } from "./example-answers.js";

/**
 * The synthetic population (seed 0, 80 models × 300 examples); the held-out model is the one at
 * the 60th percentile of true scores (inside the sources' range: the ordinary case).
 */
export function evaluateExample(): EvaluateExample {
  const full = syntheticPopulation({ seed: 0, models: 80, examples: 300 });
  const acc = full.trueScores();
  const order = Array.from(acc.keys()).sort((a, b) => (acc[a] as number) - (acc[b] as number));
  const t = order[Math.floor(0.6 * order.length)] as number;
  const keep = Int32Array.from(order.filter((r) => r !== t).sort((a, b) => a - b));
  const sources = full.selectRows(keep, "example");
  const row = full.row(t);
  const answers: Record<string, number> = {};
  full.exampleIds.forEach((id, j) => {
    answers[id] = row[j] as number;
  });
  return {
    fileName: "example-correctness.csv",
    sourcesCsv: formatCorrectnessCsv(sources),
    model: { id: full.modelIds[t] as string, answers, truth: acc[t] as number },
    sources: sources.rows,
    examples: sources.cols,
  };
}
