/**
 * Exploration harness for tailored-plus's mode choice and beyond-mode estimator (not a method):
 * per trial and target, the within-mode estimate and several beyond-mode candidates on the same
 * G-set, written as JSON lines for offline analysis (research/tailored-plus/beyond-explore.py). Reads targets'
 * rows directly (a measurement script, not a method).
 *
 *   tsx --conditions=@tb/source research/tailored-plus/beyond-explore.ts --data ../shared/data/gsm8k \
 *     --split extrapolation --budgets 20,30,40 --trials 10 --out /tmp/bx/gsm8k-extrapolation.jsonl
 *
 * --within: the within estimate too (and its interval); --check r: a random check before the
 * choice; --blend: every source as a pseudo-target on the beyond design (blend weights, interval
 * scales) and, for the within estimate, the conformal scale over groups of sources and the
 * coreset scores; --seq f: tailored-plus's second look with share f (both of its outcomes).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { RandomStream, range } from "@tb/core";
import { probe, selectNatives, tailor } from "@tb/estimate";
import {
  beyondEstimate,
  conformalHalfWidth,
  designEstimate,
  designFromPicks,
  gsetScores,
  learnedEstimate,
  plusWithin,
  ridgeLearn,
  sourceMeans,
  stratifiedDesign,
} from "@tb/estimate/internals";
import { loadDataset } from "@tb/io";
import { ridgeLoo, ridgePredict } from "@tb/linear";
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
    blend: { type: "boolean" },
    seq: { type: "string" },
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
    // --blend: every source as a pseudo-target on the beyond design — its leave-one-out design
    // estimate and learned estimate — to choose the blend weight of an in-range beyond estimate
    const GRID = [1, 0.75, 0.5, 0.25, 0];
    let lamAll = 0.5;
    let lamTop = 0.5;
    let avgErr = new Float64Array(0);
    if (values.blend) {
      const S = src.rows;
      const k = observed.length;
      const X = new Float64Array(S * k);
      for (let s = 0; s < S; s++)
        for (let i = 0; i < k; i++) X[s * k + i] = src.data[s * n + (observed[i] as number)] as number;
      const loo = ridgeLoo(X, S, k, acc, [0.1, 1, 10]);
      const sq = loo.squaredErrors[loo.alphaIndex] as Float64Array;
      const errL = new Float64Array(S);
      const errD = new Float64Array(S);
      for (let s = 0; s < S; s++) {
        const row = X.subarray(s * k, (s + 1) * k);
        const r = (acc[s] as number) - ridgePredict(loo.fit, row);
        errL[s] = -Math.sign(r) * Math.sqrt(sq[s] as number);
        errD[s] = designEstimate(src, design, gset, observed, row, 10, s).accuracy - (acc[s] as number);
      }
      const q75 = [...srcG].sort((a, b) => a - b)[Math.floor(0.75 * (S - 1))] as number;
      const pick = (who: number[]) => {
        let best = Infinity;
        let lam = 1;
        for (const l of GRID) {
          let e = 0;
          for (const s of who) e += Math.abs(l * (errL[s] as number) + (1 - l) * (errD[s] as number));
          if (e < best - 1e-12) {
            best = e;
            lam = l;
          }
        }
        return lam;
      };
      lamAll = pick(Array.from(range(S)));
      avgErr = Float64Array.from(errL, (e, s) => (e + (errD[s] as number)) / 2);
      lamTop = pick(Array.from(range(S)).filter((s) => (srcG[s] as number) >= q75));
    }
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
        if (values.blend) {
          // where the within interval's scale comes from: conformal half-widths over subsets of the sources
          const le = learnedEstimate(src, acc, nat, plan.nset, plan.labels, yy, [0.1, 1, 10]);
          const S = src.rows;
          const sortedG = [...srcG].sort((a, b) => a - b);
          const qv = sortedG[Math.floor(0.75 * (S - 1))] as number;
          const isNat = new Uint8Array(S);
          for (const s of nat) isNat[s] = 1;
          const sub = (f: (s: number) => boolean) =>
            Float64Array.from(Array.from(range(S)).filter(f), (s) => le.errors[s] as number);
          rec.hwAll = conformalHalfWidth(le.errors, 0.9);
          rec.hwLow = conformalHalfWidth(
            sub((s) => (srcG[s] as number) < qv),
            0.9,
          );
          rec.hwNonNat = conformalHalfWidth(
            sub((s) => isNat[s] === 0),
            0.9,
          );
          rec.hwNat = conformalHalfWidth(
            sub((s) => isNat[s] === 1),
            0.9,
          );
          rec.nNat = nat.length;
          rec.blendW = le.blend;
          rec.wLearned = le.learned;
          rec.wCal = le.calibrated;
          // the target's score on its coreset against the sources' on the same examples
          let sc = 0;
          for (const v of yy) sc += v;
          rec.nScore = sc / yy.length;
          rec.srcN = Array.from(gsetScores(src, plan.nset)).sort((a, b) => a - b);
        }
      }
      if (values.blend) {
        const learnB = ridgeLearn(src, acc, observed, y, [0.1, 1, 10]);
        rec.learnB = learnB;
        rec.lamAll = lamAll;
        rec.lamTop = lamTop;
        const inRange = a10 <= Math.max(...acc);
        const c = (v: number) => Math.min(1, Math.max(0, v));
        rec.inRange = inRange;
        rec.dse = designEstimate(src, design, gset, observed, y, 10).se;
        rec.hwAvg = conformalHalfWidth(avgErr, 0.9);
        rec.builtAll = inRange ? c(lamAll * learnB + (1 - lamAll) * c(a10)) : c(a10);
        rec.builtTop = inRange ? c(lamTop * learnB + (1 - lamTop) * c(a10)) : c(a10);
      }
      if (values.seq && sel) {
        // --seq f: a second look for a target in the sources' top quartile on the G-set: m = ⌈f·(N − g)⌉
        // more medoids of its tailored coreset first; then either the rest of the tailored coreset
        // (within) or stratified draws around the examples already answered (beyond)
        const nat = sel.natives[t] as Int32Array;
        const m = Math.ceil(Number(values.seq) * (N - g));
        const p1 = tailor(src, gset, nat, g + m, rng.child("seq1", t));
        const y1 = Float64Array.from(p1.nset, (j) => row[j] as number);
        let s1 = 0;
        for (const v of y1) s1 += v;
        rec.sScore = s1 / y1.length;
        rec.srcS = Array.from(gsetScores(src, p1.nset)).sort((a, b) => a - b);
        const fixed = Int32Array.from(p1.nset);
        const p2 = tailor(src, fixed, nat, N, rng.child("seq2", t));
        const y2 = Float64Array.from(p2.nset, (j) => row[j] as number);
        rec.seqWithin = plusWithin(src, acc, nat, p2.nset, p2.labels, y2, 0.9).accuracy;
        if (N - g - m >= 1) {
          const d2 = stratifiedDesign(diff, fixed, N - g - m, rng.child("seq-strata"));
          const obs2 = Int32Array.from([...fixed, ...d2.picks]);
          const yb = Float64Array.from(obs2, (j) => row[j] as number);
          const bb = beyondEstimate(src, acc, d2, fixed, obs2, yb);
          rec.seqBeyond = bb.accuracy;
          rec.seqBeyondSe = bb.se;
          const bg = beyondEstimate(src, acc, d2, fixed, obs2, yb, 10, [0.1, 1, 10], g);
          rec.seqBeyondG = bg.accuracy;
          rec.seqBeyondGSe = bg.se;
        } else {
          rec.seqBeyond = rec.seqWithin;
          rec.seqBeyondG = rec.seqWithin;
        }
      }
      lines.push(JSON.stringify(rec));
    });
  }
  process.stderr.write(`${ds.name} ${setting} N=${N} done\n`);
}
writeFileSync(values.out as string, `${lines.join("\n")}\n`);
