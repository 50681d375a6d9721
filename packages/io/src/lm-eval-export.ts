/**
 * Example ids → lm-evaluation-harness `--samples` (TOOLCHAIN "Formats"), only when the ids are
 * known to be lm-eval doc indices.
 */
import { checkOptionKeys, optionNames, requireOptions, TbError } from "@tb/core";
import { loc, show } from "./internal.js";
import type { IdProvenance } from "./meta.js";
import { type DocOrder, lmEvalV03Permutation } from "./python-random.js";

/**
 * The JSON for lm-evaluation-harness's `--samples` option (since v0.4.9; TOOLCHAIN "Formats"):
 * leaf task → sorted, unique doc indices. An example id `<task>/<doc_id>` (group tasks such as
 * mmlu, as written by `tb import lm-eval`) goes to its own task; a plain integer id goes to
 * `task`.
 *
 * @param ids - Example ids to evaluate.
 * @param task - The leaf task of plain integer ids.
 * @returns `{ task: [doc indices ascending] }`, tasks in sorted order.
 * @throws TbError `E_USAGE` when plain ids need `task` and it is missing; `E_INPUT` for an id that
 * is neither a non-negative integer nor `<task>/<integer>`.
 */
export function lmEvalSamplesSpec(ids: readonly string[], task?: string): Record<string, number[]> {
  return samplesSpec(ids, task, "lmEvalSamplesSpec", "argument");
}

/** {@link lmEvalSamplesSpec}, its messages naming the function called and how it took `task`. */
function samplesSpec(
  ids: readonly string[],
  task: string | undefined,
  fn: string,
  taskIs: "argument" | "option",
): Record<string, number[]> {
  const byTask = new Map<string, Set<number>>();
  let plain = false;
  for (const id of ids) {
    let t: string | undefined;
    let doc: string;
    const m = /^(.+)\/(\d+)$/.exec(id);
    if (m) {
      t = m[1] as string;
      doc = m[2] as string;
    } else if (/^\d+$/.test(id)) {
      if (task === undefined) {
        throw new TbError(
          "E_USAGE",
          `${fn}: example id ${show(id)} is a plain doc index: pass the lm-eval task it belongs to (${taskIs} task, e.g. gsm8k)`,
        );
      }
      t = task;
      doc = id;
      plain = true;
    } else {
      throw new TbError(
        "E_INPUT",
        `${fn}: example id ${show(id)} is not an lm-eval doc index (expected <doc_id> or <task>/<doc_id>)`,
      );
    }
    const n = Number(doc);
    if (!Number.isSafeInteger(n)) throw new TbError("E_INPUT", `${fn}: example id ${show(id)}: doc index out of range`);
    let set = byTask.get(t);
    if (set === undefined) byTask.set(t, (set = new Set()));
    set.add(n);
  }
  // a task given for ids that all name other tasks would be dropped without a word, and the
  // answers read back under it would then match no id
  if (task !== undefined && !plain && ids.length > 0 && !byTask.has(task)) {
    throw new TbError(
      "E_USAGE",
      `${fn}: ${taskIs} task "${task}" is not used: the example ids name their own tasks (${show(ids[0] as string)}: ${[...byTask.keys()].sort().join(", ")}); leave ${taskIs} task out`,
    );
  }
  const out: Record<string, number[]> = {};
  for (const t of [...byTask.keys()].sort()) out[t] = [...(byTask.get(t) as Set<number>)].sort((a, b) => a - b);
  return out;
}

const FN = "lmEvalSamplesFor";

/** Options of {@link lmEvalSamplesFor}. */
export interface LmEvalSamplesOptions {
  /** Where the matrix's example ids come from (its `meta.json`), if known. */
  provenance?: IdProvenance;
  /** The matrix's columns are in this visit order (column k = doc `perm[k]`). */
  docOrder?: DocOrder;
  /** The leaf task of plain ids (with `docOrder`; checked against `provenance`). */
  task?: string;
  /** Number of columns of the matrix (the probe's or plan's `source.examples`). */
  examples: number;
  /** The probe or plan file, for messages. */
  file?: string;
}

const OPTION_NAMES = optionNames<LmEvalSamplesOptions>()("provenance", "docOrder", "task", "examples", "file");

