/**
 * CPU-time measurement of the PAM swap (docs/METHOD.md §2.3) on 1319-point matrices, K = 30 with 10 fixed, incremental
 * sums vs full recomputation, plus FasterPAM (§5) and one CLARA call (§2.4).
 * Not a test. Run: `npx tsx --conditions=@tb/source research/pam-speed/bench-pam.ts`.
 */
import { RandomStream, range } from "@tb/core";
import { clara, fasterPam, pamSwap, precomputed } from "@tb/kmedoids";

const m = 1319;
const K = 30;
const f = 10;
const reps = Number(process.env.REPS ?? 5);

/** Manhattan distances of `m` points with `q` coordinates drawn by `draw`. */
function manhattan(q: number, draw: (rng: RandomStream) => number, rng: RandomStream): Float64Array {
  const x = new Float64Array(m * q);
  for (let t = 0; t < x.length; t++) x[t] = draw(rng);
  const d = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      let s = 0;
      for (let c = 0; c < q; c++) s += Math.abs((x[i * q + c] as number) - (x[j * q + c] as number));
      d[i * m + j] = s;
      d[j * m + i] = s;
    }
  }
  return d;
}

/** 0/1 data (75 "source models" with accuracies spread over (0.05, 0.95)), z-scored per column. */
function binaryZScored(rng: RandomStream): Float64Array {
  const q = 75;
  const acc = Float64Array.from({ length: q }, (_, c) => 0.05 + (0.9 * c) / (q - 1));
  const ease = Float64Array.from({ length: m }, () => rng.nextFloat());
  const x = new Float64Array(m * q);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < q; c++)
      x[i * q + c] = rng.nextFloat() < 0.5 * (acc[c] as number) + 0.5 * (ease[i] as number) ? 1 : 0;
  }
  for (let c = 0; c < q; c++) {
    let mu = 0;
    for (let i = 0; i < m; i++) mu += x[i * q + c] as number;
    mu /= m;
    let v = 0;
    for (let i = 0; i < m; i++) v += ((x[i * q + c] as number) - mu) ** 2;
    const sd = Math.sqrt(v / m) || 1;
    for (let i = 0; i < m; i++) x[i * q + c] = ((x[i * q + c] as number) - mu) / sd;
  }
  const d = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      let s = 0;
      for (let c = 0; c < q; c++) s += Math.abs((x[i * q + c] as number) - (x[j * q + c] as number));
      d[i * m + j] = s;
      d[j * m + i] = s;
    }
  }
  return d;
}

/** CPU time of this process (user + system) in ms: robust to other processes sharing the cores. */
function time<T>(fn: () => T): [T, number] {
  const t0 = process.cpuUsage();
  const r = fn();
  const dt = process.cpuUsage(t0);
  return [r, (dt.user + dt.system) / 1000];
}

const rng = RandomStream.derive("bench-pam");
const data: Record<string, Float64Array> = {
  "uniform 10-d": manhattan(10, (r) => r.nextFloat(), rng.child("uniform")),
  "0/1 z-scored 75-d": binaryZScored(rng.child("binary")),
};
for (const [name, d] of Object.entries(data)) {
  console.log(`\n${name}: m = ${m}, K = ${K}, fixed = ${f}, ${reps} random starts`);
  for (const label of ["incremental", "full", "fasterPam", "clara(s=n)"]) {
    const times: number[] = [];
    let swaps = 0;
    let cost = 0;
    for (let r = 0; r < reps; r++) {
      const init = rng.child("init", name, r).sample(range(m), K);
      const [res, ms] = time(() => {
        if (label === "incremental") return pamSwap(d, m, init, { fixed: f });
        if (label === "full") return pamSwap(d, m, init, { fixed: f, incremental: false });
        if (label === "fasterPam") return fasterPam(d, m, init, { fixed: f });
        const c = clara(precomputed(d, m), { k: K - f, fixed: init.slice(0, f), rng: rng.child("clara", r) });
        return { swaps: Number.NaN, cost: Number.NaN, medoids: c.medoids };
      });
      times.push(ms);
      swaps += res.swaps;
      cost += res.cost;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const med = sorted[Math.floor(sorted.length / 2)] as number;
    const first = times[0] as number;
    const stats = Number.isNaN(swaps)
      ? ""
      : `  mean swaps ${(swaps / reps).toFixed(1)}  mean cost ${(cost / reps).toFixed(3)}`;
    console.log(
      `  ${label.padEnd(12)} median ${med.toFixed(1).padStart(7)} ms CPU  (first call ${first.toFixed(1)} ms)${stats}`,
    );
  }
}
