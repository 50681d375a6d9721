import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
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
  const tmp = writeTemp(path, data);
  try {
    renameSync(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw new TbError("E_INPUT", `cannot write ${path}: ${describe(err)}`, { file: path });
  }
}

/**
 * Several files that belong together (e.g. a matrix and its meta.json), each written as by
 * {@link writeFileAtomic}: every file is written to a temporary file first, and only when all of
 * them are written and no target is a folder are they renamed into place, so a failure while
 * writing leaves every old file as it was.
 */
export function writeFilesAtomic(files: readonly { path: string; data: string | Uint8Array }[]): void {
  const tmps: string[] = [];
  try {
    for (const f of files) tmps.push(writeTemp(f.path, f.data));
    for (const f of files) {
      let dir = false;
      try {
        dir = statSync(f.path).isDirectory();
      } catch {
        // a new file
      }
      if (dir) throw new TbError("E_INPUT", `cannot write ${f.path}: it is a folder`, { file: f.path });
    }
  } catch (err) {
    for (const t of tmps) removeQuietly(t);
    throw err;
  }
  files.forEach((f, i) => {
    try {
      renameSync(tmps[i] as string, f.path);
    } catch (err) {
      for (const t of tmps.slice(i)) removeQuietly(t);
      throw new TbError("E_INPUT", `cannot write ${f.path}: ${describe(err)}`, { file: f.path });
    }
  });
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // the temporary file may never have been created
  }
}

/** `data` in a fresh temporary file beside `path` (synced), whose name it returns. */
function writeTemp(path: string, data: string | Uint8Array): string {
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
    return tmp;
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