/**
 * The lm-eval `--samples` map for example ids whose provenance is known: ids recorded as lm-eval
 * doc indices (`provenance`, from `meta.json`), or column numbers of a matrix in lm-eval v0.3's
 * visit order (`docOrder`, mapped to doc `perm[k]`). Tasks are leaves, never a group.
 *
 * @returns `{ leaf task: [doc indices ascending] }`, tasks sorted.
 * @throws TbError `E_USAGE` when the provenance is unknown (naming the two fixes), when both are
 * given, when `task` is missing with `docOrder` or contradicts the provenance, for an unknown
 * option name; `E_INPUT` for an
 * id that does not fit (not a column number below `examples`, a task the matrix lacks).
 */
export function lmEvalSamplesFor(ids: readonly string[], o: LmEvalSamplesOptions): Record<string, number[]> {
  requireOptions(o, FN, "{ examples, task }");
  checkOptionKeys(o, OPTION_NAMES, FN);
  const where = loc(o.file);
  if (o.docOrder === "identity") {
    if (o.provenance === undefined) return samplesSpec(ids, o.task, FN, "option");
  } else if (o.docOrder !== undefined && o.provenance !== undefined) {
    throw new TbError(
      "E_USAGE",
      `${FN}: the source matrix's ids are already lm-eval doc indices (option provenance: its meta.json id_provenance); leave option docOrder out`,
      where,
    );
  }
  if (o.docOrder === "lm-eval-v0.3") {
    if (o.task === undefined) {
      throw new TbError(
        "E_USAGE",
        `${FN}: option docOrder "${o.docOrder}" needs the lm-eval task of the matrix (option task, e.g. gsm8k)`,
      );
    }
    const perm = lmEvalV03Permutation(o.examples);
    const docs = ids.map((id) => {
      const k = /^\d+$/.test(id) ? Number(id) : Number.NaN;
      if (!(k < o.examples)) {
        throw new TbError(
          "E_INPUT",
          `${FN}: example id ${show(id)} is not a column number below ${o.examples}: option docOrder "lm-eval-v0.3" maps column k of a matrix in lm-eval v0.3's visit order to its doc, so the ids must be 0..${o.examples - 1}`,
          where,
        );
      }
      return String(perm[k]);
    });
    return samplesSpec(docs, o.task, FN, "option");
  }
  const p = o.provenance;
  if (p === undefined) {
    throw new TbError(
      "E_USAGE",
      `${FN}: the example ids of ${o.file ?? "the probe/plan"} are not known to be lm-eval doc indices, and lm-eval would run other questions than the matrix's columns. ` +
        "Give option provenance (the id_provenance that an lm-eval or leaderboard import records in the matrix's meta.json), " +
        `or option docOrder "lm-eval-v0.3" with option task for a matrix whose columns are in lm-eval v0.3's visit order (Open LLM Leaderboard v1 data such as the TailoredBench GSM8K matrix); ` +
        `option docOrder "identity" declares that the ids are doc indices (a matrix you built yourself)`,
      where,
    );
  }
  if (p.form === "<doc_id>") {
    const leaf = p.tasks[0] as string;
    // lighteval names lm-eval v0.3 tasks harness_<task>_<shots> (Open LLM Leaderboard v1): --task gives today's name
    if (o.task !== undefined && o.task !== leaf && !/^harness[_|]/.test(leaf)) {
      throw new TbError(
        "E_USAGE",
        `${FN}: option task "${o.task}" contradicts the source matrix, whose ids are doc indices of task ${show(leaf)} (option provenance: its meta.json id_provenance); leave option task out`,
      );
    }
    for (const id of ids) {
      if (!/^\d+$/.test(id)) throw new TbError("E_INPUT", `${FN}: example id ${show(id)} is not a doc index`, where);
    }
    return samplesSpec(ids, o.task ?? leaf, FN, "option");
  }
  if (o.task !== undefined) {
    throw new TbError(
      "E_USAGE",
      `${FN}: option task applies to plain doc indices; the source matrix's ids are <task>/<doc_id> of its leaf tasks (${p.tasks.join(", ")}); leave option task out`,
    );
  }
  const spec = samplesSpec(ids, undefined, FN, "option");
  for (const t of Object.keys(spec)) {
    if (!p.tasks.includes(t)) {
      throw new TbError(
        "E_INPUT",
        `${FN}: example ids of task ${show(t)}, which is not one of the matrix's leaf tasks (${p.tasks.join(", ")})`,
        where,
      );
    }
  }
  return spec;
}
