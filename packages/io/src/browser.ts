/**
 * The parsers of `@tb/io` that work on text in memory, for browsers and other hosts without a
 * file system (`@tb/io/browser`): correctness CSV, one model's responses (CSV, JSON, lm-eval
 * samples), and the lm-eval `--samples` spec of a list of example ids. None of them reads or
 * writes files.
 *
 * The modules behind this entry import no Node built-in (CI bundles it with esbuild for
 * `platform: "browser"` and fails on one: `pnpm check-browser`); the file readers live in
 * separate modules of the main entry. One bundling note: map `csv-parse/sync` to
 * `csv-parse/browser/esm/sync` (the plain build uses Node's global `Buffer`), as
 * `apps/web/vite.config.ts` does.
 */
export { type CorrectnessCsvOptions, formatCorrectnessCsv, parseCorrectnessCsv } from "./correctness-csv.js";
export { parseDecimal } from "./internal.js";
export { type LmEvalSamplesOptions, lmEvalSamplesFor, lmEvalSamplesSpec } from "./lm-eval-export.js";
export { type DocOrder, lmEvalV03Permutation, parseDocOrder } from "./python-random.js";
export {
  lmEvalTaskFromFileName,
  type ParseResponsesOptions,
  parseResponses,
  type Responses,
  type ResponsesFormat,
  type ResponsesOptions,
  responsesFormat,
} from "./responses.js";
