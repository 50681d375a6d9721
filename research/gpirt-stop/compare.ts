/**
 * gp-IRT with and without `--irt-early-stop` (docs/PERFORMANCE.md, "gp-IRT's early stop"): per matrix,
 * setting and budget, the per-trial τ-b and MAE of both runs (trials pair up: the same seed, split and
 * anchors' stream), their paired differences (stop − default, mean ± standard error), and the wall
 * time of each run (`/usr/bin/time` of `research/gpirt-stop/run.sh`).
 *
 * Run: `npx tsx research/gpirt-stop/compare.ts OUT` (OUT as given to run.sh).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: compare.ts OUT");
interface Cell {
  budget: number;
  kendallTau: { mean: number } | number;
  mae: { mean: number } | number;
  perTrial: { kendallTau: number[]; mae: number[] };
}
const meanSe = (x: number[]) => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
  return [m, Math.sqrt(v / x.length)] as const;
};
const f = (x: number, d: number) => (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(d);
console.log(
  "| matrix | setting | wall s default → stop | N | τ-b default | τ-b stop | Δτ | MAE default | MAE stop | ΔMAE |",
);
console.log("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
for (const m of ["glue_rte", "helm_lite_mmlu", "gsm8k", "openllm_v2_musr"]) {
  for (const s of ["interpolation", "extrapolation"]) {
    const p = (v: string, ext: string) => join(dir, `${m}-${s}-${v}.${ext}`);
    if (!existsSync(p("stop", "json")) || !existsSync(p("default", "json"))) continue;
    const d = JSON.parse(readFileSync(p("default", "json"), "utf8")).results as Cell[];
    const t = JSON.parse(readFileSync(p("stop", "json"), "utf8")).results as Cell[];
    const wall = (v: string) => readFileSync(p(v, "time"), "utf8").trim().split(/\s+/)[0];
    d.forEach((cd, i) => {
      const ct = t[i] as Cell;
      const [td] = meanSe(cd.perTrial.kendallTau);
      const [tt] = meanSe(ct.perTrial.kendallTau);
      const [md] = meanSe(cd.perTrial.mae);
      const [mt] = meanSe(ct.perTrial.mae);
      const [dt, dtse] = meanSe(ct.perTrial.kendallTau.map((x, k) => x - (cd.perTrial.kendallTau[k] as number)));
      const [dm, dmse] = meanSe(ct.perTrial.mae.map((x, k) => x - (cd.perTrial.mae[k] as number)));
      console.log(
        `| ${i === 0 ? m : ""} | ${i === 0 ? s : ""} | ${i === 0 ? `${wall("default")} → ${wall("stop")}` : ""} | ${cd.budget} | ${td.toFixed(3)} | ${tt.toFixed(3)} | ${f(dt, 3)} ± ${dtse.toFixed(3)} | ${md.toFixed(4)} | ${mt.toFixed(4)} | ${f(dm, 4)} ± ${dmse.toFixed(4)} |`,
      );
    });
  }
}
