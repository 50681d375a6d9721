/**
 * How fast gp-IRT's IRT fits converge (issue 22 item 4): for interpolation trial `--trial`, the
 * loss traces of eight fits — d = 2, 5, 10, 15 on the training sources (the held-out fits of a
 * calibration) and d = 2, 5, 10, 15 on all sources (the refit is one of these) — with the first
 * epoch at which the lowest loss so far is within a relative 1e-4 … 1e-7 of the fit's final lowest
 * loss, and where stall rules (window / tol) would stop.
 *
 * Run: `npx tsx --conditions=@tb/source research/gpirt-stop/trace.ts [--data ../shared/data/gsm8k] [--trial 0]`
 */
import { parseArgs } from "node:util";
import { fitIrt } from "@tb/baselines/internals";
import { defaultTargetFraction, randomSplit } from "@tb/experiment";
import { loadDataset } from "@tb/io";

const { values } = parseArgs({
  options: { data: { type: "string", default: "../shared/data/gsm8k" }, trial: { type: "string", default: "0" } },
});
const ds = loadDataset(values.data as string);
const split = randomSplit(ds.matrix.rows, defaultTargetFraction("interpolation"), 0, Number(values.trial));
const src = ds.matrix.selectRows(split.source, "sources");
const S = src.rows;
const n = src.cols;
const R = new Uint8Array(S * n);
for (let i = 0; i < S * n; i++) R[i] = (src.data[i] as number) >= 0.5 ? 1 : 0;
const train: number[] = [];
for (let s = 0; s < S; s++) if (s % 5 !== 0) train.push(s);
const Rt = new Uint8Array(train.length * n);
train.forEach((s, i) => {
  Rt.set(R.subarray(s * n, (s + 1) * n), i * n);
});
for (const [name, RR, m] of [
  ["train", Rt, train.length],
  ["all", R, S],
] as const) {
  for (const dim of [2, 5, 10, 15]) {
    const t0 = process.hrtime.bigint();
    const fit = fitIrt(RR, m, n, { dim, trace: true });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const tr = fit.lossTrace as Float64Array;
    const reach = [1e-4, 1e-5, 1e-6, 1e-7].map((tol) => {
      let best = Number.POSITIVE_INFINITY;
      for (let t = 0; t < tr.length; t++) {
        best = Math.min(best, tr[t] as number);
        if (best - fit.loss <= tol * Math.abs(fit.loss)) return t;
      }
      return -1;
    });
    // a stall rule: stop at the first epoch t ≥ w where the best loss improved by < tol·|best| over the last w epochs
    const stall = [50, 100].flatMap((w) =>
      [1e-5, 1e-6].map((tol) => {
        const bestTo = new Float64Array(tr.length);
        let b = Number.POSITIVE_INFINITY;
        for (let t = 0; t < tr.length; t++) bestTo[t] = b = Math.min(b, tr[t] as number);
        for (let t = w; t < tr.length; t++) {
          if ((bestTo[t - w] as number) - (bestTo[t] as number) < tol * Math.abs(bestTo[t] as number))
            return `${w}/${tol}:${t}(${(((bestTo[t] as number) - fit.loss) / Math.abs(fit.loss)).toExponential(1)})`;
        }
        return `${w}/${tol}:none`;
      }),
    );
    console.log(
      `${ds.name} ${name} ${m}×${n} d=${dim}: ${ms.toFixed(0)} ms, loss ${fit.loss.toFixed(3)} at epoch ${fit.bestEpoch}; within 1e-4/5/6/7 at ${reach.join(" / ")}; stall ${stall.join(" ")}`,
    );
  }
}
