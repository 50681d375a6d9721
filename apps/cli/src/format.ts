import type { CellSummary, ReproduceReport } from "@tb/experiment";
import { markdownTable } from "markdown-table";

const fmt = (m: { mean: number; se: number }, digits: number): string =>
  `${m.mean.toFixed(digits)} ± ${m.se.toFixed(digits)}`;

/** The method × budget table printed by `tb reproduce` and `tb demo`. */
export function resultTable(report: ReproduceReport, byVariant = false): string {
  const withIntervals = report.results.some((c) => c.coverage !== undefined);
  const head = [
    byVariant ? "variant" : "method",
    "N",
    "trials",
    "Kendall τ-b",
    "MAE",
    "Pearson",
    "Spearman",
    "max queried",
    "n̄",
  ];
  if (withIntervals) head.push("coverage", "width");
  const withPrecision = report.results.some((c) => c.asked !== undefined);
  if (withPrecision) head.push("asked", "reached");
  // paired mode (docs/DESIGN.md §3.3): pair order on the trial's pairs, and the paired designs' difference intervals
  const paired = report.results.some((c) => c.design === "paired");
  const withDiff = report.results.some((c) => c.differenceCoverage !== undefined);
  if (paired) head.push("pair order");
  if (withDiff) head.push("diff. coverage", "diff. width");
  const rows: string[][] = [head];
  for (const c of report.results as (CellSummary & { variant?: string })[]) {
    const tail =
      withIntervals && c.coverage && c.intervalWidth
        ? [`${fmt(c.coverage, 3)} (${Math.round((c.level ?? 0) * 100)} %)`, c.intervalWidth.mean.toFixed(3)]
        : withIntervals
          ? ["", ""]
          : [];
    if (withPrecision) {
      tail.push(
        c.asked ? fmt(c.asked, 1) : "",
        c.reachedPrecision ? `${fmt(c.reachedPrecision, 3)} (±${c.precision ?? ""})` : "",
      );
    }
    rows.push([
      byVariant ? (c.variant ?? c.method) : c.method,
      String(c.budget),
      String(c.trials),
      fmt(c.kendallTau, 3),
      fmt(c.mae, 4),
      fmt(c.pearson, 3),
      fmt(c.spearman, 3),
      String(c.maxQueried),
      c.nBar ? c.nBar.mean.toFixed(1) : "",
      ...tail,
      ...(paired ? [c.pairOrder?.share ? fmt(c.pairOrder.share, 3) : ""] : []),
      ...(withDiff
        ? c.differenceCoverage && c.differenceWidth
          ? [
              `${fmt(c.differenceCoverage, 3)} (${Math.round((c.level ?? 0) * 100)} %)`,
              c.differenceWidth.mean.toFixed(3),
            ]
          : ["", ""]
        : []),
    ]);
  }
  return markdownTable(rows, { align: ["l", ...head.slice(1).map(() => "r" as const)] });
}
