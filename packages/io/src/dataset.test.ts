import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { loadDataset } from "./dataset.js";
import { parseMeta, readMeta } from "./meta.js";
import { catchTb, errorShape, tempDir } from "./test-utils.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const sharedData = resolve(repoRoot, "../shared/data");
const haveShared = existsSync(sharedData);
// In CI the shared data must be there: a missing folder fails the test instead of skipping it.
const runShared = haveShared || Boolean(process.env.CI);

let cleanup = (): void => {};
afterEach(() => cleanup());

function makeDir(files: Record<string, string>): string {
  const t = tempDir();
  cleanup = t.cleanup;
  const dir = join(t.dir, "bench");
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const CSV = "model,a,b,c\nm1,0,1,1\nm2,1,1,0\nm3,0,0,0\nm4,1,1,1\n";

describe("readMeta / parseMeta", () => {
  test("no meta.json → undefined; missing directory → undefined", () => {
    expect(readMeta(makeDir({ "correctness.csv": CSV }))).toBeUndefined();
    expect(readMeta("/nonexistent/x")).toBeUndefined();
  });

  test("a descriptive split string is not a split; an object with lists is", () => {
    const m1 = parseMeta('{"benchmark":"b","correctness":"binary","split":"random 25% targets"}');
    expect(m1).toEqual({
      benchmark: "b",
      correctness: "binary",
      raw: { benchmark: "b", correctness: "binary", split: "random 25% targets" },
    });
    const m2 = parseMeta('{"split":{"scheme":"two files","source":["a"],"target":["b","c"]}}');
    expect(m2.split).toEqual({ source: ["a"], target: ["b", "c"] });
    expect(parseMeta('{"split":{"scheme":"described only"}}').split).toBeUndefined();
  });

  test("BOM is accepted", () => {
    expect(parseMeta('\uFEFF{"benchmark":"x"}').benchmark).toBe("x");
  });

  const bad: [string, string, number | undefined, string][] = [
    ["bad JSON", '{\n  "benchmark": "x",\n  oops\n}', 3, "not valid JSON"],
    ["truncated JSON", '{"benchmark": "x"', undefined, "not valid JSON"],
    ["not an object", "[1,2]", 1, "must hold a JSON object"],
    ["bad correctness", '{\n"correctness": "maybe"\n}', 2, '"correctness" must be'],
    ["non-string benchmark", '{\n\n"benchmark": 3}', 3, '"benchmark" must be'],
    ["split.source not a list", '{"split": {\n"source": "a", "target": []}}', 2, "split.source must be a list"],
    ["split without target", '{"split": {\n"source": ["a"]}}', undefined, "split.target must be a list"],
    ["split id not a string", '{"split": {"source": ["a", 3],\n"target": []}}', 1, "split.source[1]"],
  ];
  test.each(bad)("rejects %s with the file (and line when known)", (_what, text, line, fragment) => {
    const err = catchTb(() => parseMeta(text, "meta.json"));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toContain(fragment);
    expect(err.location?.file).toBe("meta.json");
    if (line !== undefined) expect(err.location?.line).toBe(line);
  });

  test("readMeta names the file on bad JSON", () => {
    const dir = makeDir({ "meta.json": "{nope" });
    const err = catchTb(() => readMeta(dir));
    expect(err.code).toBe("E_INPUT");
    expect(err.location?.file).toBe(join(dir, "meta.json"));
  });
});

describe("loadDataset", () => {
  test("without meta.json: name is the directory name, no split", () => {
    const ds = loadDataset(makeDir({ "correctness.csv": CSV }));
    expect(ds.name).toBe("bench");
    expect(ds.matrix.name).toBe("bench");
    expect(ds.matrix.rows).toBe(4);
    expect(ds.meta).toBeUndefined();
    expect(ds.split).toBeUndefined();
  });

  test("with a split: row indices in listed order; benchmark name from meta", () => {
    const meta = { benchmark: "toy", correctness: "binary", split: { source: ["m3", "m1"], target: ["m2"] } };
    const ds = loadDataset(makeDir({ "correctness.csv": CSV, "meta.json": JSON.stringify(meta) }));
    expect(ds.name).toBe("toy");
    expect(Array.from(ds.split?.source ?? [])).toEqual([2, 0]);
    expect(Array.from(ds.split?.target ?? [])).toEqual([1]);
    expect(ds.split?.source).toBeInstanceOf(Int32Array);
    expect(ds.meta?.correctness).toBe("binary");
  });

  test("meta correctness binary is enforced on the CSV with its location", () => {
    const dir = makeDir({ "correctness.csv": "model,a\nm,0.5\n", "meta.json": '{"correctness":"binary"}' });
    expect(errorShape(catchTb(() => loadDataset(dir)))).toEqual({
      code: "E_INPUT",
      file: join(dir, "correctness.csv"),
      line: 2,
      column: 2,
    });
  });

  const splitCases: [string, object, string, string, number][] = [
    ["unknown source id", { source: ["m1", "ghost"], target: ["m2"] }, "E_UNKNOWN_ID", '"ghost"', 5],
    ["unknown target id", { source: ["m1"], target: ["nobody"] }, "E_UNKNOWN_ID", '"nobody"', 7],
    ["duplicate in source", { source: ["m1", "m1"], target: ["m2"] }, "E_INPUT", "listed twice", 5],
    ["overlap", { source: ["m1", "m2"], target: ["m2"] }, "E_INPUT", "both a source and a target", 8],
  ];
  test.each(splitCases)("split with %s is refused, naming the id and meta.json", (_w, split, code, frag, line) => {
    const dir = makeDir({ "correctness.csv": CSV, "meta.json": JSON.stringify({ split }, null, 1) });
    const err = catchTb(() => loadDataset(dir));
    expect(err.code).toBe(code);
    expect(err.message).toContain(frag);
    expect(err.location?.file).toBe(join(dir, "meta.json"));
    expect(err.location?.line).toBe(line);
  });

  test("meta.json counts must match the matrix", () => {
    const dir = makeDir({ "correctness.csv": CSV, "meta.json": '{\n"models": 5,\n"examples": 3}' });
    const err = catchTb(() => loadDataset(dir));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toContain("models = 5 but correctness.csv has 4");
    expect(err.location).toEqual({ file: join(dir, "meta.json"), line: 2 });
  });

  test("missing directory, a file instead of a directory, missing correctness.csv", () => {
    const missing = catchTb(() => loadDataset("/nonexistent/data/x"));
    expect(missing.code).toBe("E_INPUT");
    expect(missing.message).toContain("data directory not found: /nonexistent/data/x");
    const dir = makeDir({ "meta.json": "{}" });
    const noCsv = catchTb(() => loadDataset(dir));
    expect(noCsv.code).toBe("E_INPUT");
    expect(noCsv.message).toContain("has no readable correctness.csv");
    expect(noCsv.location?.file).toBe(join(dir, "correctness.csv"));
    const notDir = catchTb(() => loadDataset(join(dir, "meta.json")));
    expect(notDir.message).toContain("not a directory");
  });
});

describe.runIf(runShared)("loadDataset on ../shared/data", () => {
  test("the shared data folder exists", () => {
    expect(haveShared, `missing ${sharedData} (required when CI is set)`).toBe(true);
  });

  test("gsm8k: 150 models × 1319 examples, 75/75 split, loads well under a second", () => {
    const t0 = performance.now();
    const ds = loadDataset(join(sharedData, "gsm8k"));
    const ms = performance.now() - t0;
    expect(ds.name).toBe("gsm8k");
    expect(ds.matrix.rows).toBe(150);
    expect(ds.matrix.cols).toBe(1319);
    expect(ds.matrix.kind).toBe("binary");
    expect(ds.split?.source.length).toBe(75);
    expect(ds.split?.target.length).toBe(75);
    expect(ds.matrix.modelIds[ds.split?.source[0] ?? -1]).toBe("gsm8k-src-00");
    expect(ds.matrix.modelIds[ds.split?.target[74] ?? -1]).toBe("gsm8k-tgt-74");
    const all = new Set([...(ds.split?.source ?? []), ...(ds.split?.target ?? [])]);
    expect(all.size).toBe(150);
    // README: accuracy ranges from 0 to 0.724
    const acc = Array.from(ds.matrix.trueScores());
    expect(Math.min(...acc)).toBe(0);
    expect(Math.max(...acc)).toBeCloseTo(0.724, 3);
    expect(ms).toBeLessThan(1000);
  });

  test.each([
    ["openllm_v2_musr", 429, 756],
    ["helm_lite_mmlu", 83, 567],
    ["glue_rte", 87, 277],
  ])("%s loads (%i × %i), descriptive split ignored", (name, rows, cols) => {
    const ds = loadDataset(join(sharedData, name));
    expect(ds.matrix.rows).toBe(rows);
    expect(ds.matrix.cols).toBe(cols);
    expect(typeof (ds.meta?.raw as { split?: unknown } | undefined)?.split).toBe("string");
    expect(ds.split).toBeUndefined();
  });
});
