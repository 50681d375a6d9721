/**
 * The parsers of `@tb/io` that work on text in memory, for browsers and other hosts without a
 * file system (`@tb/io/browser`): correctness CSV, one model's responses (CSV, JSON, lm-eval
 * samples), and the lm-eval `--samples` spec of a list of example ids. None of them reads or
 * writes files.
 *
 * Bundling note: the modules these live in also hold the Node file readers, so they import
 * `node:fs`, `node:path` and `node:crypto` at the top; a browser bundle must map those to stubs
 * (never called by the functions here), and `csv-parse/sync` to `csv-parse/browser/esm/sync`
 * (the plain build uses Node's global `Buffer`). `apps/web/vite.config.ts` does both.
 */
export { type CorrectnessCsvOptions, formatCorrectnessCsv, parseCorrectnessCsv } from "./correctness-csv.js";
export {
  lmEvalTaskFromFileName,
  type ParseResponsesOptions,
  parseResponses,
  type Responses,
  type ResponsesFormat,
  type ResponsesOptions,
} from "./responses.js";
export { lmEvalSamplesSpec } from "./workflow.js";
