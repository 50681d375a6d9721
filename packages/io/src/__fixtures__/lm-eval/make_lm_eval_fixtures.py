"""Write small lm-evaluation-harness --log_samples outputs, one folder per harness version, the
way each version's writer lays them out (read from the harness source: lm_eval/__main__.py of
0.4.0-0.4.2, lm_eval/loggers/evaluation_tracker.py of main in May/June 2024 and of 0.4.3 on,
lm_eval/evaluator.py for the keys of a sample). Also the aggregate each run's results file would
report (mean of the per-sample metric per task and filter), which the importer must reproduce.

Run: python3 make_lm_eval_fixtures.py   (deterministic; rewrites ./out)

Layouts:
  v0.4.0     <out>/<model>/results.json + <model_args with / and = as __>_<task>.jsonl, ONE
             pretty-printed JSON array (json.dumps(indent=2)); no filter/metrics keys; a task
             with several filters logs every doc once per filter, filter after filter.
  main-2024-05  <out>/<org__model>/samples_<task>_<date>.json, a pretty-printed JSON array;
             results_<date>.json.
  main-2024-06  same names (.json), JSON lines.
  v0.4.3     samples_<task>_<date>.jsonl, JSON lines, doc_hash/prompt_hash/target_hash, no
             filter/metrics keys; model "org__model-c" ran on two GPUs (each rank's filter
             blocks in turn).
  v0.4.9     as v0.4.3 plus "filter" and "metrics" on every line.
"""
import hashlib
import json
import random
import shutil
from pathlib import Path

OUT = Path(__file__).parent / "out"
MODELS = ["org__model-a", "org__model-b", "org__model-c"]
DATE = "2024-06-26T17-18-49.123456"
# task -> (filters, metric keys per sample, number of docs)
TASKS = {
    "gsm8k": (["strict-match", "flexible-extract"], ["exact_match"], 7),
    "boolq": (["none"], ["acc"], 5),
    "hellaswag": (["none"], ["acc", "acc_norm"], 6),
    # a group whose leaves use different metrics (bigbench-like theory of mind)
    "tom_belief": (["none"], ["acc"], 4),
    "tom_intention": (["none"], ["exact_match"], 3),
}


def h(s):
    return hashlib.sha256(s.encode()).hexdigest()


def outcomes(rng):
    """model -> task -> filter -> doc -> {metric: value}."""
    res = {}
    for m in MODELS:
        res[m] = {}
        for task, (filters, metrics, n) in TASKS.items():
            res[m][task] = {}
            for f in filters:
                res[m][task][f] = {
                    d: {k: float(rng.random() < 0.6) for k in metrics} for d in range(n)
                }
    return res


def sample(task, doc, f, vals, version):
    """One logged sample as evaluator.py builds it (doc, target, arguments, resps, …, metrics)."""
    s = {
        "doc_id": doc,
        "doc": {"question": f"{task} question {doc}", "answer": "42"},
        "target": "42" if task != "boolq" else 1,
        "arguments": [[f"Q: {task} {doc}\nA:", {"until": ["\n"]}]],
        "resps": [["the answer is 42"]],
        "filtered_resps": ["42" if f != "none" else "x"],
    }
    if version in ("v0.4.3", "v0.4.9"):
        s["arguments"] = {"gen_args_0": {"arg_0": f"Q: {task} {doc}\nA:", "arg_1": {"until": ["\n"]}}}
    if version == "v0.4.9":
        s["filter"] = f
        s["metrics"] = list(vals.keys())
    if version in ("v0.4.3", "v0.4.9"):
        s["doc_hash"] = h(f"{task}{doc}")
        s["prompt_hash"] = h(f"p{task}{doc}")
        s["target_hash"] = h("42")
    s.update(vals)  # example.update(metrics)
    return s


def logged(m, task, res, version, ranks=1):
    """Samples in the order the harness logs them: per filter, docs in order; with several ranks,
    rank r holds docs r, r+ranks, … and the ranks' lists are concatenated."""
    filters, _, n = TASKS[task]
    per_rank = []
    for r in range(ranks):
        out = []
        for f in filters:
            for d in range(r, n, ranks):
                out.append(sample(task, d, f, res[m][task][f][d], version))
        per_rank.append(out)
    return [s for part in per_rank for s in part]


def results_file(m, res, model_args):
    results, configs = {}, {}
    for task, (filters, metrics, n) in TASKS.items():
        results[task] = {"alias": task}
        for f in filters:
            for k in metrics:
                vals = [res[m][task][f][d][k] for d in range(n)]
                results[task][f"{k},{f}"] = sum(vals) / len(vals)
        cfg = {"task": task, "metric_list": [{"metric": k, "aggregation": "mean"} for k in metrics]}
        if filters != ["none"]:
            cfg["filter_list"] = [{"name": f, "filter": [{"function": "take_first"}]} for f in filters]
        configs[task] = cfg
    return {"results": results, "configs": configs, "config": {"model": "hf", "model_args": model_args}}


def main():
    rng = random.Random(13)
    res = outcomes(rng)
    if OUT.exists():
        shutil.rmtree(OUT)
    expected = {}
    for version in ("v0.4.0", "main-2024-05", "main-2024-06", "v0.4.3", "v0.4.9"):
        for m in MODELS:
            d = OUT / version / m
            d.mkdir(parents=True)
            model_args = f"pretrained={m.replace('__', '/')},dtype=float32"
            rf = results_file(m, res, model_args)
            expected.setdefault(m, rf["results"])
            if version == "v0.4.0":
                (d / "results.json").write_text(json.dumps(rf, indent=2), encoding="utf-8")
            else:
                (d / f"results_{DATE}.json").write_text(json.dumps(rf, indent=2), encoding="utf-8")
            for task in TASKS:
                ranks = 2 if (version == "v0.4.3" and m == "org__model-c") else 1
                samples = logged(m, task, res, version, ranks)
                if version == "v0.4.0":
                    name = "{}_{}".format(model_args.replace("/", "__").replace("=", "__"), task)
                    (d / f"{name}.jsonl").write_text(json.dumps(samples, indent=2, ensure_ascii=False), encoding="utf-8")
                elif version == "main-2024-05":
                    (d / f"samples_{task}_{DATE}.json").write_text(
                        json.dumps(samples, indent=2, ensure_ascii=False), encoding="utf-8"
                    )
                else:
                    ext = "json" if version == "main-2024-06" else "jsonl"
                    with open(d / f"samples_{task}_{DATE}.{ext}", "a", encoding="utf-8") as fh:
                        for s in samples:
                            fh.write(json.dumps(s, ensure_ascii=False) + "\n")
    (OUT / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
