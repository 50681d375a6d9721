/**
 * Typechecks every ```ts block of README.md, packages/*\/README.md and apps/*\/README.md under the
 * repository's strict compiler settings (tsconfig.base.json), the way a user meets them.
 *
 * Each package README is checked in a scratch folder whose node_modules holds ONLY that package
 * (a symlink to its sources) and @types/node: an example that imports another @tb package fails,
 * because `pnpm add @tb/X` gives the user @tb/X alone. The root README's examples may import any
 * published package. Blocks are independent modules; errors are reported at the README's line.
 * Unused names are allowed (an example shows values it does not use); every other strict setting holds.
 *
 *     pnpm check-readmes
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const run = promisify(execFile);

/**
 * READMEs allowed to import more than their own package, with the reason. Keep this empty: each
 * entry is a README whose example a user cannot run after `pnpm add` of that package alone.
 */
const EXTRA_IMPORTS: Record<string, { packages: string[]; why: string }> = {
  "packages/plot/README.md": {
    packages: ["experiment"],
    why: "a report draws a reproduce run, which @tb/experiment makes; the README says to install both",
  },
};

interface Block {
  line: number; // README line of the first code line (1-based)
  code: string;
}

function blocks(text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (/^```ts\s*$/.test(lines[i] as string)) {
      const start = i + 1;
      let j = start;
      while (j < lines.length && !/^```\s*$/.test(lines[j] as string)) j++;
      out.push({ line: start + 1, code: lines.slice(start, j).join("\n") });
      i = j;
    }
  }
  return out;
}

function packageDirs(): { dir: string; name: string }[] {
  const out: { dir: string; name: string }[] = [];
  for (const parent of ["packages", "apps"]) {
    for (const d of readdirSync(join(root, parent))) {
      try {
        const pkg = JSON.parse(readFileSync(join(root, parent, d, "package.json"), "utf8")) as { name: string };
        out.push({ dir: `${parent}/${d}`, name: pkg.name });
      } catch {
        // not a package
      }
    }
  }
  return out;
}

const pkgs = packageDirs();
const scratch = mkdtempSync(join(tmpdir(), "tb-readme-"));
const jobs: { readme: string; dir: string; blocks: Block[] }[] = [];
const readmes = ["README.md", ...pkgs.map((p) => `${p.dir}/README.md`)];
for (const readme of readmes) {
  let text: string;
  try {
    text = readFileSync(join(root, readme), "utf8");
  } catch {
    continue;
  }
  const bs = blocks(text);
  if (bs.length === 0) continue;
  const dir = join(scratch, readme.replace(/\/?README\.md$/, "").replace(/\//g, "_") || "root");
  mkdirSync(join(dir, "node_modules", "@tb"), { recursive: true });
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  symlinkSync(join(root, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"));
  const own = pkgs.find((p) => `${p.dir}/README.md` === readme);
  const visible = own
    ? [own, ...(EXTRA_IMPORTS[readme]?.packages ?? []).map((d) => pkgs.find((p) => p.dir === `packages/${d}`))]
    : pkgs;
  for (const p of visible) {
    if (p === undefined) continue;
    symlinkSync(join(root, p.dir), join(dir, "node_modules", p.name));
  }
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  writeFileSync(
    join(dir, "tsconfig.json"),
    `${JSON.stringify({ extends: join(root, "tsconfig.base.json"), compilerOptions: { noEmit: true, noUnusedLocals: false, noUnusedParameters: false }, include: ["*.ts"] })}\n`,
  );
  bs.forEach((b, i) => {
    // `export {}` makes every block its own module (no clashes between blocks' names)
    writeFileSync(join(dir, `block${i}.ts`), `${b.code}\nexport {};\n`);
  });
  jobs.push({ readme, dir, blocks: bs });
}

const tsc = join(root, "node_modules", ".bin", "tsc");
let failed = 0;
let checked = 0;
const queue = [...jobs];
async function worker(): Promise<void> {
  for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
    checked += job.blocks.length;
    try {
      await run(tsc, ["-p", job.dir], { cwd: job.dir });
    } catch (e) {
      failed++;
      const out = String((e as { stdout?: string }).stdout ?? e);
      const j = job;
      // block3.ts(5,10): error … → packages/x/README.md:<line>:10: error …
      const mapped = out.replace(/(?:^|\n)block(\d+)\.ts\((\d+),(\d+)\)/g, (_m, b: string, l: string, c: string) => {
        const blk = j.blocks[Number(b)] as Block;
        return `\n${j.readme}:${blk.line + Number(l) - 1}:${c}`;
      });
      process.stderr.write(`${mapped.trim()}\n`);
    }
  }
}
await Promise.all([worker(), worker()]);
rmSync(scratch, { recursive: true, force: true });
for (const [readme, x] of Object.entries(EXTRA_IMPORTS)) {
  process.stdout.write(
    `check-readmes: note: ${readme} may also import ${x.packages.map((p) => `@tb/${p}`).join(", ")}: ${x.why}\n`,
  );
}
if (failed > 0) {
  process.stderr.write(`check-readmes: ${failed} of ${jobs.length} README(s) have examples that do not typecheck\n`);
  process.exit(1);
}
process.stdout.write(`check-readmes: ${checked} example(s) in ${jobs.length} README(s) typecheck\n`);
