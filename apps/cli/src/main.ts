import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { type CorrectnessMatrix, TbError } from "@tb/core";
import { EVALUATION_DEFAULTS } from "@tb/estimate";
import {
  createMethod,
  defaultTargetFraction,
  type MethodConfig,
  methodNames,
  type ReproduceConfig,
  type ReproduceReport,
  reproduce,
  syntheticPopulation,
  type TrialEstimates,
  type TrialTask,
  trialEstimates,
  unreadConfigFields,
} from "@tb/experiment";
import { loadDataset, parseDecimal, writeFileAtomic } from "@tb/io";
import { budgetCurvesSpec, htmlReport, renderSvg } from "@tb/plot";
import { findStudy, STUDIES } from "./ablate.js";
import { resultTable } from "./format.js";
import { sourceCount, splitOptions } from "./split-options.js";
import { cliErrors, ioWordsInFlags, parseFlags, refuseSourceAsOut } from "./workflow/common.js";
import { runCompare, runEstimate, runExport, runImport, runProbe, runTailor, WORKFLOW_USAGE } from "./workflow.js";

const USAGE = `tb — cheap LLM evaluation with TailoredBench

Usage:
  tb demo [--data <dir>] [reproduce options]
  tb reproduce --data <dir> [options]
  tb ablate <distance|estimator|gset|topk|bands> --data <dir> [options]
  tb probe | tailor | estimate | export | import …   (evaluate your own model; see below)
  tb compare …                                       (is model A better than model B? see below)
  tb help

Reproduce options:
  --methods a,b        methods to run (default tailored,random; demo: tailored-plus,tailored,random;
                       known: ${methodNames().join(", ")})
  --budgets 20,25,...  inference counts N (default 20,25,30,35,40)
  --trials N           seeded trials per method and budget (default 100; demo: 10)
  --seed N             base seed (default 0)
  --split S            meta | random | interpolation | extrapolation (default: meta when meta.json
                       has one, else random). interpolation: a seeded random 25 % of the models are
                       targets in each trial; extrapolation: sources = the weakest 50 % of models by
                       accuracy, targets = the strongest 30 % (a new model beyond the leaderboard)
  --target-fraction F  targets' share (default 0.5 random, 0.25 interpolation, 0.3 extrapolation)
  --source-fraction F  sources' share in the extrapolation split (default 0.5)
  --gset N             G-set size g (default 10)
  --distance D         manhattan | euclidean | cosine | correlation (default manhattan)
  --estimator E        calibrated | medoid (default calibrated)
  --clip C             upper | both | none (default upper)
  --threshold T        le | lt (default le)
  --strict-natives     stop with an error when no source is within d̄ (n̄ = 0), as the reference
                       code does; by default the threshold falls back to the mean target–source
                       distance (then to every source) and the results count the fallbacks
  --pooling P          joint | single (default joint)
  --no-standardize     cluster on raw correctness (the paper's Eq. 1) instead of z-scores
  --native-count K     use the K nearest sources instead of n̄ (top-k sweep)
  --clara-select S     last | fullInertia (default last, the reference's behaviour)
  --nset-algorithm A   pam | fasterpam (default pam)
  --nset-sample-size S cluster the N-set on CLARA samples of S examples (default: all examples
                       up to 3000, 750 above; faster, less accurate — docs/PERFORMANCE.md)
  --nset-subruns R     CLARA sub-runs for the N-set (default 1 unsampled, 10 sampled)
  --cache-mib M        MiB of native-set distances and near lists TailoredBench keeps per worker
                       between trials (default 48; 0 keeps none; results do not depend on it)
  --second-look S      tailored-plus: share of the budget after the G-set spent on its second look
                       (default 0.3; 0 = the G-set alone decides)
  --plus-mode M        tailored-plus: auto | within | beyond (default auto; the others force one mode)
  --independent-draws  tailored-plus: each target draws its own random examples after a second
                       look, instead of the default coordinated draws (targets share the draws
                       their strata allow, which keeps their order; docs/TAILORED-PLUS.md, "Ranks")
  --coordinated        tailored-plus: the default coordinated draws, stated explicitly
  --random-mode M      shared | perTarget (default shared)
  --anchor-algorithm A fasterpam | pam (Anchor Points; default fasterpam)
  --irt-anchor-space S irt | correctness | random (gp-IRT anchors; default irt)
  --irt-dim D          fixed IRT dimension (default: chosen on held-out sources from 2,5,10,15)
  --irt-fit F          map | vi (default map)
  --irt-early-stop     gp-IRT: end each IRT fit when its loss stalls (10⁻⁶ over 100 epochs) instead
                       of running all 2000 epochs: about half the calibration time, slightly
                       different numbers (docs/PERFORMANCE.md, "gp-IRT's early stop")
  --irt-estimator E    gp-irt | p-irt | naive (default gp-irt)
  --search N           random-search-learn: random subsets searched (default 10000)
  --level L            nominal level of the per-target intervals (tailored-plus: default 0.9;
                       given, TailoredBench reports split-conformal intervals too); the table and
                       JSON show their coverage and width
  --precision P        precision on demand (tailored-plus and random only): from N, each target is
                       asked more examples in rounds (the total doubling) until its interval's
                       half-width is at most P or --max-budget examples were asked; the table and
                       JSON add the examples asked and the share of targets that reached P
  --max-budget M       with --precision: the most distinct examples a target may be asked
  --workers N          worker threads (default: number of cores)
  --json FILE          write the results JSON (atomically)
  --plot FILE.svg      write an SVG plot of τ-b and MAE against N (± se bands per method)
  --report FILE.html   write a self-contained HTML report (settings, table, plots of τ-b and MAE
                       against N, interval coverage, estimate vs truth per target in trial 0 at
                       the largest N; inline SVG and CSS, no network needed to view it)
  --progress           progress on stderr even when it is not a terminal
  --pairs              paired mode: each trial's targets are shuffled into pairs and every method is
                       scored on them (pair order; cells "design": "paired"); adds the methods
                       paired (both targets on one shared G-set + stratified sample) and
                       paired-random (one shared random sample), whose cells also give the coverage
                       and width of their A − B intervals at --level (default 0.9)

${WORKFLOW_USAGE}`;

