import { type CorrectnessMatrix, type RandomStream, TbError } from "@tb/core";
import { ridgeLoo } from "@tb/linear";

/**
 * The "beyond" half of tailored-plus: a difficulty-stratified random sample around the G-set and
 * a design-based estimate with a regression correction. Used for a target that the sources cannot
 * describe (its G-set answers put it at the top of — or beyond — the sources' range), where a
 * clustering of examples by the sources' answers merges examples that the target tells apart.
 */

/** Strata of the examples outside the G-set, by difficulty. */
export interface Strata {
  /** Number of strata H. */
  strata: number;
  /** Stratum of every example, `-1` for the G-set examples (observed for sure). */
  stratumOf: Int32Array;
  /** Examples per stratum (G-set excluded). */
  sizes: Int32Array;
  /** Members of each stratum, in difficulty order (ties by index). */
  members: Int32Array[];
  /** Stratum each G-set example's answer is pooled into for the residual means. */
  gsetStratum: Int32Array;
}

/** A stratified sampling design: the strata and the examples drawn from them. */
export interface StratifiedDesign extends Strata {
  /** The sampled examples, ascending (G-set excluded). */
  picks: Int32Array;
}

/**
 * Default number of strata for `extra` random draws: `clamp(⌊extra / 4⌋, 1, 5)`. Five strata
 * capture most of the variance reduction stratification can give (Cochran, *Sampling
 * Techniques*, §5A.8: little is gained beyond five or six strata), and at least four draws per
 * stratum keep each stratum's residual mean and variance from resting on one or two answers.
 */
export function defaultStrata(extra: number): number {
  return Math.max(1, Math.min(5, Math.floor(extra / 4)));
}

/**
 * Per-example mean correctness of the sources — the difficulty the strata are cut on.
 */
export function sourceMeans(sources: CorrectnessMatrix): Float64Array {
  const S = sources.rows;
  const n = sources.cols;
  const out = new Float64Array(n);
  const d = sources.data;
  for (let s = 0; s < S; s++) {
    const base = s * n;
    for (let x = 0; x < n; x++) out[x] = (out[x] as number) + (d[base + x] as number);
  }
  for (let x = 0; x < n; x++) out[x] = (out[x] as number) / S;
  return out;
}

/**
 * Cut the examples outside the G-set into `strata` blocks of equal size (sizes differ by at most
 * one) by difficulty, ascending, ties by index. A G-set example is pooled into the first stratum
 * whose largest difficulty is at least its own (the last one otherwise).
 */
export function stratify(difficulty: Float64Array, gset: Int32Array, strata: number): Strata {
  const n = difficulty.length;
  const isG = new Uint8Array(n);
  for (const j of gset) {
    if (!(Number.isInteger(j) && j >= 0 && j < n))
      throw new TbError("E_USAGE", `stratify: G-set example ${j} is not in [0, ${n})`);
    isG[j] = 1;
  }
  const rest: number[] = [];
  for (let x = 0; x < n; x++) if (isG[x] === 0) rest.push(x);
  if (!(Number.isInteger(strata) && strata >= 1 && strata <= rest.length)) {
    throw new TbError("E_USAGE", `stratify: strata must be an integer in [1, ${rest.length}], got ${strata}`);
  }
  rest.sort((a, b) => (difficulty[a] as number) - (difficulty[b] as number) || a - b);
  const H = strata;
  const R = rest.length;
  const stratumOf = new Int32Array(n).fill(-1);
  const sizes = new Int32Array(H);
  const members: Int32Array[] = [];
  const upper = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    const lo = Math.floor((h * R) / H);
    const hi = Math.floor(((h + 1) * R) / H);
    sizes[h] = hi - lo;
    members.push(Int32Array.from(rest.slice(lo, hi)));
    for (let i = lo; i < hi; i++) stratumOf[rest[i] as number] = h;
    upper[h] = difficulty[rest[hi - 1] as number] as number;
  }
  const gsetStratum = Int32Array.from(gset, (j) => {
    const v = difficulty[j] as number;
    for (let h = 0; h < H; h++) if (v <= (upper[h] as number)) return h;
    return H - 1;
  });
  return { strata: H, stratumOf, sizes, members, gsetStratum };
}

