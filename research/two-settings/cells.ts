/**
 * What settings-table.ts and large-table.ts share: the cells of `tb reproduce`'s JSON, the
 * matrices, settings and method order of the tables, and the JSON files grouped by matrix and
 * setting (`<matrix>-<setting>[-<tag>].json`, in name order).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface MeanSe {
  mean: number;
  se: number;
}
export interface Cell {
  method: string;
  budget: number;
  trials: number;
  kendallTau: MeanSe;
  mae: MeanSe;
  maxQueried: number;
  seconds: number;
  pairOrder?: { gap: number; share: MeanSe };
  coverage?: MeanSe;
  intervalWidth?: MeanSe;
  level?: number;
}
export interface Report {
  data: { name: string; sources: number; targets: number; split: string; examples: number };
  results: Cell[];
  wallSeconds?: number;
}

export const MATRICES = ["gsm8k", "helm_lite_mmlu", "glue_rte", "openllm_v2_musr"];
export const SETTINGS = ["interpolation", "extrapolation"];
export const ORDER = [
  "tailored-plus",
  "tailored",
  "random",
  "random-learn",
  "random-search-learn",
  "aipw",
  "lasso",
  "pca",
  "double-optimize",
  "anchor-points",
  "anchor-predictor",
  "gp-irt",
];

/** Methods in table order (ORDER, then any other by name). */
export const byOrder = (a: string, b: string) =>
  (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b);

export const f4 = (x: MeanSe) => `${x.mean.toFixed(4)} ± ${x.se.toFixed(4)}`;
export const f3 = (x: MeanSe) => `${x.mean.toFixed(3)} ± ${x.se.toFixed(3)}`;

/** Whether a file name carries a tag (`<matrix>-<setting>-<tag>.json`). */
const tagged = (f: string): boolean => SETTINGS.some((s) => f.includes(`-${s}-`));

/**
 * The reports of `dir`, grouped by `<matrix>|<setting>`: the untagged file first, then the tagged
 * ones in name order (a later file's cells of a method replace an earlier one's in the tables).
 */
export function readGroups(dir: string): Map<string, { reports: Report[]; files: string[] }> {
  const groups = new Map<string, { reports: Report[]; files: string[] }>();
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".json"))
    .sort((a, b) => Number(tagged(a)) - Number(tagged(b)) || (a < b ? -1 : a > b ? 1 : 0))) {
    const m = MATRICES.find((x) => f.startsWith(`${x}-`));
    const s = SETTINGS.find((x) => f.includes(`-${x}`));
    if (!m || !s) continue;
    const g = groups.get(`${m}|${s}`) ?? { reports: [], files: [] };
    g.reports.push(JSON.parse(readFileSync(join(dir, f), "utf8")) as Report);
    g.files.push(f);
    groups.set(`${m}|${s}`, g);
  }
  return groups;
}

/** A group's cells by method: a later report's cells of a method replace an earlier report's. */
export function cellsByMethod(reports: readonly Report[]): Map<string, Cell[]> {
  const byMethod = new Map<string, Cell[]>();
  for (const r of reports) {
    const mine = new Map<string, Cell[]>();
    for (const c of r.results) mine.set(c.method, [...(mine.get(c.method) ?? []), c]);
    for (const [m, cs] of mine) byMethod.set(m, cs);
  }
  return byMethod;
}

/** The lowest MAE of each budget's column among `cells`. */
export function bestMae(cells: readonly Cell[], budgets: readonly number[]): Map<number, number> {
  const best = new Map<number, number>();
  for (const b of budgets) best.set(b, Math.min(...cells.filter((c) => c.budget === b).map((c) => c.mae.mean)));
  return best;
}

/** One method's MAE columns (the lowest of a column, per `best`, in bold) and τ-b columns; "" where it has no cell. */
export function maeTauColumns(
  row: readonly Cell[],
  budgets: readonly number[],
  best: ReadonlyMap<number, number>,
): { mae: string[]; tau: string[] } {
  const at = (b: number) => row.find((c) => c.budget === b);
  return {
    mae: budgets.map((b) => {
      const c = at(b);
      if (!c) return "";
      return c.mae.mean === best.get(b) ? `**${f4(c.mae)}**` : f4(c.mae);
    }),
    tau: budgets.map((b) => {
      const c = at(b);
      return c ? f3(c.kendallTau) : "";
    }),
  };
}
