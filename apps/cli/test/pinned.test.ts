/**
 * Numbers pinned before the refactor of issue 19 ("one resumable evaluation", item 6: same
 * numbers). The per-target protocol of tailored-plus (G-set → second look → within or beyond →
 * estimate, rank) is written today in `tailoredPlus().run` (@tb/estimate plus/method.ts),
 * `evaluate()` (@tb/estimate evaluate.ts) and `tb probe | tailor | estimate`
 * (apps/cli/src/workflow); the refactor moves it into one resumable evaluation. These numbers,
 * computed by today's code (be75485) on ../shared/data/gsm8k, must hold bit for bit afterwards
 * (exact equality, no tolerance): a changed number needs an explanation in the refactor's
 * closing note, and the fixture is then regenerated with
 *
 *   pnpm exec tsx --conditions=@tb/source apps/cli/test/pinned/generate.ts
 *
 * (apps/cli/test/pinned/compute.ts computes both the fixture and what this test compares it with).
 *
 * What is pinned (pinned/__fixtures__/gsm8k.json):
 * 1. `reproduce` (@tb/experiment, inline, workers 1) of tailored, tailored-plus and random on the
 *    meta split (75 sources / 75 targets) and the extrapolation split (75 / 45), budgets 20, 30,
 *    40, three trials, seed 0: each cell's `perTrial` τ-b and MAE; each trial's record (τ-b, MAE,
 *    maxQueried; tailored-plus: interval coverage, mean width and level, from `onProgress`); and,
 *    for trial 0 of every method and budget, the sha256 of the per-target estimates (and
 *    interval ends) as Float64 bytes, from `trialEstimates` on the same task (all trials would
 *    double the run time; the other trials are held by their τ-b, MAE, coverage and width).
 * 2. Four held-out targets of the meta split (sources: its 75 source models; budget 30, seed 0,
 *    level 0.9): gsm8k-tgt-14 (the G-set decides: within), gsm8k-tgt-21 (a second look, then
 *    within), gsm8k-tgt-00 (a second look, then beyond) and, as an extra, gsm8k-tgt-58 (within,
 *    out of range below). For each, `evaluate()` (accuracy, interval, level, asked, the ids in
 *    the order `ask` got them, mode, secondLook, outOfRange) and the CLI's rounds run in-process
 *    through `main()` with a JSON answer file of the held-out row: the probe's G-set, the plan
 *    files' mode, nset, toEvaluate, looked, strata and outOfRange (`tb tailor`, then
 *    `tb tailor --plan` after a second look), and `tb estimate --json` (accuracy, interval,
 *    level, evaluated, mode, outOfRange, rank {position, of, interval}).
 *
 * Two defects of be75485 were pinned as they were and then fixed by the refactor (the fixture was
 * regenerated; every other number held bit for bit):
 * - second look → within (gsm8k-tgt-21): the final N-set starts with the G-set and the second
 *   look's examples sorted by column (buildNSet sorts its fixed medoids), not in the order asked.
 *   `evaluate()` paired the answers in the order asked with that N-set (0.43022…); it now pairs
 *   them by example, as `tailoredPlus().run` always did: 0.40706… (truth 0.38438…), and `asked`
 *   is the order asked. `tb estimate` refused the plan `tb tailor --plan` wrote ("nset must start
 *   with the G-set, in the same order"); it now finishes it with evaluate()'s numbers.
 * - within, out of range below (gsm8k-tgt-58): `evaluate()` said outOfRange "below" (from
 *   plusWithin), `tb estimate` said null; both now say "below".
 *
 * One deliberate change since (issue 21, boundary-aware intervals in the beyond mode): an interval
 * end past 0 or 1 is the Wilson bound of the target's answers instead of 0 or 1, which narrows
 * three extrapolation trials' mean interval width (tailored-plus N = 20/30, trials 1–2, by .002–
 * .003); every estimate, τ-b, MAE and coverage is unchanged.
 *
 * A second deliberate change (issue 20, 2026-12-06): coordinated draws became tailored-plus's
 * default. A target that goes beyond after its second look now takes the members of each stratum
 * with the smallest permanent random numbers (stream `prn`, shared by the run's targets) instead
 * of a draw from its own stream `look-strata`/target. Changed: tailored-plus's cells and trials in
 * both splits (only trials with such a target) and the "beyond" case (gsm8k-tgt-00: draws 16–29,
 * estimate 0.67136 → 0.68479, truth in both intervals); every TailoredBench and Random number and
 * the within cases are unchanged, bit for bit (`--independent-draws` / `coordinated: false` gives
 * the old numbers).
 *
 * A third deliberate change (issue 20, 2026-12-07): a target above every source on the G-set takes
 * no second look (its stratified sample at once, still pooled in native selection), and the beyond
 * designs allocate their draws around the fixed examples pooled into the strata ("pooled"
 * allocation: every answer weighed about alike). Changed: tailored-plus's cells and trials in both
 * splits and the "beyond" case (gsm8k-tgt-00 still looks: draws 17–22 move, estimate 0.68479 →
 * 0.67405, truth 0.724 in both intervals); every TailoredBench and Random number and the within
 * cases are unchanged, bit for bit.
 *
 * Run time (`pnpm vitest run --project @tb/cli pinned`, measured on this busy shared 2-core
 * machine): 37 s and 58 s in two runs (about 27–30 s of CPU); nearly all of it is the 108
 * reproduce trials and the 18 trials run again for their estimates.
 */
