import type { CorrectnessMatrix } from "@tb/core";
import { syntheticPopulation } from "@tb/experiment";
import { formatCorrectnessCsv } from "@tb/io";

/** A population with lm-eval-style ids `toy/<doc>`: sources = every model but `target`. */
export function fixture(target: "median" | "strongest") {
  const full = syntheticPopulation({ models: 41, examples: 90, seed: 11 });
  const acc = full.trueScores();
  const order = Array.from(acc.keys()).sort((a, b) => (acc[a] as number) - (acc[b] as number));
  const t = target === "strongest" ? (order.at(-1) as number) : (order[20] as number);
  const keep = Int32Array.from(order.filter((r) => r !== t).sort((a, b) => a - b));
  const renamed = (m: CorrectnessMatrix) => formatCorrectnessCsv(m).replace(/\bx(\d+)\b/g, "toy/$1");
  const sourcesCsv = renamed(full.selectRows(keep, "toy"));
  const row = full.row(t);
  const answersCsv = (ids: readonly string[]) =>
    `example,correct\n${ids.map((id) => `${id},${row[Number(id.split("/")[1])]}`).join("\n")}\n`;
  /** The held-out model's answers to `ids`, in order (what `evaluate()`'s ask returns). */
  const answers = (ids: readonly string[]) => ids.map((id) => row[Number(id.split("/")[1])] as number);
  return { sourcesCsv, answersCsv, answers, truth: acc[t] as number };
}
