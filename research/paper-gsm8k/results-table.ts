/**
 * Turn reproduce/ablate JSON files into the markdown tables of docs/RESULTS.md, next to the
 * paper's numbers (docs/METHOD.md §11) with the differences and the acceptance tolerances.
 *
 *   pnpm exec tsx --conditions=@tb/source research/paper-gsm8k/results-table.ts docs/results/<file>.json …
 */
import { readFileSync } from "node:fs";

/** Paper Table 6 (GSM8K), τ-b / MAE at N = 20..40. */
const PAPER: Record<string, Record<number, [number, number]>> = {
  random: { 20: [0.811, 0.062], 25: [0.828, 0.055], 30: [0.839, 0.052], 35: [0.847, 0.049], 40: [0.858, 0.044] },
  "anchor-points": { 20: [0.786, 0.087], 25: [0.791, 0.079], 30: [0.796, 0.073], 35: [0.8, 0.071], 40: [0.799, 0.071] },
  "gp-irt": { 20: [0.787, 0.055], 25: [0.807, 0.047], 30: [0.829, 0.041], 35: [0.842, 0.038], 40: [0.858, 0.034] },
  tailored: { 20: [0.852, 0.035], 25: [0.858, 0.034], 30: [0.863, 0.033], 35: [0.869, 0.031], 40: [0.878, 0.029] },
};
/** Acceptance tolerances (docs/METHOD.md §11): |Δτ|, |ΔMAE|. */
const TOL: Record<string, [number, number]> = {
  random: [0.015, 0.004],
  tailored: [0.015, 0.004],
  "anchor-points": [0.03, 0.006],
  "gp-irt": [0.04, 0.008],
};

interface Cell {
  method: string;
  budget: number;
  trials: number;
  variant?: string;
  kendallTau: { mean: number; se: number };
  mae: { mean: number; se: number };
  maxQueried: number;
  seconds: number;
  nBar?: { mean: number; se: number };
}

const f = (x: number, d: number) => x.toFixed(d);
const sign = (x: number, d: number) => `${x >= 0 ? "+" : ""}${x.toFixed(d)}`;

for (const file of process.argv.slice(2)) {
  const j = JSON.parse(readFileSync(file, "utf8")) as { results: Cell[]; study?: string; wallSeconds?: number };
  console.log(`\n<!-- ${file}${j.wallSeconds ? `, wall ${j.wallSeconds.toFixed(0)} s` : ""} -->`);
  if (j.study) {
    console.log("| variant | N | trials | τ-b (mean ± se) | MAE (mean ± se) | n̄ | max queried |");
    console.log("|---|--:|--:|--:|--:|--:|--:|");
    for (const c of j.results) {
      console.log(
        `| ${c.variant} | ${c.budget} | ${c.trials} | ${f(c.kendallTau.mean, 3)} ± ${f(c.kendallTau.se, 3)} | ${f(c.mae.mean, 4)} ± ${f(c.mae.se, 4)} | ${c.nBar ? f(c.nBar.mean, 1) : ""} | ${c.maxQueried} |`,
      );
    }
    continue;
  }
  console.log(
    "| method | N | trials | τ-b (mean ± se) | paper τ-b | Δτ | MAE (mean ± se) | paper MAE | ΔMAE | within tolerance | max queried |",
  );
  console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|--:|");
  for (const c of j.results) {
    const p = PAPER[c.method]?.[c.budget];
    const tol = TOL[c.method];
    const dt = p ? c.kendallTau.mean - p[0] : Number.NaN;
    const dm = p ? c.mae.mean - p[1] : Number.NaN;
    const ok = p && tol ? (Math.abs(dt) <= tol[0] && Math.abs(dm) <= tol[1] ? "yes" : "**no**") : "";
    console.log(
      `| ${c.method} | ${c.budget} | ${c.trials} | ${f(c.kendallTau.mean, 3)} ± ${f(c.kendallTau.se, 3)} | ${p ? f(p[0], 3) : ""} | ${p ? sign(dt, 3) : ""} | ${f(c.mae.mean, 4)} ± ${f(c.mae.se, 4)} | ${p ? f(p[1], 3) : ""} | ${p ? sign(dm, 4) : ""} | ${ok} | ${c.maxQueried} |`,
    );
  }
}
