export {
  checkOptionKeys,
  type ErrorLocation,
  formatLocation,
  isTbError,
  optionNames,
  require_,
  requireOptions,
  TbError,
  type TbErrorCode,
} from "./errors.js";
export {
  checkAnswers,
  drive,
  type EvaluationContext,
  type EvaluationRequest,
  type EvaluationRun,
} from "./evaluation.js";
export {
  type CorrectnessKind,
  CorrectnessMatrix,
  type CorrectnessMatrixFromOptions,
  type CorrectnessMatrixInit,
  type MatrixLike,
} from "./matrix.js";
export type { EvaluationMethod, MethodContext, MethodIntervals, MethodResult } from "./method.js";
export { createOracle, type Oracle } from "./oracle.js";
export {
  checkPrecisionOptions,
  lookLevel,
  normalQuantile,
  precisionTotals,
  wilsonInterval,
} from "./precision.js";
export { RandomStream, range, type Seed, type StreamKey } from "./random.js";
export { canonicalCsvLines, matrixSha256, type SourceRef, sha256Hex, sourceRef } from "./sha256.js";
export { WASM_MAX_BYTES, type WasmInstance, wasmInstance } from "./wasm.js";
export {
  KeyedByObject,
  WeakTable,
  Workspace,
  type WorkspaceKey,
  type WorkspaceSlot,
  type WorkspaceStats,
  workspaceKey,
  workspaceOf,
} from "./workspace.js";
