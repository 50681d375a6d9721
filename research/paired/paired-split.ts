/**
 * Prototype (not in the packages): is the learned paired difference's interval too narrow because
 * the G-set was chosen on the same sources whose leave-one-out errors calibrate it? Three intervals
 * for the learned difference, no design floor, on the explore script's pairs:
 *   today   — the rule before 2026-12-07: G-set from all sources, every source's LOO pairs;
 *   draws   — the ridge on the random draws only (no chosen example among the features);
 *   split   — the G-set chosen on a random half of the sources, the pairs of the other half's
 *             LOO errors (split-conformal proper: those sources played no part in the design).
 * Run: npx tsx --conditions=@tb/source research/paired/paired-split.ts <data> <split> <budget> <seeds>
 */
import { createOracle, RandomStream } from "@tb/core";
import { probe } from "@tb/estimate";
import {
  DEFAULT_LEARN_ALPHAS,
  defaultStrata,
  gsetScores,
  kthPairGap,
  normalQuantile,
  scoreOutOfRange,
  sourceMeans,
  stratifiedDesign,
} from "@tb/estimate/internals";
import { extrapolationSplit, randomSplit } from "@tb/experiment";
import { loadDataset } from "@tb/io";
import { ridgePredict } from "@tb/linear";
import { sourceRidge } from "../../packages/estimate/src/plus/learned.js";

void createOracle;
void normalQuantile;
const [dir, split = "interpolation", budgetS = "30", seedsS = "5"] = process.argv.slice(2);
const ds = await loadDataset(dir as string);
const m = ds.matrix;
const N = Number(budgetS);
const level = 0.9;
const g = 10;
type Acc = { cov: number; total: number; width: number; order: number; orderN: number; abs: number; used: number };
const mk = (): Acc => ({ cov: 0, total: 0, width: 0, order: 0, orderN: 0, abs: 0, used: 0 });
const res: Record<string, Acc> = { today: mk(), draws: mk(), split: mk() };
const add = (acc: Acc, diff: number, hw: number, truth: number) => {
  acc.total++;
  if (Math.abs(diff - truth) <= hw + 1e-12) acc.cov++;
  acc.width += 2 * hw;
  acc.abs += Math.abs(diff - truth);
  if (Math.abs(truth) >= 0.05 - 1e-12) {
    acc.orderN++;
    if (diff === 0) acc.order += 0.5;
    else if (diff > 0 === truth > 0) acc.order++;
  }
};
const pairHw = (errors: Float64Array): number => {
  const v = Float64Array.from(errors).sort();
  const M = (v.length * (v.length - 1)) / 2;
  const k = Math.ceil((M + 1) * level);
  return k <= M ? kthPairGap(v, k) : Number.POSITIVE_INFINITY;
};
for (let seed = 0; seed < Number(seedsS); seed++) {
  const sp = split === "extrapolation" ? extrapolationSplit(m.trueScores()) : randomSplit(m.rows, 0.25, 0, seed);
  const sources = m.selectRows(sp.source);
  const S = sources.rows;
  const acc = Float64Array.from({ length: S }, (_, s) => sources.trueScore(s));
  const T = sp.target.length;
  for (let i = 0; i < T; i += 1) {
    for (let j = i + 1; j < T; j += 3) {
      const a = sp.target[i] as number;
      const b = sp.target[j] as number;
      const truth = m.trueScore(a) - m.trueScore(b);
      const rng = RandomStream.derive(seed, "explore", i, j);
      const learned = (G: Int32Array, cal: ((s: number) => boolean) | null, featuresFrom: number) => {
        const d = stratifiedDesign(
          sourceMeans(sources),
          G,
          N - G.length,
          rng.child("strata"),
          defaultStrata(N - G.length),
        );
        const ex = Int32Array.from([...G, ...d.picks]);
        const feats = ex.subarray(featuresFrom);
        const ya = Float64Array.from(feats, (x) => m.row(a)[x] as number);
        const yb = Float64Array.from(feats, (x) => m.row(b)[x] as number);
        const loo = sourceRidge(sources, acc, feats, DEFAULT_LEARN_ALPHAS);
        const errs = cal === null ? loo.errors : Float64Array.from([...loo.errors].filter((_, s) => cal(s)));
        const sorted = gsetScores(sources, ex).sort();
        const sc = (y: Float64Array) => y.reduce((p, q) => p + q, 0) / y.length;
        const yaAll = Float64Array.from(ex, (x) => m.row(a)[x] as number);
        const ybAll = Float64Array.from(ex, (x) => m.row(b)[x] as number);
        const inside =
          scoreOutOfRange(sc(yaAll), sorted, level) === null && scoreOutOfRange(sc(ybAll), sorted, level) === null;
        const clamp = (x: number) => Math.min(1, Math.max(0, x));
        return { diff: clamp(ridgePredict(loo.fit, ya)) - clamp(ridgePredict(loo.fit, yb)), hw: pairHw(errs), inside };
      };
      const G = probe(sources, rng.child("gset"), { gset: g }).gset;
      const t = learned(G, null, 0);
      if (!t.inside) continue; // the learned path is taken only inside the range
      add(res.today as Acc, t.diff, t.hw, truth);
      const dr = learned(G, null, g);
      add(res.draws as Acc, dr.diff, dr.hw, truth);
      // split: a random half of the sources chooses the G-set, the other half calibrates
      const perm = rng.child("half").sample(
        Int32Array.from({ length: S }, (_, s) => s),
        S,
      );
      const half = new Uint8Array(S);
      for (let k = 0; k < Math.floor(S / 2); k++) half[perm[k] as number] = 1;
      const design = Int32Array.from({ length: S }, (_, s) => s).filter((s) => half[s] === 1);
      const Gh = probe(sources.selectRows(design), rng.child("gset"), { gset: g }).gset;
      const sp2 = learned(Gh, (s) => half[s] === 0, 0);
      add(res.split as Acc, sp2.diff, sp2.hw, truth);
    }
  }
}
console.log(`${dir} ${split} N=${N} (pairs both inside the range on today's design):`);
for (const [k, x] of Object.entries(res))
  console.log(
    `  ${k.padEnd(6)} coverage ${(x.cov / x.total).toFixed(3)} over ${x.total}, width ${(x.width / x.total).toFixed(3)}, order ${(x.order / x.orderN).toFixed(3)} (${x.orderN}), dMAE ${(x.abs / x.total).toFixed(4)}`,
  );
