import { tbProject } from "../../vitest.shared";

export default tbProject("@tb/metrics");
