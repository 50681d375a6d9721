/**
 * The table of docs/TAILORED-PLUS.md "Ranks in extrapolation" from ranks.ts's JSON files: τ-b and
 * pair order of each variant, per matrix and N.
 *
 *     pnpm exec tsx --conditions=@tb/source research/tailored-plus/ranks-table.ts docs/results/ranks/*.json
 */
import { readFileSync } from "node:fs";

interface Cell {
  budget: number;
  kendallTau: { mean: number; se: number };
  mae: { mean: number; se: number };
  pairOrder?: { share: { mean: number; se: number } | null };
}
interface Run {
  data: string;
  variants: { variant: string; results: Cell[] }[];
}
const runs = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, "utf8")) as Run);
const names = runs[0]?.variants.map((v) => v.variant) ?? [];
const pm = (m: { mean: number; se: number } | null | undefined, d = 3) =>
  m ? `${m.mean.toFixed(d)} ± ${m.se.toFixed(d)}` : "—";
for (const [title, f] of [
  ["Kendall τ-b among the targets", (c: Cell) => pm(c.kendallTau)],
  ["MAE", (c: Cell) => pm(c.mae, 4)],
  ["Pair order (all target pairs ≥ 5 pp apart)", (c: Cell) => pm(c.pairOrder?.share)],
] as const) {
  console.log(`${title}:\n`);
  console.log(`| matrix | N | ${names.join(" | ")} |`);
  console.log(`|---|---|${names.map(() => "---").join("|")}|`);
  for (const r of runs) {
    for (const b of r.variants[0]?.results.map((c) => c.budget) ?? []) {
      const cells = r.variants.map((v) => {
        const c = v.results.find((x) => x.budget === b);
        return c ? f(c) : "—";
      });
      console.log(`| ${r.data} | ${b} | ${cells.join(" | ")} |`);
    }
  }
  console.log("");
}
