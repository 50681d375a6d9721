/** The Evaluate view's example model (example.ts makes it in the worker; the page answers with it). */

/** The example: the source matrix's CSV, and the held-out model's answers and true score. */
export interface EvaluateExample {
  /** File name of the source CSV. */
  fileName: string;
  sourcesCsv: string;
  /** The held-out model: its id, its answer to every example (by example id), its true score. */
  model: { id: string; answers: Record<string, number>; truth: number };
  sources: number;
  examples: number;
}

/** The held-out model's answers to `ids` as an answers CSV (`example,correct`). */
export function exampleAnswersCsv(model: EvaluateExample["model"], ids: readonly string[]): string {
  return `example,correct\n${ids.map((id) => `${id},${model.answers[id]}`).join("\n")}\n`;
}

/** The Compare view's example: the source matrix's CSV, and two held-out models, A and B. */
export interface CompareExample {
  /** File name of the source CSV. */
  fileName: string;
  sourcesCsv: string;
  /** The held-out models A and B: ids, answers to every example (by example id), true scores. */
  models: [EvaluateExample["model"], EvaluateExample["model"]];
  sources: number;
  examples: number;
}
