/**
 * Which ids an answers file is keyed by. The page offers lm-eval doc ids (the `--samples` JSON)
 * and the matrix's own example ids (the id lists and templates); a CSV or JSON of answers may use
 * either. Where the mapping between them is known (the doc order of step 1), this reads the file
 * both ways and keeps the one that answers the examples asked for — and says which it was.
 */
import { type CorrectnessMatrix, TbError } from "@tb/core";
import {
  type DocOrder,
  lmEvalTaskFromFileName,
  lmEvalV03Permutation,
  parseResponses,
  responsesFormat,
} from "@tb/io/browser";

/** How the answers' keys are read: detected, or as the user says. */
export type KeyChoice = "auto" | "columns" | "docs";

/** What the answers were keyed by, as the page says it. */
export type KeyedBy = "the matrix's example ids" | "lm-eval doc ids" | "lm-eval samples (doc_id)";

export interface ReadAnswers {
  answers: Map<number, number>;
  keyedBy: KeyedBy;
  /** One sentence for the page: what was read and how. */
  note: string;
}

/**
 * The lm-eval doc id of each column, as a CSV or JSON of answers would write it, or `null` when
 * the ids are not known to be doc indices or are doc indices already (no second reading).
 * - `lm-eval-v0.3`: column k (id "k") is doc `perm[k]` of lm-eval v0.3's visit order.
 * - `identity` with ids `<task>/<doc>` of one task: the plain `<doc>`.
 */
export function docKeys(sources: CorrectnessMatrix, docOrder: DocOrder | undefined): string[] | null {
  const ids = sources.exampleIds;
  if (docOrder === "lm-eval-v0.3") {
    const perm = lmEvalV03Permutation(ids.length);
    if (!ids.every((id) => /^\d+$/.test(id) && Number(id) < ids.length)) return null;
    return ids.map((id) => String(perm[Number(id)]));
  }
  if (docOrder === "identity") {
    const tasks = new Set<string>();
    const docs: string[] = [];
    for (const id of ids) {
      const m = /^(.+)\/(\d+)$/.exec(id);
      if (!m) return null;
      tasks.add(m[1] as string);
      docs.push(m[2] as string);
    }
    return tasks.size === 1 ? docs : null;
  }
  return null;
}

function tryParse(
  text: string,
  file: string,
  exampleIds: readonly string[],
): { ok: Map<number, number> } | { err: TbError } {
  try {
    return { ok: parseResponses(text, { exampleIds, file }) };
  } catch (err) {
    if (err instanceof TbError) return { err };
    throw err;
  }
}

/**
 * lm-eval samples (keyed by `doc_id`): refused unless the doc order says what the matrix's ids
 * are; with `"lm-eval-v0.3"` the docs are mapped back to the matrix's columns.
 */
function lmEvalAnswers(
  sources: CorrectnessMatrix,
  text: string,
  file: string,
  lmEval: { metric?: string; filter?: string; task?: string },
  docOrder: DocOrder | undefined,
): Map<number, number> {
  if (docOrder === undefined) {
    throw new TbError(
      "E_USAGE",
      `${file} holds lm-eval samples (keyed by doc_id), but the source matrix's example ids are not known to be lm-eval doc indices: say under “example ids are” (step 1) what they are, or give the answers as CSV example,correct`,
      { file },
    );
  }
  const o: Parameters<typeof parseResponses>[1] = { exampleIds: sources.exampleIds, file, ...lmEval };
  if (docOrder === "lm-eval-v0.3") o.docOrder = docOrder;
  // ids of the form <task>/<doc_id> need the task: from samples_<task>_<date>.jsonl if not given
  const task = o.task ?? lmEvalTaskFromFileName(file);
  if (task !== undefined) o.task = task;
  return parseResponses(text, o);
}

const covers = (m: Map<number, number>, needed: readonly number[]) => needed.filter((j) => m.has(j)).length;

/**
 * Read one answers file for the examples `needed` (column indices of the source matrix). lm-eval
 * samples go through the page's lm-eval reader; a CSV or JSON is read by the matrix's example ids
 * and, where {@link docKeys} knows them, by lm-eval doc ids, and the reading that answers more
 * of `needed` is kept (`keys` forces one).
 *
 * @throws TbError `E_USAGE` when both readings answer every example needed but disagree (say
 * which under "answers keyed by"); the parser's error when no reading parses.
 */
