/**
 * The "Paired comparisons" tables of docs/RESULTS.md from `tb reproduce --pairs --json` files:
 * pair order per method, and the paired designs' difference coverage and width.
 *
 *     pnpm exec tsx --conditions=@tb/source research/paired/paired-table.ts docs/results/paired/*.json
 *
 * A file of the same name in `independent/` beside a record (tailored-plus run with
 * `--independent-draws` on the same pairs) adds the column "tailored-plus, independent".
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { ReproduceReport } from "@tb/experiment";

const files = process.argv.slice(2);
const pm = (m: { mean: number; se: number } | null | undefined, scale = 1, digits = 3) =>
  m ? `${(m.mean * scale).toFixed(digits)} ± ${(m.se * scale).toFixed(digits)}` : "—";
const INDEPENDENT = "tailored-plus, independent";
const runs = files.map((f) => {
  const r = JSON.parse(readFileSync(f, "utf8")) as ReproduceReport;
  const ind = join(dirname(f), "independent", basename(f));
  if (existsSync(ind)) {
    const cells = (JSON.parse(readFileSync(ind, "utf8")) as ReproduceReport).results.filter(
      (c) => c.method === "tailored-plus",
    );
    r.results.push(...cells.map((c) => ({ ...c, method: INDEPENDENT })));
  }
  return { name: basename(f, ".json"), r };
});
const methods = ["paired", "paired-random", "tailored-plus", INDEPENDENT, "random"].filter((m) =>
  runs.some(({ r }) => r.results.some((c) => c.method === m)),
);
const budgets = [...new Set(runs.flatMap(({ r }) => r.results.map((c) => c.budget)))].sort((a, b) => a - b);
const order = ["interpolation", "extrapolation"];
runs.sort(
  (a, b) => order.indexOf(a.r.data.split) - order.indexOf(b.r.data.split) || a.r.data.name.localeCompare(b.r.data.name),
);

console.log("Pair order (share of pairs ≥ 5 pp apart in truth whose estimated difference has the right sign):\n");
console.log(`| matrix | setting | N | pairs/trial | ${methods.join(" | ")} |`);
console.log(`|---|---|---|---|${methods.map(() => "---").join("|")}|`);
for (const { r } of runs) {
  for (const b of budgets) {
    const cell = (m: string) => r.results.find((c) => c.method === m && c.budget === b);
    const shares = methods.map((m) => cell(m)?.pairOrder?.share ?? null);
    const best = Math.max(...shares.map((s) => s?.mean ?? -1));
    const row = shares.map((s) => (s && s.mean === best ? `**${pm(s)}**` : pm(s)));
    console.log(
      `| ${r.data.name} | ${r.data.split} | ${b} | ${(cell(methods[0] as string)?.pairOrder?.pairs ?? 0).toFixed(1)} | ${row.join(" | ")} |`,
    );
  }
}
console.log(
  "\nDifference intervals of the paired designs (90 %): coverage (%) and width; MAE of each model's estimate:\n",
);
console.log(
  "| matrix | setting | N | paired coverage | paired width | paired-random coverage | paired-random width | MAE paired | MAE paired-random | MAE tailored-plus |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const { r } of runs) {
  for (const b of budgets) {
    const cell = (m: string) => r.results.find((c) => c.method === m && c.budget === b);
    const p = cell("paired");
    const q = cell("paired-random");
    console.log(
      `| ${r.data.name} | ${r.data.split} | ${b} | ${pm(p?.differenceCoverage, 100, 1)} | ${pm(p?.differenceWidth)} | ${pm(q?.differenceCoverage, 100, 1)} | ${pm(q?.differenceWidth)} | ${pm(p?.mae, 1, 4)} | ${pm(q?.mae, 1, 4)} | ${pm(cell("tailored-plus")?.mae, 1, 4)} |`,
    );
  }
}
