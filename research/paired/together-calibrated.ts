/**
 * Prototype (not in the packages): the two models evaluated together by tailored-plus (one run,
 * two targets: the same G-set, coordinated draws, each its own coreset when within), the difference
 * of their estimates, and an interval for it calibrated on pseudo-pairs of sources. For each seed,
 * `P` random pairs of sources are run through the same pipeline as targets, with the other sources
 * only (so neither took part in choosing any example); each gives a score, its difference error
 * over the quadrature half-width on the side of the error (lower: √(ℓA² + uB²), upper: √(uA² + ℓB²)),
 * and the interval of a real pair is d ± q·(that half-width per side), q the ⌈(1 − α)(P + 1)⌉-th
 * smallest score (split-conformal, normalised). Against the plain quadrature interval on the same
 * pairs (pair order and error are the same estimate's), and a mode-aware variant: the scale (from
 * the pseudo-pairs whose models both took the within mode, capped at 1) only for pairs whose
 * models both took it, quadrature for the others.
 * Run: npx tsx --conditions=@tb/source research/paired/together-calibrated.ts <data> <split> <budget> <seeds> [P]
 */
import { type CorrectnessMatrix, createOracle, type RandomStream } from "@tb/core";
import { tailoredPlus } from "@tb/estimate";
import {
  describeScore,
  newScore,
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

/** Both models' estimates and their interval half-widths (lower, upper) in one run. */
function together(sources: CorrectnessMatrix, rowA: Float64Array, rowB: Float64Array, rng: RandomStream) {
  const res = plus.run({ sources, oracles: [createOracle(rowA, N), createOracle(rowB, N)], budget: N, rng });
  const beyond = (res.diagnostics as Record<string, number>).beyondTargets as number;
  return { ...quadratureDifference(res), within: beyond === 0 };
}

const quad = newScore();
const cal = newScore();
const aware = newScore();
const qs: number[] = [];
let seedNow = -1;
let q = Number.NaN;
let qWithin = Number.NaN;
let bothWithin = 0;
for (const { seed, sources, a, b, truth, rng } of pairsOf(m, split, seeds)) {
  if (seed !== seedNow) {
    // calibrate on P pseudo-pairs of this seed's sources
    seedNow = seed;
    const scored = pseudoPairScores(seed, sources, P, together);
    const scores = scored.map((x) => x.score);
    const within = scored.filter((x) => x.within).map((x) => x.score);
    const quantile = (xs: number[]): number => {
      const k = Math.ceil(level * (xs.length + 1)) - 1;
      return k < xs.length ? (xs.sort((x, y) => x - y)[k] as number) : Number.POSITIVE_INFINITY;
    };
    q = quantile(scores);
    qWithin = quantile(within);
    qs.push(q);
  }
  const r = together(sources, m.row(a), m.row(b), rng.child("together"));
  scoreInterval(quad, r.d, Math.max(-1, r.d - r.lower), Math.min(1, r.d + r.upper), truth);
  scoreInterval(cal, r.d, Math.max(-1, r.d - q * r.lower), Math.min(1, r.d + q * r.upper), truth);
  // mode-aware: the pseudo-pairs' scale only for a pair both of whose models took the within mode
  // (as every pseudo-pair of sources nearly always does); quadrature for the others
  const qa = r.within ? Math.min(qWithin, 1) : 1;
  if (r.within) bothWithin++;
  scoreInterval(aware, r.d, Math.max(-1, r.d - qa * r.lower), Math.min(1, r.d + qa * r.upper), truth);
}
console.log(
  `${dir} ${split} N=${N}: ${quad.total} pairs, P = ${P}, q per seed ${qs.map((x) => x.toFixed(2)).join(" ")}`,
);
console.log(`  together, quadrature   ${describeScore(quad)}`);
console.log(`  together, calibrated   ${describeScore(cal)}`);
console.log(`  mode-aware             ${describeScore(aware)} (${bothWithin} pairs both within)`);
