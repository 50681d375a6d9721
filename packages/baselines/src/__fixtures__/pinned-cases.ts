/**
 * The cases of `pinned_one_round.json`: every baseline (and the option variants that change its
 * code path) on three small seeded populations, a few budgets and two trials. Shared by the
 * generator (`make-pinned.ts`, run once before the one-round refactor) and `pinned.test.ts`, which
 * checks that the numbers stay bit for bit what they were.
 *
 * Pinned numbers before a refactor are the one allowed case of asserting on the code's own output:
 * they prove the refactor changed nothing, not that the numbers are right (the other test files
 * do that against independent references).
 */
import { CorrectnessMatrix, createOracle, type EvaluationMethod, type Oracle, RandomStream, Workspace } from "@tb/core";
import { aipw } from "../aipw.js";
import { anchorPoints } from "../anchor-points.js";
import { anchorPredictor } from "../anchor-predictor.js";
import { doubleOptimize } from "../double-optimize.js";
import { gpIrt } from "../gp-irt.js";
import { lasso } from "../lasso.js";
import { pcaImpute } from "../pca.js";
import { randomBaseline } from "../random.js";
import { randomLearn } from "../random-learn.js";
import { randomSearchLearn } from "../random-search-learn.js";

/** A population: sources and target rows (never shown to a method but through oracles). */
export interface Population {
  name: string;
  sources: CorrectnessMatrix;
  targets: Float64Array[];
  budgets: number[];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** 2PL-like rows: `p = σ(a_j (θ_i − b_j))`, then 0/1 draws, or graded in steps of 1/4. */
function logisticRows(seed: string, rows: number, n: number, graded: boolean, shift = 0): Float64Array[] {
  const rng = RandomStream.derive("pinned", seed);
  const items = rng.child("items");
  const a = Float64Array.from({ length: n }, () => 0.5 + items.nextFloat() * 1.5);
  const b = Float64Array.from({ length: n }, () => items.nextNormal());
  const people = rng.child("abilities");
  const draws = rng.child("draws");
  return Array.from({ length: rows }, (_, i) => {
    const theta = people.nextNormal() + (i === rows - 1 ? shift : 0);
    return Float64Array.from({ length: n }, (_, j) => {
      const p = sigmoid((a[j] as number) * (theta - (b[j] as number)));
      if (!graded) return draws.nextFloat() < p ? 1 : 0;
      return Math.min(4, Math.max(0, Math.round(4 * p + (draws.nextFloat() - 0.5)))) / 4;
    });
  });
}

/** Rows with exactly half of the examples right each (every source has the same accuracy). */
function flatRows(seed: string, rows: number, n: number): Float64Array[] {
  const rng = RandomStream.derive("pinned", seed);
  return Array.from({ length: rows }, (_, i) => {
    const ones = rng.child("row", i).sample(Int32Array.from({ length: n }, (_, j) => j), n / 2);
    const row = new Float64Array(n);
    for (const j of ones) row[j] = 1;
    return row;
  });
}

function population(name: string, rows: Float64Array[], sources: number, budgets: number[]): Population {
  return { name, sources: CorrectnessMatrix.from(rows.slice(0, sources)), targets: rows.slice(sources), budgets };
}

/** The three populations: 0/1 (24 sources, 4 targets incl. a strong one), graded, and flat (with the out-of-range budgets 0 and n + 1, whose errors are pinned too). */
export function populations(): Population[] {
  return [
    population("binary", logisticRows("binary", 28, 50, false, 2.5), 24, [4, 12]),
    population("graded", logisticRows("graded", 13, 30, true, -2), 10, [3, 9]),
    population("flat", flatRows("flat", 8, 16), 6, [0, 4, 16, 17]),
  ];
}

/** Every method variant pinned, by label. Small fits (epochs, search) keep the test quick. */
export function methods(): { label: string; method: EvaluationMethod }[] {
  const gp = { dims: [1, 2], epochs: 150 } as const;
  return [
    { label: "random", method: randomBaseline() },
    { label: "random perTarget", method: randomBaseline({ mode: "perTarget" }) },
    { label: "anchor-points", method: anchorPoints() },
    { label: "anchor-points pam", method: anchorPoints({ algorithm: "pam" }) },
    { label: "anchor-points shuffled", method: anchorPoints({ candidateOrder: "shuffled", maxPasses: 3 }) },
    { label: "gp-irt", method: gpIrt(gp) },
    { label: "gp-irt random anchors", method: gpIrt({ ...gp, anchorSpace: "random" }) },
    {
      label: "gp-irt correctness p-irt plain",
      method: gpIrt({ ...gp, anchorSpace: "correctness", estimator: "p-irt", dataPart: "plain", abilityPrior: 2 }),
    },
    { label: "gp-irt naive", method: gpIrt({ ...gp, estimator: "naive" }) },
    { label: "random-learn", method: randomLearn() },
    { label: "random-search-learn", method: randomSearchLearn({ search: 200 }) },
    { label: "aipw", method: aipw() },
    { label: "aipw unclipped", method: aipw({ clip: false, alpha: 1 }) },
    { label: "lasso", method: lasso() },
    { label: "pca", method: pcaImpute() },
    { label: "double-optimize", method: doubleOptimize({ steps: 150 }) },
    { label: "anchor-predictor", method: anchorPredictor() },
  ];
}

/** A number as JSON can hold it exactly (NaN, ±Infinity and −0 as strings). */
export function exact(v: number): number | string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return v;
}

