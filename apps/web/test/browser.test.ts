/**
 * The web app in a real browser: Debian's Chromium (`apt-get install -y chromium`) driven by
 * playwright-core (which downloads no browser), the built app (`pnpm --filter @tb/web build`)
 * served from 127.0.0.1. In CI a missing Chromium or build is a failure; elsewhere these skip.
 * `TB_SCREENSHOTS=1` also writes docs/screenshots/*.png.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { compare, evaluate, restoreComparison } from "@tb/estimate";
import { reproduce, syntheticPopulation, trialEstimates } from "@tb/experiment";
import { formatCorrectnessCsv } from "@tb/io";
import { htmlReport } from "@tb/plot";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  answerStep,
  DEFAULT_EVALUATE,
  type Finished,
  loadSourceCsv,
  type PlanResult,
  parseAnswers,
  probeStep,
} from "../src/evaluate.js";
import { compareExample, evaluateExample } from "../src/example.js";
import { DEMO_STUDY } from "../src/settings.js";
import { fixture } from "./fixture.js";

const APP = resolve(import.meta.dirname, "..");
// TB_WEB_DIST: another build to test (e.g. an older commit's, to see a new test fail there)
const DIST = process.env.TB_WEB_DIST ? resolve(process.env.TB_WEB_DIST) : join(APP, "dist");
const SHOTS = resolve(APP, "../../docs/screenshots");
const CHROMIUM = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => p !== undefined && p !== "" && existsSync(p),
);
const built = existsSync(join(DIST, "index.html"));
const missing = [
  ...(CHROMIUM ? [] : ["Chromium (apt-get install -y chromium)"]),
  ...(built ? [] : ["the built app (pnpm --filter @tb/web build)"]),
];
// in CI a missing prerequisite is a failed test (counted in the summary), not a skip
test.runIf(process.env.CI && missing.length > 0)("browser test prerequisites", () => {
  throw new Error(`the browser tests need ${missing.join(" and ")}`);
});

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** A static file server for dist/ on 127.0.0.1; records every path asked for. */
function serve(root: string, log: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    log.push(path);
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/** The next ask of a step (throws when the evaluation is done instead). */
function asks(r: PlanResult | Finished): PlanResult {
  if (r.done) throw new Error("the evaluation is done, but more was expected");
  return r;
}
function finished(r: PlanResult | Finished): Finished {
  if (!r.done) throw new Error(`the evaluation asks for more (${r.reason})`);
  return r;
}

const strip = (results: { seconds?: number }[]) => results.map(({ seconds: _s, ...rest }) => rest);

describe.skipIf(missing.length > 0)("the web app in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  const served: string[] = [];
  /** Every request the pages made that did not go to the page's origin (blocked). */
  const outside: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await serve(DIST, served);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM as string,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // routes see the page's and its workers' requests; anything off the origin is recorded and refused
    await context.route(
      (url) => url.origin !== origin,
      (route) => {
        outside.push(route.request().url());
        return route.abort();
      },
    );
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => server?.close(ok));
  });

  /** With TB_SCREENSHOTS: docs/screenshots/<name>.png at 1280 px and <name>-390.png at 390 px wide. */
  async function screenshots(page: Page, name: string): Promise<void> {
    if (!process.env.TB_SCREENSHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    const size = page.viewportSize() ?? { width: 1280, height: 900 };
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, `${name}-390.png`), fullPage: true });
    await page.setViewportSize(size);
  }

  async function open(query: string): Promise<Page> {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    page.on("request", (r) => {
      const u = r.url();
      if (!u.startsWith(`${origin}/`) && !u.startsWith("blob:") && !u.startsWith("data:")) outside.push(u);
    });
    await page.goto(`${origin}/index.html${query}`);
    return page;
  }

  test("?demo=1 runs tb demo's study; its numbers equal the library's in Node for the same seed", async () => {
    const t0 = performance.now();
    const page = await open("?demo=1");
    await page.waitForFunction(() => ["done", "error"].includes(document.documentElement.dataset.status ?? ""), null, {
      timeout: 600_000,
      polling: 250,
    });
    const chromiumSeconds = (performance.now() - t0) / 1000;
    const status = await page.evaluate(() => document.documentElement.dataset.status);
    expect(status, (await page.textContent("#study-error")) ?? "").toBe("done");
    const json = JSON.parse((await page.textContent("#results")) as string);

    // the same study in Node: @tb/experiment's Node entry, one thread (the page's worker is one thread)
    const n0 = performance.now();
    const data = DEMO_STUDY.data as { seed: number; models: number; examples: number };
    const node = await reproduce(
      syntheticPopulation({ seed: data.seed, models: data.models, examples: data.examples }),
      {
        methods: DEMO_STUDY.methods,
        budgets: DEMO_STUDY.budgets,
        trials: DEMO_STUDY.trials,
        seed: DEMO_STUDY.seed,
        split: DEMO_STUDY.split,
        config: {},
        workers: 1,
        dataName: "synthetic (seed 0: 120 models in 8 families × 600 examples)",
      },
    );
    const nodeSeconds = (performance.now() - n0) / 1000;
    expect(json.results).toHaveLength(9);
    expect(strip(json.results)).toEqual(strip(node.results));
    const { results: _a, wallSeconds: _w, provenance: _p, ...meta } = json;
    const { results: _b, ...nodeMeta } = node;
    expect(meta).toEqual(nodeMeta);
    // the page shows the table and the three plots
    expect(await page.locator("#study-output table tbody tr").count()).toBe(9);
    expect(await page.locator("#study-output figure svg").count()).toBe(3);
    console.log(
      `demo study (${json.results.length} cells × ${json.trials} trials): Chromium ${json.wallSeconds.toFixed(1)} s ` +
        `(page load to done ${chromiumSeconds.toFixed(1)} s), Node ${nodeSeconds.toFixed(1)} s (one thread)`,
    );
    await screenshots(page, "study");
    await page.close();
  }, 900_000);

  /** The Evaluate view with the source CSV uploaded and the G-set computed (G = 8, N = 20, seed 3). */
  async function probeInPage(sourcesCsv: string): Promise<Page> {
    const page = await open("");
    await page.waitForFunction(() => document.documentElement.dataset.status === "ready");
    await page.click('nav .tab[data-view="evaluate"]');
    await page.setInputFiles('#probe-form input[name="source"]', file("correctness.csv", sourcesCsv));
    await page.fill('#probe-form input[name="gset"]', "8");
    await page.fill('#probe-form input[name="budget"]', "20");
    await page.fill('#probe-form input[name="seed"]', "3");
    await page.selectOption('#probe-form select[name="docOrder"]', "identity");
    await page.click("#probe-form button[type=submit]");
    await page.waitForSelector("#gset-samples");
    return page;
  }
  const file = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

  test("evaluate a model: G-set → answers → rest of the N-set → answers → estimate, as in Node", async () => {
    const fx = fixture("median");
    const s = { ...DEFAULT_EVALUATE, gset: 8, budget: 20, seed: 3, docOrder: "identity" as const };
    // the same three phases in Node
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    const probed = probeStep(sources, s);
    const plan = asks(answerStep(sources, probed, parseAnswers(sources, fx.answersCsv(probed.gsetIds), "g.csv"), s));
    const est = finished(
      answerStep(sources, plan, parseAnswers(sources, fx.answersCsv(plan.toEvaluateIds), "r.csv"), s),
    ).estimate;

    const page = await probeInPage(fx.sourcesCsv);
    const gSamples = JSON.parse((await page.textContent("#gset-samples")) as string) as { toy: number[] };
    expect(gSamples).toEqual(probed.samples);
    const gIds = gSamples.toy.map((d) => `toy/${d}`);

    // a G-set answers file missing one example is refused with the example named
    await page.setInputFiles('#tailor-form input[name="answers"]', file("g.csv", fx.answersCsv(gIds.slice(1))));
    await page.click("#tailor-form button[type=submit]");
    await page.waitForSelector("#tailor-error:not([hidden])");
    expect(await page.textContent("#tailor-error")).toContain(
      `7 of the 8 examples needed are answered; missing "${gIds[0]}"`,
    );

    await page.setInputFiles('#tailor-form input[name="answers"]', file("g.csv", fx.answersCsv(gIds)));
    await page.click("#tailor-form button[type=submit]");
    await page.waitForSelector("#nset-samples");
    expect(await page.locator("#tailor-error").isHidden()).toBe(true);
    const nSamples = JSON.parse((await page.textContent("#nset-samples")) as string) as { toy: number[] };
    expect(nSamples).toEqual(plan.samples);
    expect(await page.getAttribute("#tailor-mode", "data-mode")).toBe(plan.mode);

    await page.setInputFiles(
      '#estimate-form input[name="answers"]',
      file("rest.csv", fx.answersCsv(nSamples.toy.map((d) => `toy/${d}`))),
    );
    await page.click("#estimate-form button[type=submit]");
    await page.waitForSelector("#estimate-output:not([hidden])");
    const { provenance, ...result } = JSON.parse((await page.textContent("#estimate-json")) as string);
    expect(result).toEqual(JSON.parse(JSON.stringify(est)));
    expect(await page.textContent("#result-output")).toContain(`${(100 * est.accuracy).toFixed(1)} %`);
    // the estimate names its source matrix by sha256 and the settings that made it
    expect(provenance.data).toEqual({
      name: "correctness.csv",
      file: "correctness.csv",
      sha256: createHash("sha256").update(fx.sourcesCsv).digest("hex"),
    });
    expect(provenance.options).toMatchObject({ gset: 8, budget: 20, seed: 3, method: "tailored-plus", level: 0.9 });
    if (existsSync(join(APP, "../../.git"))) expect(provenance.commit).toMatch(/^[0-9a-f]{12}(-dirty)?$/);
    await screenshots(page, "evaluate");
    await page.close();
  });

  test("evaluate the strongest model: a second look in step 2b, then the estimate, as in Node", async () => {
    const fx = fixture("strongest");
    const s = { ...DEFAULT_EVALUATE, gset: 8, budget: 20, seed: 3, docOrder: "identity" as const };
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    const probed = probeStep(sources, s);
    const first = asks(answerStep(sources, probed, parseAnswers(sources, fx.answersCsv(probed.gsetIds), "g.csv"), s));
    expect(first.mode).toBe("look");
    const plan = asks(
      answerStep(sources, first, parseAnswers(sources, fx.answersCsv(first.toEvaluateIds), "l.csv"), s),
    );
    const est = finished(
      answerStep(sources, plan, parseAnswers(sources, fx.answersCsv(plan.toEvaluateIds), "r.csv"), s),
    ).estimate;

    const page = await probeInPage(fx.sourcesCsv);
    const ids = (sel: string) => async () =>
      (JSON.parse((await page.textContent(sel)) as string) as { toy: number[] }).toy.map((d) => `toy/${d}`);
    await page.setInputFiles(
      '#tailor-form input[name="answers"]',
      file("g.csv", fx.answersCsv(await ids("#gset-samples")())),
    );
    await page.click("#tailor-form button[type=submit]");
    await page.waitForSelector("#look-samples");
    expect(await page.getAttribute("#tailor-mode", "data-mode")).toBe("look");
    expect(await page.locator("#look-step").isVisible()).toBe(true);
    // the estimate waits for the second look's answers
    expect(await page.locator("#estimate-form button[type=submit]").isDisabled()).toBe(true);
    const lookIds = await ids("#look-samples")();
    expect(lookIds).toEqual([...first.toEvaluateIds].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))));
    await page.setInputFiles('#look-form input[name="answers"]', file("l.csv", fx.answersCsv(lookIds)));
    await page.click("#look-form button[type=submit]");
    await page.waitForSelector("#nset-samples");
    expect(await page.getAttribute("#look-mode", "data-mode")).toBe(plan.mode);
    await page.setInputFiles(
      '#estimate-form input[name="answers"]',
      file("rest.csv", fx.answersCsv(await ids("#nset-samples")())),
    );
    await page.click("#estimate-form button[type=submit]");
    await page.waitForSelector("#estimate-output:not([hidden])");
    const { provenance: _p, ...result } = JSON.parse((await page.textContent("#estimate-json")) as string);
    expect(result).toEqual(JSON.parse(JSON.stringify(est)));
    await page.close();
  });

  test("a bad correctness CSV in the Study view shows the parser's message, naming the file", async () => {
    const page = await open("");
    await page.waitForFunction(() => document.documentElement.dataset.status === "ready");
    await page.check('#study-form input[name="data"][value="csv"]');
    await page.setInputFiles('#study-form input[name="csv"]', {
      name: "broken.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("model,a,b\nm1,1,7\n"),
    });
    await page.click("#study-run");
    await page.waitForSelector("#study-error:not([hidden])");
    expect(await page.textContent("#study-error")).toMatch(/broken\.csv/);
    await page.close();
  });

  test("the HTML report (tb reproduce --report) renders in Chromium with no request at all", async () => {
    const m = syntheticPopulation({ models: 30, examples: 80, seed: 4 });
    const cfg = {
      methods: ["tailored-plus", "random"],
      budgets: [15, 25],
      trials: 2,
      seed: 1,
      split: "random" as const,
    };
    const report = await reproduce(m, cfg);
    const trials = cfg.methods.map((method) =>
      trialEstimates(m, { method, budget: 25, trial: 0, seed: 1, config: {}, split: "random", targetFraction: 0.5 }),
    );
    const html = await htmlReport(report, { trials });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: "load" });
    expect(requests).toEqual([]);
    const sizes = await page.$$eval("figure svg", (els) => els.map((e) => e.getBoundingClientRect().width));
    expect(sizes).toHaveLength(3);
    for (const w of sizes) expect(w).toBeGreaterThan(200);
    expect(await page.locator("table").count()).toBe(2);
    await page.close();
  });

  // ---- issue 23: the page as a researcher expects it ------------------------------------------

  /** A small correctness CSV: `models` rows × `examples` columns, seeded. */
  function smallCsv(models: number, examples: number, seed = 5): string {
    return formatCorrectnessCsv(syntheticPopulation({ models, examples, seed }));
  }

  /** The Study view with a tiny study's settings (one method, one budget, one trial). */
  async function tinyStudy(page: Page, methods = ["random"]): Promise<void> {
    for (const cb of await page.locator('#study-form input[name="method"]').all()) {
      const v = (await cb.getAttribute("value")) as string;
      if (methods.includes(v)) await cb.check();
      else await cb.uncheck();
    }
    await page.fill('#study-form input[name="budgets"]', "20");
    await page.fill('#study-form input[name="trials"]', "1");
  }

  /** Visible text whose contrast with its background is below 4.5:1 (WCAG 2 AA), outside plots and disabled controls. */
  const lowContrast = (page: Page) =>
    page.evaluate(() => {
      const lum = (rgb: number[]) => {
        const c = rgb.map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * (c[0] as number) + 0.7152 * (c[1] as number) + 0.0722 * (c[2] as number);
      };
      const parse = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
      const bg = (el: Element | null): number[] => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c.length >= 3 && (c.length === 3 || (c[3] as number) > 0)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const out: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement as HTMLElement;
        if (!(n.textContent ?? "").trim() || !el.checkVisibility() || el.closest("svg, [disabled]")) continue;
        const fg = parse(getComputedStyle(el).color).slice(0, 3);
        const a = lum(fg);
        const b = lum(bg(el));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5)
          out.push(`${ratio.toFixed(2)} ${el.tagName}.${el.className}: ${(n.textContent ?? "").trim().slice(0, 30)}`);
      }
      return out;
    });

  async function ready(query = ""): Promise<Page> {
    const page = await open(query);
    await page.waitForFunction(() => document.documentElement.dataset.status === "ready");
    return page;
  }

  test("what the page would drop is refused: a second CSV, a broken meta.json, an lm-eval task with unknown ids, a hex precision", async () => {
    const page = await ready();
    const studyError = async () => {
      await page.click("#study-run");
      await page.waitForSelector("#study-error:not([hidden])");
      return (await page.textContent("#study-error")) as string;
    };
    await tinyStudy(page);
    await page.setInputFiles('#study-form input[name="csv"]', [
      file("a.csv", smallCsv(30, 80)),
      file("b.csv", smallCsv(30, 80)),
    ]);
    expect(await studyError()).toMatch(/choose one correctness CSV and at most one meta\.json, got a\.csv, b\.csv/);
    await page.setInputFiles('#study-form input[name="csv"]', [
      file("correctness.csv", smallCsv(30, 80)),
      { name: "meta.json", mimeType: "application/json", buffer: Buffer.from('{"benchmark": ') },
    ]);
    expect(await studyError()).toMatch(/^meta\.json is not valid JSON .*choose the data's meta\.json, or leave it out/);
    await page.click("#tab-evaluate");
    await page.click("#example-load");
    await page.waitForSelector("#probe-shape:not([hidden])");
    await page.selectOption('#probe-form select[name="docOrder"]', "");
    await page.fill('#probe-form input[name="task"]', "gsm8k");
    await page.click("#probe-run");
    await page.waitForSelector("#probe-error:not([hidden])");
    expect(await page.textContent("#probe-error")).toMatch(
      /^“lm-eval task” applies when the example ids are lm-eval doc indices/,
    );
    await page.fill('#probe-form input[name="task"]', "");
    await page.fill('#probe-form input[name="precision"]', "0x1");
    await page.click("#probe-run");
    await page.waitForFunction(() =>
      /0x1/.test((document.querySelector("#probe-error") as HTMLElement).textContent ?? ""),
    );
    expect(await page.textContent("#probe-error")).toMatch(
      /^precision \(half-width\) must be a number, e\.g\. 0\.03, got "0x1"/,
    );
    await page.close();
  });

  test("1. choosing a file selects 'a correctness CSV', shows its shape, and the study runs on it", async () => {
    const page = await ready();
    expect(await page.isChecked('#study-form input[name="data"][value="synthetic"]')).toBe(true);
    await page.setInputFiles('#study-form input[name="csv"]', file("mine.csv", smallCsv(30, 80)));
    expect(await page.isChecked('#study-form input[name="data"][value="csv"]')).toBe(true);
    await page.waitForSelector("#study-shape:not([hidden])");
    expect(await page.textContent("#study-shape")).toContain("30 models × 80 examples");
    await tinyStudy(page);
    await page.click("#study-run");
    await page.waitForSelector("#study-output:not([hidden])");
    expect(await page.textContent("#study-output h2")).toBe("mine");
    expect(await page.textContent("#study-output")).toContain("30 models × 80 examples");
    await page.close();
  });

  test("2. step 1's settings are locked once they made a G-set; 'start over' unlocks them and resets the flow", async () => {
    const fx = fixture("median");
    const page = await probeInPage(fx.sourcesCsv);
    for (const name of ["gset", "budget", "seed", "level", "source"]) {
      expect(await page.locator(`#probe-form input[name="${name}"]`).isDisabled(), name).toBe(true);
    }
    expect(await page.locator('#probe-form select[name="method"]').isDisabled()).toBe(true);
    expect(await page.locator("#probe-locked").isVisible()).toBe(true);
    expect(await page.textContent("#probe-locked")).toMatch(/locked/);
    await page.click("#probe-reset");
    expect(await page.locator('#probe-form input[name="level"]').isDisabled()).toBe(false);
    expect(await page.locator("#probe-output").isHidden()).toBe(true);
    expect(await page.locator("#tailor-form button[type=submit]").isDisabled()).toBe(true);
    await page.close();
  });

  test("3. a step's error shows next to it, in view, and clears the stale plan", async () => {
    const fx = fixture("median");
    const page = await probeInPage(fx.sourcesCsv);
    const ids = (JSON.parse((await page.textContent("#gset-samples")) as string) as { toy: number[] }).toy.map(
      (d) => `toy/${d}`,
    );
    await page.setInputFiles('#tailor-form input[name="answers"]', file("g.csv", fx.answersCsv(ids)));
    await page.click("#tailor-form button[type=submit]");
    await page.waitForSelector("#nset-samples");
    expect(await page.locator("#estimate-form button[type=submit]").isDisabled()).toBe(false);
    // a bad file: the error is next to step 2, inside the viewport; the previous plan is gone
    await page.setInputFiles('#tailor-form input[name="answers"]', file("g.csv", "example,correct\nnope,1\n"));
    await page.click("#tailor-form button[type=submit]");
    await page.waitForSelector("#tailor-error:not([hidden])");
    expect(await page.textContent("#tailor-error")).toMatch(/unknown example id "nope"/);
    await page.waitForFunction(() => {
      const r = (document.querySelector("#tailor-error") as HTMLElement).getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(await page.locator("#tailor-output").isHidden()).toBe(true);
    expect(await page.locator("#estimate-form button[type=submit]").isDisabled()).toBe(true);
    expect(await page.locator("#estimate-error").isHidden()).toBe(true);
    await page.close();
  });

  test("4. the page explains G-set, N-set, native sources, within, beyond and second look, with links to the docs", async () => {
    const page = await ready();
    await page.click("#tab-evaluate");
    const text = (await page.textContent("#view-evaluate")) as string;
    for (const term of ["G-set", "N-set", "Native sources", "within", "beyond", "Second look"]) {
      expect(text, term).toContain(term);
    }
    const links = await page.$$eval("#view-evaluate a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.some((h) => h.endsWith("docs/TAILORED-PLUS.md#the-method"))).toBe(true);
    expect(links.every((h) => h.startsWith("https://github.com/tailoredbench/tailoredbench/"))).toBe(true);
    // a within plan says so in words
    const fx = fixture("median");
    const p2 = await probeInPage(fx.sourcesCsv);
    const ids = (JSON.parse((await p2.textContent("#gset-samples")) as string) as { toy: number[] }).toy;
    await p2.setInputFiles(
      '#tailor-form input[name="answers"]',
      file("g.csv", fx.answersCsv(ids.map((d) => `toy/${d}`))),
    );
    await p2.click("#tailor-form button[type=submit]");
    await p2.waitForSelector("#nset-samples");
    expect(await p2.textContent("#tailor-mode")).toMatch(/^within: among the sources/);
    expect(await p2.textContent("#tailor-output")).not.toContain("beyond the sources' range");
    await p2.close();
    await page.close();
  });

  test("5. G-set answers keyed by lm-eval doc ids are detected, said, and used", async () => {
    const fx = fixture("median");
    const page = await probeInPage(fx.sourcesCsv);
    const docs = (JSON.parse((await page.textContent("#gset-samples")) as string) as { toy: number[] }).toy;
    // the answers keyed by the doc index of the samples JSON ("17"), not the matrix's id ("toy/17")
    const byDoc = fx.answersCsv(docs.map((d) => `toy/${d}`)).replace(/toy\//g, "");
    await page.setInputFiles('#tailor-form input[name="answers"]', file("g.csv", byDoc));
    await page.click("#tailor-form button[type=submit]");
    await page.waitForSelector("#nset-samples");
    expect(await page.textContent("#tailor-output .answers-note")).toMatch(
      /keyed by lm-eval doc ids \(detected\); 8 of the 8 examples asked for are answered/,
    );
    await page.close();
  });

  test("6. custom ids: the ids to run and an answers template to download; the long note once", async () => {
    const fx = fixture("median");
    const page = await ready();
    await page.click("#tab-evaluate");
    await page.setInputFiles('#probe-form input[name="source"]', file("custom.csv", fx.sourcesCsv));
    await page.fill('#probe-form input[name="gset"]', "8");
    await page.fill('#probe-form input[name="budget"]', "20");
    await page.click("#probe-form button[type=submit]");
    await page.waitForSelector("#gset-template-link");
    const fetchText = (sel: string) =>
      page.$eval(sel, (a) => fetch((a as HTMLAnchorElement).href).then((r) => r.text()));
    const ids = ((await fetchText("#gset-ids-link")) as string).trim().split("\n");
    expect(ids).toHaveLength(8);
    const template = (await fetchText("#gset-template-link")) as string;
    expect(template).toBe(`example,correct\n${ids.map((id) => `${id},`).join("\n")}\n`);
    // the filled template is accepted
    await page.setInputFiles('#tailor-form input[name="answers"]', file("g.csv", fx.answersCsv(ids)));
    await page.click("#tailor-form button[type=submit]");
    await page.waitForSelector("#nset-template-link");
    const long = "not known to be lm-eval doc indices";
    const view = (await page.textContent("#view-evaluate")) as string;
    expect(view.split(long)).toHaveLength(2); // said once
    expect(await page.textContent("#nset-samples-note")).toMatch(/as in step 1/);
    await page.close();
  });

  test("budget N left empty on a matrix smaller than the library's default: the G-set is computed, the budget used is shown", async () => {
    const page = await ready();
    await page.click("#tab-evaluate");
    expect(await page.inputValue('#probe-form input[name="budget"]')).toBe("");
    await page.setInputFiles('#probe-form input[name="source"]', file("small.csv", smallCsv(20, 25)));
    await page.click("#probe-form button[type=submit]");
    await page.waitForSelector("#probe-output:not([hidden]), #probe-error:not([hidden])");
    expect(await page.locator("#probe-error").isHidden()).toBe(true);
    expect(await page.textContent("#probe-budget")).toBe("budget N: 25 examples in all (the default for this matrix)");
    await page.close();
  });

  test("7. more models than examples asks for a confirmation; a synthetic size too large is refused clearly", async () => {
    const page = await ready();
    // 20 "models" × 12 "examples": the shape of a transposed matrix
    await page.setInputFiles('#study-form input[name="csv"]', file("flipped.csv", smallCsv(20, 12)));
    await page.waitForSelector("#study-shape .warn");
    expect(await page.textContent("#study-shape")).toContain("20 models × 12 examples");
    await tinyStudy(page);
    await page.fill('#study-form input[name="budgets"]', "8");
    await page.click("#study-run");
    await page.waitForSelector("#study-error:not([hidden])");
    expect(await page.textContent("#study-error")).toMatch(/tick “the rows are models”/);
    await page.check('#study-form input[name="studyConfirmShape"]');
    await page.click("#study-run");
    await page.waitForSelector("#study-output:not([hidden])");
    expect(await page.locator("#study-error").isHidden()).toBe(true);
    // synthetic examples = 2e9
    await page.check('#study-form input[name="data"][value="synthetic"]');
    await page.fill('#study-form input[name="synExamples"]', "2000000000");
    await page.click("#study-run");
    await page.waitForFunction(() => !(document.querySelector("#study-error") as HTMLElement).hidden);
    const msg = (await page.textContent("#study-error")) as string;
    expect(msg).toMatch(/synthetic population: models × examples = 120 × 2000000000/);
    expect(msg).not.toMatch(/typed array/i);
    await page.close();
  });

  test("8. results JSON only in the study view; a shared matrix is titled by its meta.json; cancel and time left", async () => {
    const page = await ready();
    await page.setInputFiles('#study-form input[name="csv"]', [
      file("correctness.csv", smallCsv(30, 80)),
      { name: "meta.json", mimeType: "application/json", buffer: Buffer.from('{"benchmark":"tiny_bench"}') },
    ]);
    await page.waitForFunction(
      () => (document.querySelector('#study-form input[name="dataName"]') as HTMLInputElement).value === "tiny_bench",
    );
    await tinyStudy(page);
    await page.click("#study-run");
    await page.waitForSelector("#study-output:not([hidden])");
    expect(await page.textContent("#study-output h2")).toBe("tiny_bench");
    expect(await page.locator("#study-output figure svg").first().textContent()).toContain("tiny_bench");
    expect(await page.locator("#results-box").isVisible()).toBe(true);
    await page.click("#tab-evaluate");
    expect(await page.locator("#results-box").isVisible()).toBe(false);
    expect(await page.locator("#view-evaluate pre:visible").count()).toBe(0);
    await page.click("#tab-study");
    // a longer study: progress says the time left; Cancel stops it and the next run works
    await page.check('#study-form input[name="data"][value="synthetic"]');
    await tinyStudy(page, ["tailored-plus", "random"]);
    await page.fill('#study-form input[name="trials"]', "40");
    await page.click("#study-run");
    await page.waitForFunction(() => /left/.test(document.querySelector("#study-progress span")?.textContent ?? ""));
    expect(await page.textContent("#study-progress span")).toMatch(/of 80 trials .* elapsed · about .* left/);
    await page.click("#study-cancel");
    await page.waitForFunction(() =>
      /cancelled/.test(document.querySelector("#study-progress span")?.textContent ?? ""),
    );
    expect(await page.locator("#study-run").isDisabled()).toBe(false);
    await tinyStudy(page);
    await page.click("#study-run");
    await page.waitForFunction(() =>
      /cells, 1 trial/.test(document.querySelector("#study-progress span")?.textContent ?? ""),
    );
    await page.close();
  }, 120_000);

  test("8. no horizontal overflow at 768, 390 and 360 px, in both views with their results", async () => {
    const fx = fixture("median");
    const page = await ready();
    await tinyStudy(page, ["tailored-plus", "tailored", "random"]);
    await page.click("#study-run");
    await page.waitForSelector("#study-output:not([hidden])");
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await lowContrast(page), "study view with results").toEqual([]);
    for (const width of [768, 390, 360]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await overflow(), `study view at ${width} px`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    const ev = await probeInPage(fx.sourcesCsv);
    expect(await lowContrast(ev), "evaluate view with a G-set").toEqual([]);
    for (const width of [768, 390, 360]) {
      await ev.setViewportSize({ width, height: 800 });
      expect(
        await ev.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        `evaluate at ${width} px`,
      ).toBeLessThanOrEqual(0);
    }
    await ev.close();
    await page.close();
  });

  test("9. the report and the JSON carry the provenance; the page's plots show values on hover", async () => {
    const csv = smallCsv(30, 80);
    const page = await ready();
    await page.setInputFiles('#study-form input[name="csv"]', file("mine.csv", csv));
    await tinyStudy(page, ["tailored-plus", "random"]);
    await page.click("#study-run");
    await page.waitForSelector("#study-output:not([hidden])");
    const sha = createHash("sha256").update(csv).digest("hex");
    const json = JSON.parse((await page.textContent("#results")) as string);
    expect(json.provenance.data).toEqual({ name: "mine", file: "mine.csv", sha256: sha });
    expect(json.provenance.tool).toBe("TailoredBench web app");
    expect(json.provenance.version).toMatch(/@tb\/experiment \d+\.\d+\.\d+/);
    // built from a repository (a checkout or a worktree): the commit is recorded
    if (existsSync(join(APP, "../../.git"))) expect(json.provenance.commit).toMatch(/^[0-9a-f]{12}(-dirty)?$/);
    expect(Date.parse(json.provenance.date)).not.toBeNaN();
    expect(json.provenance.options).toMatchObject({ gset: 10, distance: "manhattan", "level (tailored-plus)": 0.9 });
    const html = (await page.$eval("#report-link", (a) =>
      fetch((a as HTMLAnchorElement).href).then((r) => r.text()),
    )) as string;
    expect(html).toContain("<h2>Provenance</h2>");
    expect(html).toContain(`<td>${sha}</td>`);
    expect(html).toMatch(/<td>method options<\/td><td>gset=10, distance=manhattan/);
    expect(html).toContain("are drawn at random (from the seed and the trial number) as targets");
    expect(html).not.toMatch(/<title>[^<]*method:/); // the report's SVG stays as rendered
    // hover titles on the page's points
    const titles = await page.$$eval("#study-output figure svg title", (ts) => ts.map((t) => t.textContent ?? ""));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.some((t) => /method: tailored-plus/.test(t) && /MAE: \d\.\d{3} ± \d\.\d{3}/.test(t))).toBe(true);
    await page.close();
  });

  test("10. every control has a label, the tabs work from the keyboard, and text contrast is at least 4.5:1", async () => {
    const page = await ready();
    const unlabelled = await page.$$eval("input, select, textarea, button", (els) =>
      els
        .filter((el) => {
          const e = el as HTMLInputElement;
          if (e.type === "hidden") return false;
          const named =
            (e.labels && e.labels.length > 0) ||
            e.getAttribute("aria-label") ||
            e.getAttribute("aria-labelledby") ||
            (e.tagName === "BUTTON" && (e.textContent ?? "").trim() !== "");
          return !named;
        })
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    // keyboard: focus the Study tab, arrow right → the Evaluate view
    await page.focus("#tab-study");
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#view-evaluate").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("tab-evaluate");
    await page.keyboard.press("Tab"); // into the page: the first link or control of the view
    expect(await page.evaluate(() => document.activeElement?.closest("#view-evaluate") !== null)).toBe(true);
    await page.focus("#tab-evaluate");
    await page.keyboard.press("ArrowLeft");
    expect(await page.locator("#view-study").isVisible()).toBe(true);
    // contrast (WCAG 2 relative luminance) of every visible text against its background
    await page.focus("#tab-study");
    await page.keyboard.press("End");
    expect(await page.locator("#view-compare").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("tab-compare");
    for (const view of ["#tab-study", "#tab-evaluate", "#tab-compare"]) {
      await page.click(view);
      const low = await lowContrast(page);
      expect(low, view).toEqual([]);
    }
    await page.close();
  });

  test("the Evaluate view's one-click example: a held-out synthetic model answers every step", async () => {
    // the held-out model, computed here independently: seed 0, 80 × 300, the 60th percentile of true scores
    const full = syntheticPopulation({ seed: 0, models: 80, examples: 300 });
    const acc = full.trueScores();
    const order = Array.from(acc.keys()).sort((a, b) => (acc[a] as number) - (acc[b] as number));
    const t = order[48] as number;
    const page = await ready();
    await page.click("#tab-evaluate");
    await page.click("#example-load");
    await page.waitForSelector("#example-note:not([hidden])");
    expect(await page.textContent("#example-note")).toContain(`79 source models × 300 examples`);
    expect(await page.textContent("#example-note")).toContain(full.modelIds[t] as string);
    await page.waitForSelector("#probe-shape:not([hidden])");
    await page.click("#probe-run");
    await page.waitForSelector("#probe-output:not([hidden])");
    await page.click("#tailor-form .example-answer");
    await page.waitForSelector("#tailor-mode");
    if ((await page.getAttribute("#tailor-mode", "data-mode")) === "look") {
      await page.click("#look-form .example-answer");
      await page.waitForSelector("#look-mode");
    }
    await page.click("#estimate-form .example-answer");
    await page.waitForSelector("#example-truth");
    expect(await page.textContent("#example-truth")).toContain(`${(100 * (acc[t] as number)).toFixed(1)} %`);
    await page.close();
  });

  test("precision on demand with the one-click example: step 4's rounds until the evaluation is done, as evaluate() in Node", async () => {
    // Node: the same example (example.ts), the same matrix as parsed by the page, evaluate() with the same options
    const ex = evaluateExample();
    const sources = loadSourceCsv(ex.sourcesCsv, ex.fileName);
    const node = await evaluate(sources, (ids) => ids.map((id) => ex.model.answers[id] as number), {
      precision: 0.05,
      maxBudget: 240,
    });
    expect(node.rounds).toBeGreaterThan(2); // precision rounds follow the design of 30 examples

    const page = await ready();
    await page.click("#tab-evaluate");
    await page.click("#example-load");
    await page.waitForSelector("#probe-shape:not([hidden])");
    // a bad precision is refused in the field's name, before anything is computed
    await page.fill('#probe-form input[name="precision"]', "0.05");
    await page.click("#probe-run");
    await page.waitForSelector("#probe-error:not([hidden])");
    expect(await page.textContent("#probe-error")).toBe(
      "precision (half-width) needs “at most N examples” (the most distinct examples a target may be asked)",
    );
    await page.fill('#probe-form input[name="maxBudget"]', "240");
    await page.click("#probe-run");
    await page.waitForSelector("#probe-output:not([hidden])");
    const idsOf = async (kind: string) =>
      (
        (await page.$eval(`#${kind}-ids-link`, (a) =>
          fetch((a as HTMLAnchorElement).href).then((r) => r.text()),
        )) as string
      )
        .trim()
        .split("\n");
    const asked = [...(await idsOf("gset"))];
    await page.click("#tailor-form .example-answer");
    await page.waitForSelector("#tailor-mode");
    expect(await page.getAttribute("#tailor-mode", "data-mode")).toBe("within");
    asked.push(...(await idsOf("nset")));
    expect(await page.locator("#more-step").isVisible()).toBe(false);
    // step 3's answers: the evaluation asks for more, in step 4, with its reason
    await page.click("#estimate-form .example-answer");
    await page.waitForSelector("#estimate-ask");
    expect(await page.locator("#more-step").isVisible()).toBe(true);
    expect(await page.textContent("#why-round3")).toMatch(
      /^Why: 30 more difficulty-stratified random examples \(30 asked so far, at most 240\): the interval's half-width 0\.\d{3} is above the precision 0\.05 asked for\.$/,
    );
    asked.push(...(await idsOf("round3")));
    let round = 3;
    for (; round < 10; round++) {
      await page.click("#more-form .example-answer");
      await page.waitForSelector(`#more-output:not([hidden]) #why-round${round + 1}, #more-done`);
      if (await page.locator("#more-done").count()) break;
      expect(await page.textContent("#more-round")).toBe(`round ${round + 1}`);
      asked.push(...(await idsOf(`round${round + 1}`)));
    }
    expect(round).toBe(node.rounds);
    expect(asked).toEqual(node.asked);
    await page.waitForSelector("#estimate-result:not([hidden])");
    const { provenance, ...result } = JSON.parse((await page.textContent("#estimate-json")) as string);
    expect(result.accuracy).toBe(node.accuracy);
    expect(result.interval).toEqual(node.interval);
    expect(result.evaluated).toBe(node.asked.length);
    expect(result.rounds).toBe(node.rounds);
    expect(result.reachedPrecision).toBe(node.reachedPrecision);
    expect(provenance.options).toMatchObject({ precision: 0.05, maxBudget: 240 });
    // the running table: one row per round; examples asked so far follow the doubling schedule
    const rows = await page.$$eval("#more-output table.rounds tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
    );
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: node.rounds }, (_, k) => String(k + 1)));
    expect(rows.map((r) => r[2])).toEqual(["10", "30", "60", "120", "240"].slice(0, node.rounds));
    const [lo, hi] = node.interval;
    expect((rows.at(-1) as string[])[3]).toBe(`${(100 * lo).toFixed(1)} % – ${(100 * hi).toFixed(1)} %`);
    expect((rows.at(-1) as string[])[4]).toBe(((hi - lo) / 2).toFixed(3));
    const view = (await page.textContent("#result-output")) as string;
    expect(view).toContain(`rounds${node.rounds}`);
    expect(view).toMatch(node.reachedPrecision ? /precision reachedyes/ : /precision reachedno/);
    expect(await page.textContent("#example-truth")).toContain(`${(100 * ex.model.truth).toFixed(1)} %`);
    expect(await lowContrast(page), "evaluate view with precision rounds").toEqual([]);
    for (const width of [390, 360]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator("#more-step").scrollIntoViewIfNeeded();
    await screenshots(page, "evaluate-precision");
    // step 3 answered again: the evaluation starts over from there — the estimate is gone, step 4
    // asks round 3 again with the two rounds before it in its table
    await page.click("#estimate-form .example-answer");
    await page.waitForSelector("#estimate-ask");
    expect(await page.locator("#estimate-result").isHidden()).toBe(true);
    expect(await page.textContent("#more-round")).toBe("round 3");
    expect(await page.locator("#more-output").isHidden()).toBe(true);
    expect(await page.locator("#estimate-output table.rounds tbody tr").count()).toBe(2);
    await page.click("#more-form .example-answer");
    await page.waitForSelector("#more-output:not([hidden]) #why-round4");
    await page.close();
  });

  // ---- Compare two models ---------------------------------------------------------------------

  /** The Compare view with the one-click example loaded (its source CSV in step 1). */
  async function compareExampleInPage(): Promise<Page> {
    const page = await ready();
    await page.click("#tab-compare");
    await page.click("#cmp-example-load");
    await page.waitForSelector("#cmp-example-note:not([hidden])");
    await page.waitForSelector("#cmp-shape:not([hidden])");
    return page;
  }

  /** A difference in percentage points as the page writes it ("+2.5", "−0.8"), computed here. */
  const ppText = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)}`;

  test("compare two models: the one-click example end to end shows the difference of compare() in Node", async () => {
    // Node: the same example, the matrix as the page parses it, compare() with the page's defaults
    const ex = compareExample();
    const sources = loadSourceCsv(ex.sourcesCsv, ex.fileName);
    const [ma, mb] = ex.models;
    const lib = await compare(
      sources,
      (ids) => ids.map((id) => ma.answers[id] as number),
      (ids) => ids.map((id) => mb.answers[id] as number),
      { budget: 30, seed: 0, level: 0.9, design: "stratified", names: [ma.id, mb.id] },
    );

    const page = await compareExampleInPage();
    expect(await page.textContent("#cmp-example-note")).toContain("78 source models × 300 examples");
    expect(await page.inputValue('#cmp-design-form input[name="nameA"]')).toBe(ma.id);
    expect(await page.inputValue('#cmp-design-form input[name="nameB"]')).toBe(mb.id);
    // before step 1, step 3 cannot run
    expect(await page.locator("#cmp-answer-run").isDisabled()).toBe(true);
    await page.click("#cmp-design-run");
    await page.waitForSelector("#cmp-run-output:not([hidden])");
    // step 2: the ids to run (no lm-eval doc ids here) and an answers template, the same examples as the library's
    const fetchText = (sel: string) =>
      page.$eval(sel, (a) => fetch((a as HTMLAnchorElement).href).then((r) => r.text())) as Promise<string>;
    const ids = (await fetchText("#compare-ids-link")).trim().split("\n");
    expect(ids).toEqual(lib.asked);
    expect(await fetchText("#compare-template-link")).toBe(
      `example,correct\n${ids.map((id) => `${id},`).join("\n")}\n`,
    );
    expect(await page.textContent("#cmp-run-output")).toMatch(/not known to be lm-eval doc indices/);
    const links = await page.$$eval("#view-compare a[href^='https:']", (as) =>
      as.map((a) => (a as HTMLAnchorElement).href),
    );
    expect(links.some((h) => h.endsWith("README.md#compare-two-models"))).toBe(true);

    await page.click("#cmp-example-answer");
    await page.waitForSelector("#cmp-result:not([hidden])");
    const { provenance, ...shown } = JSON.parse((await page.textContent("#cmp-json")) as string);
    expect(shown).toEqual(JSON.parse(JSON.stringify(lib)));
    expect(provenance.options).toMatchObject({ budget: 30, seed: 0, level: 0.9, design: "stratified" });
    expect(provenance.data.sha256).toBe(createHash("sha256").update(ex.sourcesCsv).digest("hex"));
    expect(await page.textContent("#cmp-headline")).toBe(
      `${ma.id} − ${mb.id}: ${ppText(lib.difference)} pp (90 % interval ${ppText(lib.interval[0])} to ${ppText(lib.interval[1])} pp), ` +
        `P(${ma.id} better) ${(100 * lib.probabilityABetter).toFixed(1)} %`,
    );
    const table = (await page.textContent("#cmp-table")) as string;
    expect(table).toContain(
      `estimated accuracy ${(100 * lib.a.accuracy).toFixed(1)} % (rank ${lib.a.rank.position} of 79`,
    );
    expect(table).toContain(
      `estimated accuracy ${(100 * lib.b.accuracy).toFixed(1)} % (rank ${lib.b.rank.position} of 79`,
    );
    expect(table).toContain(`disagreements${lib.disagreements} of the 30`);
    expect(table).toContain("shared examples30 of 300");
    // both files were read by the matrix's ids, and the page says so
    expect(await page.textContent("#cmp-note-a")).toMatch(/keyed by the matrix's example ids; 30 of the 30 examples/);
    // the true difference of the two held-out models, beside the estimate
    expect(await page.textContent("#cmp-example-truth")).toContain(`${ppText(ma.truth - mb.truth)} pp`);
    // the saved comparison resumes to the same result
    const saved = JSON.parse(await fetchText("#cmp-saved-link"));
    expect(restoreComparison(sources, saved).difference()).toEqual(lib);
    expect(await lowContrast(page), "compare view with its result").toEqual([]);
    for (const width of [768, 390, 360]) {
      await page.setViewportSize({ width, height: 800 });
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        `compare at ${width} px`,
      ).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshots(page, "compare");
    await page.close();
  });

  test("compare: a setting changed after step 1 hides the examples, the answers and the result", async () => {
    const page = await compareExampleInPage();
    await page.click("#cmp-design-run");
    await page.waitForSelector("#cmp-run-output:not([hidden])");
    await page.click("#cmp-example-answer");
    await page.waitForSelector("#cmp-result:not([hidden])");
    for (const [sel, value] of [
      ['#cmp-design-form input[name="budget"]', "40"],
      ['#cmp-design-form input[name="level"]', "0.8"],
      ['#cmp-design-form input[name="nameB"]', "someone else"],
    ] as const) {
      await page.fill(sel, value);
      expect(await page.locator("#cmp-result").isHidden(), sel).toBe(true);
      expect(await page.locator("#cmp-run-output").isHidden(), sel).toBe(true);
      expect(await page.locator("#cmp-answer-run").isDisabled(), sel).toBe(true);
      expect(await page.locator("#cmp-example-answer").isDisabled(), sel).toBe(true);
      expect(await page.textContent("#cmp-stale"), sel).toMatch(/setting changed .* Compute the shared examples again/);
      // computed again with the new settings: the later steps come back, made with them
      await page.click("#cmp-design-run");
      await page.waitForSelector("#cmp-run-output:not([hidden])");
      expect(await page.locator("#cmp-stale").isHidden()).toBe(true);
      await page.click("#cmp-example-answer");
      await page.waitForSelector("#cmp-result:not([hidden])");
    }
    const shown = JSON.parse((await page.textContent("#cmp-json")) as string);
    expect(shown.asked).toHaveLength(40);
    expect(shown.level).toBe(0.8);
    expect(shown.b.name).toBe("someone else");
    // the design changed with a select: the same
    await page.selectOption('#cmp-design-form select[name="design"]', "random");
    expect(await page.locator("#cmp-result").isHidden()).toBe(true);
    expect(await page.locator("#cmp-stale").isVisible()).toBe(true);
    await page.close();
  });

  test("compare: budget N left empty on a matrix smaller than the library's default: the shared examples are computed, the budget used is shown", async () => {
    const page = await ready();
    await page.click("#tab-compare");
    expect(await page.inputValue('#cmp-design-form input[name="budget"]')).toBe("");
    await page.setInputFiles('#cmp-design-form input[name="source"]', file("small.csv", smallCsv(20, 25)));
    await page.click("#cmp-design-run");
    await page.waitForSelector("#cmp-design-output:not([hidden]), #cmp-design-error:not([hidden])");
    expect(await page.locator("#cmp-design-error").isHidden()).toBe(true);
    expect(await page.textContent("#cmp-budget")).toBe(": budget N 25, the default for this matrix");
    await page.close();
  });

  test("compare: a budget larger than the examples is refused next to step 1, naming the field", async () => {
    const page = await compareExampleInPage();
    await page.click("#cmp-design-run");
    await page.waitForSelector("#cmp-run-output:not([hidden])");
    await page.fill('#cmp-design-form input[name="budget"]', "400");
    await page.click("#cmp-design-run");
    await page.waitForSelector("#cmp-design-error:not([hidden])");
    expect(await page.textContent("#cmp-design-error")).toBe(
      "budget N must be an integer of at least 12 (the G-set and two draws) and at most the 300 examples, got 400",
    );
    await page.waitForFunction(() => {
      const r = (document.querySelector("#cmp-design-error") as HTMLElement).getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    // nothing of the earlier design is left, and step 3 is locked
    expect(await page.locator("#cmp-run-output").isHidden()).toBe(true);
    expect(await page.locator("#cmp-answer-run").isDisabled()).toBe(true);
    expect(await page.locator("#cmp-answer-error").isHidden()).toBe(true);
    // two models of the same name: the library's message in the page's field
    await page.fill('#cmp-design-form input[name="budget"]', "30");
    await page.fill(
      '#cmp-design-form input[name="nameB"]',
      await page.inputValue('#cmp-design-form input[name="nameA"]'),
    );
    await page.click("#cmp-design-run");
    await page.waitForFunction(() =>
      /^names of A and B must be two distinct/.test(document.querySelector("#cmp-design-error")?.textContent ?? ""),
    );
    await page.close();
  });

  test("compare: lm-eval doc ids — the samples JSON of the shared docs, answers keyed by doc id detected and said", async () => {
    const fx = fixture("median");
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    // B: a model that answers the odd docs right (a fact of this test, not of the fixture)
    const bOf = (id: string) => Number(id.slice(4)) % 2;
    const lib = await compare(
      sources,
      (ids) => fx.answers(ids),
      (ids) => ids.map(bOf),
      {
        budget: 20,
        seed: 3,
        names: ["A", "B"],
      },
    );
    const page = await ready();
    await page.click("#tab-compare");
    await page.setInputFiles('#cmp-design-form input[name="source"]', file("correctness.csv", fx.sourcesCsv));
    await page.fill('#cmp-design-form input[name="budget"]', "20");
    await page.fill('#cmp-design-form input[name="seed"]', "3");
    await page.selectOption('#cmp-design-form select[name="docOrder"]', "identity");
    await page.click("#cmp-design-run");
    await page.waitForSelector("#compare-samples");
    const docs = (JSON.parse((await page.textContent("#compare-samples")) as string) as { toy: number[] }).toy;
    expect(docs).toEqual(lib.asked.map((id) => Number(id.slice(4))).sort((x, y) => x - y));
    const ids = docs.map((d) => `toy/${d}`);
    // A's answers keyed by the doc index alone ("17"), B's by the matrix's ids ("toy/17")
    await page.setInputFiles(
      '#cmp-answer-form input[name="answersA"]',
      file("a.csv", fx.answersCsv(ids).replace(/toy\//g, "")),
    );
    await page.setInputFiles(
      '#cmp-answer-form input[name="answersB"]',
      file("b.csv", `example,correct\n${ids.map((id) => `${id},${bOf(id)}`).join("\n")}\n`),
    );
    await page.click("#cmp-answer-run");
    await page.waitForSelector("#cmp-result:not([hidden])");
    expect(await page.textContent("#cmp-note-a")).toMatch(/keyed by lm-eval doc ids \(detected\); 20 of the 20/);
    expect(await page.textContent("#cmp-note-b")).toMatch(
      /keyed by the matrix's example ids \(detected\); 20 of the 20/,
    );
    const { provenance: _p, ...shown } = JSON.parse((await page.textContent("#cmp-json")) as string);
    expect(shown).toEqual(JSON.parse(JSON.stringify(lib)));
    await page.close();
  });

  test("the page's own scripts do no hashing: the matrix's sha256 is computed in the worker, so a large file does not freeze the page", () => {
    const html = readFileSync(join(DIST, "index.html"), "utf8");
    // what the page's thread runs: its module scripts and what they preload
    const pageScripts = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map(
      (m) => m[1] as string,
    );
    expect(pageScripts.length).toBeGreaterThan(0);
    // SHA-256's first round constant, as the bundle writes it (checked present in the worker's bundle)
    const k0 = /\b1116352408\b|0x428a2f98/i;
    expect(pageScripts.filter((s) => k0.test(readFileSync(join(DIST, s), "utf8")))).toEqual([]);
    const workers = readdirSync(join(DIST, "assets")).filter((f) => /^worker-[\w-]+\.js$/.test(f));
    expect(workers.some((w) => k0.test(readFileSync(join(DIST, "assets", w), "utf8")))).toBe(true);
  });

  test("no request left the page's origin, and only the app's files were asked for", () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
    for (const p of served) expect(p).toMatch(/^\/(index\.html|assets\/[\w.-]+\.(js|css))$/);
  });
});
