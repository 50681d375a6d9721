// What the packages' WebAssembly kernel tests share (test-only; no package ships it): whether a
// package's committed src/<name>-wasm.ts is what build-wasm.mjs assembles from its wasm/<name>.wat,
// and the list of places where two arrays of numbers differ as values.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { wasmModuleSource } from "./build-wasm.mjs";

/**
 * The committed `src/<name>-wasm.ts` of the package whose test file is `testUrl` (a file in its
 * `src/`), and what `wasm/<name>.wat` assembles to now: equal when the committed module is current.
 */
export async function committedAndAssembled(testUrl, name) {
  const committed = readFileSync(fileURLToPath(new URL(`./${name}-wasm.ts`, testUrl)), "utf8");
  const assembled = await wasmModuleSource(fileURLToPath(new URL("..", testUrl)), `wasm/${name}.wat`);
  return { committed, assembled };
}

/** Where `a` and `b` differ as values (Object.is: −0 ≠ +0, NaN = NaN), with both values; a length mismatch alone. */
export function differences(a, b) {
  if (a.length !== b.length) return [`length ${a.length} vs ${b.length}`];
  const out = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(`${i}: ${a[i]} vs ${b[i]}`);
  return out;
}
