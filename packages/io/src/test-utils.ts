/**
 * Test helpers (not exported from the package entry, not shipped: see `files` in package.json).
 * @internal
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ErrorLocation, TbError, type TbErrorCode } from "@tb/core";

/** Run `fn`, expect a `TbError`, and return it (fails the test otherwise). */
export function catchTb(fn: () => unknown): TbError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TbError) return err;
    throw new Error(`expected a TbError, got ${String(err)}`);
  }
  throw new Error("expected a TbError, but nothing was thrown");
}

/** Expected shape of an error: code plus any location fields to compare. */
export interface Expected extends ErrorLocation {
  code: TbErrorCode;
}

/** Pick the comparable fields of an error. */
export function errorShape(err: TbError): Expected {
  const out: Expected = { code: err.code };
  const l = err.location ?? {};
  if (l.file !== undefined) out.file = l.file;
  if (l.line !== undefined) out.line = l.line;
  if (l.column !== undefined) out.column = l.column;
  if (l.row !== undefined) out.row = l.row;
  return out;
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix = "tb-io-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
