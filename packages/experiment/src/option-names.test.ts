/**
 * Every public function of this package that takes options refuses a name it does not have
 * (`E_USAGE`, `<function>: unknown option "<name>"`), instead of running with the default; the
 * options it does have still work.
 */
import { isTbError, type TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import * as browser from "./browser.js";
import { resolveMethodModule } from "./custom.js";
import { executeTasks } from "./executor.js";
import type { TrialRecord } from "./protocol.js";
import { createMethod, type MethodConfig, methodOptions, registerMethod, type StoppingOptions } from "./registry.js";
import { reproduce } from "./reproduce.js";
import { type ReproduceConfig, reproduceWith } from "./reproduce-core.js";
import { syntheticPopulation } from "./synthetic.js";

/** `f` (sync or async) fails with an E_USAGE TbError whose message matches `re`. */
async function usageError(f: () => unknown, re: RegExp): Promise<void> {
  let err: unknown;
  try {
    await f();
  } catch (e) {
    err = e;
  }
  expect(isTbError(err), String(err)).toBe(true);
  expect((err as TbError).code).toBe("E_USAGE");
  expect((err as TbError).message).toMatch(re);
}

const matrix = syntheticPopulation({ models: 24, examples: 50, seed: 2 });
const base: ReproduceConfig = { methods: ["random"], budgets: [10], trials: 2, seed: 0, split: "random" };
const fixtures = new URL("./__fixtures__/methods.ts", import.meta.url).href;

describe("syntheticPopulation", () => {
  test("a misspelt option is refused; the options it has set the size", async () => {
    await usageError(
      () => syntheticPopulation({ model: 10, examples: 40 } as never),
      /^syntheticPopulation: unknown option "model"/,
    );
    const m = syntheticPopulation({ models: 10, examples: 40 });
    expect([m.rows, m.cols]).toEqual([10, 40]);
  });
  test("a bad scale, seed or flag is refused naming it (a NaN scale gave an all-zero matrix)", async () => {
    const cases: [object, RegExp][] = [
      [{ abilityScale: Number.NaN }, /^syntheticPopulation: abilityScale must be a finite number ≥ 0, got NaN/],
      [{ familySpread: -0.1 }, /^syntheticPopulation: familySpread must be a finite number ≥ 0/],
      [{ skillScale: Number.POSITIVE_INFINITY }, /^syntheticPopulation: skillScale must be a finite number ≥ 0/],
      [{ difficultyScale: "3" }, /^syntheticPopulation: difficultyScale must be a finite number ≥ 0/],
      [{ seed: "1" }, /^syntheticPopulation: seed must be an integer, got 1/],
      [{ fast: 1 }, /^syntheticPopulation: fast must be true or false/],
      [{ models: 0 }, /^syntheticPopulation: models must be a positive integer/],
    ];
    for (const [o, re] of cases)
      await usageError(() => syntheticPopulation({ models: 4, examples: 8, ...o } as never), re);
  });
});

describe("createMethod", () => {
  test("a config field no built-in method has is refused, in createMethod's terms", async () => {
    await usageError(
      () => createMethod("tailored", { gest: 5 } as MethodConfig),
      /^createMethod: unknown option "gest"/,
    );
    expect(createMethod("tailored", { gset: 5 }).name).toBe("tailored");
  });

  test("another built-in method's field, which this method would ignore, is refused by name", async () => {
    await usageError(() => createMethod("random", { gset: 5 }), /^createMethod: "random" does not read config\.gset/);
    await usageError(
      () => createMethod("tailored", { secondLook: 0.5, search: 3 }),
      /^createMethod: "tailored" does not read config\.secondLook, config\.search /,
    );
    // the fields it reads pass, default values included
    expect(createMethod("tailored-plus", { secondLook: 0.5, gset: 10 }).name).toBe("tailored-plus");
    expect(createMethod("random", { randomMode: "perTarget" }).name).toBe("random");
  });

  test("a stopping option other than precision and maxBudget is refused", async () => {
    const stop = { precision: 0.05, maxBudget: 40, maxBudge: 1 } as StoppingOptions;
    await usageError(() => createMethod("tailored-plus", {}, stop), /^createMethod: unknown option "maxBudge"/);
    expect(createMethod("tailored-plus", {}, { precision: 0.05, maxBudget: 40 }).name).toBe("tailored-plus");
  });

  test("a method added with registerMethod gets every config field (it may read its own)", () => {
    let seen: unknown;
    registerMethod("reads-its-own", (c) => {
      seen = (c as Record<string, unknown>).myWindow;
      return { name: "reads-its-own", run: (ctx) => ({ estimates: new Float64Array(ctx.oracles.length) }) };
    });
    createMethod("reads-its-own", { myWindow: 7 } as MethodConfig);
    expect(seen).toBe(7);
  });
});

describe("methodOptions", () => {
  test("a misspelt config field is refused; a given one is listed with its value", async () => {
    await usageError(
      () => methodOptions(["tailored"], { gest: 5 } as MethodConfig),
      /^methodOptions: unknown option "gest"/,
    );
    expect(methodOptions(["tailored"], { gset: 5 }).gset).toBe(5);
  });
});

describe("reproduce and reproduceWith", () => {
  test("a top-level field the configuration does not have is refused (Node and browser entries)", async () => {
    for (const [key, value] of [
      ["worker", 4],
      ["trails", 3],
    ] as const) {
      const cfg = { ...base, [key]: value } as ReproduceConfig;
      const re = new RegExp(`^reproduce: unknown option "${key}"`);
      await usageError(() => reproduce(matrix, cfg), re);
      await usageError(() => browser.reproduce(matrix, cfg), re);
    }
    const never = () => Promise.reject(new Error("the runner must not be called"));
    await usageError(
      () => reproduceWith(matrix, { ...base, trails: 3 } as ReproduceConfig, never),
      /^reproduceWith: unknown option "trails"/,
    );
  });

  test("a split field the chosen split would ignore is refused: metaSplit off the meta split, a target fraction on it", async () => {
    const metaSplit = { source: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], target: [10, 11, 12, 13] };
    await usageError(
      () => reproduce(matrix, { ...base, metaSplit }),
      /^metaSplit applies only to split "meta", not "random"/,
    );
    await usageError(
      () => reproduce(matrix, { ...base, split: "meta", metaSplit, targetFraction: 0.4 }),
      /^a target fraction does not apply to split "meta"/,
    );
    // each where it applies: the meta split's targets are metaSplit's
    const r = await reproduce(matrix, { ...base, split: "meta", metaSplit, trials: 1 });
    expect([r.data.sources, r.data.targets]).toEqual([10, 4]);
  });

  test("the fields it has are used: workers and trials", async () => {
    let threads = 0;
    const r = await reproduce(matrix, { ...base, trials: 3, workers: 1, onWorkers: (n) => (threads = n) });
    expect(r.trials).toBe(3);
    expect(r.results[0]?.trials).toBe(3);
    expect(threads).toBe(1);
  });

  test("a misspelt field of a method given by module is refused, not run as the default export", async () => {
    await usageError(
      () => reproduce(matrix, { ...base, methods: [{ module: fixtures, exprt: "constantHalf" } as never] }),
      /^methods: unknown option "exprt"/,
    );
  });

  test("with a method from a user's module, every config field still reaches the methods", async () => {
    const r = await reproduce(matrix, {
      ...base,
      methods: ["random", { module: fixtures, export: "constantHalf" }],
      config: { myWindow: 7 } as MethodConfig,
      workers: 1,
    });
    expect(r.results.map((c) => c.method)).toEqual(["random", "constant-half"]);
  });
});

describe("resolveMethodModule", () => {
  test("a misspelt export is refused; a given export is the one resolved", async () => {
    await usageError(
      () => resolveMethodModule({ module: fixtures, exprt: "askAll" } as never),
      /^resolveMethodModule: unknown option "exprt"/,
    );
    expect(resolveMethodModule({ module: fixtures, export: "askAll" }).export).toBe("askAll");
  });
});

describe("executeTasks and executeInline", () => {
  test("a misspelt option is refused; the options they have are used", async () => {
    await usageError(() => executeTasks(matrix, [], { worker: 4 } as never), /^executeTasks: unknown option "worker"/);
    await usageError(
      () => browser.executeInline(matrix, [], { worker: 1 } as never),
      /^executeInline: unknown option "worker"/,
    );
    const told: number[] = [];
    const none: TrialRecord[] = await executeTasks(matrix, [], { workers: 1, onWorkers: (n) => told.push(n) });
    await browser.executeInline(matrix, [], { workers: 1, onWorkers: (n) => told.push(n) });
    expect(none).toEqual([]);
    expect(told).toEqual([1, 1]);
  });
});
