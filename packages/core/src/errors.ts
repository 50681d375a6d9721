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

/**
 * The brand every `TbError` carries: a registered symbol, the same in every copy of this package
 * (two installed versions, a bundle beside `node_modules`), unlike the class itself.
 */
const BRAND = Symbol.for("@tb/core/TbError");

const CODES: ReadonlySet<string> = new Set<TbErrorCode>([
  "E_INPUT",
  "E_USAGE",
  "E_BUDGET",
  "E_UNKNOWN_ID",
  "E_DEGENERATE",
  "E_INTERNAL",
]);

/** The one error type of the tailoredbench packages: a stable `code` plus an optional location. */
export class TbError extends Error {
  readonly code: TbErrorCode;
  readonly location: ErrorLocation | undefined;
  declare readonly [BRAND]: true;

  /** A location with no part set (`{}`) counts as none: the message gets no empty "()". */
  constructor(code: TbErrorCode, message: string, location?: ErrorLocation) {
    const where = location === undefined ? "" : formatLocation(location);
    super(where === "" ? message : `${message} (${where})`);
    this.name = "TbError";
    this.code = code;
    this.location = where === "" ? undefined : location;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True when the error is the user's input or usage (CLI exit status 2). */
  get isUserError(): boolean {
    return this.code !== "E_INTERNAL";
  }
}

/**
 * True when `e` is a `TbError` from any copy of `@tb/core`: checked by the brand every `TbError`
 * carries and a known `code`, not by `instanceof` (which fails when an application ends up with
 * two copies of the package). Narrowing gives `code`, `location` and `isUserError`.
 */
export function isTbError(e: unknown): e is TbError {
  if (e instanceof TbError) return true;
  if (typeof e !== "object" || e === null) return false;
  const x = e as { [BRAND]?: unknown; code?: unknown };
  return x[BRAND] === true && typeof x.code === "string" && CODES.has(x.code);
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

/**
 * Refuse a missing options argument of a function whose options are required (a JavaScript caller
 * may pass none): `E_USAGE` naming `where` and what it needs (`shape`, e.g. `"{ exampleIds }"`),
 * instead of a TypeError further in. Pair it with {@link checkOptionKeys}, which lets `undefined` pass.
 */
export function requireOptions(options: unknown, where: string, shape: string): void {
  if (options === undefined || options === null) {
    throw new TbError("E_USAGE", `${where}: needs its options ${shape}, got ${String(options)}`);
  }
}

/**
 * Every option name of an options type `T`, as a list for {@link checkOptionKeys}, checked at
 * compile time to be all of them and nothing else: `optionNames<ReadOptions>()("name", "kind")`
 * does not typecheck when `ReadOptions` has an option the list leaves out (the error names it as
 * `missing`) or the list names one it does not have. So a new option cannot be refused by a list
 * that forgot it.
 */
export function optionNames<T>(): <const N extends readonly (keyof T & string)[]>(
  ...names: N &
    (Exclude<keyof T, N[number]> extends never ? unknown : { readonly missing: Exclude<keyof T, N[number]> })
) => readonly string[] {
  return (...names) => names;
}

/**
 * Refuse an options argument that is not an object, or that names an option the function does not
 * have (a typo such as `standardise` or `maxIter` for `maxPasses` would otherwise be ignored):
 * `E_USAGE` naming `where` (the function called) and the known names.
 */
export function checkOptionKeys(options: unknown, known: readonly string[], where: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TbError(
      "E_USAGE",
      `${where}: options must be an object, got ${options === null ? "null" : typeof options}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TbError("E_USAGE", `${where}: unknown option "${key}" (known: ${known.join(", ")})`);
    }
  }
}
