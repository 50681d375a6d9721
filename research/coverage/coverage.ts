/**
 * Empirical coverage of the intervals of `estimateInterval` (@tb/estimate) on `../shared/data`.
 *
 * Protocol (single-target mode, as `tb tailor` runs by default): for each data set and seed, the
 * models are split into sources and held-out targets (GSM8K: the paper's meta split, the same for
 * every seed; the others: a seeded random half, `randomSplit(models, 0.5, seed, 0)`). The G-set
 * comes from the sources (`RandomStream.derive(seed).child("gset")`); every target, alone, gets
 * its native sources, its N-set (`.child("nset", 0)`, exactly as `tb tailor --seed <seed>`), its
 * estimate and its interval. A target counts as covered when its true score lies in the interval.
 * Coverage is the mean over seeds of the per-seed share of covered targets, ± std(ddof=0)/√seeds
 * (docs/METHOD.md §4). Targets whose native set is empty (n̄ = 0, `E_DEGENERATE`) are counted apart.
 *
 * Run: `cd /work/main && npx tsx --conditions=@tb/source research/coverage/coverage.ts [--seeds 5]
 * [--budgets 20,30,40] [--out docs/results/intervals.md]`.
 */
import { parseArgs } from "node:util";
import { RandomStream, TbError, Workspace } from "@tb/core";
import { estimate, estimateInterval, probe, selectNatives, tailor } from "@tb/estimate";
import { DEFAULT_INTERVAL_SCALE, normalQuantile } from "@tb/estimate/internals";
import { randomSplit } from "@tb/experiment";
import { loadDataset, writeFileAtomic } from "@tb/io";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "5" },
    budgets: { type: "string", default: "20,30,40" },
    levels: { type: "string", default: "0.8,0.95" },
    scales: { type: "string", default: "0.7,0.75,0.8,0.85,0.9,1" },
    data: { type: "string", default: "../shared/data" },
    datasets: { type: "string", default: "gsm8k,helm_lite_mmlu,openllm_v2_musr,glue_rte" },
    out: { type: "string" },
  },
  strict: true,
});
const seeds = Number(values.seeds);
const budgets = values.budgets.split(",").map(Number);
const levels = values.levels.split(",").map(Number);
const scales = values.scales.split(",").map(Number);

interface Rec {
  dataset: string;
  seed: number;
  budget: number;
  est: number;
  truth: number;
  /** Unscaled standard error; NaN when the interval is null. */
  se: number;
}

