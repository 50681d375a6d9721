"""How many examples can a model-assisted design save at best? (issue 21, "asks at most half").

For a design estimator whose residuals come from predicting the target's per-example answers from
the sources' answers to the same examples (tailored-plus's precision stage: a ridge of the target's
draws on the sources' answers, stratified by difficulty), the variance at n draws is about
Var(y - yhat)/n against p(1 - p)/n for simple random sampling, so the examples needed for the same
half-width scale by  rho = sum_t Var(y_t - yhat_t) / sum_t p_t(1 - p_t)  over the targets of a cell.

This computes an OPTIMISTIC rho: the ridge is fitted on the target's answers to ~80 % of the whole
benchmark (5-fold cross-fitting, out-of-fold residuals), its penalty chosen per target from
{0.1, 1, 10, 100, 1000} by the same out-of-fold error — far more of the target than any method may
ask. A method that asks ≤ half of random's examples needs rho ≤ 0.5.

    python3 research/precision/oracle-bound.py ../shared/data
"""
import csv
import sys

import numpy as np


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return np.array([[float(v) for v in r[1:]] for r in rows[1:]])


def oof_residual_var(X, y, alphas=(0.1, 1.0, 10.0, 100.0, 1000.0), folds=5, seed=0):
    n = len(y)
    idx = np.random.default_rng(seed).permutation(n)
    parts = np.array_split(idx, folds)
    best = None
    for a in alphas:
        r = np.empty(n)
        for k in range(folds):
            te = parts[k]
            tr = np.concatenate([parts[j] for j in range(folds) if j != k])
            Xtr = X[tr]
            mu_x = Xtr.mean(0)
            mu_y = y[tr].mean()
            Xc = Xtr - mu_x
            w = np.linalg.solve(Xc.T @ Xc + a * np.eye(X.shape[1]), Xc.T @ (y[tr] - mu_y))
            r[te] = y[te] - (mu_y + (X[te] - mu_x) @ w)
        v = float(np.mean(r**2))
        if best is None or v < best:
            best = v
    return best


def cell(M, src, tgt):
    X = M[src].T  # examples × sources
    num = 0.0
    den = 0.0
    below = 0
    for t in tgt:
        y = M[t]
        p = y.mean()
        if p in (0.0, 1.0):
            continue
        v = oof_residual_var(X, y)
        num += v
        den += p * (1 - p)
        below += v <= 0.5 * p * (1 - p)
    return num / den, below, len(tgt)


def main(root):
    for name in ["gsm8k", "helm_lite_mmlu", "glue_rte", "openllm_v2_musr"]:
        M = load(f"{root}/{name}/correctness.csv")
        m = M.shape[0]
        acc = M.mean(1)
        # extrapolation: sources the weaker half, targets the strongest 30 % (ties: row order)
        order = np.argsort(acc, kind="stable")
        src = np.sort(order[: int(m * 0.5 + 1e-9)])
        tgt = np.sort(order[m - int(m * 0.3 + 1e-9) :])
        rho, below, T = cell(M, src, tgt)
        print(f"{name:16s} extrapolation  rho = {rho:.2f}  targets with rho_t <= 0.5: {below}/{T}")
        # interpolation: 3 random splits, 25 % targets
        rhos = []
        bl = 0
        tt = 0
        for s in range(3):
            perm = np.random.default_rng(100 + s).permutation(m)
            T = round(m * 0.25)
            tgt = np.sort(perm[:T])
            src = np.sort(perm[T:])
            r, b, n = cell(M, src, tgt)
            rhos.append(r)
            bl += b
            tt += n
        print(f"{name:16s} interpolation  rho = {np.mean(rhos):.2f} (3 splits: {', '.join(f'{r:.2f}' for r in rhos)})  targets with rho_t <= 0.5: {bl}/{tt}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