function exactValue(v: unknown): unknown {
  if (typeof v === "number") return exact(v);
  if (Array.isArray(v)) return v.map(exactValue);
  return v;
}

/** One pinned run: what a method returned, and which examples each target was asked. */
export interface PinnedRun {
  population: string;
  method: string;
  budget: number;
  trial: number;
  estimates?: (number | string)[];
  intervals?: { lower: (number | string)[]; upper: (number | string)[]; level: number };
  diagnostics?: Record<string, unknown>;
  /** Per target: the distinct examples asked, in increasing order. */
  asked?: number[][];
  /** When the method throws: its code and message. */
  error?: string;
}

/** An oracle that also records the distinct examples asked (the budgeted oracle does the rest). */
function recording(row: Float64Array, budget: number, id: string): { oracle: Oracle; asked: Set<number> } {
  const inner = createOracle(row, budget, id);
  const asked = new Set<number>();
  const oracle: Oracle = {
    id,
    budget,
    examples: inner.examples,
    get queried() {
      return inner.queried;
    },
    query(i) {
      const v = inner.query(i);
      asked.add(i);
      return v;
    },
    queryMany(indices) {
      const v = inner.queryMany(indices);
      for (let k = 0; k < indices.length; k++) asked.add(indices[k] as number);
      return v;
    },
  };
  return { oracle, asked };
}

/** Run one case as `reproduce` would: the trial's stream, one workspace per population. */
export function runCase(
  pop: Population,
  label: string,
  method: EvaluationMethod,
  budget: number,
  trial: number,
  workspace: Workspace,
): PinnedRun {
  const out: PinnedRun = { population: pop.name, method: label, budget, trial };
  const rec = pop.targets.map((row, t) => recording(row, budget, `t${t}`));
  try {
    const res = method.run({
      sources: pop.sources,
      oracles: rec.map((r) => r.oracle),
      budget,
      rng: RandomStream.derive("pinned", label, budget, trial),
      workspace,
    });
    out.estimates = Array.from(res.estimates, exact);
    if (res.intervals) {
      out.intervals = {
        lower: Array.from(res.intervals.lower, exact),
        upper: Array.from(res.intervals.upper, exact),
        level: res.intervals.level,
      };
    }
    if (res.diagnostics) {
      out.diagnostics = Object.fromEntries(Object.entries(res.diagnostics).map(([k, v]) => [k, exactValue(v)]));
    }
    out.asked = rec.map((r) => [...r.asked].sort((x, y) => x - y));
  } catch (e) {
    const err = e as { code?: string; message?: string };
    out.error = `${err.code ?? "?"}: ${err.message ?? String(e)}`;
  }
  return out;
}

/** Every pinned run, in a fixed order. */
export function allRuns(): PinnedRun[] {
  const out: PinnedRun[] = [];
  for (const pop of populations()) {
    const workspace = new Workspace();
    for (const { label, method } of methods()) {
      for (const budget of pop.budgets) {
        for (const trial of [0, 1]) out.push(runCase(pop, label, method, budget, trial, workspace));
      }
    }
  }
  return out;
}
