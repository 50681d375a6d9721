#!/bin/bash
# gp-IRT default vs --irt-early-stop, both settings, 4 matrices, 10 trials, N=20/30/40, 2 workers.
# Usage: bash research/gpirt-stop/run.sh OUT   (from the repository root, the CLI built)
OUT=${1:?an output directory}
mkdir -p "$OUT"
for m in glue_rte helm_lite_mmlu gsm8k openllm_v2_musr; do
  for s in interpolation extrapolation; do
    for v in default stop; do
      flag=""; [ $v = stop ] && flag="--irt-early-stop"
      /usr/bin/time -f "%e %U %M" -o $OUT/$m-$s-$v.time node apps/cli/dist/bin.js reproduce --data ../shared/data/$m --split $s --methods gp-irt --budgets 20,30,40 --trials 10 --seed 0 --workers 2 $flag --json $OUT/$m-$s-$v.json > $OUT/$m-$s-$v.txt 2>&1
      echo "$m $s $v $(cat $OUT/$m-$s-$v.time) load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
