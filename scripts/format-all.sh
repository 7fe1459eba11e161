#!/usr/bin/env bash
# One-off repo-wide reformat: eslint's autofixes, then prettier (last, so its layout wins), then the
# check that `npm run lint` (and so `npm test`) makes. Run from the repo root on a clean work tree and
# commit the result on its own, so that `git blame --ignore-rev` can skip it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain)" ] && [ "${1:-}" != "--dirty-ok" ]; then
  echo "the work tree has changes; commit them first (or pass --dirty-ok)" >&2
  exit 1
fi
npx eslint --fix .
npx prettier --write --log-level warn .
# Prettier is not always idempotent on long member chains: a second pass settles them.
npx prettier --write --log-level warn .
npm run lint
echo "formatted; review with 'git diff --stat', then commit"
