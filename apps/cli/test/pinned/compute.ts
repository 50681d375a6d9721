/**
 * What the pinned fixture of issue 19 item 6 holds, computed from today's code (see
 * ../pinned.test.ts for what is pinned and why). generate.ts writes it to __fixtures__/gsm8k.json; the test
 * recomputes it and compares bit for bit.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type CorrectnessMatrix, Workspace } from "@tb/core";
import { evaluate } from "@tb/estimate";
import {
  defaultTargetFraction,
  type ReproduceConfig,
  reproduce,
  type SplitKind,
  type TrialRecord,
  type TrialTask,
  trialEstimates,
} from "@tb/experiment";
import { loadDataset, writeCorrectnessCsv } from "@tb/io";
import { main } from "../../src/main.js";
import { SHARED } from "../helpers.js";

export const DATA = resolve(SHARED, "gsm8k");
export const FIXTURE = resolve(import.meta.dirname, "__fixtures__/gsm8k.json");

export const METHODS = ["tailored", "tailored-plus", "random"] as const;
export const BUDGETS = [20, 30, 40] as const;
export const TRIALS = 3;
export const SEED = 0;
export const SPLITS: readonly SplitKind[] = ["meta", "extrapolation"];
/**
 * Trials whose per-target estimates are hashed (each is run again by `trialEstimates`, so all
 * three would double the test's time): trial 0 of every method and budget.
 */
export const ESTIMATE_TRIALS = 1;

/** The three held-out targets of the meta split (chosen by scanning its targets, see generate.ts). */
export const TARGETS = {
  /** the G-set alone decides: within (the strongest target that does) */
  within: "gsm8k-tgt-14",
  /** top of the range on the G-set: a second look, then within */
  lookWithin: "gsm8k-tgt-21",
  /** a second look, then beyond (the strongest target) */
  beyond: "gsm8k-tgt-00",
  /** within, and out of range below (an extra: the `outOfRange` path of the within mode) */
  withinBelow: "gsm8k-tgt-58",
} as const;
export type TargetCase = keyof typeof TARGETS;
export const TARGET_BUDGET = 30;
export const TARGET_SEED = 0;
export const TARGET_LEVEL = 0.9;

/** sha256 (hex) of the Float64 bytes of a list of numbers (little-endian, the platform's order). */
export function sha256Of(values: readonly number[]): string {
  return createHash("sha256")
    .update(new Uint8Array(Float64Array.from(values).buffer))
    .digest("hex");
}

export interface PinnedTrial {
  method: string;
  budget: number;
  trial: number;
  kendallTau: number;
  mae: number;
  maxQueried: number;
  coverage?: number;
  intervalWidth?: number;
  level?: number;
  /** sha256 of the per-target estimates' Float64 bytes, in the split's target order (trial < ESTIMATE_TRIALS). */
  estimatesSha256?: string;
  /** The same for the intervals' lower and upper ends (methods with intervals). */
  lowerSha256?: string;
  upperSha256?: string;
}

export interface PinnedSplit {
  split: SplitKind;
  sources: number;
  targets: number;
  /** `reproduce`'s cells, per trial (its `perTrial`), in report order. */
  cells: { method: string; budget: number; perTrial: { kendallTau: number[]; mae: number[] } }[];
  /** Every trial's record (from `onProgress`) and, for trial 0, its per-target estimates (`trialEstimates`). */
  trials: PinnedTrial[];
}

export function loadGsm8k() {
  const ds = loadDataset(DATA);
  if (!ds.split) throw new Error("gsm8k has no meta split");
  return { matrix: ds.matrix, split: ds.split };
}

