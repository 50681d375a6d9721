import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { SHARED, sharedDataAvailable, tb } from "./helpers.js";

const strip = (json: string) => {
  const o = JSON.parse(json);
  delete o.wallSeconds;
  for (const r of o.results) delete r.seconds;
  return o;
};

describe("tb reproduce: determinism across worker counts (docs/METHOD.md §10)", () => {
  test("the threads used are printed, with the reason when fewer than --workers", () => {
    const one = ["demo", "--methods", "random", "--budgets", "20", "--trials", "1", "--workers", "4"];
    const r = tb(one);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ s on 1 thread \(--workers 4: capped by the trial tasks that can run at once/);
  });

  test("same seed → identical JSON with 1 and 2 workers", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-"));
    const common = ["demo", "--methods", "tailored,random", "--budgets", "20,30", "--trials", "3", "--seed", "5"];
    const a = tb([...common, "--workers", "1", "--json", join(dir, "a.json")]);
    const b = tb([...common, "--workers", "2", "--json", join(dir, "b.json")]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toMatch(/ s on 1 thread\n$/);
    expect(b.stdout).toMatch(/ s on 2 worker threads\n$/);
    const ja = strip(readFileSync(join(dir, "a.json"), "utf8"));
    const jb = strip(readFileSync(join(dir, "b.json"), "utf8"));
    expect(jb).toEqual(ja);
    // nothing kept between trials: the same numbers
    const z = tb([...common, "--workers", "2", "--cache-mib", "0", "--json", join(dir, "z.json")]);
    expect(z.code, z.stderr).toBe(0);
    expect(strip(readFileSync(join(dir, "z.json"), "utf8")).results).toEqual(ja.results);
    // a different seed gives different numbers
    const c = tb([...common.slice(0, -1), "6", "--workers", "2", "--json", join(dir, "c.json")]);
    expect(c.code, c.stderr).toBe(0);
    expect(strip(readFileSync(join(dir, "c.json"), "utf8")).results).not.toEqual(ja.results);
    // the JSON follows docs/DESIGN.md §3.3
    expect(ja.specVersion).toBe(1);
    for (const r of ja.results) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          "method",
          "budget",
          "trials",
          "kendallTau",
          "mae",
          "pearson",
          "spearman",
          "mse",
          "maxQueried",
        ]),
      );
      expect(r.maxQueried).toBeLessThanOrEqual(r.budget);
    }
  });
});

describe("tb reproduce: tailored-plus's options reach the method", () => {
  test("--independent-draws, --second-look, --plus-mode are recorded in the JSON's config and change the numbers", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-"));
    const common = ["demo", "--methods", "tailored-plus", "--budgets", "30", "--trials", "2", "--workers", "1"];
    const run = (name: string, extra: string[]) => {
      const r = tb([...common, ...extra, "--json", join(dir, name)]);
      expect(r.code, r.stderr).toBe(0);
      return strip(readFileSync(join(dir, name), "utf8"));
    };
    const base = run("base.json", []);
    const forced = run("beyond.json", ["--plus-mode", "beyond", "--second-look", "0"]);
    expect(forced.config).toMatchObject({ plusMode: "beyond", secondLook: 0 });
    expect(base.config.coordinated).toBeUndefined();
    expect(forced.results[0].mae).not.toEqual(base.results[0].mae);
    const independent = run("independent.json", ["--independent-draws"]);
    expect(independent.config).toMatchObject({ coordinated: false });
    expect(independent.results[0].mae).not.toEqual(base.results[0].mae);
    const both = tb([...common, "--coordinated", "--independent-draws"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--coordinated and --independent-draws exclude each other/);
    const bad = tb([...common, "--second-look", "1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--second-look must be a share in \[0, 1\)/);
    // a flag a forced mode never reads is refused in flags, not ignored
    const unread = tb([...common, "--plus-mode", "within", "--coordinated"]);
    expect(unread.code).toBe(2);
    expect(unread.stderr).toMatch(
      /--coordinated\/--independent-draws is never read when the mode is forced to "within"/,
    );
    const look = tb([...common, "--plus-mode", "beyond", "--second-look", "0.3"]);
    expect(look.code).toBe(2);
    expect(look.stderr).toMatch(
      /--second-look is never read when the mode is forced to "beyond" \(a forced mode takes no second look\)/,
    );
    const mode = tb([...common, "--plus-mode", "outside"]);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/--plus-mode must be one of auto, within, beyond/);
  });
});

describe("tb reproduce: gp-IRT's early stop", () => {
  test("--irt-early-stop is recorded in the JSON's config, changes the numbers, and is refused without gp-irt", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-"));
    const common = [
      "demo",
      "--methods",
      "gp-irt",
      "--budgets",
      "20",
      "--trials",
      "1",
      "--workers",
      "1",
      "--irt-dim",
      "2",
    ];
    const run = (name: string, extra: string[]) => {
      const r = tb([...common, ...extra, "--json", join(dir, name)]);
      expect(r.code, r.stderr).toBe(0);
      return strip(readFileSync(join(dir, name), "utf8"));
    };
    const base = run("base.json", []);
    const stop = run("stop.json", ["--irt-early-stop"]);
    expect(base.config.irtEarlyStop).toBeUndefined();
    expect(stop.config).toMatchObject({ irtEarlyStop: true });
    expect(stop.results[0].mae).not.toEqual(base.results[0].mae);
    const unread = tb(["demo", "--methods", "random", "--budgets", "20", "--trials", "1", "--irt-early-stop"]);
    expect(unread.code).toBe(2);
    expect(unread.stderr).toMatch(/--irt-early-stop is read by none of the methods run \(random\)/);
  });
});

