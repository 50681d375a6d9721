import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CorrectnessKind, CorrectnessMatrix, TbError } from "@tb/core";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { formatCorrectnessCsv, parseCorrectnessCsv } from "./correctness-csv.js";
import { readCorrectnessCsv, writeCorrectnessCsv } from "./correctness-csv-file.js";
import { catchTb, errorShape, tempDir } from "./test-utils.js";

const F = "bad.csv";

describe("parseCorrectnessCsv rejects malformed input with file, line and column", () => {
  // [what, text, line, column, message fragment, kind]
  const cases: [string, string, number | undefined, number | undefined, string, CorrectnessKind?][] = [
    ["empty file", "", 1, undefined, "empty file"],
    ["blank lines only", "\n\r\n\n", 1, undefined, "empty file"],
    ["BOM only", "\uFEFF", 1, undefined, "empty file"],
    ["header first cell not model", "models,a,b\nm,0,1\n", 1, 1, 'found "models"'],
    ["header first cell case", "Model,a,b\nm,0,1\n", 1, 1, 'found "Model"'],
    ["header looks like data", "gpt2,0,1\nm,0,1\n", 1, 1, 'found "gpt2"'],
    ["header without example ids", "model\nm\n", 1, 2, "no example ids"],
    ["empty example id", "model,a,,b\nm,0,1,1\n", 1, 3, "empty example id"],
    ["trailing comma in header", "model,a,b,\nm,0,1,1\n", 1, 4, "empty example id"],
    ["duplicate example id", "model,a,b,a\nm,0,1,1\n", 1, 4, 'duplicate example id "a"'],
    ["header but no rows", "model,a,b\n", 2, undefined, "no model rows"],
    ["ragged row, too few", "model,a,b\nm,0\n", 2, 3, "has 2 fields, expected 3"],
    ["ragged row, too many", "model,a,b\nm,0,1,1\n", 2, 4, "has 4 fields, expected 3"],
    ["ragged row, trailing comma", "model,a,b\nm,0,1\nn,0,1,\n", 3, 4, "has 4 fields, expected 3"],
    ["whitespace-only line", "model,a,b\nm,0,1\n  \n", 3, 2, "has 1 fields, expected 3"],
    ["empty cell", "model,a,b\nm,0,\n", 2, 3, "empty cell"],
    ["quoted empty cell", 'model,a,b\nm,"",1\n', 2, 2, "empty cell"],
    ["blank cell", "model,a,b\nm, ,1\n", 2, 2, "empty cell"],
    ["non-numeric cell", "model,a,b\nm,0,x\n", 2, 3, '"x" is not a number'],
    ["boolean cell", "model,a,b\nm,true,1\n", 2, 2, "is not a number"],
    ["hex cell", "model,a,b\nm,0x1,1\n", 2, 2, "is not a number"],
    ["NaN cell", "model,a,b\nm,NaN,1\n", 2, 2, "NaN"],
    ["nan cell", "model,a,b\nm,1,nan\n", 2, 3, "NaN"],
    ["Infinity cell", "model,a,b\nm,Infinity,1\n", 2, 2, "outside [0,1]"],
    ["value above 1", "model,a,b\nm,0,1.5\n", 2, 3, "outside [0,1]"],
    ["negative value", "model,a,b\nm,-0.1,1\n", 2, 2, "outside [0,1]"],
    ["huge exponent", "model,a,b\nm,1e5,1\n", 2, 2, "outside [0,1]"],
    ["non 0/1 in binary", "model,a,b\nm,0,0.5\n", 2, 3, "not 0 or 1", "binary"],
    ["duplicate model id", "model,a,b\nm,0,1\nm,1,1\n", 3, 1, 'duplicate model id "m" (first on line 2)'],
    ["duplicate model id via quotes", 'model,a,b\nm,0,1\n"m",1,1\n', 3, 1, "duplicate model id"],
    ["empty model id", "model,a,b\n,0,1\n", 2, 1, "empty model id"],
    ["CRLF, bad value on line 3", "model,a,b\r\nm,0,1\r\nn,0,2\r\n", 3, 3, "outside [0,1]"],
    ["CR-only line breaks", "model,a,b\rm,0,1\rn,0,x\r", 3, 3, "is not a number"],
    ["BOM + CRLF, ragged", "\uFEFFmodel,a,b\r\nm,0,1\r\nn\r\n", 3, 2, "expected 3"],
    ["blank lines keep line numbers", "model,a,b\n\nm,0,1\n\nn,1\n", 5, 3, "expected 3"],
    ["quoted newline in header id", 'model,"a\nb",c\nm,0,1\nn,0,5\n', 4, 3, "outside [0,1]"],
    ["unclosed quote", 'model,a,b\nm,0,1\nn,"0,1\n\nx\n', 3, undefined, "never closed"],
    ["stray quote in field", 'model,a,b\nm,0"x,1\n', 2, undefined, "malformed CSV"],
    ["text after closing quote", 'model,a,b\nm,"0"x,1\n', 2, undefined, "malformed CSV"],
  ];

  test.each(cases)("%s", (_what, text, line, column, fragment, kind) => {
    const err = catchTb(() => parseCorrectnessCsv(text, kind ? { file: F, kind } : { file: F }));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toContain(fragment);
    const want: Record<string, unknown> = { code: "E_INPUT", file: F };
    if (line !== undefined) want.line = line;
    if (column !== undefined) want.column = column;
    expect(errorShape(err)).toEqual(want);
    expect(err.message).toContain(`${F}:${line ?? ""}`);
  });

  test("the location is omitted from the file name when no file is given", () => {
    const err = catchTb(() => parseCorrectnessCsv("model,a\nm,2\n"));
    expect(errorShape(err)).toEqual({ code: "E_INPUT", line: 2, column: 2 });
    expect(err.message).toContain("line 2, column 2");
  });
});

