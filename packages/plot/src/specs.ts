import { checkOptionKeys, optionNames, TbError } from "@tb/core";
import type { CellSummary, ReproduceReport, TrialEstimates } from "@tb/experiment";
import type { TopLevelSpec } from "vega-lite";

/** Width and height of one panel, in CSS pixels. */
const PANEL = { width: 300, height: 220 };

/** Font and background shared by every plot (no web fonts: the report must render offline). */
const CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  background: "white",
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#eee" },
  legend: { labelFontSize: 12, titleFontSize: 12 },
} as const;

/** Methods in the order they first appear, so every plot of a report colours them alike. */
export function methodOrder(cells: readonly { method: string }[]): string[] {
  return [...new Set(cells.map((c) => c.method))];
}

/**
 * The built-in methods of `@tb/experiment` in its registry order: each keeps one colour in every
 * plot, whichever methods a run has and in whatever order they were chosen.
 */
export const KNOWN_METHODS: readonly string[] = Object.freeze([
  "tailored",
  "tailored-plus",
  "random",
  "anchor-points",
  "gp-irt",
  "random-learn",
  "random-search-learn",
  "aipw",
  "lasso",
  "pca",
  "double-optimize",
  "anchor-predictor",
]);

/** Vega's category10, then tableau20's light tones: 20 distinct colours. */
const PALETTE: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
  "#aec7e8",
  "#ffbb78",
  "#98df8a",
  "#ff9896",
  "#c5b0d5",
  "#c49c94",
  "#f7b6d2",
  "#c7c7c7",
  "#dbdb8d",
  "#9edae5",
];

/** Colour order of the built-ins: the three the demo runs first, as they were drawn before. */
const COLOUR_ORDER: readonly string[] = [
  "tailored-plus",
  "tailored",
  "random",
  ...KNOWN_METHODS.filter((m) => !["tailored-plus", "tailored", "random"].includes(m)),
];

/**
 * The colour of each method: a fixed one for a built-in method (so tailored-plus is the same blue
 * in every run), the remaining colours in order of appearance for other names.
 */
export function methodColors(methods: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set<number>();
  for (const m of methods) {
    const k = COLOUR_ORDER.indexOf(m);
    if (k >= 0) {
      out[m] = PALETTE[k] as string;
      used.add(k);
    }
  }
  let next = 0;
  for (const m of methods) {
    if (out[m] !== undefined) continue;
    while (used.has(next % PALETTE.length) && used.size < PALETTE.length) next++;
    out[m] = PALETTE[next % PALETTE.length] as string;
    used.add(next % PALETTE.length);
    next++;
  }
  return out;
}

/** A colour scale that gives each method its {@link methodColors} colour. */
function colorScale(methods: readonly string[]) {
  const c = methodColors(methods);
  return { domain: [...methods], range: methods.map((m) => c[m] as string) };
}

function nonEmpty(report: ReproduceReport): void {
  if (!Array.isArray(report.results) || report.results.length === 0) {
    throw new TbError("E_INPUT", "the reproduce report has no results to plot");
  }
}

