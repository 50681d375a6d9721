/**
 * The page's words: what each step of "Evaluate a model" does (a plan's sentence comes from
 * @tb/estimate's Evaluation.describePlan), with
 * links to the project's documentation. Text only — the rules themselves live in @tb/estimate.
 */

/** The project's repository; the docs are linked there (the page itself fetches nothing). */
export const REPO = "https://github.com/tailoredbench/tailoredbench";

/** A link to a file of the project's docs, opened in a new tab. */
export function docLink(path: string, text: string, anchor = ""): string {
  return `<a href="${REPO}/blob/main/${path}${anchor}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

/** "How it works" of each step of the Evaluate view (HTML, static text). */
export const HOW_IT_WORKS = {
  intro: `<p>You run your model on a few dozen examples chosen for it, in two or three rounds, and upload its answers after each;
the page estimates its score on the whole benchmark from those answers and the <b>source models</b>' full results (the matrix of step 1).
${docLink("README.md", "The method in short", "#how-it-works")} · ${docLink("docs/METHOD.md", "TailoredBench in detail")} · ${docLink("docs/TAILORED-PLUS.md", "tailored-plus")}</p>`,
  probe: `<p><b>G-set</b>: the few examples (the G-set size) that best separate the source models (K-Medoids over the examples, embedded by the sources' answers).
Every model is first run on these: its answers there say which sources it resembles.</p>`,
  tailor: `<p><b>Native sources</b>: the source models that answer the G-set most like yours (distance at most the sources' mean pairwise distance).
<b>N-set</b>: the G-set plus the medoids of the examples as your model's native sources see them — the examples chosen for <i>your</i> model, N in all.
tailored-plus first asks where your model stands: <b>within</b> (its G-set score is below the upper quartile of the sources' scores on the G-set) → the N-set above;
<b>second look</b> (at or above that quartile) → a few more of its tailored examples decide; <b>beyond</b> (still at the top after the second look, or above every source on the G-set already) → the rest is a stratified random sample, which does not lean on sources that answer like it.
${docLink("docs/TAILORED-PLUS.md", "How the mode is chosen", "#the-method")}</p>`,
  look: `<p><b>Second look</b>: ten G-set answers cannot tell a strong model inside the sources' range from one above them.
Its answers on a few more of its tailored examples are compared with the sources' on the same examples, by the same upper-quartile rule: below → within (the examples stay in its N-set), at or above → beyond.
${docLink("docs/TAILORED-PLUS.md", "The second look", "#the-second-look-adopted-2026-11-30")}</p>`,
  estimate: `<p><b>Estimate</b>: within, a blend of a ridge regression over all sources and TailoredBench's calibrated estimate from the native sources, with a split-conformal interval from the sources' leave-one-out errors;
beyond, a stratified estimate with its own interval. The rank places the estimate among the sources' true scores.
${docLink("docs/TAILORED-PLUS.md", "Estimates and intervals", "#intervals-where-the-misses-were-and-the-fix-adopted-2026-11-30")}</p>`,
  more: `<p><b>Precision on demand</b> (step 1's “precision (half-width)” and “at most N examples”): once the design of budget N examples is answered,
the evaluation looks at its interval; while the half-width is above the precision and fewer than “at most N examples” were asked, it asks another round of
difficulty-stratified random examples it has not asked yet, the total doubling each round. Every look is taken at a stricter level (Bonferroni over the looks the schedule allows),
so the interval at whichever round it stops still covers at the level asked for. The page asks the evaluation whether it is done; the table shows each round.
${docLink("docs/DESIGN.md", "Precision on demand", "#35-the-resumable-evaluation")}</p>`,
} as const;

/** "How it works" of each step of the Compare view (HTML, static text). */
export const COMPARE_HOW = {
  intro: `<p>“Is model A better than model B?” is a question about a <b>difference</b>, answered best by running both models on the <b>same</b> examples:
the page chooses them from the source models' full results (step 1), you run both models on them (step 2) and upload both answer files (step 3);
the result is A − B with its interval, the probability that A is better, and each model's estimated accuracy.
${docLink("README.md", "Compare two models", "#compare-two-models")} · ${docLink("packages/estimate/README.md", "compare() and createComparison()", "#is-my-model-better-than-that-one-compare-and-createcomparison")} · ${docLink("docs/RESULTS.md", "how often the interval holds", "#paired-comparisons-issue-20-items-2-and-3")}</p>`,
  design: `<p><b>Shared design</b>: the G-set (the ten examples that best separate the source models), then a difficulty-stratified random sample of the other examples, budget N in all;
with design <i>random</i>, one uniform sample of N. Both models get the same N examples, so that their difference is measured on common ground.
Changing a setting after the examples are computed hides the later steps: compute them again.
${docLink("docs/DESIGN.md", "The paired comparison", "#36-the-paired-comparison")}</p>`,
  run: `<p><b>Run both models</b> on these examples, in any order: the lm-eval <code>--samples</code> JSON when the ids are lm-eval doc indices (step 1, “example ids are”),
or the list of ids and an answers template (<code>example,correct</code>, 1 for a correct answer, 0 otherwise) to fill in.
${docLink("README.md", "Running lm-eval on chosen examples", "#evaluate-your-own-model")}</p>`,
  answers: `<p><b>Difference</b>: the model-assisted stratified estimate of A − B (the G-set counted exactly, the rest by stratum means corrected by the sources' regression),
its standard error, a normal interval at the level of step 1, and P(A better) = Φ(difference / se). Each model's accuracy is estimated the same way; its rank places it among the sources' true scores.
<b>Disagreements</b>: the shared examples the two answered differently — the only ones that move the difference.
${docLink("docs/DESIGN.md", "The estimate and its interval", "#36-the-paired-comparison")}</p>`,
} as const;
