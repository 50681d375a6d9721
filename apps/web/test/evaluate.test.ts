import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createEvaluation, evaluate } from "@tb/estimate";
import { estimateRangeNote } from "@tb/estimate/internals";
import { syntheticPopulation } from "@tb/experiment";
import { formatCorrectnessCsv } from "@tb/io";
import { lmEvalV03Permutation } from "@tb/io/browser";
import { describe, expect, test } from "vitest";
import {
  answerStep,
  DEFAULT_EVALUATE,
  type EvaluateSettings,
  type Finished,
  loadSourceCsv,
  type PlanResult,
  parseAnswers,
  probeStep,
} from "../src/evaluate.js";
import { evaluateExample } from "../src/example.js";
import { fixture } from "./fixture.js";

/** The step's next ask (a test fails here if the evaluation is done instead). */
function asks(r: PlanResult | Finished): PlanResult {
  if (r.done) throw new Error("the evaluation is done, but more was expected");
  return r;
}

/** The estimate of a finished evaluation (a test fails here if it asks for more). */
function finished(r: PlanResult | Finished): Finished {
  if (!r.done) throw new Error(`the evaluation asks for more (${r.reason}), but it was expected to be done`);
  return r;
}

const ROOT = resolve(import.meta.dirname, "../../..");

function tb(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@tb/source", resolve(ROOT, "apps/cli/src/bin.ts"), ...args],
    { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
  );
  if (r.status !== 0) throw new Error(`tb ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe("evaluate in the browser = tb probe → tailor → estimate", () => {
  for (const [label, target, method] of [
    ["tailored-plus, a target within the sources' range", "median", "tailored-plus"],
    ["tailored-plus, the strongest model (beyond the sources)", "strongest", "tailored-plus"],
    ["tailored", "median", "tailored"],
  ] as const) {
    test(label, () => {
      const dir = mkdtempSync(join(tmpdir(), "tb-web-eval-"));
      const fx = fixture(target);
      const src = join(dir, "correctness.csv");
      writeFileSync(src, fx.sourcesCsv);
      const s: EvaluateSettings = { ...DEFAULT_EVALUATE, gset: 8, budget: 20, seed: 3, method, docOrder: "identity" };

      // the page's three phases, on the files' text
      const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
      const probed = probeStep(sources, s);
      const gAnswers = parseAnswers(sources, fx.answersCsv(probed.gsetIds), "g.csv");
      const first = asks(answerStep(sources, probed, gAnswers, s));
      // tailored-plus's second look (a model at the top of the sources' range): one more round
      const plan =
        first.mode === "look"
          ? asks(answerStep(sources, first, parseAnswers(sources, fx.answersCsv(first.toEvaluateIds), "look.csv"), s))
          : first;
      const rest = parseAnswers(sources, fx.answersCsv(plan.toEvaluateIds), "rest.csv");
      const done = finished(answerStep(sources, plan, rest, s));
      const est = done.estimate;

      // the CLI's, on files
      tb(["probe", "--source", src, "--gset", "8", "--seed", "3", "--out", join(dir, "probe.json")]);
      const probeFile = JSON.parse(readFileSync(join(dir, "probe.json"), "utf8"));
      expect(probed.gsetIds).toEqual(probeFile.gset);
      expect(probed.samples).toEqual({
        toy: probeFile.gset.map((id: string) => Number(id.slice(4))).sort((a: number, b: number) => a - b),
      });
      writeFileSync(join(dir, "target.csv"), fx.answersCsv(probeFile.gset));
      tb([
        "tailor",
        "--source",
        src,
        "--probe",
        join(dir, "probe.json"),
        "--responses",
        join(dir, "target.csv"),
        "--budget",
        "20",
        "--method",
        method,
        "--out",
        join(dir, "plan.json"),
      ]);
      const firstFile = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"));
      expect(first.toEvaluateIds).toEqual(firstFile.toEvaluate);
      expect(first.mode).toBe(firstFile.mode);
      let final = join(dir, "plan.json");
      const extra: string[] = [];
      if (firstFile.mode === "look") {
        writeFileSync(join(dir, "look.csv"), fx.answersCsv(firstFile.toEvaluate));
        final = join(dir, "final.json");
        tb([
          "tailor",
          "--source",
          src,
          "--plan",
          join(dir, "plan.json"),
          "--responses",
          join(dir, "look.csv"),
          "--out",
          final,
        ]);
        extra.push("--responses", join(dir, "look.csv"));
      }
      const planFile = JSON.parse(readFileSync(final, "utf8"));
      expect(plan.toEvaluateIds).toEqual(planFile.toEvaluate);
      expect(plan.mode).toBe(planFile.mode);
      expect(plan.outOfRange).toBe(planFile.outOfRange ?? null);
      if (target === "strongest") {
        expect(first.mode).toBe("look");
        expect(plan.mode).toBe("beyond");
      }
      if (target === "median" && method === "tailored-plus") expect(plan.mode).toBe("within");
      writeFileSync(join(dir, "rest.csv"), fx.answersCsv(planFile.toEvaluate));
      const cli = JSON.parse(
        tb(["estimate", "--source", src, "--plan", final, "--responses", join(dir, "rest.csv"), ...extra, "--json"]),
      );
      expect(est.accuracy).toBe(cli.accuracy);
      expect(est.interval).toEqual(cli.interval);
      expect(est.rank).toEqual(cli.rank);
      expect(est.outOfRange).toBe(cli.outOfRange);
      // the "out of range" row says the library's sentence (G-set flag or the coreset's), not a rule of the page's
      expect(est.rangeNote).toBe(
        estimateRangeNote(est.outOfRange, method === "tailored-plus" ? (planFile.outOfRange ?? null) : null, est.mode),
      );
      if (est.outOfRange !== null) expect(est.rangeNote).toMatch(/^its (G-set score|score on its coreset)/);
      expect(est.evaluated).toBe(20);
      // and the estimate is a sensible one for this population: within 0.15 of the truth
      expect(Math.abs(est.accuracy - fx.truth)).toBeLessThan(0.15);
    });
  }

  test("bad inputs are refused with the problem named", () => {
    const fx = fixture("median");
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    // createEvaluation's "budget must be …", named by the page's field (the library's message since
    // the resumable evaluation: "budget must be an integer larger than the G-set (g) and at most …")
    expect(() => probeStep(sources, { ...DEFAULT_EVALUATE, budget: 10, gset: 10 })).toThrow(
      /^budget must be an integer larger than the G-set \(10\) .*, got 10$/,
    );
    expect(() => probeStep(sources, { ...DEFAULT_EVALUATE, budget: 500 })).toThrow(/at most the 90 examples, got 500$/);
    const probed = probeStep(sources, DEFAULT_EVALUATE);
    const partial = parseAnswers(sources, fx.answersCsv(probed.gsetIds.slice(1)), "g.csv");
    expect(() => answerStep(sources, probed, partial, DEFAULT_EVALUATE)).toThrow(
      new RegExp(`9 of the 10 examples needed are answered; missing "${probed.gsetIds[0]}"`),
    );
    expect(() => loadSourceCsv("model,a\nm1,2\n", "bad.csv")).toThrow(/bad\.csv/);
    // plain ids without a task: no samples JSON, and the reason
    const plain = loadSourceCsv(fx.sourcesCsv.replace(/toy\//g, ""), "plain.csv");
    const p2 = probeStep(plain, { ...DEFAULT_EVALUATE, docOrder: "identity" });
    expect(p2.samples).toBeNull();
    expect(p2.samplesNote).toMatch(/plain doc index/);
    expect(probeStep(plain, { ...DEFAULT_EVALUATE, docOrder: "identity", task: "gsm8k" }).samples).toHaveProperty(
      "gsm8k",
    );
  });

  test("budget N left empty: the library's default for the matrix, and the evaluation says which", () => {
    // a benchmark smaller than the library's default budget: the page must not need its field changed
    for (const examples of [25, 90]) {
      const csv = formatCorrectnessCsv(syntheticPopulation({ models: 20, examples, seed: 5 }));
      const sources = loadSourceCsv(csv, "small.csv");
      const probed = probeStep(sources, DEFAULT_EVALUATE);
      expect(DEFAULT_EVALUATE.budget).toBeUndefined();
      // the value is the library's own (createEvaluation with no budget), not a rule of the page
      expect(probed.budget).toBe(createEvaluation(sources, {}).budget);
      expect(probed.budget).toBeLessThanOrEqual(examples);
      // a budget set is the one used
      expect(probeStep(sources, { ...DEFAULT_EVALUATE, budget: 20 }).budget).toBe(20);
    }
  });

  test("ids of unknown provenance: no lm-eval samples JSON, and lm-eval answers are refused", () => {
    const fx = fixture("median");
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    const probed = probeStep(sources, DEFAULT_EVALUATE);
    expect(probed.samples).toBeNull();
    expect(probed.samplesNote).toMatch(/not known to be lm-eval doc indices/);
    const lm = probed.gsetIds.map((id) => JSON.stringify({ doc_id: Number(id.slice(4)), acc: 1 })).join("\n");
    expect(() => parseAnswers(sources, lm, "samples_toy_2024-06-01T00-00-00.jsonl")).toThrow(
      /not known to be lm-eval doc indices/,
    );
    // with the ids declared doc indices the same file is read, example by example
    const read = parseAnswers(sources, lm, "samples_toy_2024-06-01T00-00-00.jsonl", {}, "identity");
    expect([...read.keys()].sort((a, b) => a - b)).toEqual(Array.from(probed.gset).sort((a, b) => a - b));
  });

  test("the library's errors name the page's fields, not CLI flags or option names", () => {
    const fx = fixture("median");
    const plain = loadSourceCsv(
      fx.sourcesCsv.replace(/toy\/(\d+)/g, (_m, d: string) => d),
      "plain.csv",
    );
    // lmEvalSamplesFor: option docOrder "lm-eval-v0.3" needs … (option task, …), on the page:
    const probed = probeStep(plain, { ...DEFAULT_EVALUATE, docOrder: "lm-eval-v0.3" });
    expect(probed.samples).toBeNull();
    expect(probed.samplesNote).toBe(
      "“example ids are: columns in lm-eval v0.3 visit order” needs the lm-eval task of the matrix (“lm-eval task”, e.g. gsm8k)",
    );
    expect(probed.samplesNote).not.toMatch(/--|\btb |docOrder|option |lmEvalSamplesFor/);

    // ids that are not doc indices, declared doc indices: a sentence naming no option, said
    // against the field whose choice it contradicts (not "lmEvalSamplesFor: …")
    const custom = loadSourceCsv(
      fx.sourcesCsv.replace(/toy\/(\d+)/g, (_m, d: string) => `q${d}`),
      "custom.csv",
    );
    const c = probeStep(custom, { ...DEFAULT_EVALUATE, docOrder: "identity" });
    expect(c.samples).toBeNull();
    expect(c.samplesNote).toBe(
      `“example ids are: lm-eval doc indices”, but example id "${c.gsetIds[0]}" is not an lm-eval doc index (expected <doc_id> or <task>/<doc_id>)`,
    );
    // columns in v0.3 visit order with ids that are not column numbers: no empty location "()" left
    const v03 = probeStep(loadSourceCsv(fx.sourcesCsv, "correctness.csv"), {
      ...DEFAULT_EVALUATE,
      docOrder: "lm-eval-v0.3",
      task: "gsm8k",
    });
    expect(v03.samples).toBeNull();
    expect(v03.samplesNote).toBe(
      `example id "${v03.gsetIds[0]}" is not a column number below 90: “example ids are: columns in lm-eval v0.3 visit order” maps column k of a matrix in lm-eval v0.3's visit order to its doc, so the ids must be 0..89`,
    );
    for (const note of [c.samplesNote, v03.samplesNote]) {
      expect(note).not.toMatch(/--|\btb |docOrder|option |lmEvalSamplesFor|\(\)/);
    }
  });

  test("columns in lm-eval v0.3 visit order: the samples JSON names doc perm[k], and answers map back", () => {
    const fx = fixture("median");
    // the fixture's matrix with plain column numbers as ids, as the paper's GSM8K matrix has
    const plain = loadSourceCsv(
      fx.sourcesCsv.replace(/toy\/(\d+)/g, (_m, d: string) => d),
      "plain.csv",
    );
    const s: EvaluateSettings = { ...DEFAULT_EVALUATE, docOrder: "lm-eval-v0.3", task: "gsm8k" };
    const probed = probeStep(plain, s);
    // Python: random.Random(42).shuffle(list(range(n))) — the permutation itself is checked
    // against python3 in @tb/io's tests; here its use: column k is asked as doc perm[k]
    const perm = lmEvalV03Permutation(plain.cols);
    expect(probed.samples).toEqual({
      gsm8k: probed.gsetIds.map((k) => perm[Number(k)] as number).sort((a, b) => a - b),
    });
    const lm = probed.gsetIds.map((k) => JSON.stringify({ doc_id: perm[Number(k)], acc: 1 })).join("\n");
    const read = parseAnswers(plain, lm, "samples_gsm8k_2024-06-01T00-00-00.jsonl", {}, "lm-eval-v0.3");
    expect([...read.keys()].sort((a, b) => a - b)).toEqual(Array.from(probed.gset).sort((a, b) => a - b));
  });
});

