import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import { isTbError } from "./errors.js";
import { KeyedByObject, WeakTable, Workspace, type WorkspaceSlot, workspaceKey, workspaceOf } from "./workspace.js";

/** A slot holding `n` buffers of 8 bytes each. */
class Buffers implements WorkspaceSlot {
  readonly list: Float64Array[] = [];
  entries(): number {
    return this.list.length;
  }
  bytes(): number {
    return this.list.reduce((s, b) => s + b.byteLength, 0);
  }
}
const A = workspaceKey<Buffers>("a");
const B = workspaceKey<Buffers>("b");

/** `gc()` of V8 (the flag set at run time; vm gives a fresh context where it is defined). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}
/** Ends the current job (WeakRefs made in it keep their targets alive until then), then collects. */
async function collect(gc: () => void): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  gc();
  await new Promise((r) => setTimeout(r, 0));
  gc();
}

describe("Workspace", () => {
  test("a slot is made once per key and workspace; stats add up what the slots report", () => {
    const ws = new Workspace();
    expect(ws.stats()).toEqual({ slots: 0, entries: 0, bytes: 0, bySlot: {} });
    const a = ws.slot(A, () => new Buffers());
    expect(ws.slot(A, () => new Buffers())).toBe(a);
    a.list.push(new Float64Array(3), new Float64Array(5));
    ws.slot(B, () => new Buffers()).list.push(new Float64Array(1));
    expect(ws.stats()).toEqual({
      slots: 2,
      entries: 3,
      bytes: 72,
      bySlot: { a: { entries: 2, bytes: 64 }, b: { entries: 1, bytes: 8 } },
    });
    expect(ws.peek(A)).toBe(a);
    // keys compare by identity: another key with the same name is another slot
    const A2 = workspaceKey<Buffers>("a");
    expect(ws.peek(A2)).toBeUndefined();
    ws.slot(A2, () => new Buffers()).list.push(new Float64Array(2));
    expect(ws.stats().bySlot.a).toEqual({ entries: 3, bytes: 80 });
  });

  test("two workspaces share nothing", () => {
    const one = new Workspace();
    const two = new Workspace();
    one.slot(A, () => new Buffers()).list.push(new Float64Array(4));
    expect(two.peek(A)).toBeUndefined();
    expect(two.stats().bytes).toBe(0);
    expect(two.slot(A, () => new Buffers())).not.toBe(one.peek(A));
  });

  test("clear empties it and it stays usable; dispose empties it and refuses further use", () => {
    const ws = new Workspace();
    ws.slot(A, () => new Buffers()).list.push(new Float64Array(4));
    ws.clear();
    expect(ws.stats()).toEqual({ slots: 0, entries: 0, bytes: 0, bySlot: {} });
    const fresh = ws.slot(A, () => new Buffers());
    expect(fresh.entries()).toBe(0);
    fresh.list.push(new Float64Array(1));
    ws.dispose();
    expect(ws.disposed).toBe(true);
    expect(ws.stats()).toEqual({ slots: 0, entries: 0, bytes: 0, bySlot: {} });
    try {
      ws.slot(A, () => new Buffers());
      expect.unreachable();
    } catch (e) {
      expect(isTbError(e) && e.code).toBe("E_USAGE");
    }
    ws.dispose(); // again: nothing happens
  });

  test("dropping a workspace frees what its slots hold", async () => {
    const gc = collector();
    const refs: WeakRef<Float64Array>[] = [];
    (() => {
      const ws = new Workspace();
      const buf = new Float64Array(1 << 16);
      ws.slot(A, () => new Buffers()).list.push(buf);
      refs.push(new WeakRef(buf));
    })();
    await collect(gc);
    expect(refs[0]?.deref()).toBeUndefined();
  });

  test("workspaceOf: a fresh workspace for undefined, the given one otherwise; anything else is E_USAGE", () => {
    const a = workspaceOf(undefined);
    const b = workspaceOf(undefined);
    expect(a).toBeInstanceOf(Workspace);
    expect(a).not.toBe(b);
    const ws = new Workspace();
    expect(workspaceOf(ws)).toBe(ws);
    for (const bad of [null, 3, "ws", {}, { slot() {} }]) {
      try {
        workspaceOf(bad as unknown as Workspace, "options.workspace");
        expect.unreachable();
      } catch (e) {
        expect(isTbError(e) && e.code).toBe("E_USAGE");
        expect((e as Error).message).toMatch(/options\.workspace must be a Workspace/);
      }
    }
  });
});

describe("WeakTable", () => {
  test("lists the values of live keys; an entry goes with its key", async () => {
    const gc = collector();
    const table = new WeakTable<object, number>();
    const kept = { name: "kept" };
    table.set(kept, 1);
    table.set(kept, 2); // replaced, still one entry
    (() => {
      for (let t = 0; t < 200; t++) table.set({ t }, 10 + t);
    })();
    expect(table.get(kept)).toBe(2);
    await collect(gc);
    expect(table.values()).toEqual([2]);
  });
});

describe("KeyedByObject: values per owner object and key", () => {
  test("one map per owner; entries and bytes count every owner's values", () => {
    const t = new KeyedByObject<object, Float64Array>((v) => v.byteLength);
    const a = {};
    const b = {};
    expect(t.of(a)).toBe(t.of(a));
    t.of(a).set("x", new Float64Array(2)); // 16 bytes
    t.of(a).set("y", new Float64Array(3)); // 24 bytes
    t.of(b).set("x", new Float64Array(1)); // 8 bytes
    expect(t.entries()).toBe(3);
    expect(t.bytes()).toBe(48);
    expect(t.of(b).get("x")?.length).toBe(1);
    expect(t.of({}).size).toBe(0);
  });
  test("a workspace reports the slot in its stats", () => {
    const ws = new Workspace();
    const key = workspaceKey<KeyedByObject<object, Float64Array>>("test keyed slot");
    const owner = {};
    ws.slot(key, () => new KeyedByObject((v: Float64Array) => v.byteLength))
      .of(owner)
      .set("k", new Float64Array(4));
    const st = ws.stats();
    expect(st.entries).toBe(1);
    expect(st.bytes).toBe(32);
    ws.clear();
    expect(ws.stats().entries).toBe(0);
  });
});
