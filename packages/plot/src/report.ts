import { checkOptionKeys, optionNames } from "@tb/core";
import type { CellSummary, ReproduceReport, TrialEstimates } from "@tb/experiment";
import { renderSvg } from "./render.js";
import { budgetCurvesSpec, coverageSpec, estimateScatterSpec } from "./specs.js";

/** The SVG plots of a reproduce report (see {@link budgetCurvesSpec} and its siblings). */
export interface ReportPlots {
  /** τ-b and MAE against N, ± se bands, per method. */
  curves: string;
  /** Interval coverage against N per method, when any method gave intervals. */
  coverage?: string;
  /** Estimate vs truth per target, one trial per method, when trial estimates were given. */
  scatter?: string;
}

/** Render every plot that the report (and the optional per-target trial estimates) allows. */
export async function reportPlots(
  report: ReproduceReport,
  trials: readonly TrialEstimates[] = [],
): Promise<ReportPlots> {
  const out: ReportPlots = { curves: await renderSvg(budgetCurvesSpec(report)) };
  const cov = coverageSpec(report);
  if (cov) out.coverage = await renderSvg(cov);
  if (trials.length > 0) out.scatter = await renderSvg(estimateScatterSpec(trials, report.data.name));
  return out;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pm = (m: { mean: number; se: number }, digits: number): string =>
  `${m.mean.toFixed(digits)} ± ${m.se.toFixed(digits)}`;

/**
 * The method × budget results as rows of cells (header first), as `tb reproduce` prints them (its
 * terminal table and the HTML report are both made from these rows): intervals' coverage and width
 * when a method gave intervals; asked and reached in a precision run; pair order, and the paired
 * designs' difference coverage and width, in a paired run. `byVariant`: the first column is a
 * cell's `variant` (`tb ablate`).
 */
export function resultRows(cells: readonly (CellSummary & { variant?: string })[], byVariant = false): string[][] {
  const withIntervals = cells.some((c) => c.coverage !== undefined);
  const withPrecision = cells.some((c) => c.asked !== undefined);
  const paired = cells.some((c) => c.design === "paired");
  const withDiff = cells.some((c) => c.differenceCoverage !== undefined);
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
  if (withPrecision) head.push("asked", "reached");
  if (paired) head.push("pair order");
  if (withDiff) head.push("diff. coverage", "diff. width");
  const rows = [head];
  for (const c of cells) {
    const row = [
      byVariant ? (c.variant ?? c.method) : c.method,
      String(c.budget),
      String(c.trials),
      pm(c.kendallTau, 3),
      pm(c.mae, 4),
      pm(c.pearson, 3),
      pm(c.spearman, 3),
      String(c.maxQueried),
      c.nBar ? c.nBar.mean.toFixed(1) : "",
    ];
    if (withIntervals) {
      const ok = c.coverage !== undefined && c.intervalWidth !== undefined;
      row.push(
        ok ? `${pm(c.coverage as { mean: number; se: number }, 3)} (${Math.round((c.level ?? 0) * 100)} %)` : "",
        ok ? (c.intervalWidth as { mean: number }).mean.toFixed(3) : "",
      );
    }
    if (withPrecision) {
      row.push(
        c.asked ? pm(c.asked, 1) : "",
        c.reachedPrecision ? `${pm(c.reachedPrecision, 3)} (±${c.precision ?? ""})` : "",
      );
    }
    if (paired) row.push(c.pairOrder?.share ? pm(c.pairOrder.share, 3) : "");
    if (withDiff) {
      const ok = c.differenceCoverage !== undefined && c.differenceWidth !== undefined;
      row.push(
        ok
          ? `${pm(c.differenceCoverage as { mean: number; se: number }, 3)} (${Math.round((c.level ?? 0) * 100)} %)`
          : "",
        ok ? (c.differenceWidth as { mean: number }).mean.toFixed(3) : "",
      );
    }
    rows.push(row);
  }
  return rows;
}

/** An HTML table from rows (header first); with `numeric`, every column but the first is right-aligned. */
export function htmlTable(rows: readonly string[][], numeric = true): string {
  const [head, ...body] = rows;
  const th = (head ?? []).map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const tr = body
    .map(
      (r) =>
        `<tr>${r.map((v, i) => `<td${numeric && i > 0 ? ' class="num"' : ""}>${escapeHtml(v)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${tr}\n</tbody>\n</table>`;
}

/**
 * Where a report comes from, for a reader who must redo or trust it: the tool and its version
 * (and commit, when built from a repository), when it ran, the matrix (name and sha256 of its
 * file) and every method option with its value, defaults filled in.
 */
export interface ReportProvenance {
  /** What made the report, e.g. "tb reproduce" or "TailoredBench web app". */
  tool: string;
  /** Package version of the tool. */
  version?: string;
  /** Git commit the tool was built from (when built from a repository). */
  commit?: string;
  /** When the run finished (ISO 8601). */
  date: string;
  /** The matrix: its display name, the file it came from and that file's sha256 (hex). */
  data: { name: string; file?: string; sha256?: string };
  /** Every option of the methods with its value, defaults filled in. */
  options: Record<string, string | number | boolean>;
}

/** One sentence saying how the split chose the source and target models of the report. */
export function splitSentence(report: ReproduceReport): string {
  const d = report.data;
  const share = (f: number | undefined) => (f === undefined ? "" : ` (${Math.round(f * 100)} %)`);
  switch (d.split) {
    case "random":
    case "interpolation":
      return `In each trial ${d.targets} of the ${d.models} models${share(d.targetFraction)} are drawn at random (from the seed and the trial number) as targets, whose scores the methods estimate from the examples they choose; the other ${d.sources} are sources, whose full rows the methods see.`;
    case "extrapolation":
      return `One split by accuracy in every trial: the ${d.sources} weakest models${share(d.sourceFraction)} are sources, the ${d.targets} strongest${share(d.targetFraction)} are targets, so every target is stronger than every source (a new model better than the leaderboard).`;
    case "meta":
      return `The fixed split stored with the data (meta.json): the same ${d.sources} sources and ${d.targets} targets in every trial.`;
    default:
      return `Split ${String(d.split)}: ${d.sources} sources and ${d.targets} targets.`;
  }
}

/** The provenance as label/value pairs (header first). */
export function provenanceRows(p: ReportProvenance): string[][] {
  const rows: string[][] = [["provenance", "value"]];
  rows.push(["tool", `${p.tool}${p.version ? ` ${p.version}` : ""}`]);
  if (p.commit) rows.push(["commit", p.commit]);
  rows.push(["date", p.date]);
  rows.push(["data", p.data.name]);
  if (p.data.file) rows.push(["data file", p.data.file]);
  if (p.data.sha256) rows.push(["data sha256", p.data.sha256]);
  return rows;
}

function optionList(options: Record<string, unknown>): string {
  return Object.entries(options)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
}

/**
 * The run's settings as label/value pairs (data, split, trials, seed, G-set, method options). With
 * `options` (every option with its value, e.g. a provenance's), the method options list them
 * instead of the report's explicit ones alone.
 */
export function settingsRows(
  report: ReproduceReport & { wallSeconds?: number },
  options?: Record<string, string | number | boolean>,
): string[][] {
  const d = report.data;
  const rows: string[][] = [
    ["setting", "value"],
    ["data", d.name],
    ["models × examples", `${d.models} × ${d.examples}`],
    ["split", `${d.split}: ${splitSentence(report)}`],
    ["sources / targets", `${d.sources} / ${d.targets}`],
  ];
  if (d.targetFraction !== undefined) rows.push(["target fraction", String(d.targetFraction)]);
  if (d.sourceFraction !== undefined) rows.push(["source fraction", String(d.sourceFraction)]);
  rows.push(
    ["methods", methodList(report.results)],
    ["budgets N", [...new Set(report.results.map((c) => c.budget))].join(", ")],
    ["trials", String(report.trials)],
    ["seed", String(report.seed)],
    ["G-set size", String(report.gset)],
  );
  const stop = report.results.find((c) => c.precision !== undefined);
  if (stop !== undefined) {
    rows.push([
      "precision on demand",
      `rounds until the interval's half-width is at most ${stop.precision}, at most ${stop.maxBudget ?? "?"} examples a target`,
    ]);
  }
  if (report.results.some((c) => c.design === "paired")) {
    rows.push([
      "paired mode",
      "the trial's targets compared in seeded pairs: every metric over the targets in pairs, pair order on the pairs",
    ]);
  }
  const given: Record<string, unknown> = { ...(report.config ?? {}) };
  if (options !== undefined) rows.push(["method options", optionList({ ...options, ...given })]);
  else {
    rows.push([
      "method options",
      Object.keys(given).length === 0 ? "the methods' defaults" : `${optionList(given)}; the rest the defaults`,
    ]);
  }
  if (report.wallSeconds !== undefined) rows.push(["wall time", `${report.wallSeconds.toFixed(1)} s`]);
  rows.push(["schema", `reproduce specVersion ${report.specVersion}`]);
  return rows;
}

