import { TbError } from "@tb/core";
import { type Buffers, NO_POOL } from "./buffer-pool.js";
import { type NearIndex, nearMatches } from "./near.js";
import type { PhiKernel } from "./phi-kernel.js";

/** Rows of a quantized distance matrix on demand (the sparse path: no m × m matrix). Internal. */
export interface RowSource {
  /** Writes row `p` (Δ(p, j) for every j, on the exact grid) into `out` (length m). */
  row(p: number, out: Float64Array): void;
}

/**
 * Shared state of the swap searches (docs/METHOD.md §2.3 fast form, used by PAM and FasterPAM).
 * Internal: not exported from the package.
 *
 * For every point `h` (medoid or not) it keeps
 *   A(h)    = Σ_{j ∉ medoids} min(Δ(h,j) − d1(j), 0)
 *   B_i(h)  = Σ_{j ∉ medoids, a(j) = i} [min(Δ(h,j), d2(j)) − d1(j) − min(Δ(h,j) − d1(j), 0)]
 * so that Φ(i,h) = A(h) + B_i(h) + ψ(i,h). `B` is only kept for swappable slots i ≥ f (fixed
 * slots are never removed, so their B rows are never read).
 *
 * Sparse form. A point j contributes to A only where Δ(h,j) < d1(j), and its B term is
 * `e(j) = d2(j) − d1(j)` wherever Δ(h,j) ≥ d2(j). So B is kept as a per-slot constant plus a
 * correction that is non-zero only near j:
 *   B_i(h) = C(i) + V_i(h),  C(i) = Σ_{j: a(j)=i} e(j),
 *   V_i(h) = Σ_{j: a(j)=i} min(max(Δ(h,j) − d1(j), 0) − e(j), 0)   (0 where Δ(h,j) ≥ d2(j)).
 * Entering, leaving or updating a point then touches only the `h` with Δ(h,j) below its d1 or d2
 * — a few percent of the points on TailoredBench data — after one compare per `h`.
 *
 * The matrix must already be on the exact grid of `quantizeDistances` (§9.18), which makes every
 * sum exact: A, C + V and Φ are the same numbers whichever way, in whichever order, they are
 * summed — from scratch, incrementally, dense or sparse — so the swaps are the same.
 * With `sums = false` (FasterPAM) only d1/d2/a are kept and Φ is computed per candidate.
 */
export class SwapState {
  /**
   * Near lists of the matrix for the fixed slots (see {@link NearIndex}): when set, the sums read
   * only the listed entries of a row instead of all m — the same entries below the thresholds.
   */
  private readonly near: NearIndex | undefined;
  readonly m: number;
  readonly K: number;
  readonly f: number;
  /**
   * Quantized m×m matrix, row-major, symmetric — or, on the sparse path (`rows` given), empty:
   * the sums then read only the near lists and the medoids' rows come from `rows`.
   */
  readonly dist: Float64Array;
  /** FasterPAM's pass in WebAssembly, when the search was given one (then `dist` is its matrix). */
  private readonly kernel: PhiKernel | undefined;
  /** Rows of the quantized matrix on demand (sparse path), instead of `dist`. */
  private readonly rows: RowSource | undefined;
  /** Where the buffers come from and go back to (a workspace's pool, or fresh arrays). */
  private readonly buffers: Buffers;
  /**
   * K×m, slot-major: row μ_i of Δ at `i·m` (the same values as M, read along a row) — kept on the
   * sparse path only; with the matrix at hand the medoids' rows are read from `dist` itself.
   */
  private readonly R: Float64Array;
  /** The row of the medoid that left in the last swap (sparse path only). */
  private readonly oldRow: Float64Array;
  /** Medoid point per slot. */
  readonly med: Int32Array;
  /** Slot of each point, −1 for non-medoids. */
  readonly slotOf: Int32Array;
  readonly d1: Float64Array;
  readonly d2: Float64Array;
  /** First slot whose medoid is at distance d1. */
  readonly a: Int32Array;
  private readonly d1Old: Float64Array;
  private readonly d2Old: Float64Array;
  private readonly aOld: Int32Array;
  /** m×K, point-major: Δ(μ_i, j) at `j·K + i` — the medoids' rows of Δ, read contiguously per point. */
  readonly M: Float64Array;
  readonly A: Float64Array;
  /** m×K, point-major: V_i(h) at `h·K + i`. Entries of fixed slots (i < f) stay 0. */
  readonly V: Float64Array;
  /** Per slot, C(i) = Σ e(j) over the points with a B term in slot i. */
  readonly C: Float64Array;
  /** Per point h, W(h) = Σ_i V_i(h) ≤ 0: a lower bound of every V_i(h) (each is ≤ 0), for pruning. */
  readonly W: Float64Array;
  /** Whether A, C and V are kept. */
  readonly sums: boolean;
  /** 2·max Δ (on the grid): stands for +∞ as d2 when K = 1. */
  private readonly big: number;
  /** Σ_j d1(j) on the quantized matrix (exact). */
  cost = 0;
  /** Points whose d1, d2 or a changed in the last swap: the first `changedCount` entries. */
  private readonly changedList: Int32Array;
  private changedCount = 0;

