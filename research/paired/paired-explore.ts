/**
 * Quick look at the paired difference estimator (packages/estimate/src/evaluation/compare.ts):
 * coverage of its interval and order of the pairs, over seeds, on one matrix's extrapolation or
 * interpolation split. Run: npx tsx --conditions=@tb/source research/paired/paired-explore.ts <data> <split> <budget> <seeds>
 */
import { createOracle, drive, RandomStream } from "@tb/core";
import { PairedRun } from "@tb/estimate/internals";
import { extrapolationSplit, randomSplit } from "@tb/experiment";
import { loadDataset } from "@tb/io";

const [dir, split = "extrapolation", budgetS = "30", seedsS = "5", designS = "stratified"] = process.argv.slice(2);
const ds = await loadDataset(dir as string);
const m = ds.matrix;
const budget = Number(budgetS);
let cov = 0;
let order = 0;
let orderN = 0;
let total = 0;
let width = 0;
for (let seed = 0; seed < Number(seedsS); seed++) {
  const sp = split === "extrapolation" ? extrapolationSplit(m.trueScores()) : randomSplit(m.rows, 0.25, 0, seed);
  const sources = m.selectRows(sp.source);
  const T = sp.target.length;
  for (let i = 0; i < T; i += 1) {
    for (let j = i + 1; j < T; j += 3) {
      const a = sp.target[i] as number;
      const b = sp.target[j] as number;
      const run = new PairedRun(
        { sources, targets: 2, budget, rng: RandomStream.derive(seed, "explore", i, j) },
        { design: designS as "stratified" | "random", ...(process.env.G ? { gset: Number(process.env.G) } : {}) },
      );
      drive(run, [createOracle(m.row(a), budget), createOracle(m.row(b), budget)]);
      const r = run.difference();
      const truth = m.trueScore(a) - m.trueScore(b);
      total++;
      if (truth >= r.interval[0] - 1e-12 && truth <= r.interval[1] + 1e-12) cov++;
      width += r.interval[1] - r.interval[0];
      if (Math.abs(truth) >= 0.05 - 1e-12) {
        orderN++;
        if (r.difference === 0) order += 0.5;
        else if (r.difference > 0 === truth > 0) order++;
      }
    }
  }
}
console.log(
  `${dir} ${split} N=${budget} ${designS}: coverage ${(cov / total).toFixed(3)} over ${total}, width ${(width / total).toFixed(3)}, order ${(order / orderN).toFixed(3)} over ${orderN}`,
);
