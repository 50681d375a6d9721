/** The build's package versions and commit (vite.config.ts `define`), for provenance; no dependency. */

/** Filled in by Vite at build time (vite.config.ts `define`); absent under Node tests. */
declare const __TB_BUILD__: { version: string; commit: string | null } | undefined;

/** The build's package versions and commit, when known. */
export function buildInfo(): { version?: string; commit?: string } {
  const b = typeof __TB_BUILD__ === "undefined" ? undefined : __TB_BUILD__;
  if (!b) return {};
  return b.commit ? { version: b.version, commit: b.commit } : { version: b.version };
}