  /**
   * @param sums keep A, C and V (PAM: Φ in O(1), a swap O(mK/… + |changed|·m) compares). Without
   *   them (FasterPAM) Φ comes from {@link SwapState.phiAll} in O(m) per candidate and a swap is O(mK).
   * @param near the near lists of `dist` for the fixed medoids `med[0..f)` (ignored without sums)
   * @param rows the sparse path: rows of the quantized matrix on demand; `dist` is then not read
   *   (pass an empty array) and `near` is required
   */
  constructor(
    dist: Float64Array,
    m: number,
    med: Int32Array,
    f: number,
    sums = true,
    near?: NearIndex,
    rows?: RowSource,
    buffers: Buffers = NO_POOL,
    kernel?: PhiKernel,
  ) {
    if (rows !== undefined && (near === undefined || !sums || med.length < 2)) {
      throw new TbError("E_INTERNAL", "SwapState: rows on demand need the near lists, the sums and K ≥ 2");
    }
    if (kernel !== undefined && (sums || dist !== kernel.matrix || kernel.m !== m)) {
      throw new TbError("E_INTERNAL", "SwapState: the wasm kernel is for FasterPAM (no sums) on its own matrix");
    }
    this.kernel = kernel;
    this.dist = dist;
    this.rows = rows;
    this.buffers = buffers;
    const takeBuffer = (len: number): Float64Array => buffers.takeBuffer(len);
    const takeInts = (len: number): Int32Array => buffers.takeInts(len);
    // rows from `dist` when it is there; kept copies on the sparse path
    this.R = rows === undefined ? new Float64Array(0) : takeBuffer(med.length * m);
    this.oldRow = rows === undefined ? new Float64Array(0) : takeBuffer(m); // written before it is read (swap)
    this.m = m;
    this.K = med.length;
    this.f = f;
    this.med = med;
    this.slotOf = takeInts(m).fill(-1);
    for (let i = 0; i < this.K; i++) this.slotOf[med[i] as number] = i;
    // d1, d2, a: set by nearest(); the *Old arrays and the list: written before they are read
    // with the wasm kernel, where it reads them
    this.d1 = kernel?.d1 ?? takeBuffer(m);
    this.d2 = kernel?.d2 ?? takeBuffer(m);
    this.a = kernel?.a ?? takeInts(m);
    this.d1Old = takeBuffer(m);
    this.d2Old = takeBuffer(m);
    this.aOld = takeInts(m);
    this.changedList = takeInts(m);
    this.M = takeBuffer(m * this.K);
    this.setAllColumns();
    this.sums = sums;
    if (near !== undefined && sums) {
      const F = med.slice(0, f).sort();
      if (!nearMatches(near, m, F)) {
        throw new TbError("E_INTERNAL", "SwapState: the near lists were built for other fixed medoids or size");
      }
      this.near = near;
    }
    // A, V, W, C: zeroed by rebuild()
    this.A = sums ? takeBuffer(m) : new Float64Array(0);
    this.V = sums ? takeBuffer(m * this.K) : new Float64Array(0);
    this.C = new Float64Array(sums ? this.K : 0);
    this.W = sums ? takeBuffer(m) : new Float64Array(0);
    this.rl = sums ? new Float64Array(0) : (kernel?.rl.subarray(0, this.K) ?? new Float64Array(this.K));
    let max = 0;
    if (this.K === 1) for (let t = 0; t < dist.length; t++) if ((dist[t] as number) > max) max = dist[t] as number;
    this.big = 2 * max;
    this.nearest();
    if (sums) this.rebuild();
    else this.removalLoss();
  }

