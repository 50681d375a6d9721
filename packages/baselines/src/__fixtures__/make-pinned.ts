/**
 * Writes `pinned_one_round.json`: every baseline's per-trial estimates, diagnostics and asked
 * examples on the cases of `pinned-cases.ts`, as computed BEFORE the baselines became one-round
 * evaluations (commit on branch `baselines` before `start(ctx)`). Rerun only to pin a deliberate
 * change of numbers, and say why in the commit:
 *
 *     npx tsx --conditions=@tb/source packages/baselines/src/__fixtures__/make-pinned.ts
 */
import { writeFileSync } from "node:fs";
import { allRuns } from "./pinned-cases.js";

const runs = allRuns();
const file = new URL("./pinned_one_round.json", import.meta.url);
writeFileSync(file, `${JSON.stringify({ runs }, null, 1)}\n`);
const errors = runs.filter((r) => r.error !== undefined).length;
console.log(`${runs.length} runs (${errors} errors) → ${file.pathname}`);
