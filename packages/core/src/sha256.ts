import { sha256 } from "@noble/hashes/sha2.js";
import type { CorrectnessMatrix } from "./matrix.js";

/** A CSV field, quoted only when it must be (a comma, a quote or a line break). */
function quoteField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The canonical CSV lines of a matrix (docs/DESIGN.md §3.1): the header `model,<example ids>`, then
 * one line per model; LF line breaks, numbers in their shortest exact form, minimal quoting. Each
 * line is given to `emit` with its line break.
 */
export function canonicalCsvLines(matrix: CorrectnessMatrix, emit: (line: string) => void): void {
  emit(`${["model", ...matrix.exampleIds].map(quoteField).join(",")}\n`);
  const cells: string[] = new Array<string>(matrix.cols + 1);
  for (let i = 0; i < matrix.rows; i++) {
    cells[0] = quoteField(matrix.modelIds[i] as string);
    const base = i * matrix.cols;
    for (let j = 0; j < matrix.cols; j++) {
      const v = matrix.data[base + j] as number;
      cells[j + 1] = v === 0 ? "0" : v === 1 ? "1" : String(v);
    }
    emit(`${cells.join(",")}\n`);
  }
}

/** sha256 of some bytes, as 64 lowercase hex digits (pure JavaScript, the same in a browser). */
export function sha256Hex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of sha256(bytes)) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/**
 * sha256 (64 lowercase hex digits) of a matrix's canonical CSV text ({@link canonicalCsvLines}).
 * Two files that parse to the same matrix — same ids, values, row and column order — get the same
 * hash, whatever their line breaks, BOM or quoting. Pure JavaScript, the same in Node and in a
 * browser; streamed line by line, so no copy of the whole text is made.
 */
export function matrixSha256(matrix: CorrectnessMatrix): string {
  const h = sha256.create();
  const enc = new TextEncoder();
  canonicalCsvLines(matrix, (line) => h.update(enc.encode(line)));
  const out = h.digest();
  let hex = "";
  for (const b of out) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** A matrix's size and {@link matrixSha256}: what ties a saved evaluation, probe or plan to it. */
export interface SourceRef {
  models: number;
  examples: number;
  sha256: string;
}

/** The {@link SourceRef} of a matrix. */
export function sourceRef(matrix: CorrectnessMatrix): SourceRef {
  return { models: matrix.rows, examples: matrix.cols, sha256: matrixSha256(matrix) };
}
