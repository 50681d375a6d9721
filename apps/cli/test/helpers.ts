import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../../..");
export const SHARED = resolve(ROOT, "../shared/data");

/** Run the tb CLI from source in a child process. */
export function tb(args: string[], opts: { timeout?: number } = {}) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@tb/source", resolve(ROOT, "apps/cli/src/bin.ts"), ...args],
    { cwd: ROOT, encoding: "utf8", timeout: opts.timeout ?? 300_000, env: { ...process.env, FORCE_COLOR: "0" } },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The shared real data must be there in CI (a missing ../shared is a failure, not a skip);
 * outside CI the tests that need it are skipped.
 */
export function sharedDataAvailable(name: string): boolean {
  const ok = existsSync(resolve(SHARED, name, "correctness.csv"));
  if (!ok && process.env.CI) throw new Error(`../shared/data/${name} is missing: CI needs the shared real data`);
  return ok;
}
