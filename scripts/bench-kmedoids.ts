/**
 * The K-Medoids section of `pnpm bench` (issue 22): `@tb/kmedoids` against a native yardstick.
 *
 * 1. FasterPAM side by side with an independent C implementation (`../shared/bench/pamref/`,
 *    compiled here with gcc when both are present; the section says so and skips the C columns
 *    otherwise). Same matrices, same initial medoids (the start `kmedoids(d, k, { method:
 *    "fasterpam" })` draws with seed 0), same acceptance and tie rules: every implementation makes
 *    the same swaps, which the bench checks (swaps, medoids in slot order, cost), so a time
 *    difference is the cost per operation. Matrices: GSM8K's 1319 examples (Manhattan over all its
 *    models' standardised correctness) and uniform 10-D points (Euclidean) for n = 1000, 2000, 5000,
 *    all rounded to the exact grid (docs/METHOD.md §9.18); k = 10, 30, 100. Timed per cell:
 *    - C scalar / C simd: the clustering alone (initial assignment to convergence), as the C program
 *      reports it (CPU time of its process; wall kept in the JSON record);
 *    - core loop: the package's FasterPAM loop on the grid matrix (`fasterPamCore`, from the
 *      initial assignment to convergence, its buffers allocated inside the timing as C's are) with
 *      its WebAssembly kernel (wasm/phi.wat), the matrix already in the kernel's memory as C's is in
 *      its own (written there untimed, one kernel per matrix, read once before each run);
 *    - TS loop: the same with the TypeScript loop (the reference and fallback), on the same matrix;
 *    - one call: `kmedoids(d, k, { method: "fasterpam" })` on the same grid matrix, everything
 *      included (checks, start, search, labels and cost): as a plain Float64Array (the TypeScript
 *      loop; nothing copied), and in a `kernelMatrix(n)` filled untimed (the wasm kernel checks and
 *      clusters it in place).
 *    Before each timed run the matrix is read once, untimed, as the C program does with its copy.
 *    Times are CPU seconds (wall in the JSON record). Runs are interleaved (every cell and implementation once per round, the order rotated per
 *    round) and the median of the rounds is reported: other work on the machine then hits every
 *    column alike, and the ratios are what to read.
 * 2. Large k: K = 300 medoids over synthetic binary matrices (150 models; n = 5000 and 12,000
 *    examples), Manhattan over the example embedding (packed bits), the way the package clusters
 *    more than 3000 points (`claraSampling`: CLARA samples), distances included: embedding +
 *    CLARA + assignment of all points, wall and CPU.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RandomStream, range } from "@tb/core";
import { distanceSource, exampleEmbedding } from "@tb/embedding";
import { syntheticPopulation } from "@tb/experiment";
import { loadDataset } from "@tb/io";
import { assign, clara, claraSampling, kernelMatrix, kmedoids, quantizeDistances } from "@tb/kmedoids";
// the package's internal loop (not exported): what the C program times
import { fasterPamCore } from "../packages/kmedoids/src/fasterpam.js";
import { kernelOf, type PhiKernel } from "../packages/kmedoids/src/phi-kernel.js";

export interface KMedoidsBenchOptions {
  /** Repository root (the C yardstick is looked up at `../shared/bench/pamref` from it). */
  root: string;
  /** GSM8K data directory. */
  data: string;
  /** Interleaved rounds per cell (median reported). */
  reps: number;
  /** Data sets to run (names of {@link DATA}); all when empty. */
  only?: string[];
  /** Skip the large-k cases. */
  noLargeK?: boolean;
  /** ks of the large-k cases' CLARA algorithm: "pam", "fasterpam" or both. */
  largeKAlgorithms?: ("pam" | "fasterpam")[];
}

export interface KMedoidsCellResult {
  data: string;
  n: number;
  k: number;
  swaps: number;
  passes: number;
  /** median CPU seconds (C: of its process; TS: of this process, all threads); undefined when not run */
  cSimd?: number;
  cScalar?: number;
  core: number;
  /** the core loop with the TypeScript pass instead of the wasm kernel */
  coreTs: number;
  oneCall: number;
  /** `kmedoids()` on the matrix in a `kernelMatrix` */
  oneCallKernel: number;
  /** whether the core loop ran the wasm kernel (false: this runtime has none; core = TS loop) */
  wasm: boolean;
  /** all runs, CPU seconds, and their wall seconds */
  runs: Record<string, number[]>;
  wall: Record<string, number[]>;
  /** same swaps, medoids and cost in every implementation */
  same: boolean;
  mismatch?: string;
}