/** `reproduce` (inline, one worker) of the three methods on one split, and every trial's estimates. */
export async function pinSplit(
  matrix: CorrectnessMatrix,
  metaSplit: { source: ArrayLike<number>; target: ArrayLike<number> },
  split: SplitKind,
): Promise<PinnedSplit> {
  const records: TrialRecord[] = [];
  const cfg: ReproduceConfig = {
    methods: [...METHODS],
    budgets: [...BUDGETS],
    trials: TRIALS,
    seed: SEED,
    split,
    workers: 1,
    onProgress: (_done, _total, rec) => {
      records.push(rec);
    },
  };
  if (split === "meta") cfg.metaSplit = metaSplit;
  const report = await reproduce(matrix, cfg);
  const workspace = new Workspace();
  const trials: PinnedTrial[] = [];
  try {
    for (const rec of records) {
      const task: TrialTask = {
        method: rec.method,
        budget: rec.budget,
        trial: rec.trial,
        seed: SEED,
        config: {},
        split,
        targetFraction: defaultTargetFraction(split),
      };
      if (split === "meta") {
        task.metaSplit = { source: Array.from(metaSplit.source), target: Array.from(metaSplit.target) };
      }
      const t: PinnedTrial = {
        method: rec.method,
        budget: rec.budget,
        trial: rec.trial,
        kendallTau: rec.kendallTau,
        mae: rec.mae,
        maxQueried: rec.maxQueried,
      };
      if (rec.coverage !== undefined) {
        t.coverage = rec.coverage;
        t.intervalWidth = rec.intervalWidth as number;
        t.level = rec.level as number;
      }
      if (rec.trial < ESTIMATE_TRIALS) {
        const est = trialEstimates(matrix, task, undefined, workspace);
        t.estimatesSha256 = sha256Of(est.targets.map((e) => e.estimate));
        if (est.level !== undefined) {
          t.lowerSha256 = sha256Of(est.targets.map((e) => e.lower as number));
          t.upperSha256 = sha256Of(est.targets.map((e) => e.upper as number));
        }
      }
      trials.push(t);
    }
  } finally {
    workspace.dispose();
  }
  return {
    split,
    sources: report.data.sources,
    targets: report.data.targets,
    cells: report.results.map((c) => ({ method: c.method, budget: c.budget, perTrial: c.perTrial })),
    trials,
  };
}

/** `evaluate()`'s result for one held-out target (tailored-plus, the defaults but seed/budget/level). */
export interface PinnedEvaluate {
  accuracy: number;
  interval: [number, number];
  level: number;
  asked: string[];
  /** How many examples each call of `ask` asked for, in order. */
  rounds: number[];
  /** The ids given to `ask`, call after call (the order asked; `asked` may differ). */
  askedInOrder: string[];
  mode: string | null;
  secondLook: boolean;
  outOfRange: string | null;
}

export async function pinEvaluate(sources: CorrectnessMatrix, row: ArrayLike<number>): Promise<PinnedEvaluate> {
  const rounds: number[] = [];
  const askedInOrder: string[] = [];
  const r = await evaluate(
    sources,
    (ids) => {
      rounds.push(ids.length);
      askedInOrder.push(...ids);
      return ids.map((id) => row[sources.exampleIndex(id)] as number);
    },
    { budget: TARGET_BUDGET, seed: TARGET_SEED, level: TARGET_LEVEL },
  );
  return {
    accuracy: r.accuracy,
    interval: r.interval,
    level: r.level,
    asked: r.asked,
    rounds,
    askedInOrder,
    mode: r.mode ?? null,
    secondLook: r.secondLook ?? false,
    outOfRange: r.outOfRange ?? null,
  };
}

/** The key fields of one plan file. */
export interface PinnedPlan {
  mode: unknown;
  nset: unknown;
  toEvaluate: unknown;
  looked: unknown;
  strata: unknown;
  outOfRange: unknown;
}

export interface PinnedCli {
  /** The probe's G-set (example ids). */
  gset: string[];
  /** The plan files: `tb tailor`'s, then `tb tailor --plan`'s after a second look. */
  plans: PinnedPlan[];
  /**
   * `tb estimate --json`; or, when it refuses the final plan, its exit code and message (the
   * temporary folder written as `<dir>`).
   */
  estimate:
    | { refused: { code: number; stderr: string } }
    | {
        accuracy: number;
        interval: [number, number] | null;
        level: number;
        evaluated: number;
        mode: unknown;
        outOfRange: unknown;
        rank: { position: number; of: number; interval: [number, number] | null };
      };
}

/** `tb` exited with a non-zero code. */
class TbExit extends Error {
  constructor(
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`tb exited ${code}: ${stderr}`);
  }
}

