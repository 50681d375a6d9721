/**
 * The page: forms, progress and results. Every computation is a request to the Web Worker
 * (worker.ts); this file only reads inputs, sends them, and draws the replies.
 *
 * Contract for automated checks: `index.html?demo=1` runs the demo study (`tb demo`'s settings)
 * on load, then sets `document.documentElement.dataset.status` to "done" (or "error") and puts the
 * reproduce JSON in `<pre id="results">`.
 */
import { htmlTable, resultRows } from "@tb/plot";
import type { EstimateResult, EvaluateSettings } from "./evaluate.js";
import type { LmEvalChoice, Reply, Request } from "./protocol.js";
import { DEMO_STUDY, type StudySettings } from "./settings.js";
import "./style.css";

type Distribute<T> = T extends unknown ? Omit<T, "id"> : never;
type Ask = Distribute<Request>;

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const pending = new Map<
  number,
  { resolve: (r: Reply) => void; progress?: (r: Reply & { type: "progress" }) => void }
>();
let nextId = 1;
worker.onmessage = (e: MessageEvent<Reply>) => {
  const r = e.data;
  const p = pending.get(r.id);
  if (!p) return;
  if (r.type === "progress") {
    p.progress?.(r);
    return;
  }
  pending.delete(r.id);
  p.resolve(r);
};

/** Send a request to the worker; resolves with its final reply, rejects with its error message. */
function ask<T extends Reply["type"]>(
  req: Ask,
  progress?: (r: Reply & { type: "progress" }) => void,
): Promise<Reply & { type: T }> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const entry: { resolve: (r: Reply) => void; progress?: (r: Reply & { type: "progress" }) => void } = {
      resolve: (r) => (r.type === "error" ? reject(new Error(r.message)) : resolve(r as Reply & { type: T })),
    };
    if (progress) entry.progress = progress;
    pending.set(id, entry);
    worker.postMessage({ ...req, id } as Request);
  });
}

const $ = <T extends HTMLElement = HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`missing element ${sel}`);
  return el;
};

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function show(el: HTMLElement, html?: string): void {
  if (html !== undefined) el.innerHTML = html;
  el.hidden = false;
}

/** A download link for text made here (a `blob:` URL of this page's origin). */
function downloadLink(text: string, fileName: string, type: string, label: string): string {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return `<a class="download" href="${url}" download="${esc(fileName)}">${esc(label)}</a>`;
}

function setResults(json: unknown): void {
  $("#results").textContent = JSON.stringify(json, null, 2);
  $("#results-box").hidden = false;
}

// ---- tabs -------------------------------------------------------------------------------------

for (const tab of document.querySelectorAll<HTMLButtonElement>("nav .tab")) {
  tab.addEventListener("click", () => {
    for (const t of document.querySelectorAll<HTMLButtonElement>("nav .tab")) t.classList.toggle("active", t === tab);
    $("#view-study").hidden = tab.dataset.view !== "study";
    $("#view-evaluate").hidden = tab.dataset.view !== "evaluate";
  });
}

// ---- Study ------------------------------------------------------------------------------------

const studyForm = $<HTMLFormElement>("#study-form");

function intField(form: HTMLFormElement, name: string, label: string, min: number): number {
  const raw = (form.elements.namedItem(name) as HTMLInputElement).value.trim();
  const v = Number(raw);
  if (!(/^\d+$/.test(raw) && v >= min)) throw new Error(`${label} must be an integer ≥ ${min}, got "${raw}"`);
  return v;
}

