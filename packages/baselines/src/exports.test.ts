import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CorrectnessMatrix, RandomStream } from "@tb/core";
import { describe, expect, it } from "vitest";
import * as root from "./index.js";
import * as internals from "./internals.js";

/** The 51 runtime names of the root export before it was split (0.x, issue 19). */
const BEFORE_SPLIT =
  "CorrectnessMatrix LassoProblem RANDOM_LEARN_ALPHAS RandomStream TbError Workspace abilityObjective aipw aipwEstimate anchorPoints anchorPredictor anchorPredictorEstimate anchorPredictorFit anchorWeights applyRandomLearnModel bfgs binarizationThreshold calibrateGpIrt correlationDistance createOracle doubleOptimize doubleOptimizeFit exampleCorrelation fitAbility fitIrt gpIrt gpIrtEstimates gpIrtLambda imputePca irtMapObjective irtParamCount irtProbabilities irtProbability isTbError kmeans kmeansPlusPlus lasso lassoAlphas lassoFit lassoSelect nearestPoints pcaImpute projectCappedSimplex randomBaseline randomLearn randomLearnEstimate randomLearnModel randomSearchLearn selectAnchors symmetricEigen topK".split(
    " ",
  );

const FACTORIES = [
  "aipw",
  "anchorPoints",
  "anchorPredictor",
  "doubleOptimize",
  "gpIrt",
  "lasso",
  "pcaImpute",
  "randomBaseline",
  "randomLearn",
  "randomSearchLearn",
];

const repo = fileURLToPath(new URL("../../../", import.meta.url));

function tsFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(p);
  }
  return out;
}

/** Runtime names imported from `spec` by the repository's code (type-only imports left out). */
function importedNames(spec: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const dirs = ["packages", "apps", "examples", "scripts", "research"].map((d) => join(repo, d));
  const re = new RegExp(`import\\s+(type\\s+)?\\{([^}]*)\\}\\s+from\\s+"${spec.replace("/", "\\/")}"`, "g");
  for (const file of dirs.flatMap((d) => tsFiles(d))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(re)) {
      if (m[1] !== undefined) continue;
      for (const part of (m[2] as string).split(",")) {
        const name = part.trim().split(/\s+as\s+/)[0] as string;
        if (name === "" || name.startsWith("type ")) continue;
        found.set(name, [...(found.get(name) ?? []), file.slice(repo.length)]);
      }
    }
  }
  return found;
}

describe("@tb/baselines' public surface", () => {
  it("the root export has at most 25 runtime names: the factories and the @tb/core names users need", () => {
    const names = Object.keys(root);
    expect(names.length).toBeLessThanOrEqual(25);
    for (const f of FACTORIES) expect(names).toContain(f);
    for (const c of [
      "CorrectnessMatrix",
      "createOracle",
      "RandomStream",
      "TbError",
      "isTbError",
      "Workspace",
      "drive",
    ]) {
      expect(names).toContain(c);
    }
  });

  it("internals holds the building blocks and none of the factories", () => {
    const names = Object.keys(internals);
    for (const f of FACTORIES) expect(names).not.toContain(f);
    for (const b of ["calibrateGpIrt", "fitIrt", "kmeans", "bfgs", "LassoProblem", "imputePca", "oneRoundMethod"]) {
      expect(names).toContain(b);
    }
  });

  it("every name exported before the split is still exported, by the root or by internals (not both)", () => {
    const both = new Set([...Object.keys(root), ...Object.keys(internals)]);
    for (const name of BEFORE_SPLIT) expect(both.has(name), name).toBe(true);
    expect(Object.keys(root).filter((n) => n in internals)).toEqual([]);
  });

  it("every runtime name the repository imports from @tb/baselines or @tb/baselines/internals is there", () => {
    const fromRoot = importedNames("@tb/baselines");
    const fromInternals = importedNames("@tb/baselines/internals");
    // The scan finds the importers (at least @tb/experiment's registry, which builds every method).
    expect(fromRoot.size).toBeGreaterThan(0);
    for (const [name, files] of fromRoot) expect(name in root, `${name} (${files.join(", ")})`).toBe(true);
    for (const [name, files] of fromInternals) expect(name in internals, `${name} (${files.join(", ")})`).toBe(true);
  });
});

