/**
 * Exploration harness for tailored-plus (not a method): per trial and target, candidate estimates on
 * a tailored coreset, a random coreset and a G-set + stratified coreset, written as JSON lines for
 * offline analysis. Reads targets' rows directly (it is a measurement script, not a method).
 *
 *   tsx --conditions=@tb/source research/tailored-plus/plus-explore.ts --data ../shared/data/gsm8k --split extrapolation \
 *     --budgets 20,30,40 --trials 10 --out /tmp/plus/gsm8k-extrapolation.jsonl
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type CorrectnessMatrix, RandomStream, range, Workspace } from "@tb/core";
import { probe, selectNatives, tailor } from "@tb/estimate";
import { estimateFromClusters, nativeMean, ridgeLearn } from "@tb/estimate/internals";
import { loadDataset } from "@tb/io";
import { ridgeFit } from "@tb/linear";
import { exploreSplit } from "./explore-split.js";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    split: { type: "string" },
    budgets: { type: "string" },
    trials: { type: "string" },
    out: { type: "string" },
  },
});
const ds = loadDataset(values.data as string);
const M = ds.matrix;
const setting = values.split ?? "interpolation";
const budgets = (values.budgets ?? "20,30,40").split(",").map(Number);
const trials = Number(values.trials ?? 10);

/** Model-level ridge (rows = sources, features = coreset answers, label = accuracy), α by LOO. */
function learn(src: CorrectnessMatrix, acc: Float64Array, cols: ArrayLike<number>, y: ArrayLike<number>): number {
  return ridgeLearn(src, acc, cols, y, [0.1, 1, 10]);
}

/** Ridge on the residual acc(s) − base(s) (features = coreset answers), α by LOO; returns base_t + prediction. */
function learnOffset(
  src: CorrectnessMatrix,
  acc: Float64Array,
  cols: ArrayLike<number>,
  y: ArrayLike<number>,
  baseSrc: Float64Array,
  baseT: number,
): number {
  const res = Float64Array.from(acc, (a, s) => a - (baseSrc[s] as number));
  return baseT + learn(src, res, cols, y);
}

/** Linear base w·answers for every source. */
function linBase(src: CorrectnessMatrix, cols: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const n = src.cols;
  return Float64Array.from({ length: src.rows }, (_, s) => {
    let t = 0;
    for (let j = 0; j < cols.length; j++) t += (w[j] as number) * (src.data[s * n + (cols[j] as number)] as number);
    return t;
  });
}

/** Example-level ridge (rows = coreset examples, features = sources' answers), α = 10: p̂ for every example. */
function exampleRidge(src: CorrectnessMatrix, cols: ArrayLike<number>, y: ArrayLike<number>, alpha = 10): Float64Array {
  const S = src.rows;
  const n = src.cols;
  const k = cols.length;
  const X = new Float64Array(k * S);
  for (let i = 0; i < k; i++)
    for (let s = 0; s < S; s++) X[i * S + s] = src.data[s * n + (cols[i] as number)] as number;
  const fit = ridgeFit(X, k, S, y, alpha);
  const p = new Float64Array(n).fill(fit.intercept);
  for (let s = 0; s < S; s++) {
    const b = fit.coef[s] as number;
    if (b === 0) continue;
    for (let x = 0; x < n; x++) p[x] = (p[x] as number) + b * (src.data[s * n + x] as number);
  }
  return p;
}

