import { type CorrectnessMatrix, checkOptionKeys, optionNames } from "@tb/core";
import { writeFileAtomic } from "./atomic.js";
import { type CorrectnessCsvOptions, formatCorrectnessCsv, parseCorrectnessCsv } from "./correctness-csv.js";
import { readText } from "./read-text.js";

/** `file` is not among them: the path is the file. */
const OPTION_NAMES = optionNames<Omit<CorrectnessCsvOptions, "file">>()("kind", "name");

/**
 * Read `<path>` (UTF-8, synchronously) and parse it with {@link parseCorrectnessCsv}; error
 * locations name `path`.
 *
 * @param path - A `correctness.csv` file.
 * @param opts - Expected kind and matrix name.
 * @throws TbError `E_INPUT` when the file cannot be read or is malformed; `E_USAGE` for an unknown
 * option name (`file` too: the path names the file).
 * @example
 * ```ts
 * const m = readCorrectnessCsv("data/gsm8k/correctness.csv", { kind: "binary" });
 * ```
 */
export function readCorrectnessCsv(path: string, opts: Omit<CorrectnessCsvOptions, "file"> = {}): CorrectnessMatrix {
  checkOptionKeys(opts, OPTION_NAMES, "readCorrectnessCsv");
  return parseCorrectnessCsv(readText(path), { ...opts, file: path });
}

/**
 * Write a matrix to `path` as correctness CSV ({@link formatCorrectnessCsv}), atomically
 * ({@link writeFileAtomic}): the file is either the old one or the complete new one.
 *
 * @param path - Destination file; parent directories are created.
 * @param matrix - The matrix to write.
 * @throws TbError `E_INPUT` when the file cannot be written.
 * @example
 * ```ts
 * writeCorrectnessCsv("out/correctness.csv", matrix);
 * ```
 */
export function writeCorrectnessCsv(path: string, matrix: CorrectnessMatrix): void {
  writeFileAtomic(path, formatCorrectnessCsv(matrix));
}
