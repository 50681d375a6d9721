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
  type Embedding,
  type EmbeddingOptions,
  exampleEmbedding,
  modelEmbedding,
  pairwiseDistances,
} from "./embedding.js";
export { standardizeColumns } from "./standardize.js";
