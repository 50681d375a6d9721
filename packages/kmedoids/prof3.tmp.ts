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
const qd = quantizeDistances(d, m);
const st = new SwapState(qd, m, rng.sample(range(m), K), f) as any;
for (const [name, args] of [
  ["A only", [0.5, 0, 0, 0.5, 0]],
  ["1 row", [0.5, 0.5, 0, 0.5, 0.5]],
  ["2 rows", [0.5, 0.5, 1, 0.5, 0.5]],
  ["A only", [0.5, 0, 0, 0.5, 0]],
  ["1 row", [0.5, 0.5, 0, 0.5, 0.5]],
  ["2 rows", [0.5, 0.5, 1, 0.5, 0.5]],
] as const) {
  const N = 20000;
  const t0 = cpu();
  for (let r = 0; r < N; r++) {
    const j = (r * 7) % m;
    const s = r & 1 ? 1 : -1;
    st.move(
      j,
      0.37,
      0.81,
      args[0],
      args[1],
      ((r % 20) + 10) * m,
      0.41,
      0.77,
      args[3],
      args[4],
      (((r + args[2]) % 20) + 10) * m,
    );
  }
  console.log(name, (((cpu() - t0) * 1e6) / (N * m)).toFixed(2), "ns/elem");
}
