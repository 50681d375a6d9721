/** `tb probe` (docs/DESIGN.md §3.2): the G-set of a source matrix → `probe.json`. */
import { createEvaluation, EVALUATION_DEFAULTS } from "@tb/estimate";
import {
  formatWorkflowJson,
  type ProbeFile,
  sourceRef,
  WORKFLOW_SPEC_VERSION,
  type WorkflowOptions,
  writeFileAtomic,
} from "@tb/io";
import {
  cliErrors,
  done,
  exportHint,
  intFlag,
  loadSource,
  noPositionals,
  oneOfFlag,
  parseFlags,
  refuseSourceAsOut,
  required,
  usage,
  WORKFLOW_USAGE,
} from "./common.js";

const PROBE_OPTIONS = {
  source: { type: "string" },
  gset: { type: "string" },
  seed: { type: "string" },
  distance: { type: "string" },
  "no-standardize": { type: "boolean" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `tb probe` (docs/DESIGN.md §3.2; docs/METHOD.md §3 step 1): the G-set of the source matrix, written to
 * `probe.json` with the seed, the options and the matrix's sha256.
 */
export function runProbe(args: string[]): number {
  const { values: v, positionals } = parseFlags(args, PROBE_OPTIONS);
  if (v.help) return done(WORKFLOW_USAGE);
  noPositionals(positionals);
  const sourcePath = required("source", v.source, "probe");
  const out = required("out", v.out, "probe");
  refuseSourceAsOut(out, sourcePath);
  const g = intFlag("gset", v.gset, EVALUATION_DEFAULTS.gset, 1);
  const seed = intFlag("seed", v.seed, 0, 0);
  const options: WorkflowOptions = {
    metric:
      oneOfFlag("distance", v.distance, ["manhattan", "euclidean", "cosine", "correlation"] as const) ?? "manhattan",
    standardize: !v["no-standardize"],
  };
  const sources = loadSource(sourcePath);
  if (!(g < sources.cols)) {
    throw usage(`--gset ${g} must be smaller than the number of examples (${sources.cols})`);
  }
  // the G-set is the first step of the evaluation `tb tailor` resumes from this file; it does not
  // depend on the budget (tb tailor gives its own), so the largest one is passed: any --gset below
  // the number of examples is valid here (the default budget, 30, refused --gset 30 and above)
  const gset = cliErrors(
    () =>
      createEvaluation(sources, {
        seed,
        gset: g,
        budget: sources.cols,
        metric: options.metric,
        standardize: options.standardize,
      }).gset,
  );
  const file: ProbeFile = {
    specVersion: WORKFLOW_SPEC_VERSION,
    kind: "tailoredbench/probe",
    seed,
    gset,
    options,
    source: sourceRef(sources),
  };
  writeFileAtomic(out, formatWorkflowJson(file));
  return done(
    `G-set: ${g} examples of ${sources.name} (${sources.rows} source models × ${sources.cols} examples), seed ${seed} → ${out}\n` +
      `  ${file.gset.join(", ")}\n` +
      `Next: run the target on these examples (${exportHint("--probe", out, sourcePath)}),\n` +
      `then: tb tailor --source ${sourcePath} --probe ${out} --responses <answers> --budget <N> --out plan.json\n`,
  );
}
