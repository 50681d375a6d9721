import { isTbError, type TbError } from "@tb/core";
import { type CellSummary, methodNames, type ReproduceReport, type TrialEstimates } from "@tb/experiment";
import { describe, expect, test } from "vitest";
import {
  budgetCurvesSpec,
  budgetGridSpec,
  coverageSpec,
  escapeHtml,
  estimateScatterSpec,
  htmlReport,
  KNOWN_METHODS,
  methodColors,
  type ReportProvenance,
  renderSvg,
  resultRows,
  splitSentence,
} from "./index.js";

/** A hand-made cell: only the fields the plots read matter. */
function cell(method: string, budget: number, tau: number, mae: number, coverage?: number): CellSummary {
  const ms = (mean: number) => ({ mean, se: 0.01 });
  const c: CellSummary = {
    method,
    budget,
    trials: 3,
    kendallTau: ms(tau),
    mae: ms(mae),
    pearson: ms(0.9),
    spearman: ms(0.9),
    mse: ms(mae * mae),
    maxQueried: budget,
    seconds: 0.1,
    perTrial: { kendallTau: [tau, tau, tau], mae: [mae, mae, mae] },
  };
  if (coverage !== undefined) {
    c.coverage = ms(coverage);
    c.intervalWidth = ms(0.2);
    c.level = 0.9;
  }
  return c;
}

function report(results: CellSummary[], name = "hand-made"): ReproduceReport {
  return {
    specVersion: 1,
    data: { name, models: 40, examples: 100, sources: 20, targets: 20, split: "random", targetFraction: 0.5 },
    seed: 7,
    trials: 3,
    gset: 10,
    config: {},
    results,
  };
}

