/**
 * The page: forms, progress and results. Every computation is a request to a Web Worker
 * (worker.ts; one for the Study view, which Cancel may end, one for the Evaluate and Compare views); this file
 * only reads inputs, sends them, and draws the replies.
 *
 * Contract for automated checks: `index.html?demo=1` runs the demo study (`tb demo`'s settings)
 * on load, then sets `document.documentElement.dataset.status` to "done" (or "error") and puts the
 * reproduce JSON in `<pre id="results">`.
 */
import { htmlTable, resultRows } from "@tb/plot";
import type { KeyChoice } from "./answers.js";
import { buildInfo } from "./build-info.js";
import type { CompareSettings } from "./compare.js";
import type { EstimateResult, EvaluateSettings, RoundRow } from "./evaluate.js";
import { type CompareExample, type EvaluateExample, exampleAnswersCsv } from "./example-answers.js";
import { COMPARE_HOW, HOW_IT_WORKS } from "./explain.js";
import { withHoverTitles } from "./hover.js";
import { duration, secondsLeft, type TrialTime } from "./progress.js";
import type { LmEvalChoice, Reply, Request } from "./protocol.js";
import { DEMO_STUDY, type StudySettings } from "./settings.js";
import { type CsvShape, checkSyntheticSize, csvShape } from "./shape.js";
import "./style.css";
import { parseDecimal } from "@tb/io/browser";

type Distribute<T> = T extends unknown ? Omit<T, "id"> : never;
type Ask = Distribute<Request>;
type Progress = (r: Reply & { type: "progress" }) => void;

/** A Web Worker and its pending requests; `terminate` ends it and rejects what is pending. */
function workerClient() {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; progress?: Progress }>();
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
  return {
    /** Send a request; resolves with its final reply, rejects with its error message. */
    ask<T extends Reply["type"]>(req: Ask, progress?: Progress): Promise<Reply & { type: T }> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const entry: { resolve: (r: Reply) => void; reject: (e: Error) => void; progress?: Progress } = {
          resolve: (r) => (r.type === "error" ? reject(new Error(r.message)) : resolve(r as Reply & { type: T })),
          reject,
        };
        if (progress) entry.progress = progress;
        pending.set(id, entry);
        worker.postMessage({ ...req, id } as Request);
      });
    },
    terminate(): void {
      worker.terminate();
      for (const p of pending.values()) p.reject(new CancelledError());
      pending.clear();
    },
  };
}

class CancelledError extends Error {
  constructor() {
    super("cancelled");
  }
}

let studyWorker = workerClient();
const evalWorker = workerClient();

/**
 * The sha256 of a file's bytes, computed by a worker: hashing a large matrix on the page's thread
 * would freeze the page.
 */
