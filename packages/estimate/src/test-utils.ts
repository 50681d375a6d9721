import type { TbError } from "@tb/core";
import { expect } from "vitest";

/** `f` throws an E_USAGE error whose message matches `re`. For tests only (not exported by the package). */
export function expectUsage(f: () => unknown, re: RegExp): void {
  try {
    f();
    expect.unreachable();
  } catch (err) {
    expect((err as TbError).code).toBe("E_USAGE");
    expect((err as Error).message).toMatch(re);
  }
}
