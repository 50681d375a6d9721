// the @tb/core types and errors this package's signatures use, so `pnpm add @tb/io` suffices
export { CorrectnessMatrix, isTbError, TbError, type TbErrorCode } from "@tb/core";
export { writeFileAtomic, writeFilesAtomic } from "./atomic.js";
export {
  type CorrectnessCsvOptions,
  formatCorrectnessCsv,
  parseCorrectnessCsv,
} from "./correctness-csv.js";
export { readCorrectnessCsv, writeCorrectnessCsv } from "./correctness-csv-file.js";
export { type Dataset, type DatasetSplit, type LoadDatasetOptions, loadDataset, resolveSplit } from "./dataset.js";
export { parseDecimal } from "./internal.js";
export {
  type ImportLeaderboardOptions,
  importLeaderboard,
  leaderboardTaskFromFileName,
  readLeaderboardDetails,
} from "./leaderboard.js";
export {
  type ImportedModel,
  type ImportLmEvalOptions,
  type ImportLmEvalResult,
  importLmEval,
  type TaskRead,
} from "./lm-eval-import.js";
export { isSamplesFileName, parseMetricChoice, parseSamplesFileName } from "./lm-eval-samples.js";
export { type IdProvenance, type Meta, type MetaSplit, parseMeta, readMeta } from "./meta.js";
export { type NpyArray, npyToMatrix, readNpy, readNpyFile } from "./npy.js";
export { type DocOrder, lmEvalV03Permutation, PythonRandom, parseDocOrder } from "./python-random.js";
export {
  lmEvalTaskFromFileName,
  type ParseResponsesOptions,
  parseResponses,
  type Responses,
  type ResponsesFormat,
  type ResponsesOptions,
  responsesFormat,
} from "./responses.js";
export { readResponses } from "./responses-file.js";
export {
  checkSource,
  formatWorkflowJson,
  type LmEvalSamplesOptions,
  lmEvalSamplesFor,
  lmEvalSamplesSpec,
  matrixSha256,
  type PlanFile,
  type PlanPrecision,
  type ProbeFile,
  parsePlanFile,
  parseProbeFile,
  readPlanFile,
  readProbeFile,
  resolveExampleIds,
  resolveModelIds,
  type SourceRef,
  sourceRef,
  WORKFLOW_SPEC_VERSION,
  type WorkflowOptions,
} from "./workflow.js";
