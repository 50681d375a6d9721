import type { CorrectnessMatrix } from "@tb/core";
import { loadMethodModule, resolveMethodModule } from "./custom.js";
import { executeTasks } from "./executor.js";
import { checkReproduceFields, type ReproduceConfig, type ReproduceReport, reproduceWith } from "./reproduce-core.js";

export type { ReproduceConfig, ReproduceReport } from "./reproduce-core.js";

/**
 * The experiment protocol (docs/METHOD.md §4) in Node: for every method, budget and trial, split
 * (fixed or seeded), hide targets behind budgeted oracles, run, and score; then aggregate as
 * mean ± se. Trials run inline or on `cfg.workers` worker threads, with the same results. A field
 * `cfg` does not have is refused (`reproduce: unknown option "<name>"`).
 */
export async function reproduce(matrix: CorrectnessMatrix, cfg: ReproduceConfig): Promise<ReproduceReport> {
  checkReproduceFields(cfg, "reproduce");
  return reproduceWith(matrix, cfg, executeTasks, { resolve: resolveMethodModule, load: loadMethodModule });
}
