/**
 * Browser-safety check: bundles the entry point of every algorithm package (and `@tb/io/browser`
 * when it exists) with esbuild for `platform: "browser"` and fails when anything in the bundle
 * imports a Node built-in (`fs`, `node:os`, `worker_threads`, …), naming the importing file.
 * `@tb/io` (its main entry), `@tb/experiment` and `@tb/cli` are Node-only and not checked.
 *
 *     pnpm check-browser
 */
import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The browser-safe entries: package directory → entry file. */
const entries: { name: string; file: string }[] = [
  "core",
  "embedding",
  "kmedoids",
  "native-selection",
  "linear",
  "estimate",
  "baselines",
  "metrics",
].map((d) => ({ name: `@tb/${d}`, file: join(root, "packages", d, "src", "index.ts") }));
const ioBrowser = join(root, "packages", "io", "src", "browser.ts");
if (existsSync(ioBrowser)) entries.push({ name: "@tb/io/browser", file: ioBrowser });

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

let failed = 0;
for (const entry of entries) {
  const found: string[] = [];
  const catchBuiltins: Plugin = {
    name: "node-builtins",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, "").split("/")[0] as string;
        if (builtins.has(args.path) || (args.path.startsWith("node:") && builtins.has(bare))) {
          found.push(`${args.path} (imported by ${relative(root, args.importer)})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
  try {
    const result = await build({
      entryPoints: [entry.file],
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      conditions: ["@tb/source"],
      write: false,
      logLevel: "silent",
      plugins: [catchBuiltins],
    });
    const bytes = result.outputFiles.reduce((s, f) => s + f.contents.length, 0);
    if (found.length > 0) {
      failed++;
      process.stderr.write(`check-browser: ${entry.name} imports Node built-ins:\n  ${found.join("\n  ")}\n`);
    } else {
      process.stdout.write(`check-browser: ${entry.name} bundles for the browser (${(bytes / 1024).toFixed(0)} KiB)\n`);
    }
  } catch (e) {
    failed++;
    process.stderr.write(`check-browser: ${entry.name} does not bundle for the browser: ${String(e)}\n`);
  }
}
if (failed > 0) {
  process.stderr.write(`check-browser: ${failed} of ${entries.length} entries are not browser-safe\n`);
  process.exit(1);
}
