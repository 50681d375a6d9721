"""Tables of docs/results/ranks30 (research/ranks/trials30.sh): mean ± se over 30 trials.

    python3 research/ranks/table30.py
"""
import json
from pathlib import Path

root = Path(__file__).resolve().parents[2] / "docs" / "results" / "ranks30"
MATRICES = ["gsm8k", "helm_lite_mmlu", "glue_rte", "openllm_v2_musr"]


def cell(r, key):
    v = r[key]
    return f"{v['mean']:.3f} ± {v['se']:.3f}" if key != "mae" else f"{v['mean']:.4f} ± {v['se']:.4f}"


def pair(r):
    s = r["pairOrder"]["share"]
    return f"{s['mean']:.3f} ± {s['se']:.3f}"


print("| matrix | setting | N | τ-b tailored-plus | τ-b Random | τ-b ≥ Random − .02 | MAE tailored-plus | MAE Random | MAE ratio | pair order tailored-plus | pair order Random |")
print("|---|---|--:|---|---|---|---|---|--:|---|---|")
met = 0
cells = 0
for s in ["interpolation", "extrapolation"]:
    for m in MATRICES:
        res = {(r["method"], r["budget"]): r for r in json.loads((root / f"{m}-{s}.json").read_text())["results"]}
        for n in (20, 30, 40):
            p, q = res[("tailored-plus", n)], res[("random", n)]
            ok = p["kendallTau"]["mean"] >= q["kendallTau"]["mean"] - 0.02
            met += ok
            cells += 1
            ratio = p["mae"]["mean"] / q["mae"]["mean"]
            print(f"| {m} | {s} | {n} | {cell(p, 'kendallTau')} | {cell(q, 'kendallTau')} | {'yes' if ok else '**no**'} | {cell(p, 'mae')} | {cell(q, 'mae')} | {ratio:.2f} | {pair(p)} | {pair(q)} |")
print(f"\nτ-b ≥ Random's − 0.02 in {met} of {cells} cells.\n")
print("| matrix | N | tailored-plus τ-b / MAE | second look off | every target beyond | Random |")
print("|---|--:|---|---|---|---|")
for m in MATRICES:
    base = {(r["method"], r["budget"]): r for r in json.loads((root / f"{m}-extrapolation.json").read_text())["results"]}
    look0 = {r["budget"]: r for r in json.loads((root / f"extrapolation-look0-{m}.json").read_text())["results"]}
    beyond = {r["budget"]: r for r in json.loads((root / f"extrapolation-beyond-{m}.json").read_text())["results"]}
    for n in (20, 30, 40):
        cols = [base[("tailored-plus", n)], look0[n], beyond[n], base[("random", n)]]
        print(f"| {m} | {n} | " + " | ".join(f"{cell(r, 'kendallTau')} / {cell(r, 'mae')}" for r in cols) + " |")
