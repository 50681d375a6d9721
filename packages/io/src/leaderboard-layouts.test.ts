/**
 * Open LLM Leaderboard details in the layouts the hub serves: v2 details folders (lm-eval samples
 * files), the hub's parquet conversion `<config>/<split>/0000.parquet` (v2 and v1), v1 details
 * folders `details_<model>/<timestamp>/`, lighteval's string-cast `metrics`, INT64 and boolean
 * metric columns, and lm-eval v0.3's row order undone with `docOrder`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TbError } from "@tb/core";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, describe, expect, test } from "vitest";
import { importLeaderboard, parseMetricsString, readLeaderboardDetails } from "./leaderboard.js";
import { tempDir } from "./test-utils.js";

const { dir: root, cleanup } = tempDir("tb-lb-layouts-");
afterAll(cleanup);

const FIX = join(import.meta.dirname, "__fixtures__");
const OUT = join(FIX, "lm-eval/out");
const expected = JSON.parse(readFileSync(join(OUT, "expected.json"), "utf8")) as Record<
  string,
  Record<string, Record<string, number>>
>;
/** python3's random.Random(42).shuffle(range(57)). */
const PERM57 = (
  JSON.parse(readFileSync(join(FIX, "python-random/python-random.json"), "utf8")) as {
    shuffle: Record<string, number[]>;
  }
).shuffle["42:57"] as number[];

