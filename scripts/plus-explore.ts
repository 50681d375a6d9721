/**
 * Exploration harness for tailored-plus (not a method): per trial and target, candidate estimates on
 * a tailored coreset, a random coreset and a G-set + stratified coreset, written as JSON lines for
 * offline analysis. Reads targets' rows directly (it is a measurement script, not a method).
 *
 *   tsx --conditions=@tb/source scripts/plus-explore.ts --data ../shared/data/gsm8k --split extrapolation \
 *     --budgets 20,30,40 --trials 10 --out /tmp/plus/gsm8k-extrapolation.jsonl
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type CorrectnessMatrix, RandomStream, range } from "@tb/core";
import { estimateFromClusters, nativeMean, probe, selectNatives, tailor } from "@tb/estimate";
import { extrapolationSplit, randomSplit, type Split } from "@tb/experiment";
import { loadDataset } from "@tb/io";

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

/** Solve (A) x = b for SPD A (n×n row-major) by Cholesky, in place on copies. */
function cholSolve(A: Float64Array, n: number, b: Float64Array): Float64Array {
  const L = Float64Array.from(A);
  for (let j = 0; j < n; j++) {
    let d = L[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (L[j * n + k] as number) ** 2;
    d = Math.sqrt(Math.max(d, 1e-300));
    L[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let s = L[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (L[i * n + k] as number) * (L[j * n + k] as number);
      L[i * n + j] = s / d;
    }
  }
  const y = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = y[i] as number;
    for (let k = 0; k < i; k++) s -= (L[i * n + k] as number) * (y[k] as number);
    y[i] = s / (L[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (L[k * n + i] as number) * (y[k] as number);
    y[i] = s / (L[i * n + i] as number);
  }
  return y;
}

/** Model-level ridge (rows = sources, features = coreset answers, label = accuracy), α by LOO. */
function learn(src: CorrectnessMatrix, acc: Float64Array, cols: ArrayLike<number>, y: ArrayLike<number>): number {
  const S = src.rows;
  const k = cols.length;
  const n = src.cols;
  const X = new Float64Array(S * k);
  const xm = new Float64Array(k);
  let am = 0;
  for (let s = 0; s < S; s++) {
    am += acc[s] as number;
    for (let j = 0; j < k; j++) {
      const v = src.data[s * n + (cols[j] as number)] as number;
      X[s * k + j] = v;
      xm[j] = (xm[j] as number) + v;
    }
  }
  am /= S;
  for (let j = 0; j < k; j++) xm[j] = (xm[j] as number) / S;
  for (let s = 0; s < S; s++) for (let j = 0; j < k; j++) X[s * k + j] = (X[s * k + j] as number) - (xm[j] as number);
  const G = new Float64Array(k * k);
  const r = new Float64Array(k);
  for (let s = 0; s < S; s++) {
    const ys = (acc[s] as number) - am;
    for (let i = 0; i < k; i++) {
      const xi = X[s * k + i] as number;
      r[i] = (r[i] as number) + xi * ys;
      for (let j = 0; j < k; j++) G[i * k + j] = (G[i * k + j] as number) + xi * (X[s * k + j] as number);
    }
  }
  let best = Infinity;
  let bestW: Float64Array | undefined;
  for (const alpha of [0.1, 1, 10]) {
    const A = Float64Array.from(G);
    for (let i = 0; i < k; i++) A[i * k + i] = (A[i * k + i] as number) + alpha;
    const w = cholSolve(A, k, r);
    // LOO: h_s = x_s A^{-1} x_sᵀ + 1/S
    let loo = 0;
    for (let s = 0; s < S; s++) {
      const xs = X.subarray(s * k, s * k + k);
      const z = cholSolve(A, k, xs);
      let h = 1 / S;
      let pred = am;
      for (let i = 0; i < k; i++) {
        h += (xs[i] as number) * (z[i] as number);
        pred += (xs[i] as number) * (w[i] as number);
      }
      const e = ((acc[s] as number) - pred) / (1 - h);
      loo += e * e;
    }
    if (loo < best) {
      best = loo;
      bestW = w;
    }
  }
  let est = am;
  for (let i = 0; i < k; i++) est += ((y[i] as number) - (xm[i] as number)) * ((bestW as Float64Array)[i] as number);
  return est;
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
  // feature means over the k rows
  const fm = new Float64Array(S);
  let ym = 0;
  for (let i = 0; i < k; i++) {
    ym += y[i] as number;
    const c = cols[i] as number;
    for (let s = 0; s < S; s++) fm[s] = (fm[s] as number) + (src.data[s * n + c] as number);
  }
  ym /= k;
  for (let s = 0; s < S; s++) fm[s] = (fm[s] as number) / k;
  const K = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let d = 0;
      const ci = cols[i] as number;
      const cj = cols[j] as number;
      for (let s = 0; s < S; s++)
        d +=
          ((src.data[s * n + ci] as number) - (fm[s] as number)) *
          ((src.data[s * n + cj] as number) - (fm[s] as number));
      K[i * k + j] = d;
      K[j * k + i] = d;
    }
    K[i * k + i] = (K[i * k + i] as number) + alpha;
  }
  const yc = Float64Array.from({ length: k }, (_, i) => (y[i] as number) - ym);
  const a = cholSolve(K, k, yc);
  const beta = new Float64Array(S);
  for (let i = 0; i < k; i++) {
    const c = cols[i] as number;
    for (let s = 0; s < S; s++)
      beta[s] = (beta[s] as number) + (a[i] as number) * ((src.data[s * n + c] as number) - (fm[s] as number));
  }
  let off = ym;
  for (let s = 0; s < S; s++) off -= (beta[s] as number) * (fm[s] as number);
  const p = new Float64Array(n).fill(off);
  for (let s = 0; s < S; s++) {
    const b = beta[s] as number;
    if (b === 0) continue;
    const base = s * n;
    for (let x = 0; x < n; x++) p[x] = (p[x] as number) + b * (src.data[base + x] as number);
  }
  return p;
}

const lines: string[] = [];
for (const N of budgets) {
  for (let trial = 0; trial < trials; trial++) {
    let split: Split;
    if (setting === "extrapolation") split = extrapolationSplit(M.trueScores());
    else if (setting === "meta") {
      const sp = ds.split as { source: ArrayLike<number>; target: ArrayLike<number> };
      split = { source: Int32Array.from(sp.source), target: Int32Array.from(sp.target) };
    } else split = randomSplit(M.rows, 0.25, 0, trial);
    const src = M.selectRows(split.source);
    const acc = src.trueScores();
    const n = M.cols;
    const rng = RandomStream.derive(0, "plus-explore", N, trial);
    const { gset } = probe(src, rng.child("gset"));
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
      const plan = tailor(src, gset, natives, N, rng.child("nset", t));
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
