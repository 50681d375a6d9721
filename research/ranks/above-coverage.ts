/**
 * Coverage, MAE and bias of tailored-plus's 90 % intervals per kind of target in the extrapolation
 * split: targets above every source on the trial's G-set, and the others (docs/TAILORED-PLUS.md,
 * "Where the order went": research patch 1 lowered the *others'* coverage, through joint native
 * selection). Seed 0, 30 trials by default, as `tb reproduce` runs them.
 *
 *   pnpm exec tsx --conditions=@tb/source research/ranks/above-coverage.ts [--data ../shared/data]
 *     [--matrix glue_rte] [--budget 30] [--trials 30]
 *
 * Run it in a worktree with a patch applied (research/ranks/patches.sh's way) to measure the patch.
 */
import { parseArgs } from "node:util";
import { extrapolationSplit } from "@tb/experiment";
import { loadDataset } from "@tb/io";
import { extrapolationTrial } from "./capture.js";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data" },
    matrix: { type: "string", default: "glue_rte" },
    budget: { type: "string", default: "30" },
    trials: { type: "string", default: "30" },
  },
});
const matrix = loadDataset(`${values.data}/${values.matrix}`).matrix;
const split = extrapolationSplit(matrix.trueScores(), 0.5, 0.3);
const groups = new Map<string, { n: number; covered: number; err: number; bias: number; width: number }>();
for (let trial = 0; trial < Number(values.trials); trial++) {
  const r = extrapolationTrial(matrix, "tailored-plus", Number(values.budget), trial);
  const gset = (r.diagnostics?.gset ?? []) as number[];
  const score = (row: ArrayLike<number>) => gset.reduce((a, j) => a + (row[j] as number), 0);
  let best = -1;
  for (const s of split.source) best = Math.max(best, score(matrix.row(s)));
  split.target.forEach((row, t) => {
    const kind = score(matrix.row(row)) > best ? "above every source" : "the others";
    const truth = matrix.trueScore(row);
    const est = r.estimates[t] as number;
    const lo = r.intervals?.lower[t] as number;
    const hi = r.intervals?.upper[t] as number;
    const g = groups.get(kind) ?? { n: 0, covered: 0, err: 0, bias: 0, width: 0 };
    g.n++;
    g.covered += lo <= truth && truth <= hi ? 1 : 0;
    g.err += Math.abs(est - truth);
    g.bias += est - truth;
    g.width += hi - lo;
    groups.set(kind, g);
  });
}
for (const [kind, g] of groups) {
  console.log(
    `${values.matrix} extrapolation N = ${values.budget}, ${kind}: ${g.n} target-trials, coverage ${((100 * g.covered) / g.n).toFixed(1)} %, MAE ${(g.err / g.n).toFixed(4)}, bias ${(g.bias / g.n).toFixed(4)}, width ${(g.width / g.n).toFixed(3)}`,
  );
}
