"""Summarise scripts/beyond-explore.ts output: MAE (mean ± se over trials) of each candidate.

    python3 scripts/beyond-explore.py /tmp/bx/*.jsonl             # every candidate, every cell
    python3 scripts/beyond-explore.py --rules /tmp/bx/w-*.jsonl  # the mode rules (runs made with --within)
"""
import json
import sys
from collections import defaultdict

import numpy as np

CANDS = ["built", "a10", "a100", "a1000", "strat", "obsMean", "rMean", "within"]


def main(paths):
    rows = [json.loads(l) for p in paths for l in open(p) if l.strip()]
    groups = defaultdict(list)
    for r in rows:
        groups[(r["data"], r["setting"], r["N"])].append(r)
    for key in sorted(groups):
        g = groups[key]
        trials = sorted({r["trial"] for r in g})
        out = []
        for c in CANDS + ["avg_a10_strat", "route75", "route90", "routemax"]:
            per = []
            for tr in trials:
                rs = [r for r in g if r["trial"] == tr]
                errs = []
                for r in rs:
                    v = value(r, c)
                    if v is None:
                        break
                    errs.append(abs(v - r["truth"]))
                else:
                    per.append(np.mean(errs))
            if len(per) == len(trials):
                per = np.array(per)
                out.append(f"{c}={1000*per.mean():.1f}±{1000*per.std(ddof=1)/np.sqrt(len(per)):.1f}")
        print(*key, " ".join(out))


def value(r, c):
    if c == "avg_a10_strat":
        return (r["a10"] + r["strat"]) / 2
    if c.startswith("route"):
        if "within" not in r:
            return None
        srcg = np.array(r["srcG"])
        thr = srcg.max() if c == "routemax" else np.quantile(srcg, int(c[5:]) / 100)
        return r["built"] if r["gScore"] >= thr else r["within"]
    return r.get(c)




RULES = {
    "0.75-quantile (default)": lambda x: x["gScore"] >= np.quantile(x["srcG"], 0.75),
    "0.9-quantile": lambda x: x["gScore"] >= np.quantile(x["srcG"], 0.9),
    "≥ the best source's": lambda x: x["gScore"] >= max(x["srcG"]),
    "> the best source's": lambda x: x["gScore"] > max(x["srcG"]),
    "never (within only)": lambda x: False,
}


def rules_table(paths):
    """Markdown: MAE × 1000 at each N of the routed estimate (beyond → 'built', else 'within')."""
    rows = [json.loads(l) for p in paths for l in open(p) if l.strip()]
    rows = [r for r in rows if "within" in r]
    keys = sorted({(r["data"], r["setting"]) for r in rows}, key=lambda k: (k[1], k[0]))
    print("| rule (beyond if the G-set score is …) | " + " | ".join(f"{d} {s[:6]}." for d, s in keys) + " |")
    print("|---|" + "---|" * len(keys))
    for name, rule in RULES.items():
        cells = []
        for d, s in keys:
            vals = []
            for N in sorted({r["N"] for r in rows}):
                g = [r for r in rows if r["data"] == d and r["setting"] == s and r["N"] == N]
                per = [
                    np.mean([abs((r["built"] if rule(r) else r["within"]) - r["truth"]) for r in g if r["trial"] == t])
                    for t in sorted({r["trial"] for r in g})
                ]
                vals.append(f"{1000 * np.mean(per):.0f}")
            frac = np.mean([rule(r) for r in rows if r["data"] == d and r["setting"] == s])
            cells.append("/".join(vals) + f" ({100 * frac:.0f} %)")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rules"]:
        rules_table(sys.argv[2:])
    else:
        main(sys.argv[1:])
