// The rule "errors in the terms of the function called" (issue 19 item 5), checked on the sources
// of every package: a library message names the option or argument of the function, never a CLI
// flag (`--task`) or a `tb` command; the CLI maps options to its flags (apps/cli
// src/workflow/common.ts, cliErrors) and the web page to its form fields (apps/web
// src/evaluate.ts). Every string literal of a package's code is scanned (comments are not), so a
// message assembled in a helper or a variable is caught as well as one written in `new TbError(`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const packages = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

/** Flags in string literals that are not the CLI's, by `<file> <flag>`, with the reason. */
const ALLOWED: Record<string, string> = {
  // Node's own option for the worker threads of a run from source, not a message
  "experiment/src/executor.ts --conditions": "node's execArgv",
  // lm-evaluation-harness's flags: the harness the user runs is named in its own terms
  "io/src/lm-eval-import.ts --log_samples": "lm_eval's flag (how samples files are made)",
  "io/src/lm-eval-import.ts --limit": "lm_eval's flag (a partial run)",
  "io/src/lm-eval-import.ts --samples": "lm_eval's flag (a partial run)",
};

/** The CLI's commands (apps/cli/src/main.ts). */
const COMMAND = /\btb (probe|tailor|estimate|export|import|reproduce|demo|ablate|help)\b/g;
/** A flag: `--` and a lower-case name. */
const FLAG = /--[a-z][\w-]*/g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "__fixtures__" && name !== "node_modules") out.push(...sources(p));
    } else if (/\.(ts|mts)$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith(".d.ts")) {
      out.push(p);
    }
  }
  return out;
}

/**
 * The string literals of TypeScript code ('…', "…", `…`; a template's `${…}` holes are code, their
 * own literals included), comments and regular expressions aside enough for this code base.
 */
function stringLiterals(code: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = code.length;
  // inside a template hole: the brace depth at which it closes
  const holes: number[] = [];
  let depth = 0;
  const template = (): void => {
    // at the character after a backtick or after a hole's closing brace
    let text = "";
    while (i < n) {
      const c = code[i] as string;
      if (c === "\\") {
        text += code.slice(i, i + 2);
        i += 2;
      } else if (c === "`") {
        i++;
        break;
      } else if (c === "$" && code[i + 1] === "{") {
        holes.push(depth);
        depth++;
        i += 2;
        break;
      } else {
        text += c;
        i++;
      }
    }
    out.push(text);
  };
  while (i < n) {
    const c = code[i] as string;
    if (c === "/" && code[i + 1] === "/") {
      while (i < n && code[i] !== "\n") i++;
    } else if (c === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      let text = "";
      i++;
      while (i < n && code[i] !== c && code[i] !== "\n") {
        if (code[i] === "\\") {
          text += code.slice(i, i + 2);
          i += 2;
        } else text += code[i++];
      }
      i++;
      out.push(text);
    } else if (c === "`") {
      i++;
      template();
    } else if (c === "{") {
      depth++;
      i++;
    } else if (c === "}") {
      depth--;
      i++;
      if (holes.length > 0 && holes[holes.length - 1] === depth) {
        holes.pop();
        template();
      }
    } else i++;
  }
  return out;
}

/** The CLI terms in a file's string literals: flags and `tb <command>`s. */
function cliTerms(code: string): string[] {
  const found: string[] = [];
  for (const s of stringLiterals(code)) {
    for (const m of s.matchAll(FLAG)) found.push(m[0]);
    for (const m of s.matchAll(COMMAND)) found.push(m[0]);
  }
  return found;
}

describe("library messages speak the function's options, not the CLI's flags", () => {
  test("the scanner finds a flag or a command in a message, and none in comments", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source as the scanner's input
    expect(cliTerms('throw new TbError("E_USAGE", `x needs ${a ? "y" : `--task ${b}`}`);')).toEqual(["--task"]);
    expect(cliTerms("throw new TbError('E_INPUT', \"made for another matrix: use the same --source\");")).toEqual([
      "--source",
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source as the scanner's input
    expect(cliTerms('const m = `run tb probe ${x} first` + "tb import lm-eval";')).toEqual(["tb probe", "tb import"]);
    expect(cliTerms('// tb --nset-sample-size\n/** `tb probe --out` */\nconst a = "a - b";')).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source as the scanner's input
    expect(cliTerms('const s = { a: `${o.x}` }; const t = "--doc-order";')).toEqual(["--doc-order"]);
  });

  test("no package's code holds a CLI flag or a tb command outside the allow-list", () => {
    const found: string[] = [];
    const used = new Set<string>();
    for (const pkg of readdirSync(packages)) {
      const src = join(packages, pkg, "src");
      if (!statSync(join(packages, pkg)).isDirectory()) continue;
      let files: string[];
      try {
        files = sources(src);
      } catch {
        continue;
      }
      for (const f of files) {
        const rel = relative(packages, f);
        for (const term of cliTerms(readFileSync(f, "utf8"))) {
          const key = `${rel} ${term}`;
          if (key in ALLOWED) used.add(key);
          else found.push(key);
        }
      }
    }
    expect(found, "say it in the function's terms (option task, not --task); the apps map it").toEqual([]);
    // an entry that no longer matches anything is removed, so the list stays a list of reasons
    expect(Object.keys(ALLOWED).filter((k) => !used.has(k))).toEqual([]);
  });
});
