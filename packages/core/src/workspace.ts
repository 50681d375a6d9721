import { TbError } from "./errors.js";

/**
 * What a package keeps in a {@link Workspace} under one key: its caches, buffer pools and scratch
 * arrays, able to say how much it holds.
 */
export interface WorkspaceSlot {
  /** Entries held (kept sources, fits, pooled buffers …), for {@link Workspace.stats}. */
  entries(): number;
  /** Bytes held (typed arrays; an estimate for object graphs), for {@link Workspace.stats}. */
  bytes(): number;
}

/** Names one kind of slot. Made once per kind by the package that owns the slot ({@link workspaceKey}). */
export interface WorkspaceKey<T extends WorkspaceSlot> {
  readonly name: string;
  /** Type marker only. */
  readonly __slot?: T;
}

/** A key for a kind of slot; `name` appears in {@link Workspace.stats}. Keys compare by identity. */
export function workspaceKey<T extends WorkspaceSlot>(name: string): WorkspaceKey<T> {
  return Object.freeze({ name });
}

/** What {@link Workspace.stats} reports. */
export interface WorkspaceStats {
  /** Slots in use (one per kind of state a package has stored). */
  slots: number;
  /** Entries over all slots. */
  entries: number;
  /** Bytes over all slots. */
  bytes: number;
  /** Per slot name: its entries and bytes. */
  bySlot: Record<string, { entries: number; bytes: number }>;
}

/**
 * The owner of everything the algorithms keep between calls: distance sources of native sets,
 * near lists, fits of the baselines, and the buffer pools and scratch arrays of the swap searches.
 *
 * No package keeps such state in a module. A function that can reuse work takes an optional
 * `workspace`; without one it makes a fresh one for the call and nothing outlives the call. Pass
 * the same workspace to many calls (a protocol's trials, a user's loop) to reuse work; drop it,
 * or call {@link clear}/{@link dispose}, to free everything. Results never depend on what a
 * workspace holds: the same numbers with a fresh, a reused or no workspace.
 *
 * One workspace serves one thread and synchronous calls (do not share it across workers; each
 * worker makes its own). It holds its entries strongly, except where a slot is keyed by an input
 * object (a matrix, a source): those entries go when the key is no longer used elsewhere.
 */
export class Workspace {
  readonly #slots = new Map<WorkspaceKey<WorkspaceSlot>, WorkspaceSlot>();
  #disposed = false;

  /** The slot under `key`, made with `make` on first use. */
  slot<T extends WorkspaceSlot>(key: WorkspaceKey<T>, make: () => T): T {
    if (this.#disposed) throw new TbError("E_USAGE", "this Workspace was disposed; make a new one");
    let s = this.#slots.get(key) as T | undefined;
    if (s === undefined) {
      s = make();
      this.#slots.set(key, s);
    }
    return s;
  }

  /** The slot under `key` when it exists (nothing is made). */
  peek<T extends WorkspaceSlot>(key: WorkspaceKey<T>): T | undefined {
    return this.#slots.get(key) as T | undefined;
  }

  /** Drops everything held; the workspace stays usable (later calls start cold). */
  clear(): void {
    this.#slots.clear();
  }

  /** Drops everything held and refuses further use (`E_USAGE`). Calling it again does nothing. */
  dispose(): void {
    this.#slots.clear();
    this.#disposed = true;
  }

  /** Whether {@link dispose} was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** What the workspace holds now, per slot and in all. */
  stats(): WorkspaceStats {
    const out: WorkspaceStats = { slots: this.#slots.size, entries: 0, bytes: 0, bySlot: {} };
    for (const [key, s] of this.#slots) {
      const entries = s.entries();
      const bytes = s.bytes();
      out.entries += entries;
      out.bytes += bytes;
      const prev = out.bySlot[key.name];
      out.bySlot[key.name] = prev ? { entries: prev.entries + entries, bytes: prev.bytes + bytes } : { entries, bytes };
    }
    return out;
  }
}

/**
 * `workspace`, checked, or a fresh one for a single call when it is undefined. Accepts a
 * workspace from another copy of `@tb/core` (two installed versions): anything with `slot`,
 * `clear` and `stats` methods.
 *
 * @throws TbError `E_USAGE` naming `what` when it is given but not a workspace.
 */
export function workspaceOf(workspace: Workspace | undefined, what = "workspace"): Workspace {
  if (workspace === undefined) return new Workspace();
  const w = workspace as unknown as Record<string, unknown> | null;
  if (
    typeof w !== "object" ||
    w === null ||
    typeof w.slot !== "function" ||
    typeof w.clear !== "function" ||
    typeof w.stats !== "function"
  ) {
    throw new TbError(
      "E_USAGE",
      `${what} must be a Workspace (new Workspace() from @tb/core), got ${typeof workspace}`,
    );
  }
  return workspace;
}

/**
 * Values keyed weakly by an object (a matrix, a distance source): an entry lives while both the
 * key is reachable elsewhere and the table is (a WeakMap), and the table can still count and list
 * its live entries (for {@link WorkspaceSlot}).
 */
export class WeakTable<K extends object, V> {
  readonly #map = new WeakMap<K, V>();
  #keys: WeakRef<K>[] = [];

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    if (!this.#map.has(key)) {
      this.#keys.push(new WeakRef(key));
      if (this.#keys.length > 64 && this.#keys.length % 64 === 0) this.#prune();
    }
    this.#map.set(key, value);
  }

  /** The live values. */
  values(): V[] {
    this.#prune();
    const out: V[] = [];
    for (const r of this.#keys) {
      const k = r.deref();
      if (k !== undefined) out.push(this.#map.get(k) as V);
    }
    return out;
  }

  #prune(): void {
    this.#keys = this.#keys.filter((r) => r.deref() !== undefined);
  }
}

/**
 * A workspace slot of values kept per object (weakly: an entry goes with its owner, e.g. a
 * source matrix) and string key (e.g. an option set) — the shape of most slots. `sizeOf` gives
 * the bytes of one value for {@link Workspace.stats}.
 */
export class KeyedByObject<K extends object, V> implements WorkspaceSlot {
  readonly #table = new WeakTable<K, Map<string, V>>();
  readonly #sizeOf: (v: V) => number;

  constructor(sizeOf: (v: V) => number) {
    this.#sizeOf = sizeOf;
  }

  /** The values kept for `owner`, by key (made empty on first use). */
  of(owner: K): Map<string, V> {
    let m = this.#table.get(owner);
    if (m === undefined) {
      m = new Map();
      this.#table.set(owner, m);
    }
    return m;
  }

  entries(): number {
    let e = 0;
    for (const m of this.#table.values()) e += m.size;
    return e;
  }

  bytes(): number {
    let b = 0;
    for (const m of this.#table.values()) for (const v of m.values()) b += this.#sizeOf(v);
    return b;
  }
}
