/**
 * The split of one trial in the exploration harnesses (research/tailored-plus/plus-explore.ts,
 * research/tailored-plus/beyond-explore.ts): `meta` (the data's own split), `extrapolation` (the weakest half of
 * the models as sources, the strongest 30 % as targets) or `interpolation` (a seeded random 25 %
 * of the models as targets, seed 0, one split per trial).
 */

import { defaultTargetFraction, extrapolationSplit, randomSplit, type Split } from "@tb/experiment";
import type { Dataset } from "@tb/io";

export function exploreSplit(ds: Dataset, setting: string, trial: number): Split {
  const M = ds.matrix;
  if (setting === "extrapolation") return extrapolationSplit(M.trueScores());
  if (setting === "meta") {
    const sp = ds.split as { source: ArrayLike<number>; target: ArrayLike<number> };
    return { source: Int32Array.from(sp.source), target: Int32Array.from(sp.target) };
  }
  return randomSplit(M.rows, defaultTargetFraction("interpolation"), 0, trial);
}
