/**
 * Why `paired`'s difference intervals over-cover (docs/RESULTS.md, "Paired comparisons"): per
 * pair, the design SE against the Agresti–Min floor, and the coverage each alone would give. The
 * trials, splits, pairs and streams of `tb reproduce --pairs` (method "paired"). "As built" is
 * `PairedRun`'s current rule (the floor only where every draw's difference is alike, since
 * 2026-12-05); before, every pair was floored.
 *
 *     pnpm exec tsx --conditions=@tb/source research/paired/paired-floor.ts <data dir> <split> <N>
 */
import { createOracle, drive, RandomStream } from "@tb/core";
import {
  agrestiMinSe,
  DEFAULT_RESIDUAL_ALPHA,
  designEstimate,
  designFromPicks,
  normalQuantile,
  PairedRun,
  sourceMeans,
} from "@tb/estimate/internals";
import { defaultTargetFraction, extrapolationSplit, randomSplit, type SplitKind, trialPairs } from "@tb/experiment";
import { loadDataset } from "@tb/io";

const [data, split, nArg] = process.argv.slice(2);
if (!data || !split || !nArg) throw new Error("usage: paired-floor.ts <data dir> <split> <N>");
const N = Number(nArg);
const m = loadDataset(data).matrix;
const z = normalQuantile(0.95);
let pairs = 0;
let floorBinds = 0;
let covBoth = 0;
let covDesign = 0;
let covFloor = 0;
let seD = 0;
let seF = 0;
for (let trial = 0; trial < 10; trial++) {
  const sp =
    split === "extrapolation"
      ? extrapolationSplit(m.trueScores(), undefined, defaultTargetFraction(split as SplitKind))
      : randomSplit(m.rows, defaultTargetFraction(split as SplitKind), 0, trial);
  const sources = m.selectRows(sp.source);
  const means = sourceMeans(sources);
  for (const [p, [a, b]] of trialPairs(sp.target.length, 0, trial).entries()) {
    const ra = sp.target[a] as number;
    const rb = sp.target[b] as number;
    const run = new PairedRun({
      sources,
      targets: 2,
      budget: N,
      rng: RandomStream.derive(0, "paired", N, trial, "pair", p),
    });
    drive(run, [createOracle(m.row(ra), N), createOracle(m.row(rb), N)]);
    const r = run.difference();
    const [ya, yb] = run.state.answers as [Float64Array, Float64Array];
    const d = Float64Array.from(ya, (v, i) => v - (yb[i] as number));
    const g = run.state.gset.length;
    const st = designFromPicks(means, run.state.gset, run.state.picks, run.state.strata);
    const de = designEstimate(sources, st, run.state.gset, run.examples, d, DEFAULT_RESIDUAL_ALPHA, -1, 0);
    const R = m.cols - g;
    const floor = (R / m.cols) * agrestiMinSe(d.subarray(g), R);
    const truth = m.trueScore(ra) - m.trueScore(rb);
    const inside = (se: number) => Math.abs(truth - r.difference) <= z * se + 1e-12;
    pairs++;
    if (floor > de.se) floorBinds++;
    if (inside(r.se)) covBoth++;
    if (inside(de.se)) covDesign++;
    if (inside(floor)) covFloor++;
    seD += de.se;
    seF += floor;
  }
}
const pc = (x: number) => `${((100 * x) / pairs).toFixed(1)} %`;
console.log(
  `${data.split("/").pop()} ${split} N=${N}: ${pairs} pairs; floor binds in ${pc(floorBinds)}; coverage (90 %) as built ${pc(covBoth)}, ` +
    `design SE alone ${pc(covDesign)}, floor alone ${pc(covFloor)}; mean SE design ${(seD / pairs).toFixed(4)}, floor ${(seF / pairs).toFixed(4)}`,
);