async function sha256Of(client: ReturnType<typeof workerClient>, file: Blob): Promise<string> {
  return (await client.ask<"sha256-done">({ type: "sha256", file })).sha256;
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
function downloadLink(text: string, fileName: string, type: string, label: string, id = ""): string {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return `<a class="download"${id ? ` id="${id}"` : ""} href="${url}" download="${esc(fileName)}">${esc(label)}</a>`;
}

/** A table that scrolls sideways inside its box instead of widening the page. */
function wrapTable(html: string): string {
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="table">${html}</div>`;
}

// ---- tabs -------------------------------------------------------------------------------------

const tabs = [...document.querySelectorAll<HTMLButtonElement>("nav .tab")];

function selectTab(tab: HTMLButtonElement): void {
  for (const t of tabs) {
    const on = t === tab;
    t.classList.toggle("active", on);
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
  }
  $("#view-study").hidden = tab.dataset.view !== "study";
  $("#view-evaluate").hidden = tab.dataset.view !== "evaluate";
  $("#view-compare").hidden = tab.dataset.view !== "compare";
}

for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab));
  // the tab list's keys: arrows move between tabs (and select), Home/End go to the ends
  tab.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    const to =
      e.key === "ArrowRight"
        ? tabs[(i + 1) % tabs.length]
        : e.key === "ArrowLeft"
          ? tabs[(i - 1 + tabs.length) % tabs.length]
          : e.key === "Home"
            ? tabs[0]
            : e.key === "End"
              ? tabs[tabs.length - 1]
              : undefined;
    if (!to) return;
    e.preventDefault();
    selectTab(to);
    to.focus();
  });
}

// ---- the shape of a chosen matrix -------------------------------------------------------------

/**
 * "N models × M examples" for a chosen CSV, with a confirmation to tick when it has more models
 * than examples (a transposed matrix looks like that; a small benchmark on a big leaderboard too).
 */
function showShape(box: HTMLElement, file: string, shape: CsvShape, prefix: string): void {
  const warn = shape.moreModelsThanExamples
    ? `<p class="warn">More models (rows) than examples (columns)${shape.rowsLookLikeExamples ? ", and the row names look like example ids" : ""}: is the matrix transposed? Each row must be one model, each column one example.</p>
<label class="confirm"><input type="checkbox" name="${prefix}ConfirmShape" /> the rows are models: use it as it is</label>`
    : "";
  show(
    box,
    `<p class="shape-line"><b>${shape.models} models × ${shape.examples} examples</b> <span class="muted">(rows × columns of ${esc(file)})</span></p>${warn}`,
  );
}

/** Refuse to run on a matrix with more models than examples until the user confirms. */
function checkShapeConfirmed(form: HTMLFormElement, prefix: string, shape: CsvShape | undefined): void {
  if (!shape?.moreModelsThanExamples) return;
  const box = form.elements.namedItem(`${prefix}ConfirmShape`) as HTMLInputElement | null;
  if (!box?.checked) {
    throw new Error(
      `the matrix has ${shape.models} models (rows) and only ${shape.examples} examples (columns): tick “the rows are models” if that is right, or transpose the file`,
    );
  }
}

// ---- Study ------------------------------------------------------------------------------------

const studyForm = $<HTMLFormElement>("#study-form");
/** The study's chosen files; `problem`: why they cannot be used, said when the study is run. */
let studyFiles: { csv?: File; meta?: File; shape?: CsvShape; problem?: string } = {};

/** The lm-eval task is read only to write lm-eval samples, which needs the ids' doc order. */
function checkTaskNeedsDocOrder(task: string, docOrder: string): void {
  if (task !== "" && docOrder !== "identity" && docOrder !== "lm-eval-v0.3") {
    throw new Error(
      "“lm-eval task” applies when the example ids are lm-eval doc indices: choose under “example ids are” what they are, or leave the task empty",
    );
  }
}

function intField(form: HTMLFormElement, name: string, label: string, min: number): number {
  const raw = (form.elements.namedItem(name) as HTMLInputElement).value.trim();
  const v = Number(raw);
  if (!(/^\d+$/.test(raw) && v >= min && Number.isSafeInteger(v))) {
    throw new Error(`${label} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return v;
}

const radio = (value: "synthetic" | "csv") =>
  studyForm.querySelector<HTMLInputElement>(`input[name="data"][value="${value}"]`) as HTMLInputElement;

// choosing a file selects "a correctness CSV"; editing the synthetic fields selects those
(studyForm.elements.namedItem("csv") as HTMLInputElement).addEventListener("change", async (e) => {
  const files = [...((e.target as HTMLInputElement).files ?? [])];
  radio("csv").checked = files.length > 0 || radio("csv").checked;
  const csv = files.find((f) => !/\.json$/i.test(f.name));
  const meta = files.find((f) => /\.json$/i.test(f.name));
  studyFiles = {};
  // a second CSV or meta.json would be dropped without a word
  if (files.filter((f) => f !== csv && f !== meta).length > 0) {
    studyFiles.problem = `choose one correctness CSV and at most one meta.json, got ${files.map((f) => f.name).join(", ")}`;
  }
  if (csv) studyFiles.csv = csv;
  if (meta) studyFiles.meta = meta;
  const nameField = studyForm.elements.namedItem("dataName") as HTMLInputElement;
  let title = csv ? csv.name.replace(/\.csv$/i, "") : "";
  if (meta) {
    try {
      const m = JSON.parse(await meta.text()) as { benchmark?: unknown };
      if (typeof m.benchmark === "string" && m.benchmark !== "") title = m.benchmark;
    } catch (err) {
      // the title stays the file's, and the study says the meta.json cannot be read when it runs
      studyFiles.problem ??= `${meta.name} is not valid JSON (${(err as Error).message}): choose the data's meta.json, or leave it out`;
    }
  }
  nameField.value = title === "correctness" && !meta ? "" : title;
  nameField.placeholder = title === "correctness" && !meta ? "e.g. the folder's name (choose meta.json too)" : "";
  const box = $("#study-shape");
  if (csv) {
    studyFiles.shape = csvShape(await csv.text());
    showShape(box, csv.name, studyFiles.shape, "study");
  } else box.hidden = true;
});
for (const name of ["synSeed", "synModels", "synExamples"]) {
  (studyForm.elements.namedItem(name) as HTMLInputElement).addEventListener("input", () => {
    radio("synthetic").checked = true;
  });
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
    const l = parseDecimal(level);
    if (!(l > 0 && l < 1)) throw new Error(`interval level must be a number in (0, 1), got "${level}"`);
    s.level = l;
  }
  if (fd.get("data") === "csv") {
    const file = studyFiles.csv;
    if (!file) throw new Error("choose a correctness CSV file (or the synthetic population)");
    if (studyFiles.problem !== undefined) throw new Error(studyFiles.problem);
    checkShapeConfirmed(f, "study", studyFiles.shape);
    const title = String(fd.get("dataName") ?? "").trim();
    s.data = {
      kind: "csv",
      name: file.name,
      text: await file.text(),
      sha256: await sha256Of(studyWorker, file),
      ...(title ? { title } : {}),
    };
  } else {
    const models = intField(f, "synModels", "synthetic population: models", 4);
    const examples = intField(f, "synExamples", "synthetic population: examples", 20);
    checkSyntheticSize(models, examples);
    s.data = { kind: "synthetic", seed: intField(f, "synSeed", "synthetic population: seed", 0), models, examples };
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
  const cancel = $<HTMLButtonElement>("#study-cancel");
  $("#study-error").hidden = true;
  $("#study-output").hidden = true;
  $("#results-box").hidden = true;
  bar.value = 0;
  label.textContent = "starting…";
  progress.hidden = false;
  cancel.hidden = false;
  $<HTMLButtonElement>("#study-run").disabled = true;
  const times: TrialTime[] = [];
  try {
    const t0 = performance.now();
    const r = await studyWorker.ask<"study-done">({ type: "study", settings }, (p) => {
      times.push(...p.times);
      const elapsed = (performance.now() - t0) / 1000;
      const left = secondsLeft(settings, times);
      // work done: time spent over time spent plus the estimate of what is left (not trials counted)
      bar.value = Number.isFinite(left) ? elapsed / (elapsed + left) : p.done / p.total;
      label.textContent = `${p.done} of ${p.total} trials (last: ${p.label}) · ${duration(elapsed)} elapsed · about ${duration(left)} left`;
    });
    const rep = r.report;
    label.textContent = `${rep.results.length} cells, ${rep.trials} trial(s) each, in ${rep.wallSeconds.toFixed(1)} s`;
    bar.value = 1;
    const d = rep.data;
    const json = { ...rep, provenance: r.provenance };
    const parts = [
      `<h2 class="data-title">${esc(d.name)}</h2>`,
      `<p>${d.models} models × ${d.examples} examples, setting ${esc(d.split)} (${d.sources} sources / ${d.targets} targets), ${rep.trials} trials, seed ${rep.seed}, G-set ${rep.gset}. Mean ± standard error over trials. Hover a point of a plot for its values.</p>`,
      wrapTable(htmlTable(resultRows(rep.results))),
      `<p class="downloads">${downloadLink(`${JSON.stringify(json, null, 2)}\n`, "reproduce.json", "application/json", "results JSON")} ${downloadLink(r.html, "report.html", "text/html", "HTML report", "report-link")}</p>`,
      `<figure>${withHoverTitles(r.plots.curves)}</figure>`,
    ];
    if (r.plots.coverage) parts.push(`<figure>${withHoverTitles(r.plots.coverage)}</figure>`);
    if (r.plots.scatter) parts.push(`<figure>${withHoverTitles(r.plots.scatter)}</figure>`);
    show($("#study-output"), parts.join("\n"));
    $("#results").textContent = JSON.stringify(json, null, 2);
    $("#results-box").hidden = false;
    return rep;
  } catch (err) {
    if (err instanceof CancelledError) {
      label.textContent = `cancelled after ${times.length} trial(s)`;
      bar.value = 0;
      return undefined;
    }
    progress.hidden = true;
    throw err;
  } finally {
    cancel.hidden = true;
    $<HTMLButtonElement>("#study-run").disabled = false;
  }
}

$("#study-cancel").addEventListener("click", () => {
  // ending the worker stops the study at once; a new one serves the next run
  studyWorker.terminate();
  studyWorker = workerClient();
});

function studyError(err: Error): void {
  const box = $("#study-error");
  show(box, esc(err.message));
  box.scrollIntoView({ block: "nearest" });
}

studyForm.addEventListener("submit", (e) => {
  e.preventDefault();
  readStudyForm().then(runStudy).catch(studyError);
});

// ---- Evaluate a model -------------------------------------------------------------------------

const probeForm = $<HTMLFormElement>("#probe-form");
const tailorForm = $<HTMLFormElement>("#tailor-form");
const lookForm = $<HTMLFormElement>("#look-form");
const estimateForm = $<HTMLFormElement>("#estimate-form");
const moreForm = $<HTMLFormElement>("#more-form");
let probeShape: CsvShape | undefined;
/** Where the estimate comes from: the build, the source matrix (sha256) and the settings of step 1. */
let evalProvenance: Record<string, unknown> = {};
/** Whether step 1 asked for a precision (the page then shows its table of rounds). */
let precisionAsked = false;

$("#how-intro").innerHTML = HOW_IT_WORKS.intro;
$("#how-probe").innerHTML = HOW_IT_WORKS.probe;
$("#how-tailor").innerHTML = HOW_IT_WORKS.tailor;
$("#how-look").innerHTML = HOW_IT_WORKS.look;
$("#how-estimate").innerHTML = HOW_IT_WORKS.estimate;
$("#how-more").innerHTML = HOW_IT_WORKS.more;

(probeForm.elements.namedItem("source") as HTMLInputElement).addEventListener("change", async (e) => {
  if (e.isTrusted) {
    example = undefined; // a file the user chose: the example's model does not answer it
    exampleMode(false);
  }
  const file = (e.target as HTMLInputElement).files?.[0];
  probeShape = file ? csvShape(await file.text()) : undefined;
  if (file && probeShape) showShape($("#probe-shape"), file.name, probeShape, "probe");
  else $("#probe-shape").hidden = true;
});

function samplesName(kind: string): string {
  return `tb-${kind}-samples.json`;
}

function readEvaluateSettings(): EvaluateSettings {
  const f = probeForm;
  const fd = new FormData(f);
  const level = parseDecimal(String(fd.get("level")));
  if (!(level > 0 && level < 1)) throw new Error(`level must be a number in (0, 1), got "${String(fd.get("level"))}"`);
  const s: EvaluateSettings = {
    gset: intField(f, "gset", "G-set size", 1),
    seed: intField(f, "seed", "seed", 0),
    method: String(fd.get("method")) as EvaluateSettings["method"],
    metric: String(fd.get("metric")) as EvaluateSettings["metric"],
    standardize: true,
    level,
  };
  // empty: the library's default for the matrix (the G-set's output says which)
  if (String(fd.get("budget") ?? "").trim() !== "") s.budget = intField(f, "budget", "budget N", 2);
  const task = String(fd.get("task") ?? "").trim();
  if (task !== "") s.task = task;
  const docOrder = String(fd.get("docOrder") ?? "");
  checkTaskNeedsDocOrder(task, docOrder);
  if (docOrder === "identity" || docOrder === "lm-eval-v0.3") s.docOrder = docOrder;
  // precision on demand: both optional here; the evaluation says what they need and allow
  const precision = String(fd.get("precision") ?? "").trim();
  if (precision !== "") {
    const p = parseDecimal(precision);
    if (!Number.isFinite(p)) throw new Error(`precision (half-width) must be a number, e.g. 0.03, got "${precision}"`);
    s.precision = p;
  }
  const maxBudget = String(fd.get("maxBudget") ?? "").trim();
  if (maxBudget !== "") {
    if (!/^\d+$/.test(maxBudget)) throw new Error(`at most N examples must be an integer, got "${maxBudget}"`);
    s.maxBudget = Number(maxBudget);
  }
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

function keyChoice(form: HTMLFormElement): KeyChoice {
  const v = String(new FormData(form).get("keys") ?? "auto");
  return v === "columns" || v === "docs" ? v : "auto";
}

async function fileOf(form: HTMLFormElement, name: string, what: string): Promise<{ name: string; text: string }> {
  const file = (form.elements.namedItem(name) as HTMLInputElement).files?.[0];
  if (!file) throw new Error(`choose the ${what} file`);
  return { name: file.name, text: await file.text() };
}

function enable(form: HTMLFormElement, enabled: boolean): void {
  (form.querySelector('button[type="submit"]') as HTMLButtonElement).disabled = !enabled;
  const ex = form.querySelector<HTMLButtonElement>(".example-answer");
  if (ex) ex.disabled = !enabled;
}

/** The steps in order: a step's failure or rerun clears its own output and every later one's. */
const STEPS = [
  { name: "probe", form: probeForm },
  { name: "tailor", form: tailorForm },
  { name: "look", form: lookForm },
  { name: "estimate", form: estimateForm },
  { name: "more", form: moreForm },
] as const;
type StepName = (typeof STEPS)[number]["name"];
/** The steps that take the target's answers to what the evaluation asked. */
type AnswerStep = Exclude<StepName, "probe">;
const ANSWER_FORMS = STEPS.filter((s) => s.name !== "probe").map((s) => [s.name, s.form]) as [
  AnswerStep,
  HTMLFormElement,
][];

// ---- the one-click example: a held-out synthetic model answers each step --------------------

let example: EvaluateExample | undefined;
/** The example ids each step asks for (from the previous step's reply). */
const asked: Record<AnswerStep, string[]> = { tailor: [], look: [], estimate: [], more: [] };
/** The round of the evaluation each step answers (1 = the G-set; from the previous step's reply). */
const roundOf: Record<AnswerStep, number> = { tailor: 1, look: 0, estimate: 0, more: 0 };

/** Put a file made here into a file input, as if chosen (Chromium, Firefox and Safari allow it). */
function setFile(input: HTMLInputElement, name: string, text: string): void {
  const dt = new DataTransfer();
  dt.items.add(new File([text], name, { type: "text/csv" }));
  input.files = dt.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

function exampleMode(on: boolean): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>(".example-answer")) b.hidden = !on;
  if (!on) $("#example-note").hidden = true;
}

$("#example-load").addEventListener("click", () => {
  runStep("probe", async () => {
    const r = await evalWorker.ask<"example-done">({ type: "example" });
    if ($<HTMLFieldSetElement>("#probe-settings").disabled) $("#probe-reset").click();
    example = r.example;
    setFile(probeForm.elements.namedItem("source") as HTMLInputElement, example.fileName, example.sourcesCsv);
    exampleMode(true);
    show(
      $("#example-note"),
      `Example loaded: a synthetic benchmark, ${example.sources} source models × ${example.examples} examples (step 1's file), and a held-out model, ${esc(example.model.id)}, that plays your model. Click “Compute the G-set”, then “answer with the example model” in each step; the estimate is shown next to its true score.`,
    );
  });
});

for (const [name, form] of ANSWER_FORMS) {
  (form.querySelector(".example-answer") as HTMLButtonElement).addEventListener("click", () => {
    if (!example) return;
    setFile(
      form.elements.namedItem("answers") as HTMLInputElement,
      `example-${name}-answers.csv`,
      exampleAnswersCsv(example.model, asked[name]),
    );
    form.requestSubmit();
  });
}

/** Hide the outputs (and errors) of `from` and every later step, and disable the later steps. */
function clearFrom(from: StepName): void {
  const k = STEPS.findIndex((s) => s.name === from);
  STEPS.forEach((s, i) => {
    if (i < k) return;
    $(`#${s.name}-output`).hidden = true;
    $(`#${s.name}-error`).hidden = true;
    if (i > k) enable(s.form, false);
  });
  if (k <= 1) $("#look-step").hidden = true;
  if (k <= 3) $("#more-step").hidden = true;
  $("#estimate-result").hidden = true;
}

/** Run a step; its error shows next to it, scrolled into view, and what it had made is cleared. */
function runStep(name: StepName, work: () => Promise<void>): void {
  clearFrom(name);
  work().catch((err: Error) => {
    clearFrom(name);
    const box = $(`#${name}-error`);
    show(box, esc(err.message));
    box.scrollIntoView({ block: "center" });
  });
}

/** Lock step 1's settings once they have made a G-set (the next steps use them), or unlock. */
function lockSettings(locked: boolean): void {
  $<HTMLFieldSetElement>("#probe-settings").disabled = locked;
  $("#probe-locked").hidden = !locked;
  $("#probe-reset").hidden = !locked;
  $<HTMLButtonElement>("#probe-run").hidden = locked;
}

$("#probe-reset").addEventListener("click", () => {
  lockSettings(false);
  clearFrom("probe");
  enable(tailorForm, false);
  (probeForm.elements.namedItem("gset") as HTMLInputElement).focus();
});

/** The example ids and their answers template, for ids that are not lm-eval doc ids. */
function customIdDownloads(kind: string, what: string, ids: readonly string[]): string {
  const template = `example,correct\n${ids.map((id) => `${/[",\n]/.test(id) ? `"${id.replace(/"/g, '""')}"` : id},`).join("\n")}\n`;
  return `<p class="downloads">${downloadLink(`${ids.join("\n")}\n`, `tb-${kind}-ids.txt`, "text/plain", `download the ${ids.length} ${what} example ids (.txt)`, `${kind}-ids-link`)} ${downloadLink(template, `tb-${kind}-answers.csv`, "text/csv", "answers template (.csv: fill in correct with 0 or 1)", `${kind}-template-link`)}</p>`;
}

/**
 * What to run next: the lm-eval `--samples` JSON (shown, downloadable, with the command), or —
 * for ids that are not lm-eval doc ids — the ids and an answers template. The reason there is no
 * lm-eval JSON is told once, in step 1 (`first`). `kind` names the elements and files (`gset`,
 * `look`, `nset`, `round4`, `compare`, …), `what` the examples in words.
 */
function samplesBlock(
  kind: string,
  what: string,
  r: { samples: Record<string, number[]> | null; samplesNote?: string },
  ids: readonly string[],
  first = kind === "gset",
): string {
  if (r.samples === null) {
    const why = first
      ? `<p class="hint" id="${kind}-samples-note">No lm-eval samples JSON: ${esc(r.samplesNote ?? "")}. Run ${kind === "gset" ? "your model" : "both models"} on these examples by their ids and give ${kind === "gset" ? "its" : "their"} answers as CSV <code>example,correct</code> (the template below) or JSON.</p>`
      : `<p class="hint" id="${kind}-samples-note">Ids as in step 1 (no lm-eval samples JSON): run these by their ids.</p>`;
    return `${why}${customIdDownloads(kind, what, ids)}`;
  }
  const json = JSON.stringify(r.samples);
  return `<pre id="${kind}-samples">${esc(json)}</pre>
<p>${downloadLink(`${json}\n`, samplesName(kind), "application/json", `download the ${what} samples JSON (lm-eval --samples)`)}</p>
<p class="hint"><code>lm_eval --model hf --model_args pretrained=&lt;your-model&gt; --tasks ${esc(Object.keys(r.samples).join(","))} --samples ${samplesName(kind)} --log_samples --output_path out</code></p>
<p class="hint">Answers may come back as lm-eval samples, or as CSV/JSON keyed by these doc ids or by the matrix's example ids (below): the page detects which.</p>`;
}

function idList(ids: readonly string[]): string {
  return `<details><summary>${ids.length} example ids (the matrix's)</summary><p class="ids">${ids.map(esc).join(", ")}</p></details>`;
}

probeForm.addEventListener("submit", (e) => {
  e.preventDefault();
  runStep("probe", async () => {
    const settings = readEvaluateSettings();
    const source = await fileOf(probeForm, "source", "source CSV");
    checkShapeConfirmed(probeForm, "probe", probeShape);
    const r = await evalWorker.ask<"probe-done">({ type: "probe", source, settings });
    const f = (probeForm.elements.namedItem("source") as HTMLInputElement).files?.[0];
    evalProvenance = {
      tool: "TailoredBench web app (Evaluate a model)",
      ...buildInfo(),
      data: {
        name: r.source.name,
        file: source.name,
        sha256: await sha256Of(evalWorker, f ?? new Blob([source.text])),
      },
      options: { ...settings, budget: r.budget },
    };
    lockSettings(true);
    precisionAsked = settings.precision !== undefined;
    asked.tailor = r.gsetIds;
    show(
      $("#probe-output"),
      `<p>${esc(r.source.name)}: <b>${r.source.models} source models × ${r.source.examples} examples</b>; <span id="probe-budget">budget N: <b>${r.budget}</b> examples in all${settings.budget === undefined ? " (the default for this matrix)" : ""}</span>. Run your model on these ${r.gsetIds.length} examples (the G-set):</p>
${samplesBlock("gset", "G-set", r, r.gsetIds)}${idList(r.gsetIds)}`,
    );
    enable(tailorForm, true);
  });
});

function halfWidthText(h: number | undefined): string {
  return h === undefined ? "—" : h.toFixed(3);
}

/** The running table of rounds: round, why, examples asked so far, interval, half-width. */
function roundsTable(rounds: readonly RoundRow[], level: number): string {
  const head = `<tr><th scope="col">round</th><th scope="col">asked for</th><th scope="col">examples asked so far</th><th scope="col">${Math.round(level * 100)} % interval</th><th scope="col">half-width</th></tr>`;
  const rows = rounds.map(
    (r) =>
      `<tr data-round="${r.round}"><td>${r.round}</td><td>${esc(r.label)}</td><td>${r.asked}</td><td>${r.interval ? `${pct(r.interval[0])} – ${pct(r.interval[1])}` : "—"}</td><td>${halfWidthText(r.halfWidth)}</td></tr>`,
  );
  return wrapTable(`<table class="rounds"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`);
}

const ROUNDS_NOTE =
  '<p class="hint">Half-width: at the look after the round, where the evaluation took one; the interval is the estimate\'s, once the evaluation asks for nothing more.</p>';

/** The step that takes the answers of each phase of an evaluation (`phase`: the library's `reasonPhase`). */
const STEP_OF_PHASE: Record<(Reply & { type: "asks" })["phase"], AnswerStep> = {
  probe: "tailor",
  look: "look",
  design: "estimate",
  precision: "more",
};

/** Which step takes the answers to what the evaluation asks next. */
function nextStep(r: Reply & { type: "asks" }): AnswerStep {
  return STEP_OF_PHASE[r.phase];
}

const WHAT: Record<AnswerStep, string> = { tailor: "G-set", look: "second look's", estimate: "N-set", more: "" };

/** What the evaluation asks for next, shown in the output of the step whose answers led to it. */
function showAsk(from: AnswerStep, to: AnswerStep, r: Reply & { type: "asks" }): void {
  const kind = to === "look" ? "look" : to === "estimate" ? "nset" : `round${r.round}`;
  const what = to === "more" ? `round ${r.round}` : WHAT[to];
  const where =
    to === "look" ? ", then upload its answers in step 2b" : to === "more" ? ", then upload its answers in step 4" : "";
  const design = from === "tailor" || from === "look";
  const lead = design
    ? `<p class="plan-mode" id="${from}-mode" data-mode="${esc(r.mode)}"><b>${esc(r.wording)}</b>. Run your model on these ${r.toEvaluateIds.length} more examples${where}:</p>`
    : `<p class="plan-mode" id="${from}-ask" data-round="${r.round}"><b>The evaluation asks for more (round ${r.round})</b>. Run your model on these ${r.toEvaluateIds.length} more examples${where}:</p>`;
  show(
    $(`#${from}-output`),
    `<p class="answers-note">${esc(r.answersNote)}</p>
${lead}
<p class="why" id="why-round${r.round}">Why: ${esc(r.why)}.</p>
${r.outOfRangeNote && design ? `<p class="warn">${esc(r.outOfRangeNote.charAt(0).toUpperCase() + r.outOfRangeNote.slice(1))}.</p>` : ""}
${precisionAsked && !design ? roundsTable(r.rounds, evalLevel()) + ROUNDS_NOTE : ""}
${samplesBlock(kind, what, r, r.toEvaluateIds)}${idList(r.toEvaluateIds)}`,
  );
  asked[to] = r.toEvaluateIds;
  roundOf[to] = r.round;
  if (to === "look") $("#look-step").hidden = false;
  if (to === "more") {
    $("#more-step").hidden = false;
    $("#more-round").textContent = `round ${r.round}`;
    // a round answered in step 4 asks for the next one there: its form is cleared for it
    (moreForm.elements.namedItem("answers") as HTMLInputElement).value = "";
  }
  enable(STEPS.find((s) => s.name === to)?.form as HTMLFormElement, true);
}

/** The interval level step 1 was run with. */
function evalLevel(): number {
  return Number((evalProvenance.options as { level?: number } | undefined)?.level ?? 0.9);
}

/** The evaluation asks for nothing more: say so in the step that answered last, and show the estimate. */
function showDone(from: AnswerStep, r: Reply & { type: "estimate-done" }): void {
  show(
    $(`#${from}-output`),
    `<p class="answers-note">${esc(r.answersNote)}</p>
<p class="plan-mode" id="${from}-done"><b>The evaluation asks for nothing more</b>: the estimate is below.</p>
${precisionAsked && from !== "tailor" && from !== "look" ? roundsTable(r.rounds, r.result.level) + ROUNDS_NOTE : ""}`,
  );
  if (from === "more") $("#more-round").textContent = `(done after round ${r.rounds.length})`;
  const json = JSON.stringify(
    { ...r.result, provenance: { ...evalProvenance, date: new Date().toISOString() } },
    null,
    2,
  );
  show(
    $("#result-output"),
    `${wrapTable(estimateHtml(r.result))}
${example ? `<p class="note" id="example-truth">The example model's true score, on all ${example.examples} examples: <b>${pct(example.model.truth)}</b> (estimated from ${r.result.evaluated}: ${pct(r.result.accuracy)}).</p>` : ""}
<p class="downloads">${downloadLink(`${json}\n`, "estimate.json", "application/json", "estimate JSON")}</p>
<details><summary>estimate JSON</summary><pre id="estimate-json">${esc(json)}</pre></details>`,
  );
  $("#estimate-result").hidden = false;
}

for (const [name, form] of ANSWER_FORMS) {
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    runStep(name, async () => {
      const answers = await fileOf(form, "answers", name === "tailor" ? "G-set answers" : "answers");
      const r = await evalWorker.ask<"asks" | "estimate-done">({
        type: "answer",
        round: roundOf[name],
        answers,
        lmEval: lmEvalChoice(form),
        keys: keyChoice(form),
      });
      if (r.type === "estimate-done") showDone(name, r);
      else showAsk(name, nextStep(r), r);
    });
  });
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

function estimateHtml(r: EstimateResult): string {
  const rows = [
    ["estimated accuracy", pct(r.accuracy)],
    [
      `${Math.round(r.level * 100)} % interval`,
      r.interval
        ? `${pct(r.interval[0])} – ${pct(r.interval[1])} (half-width ${((r.interval[1] - r.interval[0]) / 2).toFixed(3)})`
        : "none (the plan shows no spread)",
    ],
    [
      "rank among the sources",
      `${r.rank.position} of ${r.rank.of}${r.rank.interval ? ` (interval ${r.rank.interval[0]}–${r.rank.interval[1]})` : ""}`,
    ],
    ["examples evaluated", `${r.evaluated}`],
    ["rounds", `${r.rounds}`],
    ...(r.reachedPrecision !== undefined
      ? [
          [
            "precision reached",
            r.reachedPrecision
              ? `yes — the half-width is at most the precision asked for`
              : `no — it stopped at the most examples allowed (“at most N examples”)`,
          ],
        ]
      : []),
    ["method", `${r.method}${r.modeNote === null ? "" : ` (${r.modeNote})`}`],
    ["out of range", r.rangeNote === null ? "no" : `yes — ${r.rangeNote}`],
  ];
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th scope="row">${esc(k as string)}</th><td>${esc(v as string)}</td></tr>`).join("")}</table>`;
}

// ---- Compare two models -----------------------------------------------------------------------

const cmpDesignForm = $<HTMLFormElement>("#cmp-design-form");
const cmpAnswerForm = $<HTMLFormElement>("#cmp-answer-form");
let cmpShape: CsvShape | undefined;
/** The Compare view's example (two held-out models), once loaded and while its file is step 1's. */
let cmpExample: CompareExample | undefined;
/**
 * What step 1 made, with the settings that made it; unset before step 1, after an error, and as
 * soon as a setting changes (the later steps are hidden then: never a result of stale settings).
 */
let cmpDesigned:
  | { ids: string[]; settings: CompareSettings; examples: number; provenance: Record<string, unknown> }
  | undefined;

$("#how-cmp-intro").innerHTML = COMPARE_HOW.intro;
$("#how-cmp-design").innerHTML = COMPARE_HOW.design;
$("#how-cmp-run").innerHTML = COMPARE_HOW.run;
$("#how-cmp-answers").innerHTML = COMPARE_HOW.answers;

function readCompareSettings(): CompareSettings {
  const f = cmpDesignForm;
  const fd = new FormData(f);
  const rawLevel = String(fd.get("level") ?? "").trim();
  const level = parseDecimal(rawLevel);
  if (!(rawLevel !== "" && level > 0 && level < 1))
    throw new Error(`level must be a number in (0, 1), got "${rawLevel}"`);
  const s: CompareSettings = {
    // the comparison checks the names (two distinct, non-empty) and the budget's range
    names: [String(fd.get("nameA") ?? "").trim(), String(fd.get("nameB") ?? "").trim()],
    seed: intField(f, "seed", "seed", 0),
    level,
    design: String(fd.get("design")) === "random" ? "random" : "stratified",
  };
  // empty: the library's default for the matrix (step 1's output says which)
  if (String(fd.get("budget") ?? "").trim() !== "") s.budget = intField(f, "budget", "budget N", 1);
  const task = String(fd.get("task") ?? "").trim();
  if (task !== "") s.task = task;
  const docOrder = String(fd.get("docOrder") ?? "");
  checkTaskNeedsDocOrder(task, docOrder);
  if (docOrder === "identity" || docOrder === "lm-eval-v0.3") s.docOrder = docOrder;
  return s;
}

type CmpStep = "design" | "answer";

/** Hide what `from` and the later steps show; from step 1, forget its design and lock step 3. */
function cmpClear(from: CmpStep): void {
  if (from === "design") {
    cmpDesigned = undefined;
    $("#cmp-design-error").hidden = true;
    $("#cmp-design-output").hidden = true;
    $("#cmp-stale").hidden = true;
    $("#cmp-run-output").hidden = true;
    $("#cmp-run-wait").hidden = false;
    $<HTMLButtonElement>("#cmp-answer-run").disabled = true;
    $<HTMLButtonElement>("#cmp-example-answer").disabled = true;
  }
  $("#cmp-answer-error").hidden = true;
  $("#cmp-answer-output").hidden = true;
  $("#cmp-result").hidden = true;
}

/** Run a Compare step; its error shows next to it, in view, and what it had made is cleared. */
function cmpRun(name: CmpStep, work: () => Promise<void>): void {
  cmpClear(name);
  work().catch((err: Error) => {
    cmpClear(name);
    const box = $(`#cmp-${name}-error`);
    show(box, esc(err.message));
    box.scrollIntoView({ block: "center" });
  });
}

