#!/usr/bin/env bash
# Runs `changeset version` on a scratch copy of the workspace manifests and .changeset/, so a
# changeset that would break the release (a mixed changeset naming an ignored package, an unknown
# package name, a published package depending on an ignored one) fails CI instead of the release.
# The repository itself is not touched.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$root"
# Only what `changeset version` reads: the workspace layout, every package.json, .changeset/.
for f in package.json pnpm-workspace.yaml; do cp "$f" "$scratch/"; done
cp -r .changeset "$scratch/.changeset"
for manifest in packages/*/package.json apps/*/package.json examples/package.json scripts/package.json research/package.json; do
  [ -f "$manifest" ] || continue
  mkdir -p "$scratch/$(dirname "$manifest")"
  cp "$manifest" "$scratch/$manifest"
done
# The changelog generator named in config.json is resolved from the scratch root.
ln -s "$root/node_modules" "$scratch/node_modules"
cd "$scratch"
"$root/node_modules/.bin/changeset" version
left=$(find .changeset -name '*.md' ! -name README.md | wc -l)
if [ "$left" -ne 0 ]; then
  echo "check-changesets: $left changeset file(s) were not consumed by changeset version" >&2
  exit 1
fi
echo "check-changesets: changeset version succeeded on a scratch copy"