  /**
   * Hands its buffers back to the pool they came from, for the next search. The state must not be used
   * afterwards. (Not calling it only costs fresh allocations.)
   */
  release(): void {
    const give = (b: Float64Array | Int32Array): void => this.buffers.give(b);
    for (const b of [this.M, this.d1Old, this.d2Old]) give(b);
    if (this.kernel === undefined) for (const b of [this.d1, this.d2, this.a]) give(b);
    if (this.rows !== undefined) for (const b of [this.R, this.oldRow]) give(b);
    for (const b of [this.slotOf, this.aOld, this.changedList]) give(b);
    if (this.sums) for (const b of [this.V, this.A, this.W]) give(b);
  }

  /**
   * M (and on the sparse path every row of R) from the medoids' rows, as a blocked transpose
   * (blocks of points, not one column at a time).
   */
  private setAllColumns(): void {
    const { m, K, M, med } = this;
    const rows = this.rows;
    let src = this.dist;
    if (rows !== undefined) {
      const R = this.R;
      for (let i = 0; i < K; i++) rows.row(med[i] as number, R.subarray(i * m, i * m + m));
      src = R;
    }
    for (let j0 = 0; j0 < m; j0 += 64) {
      const j1 = Math.min(j0 + 64, m);
      for (let i = 0; i < K; i++) {
        const r = rows !== undefined ? i * m : (med[i] as number) * m;
        for (let j = j0; j < j1; j++) M[j * K + i] = src[r + j] as number;
      }
    }
  }

  /** Column i of {@link SwapState.M} (and on the sparse path row i of R) from row μ_i of Δ. */
  private setColumn(i: number): void {
    const { m, K, M } = this;
    const p = this.med[i] as number;
    let src = this.dist;
    let r = p * m;
    if (this.rows !== undefined) {
      src = this.R.subarray(i * m, i * m + m);
      this.rows.row(p, src);
      r = 0;
    }
    for (let j = 0; j < m; j++) M[j * K + i] = src[r + j] as number;
  }

  /** d1, d2 (smallest and second smallest of the multiset {Δ(μ_i, j)}), a and the cost. O(mK). */
  private nearest(): void {
    const { m, K, M, d1, d2, a } = this;
    for (let j = 0; j < m; j++) {
      let s1 = Number.POSITIVE_INFINITY;
      let s2 = Number.POSITIVE_INFINITY;
      let sa = 0;
      const base = j * K;
      for (let i = 0; i < K; i++) {
        const v = M[base + i] as number;
        if (v < s1) {
          s2 = s1;
          s1 = v;
          sa = i;
        } else if (v < s2) {
          s2 = v;
        }
      }
      d1[j] = s1;
      d2[j] = s2;
      a[j] = sa;
    }
    // With K = 1 there is no second medoid: d2 = `big` (≥ every distance) acts as +∞ in every
    // formula (min(Δ, d2) = Δ, d2 > d1) while keeping the arithmetic finite and exact.
    if (K === 1) d2.fill(this.big);
    let c = 0;
    for (let j = 0; j < m; j++) c += d1[j] as number;
    this.cost = c;
  }

