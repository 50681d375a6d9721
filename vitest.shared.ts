import { defineProject } from "vitest/config";

/** Shared per-package vitest project: resolve sibling @tb/* packages to their TypeScript sources. */
export function tbProject(name: string) {
  return defineProject({
    resolve: { conditions: ["@tb/source"] },
    environments: { ssr: { resolve: { conditions: ["@tb/source"] } } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      restoreMocks: true,
      testTimeout: 120_000,
    },
  });
}
