// The @tb/core types and values this package's signatures use, so that `pnpm add @tb/native-selection` alone is enough.
export { CorrectnessMatrix, isTbError, RandomStream, type Seed, TbError, type TbErrorCode, Workspace } from "@tb/core";
export { DEFAULT_GSET_SIZE, type GSetOptions, selectGSet } from "./gset.js";
export {
  meanPairDistance,
  modelDistances,
  type NativeOptions,
  type NativeSelection,
  selectNativeSources,
  type ThresholdCompare,
} from "./native.js";
