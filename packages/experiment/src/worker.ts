import type { CorrectnessMatrix } from "@tb/core";
import { type SharedMatrix, unshareMatrix } from "./executor.js";
import { runTrial, type TrialRecord, type TrialTask } from "./protocol.js";

let cached: { key: string; matrix: CorrectnessMatrix } | undefined;

/** Tinypool worker entry: run one trial on the shared matrix (rebuilt once per worker). */
export default function runTask(msg: { shared: SharedMatrix; task: TrialTask }): TrialRecord {
  if (cached?.key !== msg.shared.key) cached = { key: msg.shared.key, matrix: unshareMatrix(msg.shared) };
  return runTrial(cached.matrix, msg.task);
}
