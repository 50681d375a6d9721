import { TbError } from "@tb/core";
/** Distance between two row vectors (docs/METHOD.md §2.2). `manhattan` is the TailoredBench default. */
export type DistanceMetric = "manhattan" | "euclidean" | "cosine" | "correlation";

/** All metrics, in a stable order (for CLI validation and ablations). */
export const DISTANCE_METRICS: readonly DistanceMetric[] = ["manhattan", "euclidean", "cosine", "correlation"];

/**
 * Throws a `TbError` `E_USAGE` naming the option and the allowed values unless `m` is a metric
 * (prefixed by `where`, the function called, when given).
 */
export function assertMetric(m: unknown, where?: string): asserts m is DistanceMetric {
  if (!(DISTANCE_METRICS as readonly unknown[]).includes(m)) {
    throw new TbError(
      "E_USAGE",
      `${where === undefined ? "" : `${where}: `}metric: unknown distance ${JSON.stringify(m) ?? String(m)} (expected one of ${DISTANCE_METRICS.join(", ")})`,
    );
  }
}

/** Counters of undefined cases met while computing distances (e.g. correlation on constant vectors). */
export interface DistanceDiagnostics {
  /** Off-diagonal pairs where a correlation/cosine was undefined and replaced per §2.2. */
  undefinedPairs: number;
}

/**
 * Distance between rows `i` and `j` of the row-major matrix `x` with `q` columns
 * (docs/METHOD.md §2.2). Self-distance is 0 for every metric.
 *
 * - cosine: a zero-norm vector has similarity 0 → distance 1; clamped to [0, 2].
 * - correlation: `1 − ρ`; a constant vector has ρ = 0 → distance 1 ([SPEC]).
 */
export function rowDistance(x: Float64Array, q: number, i: number, j: number, metric: DistanceMetric): number {
  if (i === j) return 0;
  const a = i * q;
  const b = j * q;
  switch (metric) {
    case "manhattan": {
      let s = 0;
      for (let k = 0; k < q; k++) s += Math.abs((x[a + k] as number) - (x[b + k] as number));
      return s;
    }
    case "euclidean": {
      let s = 0;
      for (let k = 0; k < q; k++) {
        const d = (x[a + k] as number) - (x[b + k] as number);
        s += d * d;
      }
      return Math.sqrt(s);
    }
    case "cosine": {
      let uv = 0;
      let uu = 0;
      let vv = 0;
      for (let k = 0; k < q; k++) {
        const u = x[a + k] as number;
        const v = x[b + k] as number;
        uv += u * v;
        uu += u * u;
        vv += v * v;
      }
      if (uu === 0 || vv === 0) return 1;
      const d = 1 - uv / (Math.sqrt(uu) * Math.sqrt(vv));
      return Math.min(Math.max(d, 0), 2);
    }
    case "correlation": {
      if (isConstant(x, a, q) || isConstant(x, b, q)) return 1;
      let mu = 0;
      let mv = 0;
      for (let k = 0; k < q; k++) {
        mu += x[a + k] as number;
        mv += x[b + k] as number;
      }
      mu /= q;
      mv /= q;
      let uv = 0;
      let uu = 0;
      let vv = 0;
      for (let k = 0; k < q; k++) {
        const u = (x[a + k] as number) - mu;
        const v = (x[b + k] as number) - mv;
        uv += u * v;
        uu += u * u;
        vv += v * v;
      }
      if (uu === 0 || vv === 0) return 1;
      const d = 1 - uv / Math.sqrt(uu * vv);
      return Math.min(Math.max(d, 0), 2);
    }
  }
}

/** Distance between two standalone vectors (convenience; same rules as {@link rowDistance}). */
export function distance(u: ArrayLike<number>, v: ArrayLike<number>, metric: DistanceMetric = "manhattan"): number {
  assertMetric(metric, "distance");
  if (u.length !== v.length) throw new TbError("E_USAGE", `distance: vectors of length ${u.length} and ${v.length}`);
  const q = u.length;
  const x = new Float64Array(2 * q);
  for (let k = 0; k < q; k++) {
    x[k] = u[k] as number;
    x[q + k] = v[k] as number;
  }
  return rowDistance(x, q, 0, 1, metric);
}

function isConstant(x: Float64Array, a: number, q: number): boolean {
  const first = x[a] as number;
  for (let k = 1; k < q; k++) if ((x[a + k] as number) !== first) return false;
  return true;
}

/** True when row `i` makes correlation (or cosine) undefined: constant (or all-zero) entries. */
export function isDegenerateRow(x: Float64Array, q: number, i: number, metric: DistanceMetric): boolean {
  if (metric !== "correlation" && metric !== "cosine") return false;
  const a = i * q;
  if (metric === "cosine") {
    for (let k = 0; k < q; k++) if ((x[a + k] as number) !== 0) return false;
    return true;
  }
  return isConstant(x, a, q);
}
