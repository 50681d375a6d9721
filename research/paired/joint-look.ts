/**
 * Prototype (not in the packages): joint-split.ts's tailored paired design with a routing rule
 * taken from tailored-plus — the pair's second look. Everything is chosen by a seeded half of the
 * sources (the G-set, the natives of the two models among them, every coreset); the other half
 * calibrates the learned difference. Round 1: the G-set. Both models below the sources' upper
 * quartile there → round 2 is the rest of a coreset tailored to the union of their natives.
 * Otherwise round 2 is a second look: m = ⌈0.3 (N − g)⌉ medoids of that coreset; both models
 * below the upper quartile of the sources' scores on the g + m examples → round 3 is the rest of
 * the coreset (learned difference); else → stratified draws around the g + m examples, and the
 * difference as today's PairedRun takes it on those examples (learned when in range, else the
 * design estimate with the g + m examples pooled).
 * Run: npx tsx --conditions=@tb/source research/paired/joint-look.ts <data> <split> <budget> <seeds>
 */
import { type CorrectnessMatrix, createOracle, drive, type RandomStream } from "@tb/core";
import { probe, selectNatives, tailor, tailoredPlus } from "@tb/estimate";
import {
  calibrationHalf,
  DEFAULT_LEARN_ALPHAS,
  DEFAULT_RESIDUAL_ALPHA,
  defaultStrata,
  designEstimate,
  gsetScores,
  learnedDifference,
  learnedEstimate,
  normalQuantile,
  PairedRun,
  plusMode,
  sourceMeans,
  stratifiedDesign,
} from "@tb/estimate/internals";
import { describeScore, newScore, pairsOf, prototypeArgs, scoreInterval } from "./pairs.js";

const { dir, split, N, seeds, m } = await prototypeArgs("interpolation");
const level = 0.9;
const z = normalQuantile(0.5 + level / 2);
const today = newScore();
const joint = newScore();
const indep = newScore();
const blended = newScore();
const byRoute: Record<
  string,
  { j: ReturnType<typeof newScore>; i: ReturnType<typeof newScore>; t: ReturnType<typeof newScore> }
> = {};
let route = "";
const plus = tailoredPlus({ level });
const routes = { within: 0, lookWithin: 0, lookBeyond: 0 };
const mean = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  return s / v.length;
};
const pick = (row: ArrayLike<number>, ex: ArrayLike<number>) =>
  Float64Array.from(ex as Int32Array, (x) => row[x] as number);
const beyondQ = (sources: CorrectnessMatrix, ex: Int32Array, y: Float64Array) =>
  plusMode(gsetScores(sources, ex), mean(y), 0.75).mode === "beyond";

function learnedOn(sources: CorrectnessMatrix, ex: Int32Array, ya: Float64Array, yb: Float64Array, cal: Int32Array) {
  const ld = learnedDifference(sources, ex, ya, yb, level, cal);
  const d = (ld.accuracies[0] as number) - (ld.accuracies[1] as number);
  return { d, lo: Math.max(-1, d - ld.halfWidth), hi: Math.min(1, d + ld.halfWidth), ld };
}

function stratifiedAround(
  sources: CorrectnessMatrix,
  fixed: Int32Array,
  ra: ArrayLike<number>,
  rb: ArrayLike<number>,
  cal: Int32Array,
  rng: RandomStream,
) {
  const extra = N - fixed.length;
  const st = stratifiedDesign(sourceMeans(sources), fixed, extra, rng.child("look-strata"), defaultStrata(extra));
  const ex = new Int32Array(N);
  ex.set(fixed, 0);
  ex.set(st.picks, fixed.length);
  const ya = pick(ra, ex);
  const yb = pick(rb, ex);
  const l = learnedOn(sources, ex, ya, yb, cal);
  if (l.ld.outOfRange[0] === null && l.ld.outOfRange[1] === null && Number.isFinite(l.ld.halfWidth)) return l;
  const dd = Float64Array.from(ya, (v, i) => v - (yb[i] as number));
  const e = designEstimate(sources, st, fixed, ex, dd, DEFAULT_RESIDUAL_ALPHA);
  return { d: e.accuracy, lo: Math.max(-1, e.accuracy - z * e.se), hi: Math.min(1, e.accuracy + z * e.se), ld: l.ld };
}

