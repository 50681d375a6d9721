/**
 * Stand-in for `node:fs`, `node:path` and `node:crypto` in the browser bundle. `@tb/io`'s
 * in-memory parsers live in modules that also hold its file readers; the page only calls the
 * parsers. File-system and hashing calls are never reached — if one is, it fails loudly instead
 * of misbehaving. The parsers do look at file names (`extname` picks the responses format), so
 * the pure string functions of `node:path` are here, POSIX-style.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser (the web app reads uploaded files, not paths)`);
}

export const readFileSync = () => unavailable("readFileSync");
export const readdirSync = () => unavailable("readdirSync");
export const statSync = () => unavailable("statSync");
export const openSync = () => unavailable("openSync");
export const writeSync = () => unavailable("writeSync");
export const closeSync = () => unavailable("closeSync");
export const fsyncSync = () => unavailable("fsyncSync");
export const renameSync = () => unavailable("renameSync");
export const unlinkSync = () => unavailable("unlinkSync");
export const mkdirSync = () => unavailable("mkdirSync");
export const randomBytes = () => unavailable("randomBytes");
export const createHash = () => unavailable("createHash");
export const resolve = () => unavailable("path.resolve");

const trimSlashes = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, "") : p);

/** `path.basename`: the last segment, without `ext` when it ends so. */
export function basename(p: string, ext?: string): string {
  const b = trimSlashes(p).split("/").pop() ?? "";
  return ext !== undefined && b.endsWith(ext) && b !== ext ? b.slice(0, -ext.length) : b;
}

/** `path.extname`: from the last "." of the last segment (none for dot-files). */
export function extname(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf(".");
  return i <= 0 ? "" : b.slice(i);
}

/** `path.dirname`: everything before the last segment. */
export function dirname(p: string): string {
  const t = trimSlashes(p);
  const i = t.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : t.slice(0, i);
}

/** `path.join` without normalising `..` (enough for messages). */
export function join(...parts: string[]): string {
  return (
    parts
      .filter((x) => x !== "")
      .join("/")
      .replace(/\/+/g, "/") || "."
  );
}
