import { CorrectnessMatrix } from "@tb/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatCorrectnessCsv, parseCorrectnessCsv } from "./correctness-csv.js";
import { parseMeta } from "./meta.js";
import { lmEvalV03Permutation } from "./python-random.js";
import { catchTb, errorShape } from "./test-utils.js";
import {
  checkSource,
  formatWorkflowJson,
  lmEvalSamplesFor,
  lmEvalSamplesSpec,
  matrixSha256,
  type PlanFile,
  type ProbeFile,
  parsePlanFile,
  parseProbeFile,
  resolveExampleIds,
  resolveModelIds,
  sourceRef,
} from "./workflow.js";

const matrix = CorrectnessMatrix.from(
  [
    [1, 0, 1, 0, 1],
    [0, 0, 1, 1, 1],
    [1, 1, 0, 0, 0],
  ],
  { modelIds: ["a", "b", "c"], exampleIds: ["0", "1", "2", "3", "4"] },
);

const probe: ProbeFile = {
  specVersion: 1,
  kind: "tailoredbench/probe",
  seed: 3,
  gset: ["1", "3"],
  options: { metric: "manhattan", standardize: true },
  source: sourceRef(matrix),
};

const plan: PlanFile = {
  specVersion: 1,
  kind: "tailoredbench/plan",
  target: "t",
  seed: 3,
  targetIndex: 0,
  pooling: "single",
  budget: 3,
  gset: ["1", "3"],
  nset: ["1", "3", "4"],
  toEvaluate: ["4"],
  nativeSources: ["a", "c"],
  labels: [0, 0, 1, 1, 2],
  gAnswers: { "1": 1, "3": 0 },
  dBar: 1.5,
  nBar: 2,
  options: { metric: "manhattan", standardize: true },
  source: sourceRef(matrix),
};

const planText = formatWorkflowJson(plan);
const probeText = formatWorkflowJson(probe);
/** The plan text with one field replaced (keeps the layout, so lines stay meaningful). */
const edit = (patch: Record<string, unknown>) => formatWorkflowJson({ ...plan, ...patch });

describe("matrixSha256 (docs/DESIGN.md §3.2): the hash of the canonical CSV text", () => {
  test("same matrix in CRLF / BOM / quoted spelling → same hash; another value → another hash", () => {
    const csv = formatCorrectnessCsv(matrix);
    const crlf = `\ufeff${csv.replace(/\n/g, "\r\n").replace("model,", '"model",')}`;
    expect(matrixSha256(parseCorrectnessCsv(crlf))).toBe(matrixSha256(matrix));
    const other = parseCorrectnessCsv(csv.replace("a,1,0", "a,0,0"));
    expect(matrixSha256(other)).not.toBe(matrixSha256(matrix));
    expect(matrixSha256(matrix)).toMatch(/^[0-9a-f]{64}$/);
  });
  test("a row permutation is another matrix", () => {
    expect(matrixSha256(matrix.selectRows([1, 0, 2]))).not.toBe(matrixSha256(matrix));
  });
  test("checkSource refuses another matrix, naming the file and the sha256 line", () => {
    const other = matrix.selectRows([0, 1]);
    const err = catchTb(() => checkSource(plan.source, other, "plan.json", planText));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toMatch(/made for another source matrix/);
    expect(err.location?.file).toBe("plan.json");
    expect(planText.split("\n")[(err.location?.line as number) - 1]).toMatch(/"sha256"/);
    expect(() => checkSource(plan.source, matrix, "plan.json")).not.toThrow();
  });
});