describe("tb exit codes and messages (docs/DESIGN.md §3.2)", () => {
  test.each([
    [["reproduce"], /needs --data/],
    [["reproduce", "--data", "/nonexistent/dir"], /not found/],
    [["demo", "--budgets", "5"], /larger than the G-set/],
    [["demo", "--methods", "nope"], /unknown method "nope"/],
    [["demo", "--distance", "hamming"], /--distance must be one of/],
    [["demo", "--trials", "x"], /--trials must be an integer/],
    [["demo", "--nset-sample-size", "x"], /--nset-sample-size must be an integer/],
    [["demo", "--nset-subruns", "0"], /--nset-subruns must be ≥ 1/],
    [["demo", "--cache-mib=-1"], /--cache-mib must be ≥ 0/],
    // raised inside a worker thread: still a TbError, exit 2
    [
      ["demo", "--methods", "tailored", "--workers", "2", "--nset-sample-size", "1000000"],
      /N-set sample size .* got 1000000/,
    ],
    [["demo", "--bogus"], /Unknown option '--bogus'/],
    [["frobnicate"], /unknown command/],
    [["ablate", "nope", "--data", "x"], /unknown ablation study "nope"/],
  ])("tb %j exits 2 with one clear line", (args, re) => {
    const r = tb(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
  test.each([[["ablate", "--help"]], [["ablate", "distance", "--help"]], [["reproduce", "--help"]]])(
    "tb %j prints the usage and exits 0",
    (args) => {
      const r = tb(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/tb ablate/);
    },
  );
  test("refused before any trial runs: repeated budgets, a seed past 2^53, clashing or misplaced outputs, paired mode without pairs", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-"));
    const data = join(dir, "data");
    mkdirSync(data);
    // a small copy of real-shaped data (the refusals below must never touch a real matrix)
    const rows = Array.from({ length: 30 }, (_, m) =>
      Array.from({ length: 60 }, (_, j) => ((m * 7 + j * 13) % 11 < m % 7 ? 1 : 0)),
    );
    writeFileSync(
      join(data, "correctness.csv"),
      `model,${rows[0]?.map((_, j) => `q${j}`).join(",")}\n${rows.map((r, m) => `m${m},${r.join(",")}`).join("\n")}\n`,
    );
    const csv = readFileSync(join(data, "correctness.csv"), "utf8");
    const cases: [string[], RegExp][] = [
      [["demo", "--budgets", "20,20", "--trials", "1"], /--budgets gives 20 twice/],
      [["demo", "--seed", "9007199254740993"], /--seed is out of range/],
      [["demo", "--json", join(dir, "x.json"), "--plot", join(dir, "x.json")], /--plot .* is also --json's file/],
      [["demo", "--report", dir], /--report .* is a folder/],
      [
        ["reproduce", "--data", data, "--json", join(data, "correctness.csv")],
        /--json .* is the source matrix's own file/,
      ],
      [["ablate", "gset", "--data", data, "--gset", "5"], /--gset is what ablation "gset" varies; leave it out/],
      [["ablate", "distance", "--data", data, "--distance", "cosine"], /--distance is what ablation "distance" varies/],
      [["ablate", "distance", "--data", data, "--plot", join(dir, "a.svg")], /tb ablate writes --json only; --plot/],
      [
        ["ablate", "gset", "--data", data, "--budgets", "20"],
        /--budgets 20 must be larger than the G-set of variant \|G\|=20/,
      ],
      // a flag given twice (parseArgs kept the last) or empty (--out '' wrote into the current folder)
      [["demo", "--trials", "1", "--trials", "2"], /^tb: --trials is given twice/],
      [["demo", "--json", ""], /^tb: --json is empty/],
      [["demo", "--second-look", "0x0"], /^tb: --second-look must be a share in \[0, 1\)/],
      [["demo", "--level", "Infinity"], /^tb: --level must be a number in \(0, 1\)/],
      [[], /Usage:/],
      [["help", "reproduce"], /^tb: tb help takes no argument/],
      [["demo", "--budgets", "20,30,20"], /^tb: --budgets gives 20 twice/],
      [
        ["demo", "--methods", "random", "--budgets", "40", "--precision", "0.1", "--max-budget", "30"],
        /^tb: --budgets 40 is larger than --max-budget 30/,
      ],
      [
        ["ablate", "gset", "--data", data, "--second-look", "0.2"],
        /^tb: --second-look is read by none of the methods run \(tailored\)/,
      ],
      [["probe", "--source", data, "--out", " "], /^tb: --out is empty/],
      [["import", "lm-eval", data, "--out", join(dir, "imp"), "--name", ""], /^tb: --name is empty/],
      // a method flag no method run reads, even at its default value
      [
        ["reproduce", "--data", data, "--methods", "random", "--gset", "15"],
        /--gset is read by none of the methods run \(random\)/,
      ],
      [
        ["reproduce", "--data", data, "--methods", "tailored,random", "--second-look", "0.3"],
        /--second-look is read by none of the methods run \(tailored, random\)/,
      ],
      // a flag one variant never reads: refused before the first variant runs, not halfway
      [
        ["ablate", "estimator", "--data", data, "--clip", "both"],
        /variant .*medoid.*: --clip applies to the calibrated estimator; estimator "medoid" never reads it/,
      ],
      [
        [
          "reproduce",
          "--data",
          data,
          "--pairs",
          "--methods",
          "paired",
          "--target-fraction",
          "0.04",
          "--trials",
          "1",
          "--budgets",
          "20",
        ],
        /paired mode compares pairs of targets/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = tb(args);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(join(data, "correctness.csv"), "utf8")).toBe(csv);
    expect(readdirSync(dir).sort()).toEqual(["data"]);
  });
  test("tb probe takes any G-set size below the number of examples (the evaluation's default budget no longer limits it)", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-"));
    const rows = Array.from({ length: 12 }, (_, m) =>
      Array.from({ length: 40 }, (_, j) => ((m * 5 + j * 3) % 7 < m % 5 ? 1 : 0)),
    );
    const csv = join(dir, "m.csv");
    writeFileSync(
      csv,
      `model,${rows[0]?.map((_, j) => `q${j}`).join(",")}\n${rows.map((r, m) => `m${m},${r.join(",")}`).join("\n")}\n`,
    );
    for (const g of [30, 39]) {
      const r = tb(["probe", "--source", csv, "--gset", String(g), "--out", join(dir, `p${g}.json`)]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, `p${g}.json`), "utf8")).gset).toHaveLength(g);
    }
    const over = tb(["probe", "--source", csv, "--gset", "40", "--out", join(dir, "p40.json")]);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/--gset 40 must be smaller than the number of examples \(40\)/);
  });
  test("an output file is never left half-written: failures write nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-"));
    const r = tb(["demo", "--budgets", "5", "--json", join(dir, "out.json")]);
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("integration on the paper's GSM8K data", () => {
  const has = sharedDataAvailable("gsm8k");
  test.runIf(has)("a few trials: TailoredBench beats Random in MAE, budgets respected", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-"));
    const r = tb([
      "reproduce",
      "--data",
      join(SHARED, "gsm8k"),
      "--methods",
      "tailored,random",
      "--budgets",
      "20",
      "--trials",
      "3",
      "--json",
      join(dir, "g.json"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, "g.json"), "utf8"));
    expect(j.data).toMatchObject({ models: 150, examples: 1319, sources: 75, targets: 75, split: "meta" });
    const [tail, rand] = j.results;
    expect(tail.method).toBe("tailored");
    expect(tail.maxQueried).toBe(20);
    expect(rand.maxQueried).toBe(20);
    // paper: TailoredBench .852/.035, Random .811/.062 at N=20; 3 trials are noisy, so loose bounds
    expect(tail.kendallTau.mean).toBeGreaterThan(0.8);
    expect(tail.mae.mean).toBeLessThan(0.045);
    expect(tail.mae.mean).toBeLessThan(rand.mae.mean);
    expect(tail.nBar.mean).toBeGreaterThan(30);
    expect(tail.nBar.mean).toBeLessThan(50);
  });
});

