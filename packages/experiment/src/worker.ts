import { type CorrectnessMatrix, TbError, type TbErrorCode } from "@tb/core";
import { type SharedMatrix, unshareMatrix } from "./executor.js";
import { runTrial, type TrialRecord, type TrialTask } from "./protocol.js";

let cached: { key: string; matrix: CorrectnessMatrix } | undefined;

/**
 * What a worker sends back: the trial's record, or the `TbError` it raised (its code and message:
 * errors lose their class and code when they cross the thread boundary, so they travel as data
 * and the executor raises the same `TbError` again — a bad option is still exit status 2).
 */
export type WorkerReply = { record: TrialRecord } | { error: { code: TbErrorCode; message: string } };

/** Tinypool worker entry: run one trial on the shared matrix (rebuilt once per worker). */
export default function runTask(msg: { shared: SharedMatrix; task: TrialTask }): WorkerReply {
  if (cached?.key !== msg.shared.key) cached = { key: msg.shared.key, matrix: unshareMatrix(msg.shared) };
  try {
    return { record: runTrial(cached.matrix, msg.task) };
  } catch (e) {
    if (e instanceof TbError) return { error: { code: e.code, message: e.message } };
    throw e;
  }
}
