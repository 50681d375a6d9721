/// <reference lib="webworker" />
/**
 * The Web Worker that does all the computation of the page: reproduce studies (with their plots
 * and HTML report) and the rounds of evaluating a model. The page only sends files and
 * settings and draws what comes back, so it stays responsive.
 */
import { type CorrectnessMatrix, sha256Hex, TbError } from "@tb/core";
import { methodNames } from "@tb/experiment/browser";
import { htmlReport, reportPlots } from "@tb/plot";
import { type KeyChoice, type ReadAnswers, readAnswers } from "./answers.js";
import { answerCompareStep, type Designed, designStep } from "./compare.js";
import {
  answerStep,
  type EvaluateSettings,
  loadSourceCsv,
  type PlanResult,
  type ProbeResult,
  probeStep,
} from "./evaluate.js";
import { compareExample, evaluateExample } from "./example.js";
import type { LmEvalChoice, Reply, Request } from "./protocol.js";
import { studyProvenance } from "./provenance.js";
import { runStudy, studyMatrix } from "./study.js";

declare const self: DedicatedWorkerGlobalScope;

/** The evaluation in progress (one per page): what it asked in each round so far (the G-set first). */
interface Session {
  sources: CorrectnessMatrix;
  settings: EvaluateSettings;
  asks: (ProbeResult | PlanResult)[];
}
let session: Session | undefined;

/** The comparison in progress (one per page): its sources and step 1's design. */
let comparing: { sources: CorrectnessMatrix; designed: Designed } | undefined;

const post = (r: Reply) => self.postMessage(r);

function lmEvalOptions(c: LmEvalChoice): { metric?: string; filter?: string; task?: string } {
  const o: { metric?: string; filter?: string; task?: string } = {};
  if (c.metric) o.metric = c.metric;
  if (c.filter) o.filter = c.filter;
  if (session?.settings.task) o.task = session.settings.task;
  return o;
}

/** Read an answers file for the examples `needed`, by the ids it is keyed by (answers.ts). */
function answersOf(
  s: Session,
  req: { answers: { name: string; text: string }; lmEval: LmEvalChoice; keys: KeyChoice },
  needed: readonly number[],
): ReadAnswers {
  return readAnswers(s.sources, req.answers.text, req.answers.name, needed, {
    lmEval: lmEvalOptions(req.lmEval),
    docOrder: s.settings.docOrder,
    keys: req.keys,
  });
}

/** Run a step; a refusal of the answers says how the file was read. */
function withNote<T>(read: ReadAnswers, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof TbError && err.code === "E_INPUT") {
      throw new TbError(err.code, `${err.message}. Read as: ${read.note}`);
    }
    throw err;
  }
}

