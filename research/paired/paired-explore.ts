/**
 * Quick look at the paired difference estimator (packages/estimate/src/evaluation/compare.ts):
 * coverage of its interval and order of the pairs, over seeds, on one matrix's extrapolation or
 * interpolation split. Run: npx tsx --conditions=@tb/source research/paired/paired-explore.ts <data> <split> <budget> <seeds>
 * (`G=16` in the environment: a G-set of 16 instead of 10).
 */
import { createOracle, drive } from "@tb/core";
import { PairedRun } from "@tb/estimate/internals";
import { loadDataset } from "@tb/io";
import { newScore, pairsOf, scoreInterval } from "./pairs.js";

const [dir, split = "extrapolation", budgetS = "30", seedsS = "5", designS = "stratified"] = process.argv.slice(2);
const ds = await loadDataset(dir as string);
const m = ds.matrix;
const budget = Number(budgetS);
const score = newScore();
for (const p of pairsOf(m, split, Number(seedsS))) {
  const run = new PairedRun(
    { sources: p.sources, targets: 2, budget, rng: p.rng },
    { design: designS as "stratified" | "random", ...(process.env.G ? { gset: Number(process.env.G) } : {}) },
  );
  drive(run, [createOracle(m.row(p.a), budget), createOracle(m.row(p.b), budget)]);
  const r = run.difference();
  scoreInterval(score, r.difference, r.interval[0], r.interval[1], p.truth);
}
console.log(
  `${dir} ${split} N=${budget} ${designS}: coverage ${(score.cov / score.total).toFixed(3)} over ${score.total}, width ${(score.width / score.total).toFixed(3)}, order ${(score.order / score.orderN).toFixed(3)} over ${score.orderN}`,
);
