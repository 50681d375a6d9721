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
  const rows: string[][] = [head];
  for (const c of report.results as (CellSummary & { variant?: string })[]) {
    const tail =
      withIntervals && c.coverage && c.intervalWidth
        ? [`${fmt(c.coverage, 3)} (${Math.round((c.level ?? 0) * 100)} %)`, c.intervalWidth.mean.toFixed(3)]
        : withIntervals
          ? ["", ""]
          : [];
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
    ]);
  }
  return markdownTable(rows, { align: ["l", ...head.slice(1).map(() => "r" as const)] });
}

/** A minimal SVG line chart of Kendall τ-b (left) and MAE (right) against the budget, per method. */
export function resultPlot(report: ReproduceReport): string {
  const methods = [...new Set(report.results.map((c) => c.method))];
  const budgets = [...new Set(report.results.map((c) => c.budget))].sort((a, b) => a - b);
  const colors = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#000000",
    "#aec7e8",
  ];
  const W = 360;
  const H = 260;
  const pad = 48;
  const panel = (metric: "kendallTau" | "mae", x0: number, title: string): string => {
    const vals = report.results.flatMap((c) => [c[metric].mean - c[metric].se, c[metric].mean + c[metric].se]);
    let lo = Math.min(...vals);
    let hi = Math.max(...vals);
    if (hi - lo < 1e-9) {
      lo -= 0.01;
      hi += 0.01;
    }
    const bx = (b: number) =>
      x0 +
      pad +
      (budgets.length === 1
        ? (W - 2 * pad) / 2
        : ((b - budgets[0]!) / (budgets.at(-1)! - budgets[0]!)) * (W - 2 * pad));
    const by = (v: number) => H - pad - ((v - lo) / (hi - lo)) * (H - 2 * pad);
    let s = `<text x="${x0 + W / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`;
    s += `<line x1="${x0 + pad}" y1="${H - pad}" x2="${x0 + W - pad}" y2="${H - pad}" stroke="#333"/>`;
    s += `<line x1="${x0 + pad}" y1="${pad}" x2="${x0 + pad}" y2="${H - pad}" stroke="#333"/>`;
    for (const b of budgets)
      s += `<text x="${bx(b)}" y="${H - pad + 16}" text-anchor="middle" font-size="11">${b}</text>`;
    for (const v of [lo, (lo + hi) / 2, hi]) {
      s += `<text x="${x0 + pad - 4}" y="${by(v) + 4}" text-anchor="end" font-size="10">${v.toFixed(3)}</text>`;
    }
    s += `<text x="${x0 + W / 2}" y="${H - 8}" text-anchor="middle" font-size="11">inference count N</text>`;
    methods.forEach((m, k) => {
      const cells = report.results.filter((c) => c.method === m).sort((a, b) => a.budget - b.budget);
      const col = colors[k % colors.length];
      s += `<polyline fill="none" stroke="${col}" stroke-width="2" points="${cells.map((c) => `${bx(c.budget)},${by(c[metric].mean)}`).join(" ")}"/>`;
      for (const c of cells) {
        s += `<line x1="${bx(c.budget)}" x2="${bx(c.budget)}" y1="${by(c[metric].mean - c[metric].se)}" y2="${by(c[metric].mean + c[metric].se)}" stroke="${col}"/>`;
        s += `<circle cx="${bx(c.budget)}" cy="${by(c[metric].mean)}" r="3" fill="${col}"/>`;
      }
    });
    return s;
  };
  const legend = methods
    .map(
      (m, k) =>
        `<text x="${2 * W + 10}" y="${60 + 18 * k}" font-size="12" fill="${colors[k % colors.length]}">${m}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W + 120}" height="${H}" font-family="sans-serif">
<title>Kendall τ-b and MAE against the inference count N (${report.data.name})</title>
<rect width="100%" height="100%" fill="white"/>${panel("kendallTau", 0, `Kendall τ-b (${report.data.name})`)}${panel("mae", W, "MAE")}${legend}
</svg>
`;
}
