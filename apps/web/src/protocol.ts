/** Messages between the page and its Web Worker (all computation runs in the worker). */
import type { TrialEstimates } from "@tb/experiment/browser";
import type { ReportPlots } from "@tb/plot";
import type { EstimateResult, EvaluateSettings, Samples } from "./evaluate.js";
import type { StudyReport, StudySettings } from "./study.js";

export type Request =
  | { type: "methods"; id: number }
  | { type: "study"; id: number; settings: StudySettings }
  | { type: "probe"; id: number; source: { name: string; text: string }; settings: EvaluateSettings }
  | { type: "tailor"; id: number; answers: { name: string; text: string }; lmEval: LmEvalChoice }
  /** tailored-plus's second look: its answers choose the design (answered with "tailor-done"). */
  | { type: "look"; id: number; answers: { name: string; text: string }; lmEval: LmEvalChoice }
  | { type: "estimate"; id: number; answers: { name: string; text: string }; lmEval: LmEvalChoice };

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
  | { type: "progress"; id: number; done: number; total: number; label: string }
  | {
      type: "study-done";
      id: number;
      report: StudyReport;
      trials: TrialEstimates[];
      plots: ReportPlots;
      html: string;
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
    } & Samples)
  | { type: "estimate-done"; id: number; result: EstimateResult }
  | { type: "error"; id: number; code: string; message: string };
