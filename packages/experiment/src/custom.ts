import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { checkOptionKeys, type EvaluationMethod, TbError } from "@tb/core";
import type { MethodConfig } from "./registry.js";
import { METHOD_MODULE_FIELDS } from "./reproduce-core.js";

/**
 * A user's method given by where to import it from, so that every worker thread can load it
 * (a method registered with `registerMethod` lives in one thread's module state only).
 *
 * The export is either a factory `(config: MethodConfig) => EvaluationMethod`, called once per
 * trial with the run's shared `config` (as the built-in methods are), or an `EvaluationMethod`.
 */
export interface MethodModule {
  /**
   * Where the module is: a `file://` URL, an absolute path, a `./` or `../` path (from the current
   * directory), or a package name resolvable from the current directory.
   */
  module: string;
  /** The export to use; default `"default"`. */
  export?: string;
  /** The method's name in the report; default the method's own `name`. */
  name?: string;
}

/** A {@link MethodModule} resolved to a URL every thread imports alike (it travels to workers). */
export interface ResolvedMethodModule {
  url: string;
  export: string;
}

/**
 * Resolves `spec.module` to a file URL, from the current directory. A field other than `module`,
 * `export` and `name` is refused (`resolveMethodModule: unknown option "<name>"`): a misspelt
 * `export` would otherwise resolve the default export.
 */
export function resolveMethodModule(spec: MethodModule): ResolvedMethodModule {
  if (typeof spec !== "object" || spec === null || typeof spec.module !== "string" || spec.module === "") {
    throw new TbError(
      "E_USAGE",
      `methods: a custom method needs { module: "<url, path or package>" }, got ${JSON.stringify(spec)}`,
    );
  }
  checkOptionKeys(spec, METHOD_MODULE_FIELDS, "resolveMethodModule");
  const exportName = spec.export ?? "default";
  if (typeof exportName !== "string" || exportName === "") {
    throw new TbError("E_USAGE", `methods: "export" of ${spec.module} must be a non-empty string`);
  }
  const m = spec.module;
  let url: string;
  if (m.startsWith("file:")) url = m;
  else if (isAbsolute(m)) url = pathToFileURL(m).href;
  else if (m.startsWith("./") || m.startsWith("../")) url = pathToFileURL(resolve(process.cwd(), m)).href;
  else {
    try {
      url = pathToFileURL(createRequire(join(process.cwd(), "noop.js")).resolve(m)).href;
    } catch {
      throw new TbError(
        "E_USAGE",
        `methods: cannot find module "${m}" from ${process.cwd()} (give a file URL, a path or an installed package name)`,
      );
    }
  }
  return { url, export: exportName };
}

/**
 * Imports a resolved method module and builds the method for `config`. Node caches the import,
 * so a worker pays for it once.
 *
 * @throws TbError `E_USAGE` when the module cannot be imported or the export is not a method
 *   factory or an `EvaluationMethod`.
 */
export async function loadMethodModule(spec: ResolvedMethodModule, config: MethodConfig): Promise<EvaluationMethod> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec.url)) as Record<string, unknown>;
  } catch (e) {
    throw new TbError("E_USAGE", `methods: cannot import ${spec.url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!(spec.export in mod)) {
    throw new TbError(
      "E_USAGE",
      `methods: ${spec.url} has no export "${spec.export}" (it exports ${Object.keys(mod).join(", ") || "nothing"})`,
    );
  }
  const x = mod[spec.export];
  const method = typeof x === "function" ? (x as (c: MethodConfig) => unknown)(config) : x;
  if (
    typeof method !== "object" ||
    method === null ||
    typeof (method as EvaluationMethod).run !== "function" ||
    typeof (method as EvaluationMethod).name !== "string"
  ) {
    throw new TbError(
      "E_USAGE",
      `methods: export "${spec.export}" of ${spec.url} must be an EvaluationMethod ({ name, run }) or a function returning one`,
    );
  }
  return method as EvaluationMethod;
}
