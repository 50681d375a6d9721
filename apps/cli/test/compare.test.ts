/**
 * `tb compare` through files (docs/DESIGN.md §3.2, §3.6): the plan, its export to lm-eval, and the
 * difference from two response files — the numbers of `compare()` in-process to the last bit; and
 * the refusals (exit 2, one message naming the flag or the file).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CorrectnessMatrix } from "@tb/core";
import { compare } from "@tb/estimate";
import { syntheticPopulation } from "@tb/experiment";
import { writeCorrectnessCsv } from "@tb/io";
import { describe, expect, test, vi } from "vitest";
import { main } from "../src/main.js";

async function tbIn(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const base = mkdtempSync(join(tmpdir(), "tb-compare-"));
const pop = syntheticPopulation({ models: 42, examples: 160, seed: 3 });
const full = new CorrectnessMatrix({
  data: pop.data,
  modelIds: pop.modelIds,
  exampleIds: pop.exampleIds.map((_, j) => String(j)),
  kind: "binary",
});
const sources = full.selectRows(Array.from({ length: 40 }, (_, i) => i));
const SRC = join(base, "src");
writeCorrectnessCsv(join(SRC, "correctness.csv"), sources);
writeFileSync(
  join(SRC, "meta.json"),
  JSON.stringify({ id_provenance: { kind: "lm-eval-doc-index", tasks: ["gsm8k"], form: "<doc_id>" } }),
);
/** Every answer of a model, as a JSON response file (more than asked: the plan's are picked out). */
function responses(m: number, only?: readonly string[]): string {
  mkdirSync(join(base, "answers"), { recursive: true });
  const file = join(base, "answers", `${full.modelIds[m]}${only ? "-part" : ""}.json`);
  const row = full.row(m);
  const ids = only ?? full.exampleIds;
  writeFileSync(file, JSON.stringify(Object.fromEntries(ids.map((id) => [id, row[Number(id)]]))));
  return file;
}
const A = 40;
const B = 41;

