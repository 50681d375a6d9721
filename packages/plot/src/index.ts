export { renderSvg } from "./render.js";
export {
  escapeHtml,
  type HtmlReportOptions,
  htmlReport,
  htmlTable,
  provenanceRows,
  type ReportPlots,
  type ReportProvenance,
  reportPlots,
  resultRows,
  settingsRows,
  splitSentence,
} from "./report.js";
export {
  budgetCurvesSpec,
  budgetGridSpec,
  coverageSpec,
  estimateScatterSpec,
  type GridOptions,
  type GridPanel,
  KNOWN_METHODS,
  methodColors,
  methodOrder,
} from "./specs.js";
