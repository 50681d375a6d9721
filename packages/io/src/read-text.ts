import { readFileSync } from "node:fs";
import { TbError } from "@tb/core";
import { describe } from "./internal.js";

/**
 * Read a UTF-8 text file synchronously; a missing or unreadable file becomes `E_INPUT` naming it.
 */
export function readText(path: string, what = "file"): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why =
      code === "ENOENT"
        ? `${what} not found`
        : code === "EISDIR"
          ? `${what} is a directory`
          : `cannot read ${what}: ${describe(err)}`;
    throw new TbError("E_INPUT", `${why}: ${path}`, { file: path });
  }
}
