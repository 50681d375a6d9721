/**
 * Accuracy check of the baselines on the shared GSM8K matrix against the paper's Table 6
 * (docs/METHOD.md §11). Not a test: it takes minutes.
 *
 *   cd /work/main && npx tsx --conditions=@tb/source research/paper-gsm8k/check-gsm8k.ts \
 *     [--methods random,anchor-points,gp-irt] [--budgets 20,40] [--trials 5] [--seed 0] [--csv path]
 *     [--gp '{"fitMethod":"vi"}'] [--ap '{"algorithm":"pam"}']
 */
import { readFileSync } from "node:fs";
import { type AnchorPointsOptions, anchorPoints, type GpIrtOptions, gpIrt, randomBaseline } from "@tb/baselines";
import { CorrectnessMatrix, createOracle, type EvaluationMethod, RandomStream } from "@tb/core";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? (process.argv[i + 1] as string) : dflt;
}

const csvPath = arg("csv", "/work/shared/data/gsm8k/correctness.csv");
const methods = arg("methods", "random,anchor-points,gp-irt").split(",");
const budgets = arg("budgets", "20,40").split(",").map(Number);
const trials = Number(arg("trials", "5"));
const seed = Number(arg("seed", "0"));
const gpOptions = JSON.parse(arg("gp", "{}")) as GpIrtOptions;
const apOptions = JSON.parse(arg("ap", "{}")) as AnchorPointsOptions;

const lines = readFileSync(csvPath, "utf8").trim().split(/\r?\n/);
const header = (lines[0] as string).split(",");
const exampleIds = header.slice(1);
const srcIds: string[] = [];
const tgtIds: string[] = [];
const srcRows: number[][] = [];
const tgtRows: number[][] = [];
for (const line of lines.slice(1)) {
  const cells = line.split(",");
  const id = cells[0] as string;
  const row = cells.slice(1).map(Number);
  if (id.includes("-src-")) {
    srcIds.push(id);
    srcRows.push(row);
  } else {
    tgtIds.push(id);
    tgtRows.push(row);
  }
}
const sources = CorrectnessMatrix.from(srcRows, { modelIds: srcIds, exampleIds, name: "gsm8k-sources" });
const truth = tgtRows.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
console.log(`GSM8K: ${sources.rows} sources, ${tgtRows.length} targets, ${sources.cols} examples`);

/** Kendall τ-b (docs/METHOD.md §9 item 3), O(n²); NaN → 0. */
function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let P = 0;
  let Q = 0;
  let Tx = 0;
  let Ty = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign((x[i] as number) - (x[j] as number));
      const dy = Math.sign((y[i] as number) - (y[j] as number));
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) Tx++;
      else if (dy === 0) Ty++;
      else if (dx === dy) P++;
      else Q++;
    }
  }
  const t = (P - Q) / Math.sqrt((P + Q + Tx) * (P + Q + Ty));
  return Number.isNaN(t) ? 0 : t;
}

function meanSe(v: number[]): string {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  return `${m.toFixed(4)} ± ${(sd / Math.sqrt(v.length)).toFixed(4)}`;
}

const paper: Record<string, Record<number, string>> = {
  random: { 20: ".811/.062", 40: ".858/.044" },
  "anchor-points": { 20: ".786/.087", 40: ".799/.071" },
  "gp-irt": { 20: ".787/.055", 40: ".858/.034" },
};

const factories: Record<string, () => EvaluationMethod> = {
  random: () => randomBaseline(),
  "anchor-points": () => anchorPoints(apOptions),
  "gp-irt": () => gpIrt(gpOptions),
};

for (const name of methods) {
  const make = factories[name];
  if (!make) throw new Error(`unknown method ${name}`);
  const method = make();
  for (const N of budgets) {
    const taus: number[] = [];
    const maes: number[] = [];
    const times: number[] = [];
    let diag = "";
    for (let trial = 0; trial < trials; trial++) {
      const oracles = tgtRows.map((r, t) => createOracle(r, N, tgtIds[t]));
      const t0 = performance.now();
      const res = method.run({ sources, oracles, budget: N, rng: RandomStream.derive(seed, name, N, trial) });
      times.push((performance.now() - t0) / 1000);
      const est = res.estimates;
      taus.push(kendallTauB(est, truth));
      maes.push(truth.reduce((a, v, t) => a + Math.abs((est[t] as number) - v), 0) / truth.length);
      if (oracles.some((o) => o.queried > N)) throw new Error("budget exceeded");
      if (trial === 0 && res.diagnostics) {
        const d = res.diagnostics;
        diag = Object.entries(d)
          .map(
            ([k, v]) =>
              `${k}=${Array.isArray(v) ? `[${v.map((x) => +x.toFixed(4)).join(",")}]` : typeof v === "number" ? +v.toFixed(4) : v}`,
          )
          .join(" ");
      }
    }
    const later = times.length > 1 ? times.slice(1) : times;
    console.log(
      `${name} N=${N} trials=${trials}: tau-b ${meanSe(taus)}  MAE ${meanSe(maes)}  (paper ${paper[name]?.[N] ?? "?"})` +
        `  first trial ${(times[0] as number).toFixed(2)} s, later ${(later.reduce((a, b) => a + b, 0) / later.length).toFixed(2)} s/trial`,
    );
    if (diag) console.log(`  diagnostics (trial 0): ${diag}`);
  }
}
