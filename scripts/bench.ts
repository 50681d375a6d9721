/**
 * `pnpm bench` — speed and memory of TailoredBench (issue 5; figures go to docs/PERFORMANCE.md).
 * A benchmark script, not a test.
 *
 * 1. GSM8K stages (`../shared/data/gsm8k`, meta split, faithful defaults): per trial the G-set
 *    (docs/METHOD.md §3 step 1) and the model distances + native selection (steps 2–4); per target the
 *    example embedding over its native sources, the distance matrix (quantized, §9.18), the N-set
 *    clustering (PAM, §2.3–2.4) and assignment + estimate (§2.5, step 7). The stages are timed on a
 *    mirror of `tailoredBench().run` built from the public building blocks (it checks that it
 *    produces the same estimates); the distance stage is the time spent inside the distance
 *    source during clustering, the clustering stage the rest of `clara`.
 * 2. The whole protocol (5 budgets × 100 trials × 75 targets): a few `runTrial`s per budget,
 *    extrapolated; `--full` runs it for real through `reproduce` with `--workers` (default 2).
 * 3. Scale: one target tailored (probe, native selection, N-set, estimate) on synthetic matrices
 *    of 5.5k × 87, 10k × 150 and 100k × 2k (examples × models), each in a child process so that
 *    its peak RSS is its own. `--skip-100k` leaves out the largest.
 *
 * Times are CPU time of this process (`process.cpuUsage`, user + system) unless marked wall: other
 * work on the machine then inflates them less. Peak memory is VmHWM (Linux) or `maxRSS`,
 * plus `process.memoryUsage()` sampled at stage boundaries (synchronous code starves timers).
 *
 * Prints markdown tables and writes a JSON record to `bench-results/<date>.json` (git-ignored).
 *
 * 5. K-Medoids (scripts/bench-kmedoids.ts): FasterPAM against the C yardstick of
 *    `../shared/bench/pamref/` (same matrices, starts and swaps; core loop and one call), and
 *    K = 300 on synthetic n = 5000 / 12,000. `--no-kmedoids`, `--kmedoids-reps 5`,
 *    `--kmedoids-data gsm8k,uniform-1000,uniform-2000,uniform-5000`, `--no-large-k`.
 *
 * 4. `--accuracy`: the faster options against the faithful default on GSM8K, same seed and trials
 *    (default 100 per budget), as paired τ/MAE differences with their standard errors: FasterPAM
 *    for the N-set, and CLARA samples (s = 750, R = 10) for the N-set.
 *
 * 6. gp-IRT calibration (docs/PERFORMANCE.md "gp-IRT calibration"): on each of `--gpirt-data`
 *    (default gsm8k,helm_lite_mmlu under `../shared/data`; a missing one is skipped with a note),
 *    trial 0 of the interpolation split, `runTrial` of gp-irt at N = 20, 30, 40 with one fresh
 *    workspace: the first is one IRT calibration (threshold, d chosen from 2/5/10/15 on held-out
 *    sources, refit on all sources) plus the estimate, the next two reuse the calibration; then
 *    N = 20 again with the opt-in `irtEarlyStop` (a calibration of its own). `--no-gpirt`.
 *
 * 7. tailored-plus on the paper's GSM8K split (N = 20, 30, 40, its defaults): `--plus-trials`
 *    trials per budget through `runTrial` on one workspace, extrapolated to 100 trials, as the
 *    protocol section does; `--plus-full` runs the 100 trials per budget for real through
 *    `reproduce` with `--workers` (issue 22's "tailored-plus's paper-split run"). `--no-plus`.
 *
 * 8. PCA imputation (docs/PERFORMANCE.md "PCA's row loops in WebAssembly"): on each of `--pca-data`
 *    (default gsm8k,openllm_v2_musr), trial 0 of the interpolation split, sources stacked over
 *    targets known on 20 random examples, as the PCA method's final imputation; `imputePca` with
 *    c = 2, 5, 10, 20 (the method's candidates), its row loops in WebAssembly and in TypeScript,
 *    `--pca-reps` interleaved rounds (default 3), median CPU s; the two filled matrices must be
 *    identical. `--no-pca`.
 *
 * 9. The ridge's exact LOO (docs/PERFORMANCE.md "The ridge's leave-one-out in WebAssembly"): on the
 *    same data, trial 0's interpolation sources (fitting part: models × examples, labels their
 *    accuracies), `RidgeWorkspace.solveColumns` over 2000 random subsets of N = 20 / 30 / 40
 *    examples with alphas 0.1, 1, 10 — random-search-learn's inner loop — on one workspace with its
 *    kernel and one without, interleaved rounds (`--pca-reps`), median CPU µs a subset; the LOO
 *    errors must be identical. Also one-off fits (a fresh workspace per subset, 200 of them) with
 *    the defaults against the TypeScript loops. `--no-ridge`.
 *
 *   pnpm bench [--trials 3] [--budgets 20,40] [--protocol-trials 2] [--full] [--workers 2]
 *              [--skip-100k] [--no-scale] [--no-protocol] [--no-stages] [--accuracy]
 *              [--accuracy-trials 100] [--seed 0] [--label "what changed"] [--out FILE]
 *              [--no-kmedoids] [--kmedoids-reps 5] [--kmedoids-data LIST] [--no-large-k]
 *              [--no-gpirt] [--gpirt-data gsm8k,helm_lite_mmlu]
 *              [--no-plus] [--plus-trials 2] [--plus-full]
 *              [--no-pca] [--pca-data gsm8k,openllm_v2_musr] [--pca-reps 3] [--no-ridge]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { imputePcaWith } from "@tb/baselines/internals";
import { CorrectnessMatrix, createOracle, type Oracle, RandomStream, Workspace } from "@tb/core";
import { distanceSource, exampleEmbedding } from "@tb/embedding";
import { estimate, probe, selectNatives, tailor, tailoredBench } from "@tb/estimate";
import { estimateFromClusters, nativeMean } from "@tb/estimate/internals";
import {
  defaultTargetFraction,
  type MethodConfig,
  type ReproduceReport,
  randomSplit,
  reproduce,
  runTrial,
  syntheticPopulation,
  type TrialTask,
} from "@tb/experiment";
import { loadDataset } from "@tb/io";
import { assign, clara, type DistanceSource } from "@tb/kmedoids";
import { RidgeColumns, RidgeWorkspace } from "@tb/linear";
import { kmedoidsBench, kmedoidsReport } from "./bench-kmedoids.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");

const USAGE = `usage: pnpm bench [--trials 3] [--budgets 20,40] [--protocol-trials 2] [--full] [--workers 2]
                  [--skip-100k] [--no-scale] [--no-protocol] [--no-stages] [--accuracy]
                  [--accuracy-trials 100] [--seed 0] [--label "what changed"] [--out FILE]
                  [--no-kmedoids] [--kmedoids-reps 5] [--kmedoids-data LIST] [--no-large-k]
                  [--no-gpirt] [--gpirt-data gsm8k,helm_lite_mmlu]
                  [--no-plus] [--plus-trials 2] [--plus-full]
                  [--no-pca] [--pca-data gsm8k,openllm_v2_musr] [--pca-reps 3] [--no-ridge]
(what each section measures: the comment at the top of scripts/bench.ts)`;

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}

const { values: args } = (() => {
  try {
    return parseBenchArgs();
  } catch (e) {
    // a flag it does not know, or a value missing: say which, with the usage — not a stack trace
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    process.exit(2);
  }
})();

function parseBenchArgs() {
  return parseArgs({
    options: {
      data: { type: "string", default: resolve(root, "../shared/data/gsm8k") },
      trials: { type: "string", default: "3" },
      budgets: { type: "string", default: "20,40" },
      "protocol-trials": { type: "string", default: "2" },
      "protocol-budgets": { type: "string", default: "20,25,30,35,40" },
      full: { type: "boolean", default: false },
      workers: { type: "string", default: "2" },
      "skip-100k": { type: "boolean", default: false },
      "no-scale": { type: "boolean", default: false },
      "no-protocol": { type: "boolean", default: false },
      "no-stages": { type: "boolean", default: false },
      scale: { type: "string" },
      label: { type: "string", default: "" },
      out: { type: "string" },
      case: { type: "string" },
      seed: { type: "string", default: "0" },
      accuracy: { type: "boolean", default: false },
      "accuracy-trials": { type: "string", default: "100" },
      "no-kmedoids": { type: "boolean", default: false },
      "kmedoids-reps": { type: "string", default: "5" },
      "kmedoids-data": { type: "string" },
      "no-large-k": { type: "boolean", default: false },
      "no-gpirt": { type: "boolean", default: false },
      "gpirt-data": { type: "string", default: "gsm8k,helm_lite_mmlu" },
      "no-plus": { type: "boolean", default: false },
      "plus-trials": { type: "string", default: "2" },
      "plus-full": { type: "boolean", default: false },
      "no-pca": { type: "boolean", default: false },
      "pca-data": { type: "string", default: "gsm8k,openllm_v2_musr" },
      "pca-reps": { type: "string", default: "3" },
      "no-ridge": { type: "boolean", default: false },
    },
    strict: true,
  });
}

// ---------------------------------------------------------------------------------------------
// measurement helpers

/** CPU time of this process in ms (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Peak of the sampled `process.memoryUsage()` fields, in bytes. */
const sampled = { rss: 0, heapUsed: 0, arrayBuffers: 0, external: 0 };
function sampleMemory(): void {
  const m = process.memoryUsage();
  sampled.rss = Math.max(sampled.rss, m.rss);
  sampled.heapUsed = Math.max(sampled.heapUsed, m.heapUsed);
  sampled.arrayBuffers = Math.max(sampled.arrayBuffers, m.arrayBuffers);
  sampled.external = Math.max(sampled.external, m.external);
}

