#!/usr/bin/env python3
"""Exact expected MAE of the plain sample mean (Random) on a split, from the hypergeometric law.

Used to check the extrapolation-split numbers of docs/RESULTS.md independently of any sampling:
for a target with K correct answers out of n, a uniform k-subset has K' ~ Hypergeom(n, K, k) and
E|K'/k - K/n| is a finite sum.

    python3 research/exact-random-mae/exact-random-mae.py ../shared/data/gsm8k 20 30 40
"""
import sys

import numpy as np
from scipy.stats import hypergeom

folder = sys.argv[1]
budgets = [int(b) for b in sys.argv[2:]] or [20, 30, 40]
with open(f"{folder}/correctness.csv") as f:
    cols = len(f.readline().split(",")) - 1
M = np.loadtxt(f"{folder}/correctness.csv", delimiter=",", skiprows=1, usecols=range(1, cols + 1))
acc = M.mean(1)
models, n = M.shape
order = np.lexsort((np.arange(models), acc))  # ascending accuracy, ties by row order
targets = order[-int(models * 0.3 + 1e-9):]
for k in budgets:
    e = []
    for t in targets:
        K = int(round(M[t].sum()))
        x = np.arange(0, k + 1)
        e.append((hypergeom(n, K, k).pmf(x) * np.abs(x / k - K / n)).sum())
    print(f"extrapolation split, N = {k}: exact expected MAE of Random = {np.mean(e):.4f}")
