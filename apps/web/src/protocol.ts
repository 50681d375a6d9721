/** Messages between the page and its Web Worker (all computation runs in the worker). */

import type { ComparisonResult, RoundPhase, SavedComparison } from "@tb/estimate";
import type { TrialEstimates } from "@tb/experiment/browser";
import type { ReportPlots, ReportProvenance } from "@tb/plot";
import type { KeyChoice } from "./answers.js";
import type { CompareSettings } from "./compare.js";
import type { EstimateResult, EvaluateSettings, RoundRow, Samples } from "./evaluate.js";
import type { CompareExample, EvaluateExample } from "./example-answers.js";
import type { StudyReport, StudySettings } from "./study.js";

export type Request =
  | { type: "methods"; id: number }
  /** The Evaluate view's one-click example (example.ts). */
  | { type: "example"; id: number }
  | { type: "study"; id: number; settings: StudySettings }
  /** The sha256 of a file's bytes, for a provenance (hashed here, off the page's thread). */
  | { type: "sha256"; id: number; file: Blob }
  | { type: "probe"; id: number; source: { name: string; text: string }; settings: EvaluateSettings }
  /**
   * Answers to what the evaluation asked in round `round` (1 = the G-set): answered with what it
   * asks for next ("asks") or its estimate ("estimate-done"). Answering an earlier round again
   * starts over from there.
   */
  | {
      type: "answer";
      id: number;
      round: number;
      answers: { name: string; text: string };
      lmEval: LmEvalChoice;
      keys: KeyChoice;
    }
  /** The Compare view's one-click example (example.ts). */
  | { type: "compare-example"; id: number }
  /** Compare step 1: the examples both models are run on. */
  | { type: "compare-design"; id: number; source: { name: string; text: string }; settings: CompareSettings }
  /**
   * Compare step 3: A's and B's answers to the shared examples, with the page's settings now (refused
   * when they changed since step 1).
   */
  | {
      type: "compare-answer";
      id: number;
      answers: [{ name: string; text: string }, { name: string; text: string }];
      lmEval: LmEvalChoice;
      keys: KeyChoice;
      settings: CompareSettings;
    };

/** lm-eval samples: which metric and filter to read (as `--metric` / `--filter`); empty = the only one. */
export interface LmEvalChoice {
  metric?: string;
  filter?: string;
}

export interface SourceSummary {
  name: string;
  models: number;
  examples: number;
}

export type Reply =
  | { type: "methods-done"; id: number; methods: string[] }
  | { type: "example-done"; id: number; example: EvaluateExample }
  | { type: "sha256-done"; id: number; sha256: string }
  | {
      type: "progress";
      id: number;
      done: number;
      total: number;
      label: string;
      /** The trials finished since the last progress message: method, budget, seconds. */
      times: { method: string; budget: number; seconds: number }[];
    }
  | {
      type: "study-done";
      id: number;
      report: StudyReport;
      trials: TrialEstimates[];
      plots: ReportPlots;
      html: string;
      provenance: ReportProvenance;
    }
  | ({
      type: "probe-done";
      id: number;
      source: SourceSummary;
      /** The budget N the evaluation uses (the field's, or the library's default for the matrix). */
      budget: number;
      gsetIds: string[];
    } & Samples)
  | ({
      /** The evaluation asks for more after the G-set, whatever the reason (second look, design, precision, …). */
      type: "asks";
      id: number;
      /** The round it asks for (1 = the G-set). */
      round: number;
      /** The evaluation's reason, and its sentence on why these examples. */
      reason: string;
      why: string;
      /** The phase of that reason (@tb/estimate's `EvaluationStep.phase`): which step of the page takes the answers. */
      phase: RoundPhase;
      mode: string;
      outOfRange: "above" | "below" | null;
      nativeSources: number;
      toEvaluateIds: string[];
      fallback: string;
      /** Why these examples, in a sentence, and what an out-of-range G-set score says (from @tb/estimate). */
      wording: string;
      outOfRangeNote: string | null;
      /** The rounds answered so far. */
      rounds: RoundRow[];
      /** How the answers file was read (which ids it was keyed by). */
      answersNote: string;
    } & Samples)
  | { type: "estimate-done"; id: number; result: EstimateResult; rounds: RoundRow[]; answersNote: string }
  | { type: "compare-example-done"; id: number; example: CompareExample }
  | ({
      type: "compare-designed";
      id: number;
      source: SourceSummary;
      /** The budget N the comparison uses (the field's, or the library's default for the matrix). */
      budget: number;
      /** Example ids both models are run on, and why these. */
      ids: string[];
      why: string;
    } & Samples)
  | {
      type: "compared";
      id: number;
      result: ComparisonResult;
      /** The answered comparison (`toJSON()`), for the page's download. */
      saved: SavedComparison;
      /** How each answers file was read (A's, B's). */
      answersNotes: [string, string];
    }
  | { type: "error"; id: number; code: string; message: string };
