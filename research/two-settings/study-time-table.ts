/**
 * Compute seconds per trial of every method in each matrix × setting (the mean over N of a cell's
 * `seconds / trials`: time inside the worker threads), from the folders research/two-settings/
 * study-time.sh wrote; with two folders each entry reads "first → second", and the last column
 * sums every cell's seconds. docs/PERFORMANCE.md ("The two-settings study") quotes it.
 *   pnpm exec tsx research/two-settings/study-time-table.ts BEFORE_DIR [AFTER_DIR]
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface Cell {
  method: string;
  trials: number;
  seconds: number;
}

const MATRICES = ["glue_rte", "gsm8k", "helm_lite_mmlu", "openllm_v2_musr"];
const SETTINGS = ["extrapolation", "interpolation"];
const SHORT: Record<string, string> = {
  glue_rte: "rte",
  gsm8k: "gsm8k",
  helm_lite_mmlu: "mmlu",
  openllm_v2_musr: "musr",
};

const dirs = process.argv.slice(2);
if (dirs.length < 1 || dirs.length > 2) {
  console.error("usage: study-time-table.ts BEFORE_DIR [AFTER_DIR]");
  process.exit(2);
}
const columns = MATRICES.flatMap((m) => SETTINGS.map((s) => `${m}-${s}`));
const perTrial = dirs.map(() => new Map<string, Map<string, number>>());
const total = dirs.map(() => new Map<string, number>());
dirs.forEach((dir, v) => {
  for (const col of columns) {
    const file = join(dir, `${col}.json`);
    if (!existsSync(file)) continue;
    const cells = (JSON.parse(readFileSync(file, "utf8")) as { results: Cell[] }).results;
    const byMethod = new Map<string, number[]>();
    for (const c of cells) {
      byMethod.set(c.method, [...(byMethod.get(c.method) ?? []), c.seconds / c.trials]);
      total[v]?.set(c.method, (total[v]?.get(c.method) ?? 0) + c.seconds);
    }
    for (const [method, xs] of byMethod) {
      const row = perTrial[v]?.get(method) ?? new Map<string, number>();
      row.set(col, xs.reduce((a, b) => a + b, 0) / xs.length);
      perTrial[v]?.set(method, row);
    }
  }
});
const head = columns.map((c) => {
  const [m, s] = c.split(/-(?=[a-z]+$)/) as [string, string];
  return `${SHORT[m] ?? m} ${s.slice(0, 6)}.`;
});
console.log(`| method | ${head.join(" | ")} | all cells, s |`);
console.log(`|---|${columns.map(() => "--:").join("|")}|--:|`);
for (const method of perTrial[perTrial.length - 1]?.keys() ?? []) {
  const cell = (col: string) => perTrial.map((p) => p.get(method)?.get(col)?.toFixed(2) ?? "—").join(" → ");
  const sum = total.map((t) => (t.get(method) ?? 0).toFixed(0)).join(" → ");
  console.log(`| ${method} | ${columns.map(cell).join(" | ")} | ${sum} |`);
}
