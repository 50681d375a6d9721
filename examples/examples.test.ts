import { expect, test } from "vitest";
import { customMethod } from "./custom-method.js";
import { oneCall } from "./one-call.js";
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

test("one-call evaluate: 30 answers each, estimates near the truth, the strongest model treated as beyond the sources", async () => {
  const rs = await oneCall();
  for (const r of rs) {
    expect(r.asked).toBe(30);
    expect(Math.abs(r.accuracy - r.truth)).toBeLessThan(0.15);
  }
  expect(rs.find((r) => r.name === "strongest")?.mode).toBe("beyond");
});

test("a user's method given by module runs on 2 worker threads, with the same numbers as inline", async () => {
  const [two, one] = [await customMethod(2), await customMethod(1)];
  const strip = (r: typeof two) => r.results.map(({ seconds: _s, ...cell }) => cell);
  expect(strip(two)).toEqual(strip(one));
  const cells = two.results.filter((c) => c.method === "stratified-random");
  expect(cells.map((c) => c.budget)).toEqual([20, 40]);
  for (const c of cells) {
    expect(c.trials).toBe(6);
    expect(c.maxQueried).toBe(c.budget); // one example per stratum
    expect(c.mae.mean).toBeLessThan(0.15);
  }
});
