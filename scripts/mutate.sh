#!/usr/bin/env bash
# npm run mutate [-- StrykerJS options]: mutation testing of the app against the fast tier
# (docs/proof.md). StrykerJS 10 needs Node.js >= 22, which scripts/node.sh brings. Incremental:
# reports/mutation/incremental.json remembers each mutant's verdict, so a run after a small change
# tests only the mutants in what changed and in the tests that cover it. `--force` runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(bash scripts/node.sh 22)"
PATH="$bin:$PATH" exec node node_modules/@stryker-mutator/core/bin/stryker.js run scripts/mutate/stryker.config.json "$@"