describe("tb compare", () => {
  for (const design of ["stratified", "random"] as const) {
    test(`${design}: plan → export → difference from two response files = compare() to the last bit`, async () => {
      const plan = join(base, `compare-${design}.json`);
      const made = await tbIn([
        "compare",
        "--source",
        SRC,
        "--budget",
        "24",
        "--seed",
        "4",
        "--level",
        "0.8",
        "--design",
        design,
        "--names",
        "mine,theirs",
        "--out",
        plan,
      ]);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/tb compare --source .* --plan .* --responses/);
      const pf = JSON.parse(readFileSync(plan, "utf8"));
      expect(pf.kind).toBe("tailoredbench/compare-plan");
      expect(pf.toEvaluate).toHaveLength(24);
      expect(new Set(pf.toEvaluate).size).toBe(24);

      // the plan's examples go to lm-eval like a tailor plan's
      const samples = join(base, `samples-${design}.json`);
      const exportTo = (out: string, ...extra: string[]) =>
        tbIn(["export", "--plan", plan, "--format", "lm-eval-samples", "--source", SRC, ...extra, "--out", out]);
      const ex = await exportTo(samples);
      expect(ex.code, ex.stderr).toBe(0);
      expect(JSON.parse(readFileSync(samples, "utf8"))).toEqual({
        gsm8k: pf.toEvaluate.map(Number).sort((a: number, b: number) => a - b),
      });
      // --include-gset has nothing to add to a compare plan: refused, not ignored
      const inc = await exportTo(`${samples}.2`, "--include-gset");
      expect(inc.code).toBe(2);
      expect(inc.stderr).toMatch(
        /--include-gset applies to a tb tailor plan; a tb compare plan's examples already include its G-set/,
      );

      const r = await tbIn([
        "compare",
        "--source",
        SRC,
        "--plan",
        plan,
        "--responses",
        responses(A),
        "--responses",
        responses(B),
        "--json",
      ]);
      expect(r.code, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout);
      const ask = (m: number) => (ids: string[]) => ids.map((id) => full.row(m)[Number(id)] as number);
      const want = await compare(sources, ask(A), ask(B), {
        budget: 24,
        seed: 4,
        level: 0.8,
        design,
        names: ["mine", "theirs"],
      });
      expect(got.difference).toBe(want.difference);
      expect(got.interval).toEqual(want.interval);
      expect(got.se).toBe(want.se);
      expect(got.probabilityABetter).toBe(want.probabilityABetter);
      expect(got.a).toEqual(want.a);
      expect(got.b).toEqual(want.b);
      expect(got.level).toBe(0.8);
      expect(got.evaluated).toBe(24);
      expect(got.estimator).toBe(want.estimator);
      expect(got.outOfRange).toEqual(want.outOfRange);

      // only the plan's answers in the files: the same
      const part = await tbIn([
        "compare",
        "--source",
        SRC,
        "--plan",
        plan,
        "--responses",
        responses(A, pf.toEvaluate),
        "--responses",
        responses(B, pf.toEvaluate),
      ]);
      expect(part.code, part.stderr).toBe(0);
      expect(part.stdout).toMatch(/^mine − theirs: [+−]\d+\.\d pp \(80% interval/);
      expect(part.stdout).toMatch(/P\(mine better\) \d+\.\d%/);
      expect(part.stdout).toMatch(/theirs: estimated accuracy/);
      expect(part.stdout).toMatch(
        want.estimator === "learned" ? /\nestimate: learned from the sources/ : /\nestimate: design-based/,
      );
    });
  }

  test("two models inside the sources' range: the learned estimate, said on the last line", async () => {
    const plan = join(base, "compare-learned.json");
    const made = await tbIn(["compare", "--source", SRC, "--budget", "30", "--seed", "2", "--out", plan]);
    expect(made.code, made.stderr).toBe(0);
    // two middling source models answer as A and B (their rows are in the matrix: only the plumbing is tested here)
    const [a, b] = [15, 25];
    const ask = (m: number) => (ids: string[]) => ids.map((id) => full.row(m)[Number(id)] as number);
    const want = await compare(sources, ask(a), ask(b), { budget: 30, seed: 2 });
    expect(want.estimator).toBe("learned");
    const args = ["compare", "--source", SRC, "--plan", plan, "--responses", responses(a), "--responses", responses(b)];
    const text = await tbIn(args);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /\nestimate: learned from the sources \(both models inside their range on these examples\)\n?$/,
    );
    const json = await tbIn([...args, "--json"]);
    const got = JSON.parse(json.stdout);
    expect([got.estimator, got.outOfRange, got.difference]).toEqual(["learned", [null, null], want.difference]);
  });

  test("refusals name the flag or the file", async () => {
    const plan = join(base, "compare-bad.json");
    expect((await tbIn(["compare", "--source", SRC, "--out", plan])).code).toBe(0);
    const big = await tbIn(["compare", "--source", SRC, "--budget", "500", "--out", join(base, "x.json")]);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/^tb: --budget must be an integer/);
    const names = await tbIn(["compare", "--source", SRC, "--names", "a", "--out", join(base, "x.json")]);
    expect(names.stderr).toMatch(/^tb: --names must be two distinct/);
    const one = await tbIn(["compare", "--source", SRC, "--plan", plan, "--responses", responses(A)]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/--responses twice/);
    const few = await tbIn([
      "compare",
      "--source",
      SRC,
      "--plan",
      plan,
      "--responses",
      responses(A),
      "--responses",
      responses(B, ["0", "1"]),
    ]);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/-part\.json \(model B\) does not answer the plan's examples: \d+ of the 30/);
    const edited = JSON.parse(readFileSync(plan, "utf8"));
    edited.comparison.picks[0] = "nope";
    const ePath = join(base, "edited.json");
    writeFileSync(ePath, JSON.stringify(edited));
    const e = await tbIn([
      "compare",
      "--source",
      SRC,
      "--plan",
      ePath,
      "--responses",
      responses(A),
      "--responses",
      responses(B),
    ]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/edited\.json: comparison: picks\[0\] "nope" is not an example id/);
    const both = await tbIn(["compare", "--source", SRC, "--plan", plan, "--budget", "20"]);
    expect(both.stderr).toMatch(/--budget applies when making the plan/);
  });

  test("the plan's own fields must agree with the comparison saved in it", async () => {
    const plan = join(base, "compare-fields.json");
    expect((await tbIn(["compare", "--source", SRC, "--seed", "2", "--out", plan])).code).toBe(0);
    const made = JSON.parse(readFileSync(plan, "utf8"));
    /** The difference from an edited copy of the plan. */
    const withPlan = (ePath: string, edited: object) => {
      writeFileSync(ePath, JSON.stringify(edited));
      return tbIn([
        "compare",
        "--source",
        SRC,
        "--plan",
        ePath,
        "--responses",
        responses(A),
        "--responses",
        responses(B),
      ]);
    };
    for (const [field, value] of [
      ["seed", 7],
      ["budget", 25],
      ["level", 0.8],
      ["design", "random"],
      ["names", ["x", "y"]],
    ] as const) {
      const r = await withPlan(join(base, `edited-${field}.json`), { ...made, [field]: value });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`edited-${field}\\.json: "${field}" is .* but the comparison saved in the same file has`),
      );
    }
    // the comparison's own rng edited (toEvaluate and every top-level field untouched): refused too
    const r = await withPlan(join(base, "edited-rng.json"), {
      ...made,
      seed: 7,
      comparison: { ...made.comparison, rng: [7] },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/edited-rng\.json: comparison: rng \[7\] does not give the saved gset and picks/);
  });

  test("--out may not be the source matrix's own file", async () => {
    for (const [source, out] of [
      [SRC, join(SRC, "correctness.csv")],
      [join(SRC, "correctness.csv"), join(SRC, "correctness.csv")],
      [SRC, join(SRC, "meta.json")],
    ]) {
      const before = readFileSync(out as string, "utf8");
      const r = await tbIn(["compare", "--source", source as string, "--out", out as string]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^tb: --out .* is the source matrix's own file/);
      expect(readFileSync(out as string, "utf8")).toBe(before);
      const p = await tbIn(["probe", "--source", source as string, "--out", out as string]);
      expect(p.code).toBe(2);
      expect(p.stderr).toMatch(/^tb: --out .* is the source matrix's own file/);
    }
  });

  test("making the plan refuses the flags that say how to read --responses, naming them; no plan is written", async () => {
    const plan = join(base, "compare-reading-flags.json");
    for (const [flags, named] of [
      [["--metric", "acc"], /^tb: --metric applies to reading --responses only/],
      [["--doc-order", "lm-eval-v0.3"], /^tb: --doc-order applies to reading --responses only/],
      [
        ["--metric", "acc", "--filter", "strict-match", "--task", "gsm8k"],
        /^tb: --metric, --filter, --task apply to reading --responses only/,
      ],
    ] as const) {
      const r = await tbIn(["compare", "--source", SRC, "--out", plan, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(named);
      expect(existsSync(plan)).toBe(false);
    }
    // without them the same plan is made
    expect((await tbIn(["compare", "--source", SRC, "--out", plan])).code).toBe(0);
    expect(existsSync(plan)).toBe(true);
  });

  test("without --budget the library's default: min(30, examples)", async () => {
    const small = join(base, "small");
    const rows = Array.from({ length: sources.rows }, (_, s) => Array.from(sources.row(s).subarray(0, 20)));
    writeCorrectnessCsv(
      join(small, "correctness.csv"),
      CorrectnessMatrix.from(rows, { modelIds: sources.modelIds, exampleIds: sources.exampleIds.slice(0, 20) }),
    );
    const plan = join(base, "compare-small.json");
    const r = await tbIn(["compare", "--source", small, "--design", "random", "--out", plan]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(plan, "utf8")).toEvaluate).toHaveLength(20);
  });
});
