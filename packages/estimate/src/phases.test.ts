import { CorrectnessMatrix } from "@tb/core";
import { describe, expect, test } from "vitest";
import { estimateInterval } from "./interval.js";
import { estimate, probe, selectNatives, tailor } from "./tailored.js";
import { expectUsage } from "./test-utils.js";

// 12 sources × 40 examples of 0/1 answers, fixed by a small LCG (no dependence on the code tested)
let seed = 11;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const sources = CorrectnessMatrix.from(
  Array.from({ length: 12 }, (_, s) => Array.from({ length: 40 }, () => (rnd() < 0.3 + s / 20 ? 1 : 0))),
);
const target = Array.from({ length: 40 }, (_, j) => (j % 3 === 0 ? 0 : 1));

describe("the phase functions refuse what is not an option of TailoredBench, by name", () => {
  const { gset } = probe(sources, 0, { gset: 5 });
  const gAnswers = [Array.from(gset, (j) => target[j] as number)];
  const natives = selectNatives(sources, gset, gAnswers).natives[0] as Int32Array;
  const plan = tailor(sources, gset, natives, 12, 1);
  const answers = Array.from(plan.nset, (j) => target[j] as number);
  test("a misspelled name, which each would otherwise run with the default", () => {
    expectUsage(() => probe(sources, 0, { gest: 5 } as never), /^probe: unknown option "gest" \(known: gset, /);
    expectUsage(
      () => selectNatives(sources, gset, gAnswers, { nativeCout: 3 } as never),
      /^selectNatives: unknown option "nativeCout"/,
    );
    expectUsage(
      () => tailor(sources, gset, natives, 12, 1, { metirc: "euclidean" } as never),
      /^tailor: unknown option "metirc"/,
    );
    expectUsage(
      () => estimate(sources, plan, answers, { estimater: "medoid" } as never),
      /^estimate: unknown option "estimater"/,
    );
    expectUsage(
      () => estimateInterval(sources, plan, 0.5, { lvl: 0.5 } as never),
      /^estimateInterval: unknown option "lvl"/,
    );
  });
  test("a misspelled name inside the clustering options, and a bad value, in the function's terms", () => {
    expectUsage(
      () => tailor(sources, gset, natives, 12, 1, { nsetClustering: { maxiter: 0 } as never }),
      /^tailor: nsetClustering/,
    );
    expectUsage(() => estimate(sources, plan, answers, { clip: "bogus" as never }), /^estimate: clip must be one of/);
  });
  test("one options object of TailoredBench can go to every phase (each reads its part)", () => {
    const o = { gset: 5, nativeCount: 3, clip: "both" as const, level: 0.8, targetPooling: "single" as const };
    expect(probe(sources, 0, o).gset).toEqual(gset);
    expect(selectNatives(sources, gset, gAnswers, o).natives[0]).toHaveLength(3);
    expect(() => tailor(sources, gset, natives, 12, 1, o)).not.toThrow();
    // each reads its own part of the object: the same as given that part alone
    expect(estimate(sources, plan, answers, o)).toEqual(estimate(sources, plan, answers, { clip: "both" }));
    expect(tailor(sources, gset, natives, 12, 1, o)).toEqual(tailor(sources, gset, natives, 12, 1, { gset: 5 }));
    expect(() => estimateInterval(sources, plan, 0.5, { ...o, scale: 1 })).not.toThrow();
  });
});