const REPRODUCE_OPTIONS = {
  data: { type: "string" },
  methods: { type: "string" },
  budgets: { type: "string" },
  trials: { type: "string" },
  seed: { type: "string" },
  split: { type: "string" },
  "target-fraction": { type: "string" },
  "source-fraction": { type: "string" },
  gset: { type: "string" },
  distance: { type: "string" },
  estimator: { type: "string" },
  clip: { type: "string" },
  threshold: { type: "string" },
  pooling: { type: "string" },
  "no-standardize": { type: "boolean" },
  "strict-natives": { type: "boolean" },
  "native-count": { type: "string" },
  "clara-select": { type: "string" },
  "nset-algorithm": { type: "string" },
  "nset-sample-size": { type: "string" },
  "cache-mib": { type: "string" },
  "nset-subruns": { type: "string" },
  "second-look": { type: "string" },
  "plus-mode": { type: "string" },
  coordinated: { type: "boolean" },
  "independent-draws": { type: "boolean" },
  "random-mode": { type: "string" },
  "anchor-algorithm": { type: "string" },
  "irt-anchor-space": { type: "string" },
  "irt-dim": { type: "string" },
  "irt-fit": { type: "string" },
  "irt-early-stop": { type: "boolean" },
  "irt-estimator": { type: "string" },
  search: { type: "string" },
  level: { type: "string" },
  precision: { type: "string" },
  "max-budget": { type: "string" },
  workers: { type: "string" },
  json: { type: "string" },
  plot: { type: "string" },
  report: { type: "string" },
  progress: { type: "boolean" },
  pairs: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function usageError(msg: string): TbError {
  return new TbError("E_USAGE", msg);
}

function int(name: string, v: string | undefined, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  if (!/^-?\d+$/.test(v.trim())) throw usageError(`--${name} must be an integer, got "${v}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw usageError(`--${name} is out of range (at most 2^53 − 1): "${v}"`);
  if (n < min) throw usageError(`--${name} must be ≥ ${min}, got ${n}`);
  return n;
}

/**
 * The output files of a run, checked before it starts (not after its trials): no two flags name the
 * same file, none is a folder, and none is the data's own correctness.csv or meta.json.
 */
function checkOutputs(outs: [string, string | undefined][], data: string | undefined): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of outs) {
    if (path === undefined) continue;
    const full = resolve(path);
    const other = seen.get(full);
    if (other !== undefined) throw usageError(`${flag} ${path} is also ${other}'s file: give each output its own path`);
    seen.set(full, flag);
    let dir = false;
    try {
      dir = statSync(path).isDirectory();
    } catch {
      // a new file
    }
    if (dir) throw usageError(`${flag} ${path} is a folder; give a file path`);
    if (data !== undefined) refuseSourceAsOut(path, data, flag);
  }
}

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw usageError(`--${name} must be one of ${allowed.join(", ")}, got "${v}"`);
  return v as T;
}

