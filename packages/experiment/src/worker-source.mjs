// Worker entry used only when @tb/experiment runs from its TypeScript sources (development,
// `pnpm tb`): worker threads do not inherit tsx's loader, so register it here, then load the
// real worker. Published builds use dist/worker.js directly.
import { register } from "tsx/esm/api";

register();
const mod = await import("./worker.ts");
export default mod.default;
