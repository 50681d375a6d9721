import { type CorrectnessMatrix, TbError } from "@tb/core";
import { defaultTargetFraction, extrapolationSplit, SPLIT_KINDS, type SplitKind } from "@tb/experiment";
import { parseDecimal } from "@tb/io";

/** A share in (0, 1) given as `--name F`; undefined when the option is absent. */
export function fraction(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const f = parseDecimal(v);
  if (!(f > 0 && f < 1)) {
    throw new TbError("E_USAGE", `--${name} must be a number in (0, 1), got "${v}"`);
  }
  return f;
}

/** The split options of `tb reproduce`, `tb demo` and `tb ablate`, checked together. */
export interface SplitChoice {
  split: SplitKind;
  /** Given only when the split uses it (not for meta). */
  targetFraction?: number;
  sourceFraction?: number;
}

/**
 * Parse `--split`, `--target-fraction` and `--source-fraction`. The split defaults to the data's
 * own (meta) split when it has one, else random. A fraction that the chosen split does not use is
 * an error, not silently ignored.
 */
export function splitOptions(
  v: { split?: string | undefined; "target-fraction"?: string | undefined; "source-fraction"?: string | undefined },
  hasMeta: boolean,
  dataLabel: string,
): SplitChoice {
  let split: SplitKind;
  if (v.split === undefined) split = hasMeta ? "meta" : "random";
  else if ((SPLIT_KINDS as readonly string[]).includes(v.split)) split = v.split as SplitKind;
  else throw new TbError("E_USAGE", `--split must be one of ${SPLIT_KINDS.join(", ")}, got "${v.split}"`);
  if (split === "meta" && !hasMeta)
    throw new TbError("E_USAGE", `--split meta: ${dataLabel} has no split in meta.json`);
  const tf = fraction("target-fraction", v["target-fraction"]);
  const sf = fraction("source-fraction", v["source-fraction"]);
  if (split === "meta" && tf !== undefined) {
    throw new TbError(
      "E_USAGE",
      "--target-fraction does not apply to the fixed split of meta.json (use --split random, interpolation or extrapolation)",
    );
  }
  if (sf !== undefined && split !== "extrapolation") {
    throw new TbError("E_USAGE", `--source-fraction applies only to --split extrapolation, not ${split}`);
  }
  const out: SplitChoice = { split };
  if (split !== "meta") out.targetFraction = tf ?? defaultTargetFraction(split);
  if (split === "extrapolation") {
    out.sourceFraction = sf ?? 0.5;
    if (out.sourceFraction + (out.targetFraction as number) > 1 + 1e-12) {
      throw new TbError(
        "E_USAGE",
        `--source-fraction ${out.sourceFraction} and --target-fraction ${out.targetFraction} add up to more than 1`,
      );
    }
  }
  return out;
}

/** How many sources a split leaves (the ablation studies size their sweeps by it). */
export function sourceCount(
  matrix: CorrectnessMatrix,
  choice: SplitChoice,
  metaSplit: { source: ArrayLike<number> } | undefined,
): number {
  if (choice.split === "meta") return (metaSplit as { source: ArrayLike<number> }).source.length;
  if (choice.split === "extrapolation") {
    return extrapolationSplit(matrix.trueScores(), choice.sourceFraction, choice.targetFraction).source.length;
  }
  return matrix.rows - Math.round(matrix.rows * (choice.targetFraction as number));
}
