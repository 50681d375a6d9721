/**
 * docs/RESULTS.md "Larger budgets: N = 100 and 300" from the JSON files of
 * research/two-settings/large.sh (docs/results/large/<matrix>-<setting>[-<tag>].json): per matrix
 * and setting one row per method with MAE, Kendall τ-b and pair order (mean ± se) at N = 100 and
 * 300, the lowest MAE of each column in bold; then every method's worst MAE ratio to the best
 * method of a cell (the robustness claim) and tailored-plus's interval coverage and width.
 *
 *   pnpm exec tsx --conditions=@tb/source research/two-settings/large-table.ts
 */
import {
  bestMae,
  byOrder,
  type Cell,
  cellsByMethod,
  f3,
  MATRICES,
  maeTauColumns,
  ORDER,
  type Report,
  readGroups,
  SETTINGS,
} from "./cells.js";

const dir = process.argv.includes("--dir")
  ? (process.argv[process.argv.indexOf("--dir") + 1] as string)
  : "docs/results/large";

const groups = readGroups(dir);

const worst = new Map<string, { ratio: number; where: string; cells: number }>();
const intervals: string[] = [];
let wall = 0;

for (const s of SETTINGS) {
  for (const m of MATRICES) {
    const g = groups.get(`${m}|${s}`);
    if (!g) continue;
    for (const r of g.reports) wall += r.wallSeconds ?? 0;
    // a later file's cells of a method replace the earlier file's (e.g. -plus re-runs tailored-plus)
    const byMethod = cellsByMethod(g.reports);
    const cells = [...byMethod.values()].flat();
    const methods = [...byMethod.keys()].sort(byOrder);
    const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
    const d = (g.reports[0] as Report).data;
    const trials = Math.min(...cells.map((c) => c.trials));
    console.log(
      `\n#### ${m}, ${s} (${d.examples} examples, ${d.sources} sources / ${d.targets} targets, ${trials} trials)\n`,
    );
    console.log(`<!-- ${g.files.join(", ")} -->`);
    const cols = (name: string) => budgets.map((b) => `${name} N=${b}`).join(" | ");
    console.log(`| method | ${cols("MAE")} | ${cols("τ-b")} | ${cols("pair order")} |`);
    console.log(
      `|---|${budgets.map(() => "--:").join("|")}|${budgets.map(() => "--:").join("|")}|${budgets.map(() => "--:").join("|")}|`,
    );
    // with one method there is no cell to compare with yet: no bold, no ratio
    const best = methods.length < 2 ? new Map<number, number>() : bestMae(cells, budgets);
    for (const meth of methods) {
      const row = byMethod.get(meth) as Cell[];
      const at = (b: number) => row.find((c) => c.budget === b);
      for (const b of best.keys()) {
        const c = at(b);
        if (!c) continue;
        const r = c.mae.mean / (best.get(b) as number);
        const w = worst.get(meth) ?? { ratio: 0, where: "", cells: 0 };
        w.cells++;
        if (r > w.ratio) Object.assign(w, { ratio: r, where: `${m} ${s} N=${b}` });
        worst.set(meth, w);
      }
      const { mae, tau } = maeTauColumns(row, budgets, best);
      const pair = budgets.map((b) => {
        const p = at(b)?.pairOrder;
        return p ? f3(p.share) : "";
      });
      console.log(`| ${meth} | ${mae.join(" | ")} | ${tau.join(" | ")} | ${pair.join(" | ")} |`);
      if (meth === "tailored-plus") {
        for (const b of budgets) {
          const c = at(b);
          if (c?.coverage && c.intervalWidth) {
            intervals.push(
              `| ${m} | ${s} | ${b} | ${(c.coverage.mean * 100).toFixed(1)} ± ${(c.coverage.se * 100).toFixed(1)} % | ${c.intervalWidth.mean.toFixed(3)} |`,
            );
          }
        }
      }
    }
  }
}

console.log("\n#### Every method's worst MAE ratio to the best method of a cell\n");
console.log("| method | cells | worst ratio | where |");
console.log("|---|--:|--:|---|");
for (const meth of ORDER.filter((x) => worst.has(x))) {
  const w = worst.get(meth) as { ratio: number; where: string; cells: number };
  console.log(`| ${meth} | ${w.cells} | ${w.ratio.toFixed(2)} | ${w.where} |`);
}
console.log("\n#### tailored-plus's 90 % intervals\n");
console.log("| matrix | setting | N | coverage | width |");
console.log("|---|---|--:|--:|--:|");
for (const l of intervals) console.log(l);
console.log(`\nwall time of the runs: ${(wall / 60).toFixed(1)} min`);
