/**
 * Prototype (not in the packages): a route between two paired designs. Each pair is first run
 * "together" (tailored-plus on both models in one run, as together-calibrated.ts). When both models
 * took the within mode (`beyondTargets === 0`) the route keeps together's difference with the
 * calibrated interval d − q·ℓ, d + q·u (ℓ, u the quadrature half-widths, q per seed the split-
 * conformal scale from `P` pseudo-pairs of sources, exactly as together-calibrated.ts); otherwise
 * it takes today's PairedRun (stratified design) difference and interval. A variant scales the
 * within branch by q_w, the same quantile over only the pseudo-pairs both of whose models took the
 * within mode (not capped at 1; no such pseudo-pair enough for the level → the interval [−1, 1]).
 * Scored on the same pairs beside today's PairedRun, together calibrated on every pair, and two
 * independent tailored-plus estimates (order and error only: interval [−1, 1], as joint-look.ts);
 * then the same per branch (both within, the others), with how many pairs took each.
 * Run: npx tsx --conditions=@tb/source research/paired/route.ts <data> <split> <budget> <seeds> [P]
 */
import { type CorrectnessMatrix, createOracle, drive, type RandomStream } from "@tb/core";
import { tailoredPlus } from "@tb/estimate";
import { PairedRun } from "@tb/estimate/internals";
import {
  describeScore,
  newScore,
  type PairScore,
  pairsOf,
  prototypeArgs,
  pseudoPairScores,
  quadratureDifference,
  scoreInterval,
} from "./pairs.js";

const { dir, split, N, seeds, m } = await prototypeArgs("interpolation");
const P = Number(process.argv[6] ?? "40");
const level = 0.9;
const plus = tailoredPlus({ level });
const started = performance.now();

/** Both models' difference, its quadrature half-widths (lower, upper) and whether both were within. */
function together(sources: CorrectnessMatrix, rowA: Float64Array, rowB: Float64Array, rng: RandomStream) {
  const res = plus.run({ sources, oracles: [createOracle(rowA, N), createOracle(rowB, N)], budget: N, rng });
  const beyond = (res.diagnostics as Record<string, number>).beyondTargets as number;
  return { ...quadratureDifference(res), within: beyond === 0 };
}

/** The ⌈level·(n + 1)⌉-th smallest of `xs` (∞ when there are too few). */
function quantile(xs: number[]): number {
  const k = Math.ceil(level * (xs.length + 1)) - 1;
  return k < xs.length ? ([...xs].sort((x, y) => x - y)[k] as number) : Number.POSITIVE_INFINITY;
}

/** The interval d − s·lower, d + s·upper within [−1, 1] (s = ∞ → [−1, 1]). */
function scaled(d: number, lower: number, upper: number, s: number): [number, number] {
  if (!Number.isFinite(s)) return [-1, 1];
  return [Math.max(-1, d - s * lower), Math.min(1, d + s * upper)];
}

/** Per seed: q from all P pseudo-pairs, q_w from those both within, and how many were. */
function calibrate(seed: number, sources: CorrectnessMatrix): { q: number; qw: number; nWithin: number } {
  const scored = pseudoPairScores(seed, sources, P, together);
  const within = scored.filter((x) => x.within).map((x) => x.score);
  return { q: quantile(scored.map((x) => x.score)), qw: quantile(within), nWithin: within.length };
}

type Estimator = "today" | "together" | "routeQ" | "routeQw" | "indep";
const names: Record<Estimator, string> = {
  today: "today (PairedRun)     ",
  together: "together, calibrated  ",
  routeQ: "route, q              ",
  routeQw: "route, q_w            ",
  indep: "independent t-plus    ",
};
const newScores = (): Record<Estimator, PairScore> => ({
  today: newScore(),
  together: newScore(),
  routeQ: newScore(),
  routeQw: newScore(),
  indep: newScore(),
});
const all = newScores();
const branches = { within: newScores(), other: newScores() };
const cals: { q: number; qw: number; nWithin: number }[] = [];
let seedNow = -1;
let cal = { q: Number.NaN, qw: Number.NaN, nWithin: 0 };
for (const { seed, sources, a, b, truth, rng } of pairsOf(m, split, seeds)) {
  if (seed !== seedNow) {
    seedNow = seed;
    cal = calibrate(seed, sources);
    cals.push(cal);
  }
  const r = together(sources, m.row(a), m.row(b), rng.child("together"));
  const run = new PairedRun({ sources, targets: 2, budget: N, rng }, { design: "stratified", level });
  drive(run, [createOracle(m.row(a), N), createOracle(m.row(b), N)]);
  const t = run.difference();
  const ea = plus.run({ sources, oracles: [createOracle(m.row(a), N)], budget: N, rng: rng.child("ind", 0) })
    .estimates[0] as number;
  const eb = plus.run({ sources, oracles: [createOracle(m.row(b), N)], budget: N, rng: rng.child("ind", 1) })
    .estimates[0] as number;

  const todayIv: [number, number] = [t.interval[0], t.interval[1]];
  const calIv = scaled(r.d, r.lower, r.upper, cal.q);
  const est: Record<Estimator, [number, number, number]> = {
    today: [t.difference, ...todayIv],
    together: [r.d, ...calIv],
    routeQ: r.within ? [r.d, ...calIv] : [t.difference, ...todayIv],
    routeQw: r.within ? [r.d, ...scaled(r.d, r.lower, r.upper, cal.qw)] : [t.difference, ...todayIv],
    indep: [ea - eb, -1, 1],
  };
  const branch = r.within ? branches.within : branches.other;
  for (const k of Object.keys(est) as Estimator[]) {
    const [d, lo, hi] = est[k];
    scoreInterval(all[k], d, lo, hi, truth);
    scoreInterval(branch[k], d, lo, hi, truth);
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "∞");
console.log(
  `${dir} ${split} N=${N}: ${all.today.total} pairs (${branches.within.today.total} both within → together, ${branches.other.today.total} other → today), P = ${P}`,
);
console.log(`  q per seed   ${cals.map((c) => fmt(c.q)).join(" ")}`);
console.log(`  q_w per seed ${cals.map((c) => `${fmt(c.qw)} (${c.nWithin}/${P})`).join(" ")}`);
const show = (s: Record<Estimator, PairScore>, keys: Estimator[], indent: string) => {
  for (const k of keys) if (s[k].total > 0) console.log(`${indent}${names[k]} ${describeScore(s[k])}`);
};
show(all, ["today", "together", "routeQ", "routeQw", "indep"], "  ");
for (const [label, s] of [
  ["both within (route = together calibrated)", branches.within],
  ["other (route = today)", branches.other],
] as const) {
  console.log(`  ${label}: ${s.today.total} pairs`);
  show(s, ["routeQ", "routeQw", "today", "indep"], "    ");
}
console.log(`  wall ${((performance.now() - started) / 1000).toFixed(1)} s`);
