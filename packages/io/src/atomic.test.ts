import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { writeFileAtomic, writeFilesAtomic } from "./atomic.js";
import { catchTb, tempDir } from "./test-utils.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");

describe("writeFileAtomic", () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  test("writes text and bytes, creates parent directories, leaves no temporary file", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, "a", "b", "out.txt");
    writeFileAtomic(file, "héllo\n");
    expect(readFileSync(file, "utf8")).toBe("héllo\n");
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect(Array.from(readFileSync(file))).toEqual([1, 2, 3]);
    expect(readdirSync(join(t.dir, "a", "b"))).toEqual(["out.txt"]);
  });

  test("replaces an existing file", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, "x.json");
    writeFileSync(file, "old");
    writeFileAtomic(file, "new");
    expect(readFileSync(file, "utf8")).toBe("new");
    expect(readdirSync(t.dir)).toEqual(["x.json"]);
  });

  test("a failed rename keeps the old content and removes the temporary file", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const target = join(t.dir, "occupied");
    mkdirSync(target);
    writeFileSync(join(target, "keep"), "old");
    const err = catchTb(() => writeFileAtomic(target, "new content"));
    expect(err.code).toBe("E_INPUT");
    expect(err.location?.file).toBe(target);
    expect(readdirSync(t.dir)).toEqual(["occupied"]);
    expect(readFileSync(join(target, "keep"), "utf8")).toBe("old");
  });

  test("files written together: when one target is a folder, none is replaced and no temporary file is left", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, "correctness.csv"), "old matrix");
    mkdirSync(join(t.dir, "meta.json"));
    const err = catchTb(() =>
      writeFilesAtomic([
        { path: join(t.dir, "correctness.csv"), data: "new matrix" },
        { path: join(t.dir, "meta.json"), data: "{}" },
      ]),
    );
    expect([err.code, err.location?.file]).toEqual(["E_INPUT", join(t.dir, "meta.json")]);
    expect(readFileSync(join(t.dir, "correctness.csv"), "utf8")).toBe("old matrix");
    expect(readdirSync(t.dir).sort()).toEqual(["correctness.csv", "meta.json"]);
    rmdirSync(join(t.dir, "meta.json"));
    writeFilesAtomic([
      { path: join(t.dir, "correctness.csv"), data: "new matrix" },
      { path: join(t.dir, "meta.json"), data: "{}" },
    ]);
    expect(readFileSync(join(t.dir, "correctness.csv"), "utf8")).toBe("new matrix");
    expect(readdirSync(t.dir).sort()).toEqual(["correctness.csv", "meta.json"]);
  });

  test("a parent that is a file is E_INPUT naming the path", () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, "f"), "x");
    const err = catchTb(() => writeFileAtomic(join(t.dir, "f", "child.txt"), "y"));
    expect(err.code).toBe("E_INPUT");
    expect(err.location?.file).toBe(join(t.dir, "f", "child.txt"));
    expect(readdirSync(t.dir)).toEqual(["f"]);
  });

  test("a process killed in the middle of writing never leaves a partial file", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const target = join(t.dir, "big.txt");
    const size = 8 * 1024 * 1024;
    const script = join(t.dir, "writer.ts");
    writeFileSync(
      script,
      [
        `import { writeFileAtomic } from ${JSON.stringify(pathToFileURL(join(here, "atomic.ts")).href)};`,
        "for (let k = 0; ; k++) {",
        `  writeFileAtomic(${JSON.stringify(target)}, String.fromCharCode(97 + (k % 26)).repeat(${size}));`,
        '  if (k === 0) process.stdout.write("ready\\n");',
        "}",
      ].join("\n"),
    );
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ["--conditions=@tb/source", "--import", "tsx", script], {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((ok, fail) => {
        child.stdout.once("data", () => ok());
        child.once("exit", (code) => fail(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((r) => setTimeout(r, 40 + 70 * round));
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      const content = readFileSync(target, "latin1");
      expect(content.length).toBe(size);
      expect(new Set(content).size).toBe(1);
    }
  });
});
