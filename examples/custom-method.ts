/**
 * Your own method under the experiment protocol, on worker threads: `reproduce` is given the
 * method as `{ module, export }` (stratified-method.ts), and each worker imports that module
 * itself. (`registerMethod` adds a name to one thread's registry only, so it works with
 * `workers: 1` and is refused with more.) Compared with Random on a synthetic population.
 *
 * Run: pnpm examples   (or: pnpm exec tsx --conditions=@tb/source examples/custom-method.ts)
 */
import { pathToFileURL } from "node:url";
import { reproduce, syntheticPopulation } from "@tb/experiment";

export async function customMethod(workers = 2) {
  const matrix = syntheticPopulation({ models: 80, examples: 400, seed: 5 });
  return reproduce(matrix, {
    methods: [
      "random",
      { module: new URL("./stratified-method.ts", import.meta.url).href, export: "stratifiedRandom" },
    ],
    budgets: [20, 40],
    trials: 6,
    seed: 0,
    split: "random",
    workers,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const report = await customMethod();
  for (const c of report.results) console.log(`${c.method} N=${c.budget}: MAE ${c.mae.mean.toFixed(4)}`);
}
