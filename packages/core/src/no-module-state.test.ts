// The rule "no module-level state that outlives a call", checked on the sources of every package:
// caches, pools and scratch buffers belong to a Workspace (workspace.ts) that the caller owns.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const packages = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

/** Module-level declarations that are allowed, with the reason. */
const ALLOWED: Record<string, string> = {
  // the run's part in one worker thread: its pool is made per reproduce run and destroyed at its end
  "experiment/src/worker.ts let run": "owned by the protocol run",
  // registerMethod's registry (a registry, not a cache; item 4 of issue 12 deals with workers)
  "experiment/src/registry.ts const REGISTRY": "method registry",
  // a zero-length array: holds nothing
  "kmedoids/src/clara.ts const EMPTY": "empty",
};

/** Mutable containers whose presence in a module-level initializer means state kept between calls. */
const CONTAINER =
  /\bnew (Map|WeakMap|WeakRef|WeakSet|Array|ArrayBuffer|SharedArrayBuffer|Float64Array|Float32Array|Int32Array|Uint32Array|Int16Array|Uint16Array|Int8Array|Uint8Array|Uint8ClampedArray)\b|^\s*\[\s*\]/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "__fixtures__" && name !== "node_modules") out.push(...sources(p));
    } else if (/\.(ts|mts|mjs|js)$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith(".d.ts")) {
      out.push(p);
    }
  }
  return out;
}

/** The module-level `let`/`var` declarations and `const`s initialised with a mutable container. */
function moduleState(text: string): string[] {
  const lines = text.split("\n");
  const found: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = /^(?:export\s+)?(let|var|const)\s+([A-Za-z_$][\w$]*)/.exec(line);
    if (!m) continue;
    const [, kind, name] = m;
    if (kind !== "const") {
      found.push(`${kind} ${name}`);
      continue;
    }
    // the whole statement: up to a line at column 0 that closes it (or this line when it ends with ;)
    let stmt = line;
    for (let j = i + 1; j < lines.length && !/;\s*$/.test(stmt.trimEnd()); j++) stmt += `\n${lines[j]}`;
    // an arrow function's body runs per call; its own containers are not module state
    const init = stmt.slice(stmt.indexOf("=") + 1);
    if (/^\s*(\([^)]*\)|[A-Za-z_$][\w$]*)\s*(:\s*[^=]+)?=>/.test(init)) continue;
    if (CONTAINER.test(init)) found.push(`const ${name}`);
  }
  return found;
}

describe("no module-level state that outlives a call", () => {
  // the published packages, and the CLI (published too; apps/web is a page, not a library)
  const files = [
    ...readdirSync(packages)
      .filter((p) => statSync(join(packages, p, "src"), { throwIfNoEntry: false })?.isDirectory())
      .flatMap((p) => sources(join(packages, p, "src"))),
    ...sources(resolve(packages, "../apps/cli/src")),
  ];

  test("the scan sees every package's sources", () => {
    expect(files.length).toBeGreaterThan(50);
    for (const p of ["core", "kmedoids", "embedding", "estimate", "baselines", "experiment", "cli"]) {
      expect(files.some((f) => f.includes(`${p}/src/`))).toBe(true);
    }
  });

  test("the scan finds what it is meant to find", () => {
    expect(moduleState("let cache: Float64Array | undefined;\nexport function f() {}\n")).toEqual(["let cache"]);
    expect(moduleState("const kept = new Map<string, number>();\n")).toEqual(["const kept"]);
    expect(moduleState("const scratch = {\n  ub: new Int32Array(0),\n};\n")).toEqual(["const scratch"]);
    expect(moduleState("const pool: ArrayBuffer[] = [];\n")).toEqual(["const pool"]);
    expect(moduleState("const LIMIT = 1 << 20;\nconst KEYS = new Set(['a']);\n")).toEqual([]);
    expect(moduleState("const make = (n: number) => new Float64Array(n);\n")).toEqual([]);
    expect(moduleState("function f() {\n  let x = new Map();\n}\n")).toEqual([]);
  });

  test("no package keeps caches, pools or scratch buffers in a module", () => {
    const offenders: string[] = [];
    for (const file of files) {
      const rel = relative(packages, file).split("\\").join("/");
      for (const decl of moduleState(readFileSync(file, "utf8"))) {
        if (ALLOWED[`${rel} ${decl}`] === undefined) offenders.push(`${rel}: ${decl}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