function budgetsOf(cells: readonly CellSummary[]): number[] {
  return [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
}

/** Rows for a mean ± se band: one per cell and metric. */
interface BandRow {
  method: string;
  budget: number;
  metric: string;
  mean: number;
  se: number;
  /** What a point says on hover and to a screen reader: N, the metric's mean ± se, the method. */
  label: string;
  lo: number;
  hi: number;
}

function bandRows(cells: readonly CellSummary[], metrics: [keyof CellSummary, string][]): BandRow[] {
  const rows: BandRow[] = [];
  for (const c of cells) {
    for (const [key, label] of metrics) {
      const m = c[key] as { mean: number; se: number } | undefined;
      if (!m) continue;
      rows.push({
        method: c.method,
        budget: c.budget,
        metric: label,
        mean: m.mean,
        se: m.se,
        label: `inference count N: ${c.budget}; ${label}: ${m.mean.toFixed(3)} ± ${m.se.toFixed(3)}; method: ${c.method}`,
        lo: m.mean - m.se,
        hi: m.mean + m.se,
      });
    }
  }
  return rows;
}

/** A band (mean ± se), a line and points per method against N, for one metric. */
function bandLayer(
  title: string,
  yTitle: string,
  methods: readonly string[],
  zero: boolean,
  budgets: readonly number[],
  legendMethods: readonly string[] = methods,
) {
  const x = {
    field: "budget",
    type: "quantitative",
    title: "inference count N",
    scale: { zero: false },
    axis: { values: [...budgets], format: "d" },
  } as const;
  const color = {
    field: "method",
    type: "nominal",
    title: "method",
    scale: colorScale(methods),
    // full-colour circles in the legend, not the bands' pale squares
    legend: { values: [...legendMethods], symbolOpacity: 1, symbolType: "circle", symbolFillColor: null },
  } as const;
  const y = { field: "mean", type: "quantitative", title: yTitle, scale: { zero } } as const;
  return {
    title,
    width: PANEL.width,
    height: PANEL.height,
    layer: [
      {
        mark: { type: "area", opacity: 0.18 },
        encoding: { x, y: { field: "lo", type: "quantitative", title: yTitle }, y2: { field: "hi" }, color },
      },
      {
        mark: { type: "line", point: true, strokeWidth: 2 },
        // the points' labels (aria, and hover titles where a page adds them): rounded, with the se
        encoding: {
          x,
          y,
          color,
          tooltip: { field: "label", type: "nominal" } as const,
          description: { field: "label", type: "nominal" } as const,
        },
      },
    ],
  };
}

/**
 * Kendall τ-b and MAE against the inference count N, one line per method with a band of ± one
 * standard error over trials (two panels side by side).
 */
export function budgetCurvesSpec(report: ReproduceReport): TopLevelSpec {
  nonEmpty(report);
  const methods = methodOrder(report.results);
  const budgets = budgetsOf(report.results);
  const tau = bandRows(report.results, [["kendallTau", "Kendall τ-b"]]);
  const mae = bandRows(report.results, [["mae", "MAE"]]);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CONFIG,
    title: { text: `${report.data.name}: mean ± se over ${report.trials} trial(s)`, anchor: "start", fontSize: 13 },
    hconcat: [
      { data: { values: tau }, ...bandLayer("Kendall τ-b (higher is better)", "Kendall τ-b", methods, false, budgets) },
      { data: { values: mae }, ...bandLayer("MAE (lower is better)", "MAE", methods, true, budgets) },
    ],
  } as unknown as TopLevelSpec;
}

/**
 * Interval coverage against N per method (mean ± se over trials), with a dashed line at each
 * nominal level; `undefined` when no method gave intervals.
 */
