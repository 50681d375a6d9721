import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { defineConfig } from "vite";

/** The commit the app is built from (with "-dirty" for uncommitted changes), or null outside a repository. */
function gitCommit(): string | null {
  try {
    const git = (args: string[]) => execFileSync("git", args, { cwd: import.meta.dirname, encoding: "utf8" }).trim();
    const head = git(["rev-parse", "--short=12", "HEAD"]);
    return git(["status", "--porcelain", "--untracked-files=no"]) === "" ? head : `${head}-dirty`;
  } catch {
    return null;
  }
}

const version = (pkg: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../packages/${pkg}/package.json`, import.meta.url), "utf8")) as {
      version: string;
    }
  ).version;

/**
 * A static build into dist/ with relative asset paths (base "./"), so the folder can be served
 * from anywhere or opened from a static host. The @tb packages are bundled from their TypeScript
 * sources (the "@tb/source" export condition), so no package needs building first.
 * `__TB_BUILD__` records the versions and commit for the report's provenance.
 */
export default defineConfig({
  base: "./",
  // the report's provenance: the algorithms' versions and the commit, at build time
  define: {
    __TB_BUILD__: JSON.stringify({
      version: `@tb/experiment ${version("experiment")}, @tb/estimate ${version("estimate")}`,
      commit: gitCommit(),
    }),
  },
  resolve: {
    conditions: ["@tb/source", "browser", "module", "import", "default"],
    alias: [
      // csv-parse's plain build uses Node's global Buffer; its browser build brings its own
      { find: /^csv-parse\/sync$/, replacement: "csv-parse/browser/esm/sync" },
    ],
  },
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 2048,
    sourcemap: false,
  },
});
