/**
 * Stand-in for `node:fs`, `node:path` and `node:crypto` in the browser bundle. `@tb/io`'s
 * in-memory parsers live in modules that also hold its file readers; the page only calls the
 * parsers, so these are never reached — if one is, it fails loudly instead of misbehaving.
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
export const basename = () => unavailable("path.basename");
export const dirname = () => unavailable("path.dirname");
export const extname = () => unavailable("path.extname");
export const join = () => unavailable("path.join");
export const resolve = () => unavailable("path.resolve");