function list(name: string, v: string): string[] {
  const items = v.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw usageError(`--${name} has an empty item: "${v}"`);
  // an item given twice would run twice (a budget's trials counted as twice as many)
  const twice = items.find((x, i) => items.indexOf(x) !== i);
  if (twice !== undefined) throw usageError(`--${name} gives ${twice} twice`);
  return items;
}

type Values = {
  [K in keyof typeof REPRODUCE_OPTIONS]?: (typeof REPRODUCE_OPTIONS)[K]["type"] extends "boolean" ? boolean : string;
};

function methodConfig(v: Values): MethodConfig {
  const c: MethodConfig = {};
  if (v.gset !== undefined) c.gset = int("gset", v.gset, EVALUATION_DEFAULTS.gset, 1);
  const d = oneOf("distance", v.distance, ["manhattan", "euclidean", "cosine", "correlation"] as const);
  if (d) c.distance = d;
  const e = oneOf("estimator", v.estimator, ["calibrated", "medoid"] as const);
  if (e) c.estimator = e;
  const cl = oneOf("clip", v.clip, ["upper", "both", "none"] as const);
  if (cl) c.clip = cl;
  const th = oneOf("threshold", v.threshold, ["le", "lt"] as const);
  if (th) c.thresholdCompare = th;
  const p = oneOf("pooling", v.pooling, ["joint", "single"] as const);
  if (p) c.targetPooling = p;
  if (v["no-standardize"]) c.standardize = false;
  if (v["strict-natives"]) c.strictNatives = true;
  if (v["native-count"] !== undefined) c.nativeCount = int("native-count", v["native-count"], 0, 1);
  const cs = oneOf("clara-select", v["clara-select"], ["last", "fullInertia"] as const);
  if (cs) c.claraSelect = cs;
  const na = oneOf("nset-algorithm", v["nset-algorithm"], ["pam", "fasterpam"] as const);
  if (na) c.nsetAlgorithm = na;
  if (v["nset-sample-size"] !== undefined) c.nsetSampleSize = int("nset-sample-size", v["nset-sample-size"], 0, 1);
  if (v["nset-subruns"] !== undefined) c.nsetSubRuns = int("nset-subruns", v["nset-subruns"], 0, 1);
  if (v["cache-mib"] !== undefined) c.cacheMiB = int("cache-mib", v["cache-mib"], 0, 0);
  if (v["second-look"] !== undefined) {
    const sl = parseDecimal(v["second-look"]);
    if (!(sl >= 0 && sl < 1))
      throw usageError(
        `--second-look must be a share in [0, 1), e.g. 0.3 (0: the G-set alone decides), got "${v["second-look"]}"`,
      );
    c.secondLook = sl;
  }
  const pm = oneOf("plus-mode", v["plus-mode"], ["auto", "within", "beyond"] as const);
  if (pm) c.plusMode = pm;
  if (v.coordinated && v["independent-draws"]) {
    throw usageError("--coordinated and --independent-draws exclude each other (coordinated draws are the default)");
  }
  if (v.coordinated) c.coordinated = true;
  if (v["independent-draws"]) c.coordinated = false;
  const rm = oneOf("random-mode", v["random-mode"], ["shared", "perTarget"] as const);
  if (rm) c.randomMode = rm;
  const aa = oneOf("anchor-algorithm", v["anchor-algorithm"], ["fasterpam", "pam"] as const);
  if (aa) c.anchorAlgorithm = aa;
  const ias = oneOf("irt-anchor-space", v["irt-anchor-space"], ["irt", "correctness", "random"] as const);
  if (ias) c.irtAnchorSpace = ias;
  if (v["irt-dim"] !== undefined) c.irtDim = int("irt-dim", v["irt-dim"], 0, 1);
  const ifit = oneOf("irt-fit", v["irt-fit"], ["map", "vi"] as const);
  if (ifit) c.irtFit = ifit;
  if (v["irt-early-stop"]) c.irtEarlyStop = true;
  const ie = oneOf("irt-estimator", v["irt-estimator"], ["gp-irt", "p-irt", "naive"] as const);
  if (ie) c.irtEstimator = ie;
  if (v.search !== undefined) c.search = int("search", v.search, 0, 1);
  if (v.level !== undefined) {
    const l = parseDecimal(v.level);
    if (!(l > 0 && l < 1)) throw usageError(`--level must be a number in (0, 1), got "${v.level}"`);
    c.level = l;
  }
  return c;
}

