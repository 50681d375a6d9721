import { quantizeDistances } from "./src/exact.js";

const m = 1319;
const d = new Float64Array(m * m).map(() => Math.random() * 50);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const scratch = new Float64Array(m * m);
for (let rep = 0; rep < 3; rep++) {
  let t0 = cpu();
  for (let r = 0; r < 10; r++) quantizeDistances(d, m);
  const a = (cpu() - t0) / 10;
  t0 = cpu();
  for (let r = 0; r < 10; r++) quantizeDistances(d, m, scratch);
  const b = (cpu() - t0) / 10;
  t0 = cpu();
  for (let r = 0; r < 10; r++) new Float64Array(m * m);
  const c = (cpu() - t0) / 10;
  console.log(`fresh ${a.toFixed(1)} ms, into scratch ${b.toFixed(1)} ms, bare alloc ${c.toFixed(1)} ms`);
}