function blendOn(
  sources: CorrectnessMatrix,
  natives: Int32Array,
  nset: Int32Array,
  labels: Int32Array,
  ra: ArrayLike<number>,
  rb: ArrayLike<number>,
  l: { d: number; lo: number; hi: number },
) {
  const acc = Float64Array.from({ length: sources.rows }, (_, s) => mean(sources.row(s)));
  const ea = learnedEstimate(sources, acc, natives, nset, labels, pick(ra, nset), DEFAULT_LEARN_ALPHAS).accuracy;
  const eb = learnedEstimate(sources, acc, natives, nset, labels, pick(rb, nset), DEFAULT_LEARN_ALPHAS).accuracy;
  const d = ea - eb;
  return { d, lo: d - (l.d - l.lo), hi: d + (l.hi - l.d) };
}

for (const { sources, a, b, truth, rng } of pairsOf(m, split, seeds)) {
  const run = new PairedRun({ sources, targets: 2, budget: N, rng }, { design: "stratified", level });
  drive(run, [createOracle(m.row(a), N), createOracle(m.row(b), N)]);
  const r = run.difference();
  scoreInterval(today, r.difference, r.interval[0], r.interval[1], truth);
  const half = calibrationHalf(sources.rows, rng.child("calibration"));
  const dsrc = sources.selectRows(half.design);
  const G = probe(dsrc, rng.child("gset"), { gset: 10 }).gset;
  const ga = pick(m.row(a), G);
  const gb = pick(m.row(b), G);
  const sel = selectNatives(dsrc, G, [ga, gb]);
  const u = new Set<number>([...(sel.natives[0] as Int32Array), ...(sel.natives[1] as Int32Array)]);
  const natives = Int32Array.from([...u].map((k) => half.design[k] as number).sort((p, q) => p - q));
  type Scored = { d: number; lo: number; hi: number };
  let out: Scored;
  let bl: Scored | undefined;
  // the rest of the joint coreset with `fixed` held: the learned difference, and the blend beside it
  const coreset = (fixed: Int32Array): [Scored, Scored] => {
    const tp = tailor(sources, fixed, natives, N, rng.child("joint"));
    const l = learnedOn(sources, tp.nset, pick(m.row(a), tp.nset), pick(m.row(b), tp.nset), half.calibration);
    return [l, blendOn(sources, natives, tp.nset, tp.labels, m.row(a), m.row(b), l)];
  };
  if (!beyondQ(sources, G, ga) && !beyondQ(sources, G, gb)) {
    routes.within++;
    route = "within";
    [out, bl] = coreset(G);
  } else {
    const look = Math.ceil(0.3 * (N - G.length));
    const fixed = tailor(sources, G, natives, G.length + look, rng.child("look")).nset;
    const la = pick(m.row(a), fixed);
    const lb = pick(m.row(b), fixed);
    if (!beyondQ(sources, fixed, la) && !beyondQ(sources, fixed, lb)) {
      routes.lookWithin++;
      route = "lookWithin";
      [out, bl] = coreset(fixed);
    } else {
      routes.lookBeyond++;
      route = "lookBeyond";
      out = stratifiedAround(sources, fixed, m.row(a), m.row(b), half.calibration, rng);
    }
  }
  scoreInterval(joint, out.d, out.lo, out.hi, truth);
  const o2 = bl ?? out;
  scoreInterval(blended, o2.d, o2.lo, o2.hi, truth);
  // two independent tailored-plus estimates (each its own stream), as reproduce's "independent"
  const ea = plus.run({ sources, oracles: [createOracle(m.row(a), N)], budget: N, rng: rng.child("ind", 0) })
    .estimates[0] as number;
  const eb = plus.run({ sources, oracles: [createOracle(m.row(b), N)], budget: N, rng: rng.child("ind", 1) })
    .estimates[0] as number;
  scoreInterval(indep, ea - eb, -1, 1, truth);
  byRoute[route] ??= { j: newScore(), i: newScore(), t: newScore() };
  const br = byRoute[route] as {
    j: ReturnType<typeof newScore>;
    i: ReturnType<typeof newScore>;
    t: ReturnType<typeof newScore>;
  };
  scoreInterval(br.j, out.d, out.lo, out.hi, truth);
  scoreInterval(br.i, ea - eb, -1, 1, truth);
  scoreInterval(br.t, r.difference, r.interval[0], r.interval[1], truth);
}
console.log(`${dir} ${split} N=${N}: ${today.total} pairs; routes ${JSON.stringify(routes)}`);
console.log(`  today (split) ${describeScore(today)}`);
console.log(`  joint + look  ${describeScore(joint)}`);
console.log(`  joint + blend ${describeScore(blended)}`);
console.log(`  independent   ${describeScore(indep)}`);
for (const [k, v] of Object.entries(byRoute)) {
  console.log(
    `  ${k}: today ${describeScore(v.t)}\n     joint ${describeScore(v.j)}\n     indep ${describeScore(v.i)}`,
  );
}