/** A setting changed after step 1: its examples, the answers and the result no longer hold. */
function cmpInvalidate(): void {
  if (cmpDesigned === undefined) return;
  cmpClear("design");
  show(
    $("#cmp-stale"),
    "A setting changed since the shared examples were computed: steps 2 and 3 and the result are hidden. Compute the shared examples again to use the new settings.",
  );
}
for (const type of ["input", "change"]) $("#cmp-settings").addEventListener(type, cmpInvalidate);

(cmpDesignForm.elements.namedItem("source") as HTMLInputElement).addEventListener("change", async (e) => {
  if (e.isTrusted) {
    cmpExample = undefined; // a file the user chose: the example's models do not answer it
    $("#cmp-example-answer").hidden = true;
    $("#cmp-example-note").hidden = true;
  }
  const file = (e.target as HTMLInputElement).files?.[0];
  cmpShape = file ? csvShape(await file.text()) : undefined;
  if (file && cmpShape) showShape($("#cmp-shape"), file.name, cmpShape, "cmp");
  else $("#cmp-shape").hidden = true;
});

function setField(form: HTMLFormElement, name: string, value: string): void {
  (form.elements.namedItem(name) as HTMLInputElement).value = value;
}

$("#cmp-example-load").addEventListener("click", () => {
  cmpRun("design", async () => {
    const r = await evalWorker.ask<"compare-example-done">({ type: "compare-example" });
    const ex = r.example;
    cmpExample = ex;
    setField(cmpDesignForm, "nameA", ex.models[0].id);
    setField(cmpDesignForm, "nameB", ex.models[1].id);
    setFile(cmpDesignForm.elements.namedItem("source") as HTMLInputElement, ex.fileName, ex.sourcesCsv);
    $("#cmp-example-answer").hidden = false;
    show(
      $("#cmp-example-note"),
      `Example loaded: a synthetic benchmark, ${ex.sources} source models × ${ex.examples} examples (step 1's file), and two held-out models, ${esc(ex.models[0].id)} (A) and ${esc(ex.models[1].id)} (B). Click “Compute the shared examples”, then “answer with the example models” in step 3; the difference is shown next to the true one.`,
    );
  });
});

