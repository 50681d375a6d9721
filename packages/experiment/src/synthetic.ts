import { CorrectnessMatrix, checkOptionKeys, optionNames, RandomStream, TbError } from "@tb/core";

/** Options of {@link syntheticPopulation}. */
export interface SyntheticOptions {
  /** Number of models; default 120. */
  models?: number;
  /** Number of examples; default 600. */
  examples?: number;
  /** Number of model families; default 8. Members of a family answer alike. */
  families?: number;
  /** Latent skill dimensions (topics); default 4. */
  dims?: number;
  /** How closely family members follow their family's skill profile (0 = identical); default 0.15. */
  familySpread?: number;
  /** Scale of the general ability term; default 3. */
  abilityScale?: number;
  /** Scale of the family-skill × topic term; default 4. */
  skillScale?: number;
  /** Standard deviation of item difficulties; default 3. */
  difficultyScale?: number;
  /** Seed; default 0. */
  seed?: number;
  /** Name of the dataset; default "synthetic". */
  name?: string;
  /**
   * Leaderboard-size generation (issue 5 scale cases, e.g. 100k examples × 2k models): each cell's
   * Bernoulli draw comes from a counter-based hash of a per-model key (drawn from the keyed stream
   * `(seed, "synthetic", "cells", model)`) and the example index, read as a 16-bit uniform and
   * compared in logit space (a table of logistic quantiles), instead of a 53-bit draw from the
   * sequential stream and an `exp` per cell — several times faster, and the same matrix whatever
   * order the cells are made in. The latent model is the same; the numbers are not those of the
   * default mode. Default false.
   */
  fast?: boolean;
}

const SYNTHETIC_OPTIONS = optionNames<SyntheticOptions>()(
  "models",
  "examples",
  "families",
  "dims",
  "familySpread",
  "abilityScale",
  "skillScale",
  "difficultyScale",
  "seed",
  "name",
  "fast",
);

/**
 * Logistic quantiles `ln(u/(1−u))` at `u = (k + ½)/2¹⁶`: a 16-bit uniform draw, inverted. Made
 * per population (65536 logs, ≈ 1 ms), not kept in the module.
 */
function logisticQuantiles(): Float64Array {
  const q = new Float64Array(65536);
  for (let k = 0; k < 65536; k++) {
    const w = (k + 0.5) / 65536;
    q[k] = Math.log(w / (1 - w));
  }
  return q;
}

/**
 * One model's row in `fast` mode: cell j is 1 when `L < aa + scale·u·v_j − b_j`, where
 * `L = ln(w/(1−w))` for the 16-bit uniform `w` taken from `hash(key, j)` — i.e. with probability
 * σ(logit), as in the default mode, without an `exp` per cell. Projections for d ≤ 4 are unrolled.
 */
function fastRow(
  row: Float64Array,
  key: number,
  aa: number,
  scale: number,
  um: Float64Array,
  v: Float64Array,
  b: Float64Array,
  d: number,
  Q: Float64Array,
): void {
  const n = row.length;
  const u0 = um[0] as number;
  const u1 = d > 1 ? (um[1] as number) : 0;
  const u2 = d > 2 ? (um[2] as number) : 0;
  const u3 = d > 3 ? (um[3] as number) : 0;
  for (let j = 0; j < n; j++) {
    const o = j * d;
    let dot: number;
    if (d <= 4) {
      dot = u0 * (v[o] as number);
      if (d > 1) dot += u1 * (v[o + 1] as number);
      if (d > 2) dot += u2 * (v[o + 2] as number);
      if (d > 3) dot += u3 * (v[o + 3] as number);
    } else {
      dot = 0;
      for (let e = 0; e < d; e++) dot += (um[e] as number) * (v[o + e] as number);
    }
    const logit = aa + scale * dot - (b[j] as number);
    row[j] = (Q[fmix32(key + Math.imul(j, 0x9e3779b9)) >>> 16] as number) < logit ? 1 : 0;
  }
}

