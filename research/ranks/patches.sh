#!/usr/bin/env bash
# The scratch variants of docs/TAILORED-PLUS.md, "At 30 trials" (issue 20): each patch in
# research/ranks/patches/ is applied to a fresh worktree of HEAD, built, and run on the four shared
# matrices in both settings (tailored-plus, N = 20/30/40, 30 trials, seed 0, 2 workers). Records go
# to OUT/<patch>/<matrix>-<setting>.json, readable as tailored-plus cells of a reproduce JSON.
# The patches are research only: none is part of the packages.
#   bash research/ranks/patches.sh OUT [patch ...]   (from the repository root; ≈ 4 min a patch)
set -euo pipefail
here=$(pwd)
out=$(realpath -m "${1:?usage: patches.sh OUT [patch ...]}")
shift
data=$(realpath "${DATA:-../shared/data}")
patches=("$@")
if [ ${#patches[@]} -eq 0 ]; then patches=("$here"/research/ranks/patches/*.patch); fi
for p in "${patches[@]}"; do
  p=$(realpath "$p")
  name=$(basename "$p" .patch)
  wt=$(mktemp -d)
  git worktree add -q --detach "$wt" HEAD
  (
    cd "$wt"
    git apply "$p"
    pnpm install --frozen-lockfile --silent > /dev/null
    pnpm -s turbo run build --filter=@tb/cli... > /dev/null
    mkdir -p "$out/$name"
    for m in ${MATRICES:-gsm8k helm_lite_mmlu glue_rte openllm_v2_musr}; do
      for s in interpolation extrapolation; do
        node apps/cli/dist/bin.js reproduce --data "$data/$m" --split "$s" --methods tailored-plus \
          --budgets 20,30,40 --trials 30 --seed 0 --workers 2 --json "$out/$name/$m-$s.json" > /dev/null
      done
    done
  )
  git worktree remove --force "$wt"
  echo "$name done"
done