/** The flag of each `config` field of {@link methodConfig}. */
const CONFIG_FLAG: Record<string, string> = {
  gset: "--gset",
  distance: "--distance",
  estimator: "--estimator",
  clip: "--clip",
  thresholdCompare: "--threshold",
  targetPooling: "--pooling",
  standardize: "--no-standardize",
  strictNatives: "--strict-natives",
  nativeCount: "--native-count",
  claraSelect: "--clara-select",
  nsetAlgorithm: "--nset-algorithm",
  nsetSampleSize: "--nset-sample-size",
  nsetSubRuns: "--nset-subruns",
  cacheMiB: "--cache-mib",
  secondLook: "--second-look",
  plusMode: "--plus-mode",
  coordinated: "--coordinated/--independent-draws",
  randomMode: "--random-mode",
  anchorAlgorithm: "--anchor-algorithm",
  irtAnchorSpace: "--irt-anchor-space",
  irtDim: "--irt-dim",
  irtFit: "--irt-fit",
  irtEarlyStop: "--irt-early-stop",
  irtEstimator: "--irt-estimator",
  search: "--search",
  level: "--level",
};

/** An error about a `config` field said in its flag ("config: level …" → "--level …"); others as they are. */
function inFlags(e: unknown): unknown {
  const m = e instanceof TbError ? /^config: (\w+) (.*)$/s.exec(e.message) : null;
  const flag = m === null ? undefined : CONFIG_FLAG[m[1] as string];
  if (e instanceof TbError && m !== null && flag !== undefined)
    return new TbError(e.code, `${flag} ${m[2]}`, e.location);
  return e;
}

/** `reproduce` with its errors about `config` fields said in flags. */
async function reproduceInFlags(matrix: CorrectnessMatrix, cfg: ReproduceConfig): Promise<ReproduceReport> {
  try {
    return await cliErrors(() => reproduce(matrix, cfg));
  } catch (e) {
    throw inFlags(e);
  }
}

/** `--precision P --max-budget M` (both or neither) as ReproduceConfig fields. */
function precisionOptions(v: Values): { precision?: number; maxBudget?: number } {
  if (v.precision === undefined) {
    if (v["max-budget"] !== undefined)
      throw usageError("--max-budget needs --precision (it only caps precision rounds)");
    return {};
  }
  const p = parseDecimal(v.precision);
  if (!(p > 0 && p <= 0.5)) {
    throw usageError(`--precision must be a half-width in (0, 0.5], got "${v.precision}"`);
  }
  if (v["max-budget"] === undefined) {
    throw usageError("--precision needs --max-budget (the most distinct examples a target may be asked)");
  }
  return { precision: p, maxBudget: int("max-budget", v["max-budget"], 0, 1) };
}

/** The threads the trials ran on, and why when fewer than `--workers` asked for. */
function threadsNote(used: number, asked: number | undefined): string {
  const what = used === 1 ? "1 thread" : `${used} worker threads`;
  if (asked === undefined || asked <= used) return what;
  return `${what} (--workers ${asked}: capped by the trial tasks that can run at once and at twice the cores)`;
}

function progressPrinter(enabled: boolean): ReproduceConfig["onProgress"] {
  if (!enabled) return undefined;
  const t0 = Date.now();
  let last = 0;
  return (done, total, rec) => {
    const now = Date.now();
    if (done !== total && now - last < 250) return;
    last = now;
    const el = (now - t0) / 1000;
    const eta = done > 0 ? (el / done) * (total - done) : 0;
    process.stderr.write(
      `\r${done}/${total} trials (${rec.method} N=${rec.budget}) ${el.toFixed(0)}s elapsed, ~${eta.toFixed(0)}s left   ${done === total ? "\n" : ""}`,
    );
  };
}

