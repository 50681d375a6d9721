/**
 * The web app in a real browser: Debian's Chromium (`apt-get install -y chromium`) driven by
 * playwright-core (which downloads no browser), the built app (`pnpm --filter @tb/web build`)
 * served from 127.0.0.1. In CI a missing Chromium or build is a failure; elsewhere these skip.
 * `TB_SCREENSHOTS=1` also writes docs/screenshots/*.png.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { reproduce, syntheticPopulation, trialEstimates } from "@tb/experiment";
import { htmlReport } from "@tb/plot";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  DEFAULT_EVALUATE,
  estimateStep,
  loadSourceCsv,
  lookStep,
  parseAnswers,
  probeStep,
  tailorStep,
} from "../src/evaluate.js";
import { DEMO_STUDY } from "../src/settings.js";
import { fixture } from "./fixture.js";

const APP = resolve(import.meta.dirname, "..");
const DIST = join(APP, "dist");
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
    const { results: _a, wallSeconds: _w, ...meta } = json;
    const { results: _b, ...nodeMeta } = node;
    expect(meta).toEqual(nodeMeta);
    // the page shows the table and the three plots
    expect(await page.locator("#study-output table tbody tr").count()).toBe(9);
    expect(await page.locator("#study-output figure svg").count()).toBe(3);
    console.log(
      `demo study (${json.results.length} cells × ${json.trials} trials): Chromium ${json.wallSeconds.toFixed(1)} s ` +
        `(page load to done ${chromiumSeconds.toFixed(1)} s), Node ${nodeSeconds.toFixed(1)} s (one thread)`,
    );
    if (process.env.TB_SCREENSHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "study.png"), fullPage: true });
    }
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
    await page.click("#probe-form button");
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
    const plan = tailorStep(sources, probed, parseAnswers(sources, fx.answersCsv(probed.gsetIds), "g.csv"), s);
    const est = estimateStep(sources, plan, parseAnswers(sources, fx.answersCsv(plan.toEvaluateIds), "r.csv"), s);

    const page = await probeInPage(fx.sourcesCsv);
    const gSamples = JSON.parse((await page.textContent("#gset-samples")) as string) as { toy: number[] };
    expect(gSamples).toEqual(probed.samples);
    const gIds = gSamples.toy.map((d) => `toy/${d}`);

    // a G-set answers file missing one example is refused with the example named
    await page.setInputFiles('#tailor-form input[name="answers"]', file("g.csv", fx.answersCsv(gIds.slice(1))));
    await page.click("#tailor-form button");
    await page.waitForSelector("#evaluate-error:not([hidden])");
    expect(await page.textContent("#evaluate-error")).toContain(
      `7 of the 8 examples needed are answered; missing "${gIds[0]}"`,
    );

    await page.setInputFiles('#tailor-form input[name="answers"]', file("g.csv", fx.answersCsv(gIds)));
    await page.click("#tailor-form button");
    await page.waitForSelector("#nset-samples");
    expect(await page.locator("#evaluate-error").isHidden()).toBe(true);
    const nSamples = JSON.parse((await page.textContent("#nset-samples")) as string) as { toy: number[] };
    expect(nSamples).toEqual(plan.samples);
    expect(await page.getAttribute("#tailor-mode", "data-mode")).toBe(plan.mode);

    await page.setInputFiles(
      '#estimate-form input[name="answers"]',
      file("rest.csv", fx.answersCsv(nSamples.toy.map((d) => `toy/${d}`))),
    );
    await page.click("#estimate-form button");
    await page.waitForSelector("#estimate-output:not([hidden])");
    const result = JSON.parse((await page.textContent("#results")) as string);
    expect(result).toEqual(JSON.parse(JSON.stringify(est)));
    expect(await page.textContent("#estimate-output")).toContain(`${(100 * est.accuracy).toFixed(1)} %`);
    if (process.env.TB_SCREENSHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "evaluate.png"), fullPage: true });
    }
    await page.close();
  });

  test("evaluate the strongest model: a second look in step 2b, then the estimate, as in Node", async () => {
    const fx = fixture("strongest");
    const s = { ...DEFAULT_EVALUATE, gset: 8, budget: 20, seed: 3, docOrder: "identity" as const };
    const sources = loadSourceCsv(fx.sourcesCsv, "correctness.csv");
    const probed = probeStep(sources, s);
    const first = tailorStep(sources, probed, parseAnswers(sources, fx.answersCsv(probed.gsetIds), "g.csv"), s);
    expect(first.mode).toBe("look");
    const plan = lookStep(sources, first, parseAnswers(sources, fx.answersCsv(first.toEvaluateIds), "l.csv"), s);
    const est = estimateStep(sources, plan, parseAnswers(sources, fx.answersCsv(plan.toEvaluateIds), "r.csv"), s);

    const page = await probeInPage(fx.sourcesCsv);
    const ids = (sel: string) => async () =>
      (JSON.parse((await page.textContent(sel)) as string) as { toy: number[] }).toy.map((d) => `toy/${d}`);
    await page.setInputFiles(
      '#tailor-form input[name="answers"]',
      file("g.csv", fx.answersCsv(await ids("#gset-samples")())),
    );
    await page.click("#tailor-form button");
    await page.waitForSelector("#look-samples");
    expect(await page.getAttribute("#tailor-mode", "data-mode")).toBe("look");
    expect(await page.locator("#look-step").isVisible()).toBe(true);
    // the estimate waits for the second look's answers
    expect(await page.locator("#estimate-form button").isDisabled()).toBe(true);
    const lookIds = await ids("#look-samples")();
    expect(lookIds).toEqual([...first.toEvaluateIds].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))));
    await page.setInputFiles('#look-form input[name="answers"]', file("l.csv", fx.answersCsv(lookIds)));
    await page.click("#look-form button");
    await page.waitForSelector("#nset-samples");
    expect(await page.getAttribute("#look-mode", "data-mode")).toBe(plan.mode);
    await page.setInputFiles(
      '#estimate-form input[name="answers"]',
      file("rest.csv", fx.answersCsv(await ids("#nset-samples")())),
    );
    await page.click("#estimate-form button");
    await page.waitForSelector("#estimate-output:not([hidden])");
    const result = JSON.parse((await page.textContent("#results")) as string);
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

  test("no request left the page's origin, and only the app's files were asked for", () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
    for (const p of served) expect(p).toMatch(/^\/(index\.html|assets\/[\w.-]+\.(js|css))$/);
  });
});
