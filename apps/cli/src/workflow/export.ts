/** `tb export` (docs/DESIGN.md §3.2): the doc indices to run next, as lm-eval `--samples` JSON. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { TbError } from "@tb/core";
import {
  checkSource,
  type LmEvalSamplesOptions,
  lmEvalSamplesFor,
  parseDocOrder,
  readPlanFile,
  readProbeFile,
  type SourceRef,
  writeFileAtomic,
} from "@tb/io";
import {
  cliErrors,
  done,
  isDir,
  loadSource,
  noPositionals,
  parseFlags,
  refuseInputAsOut,
  refuseSourceAsOut,
  required,
  sourceMeta,
  usage,
  WORKFLOW_USAGE,
} from "./common.js";
import { COMPARE_PLAN_KIND, readComparePlan } from "./compare.js";

/** Whether a file is `tb compare`'s plan (anything else is read as a `tb tailor` plan, with its errors). */
function isComparePlan(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { kind?: unknown }).kind === COMPARE_PLAN_KIND;
  } catch {
    return false;
  }
}

const EXPORT_OPTIONS = {
  plan: { type: "string" },
  probe: { type: "string" },
  format: { type: "string" },
  task: { type: "string" },
  source: { type: "string" },
  "doc-order": { type: "string" },
  "include-gset": { type: "boolean" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * `tb export` (docs/DESIGN.md §3.2): the examples to run next as lm-evaluation-harness `--samples` JSON
 * (leaf task → sorted unique doc indices): the G-set of a probe, or the examples a plan leaves to
 * evaluate (`--include-gset`: its whole N-set, and a precision round's draws), or all the examples of a `tb compare` plan; written to a file, with the `lm_eval` command
 * line that reads it. Only ids known to be lm-eval doc indices are exported: `--source` of a
 * matrix whose `meta.json` records it (`tb import`), or `--doc-order lm-eval-v0.3` for a matrix
 * in lm-eval v0.3's visit order (column k → doc `perm[k]`).
 */
export function runExport(args: string[]): number {
  const { values: v, positionals } = parseFlags(args, EXPORT_OPTIONS);
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  if ((v.plan === undefined) === (v.probe === undefined)) {
    throw usage("tb export needs exactly one of --plan plan.json or --probe probe.json");
  }
  const format = required("format", v.format, "export");
  if (format !== "lm-eval-samples") throw usage(`--format must be lm-eval-samples, got "${format}"`);
  const out = v.out;
  if (out === undefined) {
    throw usage(
      "tb export needs --out FILE: lm-eval reads the doc indices from that file (--samples FILE; inline JSON fails in lm-eval for more than a few ids)",
    );
  }
  refuseInputAsOut(out, [v.plan, v.probe]);
  const docOrder = parseDocOrder(v["doc-order"]);
  let ids: string[];
  let source: SourceRef;
  let file: string;
  if (v.plan !== undefined && isComparePlan(v.plan)) {
    // tb compare's plan: both models run on all of its examples (no G-set answered before)
    if (v["include-gset"]) {
      throw usage("--include-gset applies to a tb tailor plan; a tb compare plan's examples already include its G-set");
    }
    const { plan } = readComparePlan(v.plan);
    ids = plan.toEvaluate;
    source = plan.source;
    file = v.plan;
  } else if (v.plan !== undefined) {
    const { plan } = readPlanFile(v.plan);
    // --include-gset: every example the estimate will rest on — the N-set (G-set first) and, for
    // a precision round's plan, the round's draws, which are not in its N-set
    ids = v["include-gset"] ? [...new Set([...plan.nset, ...plan.toEvaluate])] : plan.toEvaluate;
    source = plan.source;
    file = v.plan;
  } else {
    if (v["include-gset"]) throw usage("--include-gset applies to --plan only (a probe is the G-set)");
    const { probe: pf } = readProbeFile(v.probe as string);
    ids = pf.gset;
    source = pf.source;
    file = v.probe as string;
  }
  const o: LmEvalSamplesOptions = { examples: source.examples, file };
  if (docOrder !== undefined) o.docOrder = docOrder;
  if (v.task !== undefined) o.task = v.task;
  if (v.source !== undefined) {
    refuseSourceAsOut(out, v.source);
    const matrix = loadSource(v.source);
    cliErrors(() => checkSource(source, matrix, file));
    const meta = sourceMeta(v.source);
    if (meta?.idProvenance !== undefined) o.provenance = meta.idProvenance;
    else if (docOrder === undefined) {
      throw new TbError(
        "E_USAGE",
        `${v.source}: its meta.json does not record that the example ids are lm-eval doc indices (no "id_provenance"), so they cannot be handed to lm-eval. ` +
          "Import the matrix with tb import lm-eval / tb import leaderboard, or, for a matrix in lm-eval v0.3's visit order (Open LLM Leaderboard v1 data such as the TailoredBench GSM8K matrix), add --doc-order lm-eval-v0.3 --task <task>",
        { file: join(isDir(v.source) ? v.source : dirname(v.source), "meta.json"), column: "id_provenance" },
      );
    }
  }
  const spec = cliErrors(() => lmEvalSamplesFor(ids, o));
  const tasks = Object.keys(spec).join(",");
  const cmd =
    `lm_eval --model hf --model_args pretrained=<your-model> --tasks ${shellQuote(tasks)} ` +
    `--samples ${shellQuote(out)} --log_samples --output_path <output-dir>`;
  const count = Object.values(spec).reduce((a, d) => a + d.length, 0);
  writeFileAtomic(out, `${JSON.stringify(spec)}\n`);
  return done(
    `${count} doc indices in ${Object.keys(spec).length} leaf task(s) → ${out}` +
      (docOrder === "lm-eval-v0.3" ? ` (columns mapped from lm-eval v0.3's visit order to doc indices)` : "") +
      `\nRun (lm-eval ≥ 0.4.9; no --limit):\n  ${cmd}\n` +
      `Then pass the run's samples folder as --responses${docOrder !== undefined ? " with the same --doc-order" : ""}.`,
  );
}
