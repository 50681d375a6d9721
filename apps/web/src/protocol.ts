/** Messages between the page and its Web Worker (all computation runs in the worker). */
import type { TrialEstimates } from "@tb/experiment/browser";
import type { ReportPlots, ReportProvenance } from "@tb/plot";
import type { KeyChoice } from "./answers.js";
import type { EstimateResult, EvaluateSettings, Samples } from "./evaluate.js";
import type { EvaluateExample } from "./example-answers.js";
import type { StudyReport, StudySettings } from "./study.js";

export type Request =
  | { type: "methods"; id: number }
  /** The Evaluate view's one-click example (example.ts). */
  | { type: "example"; id: number }
  | { type: "study"; id: number; settings: StudySettings }
  | { type: "probe"; id: number; source: { name: string; text: string }; settings: EvaluateSettings }
  | { type: "tailor"; id: number; answers: { name: string; text: string }; lmEval: LmEvalChoice; keys: KeyChoice }
  /** tailored-plus's second look: its answers choose the design (answered with "tailor-done"). */
  | { type: "look"; id: number; answers: { name: string; text: string }; lmEval: LmEvalChoice; keys: KeyChoice }
  | { type: "estimate"; id: number; answers: { name: string; text: string }; lmEval: LmEvalChoice; keys: KeyChoice };

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
  | ({ type: "probe-done"; id: number; source: SourceSummary; gsetIds: string[] } & Samples)
  | ({
      type: "tailor-done";
      id: number;
      mode: string;
      outOfRange: "above" | "below" | null;
      nativeSources: number;
      toEvaluateIds: string[];
      fallback: string;
      /** How the answers file was read (which ids it was keyed by). */
      answersNote: string;
    } & Samples)
  | { type: "estimate-done"; id: number; result: EstimateResult; answersNote: string }
  | { type: "error"; id: number; code: string; message: string };
