#!/usr/bin/env bash
# Larger budgets (issue 21, item 2): every method at N = 100 and 300 in BenchPred's two settings,
# TRIALS trials (default 10), seed 0; glue_rte has 277 examples, so N = 100 only there. gp-IRT runs
# in its own pass (tag gpirt). Writes docs/results/large/<matrix>-<setting>[-<tag>].{json,txt};
# docs/RESULTS.md's tables come from research/two-settings/large-table.ts, which reads the untagged
# file first and lets a tagged one's cells of a method replace it (`large.sh plus tailored-plus`
# re-runs tailored-plus after a change to it).
#   bash research/two-settings/large.sh [tag] [methods] [trials]
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:-}
methods=${2:-tailored-plus,tailored,random,random-learn,random-search-learn,aipw,anchor-points,lasso,pca,double-optimize,anchor-predictor}
trials=${3:-10}
data=${DATA:-../shared/data}
mkdir -p docs/results/large
for m in glue_rte helm_lite_mmlu gsm8k openllm_v2_musr; do
  for s in ${SETTINGS:-interpolation extrapolation}; do
    budgets=100,300
    [ "$m" = glue_rte ] && budgets=100
    out=docs/results/large/$m-$s${tag:+-$tag}
    pnpm -s tb reproduce --data "$data/$m" --split "$s" --methods "$methods" --budgets "$budgets" \
      --trials "$trials" --seed 0 --workers "${WORKERS:-1}" --json "$out.json" > "$out.txt"
    tail -1 "$out.txt"
  done
done
