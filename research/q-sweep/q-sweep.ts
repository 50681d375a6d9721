/**
 * Sensitivity of tailored-plus to one of its constants (docs/TAILORED-PLUS.md): MAE at N = 20/30/40
 * (and, with --coverage, the 90 % intervals' coverage) for several values, every shared matrix,
 * interpolation and extrapolation (and GSM8K's paper split), 10 trials, seed 0. The constant is the
 * range quantile unless --param names another numeric option (secondLook).
 *
 *   pnpm exec tsx --conditions=@tb/source research/q-sweep/q-sweep.ts [--quantiles 0.5,0.75,0.9,1] [--trials 10]
 *   pnpm exec tsx --conditions=@tb/source research/q-sweep/q-sweep.ts --param secondLook --quantiles 0,0.3,0.5 --coverage
 */
import { parseArgs } from "node:util";
import { reproduce, type SplitKind } from "@tb/experiment";
import { loadDataset } from "@tb/io";

const { values } = parseArgs({
  options: {
    quantiles: { type: "string" },
    trials: { type: "string" },
    data: { type: "string" },
    param: { type: "string" },
    coverage: { type: "boolean" },
  },
});
const param = values.param ?? "rangeQuantile";
if (param !== "rangeQuantile" && param !== "secondLook")
  throw new Error(`--param ${param}: rangeQuantile or secondLook`);
const qs = (values.quantiles ?? "0.5,0.75,0.9,1").split(",").map(Number);
const trials = Number(values.trials ?? 10);
const root = values.data ?? "../shared/data";
const cases: [string, SplitKind][] = [
  ["gsm8k", "meta"],
  ["gsm8k", "interpolation"],
  ["gsm8k", "extrapolation"],
  ["helm_lite_mmlu", "interpolation"],
  ["helm_lite_mmlu", "extrapolation"],
  ["glue_rte", "interpolation"],
  ["glue_rte", "extrapolation"],
  ["openllm_v2_musr", "interpolation"],
  ["openllm_v2_musr", "extrapolation"],
];
console.log(`| ${param} | ${cases.map(([m, s]) => `${m} ${s}`).join(" | ")} |`);
console.log(`|---|${cases.map(() => "---").join("|")}|`);
for (const q of qs) {
  const cells: string[] = [];
  for (const [m, s] of cases) {
    const ds = loadDataset(`${root}/${m}`);
    const cfg: Parameters<typeof reproduce>[1] = {
      methods: ["tailored-plus"],
      budgets: [20, 30, 40],
      trials,
      seed: 0,
      split: s,
      config: { [param]: q },
      workers: 2,
    };
    if (ds.split && s === "meta") cfg.metaSplit = ds.split;
    const r = await reproduce(ds.matrix, cfg);
    let cell = r.results.map((c) => (c.mae.mean * 1000).toFixed(0)).join("/");
    if (values.coverage)
      cell += ` (${r.results.map((c) => ((c.coverage?.mean ?? Number.NaN) * 100).toFixed(0)).join("/")} %)`;
    cells.push(cell);
  }
  console.log(`| ${q} | ${cells.join(" | ")} |`);
}