describe("parseCorrectnessCsv accepts", () => {
  test("a plain binary matrix and infers its kind", () => {
    const m = parseCorrectnessCsv("model,q1,q2,q3\ngpt2,0,1,1\nllama,1,1,0\n");
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(m.kind).toBe("binary");
    expect(m.modelIds).toEqual(["gpt2", "llama"]);
    expect(m.exampleIds).toEqual(["q1", "q2", "q3"]);
    expect(Array.from(m.data)).toEqual([0, 1, 1, 1, 1, 0]);
    expect(m.name).toBe("correctness.csv");
  });

  test("BOM, CRLF, quoted ids with commas, quotes and newlines, no trailing newline", () => {
    const text = '\uFEFFmodel,"a,1","say ""hi""","x\r\ny"\r\n"org/m,1",0,1,0\r\nplain,1,0,1';
    const m = parseCorrectnessCsv(text, { name: "q" });
    expect(m.exampleIds).toEqual(["a,1", 'say "hi"', "x\ny"]);
    expect(m.modelIds).toEqual(["org/m,1", "plain"]);
    expect(Array.from(m.data)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(m.name).toBe("q");
  });

  test("probabilities, spaces around numbers, exponents, 1.0 in a binary matrix", () => {
    const m = parseCorrectnessCsv("model,a,b,c\nm, 0.25 ,1e-3,.5\nn,1.0,0.0,-0\n");
    expect(m.kind).toBe("probability");
    expect(Array.from(m.data)).toEqual([0.25, 0.001, 0.5, 1, 0, 0]);
    const b = parseCorrectnessCsv("model,a\nm,1.0\nn,0.00\n", { kind: "binary" });
    expect(Array.from(b.data)).toEqual([1, 0]);
    expect(Object.is(b.data[1], -0)).toBe(false);
  });

  test("kind probability is kept even when every cell is 0/1", () => {
    expect(parseCorrectnessCsv("model,a\nm,1\n", { kind: "probability" }).kind).toBe("probability");
  });

  test("many rows (buffer growth)", () => {
    const rows = Array.from({ length: 300 }, (_, i) => `m${i},${i % 2},${(i + 1) % 2}`);
    const m = parseCorrectnessCsv(`model,a,b\n${rows.join("\n")}\n`);
    expect(m.rows).toBe(300);
    expect(m.data.length).toBe(600);
    expect(m.row(299)[0]).toBe(1);
  });
});

describe("writeCorrectnessCsv / readCorrectnessCsv", () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  test("round trip keeps ids, values and kind", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const m = CorrectnessMatrix.from(
      [
        [0, 0.125, 1, 1 / 3],
        [1, 1e-9, 0, 0.9999999999999999],
      ],
      { modelIds: ["org/a,b", 'quo"te'], exampleIds: ["x", "y\nz", "1,2", " sp "], kind: "probability" },
    );
    const file = join(t.dir, "nested", "deeper", "correctness.csv");
    writeCorrectnessCsv(file, m);
    const back = readCorrectnessCsv(file, { kind: "probability" });
    expect(back.modelIds).toEqual(m.modelIds);
    expect(back.exampleIds).toEqual(m.exampleIds);
    expect(Array.from(back.data)).toEqual(Array.from(m.data));
    expect(back.kind).toBe("probability");
    expect(back.name).toBe(file);
  });

  test("binary matrices are written as 0/1", () => {
    const m = CorrectnessMatrix.from([
      [0, 1],
      [1, 1],
    ]);
    expect(formatCorrectnessCsv(m)).toBe("model,0,1\nm0,0,1\nm1,1,1\n");
  });

  test("errors name the file that was read", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, "c.csv");
    writeFileSync(file, "model,a\nm,0\nm,1\n");
    expect(errorShape(catchTb(() => readCorrectnessCsv(file)))).toEqual({
      code: "E_INPUT",
      file,
      line: 3,
      column: 1,
    });
  });

  test("a missing file is E_INPUT naming it", () => {
    const err = catchTb(() => readCorrectnessCsv("/nonexistent/dir/correctness.csv"));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toContain("not found: /nonexistent/dir/correctness.csv");
    expect(err.location?.file).toBe("/nonexistent/dir/correctness.csv");
  });
});

