/**
 * "Compare two models" in the browser: `tb compare` on files held in memory. The page drives the
 * library's paired comparison (`createComparison` → the shared examples → both models' answers →
 * `difference()`), so the examples and the difference equal `compare()`'s for the same source
 * matrix, options and answers (test/compare.test.ts). This module only turns the page's settings
 * and files into the comparison's options and answers, and the library's errors into the page's
 * fields; the design and the difference are the library's.
 */
import { type CorrectnessMatrix, TbError } from "@tb/core";
import {
  type ComparisonResult,
  createComparison,
  EVALUATION_DEFAULTS,
  restoreComparison,
  type SavedComparison,
} from "@tb/estimate";
import type { DocOrder } from "@tb/io/browser";
import { FIELD_OF, inFields, missingMessage, type Samples, samplesOf } from "./evaluate.js";

/** Settings of one comparison (`tb compare`'s flags of the same names). */
export interface CompareSettings {
  /** Names of A and B (`--names`); two distinct non-empty names. */
  names: [string, string];
  /**
   * Examples each model is run on, the same for both (`--budget`). Unset: the library's default for
   * the source matrix (`createComparison`'s; the comparison reports the value it used).
   */
  budget?: number;
  /** Seed of every random choice (`--seed`); default 0. */
  seed: number;
  /** Level of the difference's interval (`--level`); default 0.9. */
  level: number;
  /** `--design`: the G-set then a difficulty-stratified sample (default), or one uniform sample. */
  design: "stratified" | "random";
  /** lm-eval task name for the `--samples` JSON; default: from the example ids. */
  task?: string;
  /** What the source matrix's example ids are (as in the Evaluate view); unset: not known. */
  docOrder?: DocOrder;
}

export const DEFAULT_COMPARE: CompareSettings = {
  names: ["A", "B"],
  seed: EVALUATION_DEFAULTS.seed,
  level: EVALUATION_DEFAULTS.level,
  design: "stratified",
};

/** The Compare view's fields, by the library options they set (for the library's errors). */
export const COMPARE_FIELD_OF: Record<string, string> = {
  ...FIELD_OF,
  budget: "budget N",
  level: "level",
  design: "design",
  names: "names of A and B",
};

/** The settings that shape the comparison; changing one after step 1 means computing it again. */
const SHAPING = ["budget", "seed", "level", "design", "docOrder", "task"] as const;

function changedSince(made: CompareSettings, now: CompareSettings): string[] {
  const changed: string[] = SHAPING.filter((k) => made[k] !== now[k]).map((k) => COMPARE_FIELD_OF[k] ?? k);
  if (made.names[0] !== now.names[0] || made.names[1] !== now.names[1]) changed.push(COMPARE_FIELD_OF.names as string);
  return changed;
}

/** Step 1's result: the examples both models are run on, and the comparison before any answer. */
export interface Designed extends Samples {
  /** The budget N the comparison uses: the one set, or the library's default for the matrix. */
  budget: number;
  /** The example ids to run both models on, in order (the G-set first, for the stratified design). */
  ids: string[];
  /** The same examples as columns of the source matrix. */
  examples: Int32Array;
  /** The library's sentence on why these examples. */
  why: string;
  /** The comparison before the answers (step 3 resumes a copy of it). */
  saved: SavedComparison;
  settings: CompareSettings;
}

/**
 * Step 1: the shared design (`tb compare --out`): `createComparison` with the page's settings;
 * its errors name the page's fields.
 */
export function designStep(sources: CorrectnessMatrix, s: CompareSettings): Designed {
  let cmp: ReturnType<typeof createComparison>;
  try {
    cmp = createComparison(sources, {
      // unset: the library's default for this matrix (the comparison's `budget` says which)
      ...(s.budget !== undefined ? { budget: s.budget } : {}),
      seed: s.seed,
      level: s.level,
      design: s.design,
      names: s.names,
    });
  } catch (e) {
    throw inFields(e, COMPARE_FIELD_OF);
  }
  const step = cmp.next()[0];
  if (step === undefined) throw new TbError("E_INTERNAL", "a new comparison asks for nothing");
  return {
    budget: cmp.budget,
    ids: step.ids,
    examples: step.examples,
    why: step.why,
    saved: cmp.toJSON(),
    settings: { ...s, names: [s.names[0], s.names[1]] },
    ...samplesOf(step.ids, s, sources.cols, COMPARE_FIELD_OF),
  };
}

/** Step 3's result: the difference A − B and the comparison with both models' answers. */
export interface Compared {
  result: ComparisonResult;
  /** The answered comparison (`toJSON()`): `restoreComparison` resumes it. */
  saved: SavedComparison;
}

/**
 * Step 3 (`tb compare --plan … --responses A --responses B`): both models' answers (by column of
 * the source matrix) to the examples of step 1, and the difference. Refused when the settings
 * changed since step 1 (the design was made with the old ones) or an answer is missing.
 */
export function answerCompareStep(
  sources: CorrectnessMatrix,
  designed: Designed,
  answers: readonly [ReadonlyMap<number, number>, ReadonlyMap<number, number>],
  now: CompareSettings,
): Compared {
  const changed = changedSince(designed.settings, now);
  if (changed.length > 0) {
    throw new TbError(
      "E_USAGE",
      `the settings changed since the shared examples were computed (${changed.join(", ")}): compute them again (step 1) to use them`,
    );
  }
  const cmp = restoreComparison(sources, designed.saved);
  for (const t of [0, 1] as const) {
    const r = cmp.answerFrom(t, answers[t]);
    if (r.missing.length > 0) {
      const name = cmp.names[t];
      throw new TbError(
        "E_INPUT",
        missingMessage(
          `the answers of ${t === 0 ? "A" : "B"} (${name}) do not cover the shared examples`,
          r.missing,
          r.asked - r.missing.length,
          r.asked,
        ),
      );
    }
  }
  return { result: cmp.difference(), saved: cmp.toJSON() };
}
