/** `tb import lm-eval|leaderboard` (docs/DESIGN.md §3.1): a source matrix from many models' per-example logs. */
import { join } from "node:path";
import {
  formatCorrectnessCsv,
  type ImportLeaderboardOptions,
  type ImportLmEvalResult,
  importLeaderboard,
  importLmEval,
  parseDocOrder,
  type TaskRead,
  writeFilesAtomic,
} from "@tb/io";
import { done, parseFlags, required, usage, WORKFLOW_USAGE } from "./common.js";

const IMPORT_OPTIONS = {
  out: { type: "string" },
  "id-column": { type: "string" },
  "doc-order": { type: "string" },
  metric: { type: "string", multiple: true },
  filter: { type: "string", multiple: true },
  name: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `tb import lm-eval <output dirs…> --out <dir>` and `tb import leaderboard <files|dirs…> --out <dir>`
 * (docs/DESIGN.md §3.1): a source matrix (`correctness.csv` + `meta.json`) from many models' lm-eval
 * `--log_samples` folders (any version since 0.4.0), or from downloaded Open LLM Leaderboard
 * details (v2 samples folders, v1 details folders, the hub's parquet conversion). `meta.json`
 * records what was read per task and, when the example ids are lm-eval doc indices,
 * `id_provenance` (what `tb export` needs).
 */
export async function runImport(args: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(args, IMPORT_OPTIONS);
  if (v.help) return done(WORKFLOW_USAGE);
  const [format, ...paths] = positionals;
  if (format === undefined) throw usage("tb import needs a format: tb import lm-eval|leaderboard <paths…> --out <dir>");
  if (format !== "lm-eval" && format !== "leaderboard") {
    throw usage(`unknown import format "${format}" (known: lm-eval, leaderboard)`);
  }
  if (paths.length === 0) {
    throw usage(
      `tb import ${format} needs at least one ${format === "lm-eval" ? "lm-eval output folder" : "details file or folder"}`,
    );
  }
  const out = required("out", v.out, "import");
  const common: { metric?: string; filter?: string; name?: string } = {};
  if (v.metric !== undefined) common.metric = v.metric.join(",");
  if (v.filter !== undefined) common.filter = v.filter.join(",");
  if (v.name !== undefined) common.name = v.name;
  const docOrder = parseDocOrder(v["doc-order"]);
  let result: ImportLmEvalResult;
  let docIndices = true;
  if (format === "lm-eval") {
    if (v["id-column"] !== undefined) throw usage("--id-column applies to tb import leaderboard only");
    if (docOrder !== undefined) {
      throw usage("--doc-order applies to tb import leaderboard only (lm-eval samples carry their doc_id)");
    }
    result = importLmEval(paths, common);
  } else {
    const o: ImportLeaderboardOptions = { ...common };
    if (v["id-column"] !== undefined) o.idColumn = v["id-column"];
    if (docOrder !== undefined) o.docOrder = docOrder;
    const r = await importLeaderboard(paths, o);
    docIndices = r.docIndices;
    result = r;
  }
  const { matrix, tasks, models } = result;
  const read: Record<string, TaskRead> = {};
  for (const t of tasks) read[t] = result.read.get(t) as TaskRead;
  const meta = {
    benchmark: matrix.name,
    correctness: matrix.kind,
    models: matrix.rows,
    examples: matrix.cols,
    source: {
      tool:
        format === "lm-eval"
          ? "lm-evaluation-harness --log_samples"
          : "Open LLM Leaderboard details (lm-eval samples or parquet)",
      tasks,
      read,
      ...(format === "leaderboard"
        ? { idColumn: docOrder !== undefined ? `row order, ${docOrder}` : (v["id-column"] ?? "doc_id") }
        : {}),
      folders: models.map((m) => ({ model: m.id, dir: m.dir })),
    },
    example_ids: tasks.length > 1 ? "<task>/<doc_id>" : docIndices ? "<doc_id>" : "row number in the details file",
    ...(docIndices
      ? {
          id_provenance: {
            kind: "lm-eval-doc-index",
            tasks,
            form: tasks.length > 1 ? "<task>/<doc_id>" : "<doc_id>",
            ...(docOrder !== undefined
              ? { note: `rows were in lm-eval v0.3's visit order; row k was mapped to doc perm[k] (${docOrder})` }
              : {}),
          },
        }
      : {}),
  };
  // the matrix and its meta.json together: a failure leaves both as they were
  writeFilesAtomic([
    { path: join(out, "correctness.csv"), data: formatCorrectnessCsv(matrix) },
    { path: join(out, "meta.json"), data: `${JSON.stringify(meta, null, 2)}\n` },
  ]);
  const lines = [
    `${matrix.rows} models × ${matrix.cols} examples (${tasks.map((t) => `${t}: ${read[t]?.metric}${read[t]?.filter === "none" ? "" : `, filter ${read[t]?.filter}`}`).join("; ")}; ${matrix.kind}) → ${join(out, "correctness.csv")}, ${join(out, "meta.json")}`,
  ];
  for (const n of result.notes) lines.push(`note: ${n}`);
  if (!docIndices) {
    lines.push(
      "note: the example ids are row numbers of the details files, not lm-eval doc indices: tb export will refuse them. Open LLM Leaderboard v1 details are in lm-eval v0.3's visit order: import them with --doc-order lm-eval-v0.3",
    );
  }
  return done(lines.join("\n"));
}
