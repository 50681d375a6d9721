/**
 * Input validation shared by every metric. Internal: not re-exported from the package entry.
 * @internal
 */
import { TbError } from "@tb/core";

/**
 * Check that `value` is an array-like of finite numbers and return it as a `Float64Array`
 * (the input itself when it already is one, otherwise a copy).
 *
 * @param fn - The public function's name, for the message.
 * @param name - The argument's name, for the message.
 * @throws TbError `E_USAGE` when `value` is not array-like; `E_INPUT` when an entry is not a
 *   number or is NaN or ±Infinity.
 */
export function toFiniteFloat64(fn: string, name: string, value: ArrayLike<number>): Float64Array {
  if (value === null || typeof value !== "object" || typeof (value as { length?: unknown }).length !== "number") {
    throw new TbError(
      "E_USAGE",
      `${fn}: \`${name}\` must be an array or typed array of numbers, got ${describe(value)}`,
    );
  }
  const n = value.length;
  if (value instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      const v = value[i] as number;
      if (!Number.isFinite(v)) throw nonFinite(fn, name, i, v);
    }
    return value;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = value[i];
    if (typeof v !== "number") {
      throw new TbError("E_INPUT", `${fn}: \`${name}[${i}]\` must be a number, got ${describe(v)}`);
    }
    if (!Number.isFinite(v)) throw nonFinite(fn, name, i, v);
    out[i] = v;
  }
  return out;
}

/**
 * Validate two paired inputs: both array-likes of finite numbers, of equal length.
 *
 * @throws TbError as {@link toFiniteFloat64}; `E_INPUT` when the lengths differ.
 */
export function toFinitePair(
  fn: string,
  xName: string,
  x: ArrayLike<number>,
  yName: string,
  y: ArrayLike<number>,
): [Float64Array, Float64Array] {
  const a = toFiniteFloat64(fn, xName, x);
  const b = toFiniteFloat64(fn, yName, y);
  if (a.length !== b.length) {
    throw new TbError(
      "E_INPUT",
      `${fn}: \`${xName}\` and \`${yName}\` must have the same length, got ${a.length} and ${b.length}`,
    );
  }
  return [a, b];
}

/**
 * Throw a `TbError` `E_INPUT` unless `x` has at least `min` entries.
 */
export function requireLength(fn: string, name: string, x: Float64Array, min: number): void {
  if (x.length < min) {
    throw new TbError(
      "E_INPUT",
      `${fn}: \`${name}\` must have at least ${min} ${min === 1 ? "entry" : "entries"}, got ${x.length}`,
    );
  }
}

function nonFinite(fn: string, name: string, i: number, v: number): TbError {
  return new TbError("E_INPUT", `${fn}: \`${name}[${i}]\` is ${v}; every entry must be a finite number`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return typeof v;
}
