/**
 * The two-phase workflow's files and lm-eval bridges (docs/DESIGN.md §3.2), re-exported from the modules
 * that hold them: versions and shapes (`workflow-types`), the tie to the source matrix
 * (`workflow-source`), probe and plan files (`workflow-files`), lm-eval `--samples`
 * (`lm-eval-export`).
 */
export { type LmEvalSamplesOptions, lmEvalSamplesFor, lmEvalSamplesSpec } from "./lm-eval-export.js";
export {
  formatWorkflowJson,
  parsePlanFile,
  parseProbeFile,
  readPlanFile,
  readProbeFile,
} from "./workflow-files.js";
export { checkSource, matrixSha256, resolveExampleIds, resolveModelIds, sourceRef } from "./workflow-source.js";
export {
  type PlanFile,
  type PlanPrecision,
  type ProbeFile,
  type SourceRef,
  WORKFLOW_SPEC_VERSION,
  type WorkflowOptions,
} from "./workflow-types.js";
