/**
 * Shared state of the swap searches (ALGORITHMS §2.3 fast form, used by PAM and FasterPAM).
 * Internal: not exported from the package.
 *
 * For every point `h` (medoid or not) it keeps
 *   A(h)    = Σ_{j ∉ medoids} min(Δ(h,j) − d1(j), 0)
 *   B_i(h)  = Σ_{j ∉ medoids, a(j) = i} [min(Δ(h,j), d2(j)) − d1(j) − min(Δ(h,j) − d1(j), 0)]
 * so that Φ(i,h) = A(h) + B_i(h) + ψ(i,h). `B` is only kept for swappable slots i ≥ f (fixed
 * slots are never removed, so their B rows are never read). The matrix must already be on the
 * exact grid of `quantizeDistances`, which makes every sum exact and therefore independent of
 * whether it was built from scratch or updated incrementally.
 * With `sums = false` (FasterPAM) only d1/d2/a are kept and Φ is computed per candidate.
 */
export class SwapState {
  readonly m: number;
  readonly K: number;
  readonly f: number;
  /** Quantized m×m matrix, row-major, symmetric. */
  readonly dist: Float64Array;
  /** Medoid point per slot. */
  readonly med: Int32Array;
  /** Slot of each point, −1 for non-medoids. */
  readonly slotOf: Int32Array;
  d1: Float64Array;
  d2: Float64Array;
  /** First slot whose medoid is at distance d1. */
  a: Int32Array;
  private d1Old: Float64Array;
  private d2Old: Float64Array;
  private aOld: Int32Array;
  readonly A: Float64Array;
  /** K×m; row i at offset i·m. Rows of fixed slots (i < f) are never filled nor read. */
  readonly B: Float64Array;
  /** Whether A and B are kept. */
  readonly sums: boolean;
  /** 2·max Δ (on the grid): stands for +∞ as d2 when K = 1. */
  private readonly big: number;
  /** Σ_j d1(j) on the quantized matrix (exact). */
  cost = 0;
  /** Points whose contributions were re-entered during the last swap (diagnostics/tests). */
  lastChanged = 0;

  /**
   * @param sums keep A and B (PAM: O(K) per Φ, O(mK + |changed|·m) per swap). Without them
   *   (FasterPAM) Φ comes from {@link SwapState.phiAll} in O(m) per candidate and a swap is O(mK).
   */
  constructor(dist: Float64Array, m: number, med: Int32Array, f: number, sums = true) {
    this.dist = dist;
    this.m = m;
    this.K = med.length;
    this.f = f;
    this.med = med;
    this.slotOf = new Int32Array(m).fill(-1);
    for (let i = 0; i < this.K; i++) this.slotOf[med[i] as number] = i;
    this.d1 = new Float64Array(m);
    this.d2 = new Float64Array(m);
    this.a = new Int32Array(m);
    this.d1Old = new Float64Array(m);
    this.d2Old = new Float64Array(m);
    this.aOld = new Int32Array(m);
    this.sums = sums;
    this.A = new Float64Array(sums ? m : 0);
    this.B = new Float64Array(sums ? this.K * m : 0);
    let max = 0;
    if (this.K === 1) for (let t = 0; t < dist.length; t++) if ((dist[t] as number) > max) max = dist[t] as number;
    this.big = 2 * max;
    this.nearest();
    if (sums) this.rebuild();
  }

