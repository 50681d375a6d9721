/**
 * TailoredBench and tailored-plus as {@link EvaluationMethod}s: both are the one resumable
 * protocol of {@link TailoredRun}; `run` drives it through the trial's oracles, `start` hands it to
 * any other driver (a file workflow, a web page, a user's harness).
 */
import {
  checkOptionKeys,
  drive,
  type EvaluationContext,
  type EvaluationMethod,
  type MethodContext,
  type MethodResult,
  optionNames,
  TbError,
  workspaceOf,
} from "@tb/core";
import { checkPlusOptions, type TailoredPlusOptions } from "../plus/method.js";
import { COMMON_OPTION_KEYS, checkTailoredOptions, TAILORED_OPTION_NAMES, type TailoredOptions } from "../tailored.js";
import { PLUS_ONLY_OPTION_KEYS, TailoredRun } from "./run.js";

/**
 * TailoredBench as an {@link EvaluationMethod} (docs/METHOD.md §3): one G-set per trial for all
 * targets, native sources per target (jointly by default), an N-set per target, and the
 * calibrated estimate. Targets are seen only through their answers; each is asked for exactly
 * `budget` distinct examples.
 */
export function tailoredBench(options: TailoredOptions = {}): EvaluationMethod {
  checkOptionKeys(options, TAILORED_OPTION_NAMES, "tailoredBench");
  checkTailoredOptions(options, "tailoredBench");
  const pooling = options.targetPooling ?? "joint";
  if (pooling !== "joint" && pooling !== "single") {
    throw new TbError("E_USAGE", `tailoredBench: targetPooling must be "joint" or "single", got "${String(pooling)}"`);
  }
  const level = options.level;
  if (level !== undefined && !(level > 0 && level < 1)) {
    throw new TbError("E_USAGE", `tailoredBench: level must be in (0, 1), got ${String(level)}`);
  }
  if (options.onNoNatives !== undefined && options.onNoNatives !== "fallback" && options.onNoNatives !== "error") {
    throw new TbError(
      "E_USAGE",
      `tailoredBench: onNoNatives must be "fallback" or "error", got "${String(options.onNoNatives)}"`,
    );
  }
  if (options.cacheBytes !== undefined && !(options.cacheBytes >= 0)) {
    throw new TbError(
      "E_USAGE",
      `tailoredBench: cacheBytes must be a number of bytes ≥ 0, got ${String(options.cacheBytes)}`,
    );
  }
  if (options.workspace !== undefined) workspaceOf(options.workspace, "tailoredBench: workspace");
  const start = (ctx: EvaluationContext): TailoredRun => new TailoredRun("tailored", ctx, options);
  return {
    name: "tailored",
    start,
    run: (ctx: MethodContext): MethodResult => drive(start({ ...ctx, targets: ctx.oracles.length }), ctx.oracles),
  };
}

/**
 * tailored-plus as an {@link EvaluationMethod} (docs/TAILORED-PLUS.md): TailoredBench's G-set probe
 * for every target, then per target one of two designs:
 *
 * - **within** (the target looks like the sources): native sources and an N-set by K-Medoids
 *   with the G-set fixed, as TailoredBench; the estimate blends a ridge model learned over all
 *   sources with the calibrated estimate; the interval is split-conformal over the leave-one-out
 *   errors of the sources that are not natives.
 * - **beyond** (its score is in the sources' top quartile): a difficulty-stratified random sample
 *   and a design-based estimate with a ridge correction; the interval is `± z·SE`.
 *
 * A target in the top quartile on the G-set first takes a second look (`secondLook`) at more of
 * its tailored coreset, and its score there chooses the design — unless its G-set score is above
 * every source's: it takes the stratified sample at once. Each target is asked for exactly
 * `budget` distinct examples, G-set included.
 */
export function tailoredPlus(options: TailoredPlusOptions = {}): EvaluationMethod {
  checkOptionKeys(options, PLUS_OPTION_NAMES, "tailoredPlus");
  checkPlusOptions(options, "tailoredPlus");
  if (options.workspace !== undefined) workspaceOf(options.workspace, "tailoredPlus: workspace");
  const start = (ctx: EvaluationContext): TailoredRun => new TailoredRun("tailored-plus", ctx, options);
  return {
    name: "tailored-plus",
    start,
    run: (ctx: MethodContext): MethodResult => drive(start({ ...ctx, targets: ctx.oracles.length }), ctx.oracles),
  };
}

/**
 * Every option of {@link tailoredPlus}. TailoredBench's `clip`, `estimator`, `nativeCount` and
 * `nativeOffset` are not among them: tailored-plus's estimates do not read the first two, and the
 * last two are the paper's top-k ablation of TailoredBench.
 */
const PLUS_OPTION_NAMES = optionNames<TailoredPlusOptions>()(
  ...COMMON_OPTION_KEYS,
  "level",
  ...PLUS_ONLY_OPTION_KEYS,
  "cacheBytes",
  "workspace",
);
