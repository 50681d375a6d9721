import { expect, test } from "vitest";
import { staticCoreset } from "./static-coreset.js";
import { compareVariants } from "./tailored-cosine.js";

test("static coreset pipeline: within budget, ranks targets far better than chance", () => {
  const r = staticCoreset();
  expect(r.maxQueried).toBeLessThanOrEqual(25);
  expect(r.kendallTau).toBeGreaterThan(0.5);
  expect(r.mae).toBeLessThan(0.15);
});

test("hand-composed TailoredBench variants stay within budget and beat chance", () => {
  const r = compareVariants();
  for (const m of Object.values(r)) {
    expect(m.maxQueried).toBe(30);
    expect(m.kendallTau).toBeGreaterThan(0.6);
  }
});