  /**
   * d1, d2 and a after slot `i` went from point `o` to point `h`, updated in place: a point for
   * which Δ(o, j) was above its d2 keeps them, with Δ(h, j) inserted; for the others (o was its
   * nearest or second nearest) Δ(h, j) settles them when it is near enough (below), else they are
   * recomputed over all K slots, exactly as {@link SwapState.nearest} does. Same values as a full
   * recomputation. O(m + |rescanned|·K).
   * The points whose d1, d2 or a changed are listed in `changedList[0..changedCount)`, their
   * previous values kept at their index in the *Old arrays.
   */
  private nearestAfterSwap(i: number, o: number): void {
    const { m, K, M, d1, d2, a, d1Old, d2Old, aOld, changedList } = this;
    // Δ(o, j): the old medoid's row; Δ(h, j): the new one — rows of `dist`, or on the sparse
    // path the copy of o's row and slot i's row of R
    const sparse = this.rows !== undefined;
    const ro = sparse ? this.oldRow : this.dist;
    const ob = sparse ? 0 : o * m;
    const rh = sparse ? this.R : this.dist;
    const hb = sparse ? i * m : (this.med[i] as number) * m;
    let c = 0;
    let nc = 0;
    for (let j = 0; j < m; j++) {
      const p1 = d1[j] as number;
      const p2 = d2[j] as number;
      let n1: number;
      let n2: number;
      let na: number;
      const x = rh[hb + j] as number; // Δ(h, j)
      const pa = a[j] as number;
      // o was neither nearest nor second nearest: insert x. Or o was one of them and x settles it
      // without a scan: sorted, the old multiset was p1 ≤ p2 ≤ v3 ≤ …; without o's entry and with x:
      // - o was the nearest (a = i) and x < p2: x is the unique minimum, p2 the second;
      // - o was not (a ≠ i; o's entry was a copy of p1 or p2) and x ≤ p2: the rest is p1 (at a),
      //   then v3 ≥ p2 ≥ x — the cases of the insert
      const far = (ro[ob + j] as number) > p2;
      if (far && !(x < p2) && x !== p1) {
        c += p1; // nothing changes
        continue;
      }
      if (far || (pa === i ? x < p2 : x <= p2)) {
        if (pa === i) {
          n1 = x;
          n2 = p2;
          na = i;
        } else if (x < p1) {
          n1 = x;
          n2 = p1;
          na = i;
        } else if (x === p1) {
          n1 = p1;
          n2 = p1;
          na = Math.min(i, pa);
        } else {
          n1 = p1;
          n2 = x;
          na = pa;
        }
      } else {
        let s1 = Number.POSITIVE_INFINITY;
        let s2 = Number.POSITIVE_INFINITY;
        let sa = 0;
        const base = j * K;
        for (let t = 0; t < K; t++) {
          const v = M[base + t] as number;
          if (v < s1) {
            s2 = s1;
            s1 = v;
            sa = t;
          } else if (v < s2) {
            s2 = v;
          }
        }
        n1 = s1;
        n2 = s2;
        na = sa;
      }
      c += n1;
      if (n1 !== p1 || n2 !== p2 || na !== pa) {
        d1Old[j] = p1;
        d2Old[j] = p2;
        aOld[j] = pa;
        d1[j] = n1;
        d2[j] = n2;
        a[j] = na;
        changedList[nc++] = j;
      }
    }
    this.cost = c;
    this.changedCount = nc;
  }

  /** Whether point j contributes to a kept B row: served by a swappable slot, with d2 > d1. */
  private hasB(aj: number, d1j: number, d2j: number): boolean {
    return aj >= this.f && d2j > d1j;
  }

