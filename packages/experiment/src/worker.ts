import { type CorrectnessMatrix, isTbError, type TbErrorCode } from "@tb/core";
import { loadMethodModule } from "./custom.js";
import { type SharedMatrix, unshareMatrix } from "./executor.js";
import { runTrial, type TrialRecord, type TrialTask } from "./protocol.js";

let cached: { key: string; matrix: CorrectnessMatrix } | undefined;

/**
 * What a worker sends back: the trial's record, or the `TbError` it raised (its code and message:
 * errors lose their class and code when they cross the thread boundary, so they travel as data
 * and the executor raises the same `TbError` again — a bad option is still exit status 2).
 */
export type WorkerReply = { record: TrialRecord } | { error: { code: TbErrorCode; message: string } };

/**
 * Tinypool worker entry: run one trial on the shared matrix (rebuilt once per worker). A user's
 * method given by module ({@link TrialTask.module}) is imported here, in the worker.
 */
export default async function runTask(msg: { shared: SharedMatrix; task: TrialTask }): Promise<WorkerReply> {
  if (cached?.key !== msg.shared.key) cached = { key: msg.shared.key, matrix: unshareMatrix(msg.shared) };
  try {
    const method = msg.task.module ? await loadMethodModule(msg.task.module, msg.task.config) : undefined;
    return { record: runTrial(cached.matrix, msg.task, method) };
  } catch (e) {
    if (isTbError(e)) return { error: { code: e.code, message: e.message } };
    throw e;
  }
}
