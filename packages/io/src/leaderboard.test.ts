import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TbError } from "@tb/core";
import fc from "fast-check";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, describe, expect, test } from "vitest";
import { importLeaderboard, leaderboardTaskFromFileName, readLeaderboardDetails } from "./leaderboard.js";
import { tempDir } from "./test-utils.js";

const { dir: root, cleanup } = tempDir("tb-lb-");
afterAll(cleanup);

type Col = Parameters<typeof parquetWriteBuffer>[0]["columnData"][number];

function writeParquet(file: string, columnData: Col[]): string {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData })));
  return file;
}

/** A v2 details file (lm-eval columns; doc_id int64 as on the hub). */
function v2(file: string, docs: number[], accNorm: number[], extra: Col[] = []): string {
  return writeParquet(file, [
    { name: "doc_id", data: docs.map(BigInt), type: "INT64" },
    { name: "target", data: docs.map(() => "A"), type: "STRING" },
    { name: "doc_hash", data: docs.map((d) => `h${d}`), type: "STRING" },
    { name: "acc_norm", data: accNorm, type: "DOUBLE" },
    ...extra,
  ]);
}

/** A v1 details file (lighteval record: metrics struct, no doc index column). */
function v1(file: string, acc: number[], em: number[]): string {
  return writeParquet(file, [
    { name: "example", data: acc.map((_, i) => `q${i}`), type: "STRING" },
    { name: "predictions", data: acc.map(() => "x"), type: "STRING" },
    { name: "metrics", data: acc.map((a, i) => ({ acc: a, em: em[i] })) },
  ]);
}

const DATE = "2024-06-26T17-18-49.123456";