/** The symbol marks (points) of an SVG: their aria label and pixel position. */
function points(svg: string): { label: string; x: number; y: number; fill: string }[] {
  const out: { label: string; x: number; y: number; fill: string }[] = [];
  const re =
    /<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point" transform="translate\(([-\d.e]+),([-\d.e]+)\)"[^>]*fill="([^"]+)"/g;
  for (const m of svg.matchAll(re)) {
    out.push({ label: m[1] as string, x: Number(m[2]), y: Number(m[3]), fill: m[4] as string });
  }
  return out;
}

/** `f` (sync or async) fails with an E_USAGE TbError whose message matches `re`. */
async function usageError(f: () => unknown, re: RegExp): Promise<void> {
  let err: unknown;
  try {
    await f();
  } catch (e) {
    err = e;
  }
  expect(isTbError(err), String(err)).toBe(true);
  expect((err as TbError).code).toBe("E_USAGE");
  expect((err as TbError).message).toMatch(re);
}

const A = [cell("A", 20, 0.8, 0.03, 0.88), cell("A", 40, 0.9, 0.02, 0.91)];
const B = [cell("B", 20, 0.6, 0.06), cell("B", 40, 0.7, 0.05)];

describe("budgetCurvesSpec", () => {
  test("one point per method and budget in each panel; the better method is higher on τ and lower on MAE", async () => {
    const svg = await renderSvg(budgetCurvesSpec(report([...A, ...B])));
    expect(svg.startsWith("<svg")).toBe(true);
    const pts = points(svg);
    const tau = pts.filter((p) => p.label.includes("Kendall τ-b:"));
    const mae = pts.filter((p) => p.label.includes("MAE:"));
    expect(tau).toHaveLength(4);
    expect(mae).toHaveLength(4);
    const at = (ps: typeof pts, m: string, n: number) =>
      ps.find(
        (p) => p.label.includes(`method: ${m}`) && p.label.includes(`inference count N: ${n};`),
      ) as (typeof pts)[0];
    for (const n of [20, 40]) {
      // SVG y grows downwards: a larger value is drawn with a smaller y
      expect(at(tau, "A", n).y).toBeLessThan(at(tau, "B", n).y);
      expect(at(mae, "A", n).y).toBeGreaterThan(at(mae, "B", n).y);
    }
    // N grows to the right, and a method keeps its colour in both panels
    expect(at(tau, "A", 40).x).toBeGreaterThan(at(tau, "A", 20).x);
    expect(at(tau, "A", 20).fill).toBe(at(mae, "A", 20).fill);
    expect(at(tau, "A", 20).fill).not.toBe(at(tau, "B", 20).fill);
    // each point's label (aria, and the web page's hover title) gives the mean ± se, rounded
    expect(at(tau, "A", 20).label).toBe("inference count N: 20; Kendall τ-b: 0.800 ± 0.010; method: A");
    expect(at(mae, "B", 40).label).toBe("inference count N: 40; MAE: 0.050 ± 0.010; method: B");
    // the ± se bands are areas, one per method and panel
    expect(svg.match(/aria-roledescription="area mark container"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  test("an empty report is refused", () => {
    expect(() => budgetCurvesSpec(report([]))).toThrow(/no results/);
  });

  test("a built-in method keeps its colour whatever the order and the other methods of the run", async () => {
    const fillOf = async (cells: CellSummary[], m: string) =>
      (
        points(await renderSvg(budgetCurvesSpec(report(cells)))).find((p) =>
          new RegExp(`method: ${m}(;|$)`).test(p.label),
        ) as ReturnType<typeof points>[0]
      ).fill;
    const plus = [cell("tailored-plus", 20, 0.8, 0.03)];
    const rnd = [cell("random", 20, 0.5, 0.06)];
    const tb = [cell("tailored", 20, 0.7, 0.04)];
    const a = await fillOf([...plus, ...rnd, ...tb], "tailored-plus");
    const b = await fillOf([...tb, ...rnd, ...plus], "tailored-plus");
    const c = await fillOf([...rnd, ...plus], "tailored-plus");
    expect(a).toBe(b);
    expect(a).toBe(c);
    expect(await fillOf([...plus, ...rnd], "random")).toBe(await fillOf([...tb, ...rnd], "random"));
  });
});

describe("methodColors", () => {
  test("the fixed list is the registry's; every built-in has its own colour; other names take free ones", () => {
    expect([...KNOWN_METHODS].sort()).toEqual(methodNames().sort());
    const all = methodColors([...KNOWN_METHODS, "mine", "yours"]);
    expect(new Set(Object.values(all)).size).toBe(KNOWN_METHODS.length + 2);
    // a user's method takes a colour no built-in of the run uses
    const two = methodColors(["mine", "tailored-plus"]);
    expect(two.mine).not.toBe(two["tailored-plus"]);
  });
});

describe("budgetGridSpec", () => {
  test("one panel per data set; with capAtBest a collapsed method is drawn at the cap", async () => {
    const collapsed = [cell("C", 20, 0.1, 0.5), cell("C", 40, 0.1, 0.5)]; // MAE 10× A's worst
    const svg = await renderSvg(
      budgetGridSpec(
        [
          { title: "one", cells: [...A, ...B] },
          { title: "two", cells: [...A, ...B, ...collapsed] },
        ],
        { capAtBest: 3, highlight: "A" },
      ),
    );
    const pts = points(svg);
    expect(pts).toHaveLength(4 + 6);
    // panel "two": best MAE 0.02 → axis capped at 0.06; C's 0.5 is clamped to the top (y = 0)
    const c = pts.filter((p) => p.label.includes("method: C"));
    expect(c).toHaveLength(2);
    for (const p of c) expect(p.y).toBeCloseTo(0, 6);
    // B's 0.06 at N = 20 (the cap) is also at the top; A's lower MAE is below it
    const bTwo = pts.filter((p) => p.label.includes("method: B"));
    expect(Math.min(...bTwo.map((p) => p.y))).toBeCloseTo(0, 6);
    expect(() => budgetGridSpec([])).toThrow(/no panels/);
    expect(() => budgetGridSpec([{ title: "x", cells: A }], { capAtBest: 1 })).toThrow(/capAtBest must be > 1/);
  });

  test("a misspelt option is refused; metric chooses what is drawn", async () => {
    const panels = [{ title: "one", cells: [...A, ...B] }];
    await usageError(
      () => budgetGridSpec(panels, { metrc: "kendallTau" } as never),
      /^budgetGridSpec: unknown option "metrc"/,
    );
    // A has the higher τ and the lower MAE than B: above B on τ, below B on MAE (SVG y grows down)
    const meanY = async (spec: Parameters<typeof renderSvg>[0], m: string) => {
      const ys = points(await renderSvg(spec))
        .filter((p) => p.label.includes(`method: ${m}`))
        .map((p) => p.y);
      return ys.reduce((x, y) => x + y, 0) / ys.length;
    };
    const tau = budgetGridSpec(panels, { metric: "kendallTau" });
    const mae = budgetGridSpec(panels);
    expect(await meanY(tau, "A")).toBeLessThan(await meanY(tau, "B"));
    expect(await meanY(mae, "A")).toBeGreaterThan(await meanY(mae, "B"));
  });
});

describe("coverageSpec", () => {
  test("only methods with intervals, and a rule at the nominal level", async () => {
    expect(coverageSpec(report(B))).toBeUndefined();
    const svg = await renderSvg(coverageSpec(report([...A, ...B])) as NonNullable<ReturnType<typeof coverageSpec>>);
    const pts = points(svg);
    expect(pts).toHaveLength(2);
    expect(pts.every((p) => p.label.includes("method: A"))).toBe(true);
    expect(svg).toContain('aria-roledescription="rule mark container"');
  });
});

describe("estimateScatterSpec", () => {
  const trial: TrialEstimates = {
    method: "A",
    budget: 40,
    trial: 0,
    level: 0.9,
    targets: [
      { model: "m1", truth: 0.2, estimate: 0.2, lower: 0.1, upper: 0.3 },
      { model: "m2", truth: 0.5, estimate: 0.6, lower: 0.45, upper: 0.7 },
      { model: "m3", truth: 0.8, estimate: 0.7, lower: 0.65, upper: 0.85 },
    ],
  };

  test("points sit where their truth and estimate say, on the panel's square scale", async () => {
    const svg = await renderSvg(estimateScatterSpec([trial]));
    const pts = points(svg);
    expect(pts).toHaveLength(3);
    // values span [0.1, 0.85]; padded by 5 % (0.0375) and rounded out to 0.05: [0.05, 0.9]; 230 px square
    const d0 = 0.05;
    const d1 = 0.9;
    const px = (v: number) => ((v - d0) / (d1 - d0)) * 230;
    for (const t of trial.targets) {
      const p = pts.find((q) => q.label.includes(`model: ${t.model}`)) as (typeof pts)[0];
      expect(p.x).toBeCloseTo(px(t.truth), 6);
      expect(p.y).toBeCloseTo(230 - px(t.estimate), 6);
    }
    // a point exactly on the diagonal: x + y = panel height
    const m1 = pts.find((q) => q.label.includes("model: m1")) as (typeof pts)[0];
    expect(m1.x + m1.y).toBeCloseTo(230, 6);
  });

  test("no trials, or only non-finite values, is refused", () => {
    expect(() => estimateScatterSpec([])).toThrow(/no trial estimates/);
    expect(() =>
      estimateScatterSpec([{ ...trial, targets: [{ model: "x", truth: Number.NaN, estimate: Number.NaN }] }]),
    ).toThrow(/no finite value/);
  });
});

describe("htmlReport", () => {
  test("a misspelt option is refused; the title given is the page's", async () => {
    const r = report([...A, ...B]);
    await usageError(() => htmlReport(r, { titel: "My title" } as never), /^htmlReport: unknown option "titel"/);
    expect(await htmlReport(r, { title: "My own title" })).toContain("My own title");
  });

  test("self-contained: inline SVG and CSS, no script, no fetchable URL; text is escaped", async () => {
    const html = await htmlReport(
      { ...report([...A, ...B], 'evil <script>alert("x")</script>'), wallSeconds: 1.5 },
      {
        trials: [
          {
            method: "A",
            budget: 40,
            trial: 0,
            targets: [
              { model: "m1", truth: 0.2, estimate: 0.25 },
              { model: "m2", truth: 0.6, estimate: 0.55 },
            ],
          },
        ],
        command: "tb reproduce --report r.html",
      },
    );
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href|xlink:href)\s*=/i);
    // the only absolute URLs are XML namespace names in the SVGs (identifiers, never fetched)
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]));
    expect(html.match(/<svg /g)).toHaveLength(3); // curves, coverage, scatter
    expect(html).toContain("evil &#60;script&#62;");
    expect(html).toContain("<td>wall time</td><td>1.5 s</td>");
    // the results JSON is embedded and parses back to the report's cells
    const pre = /<pre id="results">([\s\S]*?)<\/pre>/.exec(html)?.[1] as string;
    const json = JSON.parse(pre.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))));
    expect(json.results.map((c: CellSummary) => `${c.method}@${c.budget}`)).toEqual(["A@20", "A@40", "B@20", "B@40"]);
  });

  test("provenance: tool, version, commit, date, matrix sha256, every option; the split in a sentence; in the JSON too", async () => {
    const prov: ReportProvenance = {
      tool: "TailoredBench web app",
      version: "1.2.3",
      commit: "abc1234",
      date: "2026-12-05T10:00:00.000Z",
      data: { name: "hand-made", file: "correctness.csv", sha256: "e3b0c44298fc1c149afbf4c8996fb924" },
      options: { gset: 10, distance: "manhattan", level: 0.9 },
    };
    const html = await htmlReport(report([...A, ...B]), { provenance: prov });
    expect(html).toContain("<h2>Provenance</h2>");
    for (const v of [
      "TailoredBench web app 1.2.3",
      "abc1234",
      "2026-12-05T10:00:00.000Z",
      "e3b0c44298fc1c149afbf4c8996fb924",
    ]) {
      expect(html).toContain(`<td>${v}</td>`);
    }
    expect(html).toContain("<td>method options</td><td>gset=10, distance=manhattan, level=0.9</td>");
    // the hand-made report: 20 of 40 models are targets, drawn at random
    expect(html).toContain("In each trial 20 of the 40 models (50 %) are drawn at random");
    const pre = /<pre id="results">([\s\S]*?)<\/pre>/.exec(html)?.[1] as string;
    const json = JSON.parse(pre.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))));
    expect(json.provenance).toEqual(prov);
    // without provenance the options say they are the defaults, not a bare "defaults"
    expect(await htmlReport(report(A))).toContain("<td>method options</td><td>the methods&#39; defaults</td>");
  });

  test("the results table carries a precision run's asked/reached and a paired run's pair order and difference intervals; the settings say which", async () => {
    const ms = (mean: number) => ({ mean, se: 0.01 });
    const prec = {
      ...cell("tailored-plus", 30, 0.8, 0.03, 0.9),
      precision: 0.05,
      maxBudget: 200,
      asked: ms(61.5),
      reachedPrecision: ms(0.75),
    };
    const pr = resultRows([prec]);
    expect(pr[0]?.slice(-2)).toEqual(["asked", "reached"]);
    expect(pr[1]?.slice(-2)).toEqual(["61.5 ± 0.0", "0.750 ± 0.010 (±0.05)"]);
    const paired = {
      ...cell("paired", 30, 0.7, 0.04),
      design: "paired" as const,
      level: 0.9,
      pairOrder: { gap: 0.05, share: ms(0.912), pairs: 40 },
      differenceCoverage: ms(0.885),
      differenceWidth: ms(0.211),
    };
    const other = {
      ...cell("random", 30, 0.6, 0.05),
      design: "paired" as const,
      pairOrder: { gap: 0.05, share: ms(0.8), pairs: 40 },
    };
    const rows = resultRows([paired, other]);
    expect(rows[0]?.slice(-3)).toEqual(["pair order", "diff. coverage", "diff. width"]);
    expect(rows[1]?.slice(-3)).toEqual(["0.912 ± 0.010", "0.885 ± 0.010 (90 %)", "0.211"]);
    expect(rows[2]?.slice(-3)).toEqual(["0.800 ± 0.010", "", ""]);
    const html = await htmlReport(report([paired, other]));
    expect(html).toContain("<th>pair order</th>");
    expect(html).toMatch(/<td>paired mode<\/td><td>the trial&#39;s targets compared in seeded pairs/);
    expect(await htmlReport(report([prec]))).toMatch(
      /<td>precision on demand<\/td><td>rounds until the interval&#39;s half-width is at most 0.05, at most 200 examples a target/,
    );
    // by variant (tb ablate): the first column is the variant
    expect(resultRows([{ ...cell("tailored", 30, 0.8, 0.03), variant: "|G|=5" }], true).map((r) => r[0])).toEqual([
      "variant",
      "|G|=5",
    ]);
  });

  test("splitSentence names the counts of each split kind", () => {
    const r = report(A);
    const ex = {
      ...r,
      data: {
        ...r.data,
        split: "extrapolation" as const,
        sources: 20,
        targets: 12,
        sourceFraction: 0.5,
        targetFraction: 0.3,
      },
    };
    expect(splitSentence(ex)).toMatch(
      /the 20 weakest models \(50 %\) are sources, the 12 strongest \(30 %\) are targets/,
    );
    expect(splitSentence({ ...r, data: { ...r.data, split: "meta" } })).toMatch(/fixed split stored with the data/);
  });

  test("escapeHtml escapes the five HTML metacharacters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  });
});
