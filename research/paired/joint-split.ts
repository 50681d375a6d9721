/**
 * Prototype (not in the packages): the two-round joint design of joint-coreset.ts with split
 * calibration. A seeded half of the sources chooses everything — the G-set, the two models'
 * natives among them, the coreset tailored to the union of those natives — and the other half,
 * which chose nothing, calibrates the learned difference's interval (pairs of its leave-one-out
 * errors). A pair with a model above every source on the G-set keeps today's PairedRun.
 * Run: npx tsx --conditions=@tb/source research/paired/joint-split.ts <data> <split> <budget> <seeds>
 */
import { createOracle, drive } from "@tb/core";
import { probe, selectNatives, tailor } from "@tb/estimate";
import {
  calibrationHalf,
  gsetScores,
  learnedDifference,
  PairedRun,
  plusMode,
  scoreOutOfRange,
} from "@tb/estimate/internals";
import { describeScore, newScore, pairsOf, prototypeArgs, scoreInterval } from "./pairs.js";

const { dir, split, N, seeds, m } = await prototypeArgs("interpolation");
const level = 0.9;
const today = newScore();
const joint = newScore();
let used = 0;
let outside = 0;
const mean = (v: Float64Array) => v.reduce((p, q) => p + q, 0) / v.length;
for (const { sources, a, b, truth, rng } of pairsOf(m, split, seeds)) {
  const run = new PairedRun({ sources, targets: 2, budget: N, rng }, { design: "stratified", level });
  drive(run, [createOracle(m.row(a), N), createOracle(m.row(b), N)]);
  const r = run.difference();
  scoreInterval(today, r.difference, r.interval[0], r.interval[1], truth);
  // the joint design, everything chosen by the design half
  const half = calibrationHalf(sources.rows, rng.child("calibration"));
  const dsrc = sources.selectRows(half.design);
  const G = probe(dsrc, rng.child("gset"), { gset: 10 }).gset;
  const ga = Float64Array.from(G, (x) => m.row(a)[x] as number);
  const gb = Float64Array.from(G, (x) => m.row(b)[x] as number);
  const sg = gsetScores(dsrc, G);
  // round two is tailored jointly unless a model is above every source on the G-set (RULE=above,
  // default) or at or above the sources' upper quartile there (RULE=q75, tailored-plus's rule)
  const rule = process.env.RULE ?? "above";
  const out = (g: Float64Array) => {
    const pm = plusMode(sg, mean(g), 0.75);
    return rule === "q75" ? pm.mode === "beyond" : pm.outOfRange === "above";
  };
  const above = out(ga) || out(gb);
  if (above) {
    scoreInterval(joint, r.difference, r.interval[0], r.interval[1], truth);
    continue;
  }
  const sel = selectNatives(dsrc, G, [ga, gb]);
  const u = new Set<number>([...(sel.natives[0] as Int32Array), ...(sel.natives[1] as Int32Array)]);
  const natives = Int32Array.from([...u].map((k) => half.design[k] as number).sort((p, q) => p - q));
  const ex = tailor(sources, G, natives, N, rng.child("joint")).nset;
  const ya = Float64Array.from(ex, (x) => m.row(a)[x] as number);
  const yb = Float64Array.from(ex, (x) => m.row(b)[x] as number);
  const ld = learnedDifference(sources, ex, ya, yb, level, half.calibration);
  const sorted = gsetScores(sources, ex).sort();
  if (scoreOutOfRange(mean(ya), sorted, level) !== null || scoreOutOfRange(mean(yb), sorted, level) !== null) outside++;
  used++;
  const d = ld.accuracies[0] - ld.accuracies[1];
  scoreInterval(joint, d, Math.max(-1, d - ld.halfWidth), Math.min(1, d + ld.halfWidth), truth);
}
console.log(
  `${dir} ${split} N=${N}: ${today.total} pairs, ${used} on the joint design (${outside} of them out of range on it)`,
);
console.log(`  today (split) ${describeScore(today)}`);
console.log(`  joint, split  ${describeScore(joint)}`);
