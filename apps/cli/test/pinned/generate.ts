/**
 * Writes __fixtures__/gsm8k.json, the numbers pinned before the refactor of issue 19 (see ../pinned.test.ts).
 *
 *   pnpm exec tsx --conditions=@tb/source apps/cli/test/pinned/generate.ts          # write the fixture
 *   pnpm exec tsx --conditions=@tb/source apps/cli/test/pinned/generate.ts --scan   # list the meta
 *     split's targets with evaluate()'s mode, to choose TARGETS in compute.ts
 *
 * Regenerate only with a note that explains every changed number (issue 19 item 6).
 */
import { writeFileSync } from "node:fs";
import {
  BUDGETS,
  FIXTURE,
  loadGsm8k,
  METHODS,
  metaSources,
  type Pinned,
  pinEvaluate,
  pinSplit,
  pinTargets,
  SEED,
  SPLITS,
  TRIALS,
} from "./compute.js";

const { matrix, split } = loadGsm8k();
if (process.argv.includes("--scan")) {
  const sources = metaSources(matrix, split);
  for (const r of Array.from(split.target)) {
    const e = await pinEvaluate(sources, matrix.row(r));
    const truth = matrix.trueScore(r).toFixed(3);
    console.log(
      `${matrix.modelIds[r]} truth ${truth} mode ${e.mode} secondLook ${e.secondLook} outOfRange ${e.outOfRange}`,
    );
  }
} else {
  const splits = [];
  for (const s of SPLITS) splits.push(await pinSplit(matrix, split, s));
  const pinned: Pinned = {
    note:
      "Numbers pinned before the refactor of issue 19 (apps/cli/test/pinned.test.ts); written by " +
      "apps/cli/test/pinned/generate.ts from ../shared/data/gsm8k. They must hold bit for bit.",
    data: { name: matrix.name, models: matrix.rows, examples: matrix.cols },
    reproduce: { methods: [...METHODS], budgets: [...BUDGETS], trials: TRIALS, seed: SEED, splits },
    targets: await pinTargets(matrix, split),
  };
  writeFileSync(FIXTURE, `${JSON.stringify(pinned, null, 2)}\n`);
  console.log(`wrote ${FIXTURE}`);
}
