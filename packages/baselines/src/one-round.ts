import {
  CorrectnessMatrix,
  checkAnswers,
  drive,
  type EvaluationContext,
  type EvaluationMethod,
  type EvaluationRequest,
  type EvaluationRun,
  type MethodContext,
  type MethodResult,
  RandomStream,
  TbError,
} from "@tb/core";

/**
 * What a one-round method decides from the sources and its random stream alone, before it sees
 * any answer: which examples each target is asked, and how the answers become the result.
 */
export interface OneRoundPlan {
  /**
   * The examples asked: one list shared by every target, or one list per target (in target
   * order). Answers reach {@link result} in this order; an example listed twice is asked once and
   * its answer given at both places.
   */
  examples: Int32Array | readonly Int32Array[];
  /** Why these examples, e.g. `"sample"`, `"anchors"`, `"coreset"` ({@link EvaluationRequest.reason}). */
  reason: string;
  /** The method's result from every target's answers (`answers[t]` in the order of its examples). */
  result(answers: readonly Float64Array[]): MethodResult;
}

/** The distinct examples of a list (first occurrences, in order) and, when it has repeats, where each entry's answer is. */
function distinct(examples: Int32Array): { asked: Int32Array; at: Int32Array | null } {
  const first = new Map<number, number>();
  const at = new Int32Array(examples.length);
  for (let i = 0; i < examples.length; i++) {
    const j = examples[i] as number;
    let p = first.get(j);
    if (p === undefined) first.set(j, (p = first.size));
    at[i] = p;
  }
  if (first.size === examples.length) return { asked: examples, at: null };
  return { asked: Int32Array.from(first.keys()), at };
}

/**
 * A one-round {@link EvaluationRun}: every target is asked its examples at once (one open request
 * per target, answered in any order), then `plan.result` computes the estimates. `plan` runs when
 * the evaluation starts, after the context's `targets` is checked; it throws the method's own
 * errors (budget, degenerate sources). A plan that asks a target more distinct examples than the
 * budget, or an example the sources do not have, is a bug of the method (`E_INTERNAL`).
 *
 * The result is computed once, at the first {@link EvaluationRun.result} call, and returned again
 * after that.
 */
export function oneRound(method: string, ctx: EvaluationContext, plan: () => OneRoundPlan): EvaluationRun {
  const T = ctx.targets;
  if (!(Number.isInteger(T) && T >= 0)) {
    throw new TbError("E_USAGE", `${method}: targets must be a non-negative integer, got ${String(T)}`);
  }
  const p = plan();
  const lists = p.examples instanceof Int32Array ? null : p.examples;
  if (lists !== null && lists.length !== T) {
    throw new TbError("E_INTERNAL", `${method}: ${lists.length} example lists for ${T} targets`);
  }
  const shared = lists === null ? distinct(p.examples as Int32Array) : null;
  const perTarget = Array.from({ length: T }, (_, t) => shared ?? distinct(lists?.[t] as Int32Array));
  const n = ctx.sources.cols;
  for (const [t, { asked }] of perTarget.entries()) {
    if (asked.length > ctx.budget) {
      throw new TbError(
        "E_INTERNAL",
        `${method}: target ${t} would be asked ${asked.length} examples, past the budget ${ctx.budget}`,
      );
    }
    for (const j of asked) {
      if (!(j >= 0 && j < n)) throw new TbError("E_INTERNAL", `${method}: example ${j} is not in [0, ${n})`);
    }
    if (shared !== null) break;
  }
  const answers: (Float64Array | undefined)[] = new Array(T).fill(undefined);
  let open = T;
  let result: MethodResult | undefined;
  return {
    method,
    targets: T,
    budget: ctx.budget,
    requests(): EvaluationRequest[] {
      const out: EvaluationRequest[] = [];
      for (let t = 0; t < T; t++) {
        if (answers[t] === undefined) {
          out.push({ target: t, examples: (perTarget[t] as { asked: Int32Array }).asked.slice(), reason: p.reason });
        }
      }
      return out;
    },
    answer(target: number, given: ArrayLike<number>): void {
      if (!(Number.isInteger(target) && target >= 0 && target < T) || answers[target] !== undefined) {
        throw new TbError("E_USAGE", `${method}: target ${String(target)} has no open request`);
      }
      const { asked, at } = perTarget[target] as { asked: Int32Array; at: Int32Array | null };
      const y = checkAnswers(given, asked.length, `${method}: answers of target ${target}`);
      answers[target] = at === null ? y : Float64Array.from(at, (i) => y[i] as number);
      open--;
    },
    get done(): boolean {
      return open === 0;
    },
    result(): MethodResult {
      if (open > 0) {
        throw new TbError("E_USAGE", `${method}: no result yet, ${open} of ${T} targets have not answered`);
      }
      result ??= p.result(answers as Float64Array[]);
      return result;
    },
  };
}

/** The evaluation context of a trial: the method context without its oracles, and their count. */
export function evaluationContext(ctx: MethodContext): EvaluationContext {
  return {
    sources: ctx.sources,
    targets: ctx.oracles.length,
    budget: ctx.budget,
    rng: ctx.rng,
    ...(ctx.workspace !== undefined ? { workspace: ctx.workspace } : {}),
  };
}

/**
 * A method whose evaluation is one round: `start(ctx)` is {@link oneRound} of `plan(ctx)`, and
 * `run(ctx)` drives it through the context's oracles (so both give the same numbers, and the
 * oracles refuse any question past the budget).
 */
export function oneRoundMethod(
  name: string,
  plan: (ctx: EvaluationContext) => OneRoundPlan,
): Required<EvaluationMethod> {
  const start = (given: EvaluationContext): EvaluationRun => {
    const ctx = checkedContext(name, given);
    return oneRound(name, ctx, () => plan(ctx));
  };
  return {
    name,
    start,
    run: (ctx: MethodContext): MethodResult => {
      if (ctx === null || typeof ctx !== "object" || !Array.isArray(ctx.oracles)) {
        throw new TbError("E_USAGE", `${name}: the context must hold an array of oracles, one per target`);
      }
      return drive(start(evaluationContext(ctx)), ctx.oracles);
    },
  };
}

/**
 * The context a one-round method is started with, checked in its terms: sources a
 * CorrectnessMatrix, an integer budget, and `rng` a stream or an integer seed (made
 * a stream; a stream stays the same object, so the numbers do not change).
 */
function checkedContext(name: string, ctx: EvaluationContext): EvaluationContext {
  if (ctx === null || typeof ctx !== "object") throw new TbError("E_USAGE", `${name}: the context must be an object`);
  if (!(ctx.sources instanceof CorrectnessMatrix)) {
    throw new TbError(
      "E_USAGE",
      `${name}: sources must be a CorrectnessMatrix (CorrectnessMatrix.from(rows) makes one)`,
    );
  }
  // its range is each method's own check (the pinned errors); a fractional budget reached none
  if (!Number.isInteger(ctx.budget)) {
    throw new TbError("E_USAGE", `${name}: budget must be an integer, got ${String(ctx.budget)}`);
  }
  const rng = RandomStream.from(ctx.rng, `${name}: rng`);
  return rng === ctx.rng ? ctx : { ...ctx, rng };
}
