/**
 * `METHOD_DEFAULTS` / `methodOptions`: the option table a report's provenance prints must be what
 * the methods do. Checked by behaviour, not by reading the table back: a trial run with the table's
 * values passed explicitly gives the same estimates as a trial run with no options, and a value
 * other than the default changes them (so the field is really read).
 */
import { isTbError } from "@tb/core";
import { describe, expect, test } from "vitest";
import { type TrialTask, trialEstimates } from "./protocol.js";
import { METHOD_DEFAULTS, type MethodConfig, methodOptions, unreadConfigFields } from "./registry.js";
import { reproduce } from "./reproduce.js";
import { syntheticPopulation } from "./synthetic.js";

const matrix = syntheticPopulation({ models: 48, examples: 120, seed: 7 });
/** Extrapolation at N = 30: targets above the sources, so tailored-plus takes second looks and both modes. */
const task = (method: string, config: MethodConfig): TrialTask => ({
  method,
  config,
  budget: method === "tailored-plus" ? 30 : 12,
  trial: 0,
  seed: 3,
  split: method === "tailored-plus" ? "extrapolation" : "random",
  targetFraction: 0.3,
});
const run = (method: string, config: MethodConfig) => trialEstimates(matrix, task(method, config)).targets;

/** Values other than the default, one option at a time: each must change the numbers (the option is read). */
const OTHER: Record<string, Partial<MethodConfig>[]> = {
  tailored: [{ estimator: "medoid" }, { gset: 8 }],
  "tailored-plus": [
    { secondLook: 0 },
    { plusMode: "beyond" },
    { coordinated: false },
    { residualAlpha: 100 },
    { level: 0.8 },
  ],
  random: [{ randomMode: "perTarget" }],
  "anchor-points": [{ anchorAlgorithm: "pam" }],
  "random-search-learn": [{ search: 50 }],
  "gp-irt": [{ irtEarlyStop: true }],
};

describe("METHOD_DEFAULTS", () => {
  for (const [method, defaults] of Object.entries(METHOD_DEFAULTS)) {
    test(`${method}: passing the documented defaults gives the numbers of passing nothing`, () => {
      const none = run(method, {});
      const explicit = run(method, defaults as MethodConfig);
      expect(explicit).toEqual(none);
      for (const other of OTHER[method] ?? []) {
        const merged: MethodConfig = { ...(defaults as MethodConfig), ...other };
        // defaults the other value leaves unread are refused (the next tests): left out here
        if (other.plusMode !== undefined) {
          delete merged.secondLook;
          delete merged.coordinated;
          delete merged.rangeQuantile;
        }
        if (other.secondLook === 0) delete merged.coordinated;
        if (other.estimator === "medoid") delete merged.clip;
        expect(run(method, merged), JSON.stringify(other)).not.toEqual(none);
      }
    }, 60_000);
  }
});

describe("tailored-plus's config with a forced mode", () => {
  test("a field that mode never reads is refused in the config's own names", () => {
    const refused: [Partial<MethodConfig>, RegExp][] = [
      [
        { plusMode: "beyond", secondLook: 0.3 },
        /^config: secondLook is never read when the mode is forced to "beyond"/,
      ],
      [
        { plusMode: "within", coordinated: true },
        /^config: coordinated is never read when the mode is forced to "within"/,
      ],
      [{ plusMode: "within", residualAlpha: 100 }, /^config: residualAlpha is never read/],
    ];
    for (const [config, re] of refused) expect(() => run("tailored-plus", config as MethodConfig)).toThrow(re);
    // what the mode reads is taken, and a second look of 0 (what a forced mode does) too
    expect(() => run("tailored-plus", { plusMode: "beyond", residualAlpha: 100, secondLook: 0 })).not.toThrow();
  });
  test("TailoredBench: clip with the medoid estimator, n̄'s rule with nativeCount, in the config's names", () => {
    expect(() => run("tailored", { estimator: "medoid", clip: "both" })).toThrow(
      /^config: clip applies to the calibrated estimator; estimator "medoid" never reads it/,
    );
    expect(() => run("tailored", { nativeCount: 5, thresholdCompare: "lt" })).toThrow(
      /^config: thresholdCompare applies to the native count n̄ that nativeCount sets/,
    );
    expect(() => run("tailored", { nativeCount: 5, strictNatives: true })).toThrow(/^config: strictNatives applies/);
  });
});

