"""Reference values for learnedDifference (compare.ts), computed independently with NumPy.

Run: python3 make_learned_difference.py > learned_difference.json

Ridge with an unpenalised intercept (centre X and y, solve (XcᵀXc + αI)β = Xcᵀyc), exact
leave-one-out residuals r_i / (1 − H_ii) with H = 11ᵀ/S + Xc(XcᵀXc + αI)⁻¹Xcᵀ, α from {0.1, 1, 10}
by the smallest mean squared LOO error (first on ties); the half-width is the ⌈(M+1)·level⌉-th
smallest |e_s − e_t| over all M source pairs; a score is "above" at or above the sources'
level-quantile (NumPy's linear quantile) and above their median, "below" mirrored.
"""
import json
import math

import numpy as np

rng = np.random.default_rng(20261206)
S, n, N = 14, 40, 12
ability = np.concatenate([rng.normal(size=S), [0.0, 0.4]])  # two targets of middling ability
difficulty = rng.normal(size=n)
p = 1 / (1 + np.exp(-(ability[:, None] - difficulty[None, :])))
Y = (rng.random((S + 2, n)) < p).astype(float)
sources, targets = Y[:S], Y[S:]
examples = np.sort(rng.choice(n, size=N, replace=False))
level = 0.9


def ridge(X, y, alpha):
    xm, ym = X.mean(0), y.mean()
    Xc = X - xm
    A = Xc.T @ Xc + alpha * np.eye(X.shape[1])
    beta = np.linalg.solve(A, Xc.T @ (y - ym))
    b0 = ym - xm @ beta
    H = np.ones((len(y), len(y))) / len(y) + Xc @ np.linalg.solve(A, Xc.T)
    resid = y - (b0 + X @ beta)
    loo = resid / (1 - np.diag(H))
    return beta, b0, loo


X = sources[:, examples]
acc = sources.mean(1)
best = None
for alpha in [0.1, 1, 10]:
    beta, b0, loo = ridge(X, acc, alpha)
    mse = np.mean(loo**2)
    if best is None or mse < best[0]:
        best = (mse, alpha, beta, b0, loo)
_, alpha, beta, b0, loo = best
errors = -loo  # estimate − truth
gaps = sorted(abs(errors[s] - errors[t]) for s in range(S) for t in range(s + 1, S))
M = len(gaps)
k = math.ceil((M + 1) * level)
half = gaps[k - 1]
scores = X.mean(1)


def flag(score):
    if score >= np.quantile(scores, level) and score > np.quantile(scores, 0.5):
        return "above"
    if score <= np.quantile(scores, 1 - level) and score < np.quantile(scores, 0.5):
        return "below"
    return None


out = {
    "sources": sources.astype(int).tolist(),
    "targets": targets.astype(int).tolist(),
    "examples": examples.tolist(),
    "level": level,
    "alpha": alpha,
    "accuracies": [min(1, max(0, float(b0 + targets[t, examples] @ beta))) for t in range(2)],
    "halfWidth": float(half),
    "outOfRange": [flag(targets[t, examples].mean()) for t in range(2)],
    # a model answering every shared example right is above the sources; its estimate
    "allRightFlag": flag(1.0),
    "allRightAccuracy": min(1, max(0, float(b0 + np.ones(N) @ beta))),
}
print(json.dumps(out, indent=1))
