// wasmInstance: a module assembled here from text (wabt, a root devDependency) so the expected values
// are hand-computed facts, not outputs of the code under test.
import { describe, expect, test } from "vitest";
import wabtInit from "wabt";
import { WASM_MAX_BYTES, wasmInstance } from "./wasm.js";

async function hexOf(wat: string): Promise<string> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("t.wat", wat, { simd: true });
  try {
    const { buffer } = mod.toBinary({ log: false });
    return Buffer.from(buffer).toString("hex");
  } finally {
    mod.destroy();
  }
}

// store(p, x) writes twice(x) as f64 at byte p of the imported memory; size() is the memory's pages.
const MODULE = `(module
  (import "env" "twice" (func $twice (param f64) (result f64)))
  (import "env" "memory" (memory 1))
  (func (export "store") (param $p i32) (param $x f64)
    (f64.store (local.get $p) (call $twice (local.get $x))))
  (func (export "size") (result i32) (memory.size)))`;

describe("wasmInstance", () => {
  test("instantiates with the memory and the imported functions; writes land in its buffer", async () => {
    const hex = await hexOf(MODULE);
    const calls: number[] = [];
    const twice = (x: number) => {
      calls.push(x);
      return 2 * x;
    };
    const inst = wasmInstance(hex, 3 * 65536 + 1, { twice });
    if (inst === undefined) throw new Error("no instance");
    expect(inst.buffer.byteLength).toBe(4 * 65536); // ceil((3·65536 + 1) / 65536) pages
    expect((inst.exports.size as () => number)()).toBe(4);
    (inst.exports.store as (p: number, x: number) => void)(16, 1.25);
    expect(new Float64Array(inst.buffer, 16, 1)[0]).toBe(2.5);
    expect(calls).toEqual([1.25]);
  });

  test("zero bytes still get one page; each call has its own memory", async () => {
    const hex = await hexOf(MODULE);
    const a = wasmInstance(hex, 0, { twice: (x: number) => x });
    const b = wasmInstance(hex, 0, { twice: (x: number) => x });
    if (a === undefined || b === undefined) throw new Error("no instance");
    expect(a.buffer.byteLength).toBe(65536);
    (a.exports.store as (p: number, x: number) => void)(0, 7);
    expect(new Float64Array(a.buffer, 0, 1)[0]).toBe(7);
    expect(new Float64Array(b.buffer, 0, 1)[0]).toBe(0);
  });

  test("undefined where it cannot run: sizes beyond a 32-bit memory, bad sizes, bytes that are no module", async () => {
    const hex = await hexOf(MODULE);
    const twice = (x: number) => 2 * x;
    expect(wasmInstance(hex, WASM_MAX_BYTES + 1, { twice })).toBeUndefined();
    expect(wasmInstance(hex, -1, { twice })).toBeUndefined();
    expect(wasmInstance(hex, Number.NaN, { twice })).toBeUndefined();
    expect(wasmInstance("0061736d02000000", 0)).toBeUndefined(); // version 2: not a module
    expect(wasmInstance("deadbeef", 0)).toBeUndefined();
    expect(wasmInstance(`00zz${hex.slice(4)}`, 0, { twice })).toBeUndefined(); // "zz" is no hex: no magic number
    expect(WASM_MAX_BYTES).toBe(2 ** 32 - 65536);
  });

  test("hex digits in either case spell the same module", async () => {
    const hex = await hexOf(MODULE);
    const twice = (x: number) => 2 * x;
    for (const h of [hex, hex.toUpperCase()]) {
      const inst = wasmInstance(h, 0, { twice });
      if (inst === undefined) throw new Error("no instance");
      (inst.exports.store as (p: number, x: number) => void)(8, 1.25);
      expect(new Float64Array(inst.buffer, 8, 1)[0]).toBe(2.5);
    }
  });

  test("a missing import is a link error: undefined, not a throw", async () => {
    const hex = await hexOf(MODULE);
    expect(wasmInstance(hex, 0)).toBeUndefined();
  });
});
