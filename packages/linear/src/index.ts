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
