import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@tb/source"] },
  environments: { ssr: { resolve: { conditions: ["@tb/source"] } } },
  test: { name: "examples", include: ["*.test.ts"], testTimeout: 120_000 },
});