/**
 * Peak RSS of this process in MiB: `VmHWM` of `/proc/self/status` on Linux, else
 * `process.resourceUsage().maxRSS`. Not maxRSS on Linux: it survives `exec`, so a scale case
 * spawned by a bench process that had grown to 1 GB (after `--full`) would report 1 GB.
 */
function maxRssMiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m !== null) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

const MiB = 1024 * 1024;

/** Accumulates CPU and wall milliseconds per named stage. */
class Stages {
  readonly cpu = new Map<string, number>();
  readonly wall = new Map<string, number>();
  add(name: string, cpu: number, wall: number): void {
    this.cpu.set(name, (this.cpu.get(name) ?? 0) + cpu);
    this.wall.set(name, (this.wall.get(name) ?? 0) + wall);
  }
  time<T>(name: string, fn: () => T): T {
    const c = cpuMs();
    const w = performance.now();
    const r = fn();
    this.add(name, cpuMs() - c, performance.now() - w);
    return r;
  }
}

/**
 * Wraps a distance source so that the time spent inside its methods — all but `rowsTo`, the K × n
 * rows of assignment — is booked to `stage` and counted in `inner` (so that the caller can keep it
 * out of its own stage). Other members (fast paths, flags) are forwarded as they are.
 */
function timedSource(src: DistanceSource, stages: Stages, stage: string, inner: { cpu: number; wall: number }) {
  const wrapped: Record<string, unknown> = {};
  const s = src as unknown as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    const v = s[key];
    if (typeof v !== "function" || key === "rowsTo") {
      wrapped[key] = typeof v === "function" ? v.bind(src) : v;
      continue;
    }
    wrapped[key] = (...a: unknown[]) => {
      const c = cpuMs();
      const w = performance.now();
      const r = (v as (...x: unknown[]) => unknown).apply(src, a);
      const dc = cpuMs() - c;
      const dw = performance.now() - w;
      stages.add(stage, dc, dw);
      inner.cpu += dc;
      inner.wall += dw;
      return r;
    };
  }
  return wrapped as unknown as DistanceSource;
}

