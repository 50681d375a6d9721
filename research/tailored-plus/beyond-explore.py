"""Summarise research/tailored-plus/beyond-explore.ts output: MAE (mean ± se over trials) of each candidate.

    python3 research/tailored-plus/beyond-explore.py /tmp/bx/*.jsonl             # every candidate, every cell
    python3 research/tailored-plus/beyond-explore.py --rules /tmp/bx/w-*.jsonl  # the mode rules (runs made with --within)
    python3 research/tailored-plus/beyond-explore.py --check /tmp/bx/c-*.jsonl  # the check rules (--within --check 6)
    python3 research/tailored-plus/beyond-explore.py --seq /tmp/bx/t3-*.jsonl     # the second look (--within --seq f)
    python3 research/tailored-plus/beyond-explore.py --within-intervals /tmp/bx/b-*.jsonl  # (--within --blend)
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


def _amb(x):
    return x["gScore"] >= np.quantile(x["srcG"], 0.75)


def _checked(x, beyond):
    """Route a checked target: beyond → 'built'; within → the N-set with G + check fixed."""
    if not _amb(x):
        return x["within"]
    return x["built"] if beyond else x["within2"]


CHECK_RULES = {
    "0.75-quantile of the G-set scores (as built; no check)": lambda x: x["built"] if _amb(x) else x["within"],
    "within only (no check)": lambda x: x["within"],
    "every target checked: G + check score ≥ 0.75-quantile of the sources' on the same examples": lambda x: (
        x["built"] if x["cScore"] >= np.quantile(x["srcC"], 0.75) else x["within2"]
    ),
    "checked if G ≥ 0.75-quantile; beyond if the G + check score is too": lambda x: _checked(
        x, x["cScore"] >= np.quantile(x["srcC"], 0.75)
    ),
    "checked if G ≥ 0.75-quantile; beyond if G + check ≥ the 0.9-quantile": lambda x: _checked(
        x, x["cScore"] >= np.quantile(x["srcC"], 0.9)
    ),
    "checked if G ≥ 0.75-quantile; beyond if the design estimate on G + check is above the best source's accuracy": lambda x: _checked(
        x, x["cDesign"] > x["srcAccMax"]
    ),
    "checked if G ≥ 0.75-quantile; beyond if the design estimate on G + check is above the learned one": lambda x: _checked(
        x, x["cDesign"] > x["cLearn"]
    ),
    "the same, or the G + check score above every source's": lambda x: _checked(
        x, x["cDesign"] > x["srcAccMax"] or x["cScore"] > max(x["srcC"])
    ),
}


def rule_table(paths, rules):
    """Markdown: MAE × 1000 at N = 20/30/40 of each routing rule, one column per matrix and setting."""
    rows = [json.loads(l) for p in paths for l in open(p) if l.strip()]
    keys = sorted({(r["data"], r["setting"]) for r in rows})
    print("| rule | " + " | ".join(f"{d} {s[:6]}." for d, s in keys) + " |")
    print("|---|" + "---|" * len(keys))
    for name, rule in rules.items():
        cells = []
        for d, s in keys:
            vals = []
            for N in sorted({r["N"] for r in rows}):
                g = [r for r in rows if r["data"] == d and r["setting"] == s and r["N"] == N]
                per = [np.mean([abs(rule(r) - r["truth"]) for r in g if r["trial"] == t]) for t in sorted({r["trial"] for r in g})]
                vals.append(f"{1000 * np.mean(per):.0f}")
            cells.append("/".join(vals))
        print(f"| {name} | " + " | ".join(cells) + " |")

def _seq(x, key):
    """G-set below the upper quartile → within; else the second look's score decides (same quartile)."""
    if not _amb(x):
        return x["within"]
    return x[key] if x["sScore"] >= np.quantile(x["srcS"], 0.75) else x["seqWithin"]


SEQ_RULES = {
    "G-set only (before)": lambda x: x["built"] if _amb(x) else x["within"],
    "second look, pooled": lambda x: _seq(x, "seqBeyond"),
    "second look, G only pooled": lambda x: _seq(x, "seqBeyondG"),
    "within only": lambda x: x["within"],
}


def within_intervals(paths):
    """Coverage of the within targets' conformal intervals with the scale from each group of sources,
    and the share of within targets at or above the sources' 90th percentile on their coreset
    (records made with --within --blend)."""
    rows = [json.loads(l) for p in paths for l in open(p) if l.strip()]
    keys = sorted({(r["data"], r["setting"]) for r in rows})
    for d, s in keys:
        g = [r for r in rows if r["data"] == d and r["setting"] == s and not _amb(r)]
        if not g:
            continue
        out = []
        for k in ("hwAll", "hwNat", "hwNonNat", "hwLow"):
            hw = [r[k] if r[k] is not None else float("inf") for r in g]
            cov = np.mean([abs(r["within"] - r["truth"]) <= h for r, h in zip(g, hw)])
            out.append(f"{k} {100 * cov:.0f} %")
        top = np.mean([r["nScore"] >= np.quantile(r["srcN"], 0.9) for r in g])
        print(f"{d} {s} ({len(g)} within targets): " + ", ".join(out) + f"; coreset score ≥ sources' q90: {100 * top:.0f} %")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rules"]:
        rules_table(sys.argv[2:])
    elif sys.argv[1:2] == ["--check"]:
        rule_table(sys.argv[2:], CHECK_RULES)  # records made with --within --check r
    elif sys.argv[1:2] == ["--seq"]:
        rule_table(sys.argv[2:], SEQ_RULES)  # records made with --within --seq f
    elif sys.argv[1:2] == ["--within-intervals"]:
        within_intervals(sys.argv[2:])
    else:
        main(sys.argv[1:])
