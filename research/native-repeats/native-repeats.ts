/**
 * How often a TailoredBench protocol meets the same G-set and native sets again (docs/PERFORMANCE.md,
 * third round): the reason `tailoredBench` keeps native-set distance sources and their near lists
 * between trials. For every (budget, trial) of the protocol it makes the G-set and the native sets
 * exactly as `tailoredBench().run` does (same keyed streams: `RandomStream.derive(seed, "tailored",
 * N, trial).child("gset")`, joint pooling, faithful defaults) and counts the distinct G-sets, native
 * sets and (G-set, native set) pairs among the target groups (targets with the same native set).
 * Targets are read here only for their G-set answers, as the method's oracles would give them.
 *
 * Run: `cd /work/main && npx tsx --conditions=@tb/source research/native-repeats/native-repeats.ts
 * [--data ../shared/data/gsm8k] [--budgets 20,25,30,35,40] [--trials 100] [--seed 0]`.
 */
import { parseArgs } from "node:util";
import { RandomStream, TbError, Workspace } from "@tb/core";
import { probe, selectNatives } from "@tb/estimate";
import { loadDataset } from "@tb/io";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data/gsm8k" },
    budgets: { type: "string", default: "20,25,30,35,40" },
    trials: { type: "string", default: "100" },
    seed: { type: "string", default: "0" },
  },
});
const ds = loadDataset(values.data as string);
if (ds.split === undefined) throw new TbError("E_USAGE", `${values.data}: no meta split (meta.json)`);
const { matrix, split } = ds;
const sources = matrix.selectRows(split.source, `${ds.name} sources`);
const budgets = (values.budgets as string).split(",").map(Number);
const trials = Number(values.trials);
const seed = Number(values.seed);
const gsets = new Map<string, number>();
const natives = new Set<string>();
const pairs = new Set<string>();
const workspace = new Workspace(); // the trials share the G-set source, as in a protocol run
let groups = 0;
for (const budget of budgets) {
  for (let trial = 0; trial < trials; trial++) {
    const rng = RandomStream.derive(seed, "tailored", budget, trial);
    const { gset } = probe(sources, rng.child("gset"), { workspace });
    const g = gset.join(",");
    gsets.set(g, (gsets.get(g) ?? 0) + 1);
    const answers = Array.from(split.target, (r) => {
      const row = matrix.row(r);
      return Array.from(gset, (j) => row[j] as number);
    });
    const sets = new Set(selectNatives(sources, gset, answers).natives.map((n) => n.join(",")));
    for (const n of sets) {
      groups++;
      natives.add(n);
      pairs.add(`${g}|${n}`);
    }
  }
  process.stderr.write(`N = ${budget} done\n`);
}
const top = Math.max(...gsets.values());
console.log(
  `${ds.name}: ${budgets.length} budgets × ${trials} trials = ${budgets.length * trials} trials; ` +
    `${gsets.size} distinct G-sets (the most common in ${top} trials), ${natives.size} distinct native sets, ` +
    `${pairs.size} distinct (G-set, native set) pairs among ${groups} target groups`,
);
