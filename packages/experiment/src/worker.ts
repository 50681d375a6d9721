import { type CorrectnessMatrix, isTbError, type TbErrorCode, Workspace } from "@tb/core";
import { loadMethodModule } from "./custom.js";
import { type SharedMatrix, unshareMatrix } from "./executor.js";
import { runTrial, type TrialRecord, type TrialTask } from "./protocol.js";

/**
 * This worker thread's part of the current run: the shared matrix, rebuilt once, and the run's
 * workspace for this worker. Both belong to the run (`key` is unique per `executeTasks` call):
 * a task of another run replaces them, and the run's end destroys the pool and its threads.
 */
let run: { key: string; matrix: CorrectnessMatrix; workspace: Workspace } | undefined;

/**
 * What a worker sends back: the records of its batch of trials, in order, or the `TbError` one raised (its code and message:
 * errors lose their class and code when they cross the thread boundary, so they travel as data
 * and the executor raises the same `TbError` again — a bad option is still exit status 2).
 */
export type WorkerReply = { records: TrialRecord[] } | { error: { code: TbErrorCode; message: string } };

/**
 * Tinypool worker entry: run a batch of trials (one after another) on the shared matrix (rebuilt once per worker and run) with
 * this worker's workspace for the run. A user's
 * method given by module ({@link TrialTask.module}) is imported here, in the worker.
 */
export default async function runTask(msg: { shared: SharedMatrix; tasks: TrialTask[] }): Promise<WorkerReply> {
  if (run?.key !== msg.shared.key) {
    run?.workspace.dispose();
    run = { key: msg.shared.key, matrix: unshareMatrix(msg.shared), workspace: new Workspace() };
  }
  try {
    const records: TrialRecord[] = [];
    for (const task of msg.tasks) {
      const method = task.module ? await loadMethodModule(task.module, task.config) : undefined;
      records.push(runTrial(run.matrix, task, method, run.workspace));
    }
    return { records };
  } catch (e) {
    if (isTbError(e)) return { error: { code: e.code, message: e.message } };
    throw e;
  }
}
