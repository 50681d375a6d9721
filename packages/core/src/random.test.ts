import { describe, expect, test } from "vitest";
import { TbError } from "./errors.js";
import { RandomStream, range } from "./random.js";

describe("keyed random streams (docs/METHOD.md §10)", () => {
  test("same key path → same numbers; different paths → different numbers", () => {
    const a = RandomStream.derive(0, "tailored", 20, 3, "gset");
    const b = RandomStream.derive(0, "tailored", 20, 3, "gset");
    const c = RandomStream.derive(0, "tailored", 20, 4, "gset");
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });
  test("string and number keys do not collide ('1' vs 1)", () => {
    expect(RandomStream.derive("1").nextUint32()).not.toBe(RandomStream.derive(1).nextUint32());
  });
  test("child streams do not advance the parent", () => {
    const p = RandomStream.derive(7);
    const q = RandomStream.derive(7);
    p.child("x").nextUint32();
    expect(p.nextUint32()).toBe(q.nextUint32());
    expect(p.child("nset", 2).nextUint32()).toBe(RandomStream.derive(7, "nset", 2).nextUint32());
  });
  test("sample: k distinct items from the pool; uniform over many draws", () => {
    const r = RandomStream.derive(1);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) {
      const s = r.sample(range(10), 3);
      expect(new Set(s).size).toBe(3);
      for (const v of s) counts[v]++;
    }
    // each item expected 6000 times; 5 sd ≈ 5·sqrt(20000·0.3·0.7) ≈ 324
    for (const c of counts) expect(Math.abs(c - 6000)).toBeLessThan(330);
  });
  test("nextInt rejects bad bounds; nextFloat in [0,1)", () => {
    const r = RandomStream.derive(2);
    expect(() => r.nextInt(0)).toThrow(TbError);
    for (let i = 0; i < 1000; i++) {
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
    }
  });
});

describe("RandomStream.from (a numeric seed wherever a stream is taken)", () => {
  test("a number s is RandomStream.derive(s): same draws", () => {
    const a = RandomStream.from(7);
    const b = RandomStream.derive(7);
    expect(Array.from({ length: 5 }, () => a.nextUint32())).toEqual(Array.from({ length: 5 }, () => b.nextUint32()));
    expect(a.keys).toEqual([7]);
  });
  test("a stream is returned as it is (not copied, not advanced)", () => {
    const s = RandomStream.derive(1, "x");
    expect(RandomStream.from(s)).toBe(s);
  });
  test("a stream-like object from another copy is rebuilt from its keys", () => {
    const s = RandomStream.derive(3, "y");
    const foreign = { keys: [3, "y"], child: () => s };
    expect(RandomStream.from(foreign as unknown as RandomStream).nextUint32()).toBe(
      RandomStream.derive(3, "y").nextUint32(),
    );
  });
  test("anything else is E_USAGE naming the option", () => {
    for (const bad of [1.5, Number.NaN, "3", null, {}]) {
      try {
        RandomStream.from(bad as unknown as number, "clara: rng");
        throw new Error("no throw");
      } catch (e) {
        expect(e).toBeInstanceOf(TbError);
        expect((e as TbError).code).toBe("E_USAGE");
        expect((e as TbError).message).toMatch(/^clara: rng must be an integer or a RandomStream/);
      }
    }
  });
});

describe("sample and range take indices only", () => {
  test("a pool value that is not a 32-bit integer is refused (it came back changed)", () => {
    const r = RandomStream.derive(0, "pool");
    expect(() => r.sample([2 ** 31, 1.5, 3], 3)).toThrow(/^sample: pool\[0\] is 2147483648, not an index/);
    expect(() => r.shuffle([5e9, 6e9])).toThrow(/^sample: pool\[0\] is 5000000000/);
    expect(() => r.sample([1, 1.5], 1)).toThrow(/pool\[1\] is 1.5/);
    expect(Array.from(r.sample([7, -3, 2 ** 31 - 1], 3)).sort((a, b) => a - b)).toEqual([-3, 7, 2 ** 31 - 1]);
  });
  test("range needs an integer ≥ 0", () => {
    expect(() => range(-1)).toThrow(/^range: n must be an integer ≥ 0, got -1/);
    expect(() => range(1.5)).toThrow(/got 1.5/);
    expect(Array.from(range(3))).toEqual([0, 1, 2]);
  });
});

describe("stream keys", () => {
  test("a key with the separator, or a number that is not finite, is refused (two paths would share a stream)", () => {
    expect(() => RandomStream.derive("a\u0000sb")).toThrow(
      /stream key .* must be a finite number or a string without NUL/,
    );
    expect(() => RandomStream.derive(Number.NaN)).toThrow(/stream key null must be a finite number|stream key NaN/);
    expect(() => RandomStream.derive(0).child(Number.POSITIVE_INFINITY)).toThrow(/must be a finite number/);
    expect(RandomStream.derive("a", "b").nextUint32()).toBe(RandomStream.derive("a", "b").nextUint32());
  });
});