describe("every method factory refuses an option it does not have", () => {
  it("a typo or a foreign option names the factory and its options", () => {
    const b = root;
    const cases: [string, () => unknown, RegExp][] = [
      [
        "doubleOptimize",
        () => b.doubleOptimize({ epochs: 1 } as never),
        /^doubleOptimize: unknown option "epochs" \(known: steps, /,
      ],
      ["gpIrt", () => b.gpIrt({ dim: 2 } as never), /^gpIrt: unknown option "dim"/],
      [
        "randomBaseline",
        () => b.randomBaseline({ modes: "shared" } as never),
        /^randomBaseline: unknown option "modes"/,
      ],
      [
        "lasso",
        () => b.lasso({ alpha: 1 } as never),
        /^lasso: unknown option "alpha" \(known: maxIter, tol, alphas, clip\)/,
      ],
      ["anchorPoints", () => b.anchorPoints(null as never), /^anchorPoints: options must be an object, got null/],
    ];
    for (const [, f, re] of cases) expect(f).toThrow(re);
    expect(b.doubleOptimize({ steps: 10 }).name).toBe("double-optimize");
  });
});

describe("an option another choice makes unread is refused by name", () => {
  it("Anchor Points: the other algorithm's options; gp-IRT: VI's start, k-means's options, the naive estimator's data part", () => {
    const b = root;
    const cases: [() => unknown, RegExp][] = [
      [
        () => b.anchorPoints({ maxIter: 10 }),
        /^anchor points: maxIter is an option of PAM, and algorithm "fasterpam" never reads it/,
      ],
      [
        () => b.anchorPoints({ algorithm: "pam", maxPasses: 3, candidateOrder: "shuffled" }),
        /^anchor points: maxPasses and candidateOrder are options of FasterPAM, and algorithm "pam" never reads them/,
      ],
      [() => b.gpIrt({ viInitScale: 0.5 }), /^gp-IRT: viInitScale \(read by fitMethod "vi" only\)/],
      [() => b.gpIrt({ fitMethod: "map", viInitScale: 0.5 }), /viInitScale/],
      [
        () => b.gpIrt({ anchorSpace: "random", restarts: 3, kmeansTol: 1e-3 }),
        /restarts .*; kmeansTol .*leave them out/,
      ],
      [() => b.gpIrt({ estimator: "naive", dataPart: "plain" }), /^gp-IRT: dataPart \(estimator "naive"/],
    ];
    for (const [f, re] of cases) expect(f).toThrow(re);
    // the same options where they are read
    expect(() => b.anchorPoints({ maxPasses: 3, candidateOrder: "shuffled" })).not.toThrow();
    expect(() => b.anchorPoints({ algorithm: "pam", maxIter: 10 })).not.toThrow();
    expect(() => b.gpIrt({ fitMethod: "vi", viInitScale: 0.5 })).not.toThrow();
    expect(() => b.gpIrt({ anchorSpace: "correctness", restarts: 3 })).not.toThrow();
    expect(() => b.gpIrt({ estimator: "p-irt", dataPart: "plain", abilityPrior: 1 })).not.toThrow();
    expect(() => b.gpIrt({ estimator: "naive", abilityPrior: 1 })).not.toThrow(); // read by the calibration
  });
});

describe("gp-IRT's numeric options are checked when the method is made, in its terms", () => {
  it("a bad epochs, rate, scale, k-means cap or tolerance names the option", () => {
    const cases: [object, RegExp][] = [
      [{ epochs: 0 }, /^gp-IRT: epochs must be an integer ≥ 1, got 0/],
      [{ epochs: 2.5 }, /^gp-IRT: epochs must be an integer ≥ 1/],
      [{ lr: Number.NaN }, /^gp-IRT: lr must be a finite number > 0, got NaN/],
      [{ decay: 0 }, /^gp-IRT: decay must be a finite number > 0/],
      [{ initScale: -1 }, /^gp-IRT: initScale must be a finite number ≥ 0, got -1/],
      [{ fitMethod: "vi", viInitScale: 0 }, /^gp-IRT: viInitScale must be a finite number > 0/],
      [{ kmeansMaxIter: -5 }, /^gp-IRT: kmeansMaxIter must be an integer ≥ 1, got -5/],
      [{ kmeansMaxIter: 2.5 }, /^gp-IRT: kmeansMaxIter must be an integer ≥ 1/],
      [{ kmeansTol: Number.NaN }, /^gp-IRT: kmeansTol must be a finite number ≥ 0, got NaN/],
      [{ irtSeed: 1.5 }, /^gp-IRT: irtSeed must be an integer/],
      [{ abilityPrior: 0 }, /^gp-IRT: abilityPrior must be a finite number > 0/],
    ];
    for (const [o, re] of cases) expect(() => root.gpIrt(o as never)).toThrow(re);
    // internals: a misspelt anchor space used to fall through to k-means on the correctness columns
    const sources = CorrectnessMatrix.from(
      Array.from({ length: 6 }, (_, m) => Array.from({ length: 12 }, (_, j) => ((m + j) % 3 === 0 ? 1 : 0))),
    );
    const cal = internals.calibrateGpIrt(sources, { dims: [1], epochs: 5 });
    expect(() => internals.selectAnchors(cal, sources, 4, 0, { anchorSpace: "randm" as never })).toThrow(
      /^selectAnchors: anchorSpace must be one of "irt", "correctness", "random", got "randm"/,
    );
    expect(() => internals.selectAnchors(cal, sources, 4, 0, { restart: 2 } as never)).toThrow(
      /^selectAnchors: unknown option "restart"/,
    );
    expect(() => internals.calibrateGpIrt(sources, { dim: 3 } as never)).toThrow(
      /^calibrateGpIrt: unknown option "dim"/,
    );
    expect(() =>
      root.gpIrt({ epochs: 10, lr: 0.05, decay: 1, initScale: 0, kmeansMaxIter: 1, kmeansTol: 0 }),
    ).not.toThrow();
  });
});

describe("internals refuse an option they do not have", () => {
  it("fitIrt, fitAbility, bfgs, kmeans, lassoFit, lassoSelect, doubleOptimizeFit: a typo names the function", () => {
    const i = internals;
    const R = Uint8Array.from({ length: 24 }, (_, t) => ((t * 7) % 3 === 0 ? 1 : 0));
    const X = Float64Array.from({ length: 20 }, (_, t) => t % 7);
    const y = [0, 1, 0, 1];
    const values = Float64Array.from({ length: 12 }, (_, t) => t % 2);
    const cases: [() => unknown, RegExp][] = [
      [() => i.fitIrt(R, 4, 6, { dim: 1, epoch: 5 } as never), /^fitIrt: unknown option "epoch"/],
      [
        () =>
          i.bfgs(
            (x, g) => {
              g[0] = 2 * (x[0] as number);
              return (x[0] as number) ** 2;
            },
            [1],
            { gTol: 1 } as never,
          ),
        /^bfgs: unknown option "gTol"/,
      ],
      [() => i.kmeans(X, 10, 2, { k: 2, streams: [0], iters: 3 } as never), /^kmeans: unknown option "iters"/],
      [() => i.lassoFit(values, 4, 3, y, 0.1, { maxIters: 5 } as never), /^lassoFit: unknown option "maxIters"/],
      [
        () => i.lassoSelect(new i.LassoProblem(values, 4, 3, y), 2, { alpha: [0.1] } as never),
        /^lassoSelect: unknown option "alpha"/,
      ],
      [
        () => i.doubleOptimizeFit(values, 4, 3, y, 2, 0, { clip: false } as never),
        /^doubleOptimizeFit: unknown option "clip"/,
      ],
    ];
    for (const [f, re] of cases) expect(f).toThrow(re);
    const fit = i.fitIrt(R, 4, 6, { dim: 1, epochs: 5 });
    expect(() => i.fitAbility(fit, [0, 1], [1, 0], { prior: 1 } as never)).toThrow(
      /^fitAbility: unknown option "prior"/,
    );
    expect(() => i.fitAbility(fit, [0, 1], [1, 0], { abilityPrior: 1 })).not.toThrow();
  });
});

describe("a one-round method checks its context in its own terms", () => {
  it("sources, budget and rng: named errors instead of TypeErrors; an integer seed is a stream", () => {
    const rows = Array.from({ length: 6 }, (_, m) => Array.from({ length: 12 }, (_, j) => ((m + j) % 3 === 0 ? 1 : 0)));
    const sources = CorrectnessMatrix.from(rows);
    const m = root.randomBaseline();
    expect(() => m.start({ sources: rows as never, targets: 1, budget: 6, rng: RandomStream.derive(0) })).toThrow(
      /^random: sources must be a CorrectnessMatrix/,
    );
    expect(() => m.start({ sources, targets: 1, budget: 2.5, rng: RandomStream.derive(0) })).toThrow(
      /^random: budget must be an integer, got 2.5/,
    );
    expect(() => m.start({ sources, targets: 1, budget: 6, rng: undefined as never })).toThrow(
      /^random: rng must be an integer or a RandomStream/,
    );
    const bySeed = m.start({ sources, targets: 1, budget: 6, rng: 7 as never }).requests()[0]?.examples;
    const byStream = m.start({ sources, targets: 1, budget: 6, rng: RandomStream.derive(7) }).requests()[0]?.examples;
    expect(bySeed).toEqual(byStream);
  });
});
