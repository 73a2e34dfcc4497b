#!/usr/bin/env bash
# npm run mutate [-- --tests <layer>] [-- StrykerJS options]: mutation testing of the app against the
# fast tier (docs/proof.md). StrykerJS 10 needs Node.js >= 22, which scripts/node.sh brings.
# Incremental: reports/mutation/incremental.json remembers each mutant's verdict, so a run after a
# small change tests only the mutants in what changed and in the tests that cover it. `--force`
# runs them all. `--tests <layer>` runs only __tests__/fast/<layer>/ against each mutant, a quick
# lower bound (what another layer's tests would kill counts as surviving), with its verdicts in
# reports/mutation/incremental-<layer>.json, apart from the whole tier's.
set -euo pipefail
cd "$(dirname "$0")/.."
incremental=()
if [[ "${1:-}" == "--tests" ]]; then
  layer="${2:-}"
  if [[ ! "$layer" =~ ^[a-z]+$ || ! -d "__tests__/fast/$layer" ]]; then
    echo "npm run mutate: --tests '$layer': must name a folder of __tests__/fast/ ($(cd __tests__/fast && echo *))" >&2
    exit 2
  fi
  export REDIS_NET_MUTATE_TESTS="$layer"
  incremental=(--incrementalFile "reports/mutation/incremental-$layer.json")
  shift 2
fi
bin="$(bash scripts/node.sh 22)"
PATH="$bin:$PATH" exec node node_modules/@stryker-mutator/core/bin/stryker.js run scripts/mutate/stryker.config.json "${incremental[@]}" "$@"
