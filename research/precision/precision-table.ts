/**
 * docs/RESULTS.md "Precision on demand" from docs/results/precision/<matrix>-<setting>-p<P>.json
 * (`tb reproduce --precision P --max-budget M`, research/precision/precision.sh): one row per
 * matrix, setting, P and method with coverage, examples asked, share that reached P, MAE and τ-b
 * (mean ± se over trials); "bound" is simple random sampling's z²·p(1−p)/P² at p = 0.5 with the
 * finite-population correction, z at the level (no correction for looks).
 *
 *   pnpm exec tsx --conditions=@tb/source research/precision/precision-table.ts [--dir docs/results/precision]
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { normalQuantile } from "@tb/core";

interface MeanSe {
  mean: number;
  se: number;
}
interface Cell {
  method: string;
  coverage: MeanSe;
  asked: MeanSe;
  reachedPrecision: MeanSe;
  mae: MeanSe;
  kendallTau: MeanSe;
  level: number;
  precision: number;
  maxBudget: number;
}
interface Report {
  data: { examples: number };
  results: Cell[];
}

const dir = process.argv.includes("--dir")
  ? (process.argv[process.argv.indexOf("--dir") + 1] as string)
  : "docs/results/precision";
const MATRICES = ["gsm8k", "helm_lite_mmlu", "glue_rte", "openllm_v2_musr"];
const SETTINGS = ["interpolation", "extrapolation"];
const PS = ["0.05", "0.03"];
const f = (x: MeanSe, d: number, scale = 1) => `${(x.mean * scale).toFixed(d)} ± ${(x.se * scale).toFixed(d)}`;

console.log("| matrix | setting | P | M | bound | method | coverage (%) | asked | reached | MAE | τ-b |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
const ratios: string[] = [];
for (const m of MATRICES) {
  for (const s of SETTINGS) {
    for (const p of PS) {
      const file = join(dir, `${m}-${s}-p${p}.json`);
      if (!existsSync(file)) continue;
      const r = JSON.parse(readFileSync(file, "utf8")) as Report;
      const n = r.data.examples;
      let asked: Record<string, number> = {};
      for (const c of r.results) {
        const z = normalQuantile(0.5 + c.level / 2);
        const n0 = (z * z * 0.25) / (c.precision * c.precision);
        const bound = Math.ceil(n0 / (1 + (n0 - 1) / n));
        asked = { ...asked, [c.method]: c.asked.mean };
        console.log(
          `| ${m} | ${s.slice(0, 6)}. | ${p} | ${c.maxBudget} | ${bound} | ${c.method} | ${f(c.coverage, 1, 100)} | ${f(c.asked, 0)} | ${f(c.reachedPrecision, 2)} | ${f(c.mae, 4)} | ${f(c.kendallTau, 3)} |`,
        );
      }
      const plus = asked["tailored-plus"];
      const rnd = asked.random;
      if (plus !== undefined && rnd !== undefined) ratios.push(`${m} ${s} ${p}: ${(plus / rnd).toFixed(2)}`);
    }
  }
}
console.log(`\nasked by tailored-plus / asked by random: ${ratios.join("; ")}`);