describe("Open LLM Leaderboard details (parquet, TOOLCHAIN Formats)", () => {
  test("task from the file name, v2 and v1", () => {
    expect(leaderboardTaskFromFileName(`samples_leaderboard_musr_team_allocation_${DATE}.parquet`)).toBe(
      "leaderboard_musr_team_allocation",
    );
    expect(leaderboardTaskFromFileName("details_harness|gsm8k|5_2023-12-03T16-04-39.491085.parquet")).toBe(
      "harness|gsm8k|5",
    );
    expect(leaderboardTaskFromFileName("x/train.parquet")).toBe("train");
  });

  test("v2: doc_id (int64) → acc_norm, the only metric column, found without options", async () => {
    const f = v2(join(root, "one", `samples_leaderboard_musr_${DATE}.parquet`), [2, 0, 1], [1, 0, 1]);
    const { task, values } = await readLeaderboardDetails(f);
    expect(task).toBe("leaderboard_musr");
    expect([...values].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
    ]);
  });

  test("v1: the metric path into the metrics struct, doc index from the row order", async () => {
    const f = v1(join(root, "v1", "details_harness|gsm8k|5_2023-12-03T16-04-39.491085.parquet"), [1, 0, 1], [0, 0, 1]);
    const acc = await readLeaderboardDetails(f, { metric: "metrics.acc", idColumn: "@row" });
    expect([...acc.values]).toEqual([
      [0, 1],
      [1, 0],
      [2, 1],
    ]);
    const em = await readLeaderboardDetails(f, { metric: "metrics.em", idColumn: "@row" });
    expect([...em.values.values()]).toEqual([0, 0, 1]);
    await expect(readLeaderboardDetails(f, { idColumn: "@row" })).rejects.toThrow(
      /several candidate metrics \(metrics\.acc, metrics\.em\)/,
    );
    await expect(readLeaderboardDetails(f)).rejects.toThrow(/no column "doc_id"/);
  });

  test("importLeaderboard with only the hub's aggregated results: a named E_INPUT, not a crash", async () => {
    const only = join(root, "only-results", "details_org__m", "results", "latest");
    mkdirSync(only, { recursive: true });
    writeFileSync(join(only, "0000.parquet"), "");
    let err: unknown;
    try {
      await importLeaderboard([join(root, "only-results")]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TbError);
    expect((err as TbError).code).toBe("E_INPUT");
    expect((err as TbError).message).toMatch(/^importLeaderboard: no details table to import in .*only-results/);
  });

  test("importLeaderboard: model folders → matrix; several tasks → <task>/<doc> ids", async () => {
    const base = join(root, "details");
    for (const [m, vals] of [
      ["org__a", [1, 0, 1]],
      ["org__b", [0, 0, 1]],
    ] as const) {
      v2(join(base, m, `samples_leaderboard_musr_murder_mysteries_${DATE}.parquet`), [0, 1, 2], [...vals]);
      v2(join(base, m, `samples_leaderboard_musr_team_allocation_${DATE}.parquet`), [1, 0], [vals[0], vals[2]]);
    }
    const { matrix, tasks, models } = await importLeaderboard([base]);
    expect(models.map((m) => m.id)).toEqual(["org__a", "org__b"]);
    expect(tasks).toEqual(["leaderboard_musr_murder_mysteries", "leaderboard_musr_team_allocation"]);
    expect(matrix.exampleIds).toEqual([
      "leaderboard_musr_murder_mysteries/0",
      "leaderboard_musr_murder_mysteries/1",
      "leaderboard_musr_murder_mysteries/2",
      "leaderboard_musr_team_allocation/0",
      "leaderboard_musr_team_allocation/1",
    ]);
    expect(Array.from(matrix.row(0))).toEqual([1, 0, 1, 1, 1]);
    expect(Array.from(matrix.row(1))).toEqual([0, 0, 1, 1, 0]);
  });

  test.each([
    [
      "not parquet",
      async () => {
        const f = join(root, "bad", "junk.parquet");
        mkdirSync(join(root, "bad"), { recursive: true });
        writeFileSync(f, "PAR1 not really");
        return readLeaderboardDetails(f);
      },
      /not a readable parquet file/,
    ],
    [
      "a value outside [0,1]",
      async () => readLeaderboardDetails(v2(join(root, "r", "a.parquet"), [0, 1], [0, 2])),
      /outside \[0,1\]/,
    ],
    [
      "a doc twice",
      async () => readLeaderboardDetails(v2(join(root, "r", "b.parquet"), [0, 0], [0, 1])),
      /doc 0 appears twice/,
    ],
    [
      "a null value",
      async () =>
        readLeaderboardDetails(
          writeParquet(join(root, "r", "c.parquet"), [
            { name: "doc_id", data: [0n, 1n], type: "INT64" },
            { name: "acc", data: [1, null], type: "DOUBLE", nullable: true },
          ]),
          { metric: "acc" },
        ),
      /doc 1 has no value for "acc"/,
    ],
    [
      "a filter that does not occur",
      async () =>
        readLeaderboardDetails(
          v2(join(root, "r", "d.parquet"), [0], [1], [{ name: "filter", data: ["none"], type: "STRING" }]),
          { filter: "strict-match" },
        ),
      /filter "strict-match" does not occur/,
    ],
    [
      "models with different docs",
      async () => {
        const b = join(root, "uneven");
        v2(join(b, "m1", `samples_t_${DATE}.parquet`), [0, 1, 2], [1, 1, 1]);
        v2(join(b, "m2", `samples_t_${DATE}.parquet`), [0, 1], [1, 1]);
        return importLeaderboard([b]);
      },
      /model "m2" lacks doc_id 2/,
    ],
    [
      "a folder without parquet files",
      async () => {
        mkdirSync(join(root, "none"), { recursive: true });
        return importLeaderboard([join(root, "none")]);
      },
      /no leaderboard details \(\.parquet/,
    ],
  ])("%s → TbError naming the file", async (_name, fn, re) => {
    const err = await fn().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TbError);
    expect(["E_INPUT", "E_USAGE"]).toContain((err as TbError).code);
    expect((err as TbError).message).toMatch(re);
  });

  test("random bytes never crash or hang the reader (fast-check)", async () => {
    const f = join(root, "fuzz.parquet");
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (bytes, magic) => {
        const data = magic ? new Uint8Array([0x50, 0x41, 0x52, 0x31, ...bytes, 0x50, 0x41, 0x52, 0x31]) : bytes;
        writeFileSync(f, data);
        const err = await readLeaderboardDetails(f).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (err !== undefined) expect(err).toBeInstanceOf(TbError);
      }),
      { numRuns: 150 },
    );
  });
});
