/**
 * The files between the phases of the two-phase workflow (docs/DESIGN.md §3.2): their version and shapes.
 */
/**
 * Version of the files between the phases of the two-phase workflow (`probe.json`, `plan.json`,
 * `tb estimate --json`; docs/DESIGN.md §3.2). Readers refuse any other version.
 */
export const WORKFLOW_SPEC_VERSION = 1;

/** The source matrix a probe or plan was made for (docs/DESIGN.md §3.2). */
export interface SourceRef {
  /** Number of source models (rows). */
  models: number;
  /** Number of examples (columns). */
  examples: number;
  /** sha256 (hex) of the matrix's canonical CSV text ({@link matrixSha256}). */
  sha256: string;
}

/** Options the phases share and that must not change between them. */
export interface WorkflowOptions {
  /** Distance for the G-set, model distances and the N-set. */
  metric: "manhattan" | "euclidean" | "cosine" | "correlation";
  /** Standardise embeddings (docs/METHOD.md §3). */
  standardize: boolean;
}

/** `probe.json` (docs/DESIGN.md §3.2): the G-set, the seed and the source matrix it was drawn from. */
export interface ProbeFile {
  specVersion: 1;
  kind: "tailoredbench/probe";
  /** The base seed; the G-set came from `RandomStream.derive(seed).child("gset")`. */
  seed: number;
  /** G-set example ids, in ascending column order. */
  gset: string[];
  options: WorkflowOptions;
  source: SourceRef;
}

/** A plan's precision on demand (`tb tailor --precision P --max-budget M`; docs/DESIGN.md §3.2). */
export interface PlanPrecision {
  /** The half-width asked for. */
  precision: number;
  /** The most distinct examples the target may be asked. */
  maxBudget: number;
  /**
   * 0: `toEvaluate` is the base design's (as in any plan); r ≥ 1: `toEvaluate` is the r-th round
   * of random draws after it, outside `nset`.
   */
  round: number;
  /** Distinct examples answered before this plan's `toEvaluate`. */
  asked: number;
  /** Why `toEvaluate`, in one sentence (the library's `why`): how many more and the half-width that asks for them. */
  why: string;
}

/**
 * `plan.json` (docs/DESIGN.md §3.2): one target's native sources and N-set, and everything
 * `tb estimate` needs to give the same number as the library API.
 */
export interface PlanFile {
  specVersion: 1;
  kind: "tailoredbench/plan";
  /** Name of the target (from its responses file). */
  target: string;
  /** The base seed; this target's N-set came from `RandomStream.derive(seed).child("nset", targetIndex)`. */
  seed: number;
  /** Position of the target in the batch it was tailored in (0 in single-target mode). */
  targetIndex: number;
  /** `single`: natives from the sources plus this target; `joint`: plus every target of the batch. */
  pooling: "single" | "joint";
  /** N: distinct examples the target is evaluated on (G-set included). */
  budget: number;
  /** G-set example ids, ascending. */
  gset: string[];
  /**
   * Medoid list: the G-set ascending, then the `budget − g` extra medoids (docs/METHOD.md §3 step 5);
   * in tailored-plus's beyond mode the G-set (and `looked`), then the random draws; in a `look`
   * plan the G-set and the second look's `m` medoids only.
   */
  nset: string[];
  /** `nset` minus the G-set (and minus `looked`): what is left to evaluate. */
  toEvaluate: string[];
  /** Model ids of the native sources, in source row order. */
  nativeSources: string[];
  /** For every example (column order), the slot in `nset` of its cluster (docs/METHOD.md §2.5). */
  labels: number[];
  /** The target's answers on the G-set, by example id. */
  gAnswers: Record<string, number>;
  /** Native threshold d̄ and native-set size n̄ of the batch (0 in tailored-plus's beyond mode). */
  dBar: number;
  nBar: number;
  options: WorkflowOptions;
  source: SourceRef;
  /** The estimator the plan is for; absent in files of earlier versions, which mean `"tailored"`. */
  method?: "tailored" | "tailored-plus";
  /**
   * tailored-plus: `"within"` (an N-set of medoids, as TailoredBench), `"beyond"` (a stratified
   * random sample; `nativeSources` and `labels` are empty and `strata` gives the design), or
   * `"look"` (a second look: `toEvaluate` are `m` more medoids; with their answers, `tb tailor
   * --plan` makes the target's final plan).
   */
  mode?: "within" | "beyond" | "look";
  /**
   * tailored-plus, a plan made after a second look: the look's examples (in `nset` right after
   * the G-set), already answered; the design keeps them as fixed examples.
   */
  looked?: string[];
  /** tailored-plus, beyond mode: the number of difficulty strata of the design. */
  strata?: number;
  /** tailored-plus: the target's G-set score is above (below) every source's. */
  outOfRange?: "above" | "below" | null;
  /**
   * tailored-plus made with `tb tailor --precision` (precision on demand, docs/DESIGN.md §3.2):
   * the evaluation goes on past the base design in rounds of random draws until the interval's
   * half-width is at most `precision` or `maxBudget` examples were asked.
   */
  precision?: PlanPrecision;
  /**
   * The whole evaluation of this target, saved by `@tb/estimate` (`Evaluation.toJSON`): what
   * `tb tailor --plan` and `tb estimate` resume. Absent in plan files of earlier releases, which
   * are resumed from the fields above.
   */
  evaluation?: Record<string, unknown>;
}
