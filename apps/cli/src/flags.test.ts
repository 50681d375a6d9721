import { describe, expect, test } from "vitest";
import { parseFlags } from "./workflow/common.js";

describe("parseFlags", () => {
  const options = {
    out: { type: "string" },
    responses: { type: "string", multiple: true },
    json: { type: "boolean" },
  } as const;
  test("a flag given twice is refused unless it takes several values; an empty value is refused", () => {
    expect(() => parseFlags(["--out", "a", "--out", "b"], options)).toThrow(/^--out is given twice$/);
    expect(() => parseFlags(["--json", "--json"], options)).toThrow(/^--json is given twice$/);
    expect(parseFlags(["--responses", "a", "--responses", "b"], options).values.responses).toEqual(["a", "b"]);
    expect(() => parseFlags(["--out", ""], options)).toThrow(/^--out is empty$/);
    expect(() => parseFlags(["--out= "], options)).toThrow(/^--out is empty$/);
    expect(() => parseFlags(["--responses", "a", "--responses", ""], options)).toThrow(/^--responses is empty$/);
    expect(parseFlags(["--out", "x.json", "pos"], options)).toEqual({
      values: { out: "x.json" },
      positionals: ["pos"],
    });
  });
});

describe("ioWordsInFlags", () => {
  test("the readers' option words become the flags that set them; other text stays", async () => {
    const { ioWordsInFlags } = await import("./workflow/common.js");
    expect(
      ioWordsInFlags("x.jsonl has several per-sample metrics in [0,1] (acc, f1); choose one with the metric option"),
    ).toBe("x.jsonl has several per-sample metrics in [0,1] (acc, f1); choose one with --metric");
    expect(ioWordsInFlags("d logs several filters (a, b); choose one with the filter option (e.g. t=a)")).toBe(
      "d logs several filters (a, b); choose one with --filter (e.g. t=a)",
    );
    expect(
      ioWordsInFlags("the metric, task apply to lm-eval samples; a.csv is csv, one value per example: leave them out"),
    ).toBe("--metric, --task apply to lm-eval samples; a.csv is csv, one value per example: leave them out");
    expect(ioWordsInFlags("the doc order applies to lm-eval samples (keyed by doc_id)")).toBe(
      "--doc-order applies to lm-eval samples (keyed by doc_id)",
    );
    expect(ioWordsInFlags("the metric is fine")).toBe("the metric is fine");
  });
});
