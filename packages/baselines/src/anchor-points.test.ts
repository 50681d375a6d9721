import { CorrectnessMatrix, createOracle, RandomStream, Workspace } from "@tb/core";
import { describe, expect, it } from "vitest";
import { anchorPoints, anchorWeights, correlationDistance, exampleCorrelation } from "./anchor-points.js";

function matrix(rows: number[][]): CorrectnessMatrix {
  return CorrectnessMatrix.from(rows);
}

describe("example correlation (docs/METHOD.md §5 step 2, §2.2)", () => {
  it("matches a naive Pearson correlation, with ρ = 0 for zero-variance examples", () => {
    const rng = RandomStream.derive("corr");
    const S = 9;
    const n = 12;
    const v = new Float64Array(S * n).map(() => rng.nextFloat());
    for (let s = 0; s < S; s++) v[s * n + 4] = 0.3; // example 4: constant
    const c = exampleCorrelation(v, S, n);
    expect(Array.from(c.zeroVariance)).toEqual([4]);
    const col = (x: number) => Array.from({ length: S }, (_, s) => v[s * n + x] as number);
    for (let x = 0; x < n; x++) {
      for (let y = 0; y < n; y++) {
        const got = c.rho[x * n + y] as number;
        if (x === y) expect(got).toBe(1);
        else if (x === 4 || y === 4) expect(got).toBe(0);
        else {
          const a = col(x);
          const b = col(y);
          const ma = a.reduce((p, q) => p + q, 0) / S;
          const mb = b.reduce((p, q) => p + q, 0) / S;
          let sab = 0;
          let saa = 0;
          let sbb = 0;
          for (let s = 0; s < S; s++) {
            sab += ((a[s] as number) - ma) * ((b[s] as number) - mb);
            saa += ((a[s] as number) - ma) ** 2;
            sbb += ((b[s] as number) - mb) ** 2;
          }
          expect(got).toBeCloseTo(sab / Math.sqrt(saa * sbb), 12);
        }
      }
    }
    const d = correlationDistance(c);
    expect(d[4 * n + 4]).toBe(0);
    expect(d[4 * n + 5]).toBe(1);
    expect(d[0]).toBe(0);
  });
});

