// The @tb/core types and values this package's signatures use, so that `pnpm add @tb/embedding` alone is enough.
export { CorrectnessMatrix, isTbError, TbError, type TbErrorCode, Workspace } from "@tb/core";
export {
  assertMetric,
  DISTANCE_METRICS,
  type DistanceDiagnostics,
  type DistanceMetric,
  distance,
  isDegenerateRow,
  rowDistance,
} from "./distance.js";
export {
  type DistanceSource,
  type DistanceSourceOptions,
  distanceSource,
  pairwiseDistances,
} from "./distance-source.js";
export { type Embedding, type EmbeddingOptions, exampleEmbedding, modelEmbedding } from "./embedding.js";
export { standardizeColumns } from "./standardize.js";
