import { RandomStream, TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import { evaluate } from "./evaluate.js";

/** Rows of a seeded 0/1 matrix: abilities from −2 to +1, then one model at +3 (beyond them all). */
function rows(models: number, examples: number): number[][] {
  const rng = RandomStream.derive("evaluate-test");
  const diff = Array.from({ length: examples }, () => rng.nextNormal());
  const ability = (m: number) => (m === models - 1 ? 3 : -2 + (3 * m) / (models - 2));
  return Array.from({ length: models }, (_, m) =>
    diff.map((d) => (rng.nextFloat() < 1 / (1 + Math.exp(-(ability(m) - d))) ? 1 : 0)),
  );
}

describe("evaluate (one call)", () => {
  const all = rows(41, 120);
  const sources = all.slice(0, 40);
  const target = all[40] as number[]; // stronger than every source
  const mid = all[20] as number[];
  const askFor = (row: number[], log: string[][]) => (ids: string[]) => {
    log.push(ids);
    return ids.map((id) => row[Number(id)] as number);
  };
  test("asks for exactly the budget, G-set first, and returns an estimate inside its interval", async () => {
    for (const [row, method] of [
      [target, "tailored-plus"],
      [mid, "tailored-plus"],
      [mid, "tailored"],
    ] as const) {
      const log: string[][] = [];
      const r = await evaluate(sources, askFor(row, log), { budget: 25, seed: 3, method });
      // a second look (top of the sources' range on the G-set) asks ⌈0.3·15⌉ = 5 examples in between
      expect(log.length).toBe(r.secondLook === true ? 3 : 2);
      if (r.secondLook === true) expect((log[1] as string[]).length).toBe(5);
      expect((log[0] as string[]).length).toBe(10);
      expect(new Set(log.flat()).size).toBe(25);
      expect(r.asked).toEqual(log.flat());
      expect(r.interval[0]).toBeLessThanOrEqual(r.accuracy);
      expect(r.interval[1]).toBeGreaterThanOrEqual(r.accuracy);
      expect(r.method).toBe(method);
      const truth = row.reduce((a, b) => a + b, 0) / row.length;
      expect(Math.abs(r.accuracy - truth)).toBeLessThan(0.25);
    }
  });
  test("the strongest model is treated as beyond the sources; async ask works; same seed, same result", async () => {
    const a = await evaluate(sources, async (ids) => ids.map((id) => target[Number(id)] as number), { seed: 1 });
    const b = await evaluate(sources, (ids) => ids.map((id) => target[Number(id)] as number), { seed: 1 });
    expect(a).toEqual(b);
    expect(a.mode).toBe("beyond");
    // above every source on the G-set: no second look, the stratified sample at once (two calls)
    const log: string[][] = [];
    const c = await evaluate(sources, askFor(target, log), { seed: 1 });
    expect(c.secondLook).toBe(false);
    expect(log.length).toBe(2);
    // the strongest source as a target ties its own G-set score, so it is not above them all: it looks
    const top = all[39] as number[];
    const topLog: string[][] = [];
    const d = await evaluate(sources, askFor(top, topLog), { seed: 1 });
    expect(d.secondLook).toBe(true);
    expect(topLog.length).toBe(3);
    // without the second look the G-set alone decides: two calls
    const offLog: string[][] = [];
    const e = await evaluate(sources, askFor(top, offLog), { seed: 1, secondLook: 0 });
    expect(e.secondLook).toBe(false);
    expect(offLog.length).toBe(2);
  });
  test("bad options and bad answers are TbErrors naming the problem", async () => {
    const ok = (ids: string[]) => ids.map(() => 1);
    const cases: [Promise<unknown>, string, RegExp][] = [
      [evaluate(sources, ok, { budget: 5 }), "E_USAGE", /budget/],
      [evaluate(sources, ok, { level: 2 }), "E_USAGE", /level/],
      [evaluate(sources, ok, { method: "median" as never }), "E_USAGE", /method/],
      [evaluate(sources, ok, { secondLook: 1 }), "E_USAGE", /secondLook/],
      [evaluate(sources, (ids) => ids.slice(1).map(() => 1)), "E_INPUT", /answers for/],
      [evaluate(sources, (ids) => ids.map(() => 2)), "E_INPUT", /not a number in \[0, 1\]/],
      [evaluate(sources, ok, { examples: ["a"] }), "E_INPUT", /^evaluate: examples has 1 ids, but the sources have/],
    ];
    for (const [p, code, re] of cases) {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TbError);
      expect((err as TbError).code).toBe(code);
      expect((err as Error).message).toMatch(re);
    }
  });
});
