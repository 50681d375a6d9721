import { CorrectnessMatrix, type MatrixLike, RandomStream, TbError } from "@tb/core";
import { estimateFromClusters, nativeMean } from "./calibrate.js";
import { estimateInterval } from "./interval.js";
import { sourceMeans, stratifiedDesign } from "./plus/design.js";
import {
  afterSecondLook,
  DEFAULT_RANGE_QUANTILE,
  DEFAULT_SECOND_LOOK,
  gsetScores,
  type OutOfRange,
  type PlusEstimate,
  type PlusMode,
  plusBeyond,
  plusMode,
  plusWithin,
  secondLookSize,
} from "./plus/method.js";
import { probe, selectNatives, type TailorPlan, tailor } from "./tailored.js";

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** N: distinct examples the model is run on, G-set included; default 30. */
  budget?: number;
  /** Seed of every random choice; default 0 (`tb probe/tailor --seed` use the same streams). */
  seed?: number;
  /** Example ids when `sources` is a plain array (default `"0"…"n−1"`). */
  examples?: readonly string[];
  /** Nominal coverage of the interval; default 0.9. */
  level?: number;
  /**
   * `"tailored-plus"` (default) or the faithful `"tailored"` (its interval is `estimateInterval`'s,
   * as `tb estimate` prints it).
   */
  method?: "tailored-plus" | "tailored";
  /** G-set size; default 10. */
  gset?: number;
  /**
   * tailored-plus: share of the budget after the G-set that a model at the top of the sources'
   * range on the G-set spends on a second look before its design is chosen; default 0.3, 0 = off.
   */
  secondLook?: number;
}

/** Result of {@link evaluate}. */
export interface EvaluateResult {
  /** Estimated accuracy on the whole benchmark. */
  accuracy: number;
  /** Interval for it at `level`, within [0, 1]. */
  interval: [number, number];
  level: number;
  /** Example ids the model was asked about, in the order asked (G-set first). */
  asked: string[];
  method: "tailored-plus" | "tailored";
  /** tailored-plus: how the model was treated (`"beyond"`: at the top of the sources' range). */
  mode?: PlusMode;
  /** tailored-plus: whether the model took a second look before its design was chosen. */
  secondLook?: boolean;
  /**
   * The model's G-set score is above (below) every source's; or, in the within mode, its score on
   * its coreset is at the top (bottom) of the sources' there, and the interval reaches 1 (0).
   */
  outOfRange: OutOfRange;
}

/** The estimate and interval of a mode's result, without its diagnostics. */
const pick = (e: PlusEstimate): PlusEstimate => ({ accuracy: e.accuracy, interval: e.interval });

