/**
 * Helpers shared by the readers of this package. Not re-exported from the package entry.
 * @internal
 */
import { type ErrorLocation, TbError } from "@tb/core";

/** A short description of a thrown value (the message for errors). */
export function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Build an `ErrorLocation`, leaving out fields that are `undefined` (exactOptionalPropertyTypes). */
export function loc(file: string | undefined, line?: number, column?: number | string): ErrorLocation {
  const out: ErrorLocation = {};
  if (file !== undefined) out.file = file;
  if (line !== undefined) out.line = line;
  if (column !== undefined) out.column = column;
  return out;
}

/** 1-based line and column of a character offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Show a cell in a message: quoted, control characters escaped, long values cut. */
export function show(value: string): string {
  const s = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(s);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * `raw` (surrounding spaces allowed) as a plain decimal number — `0.3`, `.3`, `3e-1`, `-2` — or
 * NaN for anything else `Number` would also take (`0x1`, `Infinity`, a blank as 0): the rule of
 * correctness cells ({@link parseCell}), for front ends that read numbers from flags or fields.
 * Callers check the range and say what they expect.
 */
export function parseDecimal(raw: string): number {
  const s = raw.trim();
  return DECIMAL.test(s) ? Number(s) : Number.NaN;
}

/** The outcome of reading one correctness cell. */
export type CellParse = { ok: true; value: number } | { ok: false; reason: string };

/**
 * Read one correctness cell: a decimal number in [0,1] (surrounding spaces allowed). `binary`
 * additionally requires exactly 0 or 1. Hex, `Infinity`, booleans and empty cells are refused.
 */
export function parseCell(raw: string, binary: boolean): CellParse {
  if (raw === "0") return { ok: true, value: 0 };
  if (raw === "1") return { ok: true, value: 1 };
  const s = raw.trim();
  if (s.length === 0) return { ok: false, reason: "empty cell" };
  if (/^[+-]?nan$/i.test(s)) return { ok: false, reason: "NaN is not a correctness value" };
  if (!DECIMAL.test(s)) {
    if (/^[+-]?inf(inity)?$/i.test(s)) return { ok: false, reason: `${show(raw)} is outside [0,1]` };
    return { ok: false, reason: `${show(raw)} is not a number` };
  }
  const v = Number(s);
  if (!Number.isFinite(v) || v < 0 || v > 1) return { ok: false, reason: `${show(raw)} is outside [0,1]` };
  if (binary && v !== 0 && v !== 1) {
    return { ok: false, reason: `${show(raw)} is not 0 or 1 (the matrix is binary)` };
  }
  return { ok: true, value: v === 0 ? 0 : v }; // normalise -0
}

/** Replace CRLF and lone CR line breaks with LF so line counting is exact. */
export function normaliseNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/** Strip one leading UTF-8 byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A function mapping a character offset of `text` to its 1-based line and column (O(log n) per call). */
export function positionIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}

/** The character offset a `JSON.parse` error points at, when its message says. */
export function jsonErrorOffset(text: string, err: unknown): number | undefined {
  const msg = describe(err);
  const m = /at position (\d+)/.exec(msg);
  if (m) return Number(m[1]);
  if (/Unexpected end of JSON input/.test(msg)) return text.length;
  return undefined;
}

/**
 * `JSON.parse` of a whole file that must hold a JSON object: the BOM is dropped, a syntax error
 * becomes `E_INPUT` "<what> is not valid JSON: …" at its line and column (when the JSON engine
 * gives a position), anything but an object "<what> must hold a JSON object" at line 1.
 */
export function parseJsonObject(text: string, what: string, file?: string): Record<string, unknown> {
  const body = stripBom(text);
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (err) {
    const off = jsonErrorOffset(body, err);
    const at = off === undefined ? undefined : lineColumnAt(body, off);
    throw new TbError("E_INPUT", `${what} is not valid JSON: ${describe(err)}`, loc(file, at?.line, at?.column));
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TbError("E_INPUT", `${what} must hold a JSON object`, loc(file, 1));
  }
  return raw as Record<string, unknown>;
}

/** 1-based line of the first `"key":` in a JSON text, if found. */
export function keyLine(text: string, key: string): number | undefined {
  const re = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`);
  const m = re.exec(text);
  return m ? lineColumnAt(text, m.index).line : undefined;
}

/** Line of `id` inside the value of `field` (best effort), else the field's line. */
export function idLine(text: string, field: string, id: string): number | undefined {
  const re = new RegExp(`${JSON.stringify(field).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`);
  const m = re.exec(text);
  if (!m) return undefined;
  const at = text.indexOf(JSON.stringify(id), m.index);
  return lineColumnAt(text, at < 0 ? m.index : at).line;
}

/** The last segment of a path (either separator), without a file system: this module runs in browsers. */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i < 0 ? path : path.slice(i + 1);
}

/** The extension of a path's last segment, dot included ("" without one), as `node:path`'s `extname`. */
export function extName(path: string): string {
  const b = baseName(path);
  const i = b.lastIndexOf(".");
  return i <= 0 ? "" : b.slice(i);
}