cmpDesignForm.addEventListener("submit", (e) => {
  e.preventDefault();
  cmpRun("design", async () => {
    const settings = readCompareSettings();
    const source = await fileOf(cmpDesignForm, "source", "source CSV");
    checkShapeConfirmed(cmpDesignForm, "cmp", cmpShape);
    const r = await evalWorker.ask<"compare-designed">({ type: "compare-design", source, settings });
    const f = (cmpDesignForm.elements.namedItem("source") as HTMLInputElement).files?.[0];
    const provenance = {
      tool: "TailoredBench web app (Compare two models)",
      ...buildInfo(),
      data: {
        name: r.source.name,
        file: source.name,
        sha256: await sha256Of(evalWorker, f ?? new Blob([source.text])),
      },
      options: { ...settings, budget: r.budget },
    };
    cmpDesigned = { ids: r.ids, settings, examples: r.source.examples, provenance };
    const [a, b] = settings.names;
    show(
      $("#cmp-design-output"),
      `<p>${esc(r.source.name)}: <b>${r.source.models} source models × ${r.source.examples} examples</b>. ${esc(a)} and ${esc(b)} are both run on the same <b>${r.ids.length} examples</b> (step 2)<span id="cmp-budget">: budget N ${r.budget}${settings.budget === undefined ? ", the default for this matrix" : ""}</span>.</p>`,
    );
    $("#cmp-run-wait").hidden = true;
    show(
      $("#cmp-run-output"),
      `<p class="why" id="cmp-why">Why these: ${esc(r.why)}.</p>
<p>Run <b>${esc(a)}</b> and <b>${esc(b)}</b> on these ${r.ids.length} examples (the same for both), then upload each one's answers in step 3:</p>
${samplesBlock("compare", "shared", r, r.ids, true)}${idList(r.ids)}`,
    );
    for (const span of document.querySelectorAll<HTMLElement>("#cmp-answer-form .cmp-name")) {
      span.textContent = ` (${span.dataset.side === "a" ? a : b})`;
    }
    $<HTMLButtonElement>("#cmp-answer-run").disabled = false;
    $<HTMLButtonElement>("#cmp-example-answer").disabled = false;
  });
});

