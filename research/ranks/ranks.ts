/**
 * Why does tailored-plus order the targets worse than Random in extrapolation (issue 20)? Kendall
 * τ-b and pair order (pairs ≥ 5 pp apart) of tailored-plus and of variants that isolate one cause
 * each — independent draws per target instead of the default coordinated ones, the second look
 * off, every target forced within or beyond (one estimator for all), and Random with independent
 * samples per target instead of one shared sample — on every shared
 * matrix, both BenchPred settings, N = 20/30/40, 10 trials, seed 0.
 *
 *   pnpm exec tsx --conditions=@tb/source research/ranks/ranks.ts [--trials 10] [--data <dir>] [--budgets 20,30,40]
 *     [--split extrapolation,interpolation] [--variants 0,1,5] (indices into the list below; 7–9, the
 *     N = 20 probes of research/README.md, are run only when named)
 */
import { parseArgs } from "node:util";
import { type MethodConfig, reproduce, type SplitKind } from "@tb/experiment";
import { loadDataset } from "@tb/io";

const { values } = parseArgs({
  options: {
    trials: { type: "string" },
    data: { type: "string" },
    budgets: { type: "string" },
    split: { type: "string" },
    variants: { type: "string" },
  },
});
const trials = Number(values.trials ?? 10);
const root = values.data ?? "../shared/data";
const budgets = (values.budgets ?? "20,30,40").split(",").map(Number);
const splits = (values.split ?? "extrapolation,interpolation").split(",") as SplitKind[];
const only = values.variants?.split(",");
const all: [string, string, MethodConfig][] = [
  ["tailored-plus", "tailored-plus", {}],
  ["plus, independent draws", "tailored-plus", { coordinated: false }],
  ["plus, no second look", "tailored-plus", { secondLook: 0 }],
  ["plus, all within", "tailored-plus", { plusMode: "within" }],
  ["plus, all beyond", "tailored-plus", { plusMode: "beyond" }],
  ["random (shared sample)", "random", {}],
  ["random (per target)", "random", { randomMode: "perTarget" }],
  ["plus, all beyond, flat residual model", "tailored-plus", { plusMode: "beyond", residualAlpha: 1e6 }],
  ["plus, G-set 5", "tailored-plus", { gset: 5 }],
  ["plus, G-set 7", "tailored-plus", { gset: 7 }],
];
const variants = only === undefined ? all.slice(0, 7) : all.filter((_, i) => only.includes(String(i)));
console.log("| matrix | setting | N | variant | τ-b | pair order | MAE |");
console.log("|---|---|--:|---|---|---|---|");
for (const m of ["gsm8k", "helm_lite_mmlu", "glue_rte", "openllm_v2_musr"]) {
  const ds = loadDataset(`${root}/${m}`);
  for (const split of splits) {
    for (const [label, method, config] of variants) {
      const r = await reproduce(ds.matrix, { methods: [method], budgets, trials, seed: 0, split, config, workers: 2 });
      for (const c of r.results) {
        const po = (c as unknown as { pairOrder?: { share: { mean: number; se: number } | null } }).pairOrder;
        const f = (x: { mean: number; se: number }, d = 3) => `${x.mean.toFixed(d)} ± ${x.se.toFixed(d)}`;
        console.log(
          `| ${m} | ${split} | ${c.budget} | ${label} | ${f(c.kendallTau)} | ${po?.share ? f(po.share) : "—"} | ${f(c.mae, 4)} |`,
        );
      }
    }
  }
}
