import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Workspace } from "@tb/core";
import { describe, expect, test } from "vitest";
import { executeTasks } from "./executor.js";
import { runTrial, type TrialRecord, type TrialTask } from "./protocol.js";
import { syntheticPopulation } from "./synthetic.js";

const matrix = syntheticPopulation({ models: 40, examples: 240, seed: 3 });
const task = (method: string, budget: number, trial: number, split: "random" | "meta" = "random"): TrialTask => ({
  method,
  budget,
  trial,
  seed: 7,
  // one IRT dimension instead of the search over four (the fits dominate the time otherwise)
  config: method === "gp-irt" ? { irtDim: 2 } : {},
  split,
  targetFraction: 0.3,
  ...(split === "meta"
    ? { metaSplit: { source: [...Array(28).keys()], target: [28, 29, 30, 31, 32, 33, 34, 35] } }
    : {}),
});
/** The record without its timing. */
const numbers = ({ seconds: _, ...rest }: TrialRecord) => rest;
const METHODS = ["tailored", "tailored-plus", "anchor-points", "gp-irt"];

describe("the protocol run owns what the methods keep (MethodContext.workspace)", () => {
  test("the same records without a workspace, with one reused across trials, and with a fresh one each", () => {
    const tasks = METHODS.flatMap((m) => [task(m, 15, 0, "meta"), task(m, 15, 1, "meta"), task(m, 20, 0)]);
    const shared = new Workspace();
    for (const t of tasks) {
      const none = numbers(runTrial(matrix, t));
      expect(numbers(runTrial(matrix, t, undefined, shared))).toEqual(none);
      expect(numbers(runTrial(matrix, t, undefined, new Workspace()))).toEqual(none);
    }
    // the reused workspace kept work for later trials: split sources, IRT fits, distance sources
    const { bySlot } = shared.stats();
    expect(bySlot["@tb/experiment split sources"]?.entries).toBeGreaterThan(0);
    expect(bySlot["@tb/baselines gp-IRT calibrations"]?.entries).toBeGreaterThan(0);
    expect(bySlot["@tb/estimate native-set sources"]?.entries).toBeGreaterThan(0);
    shared.dispose();
    expect(shared.stats()).toMatchObject({ slots: 0, entries: 0, bytes: 0 });
  });

  test("a reused workspace serves the later trials (one IRT fit per sources matrix)", () => {
    const ws = new Workspace();
    runTrial(matrix, task("gp-irt", 15, 0, "meta"), undefined, ws);
    const after1 = ws.stats().bySlot["@tb/baselines gp-IRT calibrations"]?.entries;
    runTrial(matrix, task("gp-irt", 20, 1, "meta"), undefined, ws);
    expect(ws.stats().bySlot["@tb/baselines gp-IRT calibrations"]?.entries).toBe(after1);
    expect(after1).toBe(1);
  });

  test("a trial without a workspace keeps nothing: its matrix can be collected after it", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const ref = (() => {
      const m = syntheticPopulation({ models: 30, examples: 200, seed: 9 });
      for (const method of METHODS) runTrial(m, task(method, 15, 0));
      return new WeakRef(m);
    })();
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(ref.deref()).toBeUndefined();
  });

  test("executeTasks: the same records inline (one workspace for the run) and on 2 workers (one each)", async () => {
    const tasks = ["tailored", "gp-irt"].flatMap((m) => [0, 1, 2].map((trial) => task(m, 15, trial, "meta")));
    const alone = tasks.map((t) => numbers(runTrial(matrix, t)));
    const threads: number[] = [];
    const onWorkers = (n: number) => threads.push(n);
    const inline = await executeTasks(matrix, tasks, { workers: 1, onWorkers });
    const pooled = await executeTasks(matrix, tasks, { workers: 2, onWorkers });
    expect(inline.map(numbers)).toEqual(alone);
    expect(pooled.map(numbers)).toEqual(alone);
    // told once per run, before the first trial: the threads used
    expect(threads).toEqual([1, 2]);
  });

  test("executeTasks tells the threads it runs on: never more than the tasks", async () => {
    const one = [task("random", 15, 0, "meta")];
    const threads: number[] = [];
    await executeTasks(matrix, one, { workers: 4, onWorkers: (n) => threads.push(n) });
    await executeTasks(matrix, [...one, task("random", 15, 1, "meta")], {
      workers: 4,
      onWorkers: (n) => threads.push(n),
    });
    expect(threads).toEqual([1, 2]);
  });

  test("executeTasks: a random split's trials run grouped by split (budgets of a trial together), records in task order", async () => {
    // task order is method, budget, trial; the run groups each trial's budgets and methods
    const tasks = ["gp-irt", "random"].flatMap((m) =>
      [15, 20].flatMap((b) => [0, 1, 2].map((trial) => task(m, b, trial))),
    );
    const alone = tasks.map((t) => numbers(runTrial(matrix, t)));
    const order: string[] = [];
    const inline = await executeTasks(matrix, tasks, {
      workers: 1,
      onProgress: (_d, _n, rec) => order.push(`${rec.method}:${rec.budget}:${rec.trial}`),
    });
    const pooled = await executeTasks(matrix, tasks, { workers: 2 });
    expect(inline.map(numbers)).toEqual(alone);
    expect(pooled.map(numbers)).toEqual(alone);
    expect(order.slice(0, 4)).toEqual(["gp-irt:15:0", "gp-irt:20:0", "random:15:0", "random:20:0"]);
  });
});
