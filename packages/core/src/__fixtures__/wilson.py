"""Reference values for precision.test.ts: Wilson score intervals (with the finite-population
correction multiplying z^2 by (N - m)/(N - 1)) and Bonferroni look levels, from scipy's normal
quantile. Run: python3 wilson.py > wilson.json"""
import json
from math import sqrt
from scipy.stats import norm

def wilson(s, m, level, N=None):
    z2 = norm.ppf(0.5 + level / 2) ** 2
    if N is not None:
        z2 *= (N - m) / (N - 1)
    p = s / m
    den = 1 + z2 / m
    c = (p + z2 / (2 * m)) / den
    h = sqrt(z2) / den * sqrt(p * (1 - p) / m + z2 / (4 * m * m))
    return [max(0.0, c - h), min(1.0, c + h)]

cases = [(8, 10, 0.9, None), (0, 10, 0.9, None), (10, 10, 0.9, None), (3, 30, 0.95, None),
         (15, 30, 0.9, 100), (55, 200, 0.9, 277), (1, 20, 0.98, 1319)]
out = [{"sum": s, "m": m, "level": l, "population": N, "interval": wilson(s, m, l, N)} for s, m, l, N in cases]
# a 90 % interval reported at one of 5 looks: each look at 0.98, z = Phi^-1(0.99)
out.append({"lookLevel": [0.9, 5], "level": 0.98, "z": float(norm.ppf(0.99))})
print(json.dumps(out, indent=1))
