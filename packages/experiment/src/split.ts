import { RandomStream, range, TbError } from "@tb/core";

/** Row indices of the source and target models of one trial. */
export interface Split {
  source: Int32Array;
  target: Int32Array;
}

/**
 * A seeded random split (ALGORITHMS §1 [OPT]): `round(models · targetFraction)` targets drawn
 * uniformly without replacement, the rest sources; both lists ascending. The stream is keyed by
 * `(seed, "split", trial)` so that every method sees the same split in a trial.
 */
export function randomSplit(models: number, targetFraction: number, seed: number, trial: number): Split {
  if (!(targetFraction > 0 && targetFraction < 1)) {
    throw new TbError("E_USAGE", `target fraction must be in (0, 1), got ${targetFraction}`);
  }
  const T = Math.round(models * targetFraction);
  if (T < 1 || models - T < 2) {
    throw new TbError(
      "E_USAGE",
      `a split of ${models} models with target fraction ${targetFraction} leaves too few models`,
    );
  }
  const target = RandomStream.derive(seed, "split", trial).sample(range(models), T).sort();
  const isT = new Uint8Array(models);
  for (const t of target) isT[t] = 1;
  const source = Int32Array.from(range(models).filter((i) => isT[i] === 0));
  return { source, target };
}