describe("tb reproduce --precision --max-budget (docs/DESIGN.md §3.3)", () => {
  test("the cells carry precision, maxBudget, asked and reachedPrecision; hand-known ends", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-prec-"));
    const common = ["demo", "--budgets", "30", "--trials", "2", "--workers", "2"];
    // half-width 0.5: any interval reaches it at once. random stops at its base sample (N);
    // tailored-plus's base design may not stop it (docs/DESIGN.md §3.5), so it asks one round of
    // random draws, the doubling schedule's first total: 60 of 30 → 60 → 100
    const a = tb([
      ...common,
      "--methods",
      "tailored-plus,random",
      "--precision",
      "0.5",
      "--max-budget",
      "100",
      "--json",
      join(dir, "a.json"),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/asked/);
    for (const c of JSON.parse(readFileSync(join(dir, "a.json"), "utf8")).results) {
      expect(c).toMatchObject({
        precision: 0.5,
        maxBudget: 100,
        asked: { mean: c.method === "random" ? 30 : 60, se: 0 },
        reachedPrecision: { mean: 1, se: 0 },
      });
      expect(c.coverage).toBeDefined();
    }
    // a precision no sample of the 600 can reach short of all of them: random asks all 600 and is exact
    const b = tb([
      ...common,
      "--methods",
      "random",
      "--precision",
      "0.0001",
      "--max-budget",
      "600",
      "--json",
      join(dir, "b.json"),
    ]);
    expect(b.code, b.stderr).toBe(0);
    const [r] = JSON.parse(readFileSync(join(dir, "b.json"), "utf8")).results;
    expect(r.asked).toEqual({ mean: 600, se: 0 });
    expect(r.maxQueried).toBe(600);
    expect(r.mae.mean).toBe(0);
  });

  test("refused: a method that cannot stop (named), one flag without the other, a budget above the cap", () => {
    const common = ["demo", "--budgets", "30", "--trials", "1"];
    for (const [extra, re] of [
      [
        ["--methods", "tailored-plus,tailored", "--precision", "0.05", "--max-budget", "100"],
        /"tailored" cannot stop at a precision/,
      ],
      [["--methods", "random", "--max-budget", "100"], /--max-budget needs --precision/],
      [["--methods", "random", "--precision", "0.05"], /--precision needs --max-budget/],
      [
        ["--methods", "random", "--precision", "0.05", "--max-budget", "20"],
        /--budgets 30 is larger than --max-budget 20/,
      ],
      [
        ["--methods", "random", "--pairs", "--precision", "0.05", "--max-budget", "100"],
        /--pairs and --precision cannot be combined/,
      ],
    ] as const) {
      const r = tb([...common, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  });
});
