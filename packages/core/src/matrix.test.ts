import { describe, expect, test } from "vitest";
import { TbError } from "./errors.js";
import { CorrectnessMatrix } from "./matrix.js";

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof TbError ? `${e.code}:${e.message}` : `other:${String(e)}`;
  }
  return undefined;
};

describe("CorrectnessMatrix validation", () => {
  test.each([
    ["NaN", [[0, Number.NaN]], /E_INPUT.*NaN.*row m0, column 1/],
    ["above 1", [[0, 1.5]], /E_INPUT.*1.5 outside \[0,1\]/],
    ["negative", [[-0.1, 1]], /E_INPUT.*outside/],
    ["ragged", [[0, 1], [1]], /E_INPUT.*row 1 has 1 values, expected 2/],
  ])("%s is rejected with its location", (_, rows, re) => {
    expect(code(() => CorrectnessMatrix.from(rows as number[][]))).toMatch(re);
  });
  test("a flat list of numbers instead of rows is refused (not a models × 0 matrix)", () => {
    expect(code(() => CorrectnessMatrix.from([0, 1, 1, 0] as unknown as number[][]))).toMatch(
      /E_INPUT.*row 0 is the number 0, not an array of values/,
    );
  });
  test("non-0/1 value in a binary matrix", () => {
    expect(code(() => CorrectnessMatrix.from([[0, 0.5]], { kind: "binary" }))).toMatch(/E_INPUT.*binary/);
  });
  test("duplicate ids", () => {
    expect(code(() => CorrectnessMatrix.from([[0], [1]], { modelIds: ["a", "a"] }))).toMatch(/duplicate model id "a"/);
    expect(code(() => CorrectnessMatrix.from([[0, 1]], { exampleIds: ["x", "x"] }))).toMatch(/duplicate example id/);
  });
  test("true score is the fraction of cells > 1e-8, or the explicit one", () => {
    const m = CorrectnessMatrix.from([
      [1, 0, 1, 1],
      [0.5, 1e-9, 0.2, 0],
    ]);
    expect(m.kind).toBe("probability");
    expect(m.trueScore(0)).toBe(0.75);
    expect(m.trueScore(1)).toBe(0.5);
    const n = CorrectnessMatrix.from([[0.9, 0.1]], { trueScores: Float64Array.from([0.5]) });
    expect(n.trueScore(0)).toBe(0.5);
  });
  test("selectRows keeps ids and true scores; from() accepts ml-matrix-like objects", () => {
    const like = {
      rows: 2,
      columns: 2,
      to2DArray: () => [
        [1, 0],
        [0, 0],
      ],
    };
    const m = CorrectnessMatrix.from(like, { modelIds: ["a", "b"] });
    const s = m.selectRows([1, 0]);
    expect(s.modelIds).toEqual(["b", "a"]);
    expect(Array.from(s.trueScores())).toEqual([0, 0.5]);
    expect(m.modelIndex("b")).toBe(1);
    expect(code(() => m.exampleIndex("zz"))).toMatch(/E_UNKNOWN_ID/);
  });
});

describe("CorrectnessMatrix.from takes numbers only, and true scores in [0, 1]", () => {
  test("a null (a missing answer) or a string is refused, not read as 0 or a number", () => {
    expect(() => CorrectnessMatrix.from([[null, 1] as unknown as number[]])).toThrow(
      /^sources: row 0, column 0 is null, not a number|^matrix: row 0, column 0 is null, not a number/,
    );
    expect(() => CorrectnessMatrix.from([[1, "1"] as unknown as number[]], { name: "m" })).toThrow(
      /^m: row 0, column 1 is "1", not a number/,
    );
  });
  test("trueScores outside [0, 1] are refused; trueScore of a row that does not exist throws with or without them", () => {
    expect(() => CorrectnessMatrix.from([[1, 0]], { trueScores: Float64Array.from([Number.NaN]) })).toThrow(
      /trueScores\[0\] is NaN, not a number in \[0, 1\]/,
    );
    expect(() => CorrectnessMatrix.from([[1, 0]], { trueScores: Float64Array.from([5]) })).toThrow(
      /trueScores\[0\] is 5/,
    );
    const given = CorrectnessMatrix.from([[1, 0]], { trueScores: Float64Array.from([0.7]) });
    const plain = CorrectnessMatrix.from([[1, 0]]);
    expect(given.trueScore(0)).toBe(0.7);
    for (const m of [given, plain]) expect(() => m.trueScore(7)).toThrow(/trueScore: model 7 is not a row in \[0, 1\)/);
  });
});

describe("an option or field the matrix does not have is refused by name, not ignored", () => {
  test("CorrectnessMatrix.from and the constructor", () => {
    // a typo would otherwise keep the default ids and the inferred kind
    expect(() => CorrectnessMatrix.from([[1, 0]], { modelID: ["a"] } as never)).toThrow(
      /^CorrectnessMatrix\.from: unknown option "modelID" \(known: modelIds, /,
    );
    expect(
      () =>
        new CorrectnessMatrix({
          data: Float64Array.of(0.5, 1),
          modelIds: ["a"],
          exampleIds: ["x", "y"],
          kinds: "probability",
        } as never),
    ).toThrow(/^new CorrectnessMatrix: unknown option "kinds"/);
    // the real names still work
    const m = CorrectnessMatrix.from([[1, 0]], { modelIds: ["a"], kind: "probability" });
    expect([m.modelIds[0], m.kind]).toEqual(["a", "probability"]);
  });
});