describe("parseCorrectnessCsv never crashes or hangs on arbitrary text", () => {
  const token = fc.constantFrom(
    "model",
    "m",
    "a",
    ",",
    ",",
    "\n",
    "\r\n",
    "\r",
    '"',
    '""',
    "0",
    "1",
    "0.5",
    "-1",
    "2",
    "NaN",
    "1e400",
    " ",
    "\uFEFF",
    "x",
    "#",
    "\t",
    "\\",
  );
  const csvish = fc.array(token, { maxLength: 60 }).map((t) => t.join(""));
  const anyText = fc.oneof(csvish, fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }));

  test("only TbError is ever thrown; every call is fast", () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom<CorrectnessKind | undefined>(undefined, "binary"), (text, kind) => {
        const t0 = performance.now();
        try {
          const m = parseCorrectnessCsv(text, kind ? { kind } : {});
          expect(m.data.length).toBe(m.rows * m.cols);
        } catch (err) {
          if (!(err instanceof TbError)) throw err;
          expect(err.code).toBe("E_INPUT");
        }
        expect(performance.now() - t0).toBeLessThan(500);
      }),
      { numRuns: 2000, seed: 20240601 },
    );
  });

  test("valid matrices round-trip through format and parse", () => {
    const idChar = fc.constantFrom("a", "b", ",", '"', "\n", " ", "é", "1", "/");
    const id = fc.array(idChar, { minLength: 1, maxLength: 6 }).map((c) => c.join(""));
    const matrix = fc
      .tuple(fc.uniqueArray(id, { minLength: 1, maxLength: 5 }), fc.uniqueArray(id, { minLength: 1, maxLength: 5 }))
      .chain(([models, examples]) =>
        fc
          .array(fc.double({ min: 0, max: 1, noNaN: true }), {
            minLength: models.length * examples.length,
            maxLength: models.length * examples.length,
          })
          .map((values) => ({ models, examples, values })),
      );
    fc.assert(
      fc.property(matrix, ({ models, examples, values }) => {
        const m = new CorrectnessMatrix({
          data: Float64Array.from(values),
          modelIds: models,
          exampleIds: examples,
          kind: "probability",
        });
        const back = parseCorrectnessCsv(formatCorrectnessCsv(m), { kind: "probability" });
        expect(back.modelIds).toEqual(models);
        expect(back.exampleIds).toEqual(examples);
        expect(Array.from(back.data)).toEqual(values.map((v) => (v === 0 ? 0 : v)));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
