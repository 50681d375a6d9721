import { TbError } from "@tb/core";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * Render a Vega-Lite spec to a standalone SVG string with Vega's headless renderer: no DOM, no
 * canvas, no network (the data must be inline). The same call works in Node and in a browser.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const specData = (spec as { data?: { url?: unknown } }).data;
  if (specData && typeof specData.url === "string") {
    throw new TbError("E_USAGE", `plots take inline data only, not a URL (${specData.url})`);
  }
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