export interface LargeKResult {
  n: number;
  models: number;
  K: number;
  algorithm: "pam" | "fasterpam" | "fasterpam, all points";
  sampleSize: number;
  subRuns: number;
  /** wall seconds: embedding (packing), CLARA (distances of the samples included), assignment */
  embedding: number;
  clara: number;
  assign: number;
  total: number;
  cpu: number;
  cost: number;
}

const KS = [10, 30, 100];
const DATA = ["gsm8k", "uniform-1000", "uniform-2000", "uniform-5000"];

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Reads every entry (the matrix then starts as warm in the caches as the C program's). */
function touch(d: Float64Array): number {
  let s = 0;
  for (let t = 0; t < d.length; t++) s += d[t] as number;
  return s;
}
let sink = 0;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/** Σ_j min_i d(med_i, j), summed in point order (as the C program and the package do). */
function costOf(d: Float64Array, n: number, med: ArrayLike<number>): number {
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < med.length; i++) {
    const row = (med[i] as number) * n;
    for (let j = 0; j < n; j++) if ((d[row + j] as number) < (best[j] as number)) best[j] = d[row + j] as number;
  }
  let c = 0;
  for (let j = 0; j < n; j++) c += best[j] as number;
  return c;
}

/** n uniform points in [0, 1)^10, Euclidean distances, rounded to the exact grid. */
function uniformMatrix(n: number): Float64Array {
  const dim = 10;
  const rng = RandomStream.derive(0, "bench-kmedoids", "uniform", n);
  const x = new Float64Array(n * dim);
  for (let t = 0; t < x.length; t++) x[t] = rng.nextFloat();
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) {
        const u = (x[i * dim + c] as number) - (x[j * dim + c] as number);
        s += u * u;
      }
      const v = Math.sqrt(s);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return quantizeDistances(d, n, d);
}

/** GSM8K's examples: Manhattan over all its models' (standardised) correctness, on the grid. */
function gsm8kMatrix(dir: string): { d: Float64Array; n: number } {
  const ds = loadDataset(dir);
  const src = distanceSource(exampleEmbedding(ds.matrix, range(ds.matrix.rows)), "manhattan");
  const n = src.n;
  const d = src.submatrix(range(n));
  return { d: quantizeDistances(d, n, d), n };
}

/** The start `kmedoids(d, k, { seed: 0, method: "fasterpam" })` draws (CLARA with s = n, one run). */
function kmedoidsStart(n: number, k: number): Int32Array {
  return RandomStream.derive(0, "kmedoids").child("clara", 0).sample(range(n), k);
}

interface CRun {
  seconds: number;
  cpu_seconds: number;
  swaps: number;
  iterations: number;
  cost: number;
  medoids: number[];
}

/** Compiles the C yardstick; undefined (with the reason) when it or gcc is missing. */
function compileYardstick(root: string, dir: string): { bin?: string; note: string } {
  const srcDir = join(root, "../shared/bench/pamref");
  const src = join(srcDir, "fasterpam.c");
  if (!existsSync(src)) return { note: `C yardstick not found (${src}): C columns skipped` };
  const gcc = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  if (gcc.status !== 0) return { note: "gcc not found: C columns skipped" };
  const bin = join(dir, "fasterpam");
  const r = spawnSync("gcc", ["-O3", "-march=native", "-o", bin, src, "-lm"], { encoding: "utf8" });
  if (r.status !== 0) return { note: `gcc failed (${r.stderr.trim().split("\n")[0]}): C columns skipped` };
  return { bin, note: `C yardstick: ${gcc.stdout.split("\n")[0]}, -O3 -march=native` };
}

