/**
 * Why tailored-plus's τ-b among targets falls below Random's in extrapolation (issue 20, item 1):
 * the same trials with tailored-plus's second look off, with every target forced into one mode,
 * and Random with one shared sample (its default) against a sample per target.
 *
 *     pnpm exec tsx --conditions=@tb/source research/tailored-plus/ranks.ts <data dir> <split> <out.json>
 *
 * Writes `{data, split, budgets, trials, seed, variants: [{variant, method, config, results}]}` with
 * the reproduce cells (τ-b, MAE, pairOrder, …) of each variant.
 */
import { writeFileSync } from "node:fs";
import { type MethodConfig, reproduce, type SplitKind } from "@tb/experiment";
import { loadDataset } from "@tb/io";

const [data, split, out] = process.argv.slice(2);
if (!data || !split || !out) throw new Error("usage: ranks.ts <data dir> <split> <out.json>");
const ds = loadDataset(data);
const budgets = [20, 30, 40];
const trials = 10;
const seed = 0;
const variants: { variant: string; method: string; config: MethodConfig }[] = [
  { variant: "tailored-plus", method: "tailored-plus", config: {} },
  { variant: "tailored-plus, second look off", method: "tailored-plus", config: { secondLook: 0 } },
  { variant: "tailored-plus, all within", method: "tailored-plus", config: { plusMode: "within" } },
  { variant: "tailored-plus, all beyond", method: "tailored-plus", config: { plusMode: "beyond" } },
  { variant: "random (shared sample)", method: "random", config: { randomMode: "shared" } },
  { variant: "random (sample per target)", method: "random", config: { randomMode: "perTarget" } },
];
const rows = [];
for (const v of variants) {
  const r = await reproduce(ds.matrix, {
    methods: [v.method],
    budgets,
    trials,
    seed,
    split: split as SplitKind,
    config: v.config,
    workers: 1,
    ...(ds.split && split === "meta" ? { metaSplit: ds.split } : {}),
  });
  rows.push({ ...v, results: r.results.map(({ seconds: _s, ...c }) => c) });
  for (const c of r.results) {
    console.log(
      `${ds.name} ${split} ${v.variant} N=${c.budget}: τ-b ${c.kendallTau.mean.toFixed(3)} ± ${c.kendallTau.se.toFixed(3)}, ` +
        `MAE ${c.mae.mean.toFixed(4)}, pair order ${c.pairOrder?.share?.mean.toFixed(3)}`,
    );
  }
}
writeFileSync(out, `${JSON.stringify({ data: ds.name, split, budgets, trials, seed, variants: rows }, null, 1)}\n`);