describe("probe.json and plan.json round trip and validation (docs/DESIGN.md §3.2)", () => {
  test("format → parse gives the same object; arrays of ids stay on one line", () => {
    expect(parseProbeFile(probeText, "probe.json")).toEqual(probe);
    expect(parsePlanFile(planText, "plan.json")).toEqual(plan);
    expect(planText).toMatch(/"labels": \[0, 0, 1, 1, 2\]/);
  });
  const lineOf = (text: string, key: string) => text.split("\n").findIndex((l) => l.includes(`"${key}"`)) + 1;
  test.each([
    ["not JSON", `${planText.slice(0, 40)}`, /not valid JSON/, undefined],
    ["not an object", "[1, 2]", /must hold a JSON object/, undefined],
    ["specVersion 2", edit({ specVersion: 2 }), /specVersion 2 is not supported/, "specVersion"],
    ["no specVersion", edit({ specVersion: undefined }), /no "specVersion"/, undefined],
    ["a probe given as plan", probeText, /this is a probe file/, "kind"],
    ["budget ≤ |G|", edit({ budget: 2 }), /larger than the G-set/, "budget"],
    ["nset shorter than budget", edit({ nset: ["1", "3"] }), /budget is 3/, "nset"],
    ["nset not starting with G", edit({ nset: ["3", "1", "4"] }), /start with the G-set/, "nset"],
    ["toEvaluate ≠ nset − G", edit({ toEvaluate: ["2"] }), /toEvaluate must be nset without/, "toEvaluate"],
    ["label out of range", edit({ labels: [0, 0, 1, 3, 2] }), /labels\[3\] must be an integer in \[0, 2\]/, "labels"],
    ["labels of the wrong length", edit({ labels: [0, 0, 1] }), /labels has 3 entries/, "labels"],
    ["repeated native id", edit({ nativeSources: ["a", "a"] }), /lists "a" twice/, "nativeSources"],
    ["empty native set", edit({ nativeSources: [] }), /non-empty list/, "nativeSources"],
    ["G answer outside [0,1]", edit({ gAnswers: { "1": 2 } }), /must be a number in \[0,1\]/, "gAnswers"],
    ["G answer for a non-G example", edit({ gAnswers: { "4": 1 } }), /not in the G-set/, "gAnswers"],
    ["bad pooling", edit({ pooling: "both" }), /"pooling" must be one of/, "pooling"],
    ["bad sha256", edit({ source: { ...plan.source, sha256: "xyz" } }), /64 lowercase hex/, "sha256"],
    ["missing labels", edit({ labels: undefined }), /missing field "labels"/, undefined],
    ["bad metric", edit({ options: { metric: "hamming", standardize: true } }), /"metric" must be one of/, "metric"],
    ["non-integer seed", edit({ seed: 1.5 }), /"seed" must be an integer/, "seed"],
  ])("%s → E_INPUT naming plan.json and the line", (_name, text, re, key) => {
    const err = catchTb(() => parsePlanFile(text, "plan.json"));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toMatch(re);
    expect(err.location?.file).toBe("plan.json");
    if (key !== undefined) expect(err.location?.line).toBe(lineOf(text, key));
  });
  test("tailored-plus's second look: a look plan (G-set + m medoids) and a final plan with looked", () => {
    // 5 examples, G = {1, 3}, budget 4: the look asks "4"; the final plan keeps it after the G-set
    const look: PlanFile = {
      ...plan,
      budget: 4,
      nset: ["1", "3", "4"],
      toEvaluate: ["4"],
      method: "tailored-plus",
      mode: "look",
      outOfRange: null,
    };
    expect(parsePlanFile(formatWorkflowJson(look), "look.json")).toEqual(look);
    const final: PlanFile = { ...look, mode: "within", nset: ["1", "3", "4", "0"], toEvaluate: ["0"], looked: ["4"] };
    expect(parsePlanFile(formatWorkflowJson(final), "plan.json")).toEqual(final);
    const bad = (p: object, re: RegExp) => {
      const err = catchTb(() => parsePlanFile(formatWorkflowJson({ ...final, ...p }), "plan.json"));
      expect(err.code).toBe("E_INPUT");
      expect(err.message).toMatch(re);
    };
    // a look plan must be shorter than its budget and longer than the G-set
    bad({ mode: "look", looked: undefined, toEvaluate: ["4", "0"] }, /second look's nset has 4 examples/);
    // looked and the G-set head nset (K-Medoids holds them fixed in column order: any order is
    // accepted), and toEvaluate then leaves them out
    const sorted: PlanFile = { ...final, nset: ["1", "3", "4", "0"].sort(), toEvaluate: ["0"] };
    expect(() =>
      parsePlanFile(formatWorkflowJson({ ...final, nset: ["4", "1", "3", "0"] }), "plan.json"),
    ).not.toThrow();
    expect(sorted.nset).toEqual(["0", "1", "3", "4"]);
    bad({ looked: ["0"] }, /looked and the G-set must be the first examples of nset/);
    bad({ nset: ["1", "0", "3", "4"], toEvaluate: ["4"] }, /looked and the G-set must be the first examples of nset/);
    bad({ toEvaluate: ["4", "0"] }, /toEvaluate must be nset without the G-set and looked/);
    bad({ looked: ["4", "0"] }, /fewer than budget in all/);
    // a plan that saves the whole evaluation keeps it, and refuses one that is not an object
    expect(parsePlanFile(formatWorkflowJson({ ...final, evaluation: { kind: "x" } }), "plan.json").evaluation).toEqual({
      kind: "x",
    });
    bad({ evaluation: [1] }, /"evaluation" must be an object/);
  });
  test("precision on demand: round 0 is a plan as any; a later round asks draws outside nset", () => {
    const base: PlanFile = {
      ...plan,
      method: "tailored-plus",
      mode: "within",
      outOfRange: null,
      precision: { precision: 0.03, maxBudget: 5, round: 0, asked: 2, why: "the rest of its tailored coreset" },
    };
    expect(parsePlanFile(formatWorkflowJson(base), "plan.json")).toEqual(base);
    const round: PlanFile = {
      ...base,
      toEvaluate: ["0", "2"],
      precision: { precision: 0.03, maxBudget: 5, round: 1, asked: 3, why: "2 more …" },
    };
    expect(parsePlanFile(formatWorkflowJson(round), "plan.json")).toEqual(round);
    const bad = (p: object, re: RegExp) => {
      const err = catchTb(() => parsePlanFile(formatWorkflowJson({ ...round, ...p }), "plan.json"));
      expect(err.code).toBe("E_INPUT");
      expect(err.message).toMatch(re);
    };
    bad({ toEvaluate: ["0", "4"] }, /a precision round's toEvaluate must be examples outside nset/);
    bad({ toEvaluate: [] }, /"toEvaluate" must be a non-empty list of ids/);
    // round 0: toEvaluate is the base design's, as in any plan
    bad({ precision: { ...round.precision, round: 0 } }, /toEvaluate must be nset without the G-set/);
    bad(
      { precision: { ...round.precision, precision: 0.7 } },
      /precision\.precision must be a half-width in \(0, 0\.5\]/,
    );
    bad({ precision: { ...round.precision, round: -1 } }, /precision\.round must be an integer ≥ 0/);
    bad({ precision: { ...round.precision, why: 3 } }, /precision\.why must be a sentence/);
    bad({ precision: 1 }, /"precision" must be an object/);
  });
  test("malformed JSON gives line and column", () => {
    const text = planText.replace('"budget": 3', '"budget": 3,,');
    const err = catchTb(() => parsePlanFile(text, "plan.json"));
    expect(errorShape(err)).toMatchObject({ code: "E_INPUT", file: "plan.json", line: lineOf(text, "budget") });
    expect(err.location?.column).toBeTypeOf("number");
  });
  test("a plan given as probe, and a probe with a repeated G id", () => {
    expect(catchTb(() => parseProbeFile(planText, "p.json")).message).toMatch(/this is a plan file/);
    const bad = formatWorkflowJson({ ...probe, gset: ["1", "1"] });
    expect(catchTb(() => parseProbeFile(bad, "p.json")).message).toMatch(/lists "1" twice/);
  });
  test("ids resolve to indices; unknown ids are E_UNKNOWN_ID with the line of the id", () => {
    expect(Array.from(resolveExampleIds(["4", "0"], matrix, "nset"))).toEqual([4, 0]);
    expect(Array.from(resolveModelIds(["c"], matrix, "nativeSources"))).toEqual([2]);
    const text = edit({ nset: ["1", "3", "zz"] });
    const err = catchTb(() => resolveExampleIds(["1", "3", "zz"], matrix, "nset", "plan.json", text));
    expect(errorShape(err)).toEqual({ code: "E_UNKNOWN_ID", file: "plan.json", line: lineOf(text, "nset") });
    expect(err.message).toMatch(/nset\[2\]: example id "zz"/);
    const e2 = catchTb(() => resolveModelIds(["a", "q"], matrix, "nativeSources", "plan.json", planText));
    expect(e2.code).toBe("E_UNKNOWN_ID");
    expect(e2.message).toMatch(/model id "q"/);
  });
});

describe("lmEvalSamplesSpec: lm-eval --samples JSON (TOOLCHAIN Formats)", () => {
  test("plain ids go to --task; task/doc ids to their task; sorted, unique", () => {
    expect(lmEvalSamplesSpec(["12", "3", "12", "7"], "gsm8k")).toEqual({ gsm8k: [3, 7, 12] });
    expect(lmEvalSamplesSpec(["mmlu_b/4", "mmlu_a/10", "mmlu_a/2", "mmlu_b/0"])).toEqual({
      mmlu_a: [2, 10],
      mmlu_b: [0, 4],
    });
  });
  test("plain ids without a task are E_USAGE; other ids E_INPUT", () => {
    expect(catchTb(() => lmEvalSamplesSpec(["1"])).code).toBe("E_USAGE");
    // a task that no id uses and no id names is refused, not dropped
    const unused = catchTb(() => lmEvalSamplesSpec(["toy/7", "toy/2"], "gsm8k"));
    expect(unused.code).toBe("E_USAGE");
    expect(unused.message).toBe(
      'lmEvalSamplesSpec: argument task "gsm8k" is not used: the example ids name their own tasks ("toy/7": toy); leave argument task out',
    );
    const unusedFor = catchTb(() => lmEvalSamplesFor(["toy/7"], { docOrder: "identity", task: "gsm8k", examples: 10 }));
    expect(unusedFor.message).toMatch(/^lmEvalSamplesFor: option task "gsm8k" is not used: .*leave option task out$/);
    // the task the ids name, or plain ids beside them, use it
    expect(lmEvalSamplesSpec(["toy/7"], "toy")).toEqual({ toy: [7] });
    expect(lmEvalSamplesSpec(["toy/7", "3"], "gsm8k")).toEqual({ gsm8k: [3], toy: [7] });
    expect(catchTb(() => lmEvalSamplesSpec(["murder_mysteries:3"], "musr")).message).toMatch(
      /not an lm-eval doc index/,
    );
  });
  test("property: every task's list is strictly increasing non-negative integers covering the input", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("a", "b/c", "d"), fc.nat({ max: 500 })), { minLength: 1, maxLength: 60 }),
        (pairs) => {
          const ids = pairs.map(([t, d]) => `${t}/${d}`);
          const spec = lmEvalSamplesSpec(ids);
          for (const docs of Object.values(spec)) {
            for (let i = 1; i < docs.length; i++) expect(docs[i] as number).toBeGreaterThan(docs[i - 1] as number);
          }
          const back = new Set(Object.entries(spec).flatMap(([t, docs]) => docs.map((d) => `${t}/${d}`)));
          expect(back).toEqual(new Set(ids));
        },
      ),
    );
  });
});

