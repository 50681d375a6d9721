import { defineConfig } from "vite";

/**
 * A static build into dist/ with relative asset paths (base "./"), so the folder can be served
 * from anywhere or opened from a static host. The @tb packages are bundled from their TypeScript
 * sources (the "@tb/source" export condition), so no package needs building first.
 */
export default defineConfig({
  base: "./",
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