  /**
   * Moves point j's contributions from its old state to its new state. `oA`/`nA`: the old/new A
   * term is present (and changes); `oB`/`nB`: likewise for the B term, in slots `pa`/`na`. Only the
   * `h` with Δ(h,j) below the largest threshold in play (d1 for A, d2 for B) can have a non-zero
   * term; the others are skipped after one compare. The terms are exact (quantized matrix).
   */
  private move(
    j: number,
    oA: boolean,
    oB: boolean,
    p1: number,
    p2: number,
    pa: number,
    nA: boolean,
    nB: boolean,
    n1: number,
    n2: number,
    na: number,
  ): void {
    const { m, K, dist, A, V, W, C } = this;
    const pe = p2 - p1;
    const ne = n2 - n1;
    if (oB) C[pa] = (C[pa] as number) - pe;
    if (nB) C[na] = (C[na] as number) + ne;
    let thr = Number.NEGATIVE_INFINITY;
    if (oA && p1 > thr) thr = p1;
    if (nA && n1 > thr) thr = n1;
    if (oB && p2 > thr) thr = p2;
    if (nB && n2 > thr) thr = n2;
    const near = this.near;
    if (near !== undefined) {
      const { idx, val } = near;
      const sorted = near.sorted === true || near.byDistance === true;
      const end = near.start[j + 1] as number;
      for (let t = near.start[j] as number; t < end; t++) {
        const x = val[t] as number;
        if (!(x < thr)) {
          if (sorted) break; // sorted rows: nothing further is below
          continue;
        }
        const h = idx[t] as number;
        const tp = x - p1;
        const tn = x - n1;
        if (oA && tp < 0) A[h] = (A[h] as number) - tp;
        if (nA && tn < 0) A[h] = (A[h] as number) + tn;
        if (oB && x < p2) {
          const k = h * K + pa;
          const dv = Math.max(tp, 0) - pe;
          V[k] = (V[k] as number) - dv;
          W[h] = (W[h] as number) - dv;
        }
        if (nB && x < n2) {
          const k = h * K + na;
          const dv = Math.max(tn, 0) - ne;
          V[k] = (V[k] as number) + dv;
          W[h] = (W[h] as number) + dv;
        }
      }
      return;
    }
    const row = j * m;
    const end = row + m;
    for (let r = row; r < end; r++) {
      // four at a time: nearly every entry is at or above thr (only the points near j are below)
      if (
        r + 3 < end &&
        !((dist[r] as number) < thr) &&
        !((dist[r + 1] as number) < thr) &&
        !((dist[r + 2] as number) < thr) &&
        !((dist[r + 3] as number) < thr)
      ) {
        r += 3;
        continue;
      }
      const x = dist[r] as number;
      if (!(x < thr)) continue;
      const h = r - row;
      const tp = x - p1;
      const tn = x - n1;
      if (oA && tp < 0) A[h] = (A[h] as number) - tp;
      if (nA && tn < 0) A[h] = (A[h] as number) + tn;
      if (oB && x < p2) {
        const k = h * K + pa;
        const dv = Math.max(tp, 0) - pe;
        V[k] = (V[k] as number) - dv;
        W[h] = (W[h] as number) - dv;
      }
      if (nB && x < n2) {
        const k = h * K + na;
        const dv = Math.max(tn, 0) - ne;
        V[k] = (V[k] as number) + dv;
        W[h] = (W[h] as number) + dv;
      }
    }
  }

  /** Recomputes A, C and V from scratch: every non-medoid entered once. O(m²) compares. */
  rebuild(): void {
    const { m, K, dist, slotOf, d1, d2, a, A, V, W, C, near } = this;
    A.fill(0);
    V.fill(0);
    W.fill(0);
    C.fill(0);
    for (let j = 0; j < m; j++) {
      if ((slotOf[j] as number) >= 0) continue;
      const aj = a[j] as number;
      const n1 = d1[j] as number;
      const n2 = d2[j] as number;
      const row = j * m;
      const withB = this.hasB(aj, n1, n2);
      const thr = withB ? n2 : n1;
      const e = n2 - n1;
      if (withB) C[aj] = (C[aj] as number) + e;
      if (near !== undefined) {
        const { idx, val } = near;
        const sorted = near.sorted === true || near.byDistance === true;
        const stop = near.start[j + 1] as number;
        for (let t = near.start[j] as number; t < stop; t++) {
          const x = val[t] as number;
          if (!(x < thr)) {
            if (sorted) break; // sorted rows: nothing further is below
            continue;
          }
          const h = idx[t] as number;
          const d = x - n1;
          if (d < 0) A[h] = (A[h] as number) + d;
          if (withB) {
            const k = h * K + aj;
            const dv = Math.max(d, 0) - e;
            V[k] = (V[k] as number) + dv;
            W[h] = (W[h] as number) + dv;
          }
        }
        continue;
      }
      const end = row + m;
      for (let r = row; r < end; r++) {
        if (
          r + 3 < end &&
          !((dist[r] as number) < thr) &&
          !((dist[r + 1] as number) < thr) &&
          !((dist[r + 2] as number) < thr) &&
          !((dist[r + 3] as number) < thr)
        ) {
          r += 3;
          continue;
        }
        const x = dist[r] as number;
        if (!(x < thr)) continue;
        const h = r - row;
        const t = x - n1;
        if (t < 0) A[h] = (A[h] as number) + t;
        if (withB) {
          const k = h * K + aj;
          const dv = Math.max(t, 0) - e;
          V[k] = (V[k] as number) + dv;
          W[h] = (W[h] as number) + dv;
        }
      }
    }
  }

  /**
   * Removal loss per slot (FasterPAM, without sums): `RL(i) = Σ_{j: a(j)=i} (d2(j) − d1(j))` over
   * all points, medoids included (a medoid has d1 = 0), i.e. what the cost grows by when slot i's
   * medoid leaves and nothing enters. Refreshed after every swap. Exact (quantized matrix).
   */
  private readonly rl: Float64Array;

