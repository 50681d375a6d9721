import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { lmEvalV03Permutation } from "@tb/io/browser";
import { describe, expect, test } from "vitest";
import {
  DEFAULT_EVALUATE,
  type EvaluateSettings,
  estimateStep,
  loadSourceCsv,
  lookStep,
  parseAnswers,
  probeStep,
  tailorStep,
} from "../src/evaluate.js";
import { fixture } from "./fixture.js";

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
      const first = tailorStep(sources, probed, gAnswers, s);
      // tailored-plus's second look (a model at the top of the sources' range): one more round
      const plan =
        first.mode === "look"
          ? lookStep(sources, first, parseAnswers(sources, fx.answersCsv(first.toEvaluateIds), "look.csv"), s)
          : first;
      const rest = parseAnswers(sources, fx.answersCsv(plan.toEvaluateIds), "rest.csv");
      const est = estimateStep(sources, plan, rest, s);

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
    expect(() => tailorStep(sources, probed, partial, DEFAULT_EVALUATE)).toThrow(
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
