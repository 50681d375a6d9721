#!/usr/bin/env python3
"""Regenerate peers_b_reference.json: plain-NumPy reference values for the BenchPred peers
lasso, pca, anchor-predictor and double-optimize's projection (packages/baselines/src/peers-b.test.ts).

Run from anywhere:  python3 packages/baselines/src/__fixtures__/make_peer_b_fixtures.py
Needs numpy only (scikit-learn is not required). Deterministic for a given numpy version (fixed seed).

Written independently of the TypeScript code:
- lasso: cyclic coordinate descent in NumPy, then polished to the exact solution by solving the KKT
  system on the support (X_Sᵀ(y − X_S w_S) = α·rows·sign(w_S), centred data) and checked against the
  KKT conditions off the support (|x_jᵀr| ≤ α·rows);
- PCA imputation: each round a full SVD of the centred fill (numpy.linalg.svd);
- anchor predictor: numpy.linalg.lstsq per (example, anchor) pair, residuals summed explicitly;
- capped-simplex projection: exact λ from the sorted breakpoints of the piecewise-linear Σ clip(p − λ, 0, 1).
"""

import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).with_name("peers_b_reference.json")
rng = np.random.default_rng(20250601)


def flt(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


# ---------------------------------------------------------------- lasso


def lasso_cd(X, y, alpha, w=None, sweeps=200000, tol=1e-15):
    """Objective (1/(2m))||y − Xw − b||² + α||w||₁; returns (w, b). Centres X and y."""
    m, p = X.shape
    xm = X.mean(0)
    ym = y.mean()
    Xc = X - xm
    yc = y - ym
    norms = (Xc**2).sum(0)
    w = np.zeros(p) if w is None else w.copy()
    r = yc - Xc @ w
    lam = alpha * m
    for _ in range(sweeps):
        dmax = 0.0
        for j in range(p):
            if norms[j] == 0:
                continue
            old = w[j]
            rho = Xc[:, j] @ r + old * norms[j]
            new = np.sign(rho) * max(abs(rho) - lam, 0.0) / norms[j]
            if new != old:
                r -= (new - old) * Xc[:, j]
                w[j] = new
                dmax = max(dmax, abs(new - old))
        if dmax < tol:
            break
    return w, Xc, yc, xm, ym


def polish(w, Xc, yc, alpha):
    """Exact solution on the support of w (KKT system), then check the KKT conditions."""
    m = Xc.shape[0]
    lam = alpha * m
    S = np.flatnonzero(w)
    w2 = np.zeros_like(w)
    if len(S) > 0:
        XS = Xc[:, S]
        s = np.sign(w[S])
        w2[S] = np.linalg.solve(XS.T @ XS, XS.T @ yc - lam * s)
        assert np.all(np.sign(w2[S]) == s), "sign change while polishing"
    r = yc - Xc @ w2
    g = Xc.T @ r
    off = np.setdiff1d(np.arange(len(w)), S)
    assert np.all(np.abs(g[off]) <= lam * (1 + 1e-9)), "KKT violated off the support"
    assert np.allclose(g[S], lam * np.sign(w2[S]), rtol=1e-9, atol=1e-12), "KKT violated on the support"
    return w2


lasso_fits = []
X = rng.integers(0, 2, size=(15, 8)).astype(np.float64)
X[:, 3] = rng.uniform(0, 1, 15)
beta = np.array([0.5, -0.3, 0.0, 0.8, 0.0, 0.2, -0.6, 0.0])
y = X @ beta + 0.1 * rng.normal(size=15)
for alpha in [1e-4, 0.003, 0.02, 0.08, 1.0]:
    w, Xc, yc, xm, ym = lasso_cd(X, y, alpha)
    w = polish(w, Xc, yc, alpha)
    lasso_fits.append(
        {"alpha": alpha, "coef": flt(w), "intercept": float(ym - xm @ w), "nonzero": int(np.count_nonzero(w))}
    )

alphas = np.logspace(-4, 1, 1000)
Xp = rng.normal(size=(12, 30))
yp = Xp[:, :6] @ np.array([1.0, -0.8, 0.6, 0.5, -0.4, 0.3]) + 0.2 * rng.normal(size=12)
k_path = 5
counts = []
best = None
w = np.zeros(30)
for i, a in enumerate(alphas):
    w, Xc, yc, xm, ym = lasso_cd(Xp, yp, a, w, tol=1e-14)
    nz = int(np.count_nonzero(w))
    if nz < Xc.shape[0] - 1:
        w = polish(w, Xc, yc, a)
        nz = int(np.count_nonzero(w))
    counts.append(nz)
    if nz <= k_path and (best is None or nz > best[1]):
        best = (i, nz, w.copy(), float(ym - xm @ w))
    if nz == k_path:
        break
lasso_path = {
    "rows": 12,
    "cols": 30,
    "X": flt(Xp),
    "y": flt(yp),
    "k": k_path,
    "chosenIndex": best[0],
    "chosenAlpha": float(alphas[best[0]]),
    "nonzero": best[1],
    "coef": flt(best[2]),
    "intercept": best[3],
    "counts": counts,
}

# ---------------------------------------------------------------- PCA imputation


def pca_impute(V, known, c, max_iter, tol):
    F = np.where(known, V, 0.0)
    cm = F.sum(0) / known.sum(0)
    F = np.where(known, V, cm)
    rounds = 0
    for _ in range(max_iter):
        mu = F.mean(0)
        Z = F - mu
        _, _, Vt = np.linalg.svd(Z, full_matrices=False)
        P = Vt[:c]
        R = mu + (Z @ P.T) @ P
        new = np.where(known, V, R)
        d = np.linalg.norm(new - F)
        F = new
        rounds += 1
        if d < tol:
            break
    return F, rounds


rows, cols = 14, 9
L = rng.normal(size=(rows, 2)) @ rng.normal(size=(2, cols))
Vp = 1 / (1 + np.exp(-(L + 0.15 * rng.normal(size=(rows, cols)))))
known = np.ones((rows, cols), dtype=bool)
known[10:, :] = False
known[10:, [1, 4, 7]] = True
known[3, 2] = False
converged, rounds_conv = pca_impute(Vp, known, 2, 20000, 1e-13)
three, _ = pca_impute(Vp, known, 2, 3, 1e-4)
pca = {
    "rows": rows,
    "cols": cols,
    "values": flt(Vp),
    "known": [int(v) for v in known.ravel()],
    "components": 2,
    "converged": flt(converged),
    "convergedRounds": rounds_conv,
    "threeRounds": flt(three),
    "threeRoundsC3": flt(pca_impute(Vp, known, 3, 3, 1e-4)[0]),
}

# ---------------------------------------------------------------- anchor predictor

S, n = 10, 8
A = rng.integers(0, 2, size=(S, n)).astype(np.float64)
A[:, 5] = 1.0  # zero-variance anchor (slot 0)
A[:, 7] = A[:, 1]  # a second anchor identical to anchor 1: ties → the earlier slot
A[:, 2] = 0.0  # a constant non-anchor: every anchor fits it exactly → slot 0
A[:, 6] = 1 - A[:, 3]  # perfectly (negatively) predicted by anchor 3
anchors = [5, 1, 3, 7]
per = []
for x in range(n):
    if x in anchors:
        per.append(None)
        continue
    best = None
    for r, a in enumerate(anchors):
        col = A[:, a]
        if np.var(col) == 0:
            m, b = 0.0, float(A[:, x].mean())
        else:
            (m, b), *_ = np.linalg.lstsq(np.column_stack([col, np.ones(S)]), A[:, x], rcond=None)
        rss = float(np.sum((A[:, x] - m * col - b) ** 2))
        # First anchor in slot order on ties (the 1e-12 absorbs lstsq rounding; the fixture's only
        # ties are exact: identical anchor columns, or a constant example fitted exactly by all).
        if best is None or rss < best[3] - 1e-12:
            best = (r, float(m), float(b), rss)
    per.append({"slot": best[0], "slope": best[1], "intercept": best[2], "rss": best[3]})
y_anchor = np.array([1.0, 0.0, 1.0, 0.0])
est = np.mean([p["slope"] * y_anchor[p["slot"]] + p["intercept"] for p in per if p is not None])
anchor = {
    "rows": S,
    "cols": n,
    "values": flt(A),
    "anchors": anchors,
    "perExample": per,
    "y": flt(y_anchor),
    "estimate": float(est),
}

# ---------------------------------------------------------------- capped-simplex projection


def project(p, k):
    bps = np.sort(np.concatenate([p, p - 1]))

    def total(lam):
        return np.clip(p - lam, 0, 1).sum()

    # total is continuous, piecewise linear and non-increasing: find the breakpoint segment.
    lo = bps[0]
    for hi in bps:
        if total(hi) <= k:
            break
        lo = hi
    tl, th = total(lo), total(hi)
    lam = lo if tl == th else lo + (tl - k) * (hi - lo) / (tl - th)
    return np.clip(p - lam, 0, 1)


projections = []
for n_, k_ in [(12, 3), (40, 7), (9, 9), (15, 1)]:
    p = rng.normal(0.3, 0.6, size=n_)
    projections.append({"p": flt(p), "k": k_, "projected": flt(project(p, k_))})

OUT.write_text(
    json.dumps(
        {
            "numpy": np.__version__,
            "lassoAlphas": flt(alphas),
            "lassoFits": {"rows": 15, "cols": 8, "X": flt(X), "y": flt(y), "fits": lasso_fits},
            "lassoPath": lasso_path,
            "pca": pca,
            "anchorPredictor": anchor,
            "projections": projections,
        },
        indent=1,
    )
    + "\n"
)
print(f"wrote {OUT}")
