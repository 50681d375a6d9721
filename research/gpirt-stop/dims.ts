/**
 * Where gp-IRT's early stop moves its numbers: per interpolation trial, the calibration with and
 * without the stop rule — the chosen d, the validation error of every candidate d (b̂ is the chosen
 * one's), the refit's loss and the Adam steps every fit took.
 *
 * Run: `npx tsx --conditions=@tb/source research/gpirt-stop/dims.ts [--data ../shared/data/helm_lite_mmlu]
 * [--trials 10] [--window 100] [--tol 1e-5]`
 */
import { parseArgs } from "node:util";
import { calibrateGpIrt } from "@tb/baselines/internals";
import { defaultTargetFraction, randomSplit } from "@tb/experiment";
import { loadDataset } from "@tb/io";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data/helm_lite_mmlu" },
    trials: { type: "string", default: "10" },
    window: { type: "string", default: "100" },
    tol: { type: "string", default: "1e-5" },
  },
});
const ds = loadDataset(values.data as string);
const rule = { window: Number(values.window), tol: Number(values.tol) };
for (let trial = 0; trial < Number(values.trials); trial++) {
  const split = randomSplit(ds.matrix.rows, defaultTargetFraction("interpolation"), 0, trial);
  const src = ds.matrix.selectRows(split.source, "sources");
  const a = calibrateGpIrt(src, {});
  const b = calibrateGpIrt(src, { earlyStop: rule });
  const errs = (c: typeof a) => Array.from(c.errByDim, (e) => e.toFixed(4)).join("/");
  console.log(
    `trial ${trial}: d ${a.dim} → ${b.dim}; err ${errs(a)} → ${errs(b)}; refit loss ${a.irt.loss.toFixed(1)} → ${b.irt.loss.toFixed(1)}; steps ${Array.from(b.epochsByDim).join("/")} + ${b.irt.epochsRun}`,
  );
}
