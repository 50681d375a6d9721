#!/usr/bin/env bash
# Precision on demand (issue 21, item 1): tailored-plus and sequential random sampling at
# P = 0.05 and 0.03, 90 %, from N = 30 up to M = min(800, examples), 10 trials, seed 0, both
# settings, the four shared matrices. Writes docs/results/precision/<matrix>-<setting>-p<P>.json;
# docs/RESULTS.md's table comes from research/precision/precision-table.ts.
#   bash research/precision/precision.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${DATA:-../shared/data}
declare -A M=([gsm8k]=800 [helm_lite_mmlu]=567 [glue_rte]=277 [openllm_v2_musr]=756)
mkdir -p docs/results/precision
for m in gsm8k helm_lite_mmlu glue_rte openllm_v2_musr; do
  for s in interpolation extrapolation; do
    for p in 0.05 0.03; do
      pnpm -s tb reproduce --data "$data/$m" --split "$s" --methods tailored-plus,random --budgets 30 \
        --trials 10 --seed 0 --level 0.9 --precision "$p" --max-budget "${M[$m]}" --workers "${WORKERS:-2}" \
        --json "docs/results/precision/$m-$s-p$p.json" > /dev/null
      echo "$m $s $p done"
    done
  done
done
