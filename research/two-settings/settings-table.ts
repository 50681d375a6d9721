/**
 * The two-setting comparison of docs/RESULTS.md from the JSON files of research/two-settings/two-settings.sh:
 * per matrix and setting, one row per method with MAE and Kendall τ-b (mean ± se) at every N, the
 * lowest MAE of each column in bold; a summary of where tailored-plus and faithful TailoredBench
 * rank; and one SVG per setting (MAE against N, one panel per matrix, one line per method).
 *
 *   pnpm exec tsx --conditions=@tb/source research/two-settings/settings-table.ts [--svg-dir docs/results/settings]
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CellSummary } from "@tb/experiment";
import { budgetGridSpec, renderSvg } from "@tb/plot";
import {
  bestMae,
  byOrder,
  type Cell,
  cellsByMethod,
  MATRICES,
  type MeanSe,
  maeTauColumns,
  ORDER,
  type Report,
  readGroups,
  SETTINGS,
} from "./cells.js";

const dir = "docs/results/settings";
const svgDir = process.argv.includes("--svg-dir")
  ? (process.argv[process.argv.indexOf("--svg-dir") + 1] as string)
  : dir;

const groups = readGroups(dir);

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
    const byMethod = cellsByMethod(g.reports);
    const cells = [...byMethod.values()].flat();
    const methods = [...byMethod.keys()].sort(byOrder);
    const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
    const d = (g.reports[0] as Report).data;
    const trials = Math.min(...cells.map((c) => c.trials));
    console.log(`\n### ${m}, ${s} (${d.sources} sources / ${d.targets} targets, ${trials} trials)\n`);
    console.log(`<!-- ${g.files.join(", ")} -->`);
    console.log(
      `| method | ${budgets.map((b) => `MAE N=${b}`).join(" | ")} | ${budgets.map((b) => `τ-b N=${b}`).join(" | ")} |`,
    );
    console.log(`|---|${budgets.map(() => "--:").join("|")}|${budgets.map(() => "--:").join("|")}|`);
    const best = bestMae(cells, budgets);
    for (const meth of methods) {
      const { mae, tau } = maeTauColumns(byMethod.get(meth) as Cell[], budgets, best);
      console.log(`| ${meth} | ${mae.join(" | ")} | ${tau.join(" | ")} |`);
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

// SVG: one file per setting, one panel per matrix, MAE against N (± se), drawn by @tb/plot.
for (const [s, perMatrix] of plotData) {
  const methods = ORDER.filter((me) => [...perMatrix.values()].some((cs) => cs.some((c) => c.method === me)));
  const spec = budgetGridSpec(
    [...perMatrix.entries()].map(([m, cells]) => ({ title: m, cells: cells as unknown as CellSummary[] })),
    {
      methods,
      capAtBest: 3,
      highlight: "tailored-plus",
      title: `MAE against N, ${s} setting (mean ± se; each axis capped at 3× its best cell)`,
    },
  );
  writeFileSync(join(svgDir, `mae-${s}.svg`), await renderSvg(spec));
}