describe("readers never crash on arbitrary text (fast-check)", () => {
  test("parsePlanFile / parseProbeFile throw only TbError E_INPUT", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constant(planText.slice(0, 100))), (text) => {
        for (const parse of [parsePlanFile, parseProbeFile]) {
          try {
            parse(text, "x.json");
          } catch (err) {
            expect(errorShape(catchTb(() => parse(text, "x.json"))).code).toBe("E_INPUT");
            expect(err).toBeInstanceOf(Error);
          }
        }
      }),
    );
  });
});

describe("lmEvalSamplesFor: only ids known to be lm-eval doc indices go to lm-eval", () => {
  const perm = lmEvalV03Permutation(10);
  test("v0.3 visit order: column k → doc perm[k]; hand-checked against python3 for n = 10", () => {
    // python3: p = list(range(10)); random.Random(42).shuffle(p) → [7, 3, 2, 8, 5, 6, 9, 4, 0, 1]
    expect(perm).toEqual([7, 3, 2, 8, 5, 6, 9, 4, 0, 1]);
    expect(lmEvalSamplesFor(["0", "1", "9"], { docOrder: "lm-eval-v0.3", task: "gsm8k", examples: 10 })).toEqual({
      gsm8k: [1, 3, 7],
    });
  });
  test("recorded provenance: one leaf task, or <task>/<doc_id> of leaf tasks", () => {
    const one = { kind: "lm-eval-doc-index", tasks: ["gsm8k"], form: "<doc_id>" } as const;
    expect(lmEvalSamplesFor(["5", "2"], { provenance: { ...one, tasks: ["gsm8k"] }, examples: 10 })).toEqual({
      gsm8k: [2, 5],
    });
    const group = { kind: "lm-eval-doc-index", tasks: ["a", "b"], form: "<task>/<doc_id>" } as const;
    expect(lmEvalSamplesFor(["b/1", "a/3"], { provenance: { ...group, tasks: ["a", "b"] }, examples: 10 })).toEqual({
      a: [3],
      b: [1],
    });
    const c = catchTb(() => lmEvalSamplesFor(["c/1"], { provenance: { ...group, tasks: ["a", "b"] }, examples: 10 }));
    expect(c.message).toMatch(/task "c", which is not one of the matrix's leaf tasks \(a, b\)/);
  });
  test("unknown provenance is refused naming both fixes; a column number too large is refused", () => {
    const e = catchTb(() => lmEvalSamplesFor(["1"], { examples: 10, file: "p.json" }));
    expect(e.code).toBe("E_USAGE");
    expect(e.location?.file).toBe("p.json");
    expect(e.message).toMatch(/option provenance .*option docOrder "lm-eval-v0\.3" with option task/);
    const big = catchTb(() => lmEvalSamplesFor(["10"], { docOrder: "lm-eval-v0.3", task: "t", examples: 10 }));
    expect(big.message).toMatch(/"10" is not a column number below 10/);
  });
});

/** A message in the library's terms: it names no CLI flag and no `tb` command (issue 19 item 5). */
function noCli(message: string): string {
  expect(message).not.toMatch(/--|\btb /);
  return message;
}

describe("errors name the option of the function called, not a CLI flag", () => {
  const one = { kind: "lm-eval-doc-index", tasks: ["gsm8k"], form: "<doc_id>" } as const;
  const group = { kind: "lm-eval-doc-index", tasks: ["a", "b"], form: "<task>/<doc_id>" } as const;
  test.each([
    [
      "lmEvalSamplesSpec, a plain id without a task",
      () => lmEvalSamplesSpec(["1"]),
      /^lmEvalSamplesSpec: example id "1" is a plain doc index: .*\(argument task, e\.g\. gsm8k\)$/,
    ],
    [
      "lmEvalSamplesFor, docOrder identity and a plain id without a task",
      () => lmEvalSamplesFor(["1"], { docOrder: "identity", examples: 10 }),
      /^lmEvalSamplesFor: example id "1" is a plain doc index: .*\(option task, e\.g\. gsm8k\)$/,
    ],
    [
      "docOrder with a recorded provenance",
      () =>
        lmEvalSamplesFor(["1"], { docOrder: "lm-eval-v0.3", provenance: { ...one, tasks: ["gsm8k"] }, examples: 10 }),
      /^lmEvalSamplesFor: .*already lm-eval doc indices \(option provenance: .*\); leave option docOrder out/,
    ],
    [
      "docOrder lm-eval-v0.3 without a task",
      () => lmEvalSamplesFor(["1"], { docOrder: "lm-eval-v0.3", examples: 10 }),
      /^lmEvalSamplesFor: option docOrder "lm-eval-v0\.3" needs the lm-eval task of the matrix \(option task, e\.g\. gsm8k\)$/,
    ],
    [
      "an id that is not a column number, with docOrder",
      () => lmEvalSamplesFor(["10"], { docOrder: "lm-eval-v0.3", task: "t", examples: 10, file: "p.json" }),
      /^lmEvalSamplesFor: example id "10" is not a column number below 10: option docOrder "lm-eval-v0\.3" maps .* \(p\.json\)$/,
    ],
    [
      "unknown provenance",
      () => lmEvalSamplesFor(["1"], { examples: 10, file: "p.json" }),
      /^lmEvalSamplesFor: the example ids of p\.json .*Give option provenance .*option docOrder "identity" declares/,
    ],
    [
      "a task that contradicts the provenance",
      () => lmEvalSamplesFor(["1"], { provenance: { ...one, tasks: ["gsm8k"] }, task: "arc", examples: 10 }),
      /^lmEvalSamplesFor: option task "arc" contradicts the source matrix, whose ids are doc indices of task "gsm8k" .*; leave option task out$/,
    ],
    [
      "a task with <task>/<doc_id> ids",
      () => lmEvalSamplesFor(["a/1"], { provenance: { ...group, tasks: ["a", "b"] }, task: "a", examples: 10 }),
      /^lmEvalSamplesFor: option task applies to plain doc indices; .*leaf tasks \(a, b\); leave option task out$/,
    ],
    [
      "checkSource, another matrix",
      () => checkSource(sourceRef(matrix), matrix.selectRows([0, 1]), "plan.json"),
      /^checkSource: plan\.json was made for another source matrix .*Pass the same matrix \(argument matrix\) as when the file was made \(plan\.json\)$/,
    ],
  ])("%s", (_label, f, re) => {
    expect(noCli(catchTb(f).message)).toMatch(re);
  });
});

describe("meta.json id_provenance", () => {
  test("parsed when well-formed; refused with the line and key otherwise", () => {
    const m = parseMeta('{\n"id_provenance": {"kind": "lm-eval-doc-index", "tasks": ["gsm8k"], "form": "<doc_id>"}\n}');
    expect(m.idProvenance).toEqual({ kind: "lm-eval-doc-index", tasks: ["gsm8k"], form: "<doc_id>" });
    const e = catchTb(() =>
      parseMeta(
        '{\n"benchmark": "x",\n"id_provenance": {"kind": "lm-eval-doc-index", "tasks": ["a", "b"], "form": "<doc_id>"}\n}',
        "meta.json",
      ),
    );
    expect(errorShape(e)).toEqual({ code: "E_INPUT", file: "meta.json", line: 3, column: "id_provenance" });
    expect(e.message).toMatch(/"<doc_id>" needs exactly one task/);
    expect(parseMeta('{"example_ids": "column k = …"}').idProvenance).toBeUndefined();
  });
});
