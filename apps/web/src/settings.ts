/**
 * The settings of a Study and the demo's, kept apart from study.ts so the page can read them
 * without bundling the algorithms (those run in the worker).
 */
import type { SplitKind } from "@tb/experiment/browser";

/** Where the study's models come from. */
export type StudyData =
  | { kind: "synthetic"; seed: number; models: number; examples: number }
  | {
      kind: "csv";
      /** The file's name. */
      name: string;
      text: string;
      /** The name in titles (e.g. meta.json's benchmark); default: the file name without .csv. */
      title?: string;
      /** sha256 of the file's bytes, for the report's provenance. */
      sha256?: string;
    };

/** Settings of a study (the `tb reproduce` flags of the same names). */
export interface StudySettings {
  data: StudyData;
  methods: string[];
  budgets: number[];
  trials: number;
  seed: number;
  split: Exclude<SplitKind, "meta">;
  targetFraction?: number;
  gset?: number;
  level?: number;
}

/** `tb demo`'s defaults: the synthetic population (seed 0), three methods, N = 20, 30, 40, 10 trials. */
export const DEMO_STUDY: StudySettings = {
  data: { kind: "synthetic", seed: 0, models: 120, examples: 600 },
  methods: ["tailored-plus", "tailored", "random"],
  budgets: [20, 30, 40],
  trials: 10,
  seed: 0,
  split: "random",
};