  /** {@link SwapState.rl} from scratch. O(m). */
  private removalLoss(): void {
    const { m, d1, d2, a, rl } = this;
    rl.fill(0);
    for (let j = 0; j < m; j++) {
      const aj = a[j] as number;
      rl[aj] = (rl[aj] as number) + ((d2[j] as number) - (d1[j] as number));
    }
  }

  /**
   * {@link SwapState.rl} after a swap: only the points whose d1, d2 or a changed move their term
   * (exact on the grid: the same numbers as {@link SwapState.removalLoss}). O(|changed|).
   */
  private updateRemovalLoss(): void {
    const nc = this.changedCount;
    if (nc < 0) {
      this.removalLoss();
      return;
    }
    const { d1, d2, a, d1Old, d2Old, aOld, rl, changedList } = this;
    for (let t = 0; t < nc; t++) {
      const j = changedList[t] as number;
      const pa = aOld[j] as number;
      const na = a[j] as number;
      rl[pa] = (rl[pa] as number) - ((d2Old[j] as number) - (d1Old[j] as number));
      rl[na] = (rl[na] as number) + ((d2[j] as number) - (d1[j] as number));
    }
  }

  /**
   * The best swap for candidate h with the wasm kernel, in one call: the smallest Φ(i, h) over the
   * swappable slots (first slot on ties), returned, and its slot in {@link SwapState.bestSlot} — the
   * same choice as {@link SwapState.phiAll} followed by a scan from slot f. Only with a kernel.
   */
  phiBest(h: number): number {
    const kernel = this.kernel as PhiKernel;
    const v = kernel.best(h, this.K, this.f);
    this.bestSlot = kernel.slot();
    return v;
  }

  /** The slot of the last {@link SwapState.phiBest}. */
  bestSlot = -1;

  /**
   * Φ(i,h) for every swappable slot i (into `out[i]`, i ≥ f), computed directly in one pass over
   * row h: the same exact A(h) + B_i(h) + ψ(i,h) as {@link SwapState.phi}, without stored sums,
   * in the removal-loss form of FasterPAM (Schubert & Rousseeuw 2021): Φ(i,h) = RL(i) + acc +
   * corr_i, where a point j with Δ(h,j) < d2(j) moves to h if Δ(h,j) < d1(j) (acc) and corrects
   * its own slot's removal loss (corr). Points at or beyond d2 — nearly all of them once K is not
   * small — contribute nothing, medoids included (d1 = 0, ψ comes out of their own correction).
   * Every term is exact on the grid, so Φ is the same number as the dense form's. Entries of
   * `out` below f are scratch. O(m + K). Requires `sums = false`.
   */
  phiAll(h: number, out: Float64Array): void {
    const { m, K, f, dist, d1, d2, a, kernel } = this;
    if (kernel !== undefined) {
      // the same sums in WebAssembly (wasm/phi.wat): out[a[j]] gets min(max(x, d1), d2) − d2, which is
      // this loop's 0.5·(x + e1 + |x − e1|) − e2 below d2 and exactly +0 beyond it
      const ko = kernel.out;
      ko.set(this.rl); // (rl is a view into the kernel's memory too)
      const acc = kernel.run(h);
      for (let i = 0; i < f; i++) out[i] = ko[i] as number;
      for (let i = f; i < K; i++) out[i] = (ko[i] as number) + acc;
      return;
    }
    out.set(this.rl);
    const row = h * m;
    // Four points at a time are skipped after one combined test: a point at or beyond its d2
    // contributes nothing, and once K is not small that is nearly every point (a well-predicted
    // branch). A point below d2 is added without a further branch (below d1 or not would be
    // mispredicted): min and max through |·|, exact on the grid (x − e1 − |x − e1| = 2·min(x − e1, 0),
    // x + e1 + |x − e1| = 2·max(x, e1)). Measured against the crate's two-branch loop and a fully
    // branch-free one (scripts/bench-kmedoids.ts): faster at every K from 10 to 100.
    let acc2 = 0;
    let j = 0;
    const m4 = m - 3;
    for (; j < m4; j += 4) {
      const r = row + j;
      if (
        (dist[r] as number) >= (d2[j] as number) &&
        (dist[r + 1] as number) >= (d2[j + 1] as number) &&
        (dist[r + 2] as number) >= (d2[j + 2] as number) &&
        (dist[r + 3] as number) >= (d2[j + 3] as number)
      ) {
        continue;
      }
      for (let t = j; t < j + 4; t++) {
        const x = dist[row + t] as number;
        const e2 = d2[t] as number;
        if (x < e2) {
          const e1 = d1[t] as number;
          const u = x - e1;
          const au = Math.abs(u);
          acc2 += u - au;
          const at = a[t] as number;
          out[at] = (out[at] as number) + (0.5 * (x + e1 + au) - e2);
        }
      }
    }
    for (; j < m; j++) {
      const x = dist[row + j] as number;
      const e2 = d2[j] as number;
      if (x < e2) {
        const e1 = d1[j] as number;
        const u = x - e1;
        const au = Math.abs(u);
        acc2 += u - au;
        const aj = a[j] as number;
        out[aj] = (out[aj] as number) + (0.5 * (x + e1 + au) - e2);
      }
    }
    const acc = 0.5 * acc2;
    for (let i = f; i < K; i++) out[i] = (out[i] as number) + acc;
  }

