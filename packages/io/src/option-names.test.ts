/**
 * Every public function of this package that takes options refuses an option name it does not
 * have (`E_USAGE`, "<function>: unknown option "<name>"") instead of running as if it were absent;
 * the options it does have are still read.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TbError } from "@tb/core";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, describe, expect, test } from "vitest";
import { parseCorrectnessCsv } from "./correctness-csv.js";
import { readCorrectnessCsv } from "./correctness-csv-file.js";
import { loadDataset } from "./dataset.js";
import { importLeaderboard, readLeaderboardDetails } from "./leaderboard.js";
import { lmEvalSamplesFor } from "./lm-eval-export.js";
import { importLmEval } from "./lm-eval-import.js";
import { type NpyArray, npyToMatrix, readNpy } from "./npy.js";
import { parseResponses } from "./responses.js";
import { readResponses } from "./responses-file.js";
import { catchTb, tempDir } from "./test-utils.js";

const { dir: root, cleanup } = tempDir("tb-options-");
afterAll(cleanup);

/** `f` throws `E_USAGE` whose message starts `<fn>: unknown option "<key>"`. */
function expectUnknown(f: () => unknown, fn: string, key: string): void {
  const err = catchTb(f);
  expect(err.code).toBe("E_USAGE");
  expect(err.message).toMatch(new RegExp(`^${fn}: unknown option "${key}"`));
}

/** The same for an async function. */
async function expectUnknownAsync(f: () => Promise<unknown>, fn: string, key: string): Promise<void> {
  const err = await f().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TbError);
  expect((err as TbError).code).toBe("E_USAGE");
  expect((err as TbError).message).toMatch(new RegExp(`^${fn}: unknown option "${key}"`));
}

// a matrix whose cells are all 0 or 1, so that the kind is inferred binary unless an option says otherwise
const CSV = "model,q1,q2\na,0,1\nb,1,1\n";

describe("correctness CSV", () => {
  test("parseCorrectnessCsv: a misspelled option is refused; kind, name and file are read", () => {
    expectUnknown(() => parseCorrectnessCsv(CSV, { kinds: "probability" } as never), "parseCorrectnessCsv", "kinds");
    expect(catchTb(() => parseCorrectnessCsv(CSV, "binary" as never)).message).toMatch(
      /^parseCorrectnessCsv: options must be an object/,
    );
    expect(parseCorrectnessCsv(CSV).kind).toBe("binary");
    const m = parseCorrectnessCsv(CSV, { kind: "probability", name: "bench" });
    expect([m.kind, m.name]).toEqual(["probability", "bench"]);
    const bad = catchTb(() => parseCorrectnessCsv("model,q1\na,0.5\n", { kind: "binary", file: "c.csv" }));
    expect([bad.code, bad.location?.file]).toEqual(["E_INPUT", "c.csv"]);
  });

  test("readCorrectnessCsv: a misspelled option and file (the path is the file) are refused; kind, name are read", () => {
    const f = join(root, "correctness.csv");
    writeFileSync(f, CSV);
    expectUnknown(() => readCorrectnessCsv(f, { nmae: "x" } as never), "readCorrectnessCsv", "nmae");
    expectUnknown(() => readCorrectnessCsv(f, { file: "other.csv" } as never), "readCorrectnessCsv", "file");
    const m = readCorrectnessCsv(f, { kind: "probability", name: "bench" });
    expect([m.kind, m.name]).toEqual(["probability", "bench"]);
    // without a name the matrix is named after the path
    expect(readCorrectnessCsv(f).name).toBe(f);
  });

  test("loadDataset: a misspelled option is refused; kind is read", () => {
    const d = join(root, "data");
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, "correctness.csv"), CSV);
    expectUnknown(() => loadDataset(d, { kinds: "probability" } as never), "loadDataset", "kinds");
    expect(loadDataset(d).matrix.kind).toBe("binary");
    expect(loadDataset(d, { kind: "probability" }).matrix.kind).toBe("probability");
  });
});

