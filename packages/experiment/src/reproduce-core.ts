import { type CorrectnessMatrix, checkOptionKeys, type EvaluationMethod, optionNames, TbError } from "@tb/core";
import { EVALUATION_DEFAULTS } from "@tb/estimate";
import type { MethodModule, ResolvedMethodModule } from "./custom.js";
import { isPairedMethod, pairedConfigFields } from "./paired.js";
import { type CellSummary, SPEC_VERSION, summarize, type TrialRecord, type TrialTask } from "./protocol.js";
import {
  checkConfigFields,
  isBuiltInMethod,
  METHOD_DEFAULTS,
  type MethodConfig,
  makeMethod,
  STOPPING_METHODS,
  type StoppingOptions,
  watchReads,
} from "./registry.js";
import { defaultTargetFraction, extrapolationSplit, randomSplit, SPLIT_KINDS, type SplitKind } from "./split.js";

/** Configuration of a reproduce run (docs/DESIGN.md §3.2 `tb reproduce`). */
export interface ReproduceConfig {
  /**
   * Registered method names (`"tailored"`, `"random"`, …) and users' methods given by module
   * (`{ module, export }`, imported by every worker thread; see {@link MethodModule}; Node entry only).
   */
  methods: (string | MethodModule)[];
  budgets: number[];
  trials: number;
  seed: number;
  /** `"meta"` needs `metaSplit`; see {@link SplitKind}. */
  split: SplitKind;
  /** Targets' share of the models (default 0.5 random, 0.25 interpolation, 0.3 extrapolation). */
  targetFraction?: number;
  /** Extrapolation only: sources' share of the models (default 0.5). */
  sourceFraction?: number;
  metaSplit?: { source: ArrayLike<number>; target: ArrayLike<number> };
  /** Options shared by the methods (G-set size, distance, …). */
  config?: MethodConfig;
  /** Worker threads (Node entry only; the browser entry runs trials inline and refuses more than 1). */
  workers?: number;
  onProgress?: ProgressFn;
  /**
   * Told, before the first trial, how many threads the trials run on: `workers` at most, fewer
   * when there are fewer tasks (or, in Node, more than twice the cores asked), 1 inline.
   */
  onWorkers?: (threads: number) => void;
  /** Dataset name for the report. */
  dataName?: string;
  /**
   * Paired mode (docs/DESIGN.md §3.3): each trial's targets are shuffled into pairs and every cell
   * is scored on them (`"design": "paired"`); the paired designs `paired` and `paired-random`
   * run in this mode only.
   */
  pairs?: boolean;
  /**
   * Precision on demand (docs/DESIGN.md §3.3): every method (each must be able to stop:
   * tailored-plus, random) asks from its budget up to `maxBudget` distinct examples per target,
   * until the interval's half-width is at most `precision`; each target's oracle answers up to
   * `maxBudget`. The cells then carry `precision`, `maxBudget`, `asked` and `reachedPrecision`.
   */
  precision?: number;
  /** With `precision`: the most distinct examples a target may be asked (≥ every budget, ≤ the examples). */
  maxBudget?: number;
}

/** Every field of {@link ReproduceConfig} (the compiler checks the list is complete). */
const REPRODUCE_FIELDS = optionNames<ReproduceConfig>()(
  "methods",
  "budgets",
  "trials",
  "seed",
  "split",
  "targetFraction",
  "sourceFraction",
  "metaSplit",
  "config",
  "workers",
  "onProgress",
  "onWorkers",
  "dataName",
  "pairs",
  "precision",
  "maxBudget",
);

/**
 * Refuse a field of a reproduce configuration that {@link ReproduceConfig} does not have (a typo
 * such as `worker` or `trails` would otherwise run with the default): `E_USAGE` naming `where`,
 * the function called (`reproduce`, `reproduceWith`). `config`'s own fields are checked against
 * the methods run, later.
 */
export function checkReproduceFields(cfg: ReproduceConfig, where: string): void {
  checkOptionKeys(cfg, REPRODUCE_FIELDS, where);
}

/** Every field of a {@link MethodModule} (`resolveMethodModule` and `reproduce`'s `methods` refuse others). */
export const METHOD_MODULE_FIELDS = optionNames<MethodModule>()("module", "export", "name");