function round(x: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

// ---------------------------------------------------------------------------------------------
// 1. GSM8K stages

interface StageRow {
  budget: number;
  trials: number;
  targets: number;
  distinctNativeSets: number;
  /** ms per trial */
  gset: number;
  modelDistances: number;
  /** ms per target */
  embedding: number;
  distanceMatrix: number;
  clustering: number;
  assignEstimate: number;
  /** ms per trial: the mirror's stages summed, and `runTrial` end to end (CPU and wall). */
  stagesPerTrial: number;
  runTrialCpu: number;
  runTrialWall: number;
  estimatesMatch: boolean;
}

function gsm8kStages(budgets: number[], trials: number, seed: number): StageRow[] {
  const ds = loadDataset(args.data as string);
  const matrix = ds.matrix;
  const split = ds.split;
  if (!split) throw new Error(`${args.data}: no split in meta.json`);
  const sources = matrix.selectRows(split.source);
  const n = sources.cols;
  const g = 10;
  const rows: StageRow[] = [];
  // what a protocol run keeps between trials (reproduce: one workspace per worker and run)
  const workspace = new Workspace();
  // warm-up (JIT) so that the first budget is not charged for compilation
  {
    const budget = budgets[0] ?? 20;
    const oracles = Array.from(split.target, (r) => createOracle(matrix.row(r), budget));
    tailoredBench().run({ sources, oracles, budget, rng: RandomStream.derive(seed, "warm-up"), workspace });
  }
  for (const budget of budgets) {
    const st = new Stages();
    let targets = 0;
    let distinct = 0;
    let match = true;
    let e2eCpu = 0;
    let e2eWall = 0;
    for (let trial = 0; trial < trials; trial++) {
      const rng = RandomStream.derive(seed, "tailored", budget, trial);
      const oracles: Oracle[] = Array.from(split.target, (r) => createOracle(matrix.row(r), budget));
      // step 1: G-set
      const { gset } = st.time("gset", () => probe(sources, rng.child("gset"), { workspace }));
      // steps 2–4: model distances on G, d̄, n̄, native sources
      const sel = st.time("modelDistances", () =>
        selectNatives(
          sources,
          gset,
          oracles.map((o) => o.queryMany(gset)),
        ),
      );
      // steps 5–7 per target, targets with the same native sources grouped (as tailoredBench does)
      const groups = new Map<string, number[]>();
      sel.natives.forEach((nat, t) => {
        const key = nat.join(",");
        const list = groups.get(key);
        if (list) list.push(t);
        else groups.set(key, [t]);
      });
      distinct += groups.size;
      const estimates = new Float64Array(oracles.length);
      for (const members of groups.values()) {
        const natives = sel.natives[members[0] as number] as Int32Array;
        const inner = { cpu: 0, wall: 0 };
        const src = st.time("embedding", () =>
          timedSource(distanceSource(exampleEmbedding(sources, natives)), st, "distanceMatrix", inner),
        );
        const mBar = st.time("assignEstimate", () => nativeMean(sources, natives));
        for (const t of members) {
          targets++;
          const before = { ...inner };
          const c0 = cpuMs();
          const w0 = performance.now();
          const { medoids } = clara(src, {
            k: budget - g,
            fixed: Int32Array.from(gset).sort(),
            sampleSize: n,
            subRuns: 1,
            maxIter: 9000,
            rng: rng.child("nset", t),
            select: "last",
            workspace,
          });
          st.add(
            "clustering",
            cpuMs() - c0 - (inner.cpu - before.cpu),
            performance.now() - w0 - (inner.wall - before.wall),
          );
          st.time("assignEstimate", () => {
            const { labels } = assign(src, medoids, workspace);
            const answers = (oracles[t] as Oracle).queryMany(medoids);
            estimates[t] = estimateFromClusters(mBar, medoids, labels, answers).accuracy;
          });
        }
        sampleMemory();
      }
      // the real thing, end to end, for the same trial: same estimates?
      const oracles2 = Array.from(split.target, (r) => createOracle(matrix.row(r), budget));
      const c = cpuMs();
      const w = performance.now();
      const res = tailoredBench().run({ sources, oracles: oracles2, budget, rng, workspace });
      e2eCpu += cpuMs() - c;
      e2eWall += performance.now() - w;
      for (let t = 0; t < estimates.length; t++) if (!Object.is(estimates[t], res.estimates[t])) match = false;
      sampleMemory();
    }
    const per = (k: string, d: number) => round((st.cpu.get(k) ?? 0) / d);
    const stageNames = ["gset", "modelDistances", "embedding", "distanceMatrix", "clustering", "assignEstimate"];
    rows.push({
      budget,
      trials,
      targets,
      distinctNativeSets: round(distinct / trials, 1),
      gset: per("gset", trials),
      modelDistances: per("modelDistances", trials),
      embedding: per("embedding", targets),
      distanceMatrix: per("distanceMatrix", targets),
      clustering: per("clustering", targets),
      assignEstimate: per("assignEstimate", targets),
      stagesPerTrial: round(stageNames.reduce((s, k) => s + (st.cpu.get(k) ?? 0), 0) / trials, 1),
      runTrialCpu: round(e2eCpu / trials, 1),
      runTrialWall: round(e2eWall / trials, 1),
      estimatesMatch: match,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. the whole protocol

interface ProtocolRow {
  budget: number;
  trials: number;
  cpuPerTrial: number;
  wallPerTrial: number;
}

interface ProtocolResult {
  rows: ProtocolRow[];
  /** Extrapolated to 100 trials per budget: CPU seconds, and wall seconds on `workers` workers. */
  extrapolatedCpuSeconds: number;
  extrapolatedWallSeconds: number;
  workers: number;
  full?: { wallSeconds: number; cpuSeconds: number; tau: Record<string, number>; mae: Record<string, number> };
}

/** The markdown of a protocol section: per-budget rows, the extrapolation, and the full run if any. */
function protocolReport(title: string, p: ProtocolResult): string {
  let s =
    `${title}\n\n` +
    table(
      ["N", "trials measured", "CPU s/trial", "wall s/trial", "CPU s for 100 trials"],
      p.rows.map((r) => [r.budget, r.trials, r.cpuPerTrial, r.wallPerTrial, round(r.cpuPerTrial * 100, 1)]),
    ) +
    `\n\nExtrapolated: ${p.extrapolatedCpuSeconds} CPU s, ≈ ${p.extrapolatedWallSeconds} s wall on ${p.workers} workers (CPU / workers).`;
  if (p.full) {
    s +=
      `\n\nFull run (reproduce, ${p.workers} workers): **${p.full.wallSeconds} s wall**, ${p.full.cpuSeconds} s CPU (all threads; ≈ wall on an idle 2-core machine: ${round(p.full.cpuSeconds / p.workers, 1)} s); ` +
      `τ ${JSON.stringify(p.full.tau)}, MAE ${JSON.stringify(p.full.mae)}.`;
  }
  return s;
}

/** The report of the `--full` run (the faithful default at 100 trials), reused by `--accuracy`. */
let fullReport: ReproduceReport | undefined;

async function protocol(
  budgets: number[],
  trials: number,
  workers: number,
  full: boolean,
  seed: number,
  method: "tailored" | "tailored-plus" = "tailored",
) {
  const ds = loadDataset(args.data as string);
  const split = ds.split;
  if (!split) throw new Error(`${args.data}: no split in meta.json`);
  const metaSplit = { source: Array.from(split.source), target: Array.from(split.target) };
  const rows: ProtocolRow[] = [];
  // one workspace for the trials, as reproduce gives each worker for a run
  const workspace = new Workspace();
  // warm-up (JIT) so that the first budget is not charged for compilation
  runTrial(
    ds.matrix,
    {
      method,
      budget: 20,
      trial: 999,
      seed,
      config: {},
      split: "meta",
      targetFraction: 0.5,
      metaSplit,
    },
    undefined,
    workspace,
  );
  for (const budget of budgets) {
    let c = 0;
    let w = 0;
    for (let trial = 0; trial < trials; trial++) {
      const task: TrialTask = {
        method,
        budget,
        trial,
        seed,
        config: {},
        split: "meta",
        targetFraction: 0.5,
        metaSplit,
      };
      const c0 = cpuMs();
      const w0 = performance.now();
      runTrial(ds.matrix, task, undefined, workspace);
      c += cpuMs() - c0;
      w += performance.now() - w0;
      sampleMemory();
    }
    rows.push({ budget, trials, cpuPerTrial: round(c / trials / 1000, 3), wallPerTrial: round(w / trials / 1000, 3) });
  }
  const cpu100 = rows.reduce((s, r) => s + r.cpuPerTrial * 100, 0);
  const result: ProtocolResult = {
    rows,
    extrapolatedCpuSeconds: round(cpu100, 1),
    extrapolatedWallSeconds: round(cpu100 / workers, 1),
    workers,
  };
  if (full) {
    const c0 = cpuMs();
    const w0 = performance.now();
    const report = await reproduce(ds.matrix, {
      methods: [method],
      // the faithful protocol's five budgets whatever --protocol-budgets says (--accuracy reuses it)
      budgets: method === "tailored" ? [20, 25, 30, 35, 40] : budgets,
      trials: 100,
      seed,
      split: "meta",
      metaSplit,
      workers,
      dataName: ds.name,
      onProgress: (done, total) => {
        if (done % 25 === 0 || done === total) process.stderr.write(`\rfull ${method} run: ${done}/${total} trials`);
      },
    });
    process.stderr.write("\n");
    if (method === "tailored") fullReport = report;
    const tau: Record<string, number> = {};
    const mae: Record<string, number> = {};
    for (const cell of report.results) {
      tau[cell.budget] = round(cell.kendallTau.mean, 4);
      mae[cell.budget] = round(cell.mae.mean, 5);
    }
    result.full = {
      wallSeconds: round((performance.now() - w0) / 1000, 1),
      cpuSeconds: round((cpuMs() - c0) / 1000, 1),
      tau,
      mae,
    };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// 3. scale cases (each in its own process)

interface ScaleCase {
  name: string;
  examples: number;
  models: number;
  budget: number;
}

const SCALE_CASES: ScaleCase[] = [
  { name: "5.5k x 87", examples: 5500, models: 87, budget: 40 },
  { name: "10k x 150", examples: 10000, models: 150, budget: 40 },
  { name: "100k x 2k", examples: 100000, models: 2000, budget: 40 },
];

interface ScaleResult {
  name: string;
  examples: number;
  models: number;
  budget: number;
  ok: boolean;
  error?: string;
  /** seconds (wall; this case runs alone in its process) */
  generate?: number;
  probe?: number;
  natives?: number;
  tailor?: number;
  estimate?: number;
  /** probe + natives + tailor + estimate */
  total?: number;
  /** CPU seconds of probe … estimate */
  totalCpu?: number;
  nBar?: number;
  estimateValue?: number;
  truth?: number;
  /** MiB */
  rssAfterData?: number;
  peakRss?: number;
}

/** Child-process body: one scale case; prints one JSON line. */
function runScaleCase(c: ScaleCase): ScaleResult {
  const w = () => performance.now() / 1000;
  let t = w();
  const big = c.examples * c.models >= 5e7;
  const matrix = syntheticPopulation({
    models: c.models,
    examples: c.examples,
    seed: 0,
    name: `synthetic ${c.name}`,
    ...(big ? { fast: true } : {}),
  });
  const generate = w() - t;
  const S = c.models - 1;
  const n = c.examples;
  // sources: the first S rows as a view (no copy); the target: the last row
  const sources = new CorrectnessMatrix({
    data: matrix.data.subarray(0, S * n),
    modelIds: matrix.modelIds.slice(0, S),
    exampleIds: matrix.exampleIds,
    kind: "binary",
    name: "sources",
    copy: false,
  });
  const truth = matrix.trueScore(S);
  const oracle = createOracle(matrix.row(S), c.budget, "target");
  const rssAfterData = process.memoryUsage().rss / MiB;
  const rng = RandomStream.derive(0, "bench-scale", c.name);
  const c0 = cpuMs();
  t = w();
  const { gset } = probe(sources, rng.child("gset"));
  const tProbe = w() - t;
  t = w();
  const sel = selectNatives(sources, gset, [oracle.queryMany(gset)]);
  const tNatives = w() - t;
  t = w();
  const plan = tailor(sources, gset, sel.natives[0] as Int32Array, c.budget, rng.child("nset", 0));
  const tTailor = w() - t;
  t = w();
  const est = estimate(sources, plan, oracle.queryMany(plan.nset));
  const tEstimate = w() - t;
  return {
    ...c,
    ok: true,
    generate: round(generate, 2),
    probe: round(tProbe, 3),
    natives: round(tNatives, 3),
    tailor: round(tTailor, 3),
    estimate: round(tEstimate, 3),
    total: round(tProbe + tNatives + tTailor + tEstimate, 3),
    totalCpu: round((cpuMs() - c0) / 1000, 3),
    nBar: sel.nBar,
    estimateValue: round(est.accuracy, 4),
    truth: round(truth, 4),
    rssAfterData: Math.round(rssAfterData),
    peakRss: Math.round(maxRssMiB()),
  };
}

function scale(cases: ScaleCase[]): ScaleResult[] {
  const out: ScaleResult[] = [];
  for (const c of cases) {
    process.stderr.write(`scale case ${c.name} …\n`);
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--case", c.name], {
      encoding: "utf8",
      maxBuffer: 16 * MiB,
      timeout: 20 * 60 * 1000,
    });
    const line = (r.stdout ?? "")
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .pop();
    if (r.status === 0 && line) out.push(JSON.parse(line) as ScaleResult);
    else
      out.push({
        ...c,
        ok: false,
        error: `exit ${r.status ?? r.signal}: ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}`,
      });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 4. accuracy of the faster options against the default

interface AccuracyRow {
  variant: string;
  budget: number;
  trials: number;
  tau: { mean: number; se: number };
  mae: { mean: number; se: number };
  /** variant − default, paired by trial: mean and std(ddof 0)/√trials */
  dTau: { mean: number; se: number };
  dMae: { mean: number; se: number };
  /** wall seconds of the variant's whole run (all budgets) */
  wallSeconds: number;
}

/** Mean and std(ddof 0)/√n of `a − b`, elementwise (b = zeros: a's own mean ± se, as the protocol reports). */
function pairedDelta(a: readonly number[], b: readonly number[]): { mean: number; se: number } {
  const d = a.map((x, i) => x - (b[i] as number));
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  const v = d.reduce((s, x) => s + (x - mean) ** 2, 0) / d.length;
  return { mean, se: Math.sqrt(v / d.length) };
}

async function accuracy(trials: number, workers: number, seed: number): Promise<AccuracyRow[]> {
  const ds = loadDataset(args.data as string);
  const split = ds.split;
  if (!split) throw new Error(`${args.data}: no split in meta.json`);
  const variants: { name: string; config: MethodConfig }[] = [
    { name: "default (PAM, s = n)", config: {} },
    { name: "FasterPAM N-set", config: { nsetAlgorithm: "fasterpam" } },
    { name: "CLARA N-set (s = 750, R = 10)", config: { nsetSampleSize: 750, nsetSubRuns: 10 } },
  ];
  const reports: { name: string; report: ReproduceReport; wall: number }[] = [];
  for (const v of variants) {
    const isDefault = Object.keys(v.config).length === 0;
    if (isDefault && fullReport && fullReport.trials >= trials && fullReport.seed === seed) {
      // the first `trials` trials of the --full run are the same trials (same keyed streams)
      reports.push({ name: v.name, report: fullReport, wall: Number.NaN });
      continue;
    }
    process.stderr.write(`accuracy: ${v.name} …\n`);
    const w0 = performance.now();
    const report = await reproduce(ds.matrix, {
      methods: ["tailored"],
      budgets: [20, 25, 30, 35, 40],
      trials,
      seed,
      split: "meta",
      metaSplit: { source: Array.from(split.source), target: Array.from(split.target) },
      config: v.config,
      workers,
      dataName: ds.name,
    });
    reports.push({ name: v.name, report, wall: (performance.now() - w0) / 1000 });
  }
  const base = (reports[0] as (typeof reports)[number]).report;
  const rows: AccuracyRow[] = [];
  const zeros = new Array<number>(trials).fill(0);
  for (const r of reports) {
    for (const cell of r.report.results) {
      const ref = base.results.find((c) => c.budget === cell.budget);
      if (!ref) continue;
      const tau = cell.perTrial.kendallTau.slice(0, trials);
      const mae = cell.perTrial.mae.slice(0, trials);
      rows.push({
        variant: r.name,
        budget: cell.budget,
        trials: tau.length,
        tau: pairedDelta(tau, zeros),
        mae: pairedDelta(mae, zeros),
        dTau: pairedDelta(tau, ref.perTrial.kendallTau.slice(0, trials)),
        dMae: pairedDelta(mae, ref.perTrial.mae.slice(0, trials)),
        wallSeconds: round(r.wall, 1),
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// report

function table(header: string[], rows: (string | number)[][]): string {
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---:").join(" | ")} |`];
  for (const r of rows) lines.push(`| ${r.join(" | ")} |`);
  return lines.join("\n");
}

function git(...a: string[]): string {
  try {
    return execFileSync("git", a, { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

// ---------------------------------------------------------------------------------------------
// 6. gp-IRT calibration

interface GpIrtRow {
  data: string;
  /** sources × examples of trial 0's interpolation split. */
  shape?: string;
  /** The first runTrial: one calibration plus the estimate (CPU s, wall s). */
  calibrateCpu?: number;
  calibrateWall?: number;
  /** The next budgets with the calibration reused (CPU s per trial). */
  reuseCpu?: number;
  dim?: unknown;
  /** The first runTrial with `irtEarlyStop` (opt-in): CPU s, wall s, the chosen d. */
  stopCpu?: number;
  stopWall?: number;
  stopDim?: unknown;
  note?: string;
}

/** A shared matrix by name (`../shared/data/<name>`), or the note of a section row when it is not there. */
function sharedMatrix(name: string): CorrectnessMatrix | string {
  const dir = resolve(root, "../shared/data", name);
  if (!existsSync(join(dir, "correctness.csv"))) return `${dir} not found: skipped`;
  return loadDataset(dir).matrix;
}

/** The median of interleaved rounds' times (the upper one of an even count). */
function med(x: readonly number[]): number {
  return [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)] as number;
}

function gpIrtBench(names: string[], seed: number): GpIrtRow[] {
  return names.map((name): GpIrtRow => {
    const matrix = sharedMatrix(name);
    if (typeof matrix === "string") return { data: name, note: matrix };
    const workspace = new Workspace();
    try {
      const targetFraction = defaultTargetFraction("interpolation");
      const T = Math.round(matrix.rows * targetFraction);
      const row: GpIrtRow = { data: name, shape: `${matrix.rows - T} × ${matrix.cols}` };
      const reuse: number[] = [];
      for (const budget of [20, 30, 40]) {
        const task: TrialTask = {
          method: "gp-irt",
          budget,
          trial: 0,
          seed,
          config: {},
          split: "interpolation",
          targetFraction,
        };
        const c0 = cpuMs();
        const w0 = performance.now();
        const rec = runTrial(matrix, task, undefined, workspace);
        const cpu = (cpuMs() - c0) / 1000;
        if (budget === 20) {
          row.calibrateCpu = round(cpu, 2);
          row.calibrateWall = round((performance.now() - w0) / 1000, 2);
          row.dim = rec.diagnostics?.d;
        } else reuse.push(cpu);
        sampleMemory();
      }
      row.reuseCpu = round(reuse.reduce((a, b) => a + b, 0) / reuse.length, 3);
      // the same first trial with the opt-in early stop (its own workspace: a calibration of its own)
      const ws = new Workspace();
      try {
        const task: TrialTask = {
          method: "gp-irt",
          budget: 20,
          trial: 0,
          seed,
          config: { irtEarlyStop: true },
          split: "interpolation",
          targetFraction,
        };
        const c0 = cpuMs();
        const w0 = performance.now();
        const rec = runTrial(matrix, task, undefined, ws);
        row.stopCpu = round((cpuMs() - c0) / 1000, 2);
        row.stopWall = round((performance.now() - w0) / 1000, 2);
        row.stopDim = rec.diagnostics?.d;
      } finally {
        ws.dispose();
      }
      return row;
    } finally {
      workspace.dispose();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 8. PCA imputation: the row loops in WebAssembly against TypeScript

interface PcaRow {
  data: string;
  shape?: string;
  /** Per c: median CPU s with the kernel, without, and whether the filled matrices were identical. */
  cells?: { c: number; wasm: number; ts: number; rounds: number; same: boolean }[];
  note?: string;
}

function pcaBench(names: string[], seed: number, reps: number): PcaRow[] {
  return names.map((name): PcaRow => {
    const matrix = sharedMatrix(name);
    if (typeof matrix === "string") return { data: name, note: matrix };
    const split = randomSplit(matrix.rows, defaultTargetFraction("interpolation"), seed, 0);
    const n = matrix.cols;
    const order = [...split.source, ...split.target];
    const rows = order.length;
    const values = new Float64Array(rows * n);
    const known = new Uint8Array(rows * n);
    const coreset = RandomStream.derive(seed, "pca-bench").sample(
      Array.from({ length: n }, (_, j) => j),
      20,
    );
    order.forEach((r, i) => {
      values.set(matrix.row(r), i * n);
      if (i < split.source.length) known.fill(1, i * n, (i + 1) * n);
      else for (const j of coreset) known[i * n + j] = 1;
    });
    const cells = [2, 5, 10, 20].map((c) => {
      const times: { wasm: number[]; ts: number[] } = { wasm: [], ts: [] };
      let filled: { wasm?: Float64Array; ts?: Float64Array } = {};
      let rounds = 0;
      for (let rep = 0; rep < reps; rep++) {
        for (const way of rep % 2 === 0 ? (["wasm", "ts"] as const) : (["ts", "wasm"] as const)) {
          const c0 = cpuMs();
          const res = imputePcaWith(values, rows, n, known, { components: c }, way === "wasm");
          times[way].push((cpuMs() - c0) / 1000);
          filled = { ...filled, [way]: res.filled };
          rounds = res.iterations;
        }
      }
      const a = filled.wasm as Float64Array;
      const b = filled.ts as Float64Array;
      const same = a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
      return { c, wasm: round(med(times.wasm), 3), ts: round(med(times.ts), 3), rounds, same };
    });
    return { data: name, shape: `${rows} × ${n}`, cells };
  });
}

// ---------------------------------------------------------------------------------------------
// 9. The ridge's exact LOO: the kernel against the TypeScript loops

interface RidgeRow {
  data: string;
  shape?: string;
  cells?: { k: number; wasm: number; ts: number; same: boolean; freshDefault: number; freshTs: number }[];
  note?: string;
}

function ridgeBench(names: string[], seed: number, reps: number): RidgeRow[] {
  return names.map((name): RidgeRow => {
    const matrix = sharedMatrix(name);
    if (typeof matrix === "string") return { data: name, note: matrix };
    const split = randomSplit(matrix.rows, defaultTargetFraction("interpolation"), seed, 0);
    const n = matrix.cols;
    const r = split.source.length;
    // column-major design: example j's column holds the sources' answers; labels their accuracies
    const X = new Float64Array(r * n);
    const y = new Float64Array(r);
    split.source.forEach((m, i) => {
      const row = matrix.row(m);
      let acc = 0;
      for (let j = 0; j < n; j++) {
        X[j * r + i] = row[j] as number;
        acc += row[j] as number;
      }
      y[i] = acc / n;
    });
    const columns = new RidgeColumns(X, r, n, y);
    const alphas = [0.1, 1, 10];
    const subsets = 2000;
    const cells = [20, 30, 40].map((k) => {
      const rng = RandomStream.derive(seed, "ridge-bench", k);
      const all = Array.from({ length: n }, (_, j) => j);
      const picks = Array.from({ length: subsets }, () => rng.sample(all, k));
      const times: { wasm: number[]; ts: number[] } = { wasm: [], ts: [] };
      let same = true;
      for (let rep = 0; rep < reps; rep++) {
        // every subset's LOO errors at every alpha, both ways
        const errs: { wasm?: Float64Array; ts?: Float64Array } = {};
        for (const way of rep % 2 === 0 ? (["wasm", "ts"] as const) : (["ts", "wasm"] as const)) {
          const ws = new RidgeWorkspace();
          ws.useKernel = way === "wasm";
          const out = new Float64Array(subsets * alphas.length * r);
          const c0 = cpuMs();
          picks.forEach((cols, t) => {
            ws.solveColumns(columns, cols, alphas, true, out.subarray(t * alphas.length * r));
          });
          times[way].push(((cpuMs() - c0) * 1000) / subsets);
          errs[way] = out;
        }
        const a = errs.wasm as Float64Array;
        const b = errs.ts as Float64Array;
        same &&= a.every((v, i) => Object.is(v, b[i]));
      }
      // one-off fits: a fresh workspace per subset (its defaults, so no kernel is made) against
      // the TypeScript loops — what the switching rule keeps from getting slower
      const fresh: { dflt: number[]; ts: number[] } = { dflt: [], ts: [] };
      for (let rep = 0; rep < reps; rep++) {
        for (const way of rep % 2 === 0 ? (["dflt", "ts"] as const) : (["ts", "dflt"] as const)) {
          const c0 = cpuMs();
          for (let t = 0; t < 200; t++) {
            const ws = new RidgeWorkspace();
            ws.useKernel = way === "dflt";
            ws.solveColumns(columns, picks[t] as Int32Array, alphas, true);
          }
          fresh[way].push(((cpuMs() - c0) * 1000) / 200);
        }
      }
      return {
        k,
        wasm: round(med(times.wasm), 1),
        ts: round(med(times.ts), 1),
        same,
        freshDefault: round(med(fresh.dflt), 1),
        freshTs: round(med(fresh.ts), 1),
      };
    });
    return { data: name, shape: `${r} × ${n}`, cells };
  });
}

async function main(): Promise<void> {
  if (args.case !== undefined) {
    const c = SCALE_CASES.find((s) => s.name === args.case);
    if (!c) throw new Error(`unknown case ${args.case}`);
    process.stdout.write(`${JSON.stringify(runScaleCase(c))}\n`);
    return;
  }
  const seed = Number(args.seed);
  const budgets = (args.budgets as string).split(",").map(Number);
  const trials = Number(args.trials);
  const workers = Number(args.workers);
  const startLoad = loadavg();
  const started = new Date();
  const record: Record<string, unknown> = {
    date: started.toISOString(),
    label: args.label,
    commit: git("rev-parse", "--short", "HEAD"),
    dirty: git("status", "--porcelain", "--untracked-files=no").length > 0,
    machine: {
      cpu: cpus()[0]?.model ?? "?",
      cores: cpus().length,
      memGiB: round(totalmem() / 1024 ** 3, 1),
      node: process.version,
      loadavgStart: startLoad.map((x) => round(x, 2)),
    },
  };
  const out: string[] = [];
  out.push(
    `# pnpm bench — ${started.toISOString()}${args.label ? ` — ${args.label}` : ""}\n\n` +
      `${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}, load average at start ${startLoad
        .map((x) => x.toFixed(2))
        .join(" / ")}. Times are CPU ms of this process unless marked wall.`,
  );

  if (!args["no-stages"]) {
    process.stderr.write("GSM8K stages …\n");
    const rows = gsm8kStages(budgets, trials, seed);
    record.stages = rows;
    out.push(
      "## GSM8K stages (faithful default)\n\n" +
        table(
          [
            "N",
            "trials",
            "native sets/trial",
            "G-set ms/trial",
            "model dist. ms/trial",
            "embedding ms/target",
            "distance matrix ms/target",
            "N-set PAM ms/target",
            "assign+estimate ms/target",
            "stages ms/trial",
            "runTrial ms/trial (CPU / wall)",
            "same estimates",
          ],
          rows.map((r) => [
            r.budget,
            r.trials,
            r.distinctNativeSets,
            r.gset,
            r.modelDistances,
            r.embedding,
            r.distanceMatrix,
            r.clustering,
            r.assignEstimate,
            r.stagesPerTrial,
            `${r.runTrialCpu} / ${r.runTrialWall}`,
            r.estimatesMatch ? "yes" : "NO",
          ]),
        ),
    );
  }

  if (!args["no-protocol"]) {
    process.stderr.write("protocol …\n");
    const pb = (args["protocol-budgets"] as string).split(",").map(Number);
    const p = await protocol(pb, Number(args["protocol-trials"]), workers, Boolean(args.full), seed);
    record.protocol = p;
    out.push(protocolReport("## Whole protocol (5 budgets × 100 trials × 75 targets)", p));
  }

  if (!args["no-plus"]) {
    process.stderr.write("tailored-plus …\n");
    const p = await protocol(
      [20, 30, 40],
      Number(args["plus-trials"]),
      workers,
      Boolean(args["plus-full"]),
      seed,
      "tailored-plus",
    );
    record.plus = p;
    out.push(protocolReport("## tailored-plus, the paper's split (3 budgets × 100 trials × 75 targets)", p));
  }

  if (args.accuracy) {
    const rows = await accuracy(Number(args["accuracy-trials"]), workers, seed);
    record.accuracy = rows;
    const f = (x: { mean: number; se: number }, d: number) => `${x.mean.toFixed(d)} ± ${x.se.toFixed(d)}`;
    out.push(
      `## Faster options vs the faithful default (GSM8K, seed ${seed}, paired by trial)\n\n` +
        table(
          ["variant", "N", "trials", "τ-b", "MAE", "Δτ (variant − default)", "ΔMAE", "run wall s"],
          rows.map((r) => [
            r.variant,
            r.budget,
            r.trials,
            f(r.tau, 4),
            f(r.mae, 5),
            f(r.dTau, 4),
            f(r.dMae, 5),
            Number.isNaN(r.wallSeconds) ? "(the --full run)" : r.wallSeconds,
          ]),
        ),
    );
  }

  sampleMemory();
  const mem = {
    maxRssMiB: Math.round(maxRssMiB()),
    sampledRssMiB: Math.round(sampled.rss / MiB),
    sampledHeapUsedMiB: Math.round(sampled.heapUsed / MiB),
    sampledArrayBuffersMiB: Math.round(sampled.arrayBuffers / MiB),
  };
  record.memory = mem;
  out.push(
    "## Memory (this process: the GSM8K stages, protocol and tailored-plus sections)\n\n" +
      table(
        ["peak RSS (maxRSS) MiB", "sampled RSS MiB", "sampled heap used MiB", "sampled array buffers MiB"],
        [[mem.maxRssMiB, mem.sampledRssMiB, mem.sampledHeapUsedMiB, mem.sampledArrayBuffersMiB]],
      ),
  );

  if (!args["no-scale"]) {
    let cases = args["skip-100k"] ? SCALE_CASES.filter((c) => c.examples < 100000) : SCALE_CASES;
    if (args.scale !== undefined) {
      const names = (args.scale as string).split(",");
      cases = SCALE_CASES.filter((c) => names.includes(c.name));
    }
    const res = scale(cases);
    record.scale = res;
    out.push(
      "## Scale: one target, synthetic binary matrix (wall s, own process)\n\n" +
        table(
          [
            "examples × models",
            "N",
            "generate s",
            "probe s",
            "natives s",
            "tailor s",
            "estimate s",
            "probe→estimate s (CPU s)",
            "n̄",
            "estimate / truth",
            "RSS after data MiB",
            "peak RSS MiB",
          ],
          res.map((r) =>
            r.ok
              ? [
                  r.name,
                  r.budget,
                  r.generate ?? "",
                  r.probe ?? "",
                  r.natives ?? "",
                  r.tailor ?? "",
                  r.estimate ?? "",
                  `**${r.total}** (${r.totalCpu})`,
                  r.nBar ?? "",
                  `${r.estimateValue} / ${r.truth}`,
                  r.rssAfterData ?? "",
                  `**${r.peakRss}**`,
                ]
              : [r.name, r.budget, `failed: ${r.error}`, "", "", "", "", "", "", "", "", ""],
          ),
        ),
    );
  }

  if (!args["no-kmedoids"]) {
    const reps = Number(args["kmedoids-reps"]);
    const km = kmedoidsBench({
      root,
      data: args.data as string,
      reps,
      ...(args["kmedoids-data"] !== undefined ? { only: (args["kmedoids-data"] as string).split(",") } : {}),
      noLargeK: Boolean(args["no-large-k"]),
    });
    record.kmedoids = km;
    out.push(kmedoidsReport(km, reps));
  }

  if (!args["no-pca"]) {
    process.stderr.write("PCA imputation …\n");
    const rows = pcaBench((args["pca-data"] as string).split(","), seed, Number(args["pca-reps"]));
    record.pca = rows;
    out.push(
      `## PCA imputation: row loops in WebAssembly and in TypeScript (interpolation trial 0, targets known on 20 examples; median CPU s of ${args["pca-reps"]} interleaved rounds)\n\n` +
        table(
          ["data", "rows × examples", "c", "rounds", "WebAssembly s", "TypeScript s", "ratio", "same filled matrix"],
          rows.flatMap((r) =>
            r.note !== undefined
              ? [[r.data, r.note, "", "", "", "", "", ""]]
              : (r.cells ?? []).map((x, i) => [
                  i === 0 ? r.data : "",
                  i === 0 ? (r.shape ?? "") : "",
                  x.c,
                  x.rounds,
                  `**${x.wasm}**`,
                  x.ts,
                  `${round(x.ts / x.wasm, 2)}×`,
                  x.same ? "yes" : "**no**",
                ]),
          ),
        ),
    );
  }

  if (!args["no-ridge"]) {
    process.stderr.write("ridge LOO …\n");
    const rows = ridgeBench((args["pca-data"] as string).split(","), seed, Number(args["pca-reps"]));
    record.ridge = rows;
    out.push(
      `## Ridge exact LOO: RidgeWorkspace.solveColumns with and without its kernel (interpolation trial 0's sources, 2000 random subsets of k examples, alphas 0.1/1/10; median CPU µs a subset of ${args["pca-reps"]} interleaved rounds)\n\n` +
        table(
          [
            "data",
            "sources × examples",
            "k",
            "with kernel µs",
            "TypeScript µs",
            "ratio",
            "same LOO errors",
            "one-off fit µs: default / TypeScript",
          ],
          rows.flatMap((r) =>
            r.note !== undefined
              ? [[r.data, r.note, "", "", "", "", "", ""]]
              : (r.cells ?? []).map((x, i) => [
                  i === 0 ? r.data : "",
                  i === 0 ? (r.shape ?? "") : "",
                  x.k,
                  `**${x.wasm}**`,
                  x.ts,
                  `${round(x.ts / x.wasm, 2)}×`,
                  x.same ? "yes" : "**no**",
                  `${x.freshDefault} / ${x.freshTs}`,
                ]),
          ),
        ),
    );
  }

  if (!args["no-gpirt"]) {
    process.stderr.write("gp-IRT calibration …\n");
    const rows = gpIrtBench((args["gpirt-data"] as string).split(","), seed);
    record.gpIrt = rows;
    out.push(
      `## gp-IRT calibration (interpolation split, trial 0, seed ${seed}, default options)\n\n` +
        table(
          [
            "data",
            "sources × examples",
            "d",
            "calibration + estimate CPU s (wall s)",
            "estimate only (reused) CPU s",
            "with `--irt-early-stop`: d, calibration + estimate CPU s (wall s)",
          ],
          rows.map((r) =>
            r.note !== undefined
              ? [r.data, r.note, "", "", "", ""]
              : [
                  r.data,
                  r.shape ?? "",
                  String(r.dim),
                  `**${r.calibrateCpu}** (${r.calibrateWall})`,
                  r.reuseCpu ?? "",
                  `${String(r.stopDim)}, **${r.stopCpu}** (${r.stopWall})`,
                ],
          ),
        ),
    );
  }

  record.machine = {
    ...(record.machine as object),
    loadavgEnd: loadavg().map((x) => round(x, 2)),
  };
  process.stdout.write(`${out.join("\n\n")}\n`);
  const file =
    args.out ?? join(root, "bench-results", `${started.toISOString().replace(/[:.]/g, "-").slice(0, 19)}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
}

await main();