export function readAnswers(
  sources: CorrectnessMatrix,
  text: string,
  file: string,
  needed: readonly number[],
  o: {
    lmEval?: { metric?: string; filter?: string; task?: string };
    docOrder?: DocOrder | undefined;
    keys?: KeyChoice;
  } = {},
): ReadAnswers {
  if (responsesFormat(text, file) === "lm-eval") {
    // samples are keyed by doc_id: the matrix's ids as keys would be a choice the reader ignores
    if (o.keys === "columns") {
      throw new TbError(
        "E_USAGE",
        `${file} holds lm-eval samples, keyed by doc_id: “answers keyed by” “the matrix's example ids” does not apply to them — choose “detect” or “lm-eval doc ids”`,
        { file },
      );
    }
    const answers = lmEvalAnswers(sources, text, file, o.lmEval ?? {}, o.docOrder);
    return {
      answers,
      keyedBy: "lm-eval samples (doc_id)",
      note: `${file}: lm-eval samples, keyed by doc_id${o.docOrder === "lm-eval-v0.3" ? " (mapped to the matrix's columns through lm-eval v0.3's visit order)" : ""}; ${covers(answers, needed)} of the ${needed.length} examples asked for are answered`,
    };
  }
  // the answer step's lm-eval fields apply to lm-eval samples only: set for a CSV or JSON, they
  // would be ignored (the task is step 1's, also what the samples JSON is made for: not refused)
  const given = (["metric", "filter"] as const).filter((k) => o.lmEval?.[k] !== undefined && o.lmEval[k] !== "");
  if (given.length > 0) {
    throw new TbError(
      "E_USAGE",
      `${file} is ${responsesFormat(text, file)}, one value per example: the lm-eval ${given.join(", ")} ${given.length > 1 ? "apply" : "applies"} to lm-eval samples only — leave ${given.length > 1 ? "them" : "it"} empty`,
      { file },
    );
  }
  const keys = o.keys ?? "auto";
  const docs = docKeys(sources, o.docOrder);
  if (keys === "docs" && docs === null) {
    throw new TbError(
      "E_USAGE",
      `answers keyed by lm-eval doc ids need the doc order of the matrix's ids (step 1, “example ids are”): it is ${o.docOrder === undefined ? "not known" : "the same as the ids"}`,
    );
  }
  const byCols = keys === "docs" ? null : tryParse(text, file, sources.exampleIds);
  const byDocs = keys === "columns" || docs === null ? null : tryParse(text, file, docs);
  const asCols = byCols && "ok" in byCols ? byCols.ok : null;
  const asDocs = byDocs && "ok" in byDocs ? byDocs.ok : null;
  const say = (answers: Map<number, number>, keyedBy: KeyedBy): ReadAnswers => ({
    answers,
    keyedBy,
    note: `${file}: keyed by ${keyedBy}${keyedBy === "lm-eval doc ids" && o.docOrder === "lm-eval-v0.3" ? " (mapped to the matrix's columns through lm-eval v0.3's visit order)" : ""}${keys === "auto" && docs !== null ? " (detected)" : ""}; ${covers(answers, needed)} of the ${needed.length} examples asked for are answered`,
  });
  if (asCols && !asDocs) return say(asCols, "the matrix's example ids");
  if (asDocs && !asCols) return say(asDocs, "lm-eval doc ids");
  if (asCols && asDocs) {
    const c = covers(asCols, needed);
    const d = covers(asDocs, needed);
    if (c > d) return say(asCols, "the matrix's example ids");
    if (d > c) return say(asDocs, "lm-eval doc ids");
    const same = needed.every((j) => asCols.get(j) === asDocs.get(j));
    if (same) return say(asCols, "the matrix's example ids");
    throw new TbError(
      "E_USAGE",
      `${file} answers ${c} of the ${needed.length} examples asked for both when read by the matrix's example ids and when read by lm-eval doc ids, with different answers: say which under “answers keyed by”`,
      { file },
    );
  }
  // neither parses: the matrix-id reading's error, with the other's when it differs
  const e1 = byCols && "err" in byCols ? byCols.err : null;
  const e2 = byDocs && "err" in byDocs ? byDocs.err : null;
  const first = (e1 ?? e2) as TbError;
  if (e1 && e2 && e2.message !== e1.message) {
    throw new TbError(first.code, `${e1.message}; read by lm-eval doc ids instead: ${e2.message}`);
  }
  throw first;
}
