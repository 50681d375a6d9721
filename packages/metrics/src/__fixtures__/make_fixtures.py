#!/usr/bin/env python3
"""Regenerate scipy_reference.json, the SciPy reference values that the @tb/metrics tests compare to.

Run from anywhere:  python3 packages/metrics/src/__fixtures__/make_fixtures.py
Needs numpy and scipy. The output is deterministic for a given numpy/scipy version (fixed seed).
NaN is written as null, because JSON has no NaN.
"""

import json
import math
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).with_name("scipy_reference.json")
rng = np.random.default_rng(20240601)


def num(v):
    """A float for JSON; NaN becomes null."""
    v = float(v)
    return None if math.isnan(v) else v


def correlation_case(name, x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant-input warnings are expected for some cases
        tau = stats.kendalltau(x, y).statistic  # default variant='b'
        r = stats.pearsonr(x, y).statistic
        rho = stats.spearmanr(x, y).statistic
    return {
        "name": name,
        "x": [float(v) for v in x],
        "y": [float(v) for v in y],
        "kendallTauB": num(tau),
        "pearson": num(r),
        "spearman": num(rho),
        "mae": float(np.mean(np.abs(x - y))),
        "mse": float(np.mean((x - y) ** 2)),
    }


cases = []
ints = lambda lo, hi, n: rng.integers(lo, hi, size=n)  # noqa: E731

cases.append(correlation_case("ints_many_ties_n10", ints(0, 4, 10), ints(0, 4, 10)))
cases.append(correlation_case("ints_many_ties_n30", ints(0, 6, 30), ints(0, 3, 30)))
cases.append(correlation_case("ints_many_ties_n100", ints(0, 10, 100), ints(0, 10, 100)))
cases.append(correlation_case("binary_n25", ints(0, 2, 25), ints(0, 2, 25)))
cases.append(correlation_case("continuous_n20", rng.normal(size=20), rng.normal(size=20)))
z = rng.normal(size=100)
cases.append(correlation_case("continuous_correlated_n100", z, 0.7 * z + 0.5 * rng.normal(size=100)))
acc = rng.uniform(0.2, 0.9, size=40)
cases.append(
    correlation_case("accuracy_like_rounded_n40", np.round(acc + rng.normal(0, 0.05, 40), 2), np.round(acc, 2))
)
cases.append(correlation_case("ties_x_continuous_y_n50", ints(0, 5, 50), rng.normal(size=50)))
cases.append(correlation_case("reversed_n15", np.arange(1, 16), np.arange(15, 0, -1)))
w = rng.normal(size=12)
cases.append(correlation_case("identical_n12", w, w))
cases.append(correlation_case("constant_x_n8", np.full(8, 0.5), rng.normal(size=8)))
cases.append(correlation_case("constant_y_n8", rng.normal(size=8), np.full(8, 3.0)))
cases.append(correlation_case("n2_discordant", [1.0, 2.0], [3.0, 1.0]))
cases.append(correlation_case("n2_concordant", [-5.0, 7.5], [0.25, 0.5]))
cases.append(correlation_case("n3_ties", [1.0, 1.0, 2.0], [1.0, 2.0, 2.0]))
cases.append(correlation_case("large_magnitude_negative_n16", rng.normal(0, 1e6, 16) - 3e7, -rng.normal(0, 1e-3, 16)))

mean_se = []
for name, v in [
    ("n1", np.array([0.25])),
    ("n5", np.array([0.1, 0.4, 0.35, 0.8, 0.2])),
    ("n100", rng.uniform(-1, 1, 100)),
]:
    mean_se.append(
        {"name": name, "values": [float(t) for t in v], "mean": float(np.mean(v)), "se": float(np.std(v) / math.sqrt(len(v)))}
    )


def z_test(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    se = math.sqrt(np.var(a, ddof=1) / len(a) + np.var(b, ddof=1) / len(b))
    z = (np.mean(a) - np.mean(b)) / se
    return z, stats.norm.sf(z)


z_tests = []
for name, a, b in [
    ("a_better", rng.normal(0.62, 0.05, 30), rng.normal(0.58, 0.07, 25)),
    ("b_better", rng.normal(0.40, 0.1, 10), rng.normal(0.55, 0.1, 12)),
    ("close", rng.normal(0.5, 0.2, 100), rng.normal(0.5, 0.2, 100)),
]:
    zv, pv = z_test(a, b)
    z_tests.append({"name": name, "a": [float(t) for t in a], "b": [float(t) for t in b], "z": float(zv), "p": float(pv)})

normal_sf = [{"z": float(t), "sf": float(stats.norm.sf(t))} for t in
             [-8.0, -3.3, -1.0, -0.5, -1e-9, 0.0, 0.3, 0.66, 1.0, 1.6448536269514722, 2.5, 3.0, 5.0, 5.7, 8.0, 12.0, 20.0, 30.0, 38.0, 40.0]]

doc = {
    "generator": "make_fixtures.py",
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "note": "kendallTauB = scipy.stats.kendalltau (variant b); pearson = pearsonr; spearman = spearmanr; null = NaN",
    "correlation": cases,
    "meanSe": mean_se,
    "zTest": z_tests,
    "normalSf": normal_sf,
}
OUT.write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n")
print(f"wrote {OUT} ({len(cases)} correlation cases)")
