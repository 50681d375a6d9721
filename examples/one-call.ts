/**
 * The one-call API: estimate one new model's accuracy from 30 of its answers, with `number[][]`
 * sources and an `ask` callback standing in for running the model. The "new model" here is the
 * strongest of a synthetic population, held out of the sources — stronger than every model the
 * leaderboard holds — and a middling one for contrast.
 */
import { evaluate } from "@tb/estimate";
import { syntheticPopulation } from "@tb/experiment";

export interface OneCallResult {
  name: string;
  truth: number;
  accuracy: number;
  interval: [number, number];
  asked: number;
  mode: string | undefined;
  outOfRange: string | null;
}

export async function oneCall(): Promise<OneCallResult[]> {
  const population = syntheticPopulation({ seed: 11 });
  const scores = population.trueScores();
  const order = Array.from({ length: population.rows }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  const picks = { strongest: order[0] as number, middling: order[Math.floor(population.rows / 2)] as number };
  const held = new Set(Object.values(picks));
  // The sources as a user might hold them: plain rows of 0/1.
  const sources = Array.from({ length: population.rows }, (_, i) => i)
    .filter((i) => !held.has(i))
    .map((i) => Array.from(population.row(i)));
  const out: OneCallResult[] = [];
  for (const [name, row] of Object.entries(picks)) {
    const answers = population.row(row);
    const r = await evaluate(sources, async (ids) => ids.map((id) => answers[Number(id)] as number), {
      budget: 30,
      seed: 0,
    });
    out.push({
      name,
      truth: scores[row] as number,
      accuracy: r.accuracy,
      interval: r.interval,
      asked: r.asked.length,
      mode: r.mode,
      outOfRange: r.outOfRange,
    });
  }
  return out;
}