async function runReproduce(args: string[], demo: boolean): Promise<number> {
  const { values, positionals } = parseFlags(args, REPRODUCE_OPTIONS);
  const v = values as Values;
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`);
  checkOutputs(
    [
      ["--json", v.json],
      ["--plot", v.plot],
      ["--report", v.report],
    ],
    v.data,
  );
  let matrix: CorrectnessMatrix;
  let metaSplit: ReproduceConfig["metaSplit"];
  let dataName: string;
  if (v.data !== undefined) {
    const ds = loadDataset(v.data);
    matrix = ds.matrix;
    dataName = ds.name;
    if (ds.split) metaSplit = ds.split;
  } else if (demo) {
    matrix = syntheticPopulation({ seed: 0 });
    dataName = "synthetic (seed 0: 120 models in 8 families × 600 examples)";
  } else {
    throw usageError("tb reproduce needs --data <dir> (a folder with correctness.csv and optional meta.json)");
  }
  const sc = splitOptions(v, metaSplit !== undefined, v.data ?? "the data");
  const split = sc.split;
  const budgets = list("budgets", v.budgets ?? (demo ? "20,30,40" : "20,25,30,35,40")).map((b) =>
    int("budgets", b, 0, 1),
  );
  const methods = list("methods", v.methods ?? (demo ? "tailored-plus,tailored,random" : "tailored,random"));
  const cfg: ReproduceConfig = {
    ...(v.pairs ? { pairs: true } : {}),
    methods,
    budgets,
    trials: int("trials", v.trials, demo ? 10 : 100, 1),
    seed: int("seed", v.seed, 0),
    split,
    config: methodConfig(v),
    workers: int("workers", v.workers, availableParallelism(), 1),
    dataName,
  };
  if (metaSplit && split === "meta") cfg.metaSplit = metaSplit;
  if (sc.targetFraction !== undefined) cfg.targetFraction = sc.targetFraction;
  if (sc.sourceFraction !== undefined) cfg.sourceFraction = sc.sourceFraction;
  Object.assign(cfg, precisionOptions(v));
  if (cfg.maxBudget !== undefined) {
    const over = budgets.find((b) => b > (cfg.maxBudget as number));
    if (over !== undefined) throw usageError(`--budgets ${over} is larger than --max-budget ${cfg.maxBudget}`);
  }
  if (v.pairs && cfg.precision !== undefined) {
    throw usageError("--pairs and --precision cannot be combined (a paired run compares designs of one fixed budget)");
  }
  refuseUnreadFlags(methods, cfg);
  const onProgress = progressPrinter(Boolean(v.progress) || Boolean(process.stderr.isTTY));
  if (onProgress) cfg.onProgress = onProgress;
  let threads = 1;
  cfg.onWorkers = (n) => {
    threads = n;
  };
  const t0 = Date.now();
  const report: ReproduceReport = await reproduceInFlags(matrix, cfg);
  const wall = (Date.now() - t0) / 1000;
  const out = { ...report, wallSeconds: wall };
  process.stdout.write(
    `${dataName}: ${report.data.models} models × ${report.data.examples} examples, split ${split} ` +
      `(${report.data.sources} sources / ${report.data.targets} targets), ${cfg.trials} trials, seed ${cfg.seed}\n\n`,
  );
  process.stdout.write(
    `${resultTable(report)}\n\nwall time ${wall.toFixed(1)} s on ${threadsNote(threads, cfg.workers)}\n`,
  );
  if (v.json !== undefined) writeFileAtomic(v.json, `${JSON.stringify(out, null, 2)}\n`);
  if (v.plot !== undefined) writeFileAtomic(v.plot, await renderSvg(budgetCurvesSpec(report)));
  if (v.report !== undefined) {
    const html = await htmlReport(out, {
      trials: firstTrialEstimates(matrix, cfg),
      command: `tb ${demo ? "demo" : "reproduce"} ${args.join(" ")}`.trim(),
    });
    writeFileAtomic(v.report, html);
  }
  return 0;
}

/**
 * A method flag none of the methods run reads is refused, even at its default value: `reproduce`
 * lets a documented default through (a page sends every field), but a flag typed on the command
 * line and then ignored is a mistake to say (`--methods random --gset 15` recorded a G-set nobody
 * drew).
 */
function refuseUnreadFlags(methods: readonly string[], cfg: ReproduceConfig): void {
  const stop =
    cfg.precision !== undefined ? { precision: cfg.precision, maxBudget: cfg.maxBudget as number } : undefined;
  const unread = unreadConfigFields(methods, cfg.config ?? {}, stop)[0];
  if (unread !== undefined) {
    throw usageError(
      `${CONFIG_FLAG[unread] ?? unread} is read by none of the methods run (${methods.join(", ")}), so it would be ignored: leave it out`,
    );
  }
}

/**
 * Per-target estimates of trial 0 at the largest budget for every method, for the report's
 * estimate-vs-truth plot: the same task (seed, split, options) as that trial of the run.
 */
function firstTrialEstimates(matrix: CorrectnessMatrix, cfg: ReproduceConfig): TrialEstimates[] {
  const budget = Math.max(...cfg.budgets);
  // the CLI names registered methods only (no module methods)
  const names = cfg.methods.filter((m): m is string => typeof m === "string");
  return names.map((method) => {
    const task: TrialTask = {
      method,
      budget,
      trial: 0,
      seed: cfg.seed,
      config: cfg.config ?? {},
      split: cfg.split,
      targetFraction: cfg.targetFraction ?? defaultTargetFraction(cfg.split),
    };
    if (cfg.metaSplit) {
      task.metaSplit = { source: Array.from(cfg.metaSplit.source), target: Array.from(cfg.metaSplit.target) };
    }
    if (cfg.sourceFraction !== undefined) task.sourceFraction = cfg.sourceFraction;
    if (cfg.pairs) task.pairs = true;
    if (cfg.precision !== undefined) {
      task.precision = cfg.precision;
      task.maxBudget = cfg.maxBudget as number;
    }
    return trialEstimates(matrix, task);
  });
}

/** The flag of each setting an ablation study varies. */
const SWEPT_FLAG: Record<string, string> = {
  distance: "--distance",
  estimator: "--estimator",
  gset: "--gset",
  nativeCount: "--native-count",
  nativeOffset: "--native-count",
};

/**
 * `tb ablate <study>`: one reproduce run of TailoredBench per variant of the study, with the
 * reproduce JSON schema plus a `variant` label per result cell.
 */
async function runAblate(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === "--help" || name === "-h" || rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const study = findStudy(name);
  if (!study) {
    throw usageError(`unknown ablation study "${name ?? ""}" (known: ${STUDIES.map((s) => s.name).join(", ")})`);
  }
  const { values, positionals } = parseFlags(rest, REPRODUCE_OPTIONS);
  const v = values as Values;
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`);
  if (v.data === undefined) throw usageError(`tb ablate ${study.name} needs --data <dir>`);
  if (v.methods !== undefined) throw usageError("tb ablate always runs TailoredBench; --methods is not allowed");
  if (v.pairs) throw usageError("--pairs applies to tb reproduce and tb demo, not to tb ablate");
  for (const f of ["plot", "report"] as const) {
    if (v[f] !== undefined) throw usageError(`tb ablate writes --json only; --${f} is for tb reproduce and tb demo`);
  }
  checkOutputs([["--json", v.json]], v.data);
  if (v.precision !== undefined || v["max-budget"] !== undefined) {
    throw usageError(
      "tb ablate runs TailoredBench, which cannot stop at a precision; --precision/--max-budget are for tb reproduce",
    );
  }
  const ds = loadDataset(v.data);
  const sc = splitOptions(v, ds.split !== undefined, v.data);
  const split = sc.split;
  const base = methodConfig(v);
  const budgets =
    v.budgets !== undefined ? list("budgets", v.budgets).map((b) => int("budgets", b, 0, 1)) : study.budgets;
  const S = sourceCount(ds.matrix, sc, ds.split);
  const variants = study.variants(S);
  // the setting the study varies is the study's: a flag for it would be overridden (and recorded)
  for (const key of new Set(variants.flatMap((x) => Object.keys(x.config)))) {
    if ((base as Record<string, unknown>)[key] !== undefined) {
      throw usageError(`${SWEPT_FLAG[key] ?? key} is what ablation "${study.name}" varies; leave it out`);
    }
  }
  // a flag TailoredBench never reads (another method's), said in flags; then every variant's method
  // is made, and its G-set must leave room in every budget: checked before the first variant runs
  // (a flag one variant never reads would otherwise stop the study halfway)
  refuseUnreadFlags(["tailored"], { config: base } as ReproduceConfig);
  for (const x of variants) {
    try {
      createMethod("tailored", { ...base, ...x.config });
    } catch (e) {
      const f = inFlags(e);
      if (f instanceof TbError) throw new TbError(f.code, `variant ${x.label}: ${f.message}`, f.location);
      throw f;
    }
    const g = x.config.gset ?? base.gset ?? EVALUATION_DEFAULTS.gset;
    for (const b of budgets) {
      if (!(b > g && b <= ds.matrix.cols)) {
        throw usageError(
          `--budgets ${b} must be larger than the G-set of variant ${x.label} (${g}) and at most the ${ds.matrix.cols} examples`,
        );
      }
    }
  }
  const trials = int("trials", v.trials, 100, 1);
  const seed = int("seed", v.seed, 0);
  const workers = int("workers", v.workers, availableParallelism(), 1);
  const progress = Boolean(v.progress) || Boolean(process.stderr.isTTY);
  const cells: (ReproduceReport["results"][number] & { variant: string })[] = [];
  let last: ReproduceReport | undefined;
  let threads = 1;
  const t0 = Date.now();
  for (const variant of variants) {
    if (progress) process.stderr.write(`${study.name}: ${variant.label}\n`);
    const cfg: ReproduceConfig = {
      methods: ["tailored"],
      budgets,
      trials,
      seed,
      split,
      config: { ...base, ...variant.config },
      workers,
      dataName: ds.name,
    };
    if (ds.split && split === "meta") cfg.metaSplit = ds.split;
    if (sc.targetFraction !== undefined) cfg.targetFraction = sc.targetFraction;
    if (sc.sourceFraction !== undefined) cfg.sourceFraction = sc.sourceFraction;
    const onProgress = progressPrinter(progress);
    if (onProgress) cfg.onProgress = onProgress;
    cfg.onWorkers = (n) => {
      threads = Math.max(threads, n);
    };
    last = await reproduceInFlags(ds.matrix, cfg);
    for (const c of last.results) cells.push({ ...c, variant: variant.label });
  }
  const wall = (Date.now() - t0) / 1000;
  const report = { ...(last as ReproduceReport), study: study.name, config: base, results: cells, wallSeconds: wall };
  process.stdout.write(
    `${ds.name}: ablation "${study.name}" — ${study.description}; ${trials} trials, seed ${seed}\n\n`,
  );
  process.stdout.write(
    `${resultTable(report, true)}\n\nwall time ${wall.toFixed(1)} s on ${threadsNote(threads, workers)}\n`,
  );
  if (v.json !== undefined) writeFileAtomic(v.json, `${JSON.stringify(report, null, 2)}\n`);
  return 0;
}

/** Run the CLI with the given arguments; returns the exit status (docs/DESIGN.md §3.2). */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "demo":
        return await runReproduce(rest, true);
      case "reproduce":
        return await runReproduce(rest, false);
      case "probe":
        return runProbe(rest);
      case "tailor":
        return runTailor(rest);
      case "estimate":
        return runEstimate(rest);
      case "export":
        return runExport(rest);
      case "import":
        return await runImport(rest);
      case "compare":
        return runCompare(rest);
      case "ablate":
        return await runAblate(rest);
      case undefined:
        // no command is a usage error: the usage goes to stderr with the exit status 2
        process.stderr.write(USAGE);
        return 2;
      case "help":
      case "--help":
      case "-h":
        if (rest.length > 0) throw usageError(`tb help takes no argument, got "${rest[0]}" (try: tb <command> --help)`);
        process.stdout.write(USAGE);
        return 0;
      default:
        throw usageError(`unknown command "${cmd}" (try: tb help)`);
    }
  } catch (err) {
    if (err instanceof TbError && err.isUserError) {
      process.stderr.write(`tb: ${ioWordsInFlags(err.message)}\n`);
      return 2;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`tb: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}
