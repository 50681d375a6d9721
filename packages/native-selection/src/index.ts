export { type GSetOptions, selectGSet } from "./gset.js";
export {
  meanPairDistance,
  modelDistances,
  type NativeOptions,
  type NativeSelection,
  selectNativeSources,
  type ThresholdCompare,
} from "./native.js";
