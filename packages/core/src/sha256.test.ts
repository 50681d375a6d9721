import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { CorrectnessMatrix } from "./matrix.js";
import { canonicalCsvLines, matrixSha256, sourceRef } from "./sha256.js";

const text = (m: CorrectnessMatrix) => {
  const parts: string[] = [];
  canonicalCsvLines(m, (l) => parts.push(l));
  return parts.join("");
};

describe("matrixSha256", () => {
  test("the canonical text of a small matrix, written out by hand", () => {
    const m = CorrectnessMatrix.from(
      [
        [1, 0, 0.25],
        [0, 1, 1],
      ],
      { modelIds: ["a,b", 'q"x'], exampleIds: ["e1", "e 2", "3"], kind: "probability" },
    );
    expect(text(m)).toBe('model,e1,e 2,3\n"a,b",1,0,0.25\n"q""x",0,1,1\n');
  });
  test("equals Node's own sha256 (OpenSSL) of the canonical text", () => {
    const rows = Array.from({ length: 37 }, (_, i) =>
      Array.from({ length: 101 }, (_, j) => ((i * 7 + j * 13) % 5 === 0 ? 1 : 0)),
    );
    const m = CorrectnessMatrix.from(rows);
    const expected = createHash("sha256").update(text(m), "utf8").digest("hex");
    expect(matrixSha256(m)).toBe(expected);
    expect(sourceRef(m)).toEqual({ models: 37, examples: 101, sha256: expected });
  });
  test("non-ASCII ids are hashed as UTF-8", () => {
    const m = CorrectnessMatrix.from([[1], [0]], { modelIds: ["modèle", "模型"], exampleIds: ["ü"] });
    expect(matrixSha256(m)).toBe(createHash("sha256").update(text(m), "utf8").digest("hex"));
  });
});
