// What @tb/kmedoids keeps between calls, owned by a caller's Workspace (@tb/core): the swap
// searches' buffer pool and scratch arrays, CLARA's last quantized sample matrix with its near
// lists or sorted rows, and the sparse path's near lists per immutable source. Internal.
import { type Workspace, workspaceKey } from "@tb/core";
import { BufferPool } from "./buffer-pool.js";
import type { DistanceSource } from "./distance-source.js";
import type { NearIndex, SparseState } from "./near.js";
import type { PhiKernel } from "./phi-kernel.js";

const indexBytes = (near: NearIndex | undefined): number =>
  near === undefined ? 0 : near.start.byteLength + near.idx.byteLength + near.val.byteLength;

/** The K-Medoids slot of a workspace. */
export class KMedoidsScratch {
  /** Free buffers of the swap searches. */
  readonly pool = new BufferPool();
  /** The K × n block {@link assign} fills through `rowsInto`. */
  assignBlock = new Float64Array(0);
  /** The output buffer of `gridMatrix` (pamSwap, fasterPam) when a matrix is not on the grid. */
  quantized: Float64Array | undefined;
  /** The wasm kernel of the last FasterPAM search that rounded its matrix into one (fasterPam; matrices up to 32 MiB). */
  kernel: PhiKernel | undefined;
  /** CLARA's sample matrix buffer. */
  kept: Float64Array | undefined;
  /** Whose quantized sample matrix `kept` holds, when it may be reused (immutable sources only). */
  keptFor: { source: DistanceSource; sample: Int32Array } | undefined;
  /** Near lists of the matrix in `kept` (valid while `keptFor` is set) for the fixed positions `fixed`. */
  keptNear: { fixed: Int32Array; near: NearIndex | undefined } | undefined;
  /** Sorted rows of the matrix in `kept` (valid while `keptFor` is set), made when it is reused. */
  keptSorted: NearIndex | undefined;
  /**
   * The sparse-path state of each immutable source (its near lists), kept while both the source
   * and this slot live. A plain WeakMap: many sources pass through a protocol, and a WeakRef per
   * source would keep each alive until the end of the current job. Not counted in
   * {@link entries}/{@link bytes} (a WeakMap cannot be listed): `retainedBytes(source, workspace)`
   * gives them per source, and `@tb/estimate` counts them with the native-set sources it keeps.
   */
  readonly sparse = new WeakMap<DistanceSource, SparseState>();

  entries(): number {
    return this.pool.size + (this.kept === undefined ? 0 : 1) + (this.kernel === undefined ? 0 : 1);
  }

  bytes(): number {
    let b = this.pool.bytes() + this.assignBlock.byteLength + (this.quantized?.byteLength ?? 0);
    b += this.kernel?.matrix.buffer.byteLength ?? 0;
    b += (this.kept?.byteLength ?? 0) + indexBytes(this.keptNear?.near) + indexBytes(this.keptSorted);
    return b;
  }
}

const KEY = workspaceKey<KMedoidsScratch>("@tb/kmedoids");

/** The K-Medoids slot of `ws`, made on first use. */
export function kmedoidsScratch(ws: Workspace): KMedoidsScratch {
  return ws.slot(KEY, () => new KMedoidsScratch());
}

/** The K-Medoids slot of `ws` when it has one (nothing is made). */
export function peekKmedoidsScratch(ws: Workspace): KMedoidsScratch | undefined {
  return ws.peek(KEY);
}
