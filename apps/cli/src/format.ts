import type { CellSummary, ReproduceReport } from "@tb/experiment";
import { resultRows } from "@tb/plot";
import { markdownTable } from "markdown-table";

/** The method × budget table printed by `tb reproduce` and `tb demo`: `@tb/plot`'s rows, as markdown. */
export function resultTable(report: ReproduceReport, byVariant = false): string {
  const rows = resultRows(report.results as (CellSummary & { variant?: string })[], byVariant);
  const head = rows[0] as string[];
  return markdownTable(rows, { align: ["l", ...head.slice(1).map(() => "r" as const)] });
}
