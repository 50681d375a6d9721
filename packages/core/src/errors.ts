/**
 * Stable error codes. Tools and tests match on `code`, never on message text.
 * `E_INPUT` family → CLI exit status 2 (bad input or usage); anything else → 1.
 */
export type TbErrorCode =
  | "E_INPUT" // malformed data: ragged rows, NaN, out-of-range values, duplicate ids
  | "E_USAGE" // bad option values or combinations
  | "E_BUDGET" // an oracle was asked for more distinct examples than its budget
  | "E_UNKNOWN_ID" // an example or model id that is not in the matrix
  | "E_DEGENERATE" // the data make the algorithm undefined (e.g. n̄ = 0)
  | "E_INTERNAL";

/** Where in an input a problem was found. Every field is optional; give what is known. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number | string;
  row?: number | string;
}

/** The one error type of the tailoredbench packages: a stable `code` plus an optional location. */
export class TbError extends Error {
  readonly code: TbErrorCode;
  readonly location: ErrorLocation | undefined;

  constructor(code: TbErrorCode, message: string, location?: ErrorLocation) {
    super(location ? `${message} (${formatLocation(location)})` : message);
    this.name = "TbError";
    this.code = code;
    this.location = location;
  }

  /** True when the error is the user's input or usage (CLI exit status 2). */
  get isUserError(): boolean {
    return this.code !== "E_INTERNAL";
  }
}

/** Render a location as `file:line, column c`. */
export function formatLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file);
  else if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  return parts.join(", ");
}

/** Throw an `E_USAGE` error unless `cond` holds. */
export function require_(cond: boolean, message: string): asserts cond {
  if (!cond) throw new TbError("E_USAGE", message);
}
