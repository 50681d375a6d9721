"""Brute-force optimal K-Medoids costs for small point sets: the reference for kmedoids.test.ts.

Every K-subset of the n points (containing the fixed ones) is tried; the cost of a subset is the
sum over points of the distance to its nearest member. Distances come from scipy's pdist, so the
matrices are exactly symmetric with a zero diagonal. Writes kmedoids_optimal.json beside this file.

    python3 packages/kmedoids/src/__fixtures__/make_kmedoids_optimal.py
"""

import itertools
import json
import os

import numpy as np
from scipy.spatial.distance import pdist, squareform


def optimum(d, k, fixed):
    n = d.shape[0]
    rest = [p for p in range(n) if p not in fixed]
    best, sets = None, []
    for extra in itertools.combinations(rest, k - len(fixed)):
        med = sorted(list(fixed) + list(extra))
        cost = float(d[med, :].min(axis=0).sum())
        if best is None or cost < best - 1e-12:
            best, sets = cost, [med]
        elif abs(cost - best) <= 1e-12:
            sets.append(med)
    return best, sets


def case(name, points, metric, k, fixed=()):
    d = squareform(pdist(points, metric=metric))
    cost, sets = optimum(d, k, tuple(fixed))
    return {
        "name": name,
        "metric": metric,
        "K": k,
        "fixed": list(fixed),
        "distances": d.tolist(),
        "optimalCost": cost,
        "optimalSets": sets,
    }


rng = np.random.default_rng(20261130)
centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
blobs = np.concatenate([c + rng.normal(scale=1.0, size=(4, 2)) for c in centres])
uniform14 = rng.uniform(0, 1, size=(14, 2))
uniform10 = rng.uniform(0, 1, size=(10, 3))
bits = rng.integers(0, 2, size=(12, 8)).astype(float)

cases = [
    case("three blobs, K = 3", blobs, "euclidean", 3),
    case("three blobs, K = 3, point 0 fixed", blobs, "euclidean", 3, [0]),
    case("uniform square, K = 3", uniform14, "euclidean", 3),
    case("uniform square, K = 4, points 2 and 9 fixed", uniform14, "euclidean", 4, [2, 9]),
    case("uniform cube, K = 4, manhattan", uniform10, "cityblock", 4),
    case("0/1 rows, K = 3, manhattan (many ties)", bits, "cityblock", 3),
]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kmedoids_optimal.json")
with open(out, "w") as f:
    json.dump({"generator": os.path.basename(__file__), "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {out}")
