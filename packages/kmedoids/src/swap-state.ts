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
  /** Σ_j d1(j) on the quantized matrix (exact). */
  cost = 0;
  /** Points whose contributions were re-entered during the last swap (diagnostics/tests). */
  lastChanged = 0;

  constructor(dist: Float64Array, m: number, med: Int32Array, f: number) {
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
    this.A = new Float64Array(m);
    this.B = new Float64Array(this.K * m);
    this.nearest();
    this.rebuild();
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
    let c = 0;
    for (let j = 0; j < m; j++) c += d1[j] as number;
    this.cost = c;
  }

  /** Whether point j's B contribution is non-zero-structured (served by a swappable slot, d2 > d1). */
  private hasB(aj: number, d1j: number, d2j: number): boolean {
    return aj >= this.f && d2j > d1j;
  }

  /**
   * Adds `sign` × the contributions of non-medoid point `j` (with the given d1, d2, a) to A
   * (when `doA`) and to B_a (when `doB`), for every h. O(m).
   */
  private apply(j: number, d1j: number, d2j: number, aj: number, sign: number, doA: boolean, doB: boolean): void {
    const { m, dist, A, B } = this;
    const row = j * m; // Δ(h, j) = Δ(j, h): contiguous
    if (doA && doB) {
      const bo = aj * m;
      for (let h = 0; h < m; h++) {
        const x = dist[row + h] as number;
        const t = x - d1j;
        const ca = Math.min(t, 0);
        A[h] = (A[h] as number) + sign * ca;
        B[bo + h] = (B[bo + h] as number) + sign * (Math.min(x, d2j) - d1j - ca);
      }
    } else if (doA) {
      for (let h = 0; h < m; h++) {
        const t = (dist[row + h] as number) - d1j;
        if (t < 0) A[h] = (A[h] as number) + sign * t;
      }
    } else if (doB) {
      const bo = aj * m;
      for (let h = 0; h < m; h++) {
        const x = dist[row + h] as number;
        const t = x - d1j;
        B[bo + h] = (B[bo + h] as number) + sign * (Math.min(x, d2j) - d1j - Math.min(t, 0));
      }
    }
  }

  /** Recomputes A and B from scratch. O(m²). */
  rebuild(): void {
    const { m, slotOf, d1, d2, a } = this;
    this.A.fill(0);
    this.B.fill(0);
    for (let j = 0; j < m; j++) {
      if ((slotOf[j] as number) >= 0) continue;
      const aj = a[j] as number;
      const d1j = d1[j] as number;
      const d2j = d2[j] as number;
      this.apply(j, d1j, d2j, aj, 1, true, this.hasB(aj, d1j, d2j));
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
      if (wasNon) this.apply(j, p1, p2, pa, -1, !sameA, oldB && !sameB);
      if (isNon) this.apply(j, n1, n2, na, 1, !sameA, newB && !sameB);
    }
    this.lastChanged = changed;
  }
}
