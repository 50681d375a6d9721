import { availableParallelism } from "node:os";
import { type CorrectnessKind, CorrectnessMatrix, checkOptionKeys, TbError, Workspace } from "@tb/core";
import { loadMethodModule } from "./custom.js";
import { runTrial, splitKey, type TrialRecord, type TrialTask } from "./protocol.js";
import { RUN_OPTION_FIELDS, type RunOptions } from "./reproduce-core.js";
import type { WorkerReply } from "./worker.js";

/** The matrix as sent to worker threads: the values in a SharedArrayBuffer (shared, not copied). */
export interface SharedMatrix {
  key: string;
  buffer: SharedArrayBuffer;
  modelIds: readonly string[];
  exampleIds: readonly string[];
  kind: CorrectnessKind;
  name: string;
  trueScores: Float64Array;
}

/** Wrap a matrix for worker threads. */
export function shareMatrix(matrix: CorrectnessMatrix): SharedMatrix {
  const buffer = new SharedArrayBuffer(matrix.data.byteLength);
  new Float64Array(buffer).set(matrix.data);
  return {
    key: `${matrix.name}:${matrix.rows}x${matrix.cols}:${Math.random().toString(36).slice(2)}`,
    buffer,
    modelIds: matrix.modelIds,
    exampleIds: matrix.exampleIds,
    kind: matrix.kind,
    name: matrix.name,
    trueScores: matrix.trueScores(),
  };
}

/** Rebuild a matrix from its shared form without copying the values. */
export function unshareMatrix(s: SharedMatrix): CorrectnessMatrix {
  return new CorrectnessMatrix({
    data: new Float64Array(s.buffer),
    modelIds: s.modelIds,
    exampleIds: s.exampleIds,
    kind: s.kind,
    name: s.name,
    trueScores: s.trueScores,
    copy: false,
  });
}

export type { ProgressFn } from "./reproduce-core.js";

/**
 * Young-generation limit of each worker thread, in MiB (V8 splits it into semi-spaces of a third).
 * The trial code keeps its data in typed arrays, outside the JS heap: a worker's JS heap in use is
 * 8–17 MiB (GSM8K protocol, after each batch), while V8's default lets the young generation of every thread grow to 32 MiB of
 * semi-spaces, and dead typed arrays hold their memory until a scavenge finds them. 12 MiB cut the
 * faithful GSM8K protocol's peak by ≈ 50–70 MiB with two workers at no measurable cost in time
 * (docs/PERFORMANCE.md, "Worker heaps"). Numbers never depend on it.
 */
const WORKER_YOUNG_GENERATION_MB = 12;

/** Task indices grouped by {@link splitKey}, groups in order of first appearance, tasks in order within. */
function groupBySplit(tasks: readonly TrialTask[]): number[][] {
  const groups = new Map<string, number[]>();
  tasks.forEach((t, i) => {
    const k = splitKey(t);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [i]);
    else g.push(i);
  });
  return [...groups.values()];
}

/**
 * Run trial tasks, inline (`workers ≤ 1`) or on a pool of worker threads (tinypool). Results come
 * back in task order. Because each task derives its own random streams from its keys, the records
 * are identical for any number of workers (only `seconds` differs).
 *
 * The run owns what the methods keep between trials: one `Workspace` (inline: here; with workers:
 * one per worker thread, see worker.ts), dropped when the run ends (inline: disposed; workers: the
 * pool and its threads are destroyed). Nothing of a run outlives it.
 *
 * Tasks with the same split (every budget and method of one trial of a random or interpolation
 * split) run one after another in the same thread, so what a method learns from those sources
 * (gp-IRT's IRT calibration, TailoredBench's distances) is found in the workspace instead of
 * being recomputed per budget: the workspace keeps the sources of a few splits only, and in task
 * order (method, budget, trial) a trial's split comes back after all the other trials'. The order
 * changes no record. An option other than `workers`, `onProgress` and `onWorkers` is refused
 * (`executeTasks: unknown option "<name>"`).
 */
export async function executeTasks(
  matrix: CorrectnessMatrix,
  tasks: readonly TrialTask[],
  options: RunOptions = {},
): Promise<TrialRecord[]> {
  checkOptionKeys(options, RUN_OPTION_FIELDS, "executeTasks");
  if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers >= 1)) {
    throw new TbError("E_USAGE", `executeTasks: workers must be an integer ≥ 1, got ${String(options.workers)}`);
  }
  const workers = Math.max(1, Math.min(options.workers ?? 1, tasks.length, availableParallelism() * 2));
  const out: TrialRecord[] = new Array(tasks.length);
  let done = 0;
  // one batch per split when there are enough splits to keep every worker busy (a trial's budgets
  // and methods then share the worker's workspace); else one task per batch
  const groups = groupBySplit(tasks);
  if (workers <= 1) {
    options.onWorkers?.(1);
    const workspace = new Workspace();
    try {
      for (const i of groups.flat()) {
        const task = tasks[i] as TrialTask;
        const method = task.module ? await loadMethodModule(task.module, task.config) : undefined;
        const rec = runTrial(matrix, task, method, workspace);
        out[i] = rec;
        options.onProgress?.(++done, tasks.length, rec);
        // let timers and stdout flush between trials
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      workspace.dispose();
    }
    return out;
  }
  const { default: Tinypool } = await import("tinypool");
  const here = import.meta.url;
  const fromSource = here.endsWith(".ts");
  const filename = new URL(fromSource ? "./worker-source.mjs" : "./worker.js", here).href;
  const pool = new Tinypool({
    filename,
    minThreads: workers,
    maxThreads: workers,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    ...(fromSource ? { execArgv: ["--conditions=@tb/source"] } : {}),
  });
  const shared = shareMatrix(matrix);
  try {
    const batches = groups.length >= workers ? groups : tasks.map((_, i) => [i]);
    options.onWorkers?.(Math.min(workers, batches.length));
    await Promise.all(
      batches.map(async (batch) => {
        const reply = (await pool.run({ shared, tasks: batch.map((i) => tasks[i]) })) as WorkerReply;
        if ("error" in reply) throw new TbError(reply.error.code, reply.error.message);
        reply.records.forEach((rec, j) => {
          out[batch[j] as number] = rec;
          options.onProgress?.(++done, tasks.length, rec);
        });
      }),
    );
  } finally {
    await pool.destroy();
  }
  return out;
}
