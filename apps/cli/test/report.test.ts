import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { tb } from "./helpers.js";

/** Points of Vega's SVG: their aria label (field: value; …). */
function pointLabels(svg: string): Map<string, string>[] {
  return [...svg.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g)].map(
    (m) =>
      new Map(
        (m[1] as string).split("; ").map((kv) => {
          const [k, v] = kv.split(": ");
          return [k as string, v as string] as const;
        }),
      ),
  );
}

describe("tb demo --report / --plot", () => {
  test("one self-contained HTML file with the run's numbers; the scatter is trial 0 of the run", () => {
    const dir = mkdtempSync(join(tmpdir(), "tb-report-"));
    const r = tb([
      "demo",
      "--methods",
      "tailored-plus,random",
      "--budgets",
      "20,30",
      "--trials",
      "2",
      "--workers",
      "1",
      "--json",
      join(dir, "r.json"),
      "--plot",
      join(dir, "r.svg"),
      "--report",
      join(dir, "r.html"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["r.html", "r.json", "r.svg"]); // no temp file left behind
    const html = readFileSync(join(dir, "r.html"), "utf8");
    const json = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|\s(src|href)\s*=/i);
    const urls = new Set([...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]));
    expect(urls).toEqual(new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]));
    const svgs = [...html.matchAll(/<svg [\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(3); // curves, coverage (tailored-plus has intervals), scatter
    // the table shows the JSON's numbers
    for (const c of json.results) {
      expect(html).toContain(`<td>${c.method}</td><td class="num">${c.budget}</td>`);
      expect(html).toContain(`${c.kendallTau.mean.toFixed(3)} ± ${c.kendallTau.se.toFixed(3)}`);
    }
    // the scatter's points, per method, give back trial 0's MAE at N = 30 as the run scored it
    const scatter = pointLabels(svgs[2] as string);
    for (const method of ["tailored-plus", "random"]) {
      const mine = scatter.filter((p) => p.get("method") === method);
      const cell = json.results.find((c: { method: string; budget: number }) => c.method === method && c.budget === 30);
      expect(mine).toHaveLength(json.data.targets);
      const mae = mine.reduce((s, p) => s + Math.abs(Number(p.get("estimate")) - Number(p.get("true score"))), 0);
      expect(mae / mine.length).toBeCloseTo(cell.perTrial.mae[0], 6);
    }
    // --plot is the first figure of the report
    const svg = readFileSync(join(dir, "r.svg"), "utf8");
    expect(svg).toBe(svgs[0]);
  });
});