describe(".npy", () => {
  const fixture = join(dirname(fileURLToPath(import.meta.url)), "__fixtures__", "npy", "acc_3x4.npy");

  test("readNpy: a misspelled option is refused; file names the file in errors", () => {
    const bytes = new Uint8Array(readFileSync(fixture));
    expectUnknown(() => readNpy(bytes, { fiel: "x.npy" } as never), "readNpy", "fiel");
    expect(readNpy(bytes).shape).toEqual([3, 4]);
    const bad = catchTb(() => readNpy(new Uint8Array(16), { file: "x.npy" }));
    expect([bad.code, bad.location?.file]).toEqual(["E_INPUT", "x.npy"]);
  });

  test("npyToMatrix: a misspelled option is refused; ids, kind and name are read", () => {
    const npy: NpyArray = { shape: [2, 2], data: new Float64Array([1, 0, 0, 1]), dtype: "<f8" };
    expectUnknown(() => npyToMatrix(npy, { modelID: ["a", "b"] } as never), "npyToMatrix", "modelID");
    const m = npyToMatrix(npy, { modelIds: ["a", "b"], exampleIds: ["x", "y"], kind: "probability", name: "n" });
    expect([m.modelIds, m.exampleIds, m.kind, m.name]).toEqual([["a", "b"], ["x", "y"], "probability", "n"]);
  });
});

describe("responses", () => {
  const ids = ["q1", "q2"];

  test("parseResponses: a misspelled option is refused; format and file are read", () => {
    expectUnknown(
      () => parseResponses('{"q1": 1}', { exampleIds: ids, fromat: "json" } as never),
      "parseResponses",
      "fromat",
    );
    // this text is JSON; read as CSV it has no example,correct header
    expect([...parseResponses('{"q1": 1}', { exampleIds: ids, format: "json" })]).toEqual([[0, 1]]);
    const asCsv = catchTb(() => parseResponses('{"q1": 1}', { exampleIds: ids, format: "csv", file: "a.txt" }));
    expect([asCsv.code, asCsv.location?.file]).toEqual(["E_INPUT", "a.txt"]);
  });

  test("readResponses: a misspelled option, file and filterNames (its own, not the caller's) are refused", () => {
    const f = join(root, "answers.csv");
    writeFileSync(f, "example,correct\nq2,1\n");
    expectUnknown(() => readResponses(f, { exampleIds: ids, fromat: "json" } as never), "readResponses", "fromat");
    expectUnknown(() => readResponses(f, { exampleIds: ids, file: "x.csv" } as never), "readResponses", "file");
    expectUnknown(
      () => readResponses(f, { exampleIds: ids, filterNames: ["none"] } as never),
      "readResponses",
      "filterNames",
    );
    expect([...readResponses(f, { exampleIds: ids, format: "csv" })]).toEqual([[1, 1]]);
  });
});

