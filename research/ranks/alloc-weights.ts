/**
 * How unequal are the weights per answer of tailored-plus's beyond design (docs/TAILORED-PLUS.md,
 * "Where the order went")? For each trial of the extrapolation split (seed 0, N = 30, 30 trials) the
 * trial's G-set is taken from tailored-plus's diagnostics; the beyond design without a second look
 * (20 draws, 5 strata) is built with the proportional and with the pooled allocation, and the ratio
 * of the largest to the smallest weight per answer, |h| / (draws + G-set examples pooled into h),
 * is printed as the median over the trials.
 *
 *   pnpm exec tsx --conditions=@tb/source research/ranks/alloc-weights.ts [--data ../shared/data]
 */
import { parseArgs } from "node:util";
import { RandomStream } from "@tb/core";
import { sourceMeans, stratifiedDesign } from "@tb/estimate/internals";
import { extrapolationSplit } from "@tb/experiment";
import { loadDataset } from "@tb/io";
import { extrapolationTrial } from "./capture.js";

const { values } = parseArgs({ options: { data: { type: "string", default: "../shared/data" } } });
const median = (v: number[]) => v.slice().sort((a, b) => a - b)[v.length >> 1] as number;
for (const name of ["gsm8k", "helm_lite_mmlu", "glue_rte", "openllm_v2_musr"]) {
  const matrix = loadDataset(`${values.data}/${name}`).matrix;
  const split = extrapolationSplit(matrix.trueScores(), 0.5, 0.3);
  const difficulty = sourceMeans(matrix.selectRows(split.source));
  const ratios = { proportional: [] as number[], pooled: [] as number[] };
  for (let trial = 0; trial < 30; trial++) {
    const r = extrapolationTrial(matrix, "tailored-plus", 30, trial);
    const gset = Int32Array.from((r.diagnostics?.gset ?? []) as number[]);
    for (const allocation of ["proportional", "pooled"] as const) {
      const d = stratifiedDesign(difficulty, gset, 20, RandomStream.derive("weights"), 5, undefined, allocation);
      const m = new Array<number>(d.strata).fill(0);
      for (const h of d.gsetStratum) m[h] = (m[h] as number) + 1;
      for (const x of d.picks) m[d.stratumOf[x] as number] = (m[d.stratumOf[x] as number] as number) + 1;
      const w = m.map((c, h) => (d.sizes[h] as number) / c);
      ratios[allocation].push(Math.max(...w) / Math.min(...w));
    }
  }
  console.log(
    `${name}: largest / smallest weight per answer, median of 30 trials: proportional ${median(ratios.proportional).toFixed(2)}, pooled ${median(ratios.pooled).toFixed(2)}`,
  );
}
