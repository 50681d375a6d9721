import { isTbError, type TbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import { registerMethod } from "./registry.js";
import { reproduce } from "./reproduce.js";
import { syntheticPopulation } from "./synthetic.js";

const fixtures = new URL("./__fixtures__/methods.ts", import.meta.url).href;
const matrix = syntheticPopulation({ models: 20, examples: 40, seed: 3 });
const base = { budgets: [40], trials: 2, seed: 0, split: "random" as const };

async function usageError(p: Promise<unknown>, text: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isTbError(e)).toBe(true);
    expect((e as TbError).code).toBe("E_USAGE");
    expect((e as TbError).message).toMatch(text);
    return;
  }
  throw new Error("expected a TbError");
}

describe("methods given by module", () => {
  test("run on 2 worker threads: asking for every example gives the true scores exactly (MAE 0)", async () => {
    const r = await reproduce(matrix, {
      ...base,
      methods: [
        { module: fixtures, export: "askAll" },
        { module: fixtures, export: "constantHalf", name: "half" },
      ],
      workers: 2,
    });
    const [all, half] = r.results;
    expect(all?.method).toBe("ask-all");
    expect(all?.mae.mean).toBe(0);
    expect(all?.maxQueried).toBe(40);
    expect(half?.method).toBe("half");
    expect(half?.maxQueried).toBe(0);
  });

  test("worker threads run with the young-generation limit of the executor (12 MiB), the main thread without", async () => {
    const method = { module: fixtures, export: "youngGeneration" };
    const pooled = await reproduce(matrix, { ...base, methods: [method], workers: 2 });
    expect(pooled.results[0]?.maxQueried).toBe(12);
    // inline the trials run on this test's own thread, which vitest (pool "forks") starts without limits
    const inline = await reproduce(matrix, { ...base, methods: [method], workers: 1 });
    expect(inline.results[0]?.maxQueried).toBe(0);
  });

  test("refusals: no such export, not a method, missing module, duplicate names", async () => {
    await usageError(
      reproduce(matrix, { ...base, methods: [{ module: fixtures, export: "nope" }] }),
      /has no export "nope"/,
    );
    await usageError(
      reproduce(matrix, { ...base, methods: [{ module: fixtures, export: "notAMethod" }] }),
      /must be an EvaluationMethod/,
    );
    await usageError(
      reproduce(matrix, { ...base, methods: [{ module: "no-such-package-xyz" }] }),
      /cannot find module/,
    );
    await usageError(
      reproduce(matrix, {
        ...base,
        methods: [
          { module: fixtures, export: "constantHalf" },
          { module: fixtures, export: "constantHalf" },
        ],
      }),
      /"constant-half" is given twice/,
    );
  });

  test("registerMethod with workers > 1 is refused up front, naming the fix; it still works inline", async () => {
    registerMethod("only-here", () => ({
      name: "only-here",
      run: (ctx) => ({ estimates: new Float64Array(ctx.oracles.length) }),
    }));
    await usageError(
      reproduce(matrix, { ...base, methods: ["only-here"], workers: 2 }),
      /registerMethod.*\{ module, export \}/,
    );
    const r = await reproduce(matrix, { ...base, methods: ["only-here"], workers: 1 });
    expect(r.results[0]?.method).toBe("only-here");
  });

  test("registerMethod refuses a built-in or paired method's name (the workers would keep the built-in)", () => {
    const f = () => ({ name: "x", run: () => ({ estimates: new Float64Array(0) }) });
    for (const name of ["tailored", "random", "paired"]) {
      expect(() => registerMethod(name, f)).toThrow(
        new RegExp(`^registerMethod: "${name}" is a method of this package`),
      );
    }
    expect(() => registerMethod("", f)).toThrow(/^registerMethod: name must be a non-empty string/);
    expect(() => registerMethod("mine", "nope" as never)).toThrow(/^registerMethod: factory must be a function/);
  });

  test("seed and workers are checked up front, in the config's terms", async () => {
    const base1 = { ...base, methods: ["random"] };
    await usageError(reproduce(matrix, { ...base1, seed: "3" as never }), /^seed must be an integer, got "3"/);
    await usageError(
      reproduce(matrix, { ...base1, seed: undefined as never }),
      /^seed must be an integer, got undefined/,
    );
    await usageError(reproduce(matrix, { ...base1, seed: 1.5 }), /^seed must be an integer, got 1.5/);
    for (const workers of [0, 2.5, Number.NaN, -3]) {
      await usageError(reproduce(matrix, { ...base1, workers }), /^workers must be an integer ≥ 1/);
    }
  });

  test("an unknown method name is E_USAGE naming the option", async () => {
    await usageError(reproduce(matrix, { ...base, methods: ["nope"] }), /^methods: unknown method "nope"/);
  });
});
