import { tbProject } from "../../vitest.shared.ts";

export default tbProject("@tb/plot");
