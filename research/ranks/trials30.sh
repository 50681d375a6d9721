#!/usr/bin/env bash
# Issue 20's rank check at 30 trials (the tables of docs/RESULTS.md have 10): tailored-plus and
# Random in both settings on the four shared matrices, N = 20/30/40, seed 0 (trials 0–9 are the
# 10-trial tables' trials), and on extrapolation tailored-plus without its second look and with
# every target forced beyond. Writes docs/results/ranks30/; research/ranks/table30.py prints the table.
#   bash research/ranks/trials30.sh   (from the repository root, after pnpm build; ≈ 5 min on 2 cores)
set -euo pipefail
data=$(realpath "${DATA:-../shared/data}")
out=docs/results/ranks30
mkdir -p "$out"
tb() { node apps/cli/dist/bin.js reproduce "$@" --budgets 20,30,40 --trials 30 --seed 0 --workers 2 > /dev/null; }
for m in gsm8k helm_lite_mmlu glue_rte openllm_v2_musr; do
  for s in interpolation extrapolation; do
    tb --data "$data/$m" --split "$s" --methods tailored-plus,random --json "$out/$m-$s.json"
  done
  tb --data "$data/$m" --split extrapolation --methods tailored-plus --second-look 0 --json "$out/extrapolation-look0-$m.json"
  tb --data "$data/$m" --split extrapolation --methods tailored-plus --plus-mode beyond --json "$out/extrapolation-beyond-$m.json"
done
