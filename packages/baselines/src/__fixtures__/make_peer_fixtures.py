#!/usr/bin/env python3
"""Regenerate peers_reference.json (peers-a.test.ts here) and ../../../linear/src/__fixtures__/ridge_reference.json
(ridge.test.ts of @tb/linear): NumPy reference values.

Run from anywhere:  python3 packages/baselines/src/__fixtures__/make_peer_fixtures.py
Needs numpy only. Deterministic for a given numpy version (fixed seed).

Everything here is computed the slow, obvious way, independently of the TypeScript code:
  * ridge with an unpenalised intercept = centre X and y, solve the normal equations
    (Xc'Xc + alpha I) w = Xc'yc with numpy.linalg.solve, intercept = mean(y) - mean(X) . w;
  * leave-one-out errors by explicit refits: drop row i, re-centre on the other rows, refit,
    predict row i (not the hat-matrix shortcut that the TypeScript code uses);
  * the chosen alpha = the first alpha with the smallest mean LOO squared error;
  * Random-Sampling-Learn and AIPW on a hand-made 4-model x 6-example matrix, from docs/PEERS-METHODS.md.
"""

import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).with_name("peers_reference.json")
RIDGE_OUT = pathlib.Path(__file__).parents[3] / "linear" / "src" / "__fixtures__" / "ridge_reference.json"
ALPHAS = [0.1, 1.0, 10.0]
rng = np.random.default_rng(20250601)


def ridge_fit(X, y, alpha):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    xm = X.mean(axis=0)
    ym = y.mean()
    Xc = X - xm
    yc = y - ym
    w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(ym - xm @ w)


def loo_squared_errors(X, y, alpha):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    out = []
    for i in range(X.shape[0]):
        keep = np.arange(X.shape[0]) != i
        w, b = ridge_fit(X[keep], y[keep], alpha)
        out.append(float((y[i] - (X[i] @ w + b)) ** 2))
    return out


def ridge_cv(X, y, alphas):
    errs = [loo_squared_errors(X, y, a) for a in alphas]
    means = [float(np.mean(e)) for e in errs]
    best = int(np.argmin(means))  # argmin returns the first of equal minima
    w, b = ridge_fit(X, y, alphas[best])
    return {"errors": errs, "means": means, "best": best, "coef": w, "intercept": b}


def ridge_case(name, X, y):
    fits = []
    for a in ALPHAS:
        w, b = ridge_fit(X, y, a)
        fits.append(
            {"alpha": a, "coef": [float(v) for v in w], "intercept": b, "looSquaredErrors": loo_squared_errors(X, y, a)}
        )
    cv = ridge_cv(X, y, ALPHAS)
    return {
        "name": name,
        "rows": int(X.shape[0]),
        "cols": int(X.shape[1]),
        "X": [float(v) for v in X.ravel()],  # row-major
        "y": [float(v) for v in y],
        "fits": fits,
        "chosenAlpha": ALPHAS[cv["best"]],
    }


def random_learn(S, coreset, y):
    """Random-Sampling-Learn: model-level ridge, features = answers on the coreset, label = acc."""
    X = S[:, coreset]
    acc = S.mean(axis=1)
    cv = ridge_cv(X, acc, ALPHAS)
    est = float(cv["intercept"] + np.asarray(y, dtype=np.float64) @ cv["coef"])
    return {"alpha": ALPHAS[cv["best"]], "looMeanSquaredErrors": cv["means"], "estimate": est}


def aipw(S, coreset, y, alpha=10.0):
    """AIPW: example-level ridge, one row per coreset example, features = its column of S."""
    y = np.asarray(y, dtype=np.float64)
    n = S.shape[1]
    k = len(coreset)
    rest = [j for j in range(n) if j not in set(coreset)]
    if not rest:
        return {"alpha": alpha, "estimate": float(y.mean())}
    Xc = S[:, coreset].T  # k x |S|
    Xr = S[:, rest].T  # |R| x |S|
    w, b = ridge_fit(Xc, y, alpha)
    yhat_c = Xc @ w + b
    yhat_r = Xr @ w + b
    est = float(np.mean(y - yhat_c) / (1 + k / len(rest)) + np.mean(yhat_r))
    return {"alpha": alpha, "estimate": est, "meanPredictionRest": float(np.mean(yhat_r))}


cases = [
    ridge_case("tall 12x5 uniform (primal)", rng.random((12, 5)), rng.random(12)),
    ridge_case("wide 5x12 uniform (dual)", rng.random((5, 12)), rng.random(5)),
    ridge_case(
        "binary 9x4 (primal)", rng.integers(0, 2, (9, 4)).astype(np.float64), rng.integers(0, 2, 9).astype(np.float64)
    ),
    ridge_case(
        "binary 4x9 (dual)", rng.integers(0, 2, (4, 9)).astype(np.float64), rng.integers(0, 2, 4).astype(np.float64)
    ),
]

# Hand-made: 4 source models x 6 examples, one target.
S = np.array(
    [
        [1, 1, 1, 1, 0, 1],
        [1, 0, 1, 0, 1, 1],
        [0, 1, 0, 0, 1, 0],
        [0, 0, 1, 0, 0, 0],
    ],
    dtype=np.float64,
)
target = np.array([1, 0, 1, 1, 0, 1], dtype=np.float64)
coreset = [4, 1, 3]
full = list(range(6))
peers = {
    "sources": S.tolist(),
    "target": target.tolist(),
    "coreset": coreset,
    "randomLearn": random_learn(S, coreset, target[coreset]),
    "aipw": aipw(S, coreset, target[coreset]),
    "full": {
        "randomLearn": random_learn(S, full, target[full]),
        "aipw": aipw(S, full, target[full]),
    },
}

OUT.write_text(json.dumps({"numpy": np.__version__, "alphas": ALPHAS, "peers": peers}, indent=1) + "\n")
# The ridge cases serve @tb/linear's tests (ridge.test.ts there).
RIDGE_OUT.write_text(json.dumps({"numpy": np.__version__, "alphas": ALPHAS, "ridge": cases}, indent=1) + "\n")
print(f"wrote {OUT}")