/** The reproduce JSON (docs/DESIGN.md §3.3). */
export interface ReproduceReport {
  specVersion: number;
  data: {
    name: string;
    models: number;
    examples: number;
    sources: number;
    targets: number;
    split: SplitKind;
    targetFraction?: number;
    sourceFraction?: number;
  };
  seed: number;
  trials: number;
  gset: number;
  config: MethodConfig;
  results: CellSummary[];
}

/** Progress callback: trials done, total, and the record just finished. */
export type ProgressFn = (done: number, total: number, last: TrialRecord) => void;

/** Runs the trial tasks of a reproduce run and returns their records in task order. */
export type TaskRunner = (
  matrix: CorrectnessMatrix,
  tasks: readonly TrialTask[],
  options: RunOptions,
) => Promise<TrialRecord[]>;

/** Options of a {@link TaskRunner}. */
export interface RunOptions {
  /** Worker threads asked for (default 1: inline). */
  workers?: number;
  onProgress?: ProgressFn;
  /** Called once, before the first trial, with the number of threads the trials run on. */
  onWorkers?: (threads: number) => void;
}

/** Every field of {@link RunOptions}. */
export const RUN_OPTION_FIELDS = optionNames<RunOptions>()("workers", "onProgress", "onWorkers");

/** How an entry point resolves and loads methods given by module (the Node entry has one; a browser has none). */
export interface ModuleLoader {
  resolve(spec: MethodModule): ResolvedMethodModule;
  load(spec: ResolvedMethodModule, config: MethodConfig): Promise<EvaluationMethod>;
}

/**
 * The precision options of a run, checked against the examples (every budget must be at most
 * `maxBudget`, checked with the budgets): undefined without `precision`.
 */
function stoppingOptions(cfg: ReproduceConfig, n: number): StoppingOptions | undefined {
  const { precision: p, maxBudget: m } = cfg;
  if (p === undefined) {
    if (m !== undefined)
      throw new TbError("E_USAGE", "maxBudget is given without precision (it only caps precision rounds)");
    return undefined;
  }
  if (!(typeof p === "number" && p > 0 && p <= 0.5)) {
    throw new TbError("E_USAGE", `precision must be a half-width in (0, 0.5], got ${String(p)}`);
  }
  if (m === undefined)
    throw new TbError("E_USAGE", "precision needs maxBudget (the most distinct examples a target may be asked)");
  if (!(Number.isInteger(m) && m >= 1 && m <= n)) {
    throw new TbError(
      "E_USAGE",
      `maxBudget must be an integer in [1, ${n}] (the number of examples), got ${String(m)}`,
    );
  }
  for (const b of cfg.budgets) {
    if (b > m) throw new TbError("E_USAGE", `budget ${b} is larger than maxBudget ${m}`);
  }
  return { precision: p, maxBudget: m };
}

/**
 * The experiment protocol (docs/METHOD.md §4): for every method, budget and trial, split (fixed or
 * seeded), hide targets behind budgeted oracles, run, and score; then aggregate as mean ± se.
 * `run` executes the trials (worker threads in Node, inline in a browser); the records, and so
 * the report, do not depend on it. `modules` loads users' methods given by module; without it
 * such a method is refused. A field `cfg` does not have, and one of a method given by module, is
 * refused with `E_USAGE` (`reproduceWith: unknown option "<name>"`, `methods: unknown option …`).
 */
