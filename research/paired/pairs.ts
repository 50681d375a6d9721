/**
 * What the paired prototypes in this folder share: the pairs they score (every target against
 * every third one after it, per seed, on a matrix's interpolation or extrapolation split) and the
 * score of a difference estimate over them (coverage and width of its interval, pair order on
 * pairs ≥ 5 pp apart in truth, error of the difference). Research only.
 */
import { type CorrectnessMatrix, type MethodResult, RandomStream } from "@tb/core";
import { extrapolationSplit, randomSplit } from "@tb/experiment";
import { loadDataset } from "@tb/io";

/** The running score of one difference estimator. */
export interface PairScore {
  cov: number;
  total: number;
  width: number;
  order: number;
  orderN: number;
  abs: number;
}

export function newScore(): PairScore {
  return { cov: 0, total: 0, width: 0, order: 0, orderN: 0, abs: 0 };
}

/** Score one estimate `diff` with interval [lo, hi] of a true difference `truth`. */
export function scoreInterval(acc: PairScore, diff: number, lo: number, hi: number, truth: number): void {
  acc.total++;
  if (truth >= lo - 1e-12 && truth <= hi + 1e-12) acc.cov++;
  acc.width += hi - lo;
  acc.abs += Math.abs(diff - truth);
  if (Math.abs(truth) >= 0.05 - 1e-12) {
    acc.orderN++;
    if (diff === 0) acc.order += 0.5;
    else if (diff > 0 === truth > 0) acc.order++;
  }
}

/** The score in one line. */
export function describeScore(x: PairScore): string {
  return `coverage ${(x.cov / x.total).toFixed(3)}, width ${(x.width / x.total).toFixed(3)}, order ${(x.order / x.orderN).toFixed(3)} (${x.orderN}), dMAE ${(x.abs / x.total).toFixed(4)}`;
}

/** One pair of targets, with what a prototype needs to estimate their difference. */
export interface Pair {
  seed: number;
  sources: CorrectnessMatrix;
  /** Row indices of A and B in the whole matrix. */
  a: number;
  b: number;
  /** A's true accuracy minus B's. */
  truth: number;
  /** The pair's stream: `derive(seed, "explore", i, j)`. */
  rng: RandomStream;
}

/**
 * Every pair (i, j), j = i + 1, i + 4, …, of the targets of each seed's split (interpolation: a
 * seeded random 25 %; extrapolation: the fixed BenchPred split).
 */
export function* pairsOf(m: CorrectnessMatrix, split: string, seeds: number): Generator<Pair> {
  for (let seed = 0; seed < seeds; seed++) {
    const sp = split === "extrapolation" ? extrapolationSplit(m.trueScores()) : randomSplit(m.rows, 0.25, 0, seed);
    const sources = m.selectRows(sp.source);
    const T = sp.target.length;
    for (let i = 0; i < T; i += 1) {
      for (let j = i + 1; j < T; j += 3) {
        const a = sp.target[i] as number;
        const b = sp.target[j] as number;
        yield {
          seed,
          sources,
          a,
          b,
          truth: m.trueScore(a) - m.trueScore(b),
          rng: RandomStream.derive(seed, "explore", i, j),
        };
      }
    }
  }
}

/** The prototypes' command line: `<data> <split> <budget> <seeds>`, and the matrix loaded. */
export async function prototypeArgs(
  defaultSplit: string,
): Promise<{ dir: string; split: string; N: number; seeds: number; m: CorrectnessMatrix }> {
  const [dir = "", split = defaultSplit, budget = "30", seeds = "5"] = process.argv.slice(2);
  const m = (await loadDataset(dir)).matrix;
  return { dir, split, N: Number(budget), seeds: Number(seeds), m };
}

/**
 * The difference A − B of a two-target result (A first) and its half-widths by quadrature per
 * side: below √(ℓA² + uB²), above √(uA² + ℓB²), ℓ and u each model's lower and upper half-widths.
 */
export function quadratureDifference(res: MethodResult): { d: number; lower: number; upper: number } {
  const [ea, eb] = res.estimates as unknown as [number, number];
  const iv = res.intervals;
  if (!iv) throw new Error("no intervals");
  const la = ea - (iv.lower[0] as number);
  const ua = (iv.upper[0] as number) - ea;
  const lb = eb - (iv.lower[1] as number);
  const ub = (iv.upper[1] as number) - eb;
  return { d: ea - eb, lower: Math.hypot(la, ub), upper: Math.hypot(ua, lb) };
}

/** A two-target result as the calibration needs it: the difference, its half-widths, and whether both models took the within mode. */
export interface PairRun {
  d: number;
  lower: number;
  upper: number;
  within: boolean;
}

/**
 * The split-conformal scores of `P` pseudo-pairs of sources (seeded by `seed`): each pair run
 * through `run` as targets with the other sources only, its score the difference error over the
 * half-width on the error's side; with whether both of its models took the within mode.
 */
export function pseudoPairScores(
  seed: number,
  sources: CorrectnessMatrix,
  P: number,
  run: (rest: CorrectnessMatrix, rowA: Float64Array, rowB: Float64Array, rng: RandomStream) => PairRun,
): { score: number; within: boolean }[] {
  const S = sources.rows;
  const pick = RandomStream.derive(seed, "pseudo-pairs");
  const all = Array.from({ length: S }, (_, i) => i);
  const out: { score: number; within: boolean }[] = [];
  for (let p = 0; p < P; p++) {
    const [s1, s2] = Array.from(pick.sample(all, 2)) as [number, number];
    const rest = all.filter((i) => i !== s1 && i !== s2);
    const r = run(sources.selectRows(rest), sources.row(s1), sources.row(s2), pick.child("run", p));
    const err = r.d - (sources.trueScore(s1) - sources.trueScore(s2));
    out.push({ score: err > 0 ? err / r.lower : -err / r.upper, within: r.within });
  }
  return out;
}