$("#cmp-example-answer").addEventListener("click", () => {
  if (!cmpExample || !cmpDesigned) return;
  const ids = cmpDesigned.ids;
  setFile(
    cmpAnswerForm.elements.namedItem("answersA") as HTMLInputElement,
    "example-A-answers.csv",
    exampleAnswersCsv(cmpExample.models[0], ids),
  );
  setFile(
    cmpAnswerForm.elements.namedItem("answersB") as HTMLInputElement,
    "example-B-answers.csv",
    exampleAnswersCsv(cmpExample.models[1], ids),
  );
  cmpAnswerForm.requestSubmit();
});

/** A difference in percentage points with its sign: "+2.5", "−0.8". */
function pp(x: number): string {
  return `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)}`;
}

function comparedHtml(r: Reply & { type: "compared" }, settings: CompareSettings, examples: number): string {
  const c = r.result;
  const [a, b] = [c.a.name, c.b.name];
  const lvl = `${Math.round(c.level * 100)} %`;
  const side = (s: typeof c.a) =>
    `estimated accuracy ${pct(s.accuracy)} (rank ${s.rank.position} of ${s.rank.of} among the sources)`;
  const rows: [string, string][] = [
    [`difference ${a} − ${b}`, `${pp(c.difference)} pp`],
    [`${lvl} interval`, `${pp(c.interval[0])} to ${pp(c.interval[1])} pp`],
    ["standard error", `${(100 * c.se).toFixed(1)} pp`],
    [`P(${a} better)`, `${(100 * c.probabilityABetter).toFixed(1)} %`],
    [`A: ${a}`, side(c.a)],
    [`B: ${b}`, side(c.b)],
    ["shared examples", `${c.asked.length} of ${examples}, the same for both`],
    ["disagreements", `${c.disagreements} of the ${c.asked.length} (examples the two answered differently)`],
    ["design", `${c.design}, seed ${settings.seed}`],
    ["estimate", c.estimatorNote],
  ];
  let truth = "";
  if (cmpExample) {
    const [ta, tb] = [cmpExample.models[0].truth, cmpExample.models[1].truth];
    const d = ta - tb;
    const inside = c.interval[0] <= d && d <= c.interval[1];
    truth = `<p class="note" id="cmp-example-truth">The example models' true scores, on all ${cmpExample.examples} examples: ${esc(a)} <b>${pct(ta)}</b>, ${esc(b)} <b>${pct(tb)}</b> — a true difference of <b>${pp(d)} pp</b>, ${inside ? "inside" : "outside"} the ${lvl} interval.</p>`;
  }
  const json = JSON.stringify(
    { ...c, provenance: { ...cmpDesigned?.provenance, date: new Date().toISOString() } },
    null,
    2,
  );
  return `<p class="headline" id="cmp-headline"><b>${esc(a)} − ${esc(b)}: ${pp(c.difference)} pp</b> (${lvl} interval ${pp(c.interval[0])} to ${pp(c.interval[1])} pp), <b>P(${esc(a)} better) ${(100 * c.probabilityABetter).toFixed(1)} %</b></p>
${wrapTable(`<table class="kv" id="cmp-table">${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>`)}
${truth}
<p class="downloads">${downloadLink(`${JSON.stringify(r.saved, null, 2)}\n`, "comparison.json", "application/json", "saved comparison (JSON: restoreComparison resumes it)", "cmp-saved-link")} ${downloadLink(`${json}\n`, "comparison-result.json", "application/json", "result JSON (with provenance)", "cmp-result-link")}</p>
<details><summary>result JSON</summary><pre id="cmp-json">${esc(json)}</pre></details>`;
}

cmpAnswerForm.addEventListener("submit", (e) => {
  e.preventDefault();
  cmpRun("answer", async () => {
    const designed = cmpDesigned;
    if (!designed) throw new Error("compute the shared examples in step 1 first");
    const settings = readCompareSettings();
    const a = await fileOf(cmpAnswerForm, "answersA", "answers of A");
    const b = await fileOf(cmpAnswerForm, "answersB", "answers of B");
    const r = await evalWorker.ask<"compared">({
      type: "compare-answer",
      answers: [a, b],
      lmEval: lmEvalChoice(cmpAnswerForm),
      keys: keyChoice(cmpAnswerForm),
      settings,
    });
    // a setting changed while the worker computed: the result would be of the old ones
    if (cmpDesigned !== designed) return;
    const [na, nb] = settings.names;
    show(
      $("#cmp-answer-output"),
      `<p class="answers-note" id="cmp-note-a">A (${esc(na)}): ${esc(r.answersNotes[0])}</p>
<p class="answers-note" id="cmp-note-b">B (${esc(nb)}): ${esc(r.answersNotes[1])}</p>`,
    );
    show($("#cmp-result-output"), comparedHtml(r, settings, designed.examples));
    $("#cmp-result").hidden = false;
  });
});

// ---- start ------------------------------------------------------------------------------------

async function start(): Promise<void> {
  const { methods } = await studyWorker.ask<"methods-done">({ type: "methods" });
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