export async function reproduceWith(
  matrix: CorrectnessMatrix,
  cfg: ReproduceConfig,
  run: TaskRunner,
  modules?: ModuleLoader,
): Promise<ReproduceReport> {
  checkReproduceFields(cfg, "reproduceWith");
  if (cfg.methods.length === 0) throw new TbError("E_USAGE", "no methods given");
  if (cfg.budgets.length === 0) throw new TbError("E_USAGE", "no budgets given");
  const twice = cfg.budgets.find((b, i) => cfg.budgets.indexOf(b) !== i);
  // a budget given twice would run its trials twice and count them as twice as many
  if (twice !== undefined) throw new TbError("E_USAGE", `budgets: ${twice} is given twice`);
  if (!(Number.isInteger(cfg.trials) && cfg.trials >= 1))
    throw new TbError("E_USAGE", `trials must be ≥ 1, got ${cfg.trials}`);
  // the seed keys every split and draw: a string "3" would key other streams than the number 3
  if (!Number.isSafeInteger(cfg.seed)) {
    throw new TbError(
      "E_USAGE",
      `seed must be an integer, got ${typeof cfg.seed === "string" ? `"${cfg.seed}"` : String(cfg.seed)}`,
    );
  }
  if (cfg.workers !== undefined && !(Number.isInteger(cfg.workers) && cfg.workers >= 1)) {
    throw new TbError("E_USAGE", `workers must be an integer ≥ 1, got ${String(cfg.workers)}`);
  }
  const config = cfg.config ?? {};
  const workers = cfg.workers ?? 1;
  const stop = stoppingOptions(cfg, matrix.cols);
  if (stop !== undefined && cfg.pairs === true) {
    throw new TbError(
      "E_USAGE",
      "pairs and precision cannot be combined (a paired run compares designs of one fixed budget)",
    );
  }
  // Validate names, modules and options up front (a user's module is imported here once). The
  // built-in factories read every option they use when they are made: the options none of the
  // chosen methods reads are known here, and refused below rather than recorded and ignored.
  const { watched, read } = watchReads(config);
  const methods: { name: string; module?: ResolvedMethodModule }[] = [];
  for (const m of cfg.methods) {
    if (typeof m === "string" && isPairedMethod(m)) {
      if (cfg.pairs !== true) {
        throw new TbError(
          "E_USAGE",
          `methods: "${m}" compares pairs of targets and runs in paired mode only (pairs: true)`,
        );
      }
      for (const k of pairedConfigFields(m)) read.add(k);
      methods.push({ name: m });
    } else if (typeof m === "string") {
      makeMethod(m, watched, stop);
      if (workers > 1 && !isBuiltInMethod(m)) {
        throw new TbError(
          "E_USAGE",
          `methods: "${m}" was added with registerMethod, which worker threads do not see; ` +
            `give it as { module, export } to run it with workers: ${workers}, or use workers: 1`,
        );
      }
      methods.push({ name: m });
    } else {
      // a misspelt `export` would otherwise load the module's default export instead
      if (typeof m === "object" && m !== null) checkOptionKeys(m, METHOD_MODULE_FIELDS, "methods");
      if (stop !== undefined) {
        throw new TbError(
          "E_USAGE",
          `methods: a method given by module (${String(m.module)}) cannot run with precision (the methods that can: ${STOPPING_METHODS.join(", ")})`,
        );
      }
      if (!modules) {
        throw new TbError(
          "E_USAGE",
          `methods: a method given by module (${String(m.module)}) needs the Node entry of @tb/experiment; ` +
            "here, register it with registerMethod and pass its name",
        );
      }
      const module = modules.resolve(m);
      const method = await modules.load(module, config);
      const name = m.name ?? method.name;
      if (typeof name !== "string" || name === "") {
        throw new TbError("E_USAGE", `methods: the method from ${module.url} needs a name`);
      }
      methods.push({ name, module });
    }
  }
  const builtInOnly = methods.every(
    (m) => m.module === undefined && (isBuiltInMethod(m.name) || isPairedMethod(m.name)),
  );
  checkConfigFields(config, builtInOnly);
  if (builtInOnly) {
    for (const [k, v] of Object.entries(config)) {
      // a documented default changes nothing anywhere; gset is also the run's own setting (the
      // report's top-level `gset`, which a page sends with any methods)
      const isDefault = Object.values(METHOD_DEFAULTS).some((d) => d[k] === v);
      if (v !== undefined && !read.has(k) && !isDefault && k !== "gset") {
        throw new TbError(
          "E_USAGE",
          `config: ${k} is read by none of the methods run (${methods.map((x) => x.name).join(", ")}), so it would be ignored`,
        );
      }
    }
  }
  const names = methods.map((m) => m.name);
  for (let i = 0; i < names.length; i++) {
    if (names.indexOf(names[i] as string) !== i) {
      throw new TbError("E_USAGE", `methods: "${names[i]}" is given twice (set a distinct name for a module method)`);
    }
  }
  const g = config.gset ?? EVALUATION_DEFAULTS.gset;
  for (const b of cfg.budgets) {
    if (!(Number.isInteger(b) && b >= 1 && b <= matrix.cols)) {
      throw new TbError("E_USAGE", `budget ${b} must be an integer in [1, ${matrix.cols}] (the number of examples)`);
    }
    if ((names.includes("tailored") || names.includes("tailored-plus")) && b <= g) {
      throw new TbError("E_USAGE", `budget ${b} must be larger than the G-set size ${g} for TailoredBench`);
    }
    if (names.includes("paired") && b < g + 2) {
      throw new TbError("E_USAGE", `budget ${b} must be at least the G-set size ${g} + 2 for the paired design`);
    }
  }
  if (!SPLIT_KINDS.includes(cfg.split)) {
    throw new TbError("E_USAGE", `split must be one of ${SPLIT_KINDS.join(", ")}, got "${String(cfg.split)}"`);
  }
  if (cfg.sourceFraction !== undefined && cfg.split !== "extrapolation") {
    throw new TbError("E_USAGE", `a source fraction applies only to the extrapolation split, not "${cfg.split}"`);
  }
  // the fixed split's targets are metaSplit's, and metaSplit is the fixed split: each is ignored otherwise
  if (cfg.split === "meta" && cfg.targetFraction !== undefined) {
    throw new TbError("E_USAGE", 'a target fraction does not apply to split "meta" (its targets are metaSplit\'s)');
  }
  if (cfg.split !== "meta" && cfg.metaSplit !== undefined) {
    throw new TbError("E_USAGE", `metaSplit applies only to split "meta", not "${cfg.split}"`);
  }
  const targetFraction = cfg.targetFraction ?? defaultTargetFraction(cfg.split);
  let metaSplit: { source: number[]; target: number[] } | undefined;
  if (cfg.split === "meta") {
    if (!cfg.metaSplit) throw new TbError("E_USAGE", "split 'meta' requested but the data has no split in meta.json");
    metaSplit = { source: Array.from(cfg.metaSplit.source), target: Array.from(cfg.metaSplit.target) };
  }
  const tasks: TrialTask[] = [];
  for (const { name: method, module } of methods) {
    for (const budget of cfg.budgets) {
      for (let trial = 0; trial < cfg.trials; trial++) {
        const t: TrialTask = { method, budget, trial, seed: cfg.seed, config, split: cfg.split, targetFraction };
        if (module) t.module = module;
        if (metaSplit) t.metaSplit = metaSplit;
        if (cfg.sourceFraction !== undefined) t.sourceFraction = cfg.sourceFraction;
        if (cfg.pairs === true) t.pairs = true;
        if (stop !== undefined) {
          t.precision = stop.precision;
          t.maxBudget = stop.maxBudget;
        }
        tasks.push(t);
      }
    }
  }
  const exec: RunOptions = {};
  if (cfg.workers !== undefined) exec.workers = cfg.workers;
  if (cfg.onProgress) exec.onProgress = cfg.onProgress;
  if (cfg.onWorkers) exec.onWorkers = cfg.onWorkers;
  // The split of trial 0 gives the counts (and checks the fractions before any work is done).
  const first =
    cfg.split === "meta"
      ? { source: (metaSplit as { source: number[] }).source, target: (metaSplit as { target: number[] }).target }
      : cfg.split === "extrapolation"
        ? extrapolationSplit(matrix.trueScores(), cfg.sourceFraction, targetFraction)
        : randomSplit(matrix.rows, targetFraction, cfg.seed, 0);
  const records: TrialRecord[] = await run(matrix, tasks, exec);
  const data: ReproduceReport["data"] = {
    name: cfg.dataName ?? matrix.name,
    models: matrix.rows,
    examples: matrix.cols,
    sources: first.source.length,
    targets: first.target.length,
    split: cfg.split,
  };
  if (cfg.split !== "meta") data.targetFraction = targetFraction;
  if (cfg.split === "extrapolation") data.sourceFraction = cfg.sourceFraction ?? 0.5;
  return {
    specVersion: SPEC_VERSION,
    data,
    seed: cfg.seed,
    trials: cfg.trials,
    gset: g,
    config,
    results: summarize(records),
  };
}