/**
 * How {@link stratifiedDesign} shares its draws among the strata.
 * - `"proportional"`: in proportion to stratum size (largest remainder, ties to the lower stratum).
 * - `"pooled"`: so that the answers each stratum's residual mean rests on — its draws plus the
 *   fixed examples pooled into it (`gsetStratum`) — are as near proportional to its size as the
 *   draws allow: each draw in turn goes to the stratum furthest below its share
 *   `(extra + fixed) · |h| / R` (ties to the lower stratum; a full stratum takes none). With no
 *   fixed example it is `"proportional"`. The estimate then weighs every answer about alike (a
 *   self-weighting design) instead of weighing the answers of a stratum that holds few fixed
 *   examples up to several times more than the others (docs/TAILORED-PLUS.md, "Ranks").
 */
export type Allocation = "proportional" | "pooled";

/**
 * Draw a difficulty-stratified sample of `extra` examples outside the G-set ({@link stratify}):
 * draws are allocated among the strata by `allocation` ({@link Allocation}; default in proportion
 * to stratum size) and drawn uniformly without replacement inside each stratum, stratum h from
 * `rng.child(h)` — or, given `priority` (one independent uniform number per example, drawn once
 * and shared: permanent random numbers), the members of the stratum with the smallest numbers.
 * Either is a simple random sample inside each stratum; with one `priority` for several targets
 * whose fixed examples differ, their samples are coordinated: they share as many examples as their
 * strata allow (Ohlsson's sequential Poisson / PRN sampling), so their estimates differ by their
 * answers rather than by the luck of their draws.
 */
export function stratifiedDesign(
  difficulty: Float64Array,
  gset: Int32Array,
  extra: number,
  rng: RandomStream,
  strata = defaultStrata(extra),
  priority?: Float64Array,
  allocation: Allocation = "proportional",
): StratifiedDesign {
  const R = difficulty.length - new Set(gset).size;
  if (!(Number.isInteger(extra) && extra >= 1 && extra <= R)) {
    throw new TbError("E_USAGE", `stratified design: ${extra} draws from ${R} examples outside the G-set`);
  }
  if (!(Number.isInteger(strata) && strata >= 1 && strata <= extra)) {
    throw new TbError("E_USAGE", `stratified design: strata must be an integer in [1, ${extra}], got ${strata}`);
  }
  if (allocation !== "proportional" && allocation !== "pooled") {
    throw new TbError(
      "E_USAGE",
      `stratified design: allocation must be "proportional" or "pooled", got ${String(allocation)}`,
    );
  }
  const st = stratify(difficulty, gset, strata);
  const H = st.strata;
  const alloc = allocation === "pooled" ? pooledAllocation(st, extra, R) : proportionalAllocation(st, extra, R);
  const picks: number[] = [];
  if (priority !== undefined && priority.length !== difficulty.length) {
    throw new TbError("E_USAGE", `stratified design: ${priority.length} priorities for ${difficulty.length} examples`);
  }
  for (let h = 0; h < H; h++) {
    const pool = st.members[h] as Int32Array;
    const k = Math.min(alloc[h] as number, pool.length);
    if (priority === undefined) {
      for (const x of rng.child(h).sample(pool, k)) picks.push(x);
    } else {
      const order = Array.from(pool).sort((a, b) => (priority[a] as number) - (priority[b] as number) || a - b);
      for (let i = 0; i < k; i++) picks.push(order[i] as number);
    }
  }
  return { ...st, picks: Int32Array.from(picks).sort() };
}

/** {@link Allocation} `"proportional"`: `extra` draws in proportion to stratum size, largest remainder, ties to the lower stratum. */
function proportionalAllocation(st: Strata, extra: number, R: number): Int32Array {
  const H = st.strata;
  const alloc = new Int32Array(H);
  const rem: { h: number; r: number }[] = [];
  let used = 0;
  for (let h = 0; h < H; h++) {
    const exact = (extra * (st.sizes[h] as number)) / R;
    alloc[h] = Math.floor(exact);
    used += alloc[h] as number;
    rem.push({ h, r: exact - (alloc[h] as number) });
  }
  rem.sort((a, b) => b.r - a.r || a.h - b.h);
  for (let i = 0; used < extra; i++, used++) {
    const h = (rem[i % H] as { h: number }).h;
    alloc[h] = (alloc[h] as number) + 1;
  }
  return alloc;
}

