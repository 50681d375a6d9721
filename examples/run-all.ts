/** Runs every example as a user would (`pnpm examples`); CI runs this too. */
import { staticCoreset } from "./static-coreset.js";
import { compareVariants } from "./tailored-cosine.js";

const s = staticCoreset();
console.log(`static-coreset: τ-b ${s.kendallTau.toFixed(3)}, MAE ${s.mae.toFixed(4)}, max queried ${s.maxQueried}/25`);
for (const [name, m] of Object.entries(compareVariants())) {
  console.log(
    `tailored-cosine (${name}): τ-b ${m.kendallTau.toFixed(3)}, MAE ${m.mae.toFixed(4)}, max queried ${m.maxQueried}/30`,
  );
}
