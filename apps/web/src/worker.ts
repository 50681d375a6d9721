/// <reference lib="webworker" />
/**
 * The Web Worker that does all the computation of the page: reproduce studies (with their plots
 * and HTML report) and the three phases of evaluating a model. The page only sends files and
 * settings and draws what comes back, so it stays responsive.
 */
import { type CorrectnessMatrix, TbError } from "@tb/core";
import { methodNames } from "@tb/experiment/browser";
import { htmlReport, reportPlots } from "@tb/plot";
import {
  type EvaluateSettings,
  estimateStep,
  loadSourceCsv,
  lookStep,
  type PlanResult,
  type ProbeResult,
  parseAnswers,
  probeStep,
  tailorStep,
} from "./evaluate.js";
import type { LmEvalChoice, Reply, Request } from "./protocol.js";
import { runStudy } from "./study.js";

declare const self: DedicatedWorkerGlobalScope;

/** The evaluation in progress (one per page): each phase needs the previous one's output. */
interface Session {
  sources: CorrectnessMatrix;
  settings: EvaluateSettings;
  probed: ProbeResult;
  plan?: PlanResult;
}
let session: Session | undefined;

const post = (r: Reply) => self.postMessage(r);

function lmEvalOptions(c: LmEvalChoice): { metric?: string; filter?: string; task?: string } {
  const o: { metric?: string; filter?: string; task?: string } = {};
  if (c.metric) o.metric = c.metric;
  if (c.filter) o.filter = c.filter;
  if (session?.settings.task) o.task = session.settings.task;
  return o;
}

async function handle(req: Request): Promise<void> {
  switch (req.type) {
    case "methods":
      post({ type: "methods-done", id: req.id, methods: methodNames() });
      return;
    case "study": {
      let last = 0;
      const { report, trials } = await runStudy(req.settings, (done, total, rec) => {
        const now = performance.now();
        if (done !== total && now - last < 100) return;
        last = now;
        post({ type: "progress", id: req.id, done, total, label: `${rec.method} N=${rec.budget}` });
      });
      const plots = await reportPlots(report, trials);
      const html = await htmlReport(report, { trials, command: "TailoredBench web app (Study)" });
      post({ type: "study-done", id: req.id, report, trials, plots, html });
      return;
    }
    case "probe": {
      const sources = loadSourceCsv(req.source.text, req.source.name);
      const probed = probeStep(sources, req.settings);
      session = { sources, settings: req.settings, probed };
      post({
        type: "probe-done",
        id: req.id,
        source: { name: sources.name, models: sources.rows, examples: sources.cols },
        gsetIds: probed.gsetIds,
        samples: probed.samples,
        ...(probed.samplesNote !== undefined ? { samplesNote: probed.samplesNote } : {}),
      });
      return;
    }
    case "tailor":
    case "look": {
      if (!session) throw new TbError("E_USAGE", "upload the source matrix and compute the G-set first");
      if (req.type === "look" && session.plan?.mode !== "look") {
        throw new TbError("E_USAGE", "no second look is pending: upload the G-set answers first (step 2)");
      }
      const answers = parseAnswers(
        session.sources,
        req.answers.text,
        req.answers.name,
        lmEvalOptions(req.lmEval),
        session.settings.docOrder,
      );
      const plan =
        req.type === "tailor"
          ? tailorStep(session.sources, session.probed, answers, session.settings)
          : lookStep(session.sources, session.plan as PlanResult, answers, session.settings);
      session.plan = plan;
      post({
        type: "tailor-done",
        id: req.id,
        mode: plan.mode ?? "tailored",
        outOfRange: plan.outOfRange,
        nativeSources: plan.natives.length,
        toEvaluateIds: plan.toEvaluateIds,
        samples: plan.samples,
        ...(plan.samplesNote !== undefined ? { samplesNote: plan.samplesNote } : {}),
        fallback: plan.fallback,
      });
      return;
    }
    case "estimate": {
      if (!session?.plan) throw new TbError("E_USAGE", "upload the G-set answers first (step 2)");
      const answers = parseAnswers(
        session.sources,
        req.answers.text,
        req.answers.name,
        lmEvalOptions(req.lmEval),
        session.settings.docOrder,
      );
      const result = estimateStep(session.sources, session.plan, answers, session.settings);
      post({ type: "estimate-done", id: req.id, result });
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
