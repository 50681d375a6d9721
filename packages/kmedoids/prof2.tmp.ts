import { RandomStream, range } from "@tb/core";
import { quantizeDistances } from "./src/exact.js";
import { SwapState } from "./src/swap-state.js";

const m = 1319,
  K = 30,
  f = 10;
const rng = RandomStream.derive("p");
const q = 10;
const x = new Float64Array(m * q);
for (let t = 0; t < x.length; t++) x[t] = rng.nextFloat();
const d = new Float64Array(m * m);
for (let i = 0; i < m; i++)
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let c = 0; c < q; c++) s += Math.abs(x[i * q + c]! - x[j * q + c]!);
    d[i * m + j] = s;
  }
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const acc = { quant: 0, init: 0, evalT: 0, swapT: 0, swaps: 0, changed: 0 };
const R = 12;
for (let rep = 0; rep < R; rep++) {
  let t0 = cpu();
  const qd = quantizeDistances(d, m);
  acc.quant += cpu() - t0;
  const med = rng.child(rep).sample(range(m), K);
  t0 = cpu();
  const st = new SwapState(qd, m, med, f);
  acc.init += cpu() - t0;
  for (;;) {
    let t1 = cpu();
    let best = 0,
      bi = -1,
      bh = -1;
    for (let i = f; i < K; i++)
      for (let h = 0; h < m; h++) {
        if (st.slotOf[h]! >= 0) continue;
        const p = st.phi(i, h);
        if (p < best || (p === best && h < bh)) {
          best = p;
          bi = i;
          bh = h;
        }
      }
    acc.evalT += cpu() - t1;
    if (bi < 0 || !(best < -1e-9 * Math.max(1, st.cost))) break;
    t1 = cpu();
    st.swap(bi, bh, true);
    acc.swapT += cpu() - t1;
    acc.changed += st.lastChanged;
    acc.swaps++;
  }
}
console.log(
  `per call: quantize ${(acc.quant / R).toFixed(1)} ms, init ${(acc.init / R).toFixed(1)} ms, eval ${(acc.evalT / R).toFixed(1)} ms, swaps ${(acc.swapT / R).toFixed(1)} ms; ${(acc.swaps / R).toFixed(1)} swaps/call, ${(acc.changed / acc.swaps).toFixed(0)} changed/swap, ${(acc.swapT / acc.swaps).toFixed(2)} ms/swap`,
);