/** murmur3's 32-bit finaliser: a bijective mix of a 32-bit integer. */
function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A seeded synthetic correctness matrix for demos and tests (docs/DESIGN.md §2, `@tb/experiment`):
 * a multidimensional logistic model with model families.
 *
 * Each example `j` has a difficulty `b_j ~ N(0, β²)` and a topic loading `v_j ~ N(0, 1)^d`;
 * each family `f` has a skill profile `u_f ~ N(0, 1)^d`; each model `m` of family `f` has a
 * general ability `a_m ~ N(0, 1)` and a profile `u_m = u_f + spread·N(0, 1)^d`. Model `m` answers
 * example `j` correctly with probability `σ(α·a_m + κ·u_m·v_j/√d − b_j)` (defaults α = 3, κ = 4,
 * β = 3: large scales make answers nearly deterministic per model and item, as on real
 * leaderboards). Families make the "native sources" idea matter: a target is best predicted by the
 * sources of its own family. With the defaults TailoredBench beats Random on MAE by about 20%
 * (measured over 6 trials at N = 30: 0.050 vs 0.062) and on τ-b by about 0.02.
 * Model ids are `f<family>-m<index>`, example ids `x<index>`. With `fast: true` a 100k × 2k matrix
 * (1.6 GB of float64 cells) takes seconds; the defaults and their numbers are unchanged. An option
 * name it does not have is refused (`syntheticPopulation: unknown option "<name>"`).
 */
export function syntheticPopulation(options: SyntheticOptions = {}): CorrectnessMatrix {
  checkOptionKeys(options, SYNTHETIC_OPTIONS, "syntheticPopulation");
  const M = options.models ?? 120;
  const n = options.examples ?? 600;
  const F = options.families ?? 8;
  const d = options.dims ?? 4;
  const spread = options.familySpread ?? 0.15;
  const alpha = options.abilityScale ?? 3;
  const kappa = options.skillScale ?? 4;
  const beta = options.difficultyScale ?? 3;
  const seed = options.seed ?? 0;
  for (const [k, v] of [
    ["models", M],
    ["examples", n],
    ["families", F],
    ["dims", d],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 1))
      throw new TbError("E_USAGE", `syntheticPopulation: ${k} must be a positive integer, got ${v}`);
  }
  // a NaN scale would make every comparison with it false: an all-zero matrix, not an error
  for (const [k, v] of [
    ["familySpread", spread],
    ["abilityScale", alpha],
    ["skillScale", kappa],
    ["difficultyScale", beta],
  ] as const) {
    if (!(typeof v === "number" && v >= 0 && Number.isFinite(v)))
      throw new TbError("E_USAGE", `syntheticPopulation: ${k} must be a finite number ≥ 0, got ${String(v)}`);
  }
  if (!Number.isSafeInteger(seed))
    throw new TbError("E_USAGE", `syntheticPopulation: seed must be an integer, got ${String(seed)}`);
  if (options.fast !== undefined && typeof options.fast !== "boolean") {
    throw new TbError("E_USAGE", `syntheticPopulation: fast must be true or false, got ${String(options.fast)}`);
  }
  const rng = RandomStream.derive(seed, "synthetic");
  const b = new Float64Array(n);
  const v = new Float64Array(n * d);
  for (let j = 0; j < n; j++) {
    b[j] = beta * rng.nextNormal();
    for (let e = 0; e < d; e++) v[j * d + e] = rng.nextNormal();
  }
  const uF = new Float64Array(F * d);
  for (let i = 0; i < uF.length; i++) uF[i] = rng.nextNormal();
  const data = new Float64Array(M * n);
  const ids: string[] = [];
  const um = new Float64Array(d);
  const scale = kappa / Math.sqrt(d);
  const fast = options.fast === true;
  const Q = fast ? logisticQuantiles() : undefined;
  for (let m = 0; m < M; m++) {
    const f = m % F;
    ids.push(`f${f}-m${m}`);
    const a = rng.nextNormal();
    for (let e = 0; e < d; e++) um[e] = (uF[f * d + e] as number) + spread * rng.nextNormal();
    if (fast) {
      const key = RandomStream.derive(seed, "synthetic", "cells", m).nextUint32();
      fastRow(data.subarray(m * n, (m + 1) * n), key, alpha * a, scale, um, v, b, d, Q as Float64Array);
      continue;
    }
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let e = 0; e < d; e++) dot += (um[e] as number) * (v[j * d + e] as number);
      const logit = alpha * a + scale * dot - (b[j] as number);
      const p = 1 / (1 + Math.exp(-logit));
      data[m * n + j] = rng.nextFloat() < p ? 1 : 0;
    }
  }
  return new CorrectnessMatrix({
    data,
    modelIds: ids,
    exampleIds: Array.from({ length: n }, (_, j) => `x${j}`),
    kind: "binary",
    name: options.name ?? "synthetic",
    copy: false,
  });
}
