/**
 * The two-phase workflow commands of `tb` (docs/DESIGN.md §1 item 1, §3.2): `probe`, `tailor`,
 * `estimate`, `export`, `import` and `compare`. Flags, file handling and printing only; the algorithms are
 * `@tb/estimate`'s and the file formats `@tb/io`'s.
 */

export { WORKFLOW_USAGE } from "./workflow/common.js";
export { runCompare } from "./workflow/compare.js";
export { runEstimate } from "./workflow/estimate.js";
export { runExport } from "./workflow/export.js";
export { runImport } from "./workflow/import.js";
export { runProbe } from "./workflow/probe.js";
export { runTailor } from "./workflow/tailor.js";
