// The @tb/core types and values this package's signatures use, so that `pnpm add @tb/kmedoids` alone is enough.
export { isTbError, RandomStream, type Seed, TbError, type TbErrorCode, Workspace } from "@tb/core";
export { type Assignment, assign, assignFromRows } from "./assign.js";
export {
  type ClaraOptions,
  type ClaraResult,
  type ClaraSamplingOptions,
  clara,
  claraSampling,
  DEFAULT_CLARA_THRESHOLD,
  retainedBytes,
} from "./clara.js";
export { type DistanceSource, type NearPairs, precomputed } from "./distance-source.js";
export { exactGrid, quantizeDistances } from "./exact.js";
export { DEFAULT_MAX_PASSES, type FasterPamOptions, fasterPam } from "./fasterpam.js";
export {
  type DistanceInput,
  type KMedoidsMethod,
  type KMedoidsOptions,
  type KMedoidsResult,
  kmedoids,
  type MatrixLikeDistances,
} from "./kmedoids.js";
export {
  DEFAULT_EPS,
  DEFAULT_MAX_ITER,
  type PamSwapFastOptions,
  type PamSwapOptions,
  pamSwap,
  pamSwapNaive,
  type SwapResult,
} from "./pam.js";
export { kernelMatrix } from "./phi-kernel.js";