  /** d1, d2 (smallest and second smallest of the multiset {Δ(μ_i, j)}), a and the cost. O(mK). */
  private nearest(): void {
    const { m, K, dist, med, d1, d2, a } = this;
    d1.fill(Number.POSITIVE_INFINITY);
    d2.fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < K; i++) {
      const row = (med[i] as number) * m;
      for (let j = 0; j < m; j++) {
        const v = dist[row + j] as number;
        if (v < (d1[j] as number)) {
          d2[j] = d1[j] as number;
          d1[j] = v;
          a[j] = i;
        } else if (v < (d2[j] as number)) {
          d2[j] = v;
        }
      }
    }
    // With K = 1 there is no second medoid: d2 = `big` (≥ every distance) acts as +∞ in every
    // formula (min(Δ, d2) = Δ, d2 > d1) while keeping the branch-free arithmetic finite and exact.
    if (K === 1) d2.fill(this.big);
    let c = 0;
    for (let j = 0; j < m; j++) c += d1[j] as number;
    this.cost = c;
  }

  /** Whether point j contributes to a kept B row: served by a swappable slot, with d2 > d1. */
  private hasB(aj: number, d1j: number, d2j: number): boolean {
    return aj >= this.f && d2j > d1j;
  }

  /**
   * Moves point j's contributions from its old state to its new state, for every h, in one pass
   * over row j of Δ (Δ(h,j) = Δ(j,h)). With t = Δ(h,j) − d1(j) and u = Δ(h,j) − d2(j), the A term
   * min(t, 0) = (t − |t|)/2 and the B term min(Δ, d2) − d1 − min(t, 0) = max(t,0) − max(u,0)
   * = ((t + |t|) − (u + |u|))/2 are computed without branches (random data makes branches
   * mispredict) and exactly (quantized matrix). Weights are 0 (term absent) or 0.5 (present).
   *
   * @param oA,nA weights of the old/new A term; oB,nB of the old/new B term.
   * @param rowO,rowN offsets in B of the old/new B row.
   */
  private move(
    j: number,
    p1: number,
    p2: number,
    oA: number,
    oB: number,
    rowO: number,
    n1: number,
    n2: number,
    nA: number,
    nB: number,
    rowN: number,
  ): void {
    const { m, dist, A, B } = this;
    const row = j * m;
    const doA = oA !== 0 || nA !== 0;
    const doB = oB !== 0 || nB !== 0;
    if (doA && !doB) {
      if (oA === 0) {
        for (let h = 0; h < m; h++) {
          const t = (dist[row + h] as number) - n1;
          A[h] = (A[h] as number) + 0.5 * (t - Math.abs(t));
        }
      } else if (nA === 0) {
        for (let h = 0; h < m; h++) {
          const t = (dist[row + h] as number) - p1;
          A[h] = (A[h] as number) - 0.5 * (t - Math.abs(t));
        }
      } else {
        for (let h = 0; h < m; h++) {
          const x = dist[row + h] as number;
          const tp = x - p1;
          const tn = x - n1;
          A[h] = (A[h] as number) + 0.5 * (tn - Math.abs(tn)) - 0.5 * (tp - Math.abs(tp));
        }
      }
      return;
    }
    if (!doB) return;
    if (!doA && oB !== 0 && nB !== 0 && rowO === rowN && p1 === n1) {
      // only d2 moved (the common case after a swap): the max(t, 0) parts cancel
      for (let h = 0; h < m; h++) {
        const x = dist[row + h] as number;
        const up = x - p2;
        const un = x - n2;
        B[rowO + h] = (B[rowO + h] as number) + 0.5 * (up + Math.abs(up) - (un + Math.abs(un)));
      }
      return;
    }
    if (oB === 0 || nB === 0 || rowO === rowN) {
      // one B row
      const bo = nB !== 0 ? rowN : rowO;
      for (let h = 0; h < m; h++) {
        const x = dist[row + h] as number;
        const tp = x - p1;
        const up = x - p2;
        const tn = x - n1;
        const un = x - n2;
        const atp = Math.abs(tp);
        const atn = Math.abs(tn);
        A[h] = (A[h] as number) + nA * (tn - atn) - oA * (tp - atp);
        B[bo + h] =
          (B[bo + h] as number) + nB * (tn + atn - (un + Math.abs(un))) - oB * (tp + atp - (up + Math.abs(up)));
      }
      return;
    }
    // two B rows (the nearest slot changed)
    for (let h = 0; h < m; h++) {
      const x = dist[row + h] as number;
      const tp = x - p1;
      const up = x - p2;
      const tn = x - n1;
      const un = x - n2;
      const atp = Math.abs(tp);
      const atn = Math.abs(tn);
      A[h] = (A[h] as number) + nA * (tn - atn) - oA * (tp - atp);
      B[rowO + h] = (B[rowO + h] as number) - oB * (tp + atp - (up + Math.abs(up)));
      B[rowN + h] = (B[rowN + h] as number) + nB * (tn + atn - (un + Math.abs(un)));
    }
  }

  /** Recomputes A and B from scratch (add-only form of {@link SwapState.move}). O(m²). */
  rebuild(): void {
    const { m, dist, slotOf, d1, d2, a, A, B } = this;
    A.fill(0);
    B.fill(0);
    for (let j = 0; j < m; j++) {
      if ((slotOf[j] as number) >= 0) continue;
      const aj = a[j] as number;
      const n1 = d1[j] as number;
      const n2 = d2[j] as number;
      const row = j * m;
      if (this.hasB(aj, n1, n2)) {
        const bo = aj * m;
        for (let h = 0; h < m; h++) {
          const x = dist[row + h] as number;
          const tn = x - n1;
          const un = x - n2;
          const atn = Math.abs(tn);
          A[h] = (A[h] as number) + 0.5 * (tn - atn);
          B[bo + h] = (B[bo + h] as number) + 0.5 * (tn + atn - (un + Math.abs(un)));
        }
      } else {
        for (let h = 0; h < m; h++) {
          const tn = (dist[row + h] as number) - n1;
          A[h] = (A[h] as number) + 0.5 * (tn - Math.abs(tn));
        }
      }
    }
  }

  /** Φ(i,h) = A(h) + B_i(h) + ψ(i,h) for a swappable slot i and a non-medoid h. */
  phi(i: number, h: number): number {
    const o = this.med[i] as number;
    const dho = this.dist[o * this.m + h] as number;
    const d2o = this.d2[o] as number;
    return (this.A[h] as number) + (this.B[i * this.m + h] as number) + Math.min(dho, d2o);
  }

  /**
   * Φ(i,h) for every swappable slot i (into `out[i]`, i ≥ f), computed directly in one pass over
   * row h: the same exact A(h) + B_i(h) + ψ(i,h) as {@link SwapState.phi}, without stored sums.
   * Entries of `out` below f are scratch. O(m + K).
   */
  phiAll(h: number, out: Float64Array): void {
    const { m, K, f, dist, med, slotOf, d1, d2, a } = this;
    out.fill(0);
    const row = h * m;
    let acc = 0;
    for (let j = 0; j < m; j++) {
      if ((slotOf[j] as number) >= 0) continue;
      const x = dist[row + j] as number;
      const t = x - (d1[j] as number);
      const u = x - (d2[j] as number);
      const at = Math.abs(t);
      acc += 0.5 * (t - at);
      // B term (0 when d2 = d1; rows of fixed slots are never read)
      const aj = a[j] as number;
      out[aj] = (out[aj] as number) + 0.5 * (t + at - (u + Math.abs(u)));
    }
    for (let i = f; i < K; i++) {
      const o = med[i] as number;
      out[i] = acc + (out[i] as number) + Math.min(dist[o * m + h] as number, d2[o] as number);
    }
  }

  /**
   * Puts `h` into slot `i`, then refreshes d1/d2/a and A/B: incrementally (only the points whose
   * medoid status, d1, d2 or a changed re-enter the sums) or by a full rebuild.
   */
  swap(i: number, h: number, incremental: boolean): void {
    const { m, med, slotOf } = this;
    const o = med[i] as number;
    med[i] = h;
    slotOf[o] = -1;
    slotOf[h] = i;
    // keep the previous nearest data in the *Old buffers
    let t64 = this.d1Old;
    this.d1Old = this.d1;
    this.d1 = t64;
    t64 = this.d2Old;
    this.d2Old = this.d2;
    this.d2 = t64;
    const t32 = this.aOld;
    this.aOld = this.a;
    this.a = t32;
    this.nearest();
    if (!this.sums) return;
    if (!incremental) {
      this.rebuild();
      this.lastChanged = m;
      return;
    }
    const { d1, d2, a, d1Old, d2Old, aOld } = this;
    let changed = 0;
    for (let j = 0; j < m; j++) {
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
      if (sameA && sameB) continue;
      changed++;
      this.move(
        j,
        p1,
        p2,
        !sameA && wasNon ? 0.5 : 0,
        !sameB && oldB ? 0.5 : 0,
        pa * m,
        n1,
        n2,
        !sameA && isNon ? 0.5 : 0,
        !sameB && newB ? 0.5 : 0,
        na * m,
      );
    }
    this.lastChanged = changed;
  }
}