describe("unreadConfigFields", () => {
  test("the fields no method reads, defaults included; paired designs read their own; a stop makes random read level", () => {
    expect(unreadConfigFields(["random"], { gset: 10 })).toEqual(["gset"]);
    expect(unreadConfigFields(["tailored", "random"], { gset: 10, secondLook: 0.3 })).toEqual(["secondLook"]);
    expect(unreadConfigFields(["tailored-plus"], { secondLook: 0.3, level: 0.9, coordinated: true })).toEqual([]);
    expect(unreadConfigFields(["paired"], { gset: 5, distance: "cosine" })).toEqual([]);
    expect(unreadConfigFields(["paired-random"], { gset: 5, level: 0.8 })).toEqual(["gset"]);
    expect(unreadConfigFields(["random"], { level: 0.8 })).toEqual(["level"]);
    expect(unreadConfigFields(["random"], { level: 0.8 }, { precision: 0.05, maxBudget: 100 })).toEqual([]);
    // a value the method refuses counts as read: the refusal is the method's to say
    expect(unreadConfigFields(["tailored"], { gset: -1 })).toEqual([]);
  });
});

describe("methodOptions", () => {
  test("the given values win; level is per method; gp-IRT's dimension is said to be chosen", () => {
    const o = methodOptions(["tailored-plus", "tailored", "gp-irt", "random-learn"], { gset: 8, level: 0.8 });
    expect(o.gset).toBe(8);
    expect(o["level (tailored-plus)"]).toBe(0.8);
    expect(o["level (tailored)"]).toBe(0.8);
    expect(o.irtDim).toBe("chosen by validation");
    expect(o.nativeCount).toMatch(/n̄/);
    expect(o.cacheMiB).toBe(48); // DEFAULT_CACHE_BYTES, 48 MiB
    expect(o.plusMode).toBe("auto");
    expect(methodOptions(["tailored"])["level (tailored)"]).toBe("none (no interval)");
    expect(methodOptions(["random-learn"])).toEqual({});
  });

  test("an unknown method is refused by name", () => {
    try {
      methodOptions(["tailored", "nope"]);
    } catch (e) {
      expect(isTbError(e)).toBe(true);
      expect(String((e as Error).message)).toMatch(/unknown method "nope"/);
      return;
    }
    throw new Error("expected a TbError");
  });

  test("reproduce refuses a config field no built-in method reads, naming it", async () => {
    const m = syntheticPopulation({ models: 30, examples: 80, seed: 2 });
    const run = (config: object, methods = ["random"]) =>
      reproduce(m, {
        methods,
        budgets: [20],
        trials: 1,
        seed: 0,
        split: "random",
        config: config as MethodConfig,
      });
    await expect(run({ residualAlfa: 100 })).rejects.toThrow(/^config: unknown option "residualAlfa" \(known: gset, /);
    // a known field that none of the methods run reads is refused too (it would be recorded and ignored)
    await expect(run({ residualAlpha: 100 })).rejects.toThrow(
      /^config: residualAlpha is read by none of the methods run \(random\)/,
    );
    await expect(run({ level: 0.8, secondLook: 0.2 }, ["random", "anchor-points"])).rejects.toThrow(
      /^config: level is read by none/,
    );
    await expect(run({ estimator: "medoid" }, ["tailored-plus"])).rejects.toThrow(/^config: estimator is read by none/);
    await expect(run({ pairsNope: 1 } as object, ["random"])).rejects.toThrow(/unknown option "pairsNope"/);
    // read by one of them: fine; a documented default (gset 10) changes nothing anywhere: fine
    await expect(run({ residualAlpha: 100 }, ["random", "tailored-plus"])).resolves.toBeDefined();
    await expect(run({ gset: 10 })).resolves.toBeDefined();
    // gset is the run's too (the report's top-level gset): accepted with any methods
    await expect(run({ gset: 12 })).resolves.toBeDefined();
    await expect(run({ level: 0.8 })).rejects.toThrow(/^config: level is read by none/);
    await expect(run({ level: 0.8 }, ["random", "tailored"])).resolves.toBeDefined();
  });
});