type Col = Parameters<typeof parquetWriteBuffer>[0]["columnData"][number];
function writeParquet(file: string, columnData: Col[]): string {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData })));
  return file;
}
function samplesOf(file: string): Record<string, unknown>[] {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
function rowMean(m: { exampleIds: readonly string[]; row(i: number): Float64Array }, i: number, task: string) {
  const r = m.row(i);
  const js = m.exampleIds.flatMap((id, j) => (id.startsWith(`${task}/`) ? [j] : []));
  return js.reduce((a, j) => a + (r[j] as number), 0) / js.length;
}
const MODELS = ["org__model-a", "org__model-b", "org__model-c"];
const DATE = "2024-06-26T17-18-49.123456";

describe("leaderboard layouts", () => {
  test("v2 details folders (<org>__<model>/samples_<task>_<date>.jsonl) with the harness's aggregates; an older run is ignored with a note", async () => {
    const r = await importLeaderboard([join(OUT, "v0.4.3")], {
      filter: "gsm8k=strict-match",
      metric: "hellaswag=acc_norm",
    });
    expect(r.models.map((m) => m.id)).toEqual(MODELS);
    expect(r.docIndices).toBe(true);
    r.models.forEach((m, i) => {
      const want = expected[m.id] as Record<string, Record<string, number>>;
      expect(rowMean(r.matrix, i, "gsm8k")).toBeCloseTo(want.gsm8k?.["exact_match,strict-match"] as number, 12);
      expect(rowMean(r.matrix, i, "hellaswag")).toBeCloseTo(want.hellaswag?.["acc_norm,none"] as number, 12);
      expect(rowMean(r.matrix, i, "tom_intention")).toBeCloseTo(want.tom_intention?.["exact_match,none"] as number, 12);
    });
    // an older run of boolq beside the newer one: the newer is read, the older named in a note
    const d = join(root, "v2-two-runs", "org__model-a");
    mkdirSync(d, { recursive: true });
    const src = join(OUT, "v0.4.3/org__model-a", `samples_boolq_${DATE}.jsonl`);
    writeFileSync(join(d, `samples_boolq_${DATE}.jsonl`), readFileSync(src));
    const flipped = samplesOf(src).map((s) => JSON.stringify({ ...s, acc: 1 - (s.acc as number) }));
    writeFileSync(join(d, "samples_boolq_2024-06-01T00-00-00.000000.jsonl"), `${flipped.join("\n")}\n`);
    const two = await importLeaderboard([join(root, "v2-two-runs")]);
    const row = two.matrix.row(0);
    expect(row.reduce((a, b) => a + b, 0) / row.length).toBeCloseTo(
      expected["org__model-a"]?.boolq?.["acc,none"] as number,
      12,
    );
    expect(two.notes.join("\n")).toMatch(
      /task "boolq": read run 2024-06-26T17-18-49\.123456; ignored 2024-06-01T00-00-00\.000000/,
    );
  });

  test("the hub's parquet conversion, v2: <repo>/<org>__<model>__<task>/<split>/0000.parquet → model and task from the config, split latest", async () => {
    const repo = (m: string) => join(root, "hub-v2", `${m}-details`);
    for (const m of MODELS) {
      for (const task of ["gsm8k", "boolq", "tom_intention"]) {
        const rows = samplesOf(join(OUT, "v0.4.9", m, `samples_${task}_${DATE}.jsonl`));
        const metric = task === "boolq" ? "acc" : "exact_match";
        const cols = (vals: (r: Record<string, unknown>) => number): Col[] => [
          { name: "doc_id", data: rows.map((r) => BigInt(r.doc_id as number)), type: "INT64" },
          { name: "filter", data: rows.map((r) => r.filter as string), type: "STRING" },
          { name: "target", data: rows.map((r) => String(r.target)), type: "STRING" },
          { name: metric, data: rows.map(vals), type: "DOUBLE" },
        ];
        const config = join(repo(m), `${m}__${task}`);
        writeParquet(
          join(config, "latest", "0000.parquet"),
          cols((r) => r[metric] as number),
        );
        // the same run under its timestamp split, altered so that reading it would show
        writeParquet(
          join(config, "2024_06_01T00_00_00.000000", "0000.parquet"),
          cols((r) => 1 - (r[metric] as number)),
        );
      }
    }
    const r = await importLeaderboard([join(root, "hub-v2")], { filter: "gsm8k=flexible-extract" });
    expect(r.models.map((m) => m.id)).toEqual(MODELS);
    expect(r.tasks).toEqual(["boolq", "gsm8k", "tom_intention"]);
    expect(r.matrix.exampleIds.some((id) => id.includes("0000") || id.includes("latest"))).toBe(false);
    r.models.forEach((m, i) => {
      const want = expected[m.id] as Record<string, Record<string, number>>;
      expect(rowMean(r.matrix, i, "gsm8k")).toBeCloseTo(want.gsm8k?.["exact_match,flexible-extract"] as number, 12);
      expect(rowMean(r.matrix, i, "boolq")).toBeCloseTo(want.boolq?.["acc,none"] as number, 12);
    });
    expect(r.notes.filter((n) => /read run latest; ignored 2024_06_01T00_00_00\.000000/.test(n))).toHaveLength(9);
  });

  /** v1 lighteval rows in lm-eval v0.3's visit order: row k is doc PERM57[k]; `metrics` string-cast. */
  function v1Rows(truth: number[], repr: "python" | "json"): Col[] {
    const vals = PERM57.map((d) => truth[d] as number);
    return [
      { name: "example", data: vals.map((_, k) => `question visited ${k}`), type: "STRING" },
      { name: "predictions", data: vals.map(() => "x"), type: "STRING" },
      { name: "truncated", data: vals.map(() => 0n), type: "INT64" },
      {
        name: "metrics",
        data: vals.map((v) => (repr === "python" ? `{'acc': ${v.toFixed(1)}}` : JSON.stringify({ acc: v }))),
        type: "STRING",
      },
    ];
  }
  const truthOf = (seed: number) => Array.from({ length: 57 }, (_, d) => ((d * 7 + seed) % 5 < 2 ? 1 : 0));

  test("v1: details_<model>/<timestamp>/details_<task>_….parquet (newest timestamp) and the hub's conversion details_<model>/<config>/<split>/0000.parquet; rows mapped by lm-eval v0.3's order", async () => {
    const base = join(root, "v1");
    const t1 = "2023-12-03T16-04-39.491085";
    const t0 = "2023-10-01T10-00-00.000000";
    writeParquet(
      join(base, "details_org__model-a", t1, `details_harness|gsm8k|5_${t1}.parquet`),
      v1Rows(truthOf(1), "python"),
    );
    writeParquet(
      join(base, "details_org__model-a", t0, `details_harness|gsm8k|5_${t0}.parquet`),
      v1Rows(truthOf(9), "python"),
    );
    writeParquet(
      join(base, "details_org__model-b", "harness_gsm8k_5", "latest", "0000.parquet"),
      v1Rows(truthOf(2), "json"),
    );
    const r = await importLeaderboard([base], { docOrder: "lm-eval-v0.3" });
    expect(r.models.map((m) => m.id)).toEqual(["org__model-a", "org__model-b"]);
    expect(r.docIndices).toBe(true);
    // the two layouts name the task alike (the hub's config name), so the models join
    expect(r.tasks).toEqual(["harness_gsm8k_5"]);
    expect(Array.from(r.matrix.row(0))).toEqual(truthOf(1));
    expect(Array.from(r.matrix.row(1))).toEqual(truthOf(2));
  });

  test("v1, one layout per import: doc ids after --doc-order are the true doc indices; without it the row numbers", async () => {
    const base = join(root, "v1b");
    const t1 = "2023-12-03T16-04-39.491085";
    const t0 = "2023-10-01T10-00-00.000000";
    writeParquet(
      join(base, "details_org__model-a", t1, `details_harness|gsm8k|5_${t1}.parquet`),
      v1Rows(truthOf(1), "python"),
    );
    writeParquet(
      join(base, "details_org__model-a", t0, `details_harness|gsm8k|5_${t0}.parquet`),
      v1Rows(truthOf(9), "python"),
    );
    writeParquet(
      join(base, "details_org__model-b", t1, `details_harness|gsm8k|5_${t1}.parquet`),
      v1Rows(truthOf(2), "json"),
    );
    const r = await importLeaderboard([base], { docOrder: "lm-eval-v0.3" });
    expect(r.models.map((m) => m.id)).toEqual(["org__model-a", "org__model-b"]);
    expect(r.tasks).toEqual(["harness_gsm8k_5"]);
    expect(r.matrix.exampleIds).toEqual(Array.from({ length: 57 }, (_, d) => String(d)));
    expect(Array.from(r.matrix.row(0))).toEqual(truthOf(1));
    expect(Array.from(r.matrix.row(1))).toEqual(truthOf(2));
    expect(r.read.get("harness_gsm8k_5")).toEqual({ metric: "metrics.acc", filter: "none" });
    expect(r.notes.join("\n")).toMatch(
      /model "org__model-a", task "harness_gsm8k_5": read run 2023-12-03T16-04-39\.491085; ignored 2023-10-01/,
    );
    const rows = await importLeaderboard([base], { idColumn: "@row" });
    expect(rows.docIndices).toBe(false);
    expect(Array.from(rows.matrix.row(0))).toEqual(PERM57.map((d) => truthOf(1)[d]));
  });

  test("INT64 and boolean metric columns are auto-detected; string-cast metrics parse (Python repr and JSON)", async () => {
    const a = writeParquet(join(root, "int", "m", `samples_t_${DATE}.parquet`), [
      { name: "doc_id", data: [0n, 1n, 2n], type: "INT64" },
      { name: "acc", data: [1n, 0n, 1n], type: "INT64" },
      { name: "num_effective_few_shots", data: [5n, 5n, 5n], type: "INT64" },
    ]);
    expect([...(await readLeaderboardDetails(a)).values]).toEqual([
      [0, 1],
      [1, 0],
      [2, 1],
    ]);
    const b = writeParquet(join(root, "bool", "m", `samples_t_${DATE}.parquet`), [
      { name: "doc_id", data: [0n, 1n], type: "INT64" },
      { name: "exact_match", data: [false, true], type: "BOOLEAN" },
    ]);
    const rb = await readLeaderboardDetails(b);
    expect(rb.metric).toBe("exact_match");
    expect([...rb.values]).toEqual([
      [0, 0],
      [1, 1],
    ]);
    // only the metrics struct counts when there is one; a question struct (doc.label) is never a metric
    const c = writeParquet(join(root, "v1struct", "m", `details_t_${DATE}.parquet`), [
      { name: "num_truncated_tokens", data: [0n, 0n], type: "INT64" },
      { name: "metrics", data: [{ acc: 1 }, { acc: 0 }] },
    ]);
    expect((await readLeaderboardDetails(c, { idColumn: "@row" })).metric).toBe("metrics.acc");
    const d = writeParquet(join(root, "v2doc", "m", `samples_t_${DATE}.parquet`), [
      { name: "doc_id", data: [0n, 1n], type: "INT64" },
      { name: "doc", data: [{ label: 1 }, { label: 0 }] },
      { name: "acc_norm", data: [0, 1], type: "DOUBLE" },
    ]);
    expect((await readLeaderboardDetails(d)).metric).toBe("acc_norm");
    expect(parseMetricsString("{'em': 1.0, 'qem': True, 'pem': 0, 'note': 'a, b'}")).toEqual({
      em: 1,
      qem: true,
      pem: 0,
      note: "a, b",
    });
    expect(parseMetricsString('{"acc": 0.5}')).toEqual({ acc: 0.5 });
    expect(parseMetricsString("acc=1")).toBeUndefined();
  });

  test.each([
    [
      "a hub conversion shard whose config does not name the model, outside a details_ repository",
      async () => {
        writeParquet(join(root, "anon", "dl", "harness_gsm8k_5", "latest", "0000.parquet"), v1Rows(truthOf(1), "json"));
        return importLeaderboard([join(root, "anon")], { docOrder: "lm-eval-v0.3" });
      },
      /shard of the hub's parquet conversion.*does not name the model/,
    ],
    [
      "lighteval details without a doc index and no doc order",
      async () => {
        const t = "2023-12-03T16-04-39.491085";
        writeParquet(
          join(root, "v1c", "details_org__m", t, `details_harness|gsm8k|5_${t}.parquet`),
          v1Rows(truthOf(1), "json"),
        );
        return importLeaderboard([join(root, "v1c")]);
      },
      /no column "doc_id".*doc order lm-eval-v0\.3/,
    ],
    [
      "a doc order with an id column",
      async () => importLeaderboard([join(root, "v1c")], { docOrder: "lm-eval-v0.3", idColumn: "doc_id" }),
      /cannot be combined with the id column "doc_id"/,
    ],
    [
      "two metrics, none chosen",
      async () =>
        readLeaderboardDetails(
          writeParquet(join(root, "two", `samples_t_${DATE}.parquet`), [
            { name: "doc_id", data: [0n], type: "INT64" },
            { name: "acc", data: [1], type: "DOUBLE" },
            { name: "acc_norm", data: [0], type: "DOUBLE" },
          ]),
        ),
      /several candidate metrics \(acc, acc_norm\).*t=acc/,
    ],
  ])("%s → a TbError saying what to do", async (_n, fn, re) => {
    const err = await fn().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TbError);
    expect((err as TbError).message).toMatch(re);
  });
});