/** Run `tb` in this process, capturing stdout and stderr; throws a {@link TbExit} on a non-zero exit. */
async function tbIn(args: string[]): Promise<string> {
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(args);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  if (code !== 0) throw new TbExit(code, stderr);
  return stdout;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const planFields = (p: Record<string, unknown>): PinnedPlan => ({
  mode: p.mode ?? null,
  nset: p.nset ?? null,
  toEvaluate: p.toEvaluate ?? null,
  looked: p.looked ?? null,
  strata: p.strata ?? null,
  outOfRange: p.outOfRange ?? null,
});

/** The CLI's rounds for one target: probe → tailor → [tailor --plan] → estimate --json. */
export class CliRounds {
  readonly dir = mkdtempSync(join(tmpdir(), "tb-pinned-"));
  readonly src = join(this.dir, "sources.csv");
  readonly probeFile = join(this.dir, "probe.json");
  #probed = false;

  constructor(readonly sources: CorrectnessMatrix) {
    writeCorrectnessCsv(this.src, sources);
  }

  async run(name: string, row: ArrayLike<number>): Promise<PinnedCli> {
    if (!this.#probed) {
      await tbIn(["probe", "--source", this.src, "--seed", String(TARGET_SEED), "--out", this.probeFile]);
      this.#probed = true;
    }
    const answers = join(this.dir, name, `${name}.json`);
    mkdirSync(join(this.dir, name), { recursive: true });
    const ids = this.sources.exampleIds;
    writeFileSync(answers, JSON.stringify(Object.fromEntries(ids.map((id, j) => [id, row[j] as number]))));
    let plan = join(this.dir, name, "plan.json");
    await tbIn([
      "tailor",
      "--source",
      this.src,
      "--probe",
      this.probeFile,
      "--responses",
      answers,
      "--budget",
      String(TARGET_BUDGET),
      "--out",
      plan,
    ]);
    const plans = [planFields(readJson(plan))];
    if (plans[0]?.mode === "look") {
      const next = join(this.dir, name, "final.plan.json");
      await tbIn(["tailor", "--source", this.src, "--plan", plan, "--responses", answers, "--out", next]);
      plans.push(planFields(readJson(next)));
      plan = next;
    }
    const gset = (readJson(this.probeFile).gset as string[]).slice();
    let out: string;
    try {
      out = await tbIn([
        "estimate",
        "--source",
        this.src,
        "--plan",
        plan,
        "--responses",
        answers,
        "--level",
        String(TARGET_LEVEL),
        "--json",
      ]);
    } catch (err) {
      if (!(err instanceof TbExit)) throw err;
      const stderr = err.stderr.split(this.dir).join("<dir>");
      return { gset, plans, estimate: { refused: { code: err.code, stderr } } };
    }
    const e = JSON.parse(out);
    return {
      gset,
      plans,
      estimate: {
        accuracy: e.accuracy,
        interval: e.interval,
        level: e.level,
        evaluated: e.evaluated,
        mode: e.mode ?? null,
        outOfRange: e.outOfRange ?? null,
        rank: e.rank,
      },
    };
  }

  dispose() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The sources of the meta split and the held-out rows of its targets. */
export function metaSources(matrix: CorrectnessMatrix, split: { source: ArrayLike<number> }) {
  return matrix.selectRows(Int32Array.from(split.source), "gsm8k meta sources");
}

export interface PinnedTarget {
  model: string;
  truth: number;
  evaluate: PinnedEvaluate;
  cli: PinnedCli;
}

export interface Pinned {
  note: string;
  data: { name: string; models: number; examples: number };
  reproduce: { methods: string[]; budgets: number[]; trials: number; seed: number; splits: PinnedSplit[] };
  targets: { budget: number; seed: number; level: number; cases: Record<TargetCase, PinnedTarget> };
}

/** `evaluate()` and the CLI's rounds for every target of {@link TARGETS}. */
export async function pinTargets(matrix: CorrectnessMatrix, split: { source: ArrayLike<number> }) {
  const sources = metaSources(matrix, split);
  const cli = new CliRounds(sources);
  const cases = {} as Record<TargetCase, PinnedTarget>;
  try {
    for (const [key, model] of Object.entries(TARGETS) as [TargetCase, string][]) {
      const r = matrix.modelIndex(model);
      const row = Float64Array.from(matrix.row(r));
      cases[key] = {
        model,
        truth: matrix.trueScore(r),
        evaluate: await pinEvaluate(sources, row),
        cli: await cli.run(key, row),
      };
    }
  } finally {
    cli.dispose();
  }
  return { budget: TARGET_BUDGET, seed: TARGET_SEED, level: TARGET_LEVEL, cases };
}