async function readStudyForm(): Promise<StudySettings> {
  const f = studyForm;
  const fd = new FormData(f);
  const methods = fd.getAll("method").map(String);
  const budgetsRaw = String(fd.get("budgets") ?? "");
  const budgets = budgetsRaw.split(",").map((b) => {
    const t = b.trim();
    if (!/^\d+$/.test(t) || Number(t) < 1)
      throw new Error(`budgets must be positive integers separated by commas, got "${budgetsRaw}"`);
    return Number(t);
  });
  const s: StudySettings = {
    data: { kind: "synthetic", seed: 0, models: 120, examples: 600 },
    methods,
    budgets,
    trials: intField(f, "trials", "trials", 1),
    seed: intField(f, "seed", "seed", 0),
    split: String(fd.get("split")) as StudySettings["split"],
    gset: intField(f, "gset", "G-set size", 1),
  };
  const level = String(fd.get("level") ?? "").trim();
  if (level !== "") {
    const l = Number(level);
    if (!(l > 0 && l < 1)) throw new Error(`interval level must be a number in (0, 1), got "${level}"`);
    s.level = l;
  }
  if (fd.get("data") === "csv") {
    const file = (f.elements.namedItem("csv") as HTMLInputElement).files?.[0];
    if (!file) throw new Error("choose a correctness CSV file (or the synthetic population)");
    s.data = { kind: "csv", name: file.name, text: await file.text() };
  } else {
    s.data = {
      kind: "synthetic",
      seed: intField(f, "synSeed", "synthetic seed", 0),
      models: intField(f, "synModels", "models", 4),
      examples: intField(f, "synExamples", "examples", 20),
    };
  }
  return s;
}

function settingsToForm(s: StudySettings): void {
  const f = studyForm;
  const set = (name: string, v: string) => {
    (f.elements.namedItem(name) as HTMLInputElement).value = v;
  };
  set("budgets", s.budgets.join(","));
  set("trials", String(s.trials));
  set("seed", String(s.seed));
  set("split", s.split);
  for (const cb of f.querySelectorAll<HTMLInputElement>('input[name="method"]'))
    cb.checked = s.methods.includes(cb.value);
}

async function runStudy(settings: StudySettings): Promise<unknown> {
  const progress = $("#study-progress");
  const bar = progress.querySelector("progress") as HTMLProgressElement;
  const label = progress.querySelector("span") as HTMLSpanElement;
  $("#study-error").hidden = true;
  $("#study-output").hidden = true;
  bar.value = 0;
  label.textContent = "starting…";
  progress.hidden = false;
  $<HTMLButtonElement>("#study-run").disabled = true;
  try {
    const t0 = performance.now();
    const r = await ask<"study-done">({ type: "study", settings }, (p) => {
      bar.value = p.done / p.total;
      label.textContent = `${p.done} / ${p.total} trials (${p.label}), ${((performance.now() - t0) / 1000).toFixed(1)} s`;
    });
    const rep = r.report;
    label.textContent = `${rep.results.length} cells, ${rep.trials} trial(s) each, in ${rep.wallSeconds.toFixed(1)} s`;
    bar.value = 1;
    const d = rep.data;
    const parts = [
      `<p>${esc(d.name)}: ${d.models} models × ${d.examples} examples, setting ${esc(d.split)} (${d.sources} sources / ${d.targets} targets), ${rep.trials} trials, seed ${rep.seed}, G-set ${rep.gset}. Mean ± standard error over trials.</p>`,
      htmlTable(resultRows(rep.results)),
      `<p class="downloads">${downloadLink(`${JSON.stringify(rep, null, 2)}\n`, "reproduce.json", "application/json", "results JSON")} ${downloadLink(r.html, "report.html", "text/html", "HTML report")}</p>`,
      `<figure>${r.plots.curves}</figure>`,
    ];
    if (r.plots.coverage) parts.push(`<figure>${r.plots.coverage}</figure>`);
    if (r.plots.scatter) parts.push(`<figure>${r.plots.scatter}</figure>`);
    show($("#study-output"), parts.join("\n"));
    setResults(rep);
    return rep;
  } catch (err) {
    progress.hidden = true;
    show($("#study-error"), esc((err as Error).message));
    throw err;
  } finally {
    $<HTMLButtonElement>("#study-run").disabled = false;
  }
}

studyForm.addEventListener("submit", (e) => {
  e.preventDefault();
  readStudyForm()
    .then(runStudy)
    .catch((err: Error) => show($("#study-error"), esc(err.message)));
});

// ---- Evaluate a model -------------------------------------------------------------------------

const probeForm = $<HTMLFormElement>("#probe-form");
const tailorForm = $<HTMLFormElement>("#tailor-form");
const lookForm = $<HTMLFormElement>("#look-form");
const estimateForm = $<HTMLFormElement>("#estimate-form");
const evalError = $("#evaluate-error");

function samplesName(kind: string): string {
  return `tb-${kind}-samples.json`;
}

