import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { TbError } from "@tb/core";
import { describe } from "./internal.js";

/**
 * Write `data` to `path` atomically: the bytes go to a temporary file in the same directory,
 * are flushed to disk, and the temporary file is then renamed over `path`. A reader (or a run
 * that is interrupted half-way) therefore sees either the old file or the complete new one,
 * never a partial file. Missing parent directories are created. On failure the temporary file is
 * removed and a `TbError` (`E_INPUT`, naming the file) is thrown.
 *
 * @param path - Destination file.
 * @param data - Text (written as UTF-8) or raw bytes.
 * @throws TbError `E_INPUT` when the directory cannot be created or the file cannot be written.
 * @example
 * ```ts
 * writeFileAtomic("out/plan.json", JSON.stringify(plan, null, 2));
 * ```
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new TbError("E_INPUT", `cannot create directory ${dir}: ${describe(err)}`, { file: path });
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", 0o644);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; keep the first error
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may never have been created
    }
    throw new TbError("E_INPUT", `cannot write ${path}: ${describe(err)}`, { file: path });
  }
}
