export { type RandomBaselineOptions, randomBaseline } from "./random.js";
