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
import { probe } from "@tb/estimate";
import {
  DEFAULT_LEARN_ALPHAS,
  defaultStrata,
  gsetScores,
  kthPairGap,
  scoreOutOfRange,
  sourceMeans,
  stratifiedDesign,
} from "@tb/estimate/internals";
import { ridgePredict } from "@tb/linear";
import { sourceRidge } from "../../packages/estimate/src/plus/learned.js";
import { newScore, type PairScore, pairsOf, prototypeArgs, scoreInterval } from "./pairs.js";

const { dir, split, N, seeds, m } = await prototypeArgs("interpolation");
const level = 0.9;
const g = 10;
const res: Record<string, PairScore> = { today: newScore(), draws: newScore(), split: newScore() };
// the interval is the difference ± hw
const add = (acc: PairScore, diff: number, hw: number, truth: number) =>
  scoreInterval(acc, diff, diff - hw, diff + hw, truth);
const pairHw = (errors: Float64Array): number => {
  const v = Float64Array.from(errors).sort();
  const M = (v.length * (v.length - 1)) / 2;
  const k = Math.ceil((M + 1) * level);
  return k <= M ? kthPairGap(v, k) : Number.POSITIVE_INFINITY;
};
for (const { sources, a, b, truth, rng } of pairsOf(m, split, seeds)) {
  const S = sources.rows;
  const acc = Float64Array.from({ length: S }, (_, s) => sources.trueScore(s));
  const learned = (G: Int32Array, cal: ((s: number) => boolean) | null, featuresFrom: number) => {
    const d = stratifiedDesign(sourceMeans(sources), G, N - G.length, rng.child("strata"), defaultStrata(N - G.length));
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
  add(res.today as PairScore, t.diff, t.hw, truth);
  const dr = learned(G, null, g);
  add(res.draws as PairScore, dr.diff, dr.hw, truth);
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
  add(res.split as PairScore, sp2.diff, sp2.hw, truth);
}
console.log(`${dir} ${split} N=${N} (pairs both inside the range on today's design):`);
for (const [k, x] of Object.entries(res))
  console.log(
    `  ${k.padEnd(6)} coverage ${(x.cov / x.total).toFixed(3)} over ${x.total}, width ${(x.width / x.total).toFixed(3)}, order ${(x.order / x.orderN).toFixed(3)} (${x.orderN}), dMAE ${(x.abs / x.total).toFixed(4)}`,
  );