/** What the caller's `ask` returns: answers in [0, 1], one per id, in order (or a promise of it). */
export type Ask = (exampleIds: string[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * Estimate one model's accuracy on a benchmark from a few of its answers, in one call: the G-set
 * probe, then the rest of the coreset (tailored-plus by default), then the estimate and its
 * interval. `ask(ids)` runs the model on those examples and returns its correctness (0/1 or a
 * score in [0, 1]) in the same order; it is called twice (the G-set, then the rest) — three times
 * when tailored-plus takes a second look — and never for more than `budget` distinct examples in all.
 *
 * ```ts
 * const r = await evaluate(sourceRows, async (ids) => runMyModel(ids), { budget: 30, seed: 0 });
 * console.log(r.accuracy, r.interval);
 * ```
 *
 * @param sources per-example correctness of the source models (models × examples): a
 *   `number[][]`, typed rows, an `ml-matrix` `Matrix`, or a `CorrectnessMatrix`
 * @throws TbError `E_USAGE` for bad options, `E_INPUT` for bad sources or answers
 */
export async function evaluate(
  sources: MatrixLike | CorrectnessMatrix,
  ask: Ask,
  options: EvaluateOptions = {},
): Promise<EvaluateResult> {
  const matrix =
    sources instanceof CorrectnessMatrix
      ? sources
      : CorrectnessMatrix.from(
          sources as MatrixLike,
          options.examples !== undefined ? { exampleIds: options.examples, name: "sources" } : { name: "sources" },
        );
  if (sources instanceof CorrectnessMatrix && options.examples !== undefined) {
    throw new TbError("E_USAGE", "evaluate: examples applies to plain arrays; a CorrectnessMatrix has its own ids");
  }
  if (typeof ask !== "function") throw new TbError("E_USAGE", "evaluate: ask must be a function (ids) => answers");
  const method = options.method ?? "tailored-plus";
  if (method !== "tailored-plus" && method !== "tailored") {
    throw new TbError("E_USAGE", `evaluate: method must be "tailored-plus" or "tailored", got "${String(method)}"`);
  }
  const level = options.level ?? 0.9;
  if (!(typeof level === "number" && level > 0 && level < 1)) {
    throw new TbError("E_USAGE", `evaluate: level must be in (0, 1), got ${String(level)}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new TbError("E_USAGE", `evaluate: seed must be an integer, got ${String(seed)}`);
  const g = options.gset ?? 10;
  const share = options.secondLook ?? DEFAULT_SECOND_LOOK;
  if (!(typeof share === "number" && share >= 0 && share < 1)) {
    throw new TbError("E_USAGE", `evaluate: secondLook must be a share in [0, 1), got ${String(share)}`);
  }
  const budget = options.budget ?? 30;
  if (!(Number.isInteger(budget) && budget > g && budget <= matrix.cols)) {
    throw new TbError(
      "E_USAGE",
      `evaluate: budget must be an integer larger than the G-set (${g}) and at most the ${matrix.cols} examples, got ${String(budget)}`,
    );
  }
  if (matrix.rows < 3) throw new TbError("E_INPUT", `evaluate: need at least 3 source models, got ${matrix.rows}`);
  const ids = (cols: ArrayLike<number>) => Array.from(cols, (j) => matrix.exampleIds[j] as string);
  const query = async (cols: Int32Array): Promise<Float64Array> => {
    const list = ids(cols);
    const got = await ask(list);
    if (got === null || typeof got !== "object" || typeof (got as ArrayLike<number>).length !== "number") {
      throw new TbError("E_INPUT", "evaluate: ask must return an array of answers");
    }
    if (got.length !== list.length) {
      throw new TbError("E_INPUT", `evaluate: ask returned ${got.length} answers for ${list.length} examples`);
    }
    return Float64Array.from({ length: list.length }, (_, i) => {
      const v = got[i];
      if (!(typeof v === "number" && v >= 0 && v <= 1)) {
        throw new TbError(
          "E_INPUT",
          `evaluate: the answer for example "${list[i]}" is ${String(v)}, not a number in [0, 1]`,
        );
      }
      return v;
    });
  };
  const rng = RandomStream.derive(seed);
  const { gset } = probe(matrix, rng.child("gset"), { gset: g });
  const gAnswers = await query(gset);
  const gScore = gAnswers.reduce((a, b) => a + b, 0) / g;
  const range = plusMode(gsetScores(matrix, gset), gScore, DEFAULT_RANGE_QUANTILE);
  const acc = matrix.trueScores();
  const look = method === "tailored-plus" && range.mode === "beyond" ? secondLookSize(budget - g, share) : 0;
  if (method === "tailored-plus" && range.mode === "beyond" && look === 0) {
    const design = stratifiedDesign(sourceMeans(matrix), gset, budget - g, rng.child("strata"));
    const rest = await query(design.picks);
    const observed = Int32Array.from([...gset, ...design.picks]);
    const b = plusBeyond(matrix, acc, design, gset, observed, Float64Array.from([...gAnswers, ...rest]), level);
    return { ...pick(b), level, asked: ids(observed), method, mode: "beyond", outOfRange: range.outOfRange };
  }
  const sel = selectNatives(matrix, gset, [gAnswers]);
  const natives = sel.natives[0] as Int32Array;
  let plan: Omit<TailorPlan, "dBar" | "nBar">;
  let fixedAnswers = gAnswers;
  if (look > 0) {
    // the second look: more of its tailored coreset; its score there decides the design
    const first = tailor(matrix, gset, natives, g + look, rng.child("look", 0));
    fixedAnswers = Float64Array.from([...gAnswers, ...(await query(first.toEvaluate))]);
    const next = afterSecondLook(matrix, first.nset, fixedAnswers, natives, budget, rng, 0);
    if (next.mode === "beyond") {
      const rest = await query(next.design.picks);
      const all = Float64Array.from([...fixedAnswers, ...rest]);
      const b = plusBeyond(matrix, acc, next.design, first.nset, next.observed, all, level);
      return {
        ...pick(b),
        level,
        asked: ids(next.observed),
        method,
        mode: "beyond",
        secondLook: true,
        outOfRange: range.outOfRange,
      };
    }
    plan = next.plan;
  } else {
    plan = tailor(matrix, gset, natives, budget, rng.child("nset", 0));
  }
  const rest = await query(plan.toEvaluate);
  const answers = Float64Array.from([...fixedAnswers, ...rest]);
  if (method === "tailored-plus") {
    const w = plusWithin(matrix, acc, natives, plan.nset, plan.labels, answers, level);
    return {
      ...pick(w),
      level,
      asked: ids(plan.nset),
      method,
      mode: "within",
      ...(look > 0 ? { secondLook: true } : {}),
      outOfRange: range.outOfRange ?? w.outOfRange,
    };
  }
  // The faithful method's interval as `tb estimate` gives it (`estimateInterval`).
  const accuracy = estimateFromClusters(nativeMean(matrix, natives), plan.nset, plan.labels, answers).accuracy;
  const iv = estimateInterval(matrix, plan, accuracy, { level }).interval ?? [accuracy, accuracy];
  return {
    accuracy,
    interval: [iv[0], iv[1]],
    level,
    asked: ids(plan.nset),
    method,
    outOfRange: range.outOfRange,
  };
}
