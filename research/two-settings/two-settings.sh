#!/usr/bin/env bash
# Every method on every matrix of ../shared/data in BenchPred's two settings (interpolation,
# extrapolation), N = 20, 30, 40, TRIALS trials (default 10), seed 0. Writes
# docs/results/settings/<matrix>-<setting>[-<tag>].json and .svg; docs/RESULTS.md's tables come
# from those files through research/two-settings/settings-table.ts. SETTINGS="extrapolation" limits the settings;
# LEVEL=0.9 asks every method for intervals at that level (TailoredBench gives them only then).
#   bash research/two-settings/two-settings.sh [tag] [methods] [trials]
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:-}
methods=${2:-tailored-plus,tailored,random,random-learn,random-search-learn,aipw,anchor-points,gp-irt}
trials=${3:-10}
data=${DATA:-../shared/data}
for m in gsm8k helm_lite_mmlu glue_rte openllm_v2_musr; do
  for s in ${SETTINGS:-interpolation extrapolation}; do
    out=docs/results/settings/$m-$s${tag:+-$tag}
    pnpm -s tb reproduce --data "$data/$m" --split "$s" --methods "$methods" --budgets 20,30,40 \
      --trials "$trials" --seed 0 --workers 2 ${LEVEL:+--level "$LEVEL"} --json "$out.json" --plot "$out.svg" > "$out.txt"
    tail -1 "$out.txt"
  done
done
