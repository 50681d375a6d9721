/**
 * Exploration harness for tailored-plus's mode choice and beyond-mode estimator (not a method):
 * per trial and target, the within-mode estimate and several beyond-mode candidates on the same
 * G-set, written as JSON lines for offline analysis (scripts/beyond-explore.py). Reads targets'
 * rows directly (a measurement script, not a method).
 *
 *   tsx --conditions=@tb/source scripts/beyond-explore.ts --data ../shared/data/gsm8k \
 *     --split extrapolation --budgets 20,30,40 --trials 10 --out /tmp/bx/gsm8k-extrapolation.jsonl
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { RandomStream, range } from "@tb/core";
import {
  beyondEstimate,
  designEstimate,
  designFromPicks,
  gsetScores,
  plusWithin,
  probe,
  ridgeLearn,
  selectNatives,
  sourceMeans,
  stratifiedDesign,
  tailor,
} from "@tb/estimate";
import { loadDataset } from "@tb/io";
import { exploreSplit } from "./explore-split.js";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    split: { type: "string" },
    budgets: { type: "string" },
    trials: { type: "string" },
    out: { type: "string" },
    within: { type: "boolean" },
    check: { type: "string" },
  },
});
const ds = loadDataset(values.data as string);
const M = ds.matrix;
const setting = values.split ?? "interpolation";
const budgets = (values.budgets ?? "20,30,40").split(",").map(Number);
const trials = Number(values.trials ?? 10);
// --check r: r of the stratified draws are asked before the mode is chosen (a sequential check);
// the within estimate then keeps the G-set and those r examples as fixed medoids
const check = Number(values.check ?? 0);
const lines: string[] = [];
for (const N of budgets) {
  for (let trial = 0; trial < trials; trial++) {
    const split = exploreSplit(ds, setting, trial);
    const src = M.selectRows(split.source);
    const acc = src.trueScores();
    const n = M.cols;
    const rng = RandomStream.derive(0, "beyond-explore", N, trial);
    const { gset } = probe(src, rng.child("gset"));
    const g = gset.length;
    const srcG = gsetScores(src, gset);
    const diff = sourceMeans(src);
    const design = stratifiedDesign(diff, gset, N - g, rng.child("strata"));
    const observed = Int32Array.from([...gset, ...design.picks]);
    const rc = rng.child("random").sample(range(n), N);
    const targets = Array.from(split.target, (r) => M.row(r));
    const truth = Array.from(split.target, (r) => M.trueScore(r));
    const gAns = targets.map((row) => Float64Array.from(gset, (j) => row[j] as number));
    const sel = values.within ? selectNatives(src, gset, gAns) : undefined;
    targets.forEach((row, t) => {
      const y = Float64Array.from(observed, (j) => row[j] as number);
      const b = beyondEstimate(src, acc, design, gset, observed, y);
      const built = b.accuracy;
      const a10 = designEstimate(src, design, gset, observed, y, 10).accuracy;
      const a100 = designEstimate(src, design, gset, observed, y, 100).accuracy;
      const a1000 = designEstimate(src, design, gset, observed, y, 1000).accuracy;
      // plain stratified mean, G-set pooled into its stratum (no regression)
      const H = design.strata;
      const sum = new Float64Array(H);
      const cnt = new Float64Array(H);
      let exact = 0;
      observed.forEach((x, i) => {
        let h = design.stratumOf[x] as number;
        if (h < 0) {
          exact += y[i] as number;
          h = design.gsetStratum[gset.indexOf(x)] as number;
        }
        sum[h] = (sum[h] as number) + (y[i] as number);
        cnt[h] = (cnt[h] as number) + 1;
      });
      let strat = exact;
      for (let h = 0; h < H; h++)
        if ((cnt[h] as number) > 0) strat += ((design.sizes[h] as number) * (sum[h] as number)) / (cnt[h] as number);
      strat /= n;
      let ym = 0;
      for (const v of y) ym += v;
      ym /= N;
      let rMean = 0;
      for (const j of rc) rMean += row[j] as number;
      rMean /= N;
      let gs = 0;
      for (const v of gAns[t] as Float64Array) gs += v;
      const rec: Record<string, unknown> = {
        data: ds.name,
        setting,
        N,
        trial,
        t,
        truth: truth[t],
        gScore: gs / g,
        srcG: Array.from(srcG).sort((a, b) => a - b),
        srcAccMax: Math.max(...acc),
        built,
        se: b.se,
        a10,
        a100,
        a1000,
        strat,
        obsMean: ym,
        rMean,
      };
      if (check > 0) {
        // the check: the first r stratified draws (in the design's own random order of strata)
        const ck = Int32Array.from(rng.child("check").sample(design.picks, check));
        const fixed = Int32Array.from([...gset, ...ck]);
        const yc = Float64Array.from(fixed, (j) => row[j] as number);
        let sc = 0;
        for (const v of yc) sc += v;
        const srcC = gsetScores(src, fixed);
        rec.cScore = sc / fixed.length;
        rec.srcC = Array.from(srcC).sort((a, b) => a - b);
        // the design estimate and the learned one on G + check alone
        const dck = designFromPicks(diff, gset, ck, Math.min(design.strata, check));
        rec.cDesign = designEstimate(src, dck, gset, fixed, yc, 10).accuracy;
        rec.cLearn = ridgeLearn(src, acc, fixed, yc, [0.1, 1, 10]);
        const sel2 = selectNatives(src, fixed, [yc]);
        const nat2 = sel2.natives[0] as Int32Array;
        const plan2 = tailor(src, fixed, nat2, N, rng.child("nset2", t));
        const y2 = Float64Array.from(plan2.nset, (j) => row[j] as number);
        rec.within2 = plusWithin(src, acc, nat2, plan2.nset, plan2.labels, y2, 0.9).accuracy;
      }
      if (sel) {
        const nat = sel.natives[t] as Int32Array;
        const plan = tailor(src, gset, nat, N, rng.child("nset", t));
        const yy = Float64Array.from(plan.nset, (j) => row[j] as number);
        const w = plusWithin(src, acc, nat, plan.nset, plan.labels, yy, 0.9);
        rec.within = w.accuracy;
        rec.withinLo = w.interval[0];
        rec.withinHi = w.interval[1];
      }
      lines.push(JSON.stringify(rec));
    });
  }
  process.stderr.write(`${ds.name} ${setting} N=${N} done\n`);
}
writeFileSync(values.out as string, `${lines.join("\n")}\n`);