function methodList(cells: readonly CellSummary[]): string {
  return [...new Set(cells.map((c) => c.method))].join(", ");
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0;overflow-x:auto}figcaption{font-size:.85rem;color:#555;max-width:60rem}
pre{background:#f7f7f7;padding:.75rem;overflow:auto;font-size:.8rem;max-height:30rem}
.muted{color:#666;font-size:.9rem}
`;

/** Options of {@link htmlReport}. */
export interface HtmlReportOptions {
  /** Page title; default "TailoredBench reproduce report — <data name>". */
  title?: string;
  /** Per-target estimates of one trial per method, for the estimate-vs-truth plot. */
  trials?: readonly TrialEstimates[];
  /** The command line that produced the report, shown verbatim. */
  command?: string;
  /** When the report was made (ISO text); omitted by default so equal runs give equal files. */
  generatedAt?: string;
  /**
   * Where the report comes from (tool, version, commit, date, matrix sha256, every option): a
   * "Provenance" table, the options in the settings, and `provenance` in the embedded JSON.
   */
  provenance?: ReportProvenance;
}

const HTML_REPORT_OPTIONS = optionNames<HtmlReportOptions>()("title", "trials", "command", "generatedAt", "provenance");

/**
 * A self-contained HTML report of a reproduce run: its settings, the results table, the plots as
 * inline SVG, and the reproduce JSON itself. Inline CSS, no script, no external URL (the page
 * renders with no network). An option name it does not have is refused
 * (`htmlReport: unknown option "<name>"`).
 */
export async function htmlReport(
  report: ReproduceReport & { wallSeconds?: number },
  options: HtmlReportOptions = {},
): Promise<string> {
  checkOptionKeys(options, HTML_REPORT_OPTIONS, "htmlReport");
  const plots = await reportPlots(report, options.trials ?? []);
  const title = options.title ?? `TailoredBench reproduce report — ${report.data.name}`;
  const parts: string[] = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">Methods ${escapeHtml(methodList(report.results))}; ${report.trials} seeded trial(s) per method and budget; every figure is mean ± standard error over trials.</p>`,
  ];
  if (options.command) parts.push(`<p class="muted">Command: <code>${escapeHtml(options.command)}</code></p>`);
  if (options.generatedAt) parts.push(`<p class="muted">Generated ${escapeHtml(options.generatedAt)}</p>`);
  const prov = options.provenance;
  if (prov) parts.push("<h2>Provenance</h2>", htmlTable(provenanceRows(prov), false));
  parts.push("<h2>Settings</h2>", htmlTable(settingsRows(report, prov?.options), false));
  parts.push("<h2>Results</h2>", htmlTable(resultRows(report.results)));
  parts.push(
    "<h2>Accuracy against the budget</h2>",
    `<figure>${plots.curves}<figcaption>Kendall τ-b between the estimated and true scores of the targets, and their mean absolute error, against the number of examples each target is evaluated on (N). Bands: ± one standard error over trials.</figcaption></figure>`,
  );
  if (plots.coverage) {
    parts.push(
      "<h2>Interval coverage</h2>",
      `<figure>${plots.coverage}<figcaption>Share of targets whose true score lies inside their interval, per method and N (mean ± se over trials); the dashed line is the nominal level.</figcaption></figure>`,
    );
  }
  if (plots.scatter) {
    parts.push(
      "<h2>Estimates against the truth</h2>",
      `<figure>${plots.scatter}<figcaption>Each point is one target model in one trial: its estimated score against its true score (mean correctness over all examples). Points on the dashed diagonal are exact; vertical lines are the targets' intervals.</figcaption></figure>`,
    );
  }
  parts.push(
    "<h2>Results JSON</h2>",
    `<details><summary>reproduce JSON (specVersion ${report.specVersion})</summary><pre id="results">${escapeHtml(JSON.stringify(prov ? { ...report, provenance: prov } : report, null, 2))}</pre></details>`,
    "</body>",
    "</html>",
    "",
  );
  return parts.join("\n");
}
