export { renderSvg } from "./render.js";
export {
  escapeHtml,
  type HtmlReportOptions,
  htmlReport,
  htmlTable,
  type ReportPlots,
  reportPlots,
  resultRows,
  settingsRows,
} from "./report.js";
export {
  budgetCurvesSpec,
  budgetGridSpec,
  coverageSpec,
  estimateScatterSpec,
  type GridOptions,
  type GridPanel,
  methodOrder,
} from "./specs.js";