const lines: string[] = [];
for (const N of budgets) {
  const workspace = new Workspace(); // what the trials share (G-set and native-set sources, buffers)
  for (let trial = 0; trial < trials; trial++) {
    const split = exploreSplit(ds, setting, trial);
    const src = M.selectRows(split.source);
    const acc = src.trueScores();
    const n = M.cols;
    const rng = RandomStream.derive(0, "plus-explore", N, trial);
    const { gset } = probe(src, rng.child("gset"), { workspace });
    const g = gset.length;
    const targets = Array.from(split.target, (r) => M.row(r));
    const truth = Array.from(split.target, (r) => M.trueScore(r));
    const gAns = targets.map((row) => Array.from(gset, (j) => row[j] as number));
    const sel = selectNatives(src, gset, gAns);
    // sources' G-scores
    const srcG = Array.from({ length: src.rows }, (_, s) => {
      let t = 0;
      for (const j of gset) t += src.data[s * n + j] as number;
      return t / g;
    });
    const srcMean = new Float64Array(n); // per-example source mean (difficulty)
    for (let s = 0; s < src.rows; s++)
      for (let x = 0; x < n; x++) srcMean[x] = (srcMean[x] as number) + (src.data[s * n + x] as number) / src.rows;
    // shared random coreset
    const rc = rng.child("random").sample(range(n), N);
    // stratified over non-G examples: strata = quantiles of srcMean; H strata = N − g (one per draw), proportional allocation
    const isG = new Uint8Array(n);
    for (const j of gset) isG[j] = 1;
    const rest = Array.from(range(n)).filter((x) => isG[x] === 0);
    rest.sort((a, b) => (srcMean[a] as number) - (srcMean[b] as number) || a - b);
    const H = Math.max(1, Math.min(5, Math.floor((N - g) / 4)));
    const strata: number[][] = Array.from({ length: H }, (_, h) =>
      rest.slice(Math.floor((h * rest.length) / H), Math.floor(((h + 1) * rest.length) / H)),
    );
    const alloc = strata.map((s) => Math.floor(((N - g) * s.length) / rest.length));
    let left = N - g - alloc.reduce((a, b) => a + b, 0);
    for (let h = 0; left > 0; h = (h + 1) % H, left--) alloc[h] = (alloc[h] as number) + 1;
    const srng = rng.child("strat");
    const picks = strata.map((s, h) => Array.from(srng.sample(Int32Array.from(s), alloc[h] as number)));
    const scs = [...gset, ...picks.flat()];
    targets.forEach((row, t) => {
      const natives = sel.natives[t] as Int32Array;
      const plan = tailor(src, gset, natives, N, rng.child("nset", t), { workspace });
      const y = Array.from(plan.nset, (j) => row[j] as number);
      const mBar = nativeMean(src, natives);
      const cal = estimateFromClusters(mBar, plan.nset, plan.labels, y).accuracy;
      const med = estimateFromClusters(mBar, plan.nset, plan.labels, y, { estimator: "medoid" }).accuracy;
      const tLearn = learn(src, acc, plan.nset, y);
      // cluster-weighted difference estimator with example-level ridge
      const p = exampleRidge(src, plan.nset, y);
      const K = plan.nset.length;
      const size = new Float64Array(K);
      for (let x = 0; x < n; x++) size[plan.labels[x] as number] = (size[plan.labels[x] as number] as number) + 1;
      let pm = 0;
      for (let x = 0; x < n; x++) pm += p[x] as number;
      pm /= n;
      let corr = 0;
      for (let s = 0; s < K; s++)
        corr += ((size[s] as number) / n) * ((y[s] as number) - (p[plan.nset[s] as number] as number));
      const tDr = pm + corr;
      // natives-mean as predictor inside the difference estimator
      let mm = 0;
      for (let x = 0; x < n; x++) mm += mBar[x] as number;
      mm /= n;
      let corr2 = 0;
      for (let s = 0; s < K; s++)
        corr2 += ((size[s] as number) / n) * ((y[s] as number) - (mBar[plan.nset[s] as number] as number));
      const tDrNat = mm + corr2;
      // random coreset
      const ry = Array.from(rc, (j) => row[j] as number);
      const rMean = ry.reduce((a, b) => a + b, 0) / N;
      const rLearn = learn(src, acc, rc, ry);
      const rp = exampleRidge(src, rc, ry);
      const rcSet = new Uint8Array(n);
      for (const j of rc) rcSet[j] = 1;
      let pr = 0;
      for (let x = 0; x < n; x++) if (rcSet[x] === 0) pr += rp[x] as number;
      pr /= n - N;
      let res = 0;
      for (let i = 0; i < N; i++) res += (ry[i] as number) - (rp[rc[i] as number] as number);
      res /= N;
      const rAipw = res / (1 + N / (n - N)) + pr;
      // G + stratified: G exact, strata estimated with ridge correction (ridge fitted on all observed)
      const sy = scs.map((j) => row[j] as number);
      const sp = exampleRidge(src, scs, sy);
      let sEst = 0;
      for (const j of gset) sEst += row[j] as number;
      let sMean = sEst;
      strata.forEach((st, h) => {
        const pk = picks[h] as number[];
        if (pk.length === 0) return;
        let ph = 0;
        for (const x of st) ph += sp[x] as number;
        let rh = 0;
        let mh = 0;
        for (const x of pk) {
          rh += (row[x] as number) - (sp[x] as number);
          mh += row[x] as number;
        }
        sEst += ph + (st.length * rh) / pk.length;
        sMean += (st.length * mh) / pk.length;
      });
      sEst /= n;
      sMean /= n;
      const sLearn = learn(src, acc, scs, sy);
      // offset learners
      const wMed = Float64Array.from(size, (v) => v / n);
      const tOffMed = learnOffset(src, acc, plan.nset, y, linBase(src, plan.nset, wMed), med);
      const calSrc = Float64Array.from(
        { length: src.rows },
        (_, s2) =>
          estimateFromClusters(
            mBar,
            plan.nset,
            plan.labels,
            Array.from(plan.nset, (j) => src.data[s2 * n + j] as number),
          ).accuracy,
      );
      const tOffCal = learnOffset(src, acc, plan.nset, y, calSrc, cal);
      const rOff = learnOffset(src, acc, rc, ry, linBase(src, rc, new Float64Array(N).fill(1 / N)), rMean);
      const wS = new Float64Array(scs.length);
      for (let i = 0; i < g; i++) wS[i] = 1 / n;
      let off2 = g;
      strata.forEach((st, h) => {
        const pk = picks[h] as number[];
        for (let i = 0; i < pk.length; i++) wS[off2 + i] = st.length / pk.length / n;
        off2 += pk.length;
      });
      const sOff = learnOffset(src, acc, scs, sy, linBase(src, scs, wS), sMean);
      // design-based with G counted in its difficulty stratum's residual mean
      const gStratum = new Map<number, number>();
      strata.forEach((st, h) => {
        const lo = srcMean[st[0] as number] as number;
        const hi = srcMean[st[st.length - 1] as number] as number;
        for (const j of gset)
          if (!gStratum.has(j) && (srcMean[j] as number) >= lo && (srcMean[j] as number) <= hi) gStratum.set(j, h);
      });
      let sEst2 = 0;
      for (const j of gset) sEst2 += row[j] as number;
      strata.forEach((st, h) => {
        const obs = [...(picks[h] as number[]), ...gset.filter((j) => gStratum.get(j) === h)];
        if (obs.length === 0) return;
        let ph = 0;
        for (const x of st) ph += sp[x] as number;
        let rh = 0;
        for (const x of obs) rh += (row[x] as number) - (sp[x] as number);
        sEst2 += ph + (st.length * rh) / obs.length;
      });
      sEst2 /= n;
      const gScore = (gAns[t] as number[]).reduce((a, b) => a + b, 0) / g;
      const yMeanT = y.reduce((a, b) => a + b, 0) / N;
      lines.push(
        JSON.stringify({
          data: ds.name,
          setting,
          N,
          trial,
          t,
          truth: truth[t],
          gScore,
          srcGMax: Math.max(...srcG),
          srcGSorted: srcG.slice().sort((a, b) => a - b),
          srcAccMax: Math.max(...acc),
          nBar: sel.nBar,
          fallback: sel.fallback,
          tCoreMean: yMeanT,
          cal,
          med,
          tLearn,
          tDr,
          tDrNat,
          rMean,
          rLearn,
          rAipw,
          sEst,
          sMean,
          sLearn,
          tOffMed,
          tOffCal,
          rOff,
          sOff,
          sEst2,
        }),
      );
    });
  }
  process.stderr.write(`${ds.name} ${setting} N=${N} done\n`);
}
writeFileSync(values.out as string, `${lines.join("\n")}\n`);