/** {@link Allocation} `"pooled"`: `extra` draws, one at a time, each to the stratum furthest below its share. */
function pooledAllocation(st: Strata, extra: number, R: number): Int32Array {
  const H = st.strata;
  const alloc = new Int32Array(H);
  const fixed = new Int32Array(H);
  for (const h of st.gsetStratum) fixed[h] = (fixed[h] as number) + 1;
  const total = extra + st.gsetStratum.length;
  for (let i = 0; i < extra; i++) {
    let best = -1;
    let deficit = -Infinity;
    for (let h = 0; h < H; h++) {
      if ((alloc[h] as number) >= (st.sizes[h] as number)) continue;
      const d = (total * (st.sizes[h] as number)) / R - (fixed[h] as number) - (alloc[h] as number);
      if (d > deficit) {
        deficit = d;
        best = h;
      }
    }
    alloc[best] = (alloc[best] as number) + 1;
  }
  return alloc;
}

/**
 * The design of a plan whose draws are already known (`tb estimate`): {@link stratify} plus the
 * given picks, which must be distinct examples outside the G-set.
 */
export function designFromPicks(
  difficulty: Float64Array,
  gset: Int32Array,
  picks: Int32Array,
  strata: number,
): StratifiedDesign {
  const st = stratify(difficulty, gset, strata);
  const seen = new Set<number>();
  for (const x of picks) {
    if (st.stratumOf[x] === undefined || (st.stratumOf[x] as number) < 0 || seen.has(x)) {
      throw new TbError("E_USAGE", `design: drawn example ${x} is repeated, in the G-set or not an example`);
    }
    seen.add(x);
  }
  return { ...st, picks: Int32Array.from(picks).sort() };
}

/** A design-based estimate with its standard error. */
export interface DesignEstimate {
  accuracy: number;
  se: number;
}

/**
 * The regression-corrected stratified estimate (a difference estimator, Särndal et al., *Model
 * Assisted Survey Sampling*, §6.5): the G-set counts exactly; in each stratum h the sum of the
 * predictions `p̂(x)` plus `|h|` times the mean residual `y − p̂` of the answers observed in h
 * (its random draws and the G-set examples pooled into it):
 *
 *   P̂ = (1/n) [ Σ_{x∈G} y_x + Σ_h ( Σ_{x∈h} p̂(x) + |h| · mean_{o∈h} (y_o − p̂(o)) ) ].
 *
 * `p̂` is a ridge regression (unpenalised intercept, `alpha`) of the target's observed answers on
 * the sources' answers to the same examples — the example-level model of AIPW — so the sources
 * only predict and the target's own answers anchor the level: when the sources say nothing (all
 * wrong on an example) the residuals carry the target's accuracy there. The standard error is
 * the stratified one, `SE² = Σ_h (|h|/n)² s²_h / m_h · (1 − d_h/|h|)`, with `m_h` the answers pooled
 * into stratum h, `d_h` its random draws (the G-set examples are not part of |h|) and `s²_h` the
 * variance of the ridge's exact leave-one-out residuals in stratum h (pooled over strata where
 * m_h < 2). Pooling the G-set's answers into the strata makes the residual means model-assisted
 * rather than design-unbiased: the G-set was chosen by K-Medoids, not drawn from the strata.
 *
 * @param observed the examples answered (G-set and draws), `answers[i]` for `observed[i]`
 * @param exclude a source row left out of the features (when that source stands in as the target)
 * @param poolCount how many of the first `gset` examples are pooled into the strata's residual
 *   means (default: all); the others count exactly but do not enter the residual means — for
 *   examples that were chosen, not drawn, after the G-set (tailored-plus's second look)
 */
