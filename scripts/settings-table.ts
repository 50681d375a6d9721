/**
 * The two-setting comparison of docs/RESULTS.md from the JSON files of scripts/two-settings.sh:
 * per matrix and setting, one row per method with MAE and Kendall τ-b (mean ± se) at every N, the
 * lowest MAE of each column in bold; a summary of where tailored-plus and faithful TailoredBench
 * rank; and one SVG per setting (MAE against N, one panel per matrix, one line per method).
 *
 *   pnpm exec tsx --conditions=@tb/source scripts/settings-table.ts [--svg-dir docs/results/settings]
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface MeanSe {
  mean: number;
  se: number;
}
interface Cell {
  method: string;
  budget: number;
  trials: number;
  kendallTau: MeanSe;
  mae: MeanSe;
  maxQueried: number;
  seconds: number;
  coverage?: MeanSe;
  intervalWidth?: MeanSe;
  level?: number;
}
interface Report {
  data: { name: string; sources: number; targets: number; split: string };
  results: Cell[];
  wallSeconds?: number;
}

const dir = "docs/results/settings";
const svgDir = process.argv.includes("--svg-dir")
  ? (process.argv[process.argv.indexOf("--svg-dir") + 1] as string)
  : dir;
const MATRICES = ["gsm8k", "helm_lite_mmlu", "glue_rte", "openllm_v2_musr"];
const SETTINGS = ["interpolation", "extrapolation"];
const ORDER = [
  "tailored-plus",
  "tailored",
  "random",
  "random-learn",
  "random-search-learn",
  "aipw",
  "lasso",
  "pca",
  "double-optimize",
  "anchor-points",
  "anchor-predictor",
  "gp-irt",
];

const groups = new Map<string, { reports: Report[]; files: string[] }>();
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith(".json"))
  .sort()) {
  const m = MATRICES.find((x) => f.startsWith(`${x}-`));
  const s = SETTINGS.find((x) => f.includes(`-${x}`));
  if (!m || !s) continue;
  const key = `${m}|${s}`;
  const g = groups.get(key) ?? { reports: [], files: [] };
  g.reports.push(JSON.parse(readFileSync(join(dir, f), "utf8")) as Report);
  g.files.push(f);
  groups.set(key, g);
}

const f4 = (x: MeanSe) => `${x.mean.toFixed(4)} ± ${x.se.toFixed(4)}`;
const f3 = (x: MeanSe) => `${x.mean.toFixed(3)} ± ${x.se.toFixed(3)}`;
let plusBest = 0;
let cellsTotal = 0;
let plusWorstVsRandom = 0;
const summary: string[] = [];
const plotData = new Map<string, Map<string, Cell[]>>(); // setting → matrix → cells

for (const s of SETTINGS) {
  for (const m of MATRICES) {
    const g = groups.get(`${m}|${s}`);
    if (!g) continue;
    // Files in name order; a method found in a later file replaces the earlier file's cells
    // (e.g. `-plus.json` re-runs tailored-plus after a change, `-main.json` holds the rest).
    const byMethod = new Map<string, Cell[]>();
    for (const r of g.reports) {
      const mine = new Map<string, Cell[]>();
      for (const c of r.results) mine.set(c.method, [...(mine.get(c.method) ?? []), c]);
      for (const [m2, cs] of mine) byMethod.set(m2, cs);
    }
    const cells = [...byMethod.values()].flat();
    const methods = [...byMethod.keys()].sort(
      (a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
    );
    const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
    const d = (g.reports[0] as Report).data;
    const trials = Math.min(...cells.map((c) => c.trials));
    console.log(`\n### ${m}, ${s} (${d.sources} sources / ${d.targets} targets, ${trials} trials)\n`);
    console.log(`<!-- ${g.files.join(", ")} -->`);
    console.log(
      `| method | ${budgets.map((b) => `MAE N=${b}`).join(" | ")} | ${budgets.map((b) => `τ-b N=${b}`).join(" | ")} |`,
    );
    console.log(`|---|${budgets.map(() => "--:").join("|")}|${budgets.map(() => "--:").join("|")}|`);
    const best = new Map<number, number>();
    for (const b of budgets) best.set(b, Math.min(...cells.filter((c) => c.budget === b).map((c) => c.mae.mean)));
    for (const meth of methods) {
      const row = byMethod.get(meth) as Cell[];
      const at = (b: number) => row.find((c) => c.budget === b);
      const maeCols = budgets.map((b) => {
        const c = at(b);
        if (!c) return "";
        return c.mae.mean === best.get(b) ? `**${f4(c.mae)}**` : f4(c.mae);
      });
      const tauCols = budgets.map((b) => (at(b) ? f3((at(b) as Cell).kendallTau) : ""));
      console.log(`| ${meth} | ${maeCols.join(" | ")} | ${tauCols.join(" | ")} |`);
    }
    const plus = byMethod.get("tailored-plus");
    const rnd = byMethod.get("random");
    if (plus && rnd) {
      for (const b of budgets) {
        const p = plus.find((c) => c.budget === b);
        const r = rnd.find((c) => c.budget === b);
        if (!p || !r) continue;
        cellsTotal++;
        const rank = 1 + cells.filter((c) => c.budget === b && c.mae.mean < p.mae.mean).length;
        if (rank === 1) plusBest++;
        plusWorstVsRandom = Math.max(plusWorstVsRandom, p.mae.mean / r.mae.mean);
        const cov = (c: Cell | undefined) =>
          c?.coverage
            ? `${(c.coverage.mean * 100).toFixed(1)} ± ${(c.coverage.se * 100).toFixed(1)} % (width ${(c.intervalWidth as MeanSe).mean.toFixed(3)})`
            : "";
        const faithful = byMethod.get("tailored")?.find((c) => c.budget === b);
        summary.push(
          `| ${m} | ${s} | ${b} | ${rank} of ${methods.length} | ${(p.mae.mean / r.mae.mean).toFixed(2)} | ${cov(p)} | ${cov(faithful)} |`,
        );
      }
    }
    const ps = plotData.get(s) ?? new Map<string, Cell[]>();
    ps.set(m, cells);
    plotData.set(s, ps);
  }
}

console.log("\n### tailored-plus in every cell\n");
console.log(
  "| matrix | setting | N | MAE rank | MAE / Random's | 90 % interval coverage (width) | TailoredBench's (`--level 0.9`) |",
);
console.log("|---|---|--:|--:|--:|---|---|");
for (const l of summary) console.log(l);
console.log(
  `\ntailored-plus has the lowest MAE in ${plusBest} of ${cellsTotal} cells; its largest MAE relative to Random's is ${plusWorstVsRandom.toFixed(2)}×.`,
);

// SVG: one file per setting, one panel per matrix, MAE against N.
const COLORS = [
  "#d62728",
  "#1f77b4",
  "#7f7f7f",
  "#2ca02c",
  "#98df8a",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#bcbd22",
  "#17becf",
  "#000000",
];
for (const [s, perMatrix] of plotData) {
  const W = 300;
  const H = 240;
  const pad = 44;
  const methods = ORDER.filter((me) => [...perMatrix.values()].some((cs) => cs.some((c) => c.method === me)));
  let body = "";
  [...perMatrix.entries()].forEach(([m, cells], k) => {
    const x0 = (k % 2) * W;
    const y0 = Math.floor(k / 2) * H;
    const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
    // cap the axis at 3× the best cell so a collapsed method does not flatten the rest
    const lo = Math.min(...cells.map((c) => c.mae.mean - c.mae.se));
    const hi = Math.min(
      Math.max(...cells.map((c) => c.mae.mean + c.mae.se)),
      3 * Math.min(...cells.map((c) => c.mae.mean)),
    );
    const bx = (b: number) =>
      x0 +
      pad +
      ((b - (budgets[0] as number)) / Math.max(1, (budgets.at(-1) as number) - (budgets[0] as number))) * (W - 2 * pad);
    const by = (v: number) => y0 + H - pad - ((Math.min(v, hi) - lo) / Math.max(1e-9, hi - lo)) * (H - 2 * pad);
    body += `<text x="${x0 + W / 2}" y="${y0 + 18}" text-anchor="middle" font-size="13">${m}</text>`;
    body += `<line x1="${x0 + pad}" y1="${y0 + H - pad}" x2="${x0 + W - pad}" y2="${y0 + H - pad}" stroke="#333"/>`;
    body += `<line x1="${x0 + pad}" y1="${y0 + pad}" x2="${x0 + pad}" y2="${y0 + H - pad}" stroke="#333"/>`;
    for (const b of budgets)
      body += `<text x="${bx(b)}" y="${y0 + H - pad + 14}" text-anchor="middle" font-size="10">${b}</text>`;
    for (const v of [lo, (lo + hi) / 2, hi])
      body += `<text x="${x0 + pad - 3}" y="${by(v) + 3}" text-anchor="end" font-size="9">${v.toFixed(3)}</text>`;
    body += `<text x="${x0 + W / 2}" y="${y0 + H - 10}" text-anchor="middle" font-size="10">N (MAE; axis capped at 3× the best)</text>`;
    methods.forEach((me, i) => {
      const cs = cells.filter((c) => c.method === me).sort((a, b) => a.budget - b.budget);
      if (cs.length === 0) return;
      const col = COLORS[i % COLORS.length];
      const w = me === "tailored-plus" ? 3 : 1.5;
      body += `<polyline fill="none" stroke="${col}" stroke-width="${w}" points="${cs.map((c) => `${bx(c.budget)},${by(c.mae.mean)}`).join(" ")}"/>`;
    });
  });
  const legend = methods
    .map(
      (me, i) =>
        `<text x="${2 * W + 8}" y="${40 + 16 * i}" font-size="11" fill="${COLORS[i % COLORS.length]}">${me}</text>`,
    )
    .join("");
  const rows = Math.ceil(perMatrix.size / 2);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W + 150}" height="${rows * H}" font-family="sans-serif">
<title>MAE against N, ${s} setting</title>
<rect width="100%" height="100%" fill="white"/>${body}${legend}
</svg>
`;
  writeFileSync(join(svgDir, `mae-${s}.svg`), svg);
}