function readEvaluateSettings(): EvaluateSettings {
  const f = probeForm;
  const fd = new FormData(f);
  const level = Number(String(fd.get("level")).trim());
  if (!(level > 0 && level < 1)) throw new Error(`level must be a number in (0, 1), got "${String(fd.get("level"))}"`);
  const s: EvaluateSettings = {
    gset: intField(f, "gset", "G-set size", 1),
    budget: intField(f, "budget", "budget N", 2),
    seed: intField(f, "seed", "seed", 0),
    method: String(fd.get("method")) as EvaluateSettings["method"],
    metric: String(fd.get("metric")) as EvaluateSettings["metric"],
    standardize: true,
    level,
  };
  const task = String(fd.get("task") ?? "").trim();
  if (task !== "") s.task = task;
  const docOrder = String(fd.get("docOrder") ?? "");
  if (docOrder === "identity" || docOrder === "lm-eval-v0.3") s.docOrder = docOrder;
  return s;
}

function lmEvalChoice(form: HTMLFormElement): LmEvalChoice {
  const fd = new FormData(form);
  const c: LmEvalChoice = {};
  const metric = String(fd.get("metric") ?? "").trim();
  const filter = String(fd.get("filter") ?? "").trim();
  if (metric) c.metric = metric;
  if (filter) c.filter = filter;
  return c;
}

async function fileOf(form: HTMLFormElement, name: string, what: string): Promise<{ name: string; text: string }> {
  const file = (form.elements.namedItem(name) as HTMLInputElement).files?.[0];
  if (!file) throw new Error(`choose the ${what} file`);
  return { name: file.name, text: await file.text() };
}

function step(form: HTMLFormElement, enabled: boolean): void {
  (form.querySelector("button") as HTMLButtonElement).disabled = !enabled;
}

function guard(p: Promise<void>): void {
  evalError.hidden = true;
  p.catch((err: Error) => show(evalError, esc(err.message)));
}

/** The lm-eval `--samples` JSON (shown, downloadable, with the command), or why there is none. */
function samplesBlock(
  kind: "gset" | "look" | "nset",
  r: { samples: Record<string, number[]> | null; samplesNote?: string },
): string {
  if (r.samples === null) {
    return `<p class="hint" id="${kind}-samples-note">No lm-eval samples JSON: ${esc(r.samplesNote ?? "")}. Give the answers as CSV <code>example,correct</code> or JSON instead.</p>`;
  }
  const json = JSON.stringify(r.samples);
  return `<pre id="${kind}-samples">${esc(json)}</pre>
<p>${downloadLink(`${json}\n`, samplesName(kind), "application/json", `download the ${kind === "gset" ? "G-set" : kind === "look" ? "second look's" : "N-set"} samples JSON (lm-eval --samples)`)}</p>
<p class="hint"><code>lm_eval --model hf --model_args pretrained=&lt;your-model&gt; --tasks ${esc(Object.keys(r.samples).join(","))} --samples ${samplesName(kind)} --log_samples --output_path out</code></p>`;
}

function idList(ids: readonly string[]): string {
  return `<details><summary>${ids.length} example ids</summary><p class="ids">${ids.map(esc).join(", ")}</p></details>`;
}

probeForm.addEventListener("submit", (e) => {
  e.preventDefault();
  guard(
    (async () => {
      const settings = readEvaluateSettings();
      const source = await fileOf(probeForm, "source", "source CSV");
      step(tailorForm, false);
      step(lookForm, false);
      step(estimateForm, false);
      $("#tailor-output").hidden = true;
      $("#look-step").hidden = true;
      $("#estimate-output").hidden = true;
      const r = await ask<"probe-done">({ type: "probe", source, settings });
      show(
        $("#probe-output"),
        `<p>${esc(r.source.name)}: ${r.source.models} source models × ${r.source.examples} examples. Run your model on these ${r.gsetIds.length} examples:</p>
${samplesBlock("gset", r)}${idList(r.gsetIds)}`,
      );
      step(tailorForm, true);
    })(),
  );
});