export function coverageSpec(report: ReproduceReport): TopLevelSpec | undefined {
  nonEmpty(report);
  const cells = report.results.filter((c) => c.coverage !== undefined);
  if (cells.length === 0) return undefined;
  const methods = methodOrder(report.results);
  const rows = bandRows(cells, [["coverage", "coverage"]]).map((r, i) => ({
    ...r,
    level: (cells[i] as CellSummary).level as number,
  }));
  const levels = [...new Set(rows.map((r) => r.level))].map((level) => ({ level }));
  const band = bandLayer(
    "Interval coverage (dashed: nominal level)",
    "share of targets inside",
    methods,
    false,
    budgetsOf(cells),
    methodOrder(cells),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CONFIG,
    width: PANEL.width,
    height: PANEL.height,
    title: band.title,
    layer: [
      { data: { values: rows }, layer: band.layer },
      {
        data: { values: levels },
        mark: { type: "rule", strokeDash: [6, 4], color: "#555" },
        encoding: { y: { field: "level", type: "quantitative" } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Each target's estimate against its true score in one trial, one panel per method, with the
 * diagonal (a perfect estimate) and, where the method gives them, the targets' intervals.
 */
export function estimateScatterSpec(trials: readonly TrialEstimates[], dataName = ""): TopLevelSpec {
  if (trials.length === 0) throw new TbError("E_INPUT", "no trial estimates to plot");
  const methods = methodOrder(trials);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const tr of trials) {
    for (const t of tr.targets) {
      for (const v of [t.truth, t.estimate, t.lower, t.upper]) {
        if (v === undefined || !Number.isFinite(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!Number.isFinite(lo)) throw new TbError("E_INPUT", "the trial estimates hold no finite value to plot");
  const pad = Math.max((hi - lo) * 0.05, 0.01);
  // the same square domain on both axes, rounded out to multiples of 0.05, so the diagonal is y = x
  const step = 0.05;
  const domain = [
    Math.max(0, Math.floor((lo - pad) / step + 1e-9) * step),
    Math.min(1, Math.ceil((hi + pad) / step - 1e-9) * step),
  ];
  const x = { field: "truth", type: "quantitative", title: "true score", scale: { domain, nice: false } } as const;
  const panels = trials.map((tr) => {
    const rows = tr.targets.map((t) => ({ method: tr.method, ...t }));
    const intervals = tr.targets.some((t) => t.lower !== undefined);
    const layer: unknown[] = [
      {
        data: { values: domain.map((v) => ({ v })) },
        mark: { type: "line", color: "#999", strokeDash: [4, 3] },
        encoding: {
          x: { field: "v", type: "quantitative", scale: { domain, nice: false } },
          y: { field: "v", type: "quantitative", scale: { domain, nice: false } },
        },
      },
    ];
    if (intervals) {
      layer.push({
        data: { values: rows },
        mark: { type: "rule", opacity: 0.35 },
        encoding: {
          x,
          y: { field: "lower", type: "quantitative", scale: { domain, nice: false } },
          y2: { field: "upper" },
          color: { field: "method", type: "nominal", scale: colorScale(methods), legend: null },
        },
      });
    }
    layer.push({
      data: { values: rows },
      mark: { type: "point", filled: true, size: 36 },
      encoding: {
        x,
        y: { field: "estimate", type: "quantitative", title: "estimate", scale: { domain, nice: false } },
        color: { field: "method", type: "nominal", scale: colorScale(methods), legend: null },
        tooltip: [{ field: "model" }, { field: "truth", format: ".3f" }, { field: "estimate", format: ".3f" }],
      },
    });
    const lvl = tr.level !== undefined && intervals ? `, ${Math.round(tr.level * 100)} % intervals` : "";
    return {
      title: `${tr.method}, N = ${tr.budget} (trial ${tr.trial}${lvl})`,
      width: 230,
      height: 230,
      layer,
    };
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CONFIG,
    title: {
      text: `Estimate vs true score per target${dataName ? ` — ${dataName}` : ""} (dashed: estimate = truth)`,
      anchor: "start",
      fontSize: 13,
    },
    hconcat: panels,
  } as TopLevelSpec;
}

/** One panel of {@link budgetGridSpec}: a title (e.g. the data set) and its cells. */
export interface GridPanel {
  title: string;
  cells: readonly CellSummary[];
}

/** Options of {@link budgetGridSpec}. */
export interface GridOptions {
  /** Metric plotted; default MAE. */
  metric?: "mae" | "kendallTau";
  /** Panels per row; default 2. */
  columns?: number;
  /** Method order (and so colours) across panels; default: order of first appearance. */
  methods?: readonly string[];
  /**
   * MAE only: cap each panel's axis at this multiple of its best (lowest) cell, so one collapsed
   * method does not flatten the others (points above are drawn at the cap); default none.
   */
  capAtBest?: number;
  /** Method drawn with a thicker line. */
  highlight?: string;
  title?: string;
}

const GRID_OPTIONS = optionNames<GridOptions>()("metric", "columns", "methods", "capAtBest", "highlight", "title");

/**
 * One metric against N for several data sets (one panel each, ± se bands, one line per method),
 * e.g. every matrix of a setting. An option name it does not have is refused
 * (`budgetGridSpec: unknown option "<name>"`).
 */
export function budgetGridSpec(panels: readonly GridPanel[], options: GridOptions = {}): TopLevelSpec {
  checkOptionKeys(options, GRID_OPTIONS, "budgetGridSpec");
  if (panels.length === 0 || panels.every((p) => p.cells.length === 0)) {
    throw new TbError("E_INPUT", "no panels with results to plot");
  }
  const metric = options.metric ?? "mae";
  const label = metric === "mae" ? "MAE" : "Kendall τ-b";
  const all = panels.flatMap((p) => p.cells);
  const methods = options.methods ? [...options.methods] : methodOrder(all);
  const cap = options.capAtBest;
  if (cap !== undefined && !(cap > 1)) throw new TbError("E_USAGE", `capAtBest must be > 1, got ${cap}`);
  const specs = panels.map((p) => {
    const rows = bandRows(p.cells, [[metric, label]]);
    const budgets = budgetsOf(p.cells);
    const band = bandLayer(p.title, label, methods, metric === "mae", budgets);
    const layer = band.layer.map((l) => structuredClone(l)) as {
      mark: Record<string, unknown>;
      encoding: Record<string, Record<string, unknown>>;
    }[];
    if (cap !== undefined && metric === "mae" && rows.length > 0) {
      const best = Math.min(...rows.map((r) => r.mean));
      const lo = Math.max(0, Math.min(...rows.map((r) => r.lo)));
      const hi = Math.min(Math.max(...rows.map((r) => r.hi)), cap * best);
      for (const l of layer) {
        (l.encoding.y as Record<string, unknown>).scale = { domain: [lo, hi], clamp: true, zero: false };
      }
    }
    if (options.highlight !== undefined) {
      const line = layer[1] as { encoding: Record<string, unknown> };
      line.encoding.strokeWidth = {
        condition: { test: `datum.method === ${JSON.stringify(options.highlight)}`, value: 3.5 },
        value: 1.5,
      };
    }
    return { data: { values: rows }, title: p.title, width: 260, height: 190, layer };
  });
  const spec: Record<string, unknown> = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CONFIG,
    columns: options.columns ?? 2,
    concat: specs,
  };
  if (options.title) spec.title = { text: options.title, anchor: "start", fontSize: 13 };
  return spec as unknown as TopLevelSpec;
}