import { readFileSync } from "node:fs";
import type { CorrectnessMatrix } from "@tb/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sharedDataAvailable } from "./helpers.js";
import {
  CliRounds,
  FIXTURE,
  loadGsm8k,
  metaSources,
  type Pinned,
  pinEvaluate,
  pinSplit,
  SPLITS,
  TARGETS,
  type TargetCase,
} from "./pinned/compute.js";

describe("numbers pinned before the refactor of issue 19 (../shared/data/gsm8k)", () => {
  const has = sharedDataAvailable("gsm8k");
  let pinned: Pinned;
  let matrix: CorrectnessMatrix;
  let split: ReturnType<typeof loadGsm8k>["split"];
  let cli: CliRounds;

  beforeAll(() => {
    if (!has) return;
    pinned = JSON.parse(readFileSync(FIXTURE, "utf8")) as Pinned;
    ({ matrix, split } = loadGsm8k());
    cli = new CliRounds(metaSources(matrix, split));
  });
  afterAll(() => cli?.dispose());

  test.runIf(has)("the fixture's data is this data", () => {
    expect(pinned.data).toEqual({ name: matrix.name, models: matrix.rows, examples: matrix.cols });
  });

  test.runIf(has).each(SPLITS)("reproduce, %s split: per-trial τ-b, MAE, coverage, width, estimates", async (s) => {
    const want = pinned.reproduce.splits.find((x) => x.split === s);
    if (!want) throw new Error(`gsm8k.json has no ${s} split`);
    const got = await pinSplit(matrix, split, s);
    expect([got.sources, got.targets]).toEqual([want.sources, want.targets]);
    expect(got.cells.length).toBe(want.cells.length);
    got.cells.forEach((c, i) => {
      expect(c, `cell ${c.method} N=${c.budget}`).toEqual(want.cells[i]);
    });
    expect(got.trials.length).toBe(want.trials.length);
    got.trials.forEach((t, i) => {
      expect(t, `${t.method} N=${t.budget} trial ${t.trial}`).toEqual(want.trials[i]);
    });
  });

  test.runIf(has).each(Object.keys(TARGETS) as TargetCase[])("%s: evaluate() and the CLI's rounds", async (key) => {
    const want = pinned.targets.cases[key];
    const r = matrix.modelIndex(TARGETS[key]);
    const row = Float64Array.from(matrix.row(r));
    expect(want.model).toBe(TARGETS[key]);
    expect(want.truth).toBe(matrix.trueScore(r));
    expect(await pinEvaluate(metaSources(matrix, split), row), "evaluate()").toEqual(want.evaluate);
    const got = await cli.run(key, row);
    expect(got.gset, "tb probe's G-set").toEqual(want.cli.gset);
    expect(got.plans.length, "plan files").toBe(want.cli.plans.length);
    got.plans.forEach((p, i) => {
      expect(p, `plan file ${i + 1}`).toEqual(want.cli.plans[i]);
    });
    expect(got.estimate, "tb estimate --json").toEqual(want.cli.estimate);
  });
});