/**
 * The page's steps, driven to the end: each round's ids are answered from `answer` through an
 * answers CSV (as a file the user uploads) until the evaluation asks for nothing more.
 */
function drive(csv: string, s: EvaluateSettings, answer: (ids: readonly string[]) => number[]) {
  const sources = loadSourceCsv(csv, "correctness.csv");
  const toCsv = (ids: readonly string[]) => {
    const a = answer(ids);
    return `example,correct\n${ids.map((id, k) => `${id},${a[k]}`).join("\n")}\n`;
  };
  let step: ReturnType<typeof probeStep> | PlanResult = probeStep(sources, s);
  const rounds: { reason: string; ids: string[] }[] = [];
  for (let k = 0; k < 20; k++) {
    const ids: string[] =
      step.round === 1 ? (step as ReturnType<typeof probeStep>).gsetIds : (step as PlanResult).toEvaluateIds;
    rounds.push({ reason: step.reason, ids });
    const r = answerStep(sources, step, parseAnswers(sources, toCsv(ids), `round${step.round}.csv`), s);
    if (r.done) return { sources, rounds, done: r };
    step = r;
  }
  throw new Error("the evaluation did not end in 20 rounds");
}

describe("precision on demand in the page = evaluate() with the same options", () => {
  const cases = [
    {
      label: "a model within the sources' range: two precision rounds, the precision reached",
      data: () => {
        const fx = fixture("median");
        return { csv: fx.sourcesCsv, answer: fx.answers };
      },
      s: { ...DEFAULT_EVALUATE, gset: 8, budget: 20, seed: 3, precision: 0.08, maxBudget: 80 },
      // the doubling schedule from N = 20 up to at most 80 examples: 20 → 40 → 80
      asked: [8, 20, 40, 80],
    },
    {
      label: "the strongest model (second look, beyond): stopped at 'at most N examples' short of the precision",
      data: () => {
        const fx = fixture("strongest");
        return { csv: fx.sourcesCsv, answer: fx.answers };
      },
      s: { ...DEFAULT_EVALUATE, gset: 8, budget: 20, seed: 3, precision: 0.03, maxBudget: 80 },
      asked: [8, 12, 20, 40, 80],
    },
    {
      label: "the page's one-click example (default settings): three precision rounds, the precision reached",
      data: () => {
        const ex = evaluateExample();
        return {
          csv: ex.sourcesCsv,
          answer: (ids: readonly string[]) => ids.map((id) => ex.model.answers[id] as number),
        };
      },
      s: { ...DEFAULT_EVALUATE, precision: 0.05, maxBudget: 240 },
      // 10 → 30 (the design of budget 30) → 60 → 120 → 240
      asked: [10, 30, 60, 120, 240],
    },
  ];
  for (const c of cases) {
    test(c.label, async () => {
      const { csv, answer } = c.data();
      const page = drive(csv, c.s, answer);
      const est = page.done.estimate;
      const lib = await evaluate(page.sources, (ids) => answer(ids), {
        gset: c.s.gset,
        budget: c.s.budget as number,
        seed: c.s.seed,
        level: c.s.level,
        method: c.s.method,
        metric: c.s.metric,
        standardize: c.s.standardize,
        precision: c.s.precision as number,
        maxBudget: c.s.maxBudget as number,
      });
      expect(est.accuracy).toBe(lib.accuracy);
      expect(est.interval).toEqual(lib.interval);
      expect(page.rounds.flatMap((r) => r.ids)).toEqual(lib.asked);
      expect(est.evaluated).toBe(lib.asked.length);
      expect(est.rounds).toBe(lib.rounds);
      expect(est.reachedPrecision).toBe(lib.reachedPrecision);
      expect(est.rank).toEqual(lib.rank);

      // independent of the code: the schedule's totals, each example asked once, rounds counted
      const rows = page.done.rounds;
      expect(rows.map((r) => r.asked)).toEqual(c.asked);
      expect(rows.map((r) => r.round)).toEqual(c.asked.map((_, k) => k + 1));
      expect(new Set(lib.asked).size).toBe(lib.asked.length);
      expect(est.rounds).toBe(c.asked.length);
      // the stopping rule, as docs/DESIGN.md states it: every look that asked for more had a
      // half-width above the precision; the last one is at most it, or the most examples were asked
      const P = c.s.precision as number;
      const looks = rows.filter((r) => r.halfWidth !== undefined);
      expect(looks.length).toBe(rows.filter((r) => r.reason === "precision").length + 1);
      for (const r of looks.slice(0, -1)) expect(r.halfWidth as number).toBeGreaterThan(P);
      const last = rows.at(-1) as (typeof rows)[number];
      const [lo, hi] = est.interval as [number, number];
      expect(last.interval).toEqual([lo, hi]);
      expect(last.halfWidth).toBeCloseTo((hi - lo) / 2, 12);
      if (est.reachedPrecision) expect((hi - lo) / 2).toBeLessThanOrEqual(P);
      else expect(last.asked).toBe(c.s.maxBudget);
    });
  }

  test("answering an earlier round again starts over from there, with the same result", () => {
    const fx = fixture("median");
    const s: EvaluateSettings = { ...DEFAULT_EVALUATE, gset: 8, budget: 20, seed: 3, precision: 0.08, maxBudget: 80 };
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    const probed = probeStep(sources, s);
    const g = parseAnswers(sources, fx.answersCsv(probed.gsetIds), "g.csv");
    const design = asks(answerStep(sources, probed, g, s));
    const p1 = asks(
      answerStep(sources, design, parseAnswers(sources, fx.answersCsv(design.toEvaluateIds), "n.csv"), s),
    );
    expect(p1.reason).toBe("precision");
    expect(p1.why).toMatch(/^20 more difficulty-stratified random examples \(20 asked so far, at most 80\)/);
    // the design step answered again: the same first precision round, not a second one
    const again = asks(
      answerStep(sources, design, parseAnswers(sources, fx.answersCsv(design.toEvaluateIds), "n.csv"), s),
    );
    expect(again.toEvaluateIds).toEqual(p1.toEvaluateIds);
    expect(again.round).toBe(3);
    // changing the precision after the G-set is refused by name
    expect(() =>
      answerStep(sources, p1, parseAnswers(sources, fx.answersCsv(p1.toEvaluateIds), "p.csv"), {
        ...s,
        precision: 0.1,
      }),
    ).toThrow(/settings changed since the G-set was computed \(precision \(half-width\)\)/);
  });

  test("the evaluation's precision errors name the page's fields", () => {
    const fx = fixture("median");
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    const msg = (s: Partial<EvaluateSettings>) => {
      try {
        probeStep(sources, { ...DEFAULT_EVALUATE, ...s });
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error("no error");
    };
    expect(msg({ precision: 0.7, maxBudget: 60 })).toBe(
      "precision (half-width) must be a half-width in (0, 0.5], got 0.7",
    );
    expect(msg({ precision: 0.05 })).toBe(
      "precision (half-width) needs “at most N examples” (the most distinct examples a target may be asked)",
    );
    expect(msg({ precision: 0.05, maxBudget: 20 })).toBe(
      "at most N examples must be an integer in [budget 30, 90 examples], got 20",
    );
    expect(msg({ maxBudget: 60 })).toMatch(/^at most N examples is given without precision/);
    expect(msg({ method: "tailored", precision: 0.05, maxBudget: 60 })).toBe(
      'precision (half-width) and “at most N examples” apply to method "tailored-plus" only',
    );
    for (const s of [{ precision: 0.05 }, { maxBudget: 60 }, { precision: 2, maxBudget: 60 }]) {
      expect(msg(s)).not.toMatch(/maxBudget|createEvaluation|option /);
    }
  });
});
