// The @tb/core types and values this package's signatures use, so that `pnpm add @tb/linear` alone is enough.
export { isTbError, TbError, type TbErrorCode } from "@tb/core";
export {
  checkAlpha,
  checkAlphas,
  RidgeColumns,
  type RidgeFit,
  type RidgeLooResult,
  RidgeWorkspace,
  ridgeFit,
  ridgeLoo,
  ridgePredict,
} from "./ridge.js";
