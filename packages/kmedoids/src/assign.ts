import { TbError, type Workspace, workspaceOf } from "@tb/core";
import type { DistanceSource } from "./distance-source.js";
import { kmedoidsScratch } from "./scratch.js";

/** Result of {@link assign} / {@link assignFromRows} (docs/METHOD.md §2.5). */
export interface Assignment {
  /** Slot index (position in the medoid list) of the nearest medoid, per point. */
  labels: Int32Array;
  /** Number of points per slot. */
  sizes: Int32Array;
  /** Σ over points of the distance to their medoid (the inertia), summed in point order. */
  cost: number;
}

/**
 * Assignment from a `K × n` row-major block of distances (row i = distances from medoid slot i to
 * every point), docs/METHOD.md §2.5: each point goes to the smallest distance, ties to the slot that
 * comes first (§9.5).
 *
 * @throws TbError `E_USAGE` on a bad shape, `E_INPUT` on a NaN distance.
 */
export function assignFromRows(rows: Float64Array, K: number, n: number): Assignment {
  if (!Number.isInteger(K) || K < 1 || !Number.isInteger(n) || n < 0 || rows.length !== K * n) {
    throw new TbError(
      "E_USAGE",
      `assignFromRows: need K ≥ 1 and rows of length K·n, got K = ${K}, n = ${n}, length ${rows.length}`,
    );
  }
  for (let t = 0; t < rows.length; t++) {
    if (Number.isNaN(rows[t] as number)) throw new TbError("E_INPUT", `assignFromRows: NaN distance at offset ${t}`);
  }
  const labels = new Int32Array(n);
  const best = rows.slice(0, n);
  for (let i = 1; i < K; i++) {
    const base = i * n;
    for (let j = 0; j < n; j++) {
      const v = rows[base + j] as number;
      if (v < (best[j] as number)) {
        best[j] = v;
        labels[j] = i;
      }
    }
  }
  const sizes = new Int32Array(K);
  let cost = 0;
  for (let j = 0; j < n; j++) {
    cost += best[j] as number;
    const l = labels[j] as number;
    sizes[l] = (sizes[l] as number) + 1;
  }
  return { labels, sizes, cost };
}

/**
 * Assigns every point of `source` to its nearest medoid (docs/METHOD.md §2.5), ties to the medoid
 * that comes first in `medoids` — for TailoredBench: G-set ascending, then the extra slots.
 * Reads only the `K × n` block `source.rowsTo(medoids)` (§9.16).
 *
 * @param workspace where to keep the `K × n` block for later calls (through `source.rowsInto`,
 *   when it is at most 4 MiB: a TailoredBench target reads 40 GSM8K rows, 420 KB, per call);
 *   without one the block is fresh. Same result either way.
 * @throws TbError `E_USAGE` on an empty list or an out-of-range medoid.
 */
export function assign(source: DistanceSource, medoids: Int32Array, workspace?: Workspace): Assignment {
  const n = source.n;
  if (medoids.length < 1) throw new TbError("E_USAGE", "assign: need at least one medoid");
  for (let i = 0; i < medoids.length; i++) {
    const p = medoids[i] as number;
    if (!(Number.isInteger(p) && p >= 0 && p < n))
      throw new TbError("E_USAGE", `assign: medoid ${p} (slot ${i}) is not a point index in [0, ${n})`);
  }
  const K = medoids.length;
  if (source.rowsInto === undefined) return assignFromRows(source.rowsTo(medoids), K, n);
  // through rowsInto into a block the workspace keeps when it is small, so that no K × n array
  // is allocated each time
  const len = K * n;
  let block: Float64Array;
  if (workspace !== undefined && len <= KEEP_BLOCK) {
    const scratch = kmedoidsScratch(workspaceOf(workspace, "assign: workspace"));
    if (scratch.assignBlock.length < len) scratch.assignBlock = new Float64Array(len);
    block = scratch.assignBlock.subarray(0, len);
  } else {
    block = new Float64Array(len);
  }
  source.rowsInto(medoids, block);
  return assignFromRows(block, K, n);
}

/** The largest K × n block a workspace keeps for {@link assign}: 2^19 doubles (4 MiB). */
const KEEP_BLOCK = 1 << 19;