function runC(bin: string, matFile: string, n: number, initFile: string, variant: string): CRun {
  const r = spawnSync(bin, [matFile, String(n), initFile, "fasterpam", "1e-9", "0", variant], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`C yardstick failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as CRun;
}

export function kmedoidsBench(opts: KMedoidsBenchOptions): {
  note: string;
  cells: KMedoidsCellResult[];
  largeK: LargeKResult[];
} {
  const dir = mkdtempSync(join(tmpdir(), "tb-bench-kmedoids-"));
  try {
    const { bin, note } = compileYardstick(opts.root, dir);
    const names = opts.only !== undefined && opts.only.length > 0 ? DATA.filter((d) => opts.only?.includes(d)) : DATA;
    const mats = new Map<string, { d: Float64Array; n: number; file: string; kernel?: PhiKernel }>();
    for (const name of names) {
      process.stderr.write(`k-medoids: matrix ${name} …\n`);
      const { d, n } =
        name === "gsm8k" ? gsm8kMatrix(opts.data) : { d: uniformMatrix(Number(name.split("-")[1])), n: 0 };
      const size = n || Math.round(Math.sqrt(d.length));
      const file = join(dir, `${name}.bin`);
      if (bin !== undefined) writeFileSync(file, new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      // the wasm kernel's memory holding the matrix (a kernelMatrix), as the C program's holds its
      // copy (made untimed, once per matrix; every k and both kernel columns use it)
      const km = kernelMatrix(size);
      km.set(d);
      const kernel = kernelOf(km, size);
      mats.set(name, { d, n: size, file, ...(kernel !== undefined ? { kernel } : {}) });
    }
    interface Cell {
      data: string;
      n: number;
      k: number;
      d: Float64Array;
      file: string;
      init: Int32Array;
      initFile: string;
      kernel?: PhiKernel;
      runs: Record<string, number[]>;
      wall: Record<string, number[]>;
      ref?: { swaps: number; passes: number; medoids: Int32Array; cost: number };
      mismatch: string[];
    }
    const cells: Cell[] = [];
    for (const [name, m] of mats) {
      for (const k of KS) {
        const init = kmedoidsStart(m.n, k);
        const initFile = join(dir, `${name}-${k}.txt`);
        writeFileSync(initFile, `${Array.from(init).join(" ")}\n`);
        cells.push({
          data: name,
          n: m.n,
          k,
          d: m.d,
          file: m.file,
          init,
          initFile,
          ...(m.kernel !== undefined ? { kernel: m.kernel } : {}),
          runs: {},
          wall: {},
          mismatch: [],
        });
      }
    }
    let wasm = true;
    const impls = ["core", "coreTs", "oneCall", "oneCallKernel", ...(bin !== undefined ? ["cScalar", "cSimd"] : [])];
    // the reference result of each cell (an untimed run of the core loop, also the JIT's warm-up)
    for (const c of cells) {
      const med = Int32Array.from(c.init);
      const r = fasterPamCore(c.d, c.n, med, 0, 100, 1e-9, undefined, undefined, false);
      c.ref = { swaps: r.swaps, passes: r.iterations, medoids: med, cost: costOf(c.d, c.n, med) };
    }
    kmedoids((cells[0] as Cell).d, (cells[0] as Cell).k, { method: "fasterpam" });
    const check = (c: Cell, who: string, swaps: number | undefined, medoids: ArrayLike<number>, cost: number) => {
      const ref = c.ref as NonNullable<Cell["ref"]>;
      const sameMed = medoids.length === ref.medoids.length && ref.medoids.every((v, i) => v === medoids[i]);
      if (!sameMed || cost !== ref.cost || (swaps !== undefined && swaps !== ref.swaps)) {
        c.mismatch.push(
          `${who}: swaps ${swaps ?? "?"} (ref ${ref.swaps}), cost ${cost} (ref ${ref.cost}), medoids ${sameMed ? "same" : "differ"}`,
        );
      }
    };
    for (let rep = 0; rep < opts.reps; rep++) {
      process.stderr.write(`k-medoids: round ${rep + 1}/${opts.reps}\n`);
      for (const [ci, c] of cells.entries()) {
        for (let t = 0; t < impls.length; t++) {
          const impl = impls[(t + rep + ci) % impls.length] as string;
          let sec: number;
          let wall: number;
          // the C program reads its whole matrix before its clock starts: so does this side
          if (impl === "coreTs" || impl === "oneCall") sink += touch(c.d);
          if (impl === "core" || impl === "coreTs") {
            const med = Int32Array.from(c.init);
            const kernel = impl === "core" ? c.kernel : undefined;
            if (impl === "core" && kernel === undefined) wasm = false;
            if (kernel !== undefined) sink += touch(kernel.matrix);
            const q = kernel?.matrix ?? c.d;
            const c0 = cpuMs();
            const t0 = performance.now();
            const r = fasterPamCore(q, c.n, med, 0, 100, 1e-9, undefined, undefined, kernel ?? false);
            wall = (performance.now() - t0) / 1000;
            sec = (cpuMs() - c0) / 1000;
            check(c, impl === "core" ? "core loop" : "TS loop", r.swaps, med, costOf(c.d, c.n, med));
          } else if (impl === "oneCallKernel") {
            // the same call on the matrix in a kernelMatrix (filled untimed, as a caller would have)
            const km = c.kernel?.matrix ?? c.d;
            sink += touch(km);
            const c0 = cpuMs();
            const t0 = performance.now();
            const r = kmedoids(km, c.k, { method: "fasterpam" });
            wall = (performance.now() - t0) / 1000;
            sec = (cpuMs() - c0) / 1000;
            check(c, "kmedoids(kernelMatrix)", undefined, r.medoids, r.cost);
          } else if (impl === "oneCall") {
            const c0 = cpuMs();
            const t0 = performance.now();
            const r = kmedoids(c.d, c.k, { method: "fasterpam" });
            wall = (performance.now() - t0) / 1000;
            sec = (cpuMs() - c0) / 1000;
            check(c, "kmedoids()", undefined, r.medoids, r.cost);
          } else {
            const r = runC(bin as string, c.file, c.n, c.initFile, impl === "cScalar" ? "scalar" : "simd");
            sec = r.cpu_seconds;
            wall = r.seconds;
            check(c, `C ${impl}`, r.swaps, r.medoids, r.cost);
          }
          (c.runs[impl] ??= []).push(sec);
          (c.wall[impl] ??= []).push(wall);
        }
      }
    }
    const out: KMedoidsCellResult[] = cells.map((c) => {
      const ref = c.ref as NonNullable<Cell["ref"]>;
      const r: KMedoidsCellResult = {
        data: c.data,
        n: c.n,
        k: c.k,
        swaps: ref.swaps,
        passes: ref.passes,
        core: median(c.runs.core ?? []),
        coreTs: median(c.runs.coreTs ?? []),
        wasm,
        oneCall: median(c.runs.oneCall ?? []),
        oneCallKernel: median(c.runs.oneCallKernel ?? []),
        runs: c.runs,
        wall: c.wall,
        same: c.mismatch.length === 0,
      };
      if (c.runs.cScalar) r.cScalar = median(c.runs.cScalar);
      if (c.runs.cSimd) r.cSimd = median(c.runs.cSimd);
      if (c.mismatch.length > 0) r.mismatch = c.mismatch.slice(0, 3).join("; ");
      return r;
    });
    mats.clear();
    const largeK = opts.noLargeK ? [] : largeKCases(opts.largeKAlgorithms ?? ["pam", "fasterpam"]);
    if (!(sink >= 0)) throw new Error("bad matrix");
    return { note, cells: out, largeK };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** K = 300 over synthetic binary data, the way the package clusters n > 3000 points (CLARA). */
function largeKCases(algorithms: ("pam" | "fasterpam")[]): LargeKResult[] {
  const out: LargeKResult[] = [];
  const models = 150;
  const K = 300;
  for (const n of [5000, 12000]) {
    const matrix = syntheticPopulation({ models, examples: n, seed: 0, name: `synthetic ${n}` });
    for (const algorithm of algorithms) {
      process.stderr.write(`k-medoids: large k, n = ${n}, ${algorithm} …\n`);
      const c0 = cpuMs();
      let t = performance.now();
      const src = distanceSource(exampleEmbedding(matrix, range(models)), "manhattan");
      const tEmb = performance.now() - t;
      const { sampleSize, subRuns } = claraSampling(n, K);
      t = performance.now();
      const { medoids } = clara(src, {
        k: K,
        sampleSize,
        subRuns,
        rng: RandomStream.derive(0, "bench-kmedoids", "large-k", n),
        select: "last",
        algorithm,
      });
      const tClara = performance.now() - t;
      t = performance.now();
      const { cost } = assign(src, medoids);
      const tAssign = performance.now() - t;
      const r3 = (x: number) => Math.round(x) / 1000;
      out.push({
        n,
        models,
        K,
        algorithm,
        sampleSize,
        subRuns,
        embedding: r3(tEmb),
        clara: r3(tClara),
        assign: r3(tAssign),
        total: r3(tEmb + tClara + tAssign),
        cpu: r3(cpuMs() - c0),
        cost,
      });
    }
    if (n <= 5000) {
      // without CLARA: the n × n matrix and one kmedoids() call on all points
      process.stderr.write(`k-medoids: large k, n = ${n}, kmedoids() on all points …\n`);
      const c0 = cpuMs();
      let t = performance.now();
      const src = distanceSource(exampleEmbedding(matrix, range(models)), "manhattan");
      const d = src.submatrix(range(n));
      const tEmb = performance.now() - t;
      t = performance.now();
      const { cost } = kmedoids(d, K, { method: "fasterpam" });
      const tKm = performance.now() - t;
      const r3 = (x: number) => Math.round(x) / 1000;
      out.push({
        n,
        models,
        K,
        algorithm: "fasterpam, all points",
        sampleSize: n,
        subRuns: 1,
        embedding: r3(tEmb),
        clara: r3(tKm),
        assign: 0,
        total: r3(tEmb + tKm),
        cpu: r3(cpuMs() - c0),
        cost,
      });
    }
  }
  return out;
}

function fmt(x: number | undefined, d = 3): string {
  return x === undefined ? "—" : x.toFixed(d);
}

/** The section as markdown. */
export function kmedoidsReport(r: ReturnType<typeof kmedoidsBench>, reps: number): string {
  const ratio = (a: number, b: number | undefined) => (b === undefined ? "—" : `${(a / b).toFixed(2)}×`);
  const lines = [
    "## K-Medoids: FasterPAM against native C (same matrices, same starts, same swaps)",
    "",
    `${r.note}. Median CPU seconds (C: its process; TS: this process, GC threads included; less inflated than wall time by other work on the machine) of ${reps} interleaved rounds. Core loop = the package's FasterPAM loop on the grid matrix with its WebAssembly kernel, the matrix in the kernel's memory${r.cells.every((c) => c.wasm) ? "" : " (NOT RUN: this runtime has no WebAssembly SIMD; core = TS loop)"}; TS loop = the same with the TypeScript pass; one call = \`kmedoids(d, k, { method: "fasterpam" })\`, all included, on the matrix as a plain Float64Array (TypeScript loop, no copy) and in a \`kernelMatrix(n)\` (checked and clustered by the wasm kernel).`,
    "",
    "| data | n | k | swaps | C simd s | C scalar s | core loop s | TS loop s | one call s | one call, kernelMatrix s | core / C scalar | TS loop / C scalar | core / C simd | one call / C scalar | one call, kernelMatrix / C scalar | same swaps, medoids, cost |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const c of r.cells) {
    lines.push(
      `| ${c.data} | ${c.n} | ${c.k} | ${c.swaps} | ${fmt(c.cSimd)} | ${fmt(c.cScalar)} | ${fmt(c.core)} | ${fmt(c.coreTs)} | ${fmt(c.oneCall)} | ${fmt(c.oneCallKernel)} | ${ratio(c.core, c.cScalar)} | ${ratio(c.coreTs, c.cScalar)} | ${ratio(c.core, c.cSimd)} | ${ratio(c.oneCall, c.cScalar)} | ${ratio(c.oneCallKernel, c.cScalar)} | ${c.same ? "yes" : `NO: ${c.mismatch}`} |`,
    );
  }
  if (r.largeK.length > 0) {
    lines.push(
      "",
      "### Large k: K = 300, synthetic binary (150 models), Manhattan, CLARA samples as the package takes them above 3000 points (`claraSampling`), and at n = 5000 FasterPAM on all points; wall s",
      "",
      "| n | algorithm | sample × sub-runs | embedding (all points: + n × n distances) | CLARA: sample distances + search (all points: `kmedoids()`) | assign all | total (CPU) |",
      "|---:|---|---:|---:|---:|---:|---:|",
    );
    for (const x of r.largeK) {
      lines.push(
        `| ${x.n} | ${x.algorithm} | ${x.sampleSize} × ${x.subRuns} | ${x.embedding} | ${x.clara} | ${x.assign} | **${x.total}** (${x.cpu}) |`,
      );
    }
  }
  return lines.join("\n");
}
