/**
 * Prototype (not in the packages): the two models evaluated together by tailored-plus (one run, two
 * targets: the same G-set, coordinated draws, each its own coreset when within), the difference of
 * their estimates, and an interval for it from their own intervals in quadrature, per side:
 * [d − √(ℓA² + uB²), d + √(uA² + ℓB²)] with ℓ, u the lower and upper half-widths. Against today's
 * paired design on the same pairs.
 * Run: npx tsx --conditions=@tb/source research/paired/together.ts <data> <split> <budget> <seeds>
 */
import { createOracle, drive } from "@tb/core";
import { tailoredPlus } from "@tb/estimate";
import { PairedRun } from "@tb/estimate/internals";
import { describeScore, newScore, pairsOf, prototypeArgs, quadratureDifference, scoreInterval } from "./pairs.js";

const { dir, split, N, seeds, m } = await prototypeArgs("interpolation");
const level = 0.9;
const today = newScore();
const together = newScore();
const plus = tailoredPlus({ level });
for (const { sources, a, b, truth, rng } of pairsOf(m, split, seeds)) {
  const run = new PairedRun({ sources, targets: 2, budget: N, rng }, { design: "stratified", level });
  drive(run, [createOracle(m.row(a), N), createOracle(m.row(b), N)]);
  const r = run.difference();
  scoreInterval(today, r.difference, r.interval[0], r.interval[1], truth);
  const res = plus.run({
    sources,
    oracles: [createOracle(m.row(a), N), createOracle(m.row(b), N)],
    budget: N,
    rng: rng.child("together"),
  });
  const { d, lower, upper } = quadratureDifference(res);
  scoreInterval(together, d, Math.max(-1, d - lower), Math.min(1, d + upper), truth);
}
console.log(`${dir} ${split} N=${N}: ${today.total} pairs`);
console.log(`  today (split) ${describeScore(today)}`);
console.log(`  together      ${describeScore(together)}`);
