#!/usr/bin/env bash
# The packages as a user meets them: pack every published package (its prepack builds it), install
# the tarballs with plain npm in an empty folder outside the workspace, run a small ESM pipeline
# with kmedoids() and evaluate(), and run `tb demo` from the installed CLI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/app"
start=$SECONDS

# 1. Pack every non-private workspace package.
for manifest in "$root"/packages/*/package.json "$root"/apps/*/package.json; do
  dir="$(dirname "$manifest")"
  if node -e 'process.exit(require(process.argv[1]).private ? 0 : 1)' "$manifest"; then continue; fi
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
for t in "$work"/tarballs/*.tgz; do
  tar tzf "$t" > "$work/list" # (not piped into grep -q: its early exit would fail the pipe)
  if ! grep -q '^package/dist/' "$work/list"; then
    echo "check-packed: $(basename "$t") has no dist/" >&2
    exit 1
  fi
  if ! grep -q '^package/LICENSE$' "$work/list"; then
    echo "check-packed: $(basename "$t") has no LICENSE" >&2
    exit 1
  fi
done
echo "check-packed: packed $(ls "$work"/tarballs | wc -l) packages ($((SECONDS - start)) s)"

# 2. Install them with npm in an empty folder (no workspace, no pnpm).
cd "$work/app"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz >/dev/null
echo "check-packed: npm installed the tarballs ($((SECONDS - start)) s)"

# 3. A user's pipeline: pick a coreset with kmedoids(), estimate a model with evaluate().
cat > pipeline.mjs <<'JS'
import assert from "node:assert/strict";
import { evaluate } from "@tb/estimate";
import { isTbError, kmedoids } from "@tb/kmedoids";

// kmedoids on six points on a line: medoids 1 and 4 (by hand), cost 4
const xs = [0, 1, 2, 10, 11, 12];
const d = xs.map((a) => xs.map((b) => Math.abs(a - b)));
const km = kmedoids(d, 2, { seed: 0 });
assert.deepEqual([...km.medoids].sort(), [1, 4]);
assert.equal(km.cost, 4);
// an asymmetric matrix is refused with a TbError that isTbError recognises
d[0][1] = 5;
assert.throws(() => kmedoids(d, 2), (e) => isTbError(e) && e.code === "E_INPUT");

// evaluate(): 30 source models × 120 examples, a hidden model answering through `ask`
let s = 12345;
const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const hard = Array.from({ length: 120 }, rand);
const sim = (skill) => hard.map((h) => (rand() < 1 / (1 + Math.exp(8 * (h - skill))) ? 1 : 0));
const sources = Array.from({ length: 30 }, (_, m) => sim(0.2 + (0.6 * m) / 30));
const mine = sim(0.5);
let asked = 0;
const r = await evaluate(sources, (ids) => { asked += ids.length; return ids.map((id) => mine[Number(id)]); }, { budget: 25, seed: 0 });
const truth = mine.reduce((a, b) => a + b, 0) / mine.length;
assert.equal(asked, 25);
assert.ok(r.interval[0] <= r.accuracy && r.accuracy <= r.interval[1]);
assert.ok(Math.abs(r.accuracy - truth) < 0.2, `estimate ${r.accuracy} far from ${truth}`);
console.log(`pipeline: kmedoids cost ${km.cost}; evaluate ${r.accuracy.toFixed(3)} [${r.interval.map((x) => x.toFixed(3)).join(", ")}], true ${truth.toFixed(3)}`);
JS
node pipeline.mjs

# 4. The installed CLI, small and fast.
npx --no-install tb demo --trials 2 --budgets 20 --workers 2 > demo.txt
grep -q "tailored" demo.txt || { echo "check-packed: tb demo printed no results" >&2; cat demo.txt >&2; exit 1; }
tail -n 8 demo.txt
echo "check-packed: done in $((SECONDS - start)) s"
