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
export { budgetCurvesSpec, coverageSpec, estimateScatterSpec, methodOrder } from "./specs.js";