describe("anchorPoints (docs/METHOD.md §5)", () => {
  // Hand-checked case. Examples 0–2 share the source pattern A = (1,1,0,0), examples 3–4 the
  // pattern B = (0,0,1,1) (ρ(A,B) = −1, distance 2), example 5 is right for every source (zero
  // variance: ρ = 0, distance 1, to everything else). With K = 2 the optimum (cost 1) is one
  // medoid in A and one in B, from any start. Weights: A's medoid gets examples 0–2, B's gets 3–4,
  // and example 5 (ρ = 0 to both, a tie) goes to the FIRST slot. So with the target row
  // (1,1,1,0,0,0): estimate = w_A·1 + w_B·0 = 4/6 if A's medoid is in slot 0, else 3/6.
  const sources = matrix([
    [1, 1, 1, 0, 0, 1],
    [1, 1, 1, 0, 0, 1],
    [0, 0, 0, 1, 1, 1],
    [0, 0, 0, 1, 1, 1],
  ]);
  const target = [1, 1, 1, 0, 0, 0];

  for (const algorithm of ["fasterpam", "pam"] as const) {
    it(`tiny hand-checked case (${algorithm})`, () => {
      const seen = new Set<number>();
      for (let trial = 0; trial < 12; trial++) {
        const oracle = createOracle(target, 2);
        const res = anchorPoints({ algorithm }).run({
          sources,
          oracles: [oracle],
          budget: 2,
          rng: RandomStream.derive("hand", trial),
        });
        const d = res.diagnostics as Record<string, number | number[]>;
        const [m0, m1] = d.medoids as number[];
        const inA = (x: number) => x <= 2;
        expect(inA(m0 as number) !== inA(m1 as number)).toBe(true);
        expect(d.cost).toBeCloseTo(1, 12);
        const want = inA(m0 as number) ? 4 / 6 : 3 / 6;
        expect(d.weights).toEqual(inA(m0 as number) ? [4 / 6, 2 / 6] : [3 / 6, 3 / 6]);
        expect(res.estimates[0]).toBeCloseTo(want, 15);
        expect(oracle.queried).toBe(2);
        seen.add(want);
      }
      expect(seen.size).toBe(2); // both slot orders occurred
    });
  }

  it("weights sum to 1, zero-variance examples land in the first medoid's cluster, budget respected", () => {
    const rng = RandomStream.derive("zv");
    const S = 15;
    const n = 120;
    const rows: number[][] = Array.from({ length: S }, () =>
      Array.from({ length: n }, () => (rng.nextFloat() < 0.5 ? 1 : 0)),
    );
    const zero = [3, 17, 18, 60, 99, 119];
    zero.forEach((x, i) => {
      for (const row of rows) row[x] = i % 2;
    });
    const src = matrix(rows);
    const targets = Array.from({ length: 5 }, () => Array.from({ length: n }, () => (rng.nextFloat() < 0.6 ? 1 : 0)));
    const corr = exampleCorrelation(src.data, S, n);
    expect(Array.from(corr.zeroVariance)).toEqual(zero);
    for (const N of [1, 7, 25]) {
      for (let trial = 0; trial < 3; trial++) {
        const oracles = targets.map((r) => createOracle(r, N));
        const res = anchorPoints().run({ sources: src, oracles, budget: N, rng: RandomStream.derive("zv", N, trial) });
        const d = res.diagnostics as Record<string, number | number[]>;
        const medoids = d.medoids as number[];
        const weights = d.weights as number[];
        expect(new Set(medoids).size).toBe(N);
        expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
        expect(d.zeroVariance).toBe(zero.length);
        const { labels } = anchorWeights(corr, medoids);
        for (const x of zero) if (!medoids.includes(x)) expect(labels[x]).toBe(0);
        for (const o of oracles) expect(o.queried).toBeLessThanOrEqual(N);
        targets.forEach((r, t) => {
          const want = medoids.reduce((s, m, i) => s + (weights[i] as number) * (r[m] as number), 0);
          expect(res.estimates[t]).toBeCloseTo(want, 14);
        });
      }
    }
  });

  it("assigns by the highest correlation, first slot on ties", () => {
    // ρ rows: example 2 has ρ 0.5 to both medoids 0 and 1 → slot 0; example 3 prefers medoid 1.
    const rho = Float64Array.from([1, 0.2, 0.5, 0.1, 0.2, 1, 0.5, 0.9, 0.5, 0.5, 1, 0, 0.1, 0.9, 0, 1]);
    const { weights, labels } = anchorWeights({ n: 4, rho, zeroVariance: new Int32Array(0) }, [0, 1]);
    expect(Array.from(labels)).toEqual([0, 1, 0, 1]);
    expect(Array.from(weights)).toEqual([0.5, 0.5]);
    // Empty cluster → weight 0 (medoid 1 listed twice: the second copy never wins a tie).
    expect(Array.from(anchorWeights({ n: 4, rho, zeroVariance: new Int32Array(0) }, [0, 1, 1]).weights)).toEqual([
      0.5, 0.5, 0,
    ]);
  });

  it("is deterministic per trial stream; shuffled candidate order is an option", () => {
    const rng = RandomStream.derive("det");
    const rows = Array.from({ length: 10 }, () => Array.from({ length: 50 }, () => (rng.nextFloat() < 0.5 ? 1 : 0)));
    const src = matrix(rows);
    const run = (opts: Parameters<typeof anchorPoints>[0], trial: number) =>
      anchorPoints(opts).run({
        sources: src,
        oracles: [createOracle(rows[0] as number[], 5)],
        budget: 5,
        rng: RandomStream.derive("det", trial),
      }).diagnostics?.medoids;
    expect(run({}, 0)).toEqual(run({}, 0));
    expect(run({ candidateOrder: "shuffled" }, 0)).toEqual(run({ candidateOrder: "shuffled" }, 0));
    expect(() => anchorPoints({ algorithm: "x" as "pam" })).toThrow(/algorithm/);
  });

  it("the same estimates with no workspace, a reused one and a fresh one; the workspace keeps the correlations", () => {
    const rng = RandomStream.derive("ws");
    const rows = Array.from({ length: 12 }, () => Array.from({ length: 60 }, () => (rng.nextFloat() < 0.6 ? 1 : 0)));
    const src = matrix(rows.slice(0, 8));
    const run = (algorithm: "pam" | "fasterpam", trial: number, workspace?: Workspace) => {
      const ctx = {
        sources: src,
        oracles: rows.slice(8).map((r) => createOracle(r, 7)),
        budget: 7,
        rng: RandomStream.derive("ws", trial),
      };
      return Array.from(anchorPoints({ algorithm }).run(workspace ? { ...ctx, workspace } : ctx).estimates);
    };
    const shared = new Workspace();
    for (const algorithm of ["pam", "fasterpam"] as const) {
      for (let trial = 0; trial < 3; trial++) {
        const none = run(algorithm, trial);
        expect(run(algorithm, trial, shared)).toEqual(none);
        expect(run(algorithm, trial, new Workspace())).toEqual(none);
      }
    }
    // one correlation matrix (60 × 60, plus the distances) for the one sources matrix
    expect(shared.stats().bySlot["@tb/baselines anchor-points correlations"]).toEqual({
      entries: 1,
      bytes: 2 * 60 * 60 * 8,
    });
    shared.dispose();
    expect(shared.stats()).toMatchObject({ slots: 0, entries: 0, bytes: 0 });
    expect(() => run("pam", 0, shared)).toThrow(/disposed/);
  });
});