/** The plan a tailor or look step returned: what to run next, and which step takes the answers. */
function showPlan(out: HTMLElement, r: Reply & { type: "tailor-done" }): void {
  const what =
    r.mode === "beyond"
      ? "beyond the sources' range: a stratified random sample of the rest"
      : r.mode === "look"
        ? "at the top of the sources' range on the G-set: a second look at more of its tailored coreset chooses the design"
        : `${r.nativeSources} native sources; the N-set is their cluster medoids${r.fallback !== "none" ? " (no source within d̄: threshold relaxed)" : ""}`;
  show(
    out,
    `<p class="plan-mode" data-mode="${esc(r.mode)}">${esc(r.mode)}: ${esc(what)}. Run your model on these ${r.toEvaluateIds.length} more examples${r.mode === "look" ? ", then upload its answers in step 2b" : ""}:</p>
${r.outOfRange ? `<p class="warn">Its G-set score is ${esc(r.outOfRange)} every source model's: it is probably ${r.outOfRange === "above" ? "stronger" : "weaker"} than all of them.</p>` : ""}
${samplesBlock(r.mode === "look" ? "look" : "nset", r)}${idList(r.toEvaluateIds)}`,
  );
}

tailorForm.addEventListener("submit", (e) => {
  e.preventDefault();
  guard(
    (async () => {
      const answers = await fileOf(tailorForm, "answers", "G-set answers");
      step(lookForm, false);
      step(estimateForm, false);
      $("#look-step").hidden = true;
      $("#estimate-output").hidden = true;
      const r = await ask<"tailor-done">({ type: "tailor", answers, lmEval: lmEvalChoice(tailorForm) });
      showPlan($("#tailor-output"), r);
      $("#tailor-output .plan-mode")?.setAttribute("id", "tailor-mode");
      if (r.mode === "look") {
        $("#look-step").hidden = false;
        $("#look-output").hidden = true;
        step(lookForm, true);
      } else {
        step(estimateForm, true);
      }
    })(),
  );
});

lookForm.addEventListener("submit", (e) => {
  e.preventDefault();
  guard(
    (async () => {
      const answers = await fileOf(lookForm, "answers", "second look's answers");
      step(estimateForm, false);
      $("#estimate-output").hidden = true;
      const r = await ask<"tailor-done">({ type: "look", answers, lmEval: lmEvalChoice(lookForm) });
      showPlan($("#look-output"), r);
      $("#look-output .plan-mode")?.setAttribute("id", "look-mode");
      step(estimateForm, true);
    })(),
  );
});

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

function estimateHtml(r: EstimateResult): string {
  const rows = [
    ["estimated accuracy", pct(r.accuracy)],
    [
      `${Math.round(r.level * 100)} % interval`,
      r.interval ? `${pct(r.interval[0])} – ${pct(r.interval[1])}` : "none (the plan shows no spread)",
    ],
    [
      "rank among the sources",
      `${r.rank.position} of ${r.rank.of}${r.rank.interval ? ` (interval ${r.rank.interval[0]}–${r.rank.interval[1]})` : ""}`,
    ],
    ["examples evaluated", `${r.evaluated}`],
    ["method", `${r.method}${r.mode ? ` (${r.mode})` : ""}`],
    ["out of range", r.outOfRange ? `yes — ${r.outOfRange} every source on the G-set` : "no"],
  ];
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${esc(k as string)}</th><td>${esc(v as string)}</td></tr>`).join("")}</table>`;
}

estimateForm.addEventListener("submit", (e) => {
  e.preventDefault();
  guard(
    (async () => {
      const answers = await fileOf(estimateForm, "answers", "N-set answers");
      const r = await ask<"estimate-done">({ type: "estimate", answers, lmEval: lmEvalChoice(estimateForm) });
      show($("#estimate-output"), estimateHtml(r.result));
      setResults(r.result);
    })(),
  );
});

// ---- start ------------------------------------------------------------------------------------

async function start(): Promise<void> {
  const { methods } = await ask<"methods-done">({ type: "methods" });
  $("#method-list").innerHTML = methods
    .map(
      (m) =>
        `<label><input type="checkbox" name="method" value="${esc(m)}"${DEMO_STUDY.methods.includes(m) ? " checked" : ""} /> ${esc(m)}</label>`,
    )
    .join("");
  if (new URLSearchParams(location.search).get("demo") === "1") {
    settingsToForm(DEMO_STUDY);
    document.documentElement.dataset.status = "running";
    await runStudy(DEMO_STUDY);
    document.documentElement.dataset.status = "done";
  } else {
    document.documentElement.dataset.status = "ready";
  }
}

start().catch((err: Error) => {
  document.documentElement.dataset.status = "error";
  show($("#study-error"), esc(err.message));
});
