/**
 * Time left in a study, from the trials done so far. Trials run method by method (then budget,
 * then trial), and a method's trials can cost a hundred times another's, so the estimate uses
 * each method's own mean time per trial at each budget, and for a method not yet started the
 * mean of the trials done: "about", and updated after every trial.
 */

/** One finished trial. */
export interface TrialTime {
  method: string;
  budget: number;
  seconds: number;
}

/** Seconds left for the trials of `methods` × `budgets` × `trials` (that order) after `done`. */
export function secondsLeft(
  plan: { methods: readonly string[]; budgets: readonly number[]; trials: number },
  done: readonly TrialTime[],
): number {
  if (done.length === 0) return Number.NaN;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const all = mean(done.map((d) => d.seconds));
  let left = 0;
  let k = 0;
  for (const m of plan.methods) {
    const ofMethod = done.filter((d) => d.method === m);
    for (const b of plan.budgets) {
      const cell = ofMethod.filter((d) => d.budget === b).map((d) => d.seconds);
      const per = cell.length > 0 ? mean(cell) : ofMethod.length > 0 ? mean(ofMethod.map((d) => d.seconds)) : all;
      for (let t = 0; t < plan.trials; t++, k++) if (k >= done.length) left += per;
    }
  }
  return left;
}

/** "12 s", "3 min 05 s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "…";
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}
