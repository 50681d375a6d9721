/** Runs every example as a user would (`pnpm examples`); CI runs this too. */
import { customMethod } from "./custom-method.js";
import { oneCall } from "./one-call.js";
import { staticCoreset } from "./static-coreset.js";
import { compareVariants } from "./tailored-cosine.js";

const s = staticCoreset();
console.log(`static-coreset: τ-b ${s.kendallTau.toFixed(3)}, MAE ${s.mae.toFixed(4)}, max queried ${s.maxQueried}/25`);
for (const [name, m] of Object.entries(compareVariants())) {
  console.log(
    `tailored-cosine (${name}): τ-b ${m.kendallTau.toFixed(3)}, MAE ${m.mae.toFixed(4)}, max queried ${m.maxQueried}/30`,
  );
}
for (const r of await oneCall()) {
  console.log(
    `one-call evaluate (${r.name}, ${r.mode} mode): ${(100 * r.accuracy).toFixed(1)}% ` +
      `[${(100 * r.interval[0]).toFixed(1)}, ${(100 * r.interval[1]).toFixed(1)}] from ${r.asked} answers; true ${(100 * r.truth).toFixed(1)}%` +
      (r.truth >= r.interval[0] && r.truth <= r.interval[1] ? " (inside)" : " (outside the interval)"),
  );
}
for (const c of (await customMethod(2)).results) {
  console.log(
    `custom method by module on 2 workers (${c.method}, N=${c.budget}): MAE ${c.mae.mean.toFixed(4)} over ${c.trials} trials`,
  );
}