describe("lm-eval", () => {
  test("lmEvalSamplesFor: a misspelled option is refused; docOrder, task, examples and file are read", () => {
    expectUnknown(
      () => lmEvalSamplesFor(["1"], { docOrder: "identity", task: "t", examples: 3, fiel: "p.json" } as never),
      "lmEvalSamplesFor",
      "fiel",
    );
    expect(lmEvalSamplesFor(["2", "0"], { docOrder: "identity", task: "t", examples: 3 })).toEqual({ t: [0, 2] });
    // column 3 of a 3-column matrix does not exist
    const beyond = catchTb(() =>
      lmEvalSamplesFor(["3"], { docOrder: "lm-eval-v0.3", task: "t", examples: 3, file: "p.json" }),
    );
    expect([beyond.code, beyond.location?.file]).toEqual(["E_INPUT", "p.json"]);
  });

  test("importLmEval: a misspelled option is refused; metric, filter and name are read", () => {
    const out = join(root, "lm-eval");
    // model → doc → [strict-match value, flexible-extract value]
    const models: Record<string, [number, number][]> = {
      org__a: [
        [1, 0],
        [0, 1],
      ],
      org__b: [
        [0, 0],
        [1, 1],
      ],
    };
    for (const [name, docs] of Object.entries(models)) {
      mkdirSync(join(out, name), { recursive: true });
      const lines = docs.flatMap(([s, f], doc) =>
        [
          ["strict-match", s],
          ["flexible-extract", f],
        ].map(([filter, v]) =>
          JSON.stringify({ doc_id: doc, filter, metrics: ["exact_match"], exact_match: v, resps: [], target: "" }),
        ),
      );
      writeFileSync(join(out, name, "samples_gsm8k_2024-06-01T10-00-00.123456.jsonl"), `${lines.join("\n")}\n`);
    }
    expectUnknown(
      () => importLmEval([out], { metrc: "exact_match", filter: "strict-match" } as never),
      "importLmEval",
      "metrc",
    );
    const { matrix } = importLmEval([out], { metric: "exact_match", filter: "flexible-extract", name: "bench" });
    expect(matrix.name).toBe("bench");
    expect([Array.from(matrix.row(0)), Array.from(matrix.row(1))]).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });
});

describe("Open LLM Leaderboard details", () => {
  /** A v2 details file: doc_id and two metric columns. */
  function details(file: string, acc: number[], accNorm: number[]): string {
    mkdirSync(dirname(file), { recursive: true });
    const columnData = [
      { name: "doc_id", data: acc.map((_, d) => BigInt(d)), type: "INT64" as const },
      { name: "acc", data: acc, type: "DOUBLE" as const },
      { name: "acc_norm", data: accNorm, type: "DOUBLE" as const },
    ];
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData })));
    return file;
  }
  const DATE = "2024-06-26T17-18-49.123456";
  const base = join(root, "leaderboard");
  const a = details(join(base, "org__a", `samples_leaderboard_bbh_${DATE}.parquet`), [1, 0, 1], [0, 0, 1]);
  details(join(base, "org__b", `samples_leaderboard_bbh_${DATE}.parquet`), [0, 1, 1], [1, 1, 0]);

  test("readLeaderboardDetails: a misspelled option and name (it makes no matrix) are refused; metric is read", async () => {
    await expectUnknownAsync(
      () => readLeaderboardDetails(a, { metrc: "acc" } as never),
      "readLeaderboardDetails",
      "metrc",
    );
    await expectUnknownAsync(
      () => readLeaderboardDetails(a, { metric: "acc", name: "x" } as never),
      "readLeaderboardDetails",
      "name",
    );
    const r = await readLeaderboardDetails(a, { metric: "acc_norm", idColumn: "doc_id" });
    expect(r.metric).toBe("acc_norm");
    expect([...r.values]).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
    ]);
  });

  test("importLeaderboard: a misspelled option is refused; name and metric are read (name is not passed on)", async () => {
    await expectUnknownAsync(
      () => importLeaderboard([base], { metric: "acc", nmae: "x" } as never),
      "importLeaderboard",
      "nmae",
    );
    const { matrix } = await importLeaderboard([base], { metric: "acc", name: "bench" });
    expect(matrix.name).toBe("bench");
    expect([Array.from(matrix.row(0)), Array.from(matrix.row(1))]).toEqual([
      [1, 0, 1],
      [0, 1, 1],
    ]);
  });
});

describe("a function whose options are required refuses none, naming what it needs", () => {
  test("parseResponses, readResponses and lmEvalSamplesFor called without options (from JavaScript)", () => {
    const none = undefined as never;
    expect(() => parseResponses("id,correct\n0,1\n", none)).toThrow(
      /^parseResponses: needs its options \{ exampleIds \}, got undefined/,
    );
    expect(() => readResponses("answers.csv", none)).toThrow(/^readResponses: needs its options \{ exampleIds \}/);
    expect(() => lmEvalSamplesFor(["0"], none)).toThrow(/^lmEvalSamplesFor: needs its options \{ examples, task \}/);
  });
});