  /**
   * Puts `h` into slot `i`, then refreshes d1/d2/a (incrementally) and A/C/V: incrementally (only
   * the points whose medoid status, d1, d2 or a changed re-enter the sums) or by a full rebuild.
   */
  swap(i: number, h: number, incremental: boolean): void {
    const { m, med, slotOf } = this;
    const o = med[i] as number;
    med[i] = h;
    slotOf[o] = -1;
    slotOf[h] = i;
    // the previous nearest data of o and h (of the other points: kept when they change)
    const { d1, d2, a, d1Old, d2Old, aOld } = this;
    d1Old[o] = d1[o] as number;
    d2Old[o] = d2[o] as number;
    aOld[o] = a[o] as number;
    d1Old[h] = d1[h] as number;
    d2Old[h] = d2[h] as number;
    aOld[h] = a[h] as number;
    if (this.rows !== undefined) this.oldRow.set(this.R.subarray(i * m, i * m + m));
    this.setColumn(i);
    if (this.K === 1) {
      d1Old.set(d1);
      d2Old.set(d2);
      aOld.set(a);
      this.nearest();
      this.changedCount = -1; // every point may have changed
    } else {
      this.nearestAfterSwap(i, o);
    }
    if (!this.sums) {
      this.updateRemovalLoss();
      return;
    }
    if (!incremental) {
      this.rebuild();
      return;
    }
    // Only o and h (medoid status) and the points whose d1, d2 or a changed can have other terms;
    // every other point keeps its A and B contributions exactly.
    this.update(o, o, h);
    this.update(h, o, h);
    const nc = this.changedCount;
    if (nc < 0) {
      for (let j = 0; j < m; j++) if (j !== o && j !== h) this.update(j, o, h);
    } else {
      const list = this.changedList;
      for (let t = 0; t < nc; t++) {
        const j = list[t] as number;
        if (j !== o && j !== h) this.update(j, o, h);
      }
    }
  }

  /** Re-enters point j's contributions after the swap o → h if they changed. */
  private update(j: number, o: number, h: number): void {
    const { slotOf, d1, d2, a, d1Old, d2Old, aOld } = this;
    const wasNon = j === h || (j !== o && (slotOf[j] as number) < 0);
    const isNon = (slotOf[j] as number) < 0;
    const p1 = d1Old[j] as number;
    const p2 = d2Old[j] as number;
    const pa = aOld[j] as number;
    const n1 = d1[j] as number;
    const n2 = d2[j] as number;
    const na = a[j] as number;
    const oldB = wasNon && this.hasB(pa, p1, p2);
    const newB = isNon && this.hasB(na, n1, n2);
    const sameA = wasNon === isNon && (!isNon || p1 === n1);
    const sameB = oldB === newB && (!newB || (p1 === n1 && p2 === n2 && pa === na));
    if (sameA && sameB) return;
    this.move(j, !sameA && wasNon, !sameB && oldB, p1, p2, pa, !sameA && isNon, !sameB && newB, n1, n2, na);
  }
}
