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
  DEFAULT_EPS,
  DEFAULT_MAX_ITER,
  type PamSwapFastOptions,
  type PamSwapOptions,
  pamSwap,
  pamSwapNaive,
  type SwapResult,
} from "./pam.js";