export function designEstimate(
  sources: CorrectnessMatrix,
  design: Strata,
  gset: Int32Array,
  observed: Int32Array,
  answers: ArrayLike<number>,
  alpha: number,
  exclude = -1,
  poolCount = gset.length,
): DesignEstimate {
  const n = sources.cols;
  const k = observed.length;
  if (answers.length !== k)
    throw new TbError("E_USAGE", `design estimate: ${answers.length} answers for ${k} examples`);
  const d = sources.data;
  // the sources used as features: all, or all but `exclude` (a source standing in as the target)
  const rows: number[] = [];
  for (let s = 0; s < sources.rows; s++) if (s !== exclude) rows.push(s);
  const S = rows.length;
  const X = new Float64Array(k * S);
  for (let i = 0; i < k; i++) {
    const x = observed[i] as number;
    for (let c = 0; c < S; c++) X[i * S + c] = d[(rows[c] as number) * n + x] as number;
  }
  const y = Float64Array.from(answers);
  const fit = ridgeLoo(X, k, S, y, [alpha]);
  const sq = fit.squaredErrors[0] as Float64Array;
  // p̂ for every example
  const p = new Float64Array(n).fill(fit.fit.intercept);
  for (let c = 0; c < S; c++) {
    const b = fit.fit.coef[c] as number;
    if (b === 0) continue;
    const base = (rows[c] as number) * n;
    for (let x = 0; x < n; x++) p[x] = (p[x] as number) + b * (d[base + x] as number);
  }
  const H = design.strata;
  const gPos = new Map<number, number>();
  gset.forEach((j, i) => {
    gPos.set(j, i);
  });
  const resSum = new Float64Array(H);
  const cnt = new Int32Array(H);
  const drawn = new Int32Array(H); // random draws only: the finite-population correction counts these
  const looVals: number[][] = Array.from({ length: H }, () => []);
  let exact = 0;
  for (let i = 0; i < k; i++) {
    const x = observed[i] as number;
    const yi = y[i] as number;
    let h = design.stratumOf[x] as number;
    if (h >= 0) drawn[h] = (drawn[h] as number) + 1;
    if (h < 0) {
      exact += yi;
      const gi = gPos.get(x);
      if (gi === undefined)
        throw new TbError("E_USAGE", `design estimate: example ${x} is neither drawn nor in the G-set`);
      if (gi >= poolCount) continue;
      h = design.gsetStratum[gi] as number;
    }
    const r = yi - (p[x] as number);
    resSum[h] = (resSum[h] as number) + r;
    cnt[h] = (cnt[h] as number) + 1;
    looVals[h]?.push(Math.sign(r) * Math.sqrt(sq[i] as number));
  }
  let total = exact;
  for (let x = 0; x < n; x++) if ((design.stratumOf[x] as number) >= 0) total += p[x] as number;
  // pooled LOO residual variance, for strata with fewer than two answers
  const all = looVals.flat();
  const pooled = variance(all);
  let v = 0;
  for (let h = 0; h < H; h++) {
    const m = cnt[h] as number;
    const Nh = design.sizes[h] as number;
    if (m > 0) total += (Nh * (resSum[h] as number)) / m;
    const s2 = m >= 2 ? variance(looVals[h] as number[]) : pooled;
    const w = Nh / n;
    if (m > 0) v += ((w * w * s2) / m) * Math.max(0, 1 - (drawn[h] as number) / Nh);
    else v += w * w * pooled;
  }
  return { accuracy: total / n, se: Math.sqrt(v) };
}

function variance(v: readonly number[]): number {
  if (v.length < 2) return 0.25; // the largest variance of a 0/1 answer
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) * (x - m);
  return s / (v.length - 1);
}

/**
 * A conservative standard error for the beyond mode's interval: the larger of the design's
 * standard error and the plain random-sampling one of the target's `m` observed answers with
 * the Agresti–Coull adjustment, `√(p̃(1−p̃)/m · (1 − m/n))`, `p̃ = (Σy + 2)/(m + 4)`. The design's
 * own standard error rests on a few answers per stratum and can come out near zero (every answer
 * in a stratum alike); stratification and the regression correction reduce the variance of the
 * plain sample mean, so its standard error bounds the design's from above in expectation. Nothing
 * in it is fitted.
 */
export function beyondStandardError(designSe: number, answers: ArrayLike<number>, n: number): number {
  const m = answers.length;
  let sum = 0;
  for (let i = 0; i < m; i++) sum += answers[i] as number;
  const p = (sum + 2) / (m + 4);
  const srs = Math.sqrt(((p * (1 - p)) / m) * Math.max(0, 1 - m / n));
  return Math.max(designSe, srs);
}
