import { readFileSync } from "node:fs";

/** One correlation case of `scipy_reference.json` (null in the JSON = NaN here). */
export interface CorrelationCase {
  name: string;
  x: number[];
  y: number[];
  kendallTauB: number;
  pearson: number;
  spearman: number;
  mae: number;
  mse: number;
}

/** The SciPy/NumPy reference values written by `make_fixtures.py`. */
export interface ScipyReference {
  scipy: string;
  correlation: CorrelationCase[];
  meanSe: { name: string; values: number[]; mean: number; se: number }[];
  zTest: { name: string; a: number[]; b: number[]; z: number; p: number }[];
  normalSf: { z: number; sf: number }[];
}

/** Load the fixture, mapping JSON null (SciPy's NaN) back to NaN. */
export function loadScipyReference(): ScipyReference {
  const text = readFileSync(new URL("./scipy_reference.json", import.meta.url), "utf8");
  return JSON.parse(text, (_key, value: unknown) => (value === null ? Number.NaN : value)) as ScipyReference;
}

/** `|actual − expected| ≤ tol·max(1, |expected|)`, with NaN matching only NaN. */
export function close(actual: number, expected: number, tol = 1e-12): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}