async function handle(req: Request): Promise<void> {
  switch (req.type) {
    case "methods":
      post({ type: "methods-done", id: req.id, methods: methodNames() });
      return;
    case "example":
      post({ type: "example-done", id: req.id, example: evaluateExample() });
      return;
    case "sha256":
      post({ type: "sha256-done", id: req.id, sha256: sha256Hex(new Uint8Array(await req.file.arrayBuffer())) });
      return;
    case "study": {
      let last = 0;
      let times: { method: string; budget: number; seconds: number }[] = [];
      const { report, trials } = await runStudy(req.settings, (done, total, rec) => {
        times.push({ method: rec.method, budget: rec.budget, seconds: rec.seconds });
        const now = performance.now();
        if (done !== total && now - last < 100) return;
        last = now;
        post({ type: "progress", id: req.id, done, total, label: `${rec.method} N=${rec.budget}`, times });
        times = [];
      });
      const d = req.settings.data;
      const provenance = studyProvenance(
        req.settings,
        d.kind === "csv"
          ? { name: report.data.name, file: d.name, ...(d.sha256 ? { sha256: d.sha256 } : {}) }
          : { name: studyMatrix(d).name, file: "generated on the page (syntheticPopulation)" },
      );
      const plots = await reportPlots(report, trials);
      const html = await htmlReport(report, { trials, command: "TailoredBench web app (Study)", provenance });
      post({ type: "study-done", id: req.id, report, trials, plots, html, provenance });
      return;
    }
    case "probe": {
      const sources = loadSourceCsv(req.source.text, req.source.name);
      const probed = probeStep(sources, req.settings);
      session = { sources, settings: req.settings, asks: [probed] };
      post({
        type: "probe-done",
        id: req.id,
        source: { name: sources.name, models: sources.rows, examples: sources.cols },
        budget: probed.budget,
        gsetIds: probed.gsetIds,
        samples: probed.samples,
        ...(probed.samplesNote !== undefined ? { samplesNote: probed.samplesNote } : {}),
      });
      return;
    }
    case "compare-example":
      post({ type: "compare-example-done", id: req.id, example: compareExample() });
      return;
    case "compare-design": {
      comparing = undefined;
      const sources = loadSourceCsv(req.source.text, req.source.name);
      const designed = designStep(sources, req.settings);
      comparing = { sources, designed };
      post({
        type: "compare-designed",
        id: req.id,
        source: { name: sources.name, models: sources.rows, examples: sources.cols },
        budget: designed.budget,
        ids: designed.ids,
        why: designed.why,
        samples: designed.samples,
        ...(designed.samplesNote !== undefined ? { samplesNote: designed.samplesNote } : {}),
      });
      return;
    }
    case "compare-answer": {
      if (!comparing) throw new TbError("E_USAGE", "upload the source matrix and compute the shared examples first");
      const { sources, designed } = comparing;
      const needed = Array.from(designed.examples);
      const lmEval: { metric?: string; filter?: string; task?: string } = {};
      if (req.lmEval.metric) lmEval.metric = req.lmEval.metric;
      if (req.lmEval.filter) lmEval.filter = req.lmEval.filter;
      if (designed.settings.task) lmEval.task = designed.settings.task;
      const reads = req.answers.map((a) =>
        readAnswers(sources, a.text, a.name, needed, { lmEval, docOrder: designed.settings.docOrder, keys: req.keys }),
      ) as [ReadAnswers, ReadAnswers];
      let r: ReturnType<typeof answerCompareStep>;
      try {
        r = answerCompareStep(sources, designed, [reads[0].answers, reads[1].answers], req.settings);
      } catch (err) {
        if (err instanceof TbError && err.code === "E_INPUT") {
          throw new TbError(err.code, `${err.message}. Read as: ${reads[0].note}; ${reads[1].note}`);
        }
        throw err;
      }
      post({
        type: "compared",
        id: req.id,
        result: r.result,
        saved: r.saved,
        answersNotes: [reads[0].note, reads[1].note],
      });
      return;
    }
    case "answer": {
      if (!session) throw new TbError("E_USAGE", "upload the source matrix and compute the G-set first");
      const ses = session;
      const asked = ses.asks[req.round - 1];
      if (asked === undefined) {
        throw new TbError("E_USAGE", `round ${req.round} was not asked: upload the answers of the earlier steps first`);
      }
      const read = answersOf(ses, req, Array.from(asked.examples));
      const next = withNote(read, () => answerStep(ses.sources, asked, read.answers, ses.settings));
      // what was asked after this round no longer holds
      ses.asks.length = req.round;
      if (next.done) {
        post({ type: "estimate-done", id: req.id, result: next.estimate, rounds: next.rounds, answersNote: read.note });
        return;
      }
      ses.asks.push(next);
      post({
        type: "asks",
        id: req.id,
        round: next.round,
        reason: next.reason,
        phase: next.phase,
        why: next.why,
        mode: next.mode ?? "tailored",
        outOfRange: next.outOfRange,
        nativeSources: next.natives.length,
        toEvaluateIds: next.toEvaluateIds,
        samples: next.samples,
        ...(next.samplesNote !== undefined ? { samplesNote: next.samplesNote } : {}),
        fallback: next.fallback,
        wording: next.wording,
        outOfRangeNote: next.outOfRangeNote,
        rounds: next.rounds,
        answersNote: read.note,
      });
      return;
    }
  }
}

self.onmessage = (e: MessageEvent<Request>) => {
  const req = e.data;
  handle(req).catch((err: unknown) => {
    const code = err instanceof TbError ? err.code : "E_INTERNAL";
    const message = err instanceof Error ? err.message : String(err);
    post({ type: "error", id: req.id, code, message });
  });
};
