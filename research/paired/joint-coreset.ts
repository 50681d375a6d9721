/**
 * Prototype (not in the packages): a two-round paired design. Round 1 is the G-set for both
 * models; when both G-set scores are below the sources' upper quartile (tailored-plus's "within"
 * rule), round 2 is the medoids of a coreset tailored jointly to both (K-Medoids with the G-set
 * fixed on the union of their native sources) and the difference is the sources' learned one on
 * those examples; otherwise the pair keeps today's PairedRun. Compared with today's PairedRun on
 * the same pairs. Run:
 *   npx tsx --conditions=@tb/source research/paired/joint-coreset.ts <data> <split> <budget> <seeds>
 */
import { createOracle, drive } from "@tb/core";
import { selectNatives, tailor } from "@tb/estimate";
import {
  DEFAULT_LEARN_ALPHAS,
  defaultStrata,
  designEstimate,
  gsetScores,
  kthPairGap,
  learnedDifference,
  normalQuantile,
  PairedRun,
  plusMode,
  sourceMeans,
  stratifiedDesign,
} from "@tb/estimate/internals";
import { sourceRidge } from "../../packages/estimate/src/plus/learned.js";
import { describeScore, newScore, pairsOf, prototypeArgs, scoreInterval } from "./pairs.js";

const { dir, split, N, seeds, m } = await prototypeArgs("interpolation");
const level = 0.9;
const cur = newScore();
const all = newScore();
const nonnat = newScore();
const floorD = newScore();
const mixed = newScore();
const nnIn = newScore();
const nnOut = newScore();
let joint = 0;
let outside = 0;
const z = normalQuantile(0.5 + level / 2);
for (const { sources, a, b, truth, rng } of pairsOf(m, split, seeds)) {
  const S = sources.rows;
  const acc = new Float64Array(S);
  for (let s = 0; s < S; s++) acc[s] = sources.trueScore(s);
  const run = new PairedRun({ sources, targets: 2, budget: N, rng }, { design: "stratified", level });
  drive(run, [createOracle(m.row(a), N), createOracle(m.row(b), N)]);
  const r = run.difference();
  scoreInterval(cur, r.difference, r.interval[0], r.interval[1], truth);
  // the two-round design
  const gset = run.state.gset;
  const sg = gsetScores(sources, gset);
  const ga = Float64Array.from(gset, (x) => m.row(a)[x] as number);
  const gb = Float64Array.from(gset, (x) => m.row(b)[x] as number);
  const mean = (v: Float64Array) => v.reduce((p, q) => p + q, 0) / v.length;
  const rule = process.env.RULE ?? "q75";
  const ok = (g: Float64Array) => {
    const pm = plusMode(sg, mean(g), 0.75);
    return rule === "q75" ? pm.mode === "within" : pm.outOfRange === null;
  };
  const within = ok(ga) && ok(gb);
  if (!within) {
    scoreInterval(all, r.difference, r.interval[0], r.interval[1], truth);
    scoreInterval(nonnat, r.difference, r.interval[0], r.interval[1], truth);
    scoreInterval(floorD, r.difference, r.interval[0], r.interval[1], truth);
    scoreInterval(mixed, r.difference, r.interval[0], r.interval[1], truth);
    continue;
  }
  joint++;
  const sel = selectNatives(sources, gset, [ga, gb]);
  const u = new Set<number>([...(sel.natives[0] as Int32Array), ...(sel.natives[1] as Int32Array)]);
  const natives = Int32Array.from([...u].sort((p, q) => p - q));
  const plan = tailor(sources, gset, natives, N, rng.child("joint"));
  const ex = plan.nset;
  const ya = Float64Array.from(ex, (x) => m.row(a)[x] as number);
  const yb = Float64Array.from(ex, (x) => m.row(b)[x] as number);
  const ld = learnedDifference(sources, ex, ya, yb, level);
  const d = ld.accuracies[0] - ld.accuracies[1];
  if (ld.outOfRange[0] !== null || ld.outOfRange[1] !== null) outside++;
  scoreInterval(all, d, d - ld.halfWidth, d + ld.halfWidth, truth);
  const loo = sourceRidge(sources, acc, ex, DEFAULT_LEARN_ALPHAS);
  const nn = Float64Array.from([...loo.errors].filter((_, s) => !u.has(s))).sort();
  const M = (nn.length * (nn.length - 1)) / 2;
  const k = Math.ceil((M + 1) * level);
  const hw = k <= M && nn.length >= 2 ? kthPairGap(nn, k) : ld.halfWidth;
  scoreInterval(nonnat, d, d - hw, d + hw, truth);
  scoreInterval(ld.outOfRange[0] === null && ld.outOfRange[1] === null ? nnIn : nnOut, d, d - hw, d + hw, truth);
  const hw2 = Math.max(hw, z * r.se);
  scoreInterval(floorD, d, d - hw2, d + hw2, truth);
  // mixed: G + m joint-look medoids + stratified draws; learned inside the range (floored by the
  // design SE), design estimate otherwise
  {
    const g = gset.length;
    const mm = Math.ceil(0.3 * (N - g));
    const look = tailor(sources, gset, natives, g + mm, rng.child("jlook")).nset; // G then the medoids
    const fixed = Int32Array.from(look);
    const diff = sourceMeans(sources);
    const st = stratifiedDesign(diff, fixed, N - g - mm, rng.child("jstrata"), defaultStrata(N - g - mm));
    const exs = new Int32Array(N);
    exs.set(fixed, 0);
    exs.set(st.picks, fixed.length);
    const ya2 = Float64Array.from(exs, (x) => m.row(a)[x] as number);
    const yb2 = Float64Array.from(exs, (x) => m.row(b)[x] as number);
    const dd = Float64Array.from(ya2, (v, q) => v - (yb2[q] as number));
    const de = designEstimate(sources, st, fixed, exs, dd, 10);
    const l2 = learnedDifference(sources, exs, ya2, yb2, level);
    const useL = l2.outOfRange[0] === null && l2.outOfRange[1] === null && Number.isFinite(l2.halfWidth);
    const dv = useL ? l2.accuracies[0] - l2.accuracies[1] : de.accuracy;
    const se = useL ? Math.max(de.se, l2.halfWidth / z) : de.se;
    scoreInterval(mixed, dv, Math.max(-1, dv - z * se), Math.min(1, dv + z * se), truth);
  }
}
console.log(
  `${dir} ${split} N=${N}: ${cur.total} pairs, ${joint} joint, ${outside} of them out of range on the coreset`,
);
console.log(`  today          ${describeScore(cur)}`);
console.log(`  joint, all     ${describeScore(all)}`);
console.log(`  joint, nonnat  ${describeScore(nonnat)}`);
console.log(`  joint, floor   ${describeScore(floorD)}`);
console.log(`  mixed          ${describeScore(mixed)}`);
console.log(`  nonnat, in     ${describeScore(nnIn)}`);
console.log(`  nonnat, out    ${describeScore(nnOut)}`);