const workspace = new Workspace(); // what the calls share (buffers; sources of the same matrix)
const recs: Rec[] = [];
const degenerate = new Map<string, number>();
const splitName = new Map<string, string>();
const t0 = Date.now();
for (const name of values.datasets.split(",")) {
  const ds = loadDataset(`${values.data}/${name}`);
  splitName.set(name, ds.split ? "meta" : "random ½");
  for (let seed = 0; seed < seeds; seed++) {
    const split = ds.split ?? randomSplit(ds.matrix.rows, 0.5, seed, 0);
    const sources = ds.matrix.selectRows(split.source);
    const rng = RandomStream.derive(seed);
    const { gset } = probe(sources, rng.child("gset"), { workspace });
    for (const tr of split.target) {
      const row = ds.matrix.row(tr);
      const gAnswers = Array.from(gset, (j) => row[j] as number);
      let natives: Int32Array;
      try {
        natives = selectNatives(sources, gset, [gAnswers], { targetPooling: "single" }).natives[0] as Int32Array;
      } catch (err) {
        if (err instanceof TbError && err.code === "E_DEGENERATE") {
          degenerate.set(name, (degenerate.get(name) ?? 0) + budgets.length);
          continue;
        }
        throw err;
      }
      for (const budget of budgets) {
        const plan = tailor(sources, gset, natives, budget, rng.child("nset", 0), { workspace });
        const answers = Array.from(plan.nset, (j) => row[j] as number);
        const est = estimate(sources, plan, answers).accuracy;
        const iv = estimateInterval(sources, plan, est);
        recs.push({
          dataset: name,
          seed,
          budget,
          est,
          truth: ds.matrix.trueScore(tr),
          se: iv.interval === null ? Number.NaN : iv.se,
        });
      }
    }
    process.stderr.write(`${name} seed ${seed} done (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
}

/** Coverage (mean ± se over seeds), mean width and count for a group of records. */
function summarise(group: Rec[], level: number, scale: number): { cov: number; se: number; width: number; n: number } {
  const z = normalQuantile((1 + level) / 2);
  const perSeed = new Map<number, { hit: number; n: number }>();
  let width = 0;
  for (const r of group) {
    let lo = 0;
    let hi = 1;
    if (!Number.isNaN(r.se)) {
      lo = Math.max(0, r.est - z * scale * r.se);
      hi = Math.min(1, r.est + z * scale * r.se);
    }
    width += hi - lo;
    const s = perSeed.get(r.seed) ?? { hit: 0, n: 0 };
    s.n++;
    if (r.truth >= lo && r.truth <= hi) s.hit++;
    perSeed.set(r.seed, s);
  }
  const covs = [...perSeed.values()].map((s) => s.hit / s.n);
  const mean = covs.reduce((a, b) => a + b, 0) / covs.length;
  const sd = Math.sqrt(covs.reduce((a, b) => a + (b - mean) ** 2, 0) / covs.length);
  return { cov: mean, se: sd / Math.sqrt(covs.length), width: width / group.length, n: group.length };
}

const pct = (x: number) => (100 * x).toFixed(1);
const lines: string[] = [];
const command =
  `cd /work/main && npx tsx --conditions=@tb/source research/coverage/coverage.ts ${process.argv.slice(2).join(" ")}`.trim();
lines.push("# Interval coverage of `tb estimate`");
lines.push("");
lines.push(
  `Generated by \`${command}\` (${seeds} seeds; budgets ${budgets.join(", ")}; ` +
    `scale ${DEFAULT_INTERVAL_SCALE}, the library default; ${((Date.now() - t0) / 1000).toFixed(0)} s).`,
);
lines.push("");
lines.push(
  "Single-target mode (`tb tailor`'s default). GSM8K uses the paper's source/target split (the seed varies the G-set " +
    "and N-set draws); the other matrices a seeded random half of the models as targets per seed. Coverage is the " +
    "share of held-out targets whose true score lies in the interval: mean over seeds ± std(ddof=0)/√seeds. " +
    "Width is the mean interval width in accuracy points (0–1 scale). The interval is " +
    "`P̂ ± z·scale·√(r² + V)` (`estimateInterval`, see `packages/estimate/README.md`).",
);
lines.push("");
lines.push("| data | split | N | targets×seeds | MAE | 80 % coverage | 80 % width | 95 % coverage | 95 % width |");
lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|");
const datasets = [...new Set(recs.map((r) => r.dataset))];
for (const d of datasets) {
  for (const b of [...budgets, 0]) {
    const g = recs.filter((r) => r.dataset === d && (b === 0 || r.budget === b));
    if (g.length === 0) continue;
    const mae = g.reduce((a, r) => a + Math.abs(r.est - r.truth), 0) / g.length;
    const cells = levels.map((lv) => {
      const s = summarise(g, lv, DEFAULT_INTERVAL_SCALE);
      return `${pct(s.cov)} ± ${pct(s.se)} | ${s.width.toFixed(3)}`;
    });
    lines.push(
      `| ${d} | ${splitName.get(d)} | ${b === 0 ? "all" : b} | ${g.length} | ${mae.toFixed(3)} | ${cells.join(" | ")} |`,
    );
  }
}
const allRows = recs;
lines.push(
  `| **all** | | all | ${allRows.length} | ${(allRows.reduce((a, r) => a + Math.abs(r.est - r.truth), 0) / allRows.length).toFixed(3)} | ${levels
    .map((lv) => {
      const s = summarise(allRows, lv, DEFAULT_INTERVAL_SCALE);
      return `${pct(s.cov)} ± ${pct(s.se)} | ${s.width.toFixed(3)}`;
    })
    .join(" | ")} |`,
);
lines.push("");
if (degenerate.size > 0) {
  lines.push(
    `Left out (n̄ = 0 in single-target mode, \`tb tailor\` refuses them with exit 2): ${[...degenerate]
      .map(([d, k]) => `${d} ${k / budgets.length} target-seeds`)
      .join(", ")}.`,
  );
  lines.push("");
}
lines.push("## Choice of the scale");
lines.push("");
lines.push(
  "The scale multiplies the standard error. It was chosen on GSM8K alone (0.75 and 0.8 bring both levels equally " +
    "close to nominal there; 0.8 errs on the wide side); the other three matrices are out of sample for it. Coverage (all budgets) by scale:",
);
lines.push("");
lines.push(`| data | ${scales.map((s) => `scale ${s}: 80 % / 95 %`).join(" | ")} |`);
lines.push(`|---|${scales.map(() => "---:").join("|")}|`);
for (const d of datasets) {
  const g = recs.filter((r) => r.dataset === d);
  lines.push(
    `| ${d} | ${scales.map((sc) => levels.map((lv) => pct(summarise(g, lv, sc).cov)).join(" / ")).join(" | ")} |`,
  );
}
lines.push("");
lines.push("## Reading it");
lines.push("");
lines.push(
  "- The interval is for one target's true score given its plan; coverage is averaged over targets and over the " +
    "seeded G-set/N-set draws.\n" +
    "- Coverage drifts down as N grows on every matrix: the standard error shrinks with more clusters faster than " +
    "the real error does (the calibration bias of the native set does not shrink with N).\n" +
    "- One constant scale cannot fit every benchmark: HELM-Lite MMLU (83 models, 567 examples across 5 subjects) " +
    "comes out short, MuSR (429 models, large native sets) and RTE wide at 80 %.",
);
lines.push("");
const text = `${lines.join("\n")}\n`;
process.stdout.write(text);
if (values.out !== undefined) writeFileAtomic(values.out, text);
