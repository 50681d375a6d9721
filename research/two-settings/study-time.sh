#!/usr/bin/env bash
# Wall time of the whole two-settings study (issue 22 item 4): every method, the four shared
# matrices, both settings, N = 20/30/40, TRIALS trials (default 10), seed 0, 2 workers — one
# `tb reproduce` per matrix × setting, run from the checkout CHECKOUT (default: this one), so an
# older commit can be timed on the same machine (git worktree add /tmp/old <commit>; pnpm install
# there). Writes OUT/<matrix>-<setting>.json and .txt and prints each run's wall seconds and the
# total; research/two-settings/study-time-table.ts turns one or two OUT folders into a table.
#   bash research/two-settings/study-time.sh OUT [CHECKOUT] [TRIALS]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
out=$(realpath -m "${1:?usage: study-time.sh OUT [CHECKOUT] [TRIALS]}")
checkout=${2:-$here}
trials=${3:-10}
data=$(realpath "${DATA:-$here/../shared/data}")
methods=tailored-plus,tailored,random,random-learn,random-search-learn,aipw,lasso,pca,double-optimize,anchor-points,anchor-predictor,gp-irt
mkdir -p "$out"
cd "$checkout"
t0=$(date +%s.%N)
for m in gsm8k helm_lite_mmlu glue_rte openllm_v2_musr; do
  for s in interpolation extrapolation; do
    a=$(date +%s.%N)
    pnpm -s tb reproduce --data "$data/$m" --split "$s" --methods "$methods" --budgets 20,30,40 \
      --trials "$trials" --seed 0 --workers 2 --json "$out/$m-$s.json" > "$out/$m-$s.txt"
    echo "$m $s $(echo "$(date +%s.%N) - $a" | bc) s"
  done
done
echo "total $(echo "$(date +%s.%N) - $t0" | bc) s"
