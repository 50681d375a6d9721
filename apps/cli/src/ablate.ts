import type { MethodConfig } from "@tb/experiment";

/** One variant of an ablation study: a label and the method options it changes. */
export interface AblationVariant {
  label: string;
  config: MethodConfig;
}

/** An ablation study of TailoredBench (paper Tables 2–4, Figs. 3b and 4; docs/METHOD.md §11). */
export interface AblationStudy {
  name: string;
  description: string;
  /** Inference counts used by default (the paper's ablations use N = 30). */
  budgets: number[];
  variants: (sources: number) => AblationVariant[];
}

/** The studies `tb ablate <study>` knows. */
export const STUDIES: readonly AblationStudy[] = [
  {
    name: "distance",
    description: "distance metric for every clustering and the native selection (paper Table 2)",
    budgets: [30],
    variants: () =>
      (["manhattan", "euclidean", "cosine", "correlation"] as const).map((d) => ({
        label: d,
        config: { distance: d },
      })),
  },
  {
    name: "estimator",
    description: "calibrated vs non-calibrated (medoid-weighted) estimate (paper Table 3)",
    budgets: [30],
    variants: () => (["calibrated", "medoid"] as const).map((e) => ({ label: e, config: { estimator: e } })),
  },
  {
    name: "gset",
    description: "G-set size |G| with N = 30 (paper Table 4)",
    budgets: [30],
    variants: () => [5, 10, 15, 20, 25].map((g) => ({ label: `|G|=${g}`, config: { gset: g } })),
  },
  {
    name: "topk",
    description: "number of native sources as a top-k sweep instead of n̄ (paper Fig. 4)",
    budgets: [30],
    variants: (S) =>
      [5, 10, 20, 30, 40, 50, 60, S]
        .filter((k, i, a) => k <= S && a.indexOf(k) === i)
        .map((k) => ({ label: `top-${k}`, config: { nativeCount: k } })),
  },
  {
    name: "bands",
    description: "consistency-percentile bands of native sources with a fixed count (paper Fig. 3b)",
    budgets: [30],
    variants: (S) => {
      const count = Math.max(1, Math.floor(S / 5));
      return [0, 1, 2, 3, 4].map((b) => ({
        label: `${b * 20}–${(b + 1) * 20}% (ranks ${b * count + 1}–${(b + 1) * count})`,
        config: { nativeCount: count, nativeOffset: b * count },
      }));
    },
  },
];

/** Look a study up by name. */
export function findStudy(name: string | undefined): AblationStudy | undefined {
  return STUDIES.find((s) => s.name === name);
}
