import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { lmEvalV03Permutation, PythonRandom, parseDocOrder } from "./python-random.js";
import { catchTb } from "./test-utils.js";

/** Outputs of CPython's random module, written by __fixtures__/python-random/make_python_random.py. */
const ref = JSON.parse(
  readFileSync(join(import.meta.dirname, "__fixtures__/python-random/python-random.json"), "utf8"),
) as {
  getrandbits32: Record<string, number[]>;
  randbelow: Record<string, number[]>;
  shuffle: Record<string, number[]>;
};

describe("PythonRandom: CPython's random.Random, bit for bit (python3 outputs)", () => {
  test("getrandbits(32) after seeding from an int, including seeds of more than one 32-bit word", () => {
    for (const [seed, want] of Object.entries(ref.getrandbits32)) {
      const r = new PythonRandom(Number(seed));
      expect(
        want.map(() => r.getrandbits(32)),
        `seed ${seed}`,
      ).toEqual(want);
    }
  });
  test("_randbelow with rejection sampling, for n of 1 up to 2^31 + 5", () => {
    for (const [n, want] of Object.entries(ref.randbelow)) {
      const r = new PythonRandom(7);
      expect(
        want.map(() => r.randbelow(Number(n))),
        `n ${n}`,
      ).toEqual(want);
    }
  });
  test("shuffle of range(n) for several seeds and n", () => {
    for (const [key, want] of Object.entries(ref.shuffle)) {
      const [seed, n] = key.split(":").map(Number) as [number, number];
      const perm = Array.from({ length: n }, (_, i) => i);
      expect(new PythonRandom(seed).shuffle(perm), key).toEqual(want);
    }
  });
  test("lm-eval v0.3's order of GSM8K's 1319 test docs is random.Random(42).shuffle(range(1319))", () => {
    const perm = lmEvalV03Permutation(1319);
    expect(perm).toEqual(ref.shuffle["42:1319"]);
    expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: 1319 }, (_, i) => i));
  });
  test("bad arguments are usage errors", () => {
    expect(catchTb(() => new PythonRandom(-1)).code).toBe("E_USAGE");
    expect(catchTb(() => new PythonRandom(0).getrandbits(33)).code).toBe("E_USAGE");
    expect(catchTb(() => new PythonRandom(0).randbelow(0)).code).toBe("E_USAGE");
    expect(catchTb(() => parseDocOrder("lm-eval-v0.4")).message).toMatch(/known are lm-eval-v0.3 .* and identity/);
    expect(parseDocOrder("lm-eval-v0.3")).toBe("lm-eval-v0.3");
  });
});
