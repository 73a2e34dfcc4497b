#!/usr/bin/env bash
# Runs a jest tier and fails if any of its tests was skipped. CI installs every tool the tiers use
# first, so a skip there means a tool went missing, never a test that may be left out.
#   usage: scripts/no-skips.sh <tier> <command ...>    e.g. scripts/no-skips.sh fast npm test --
# The command ends where jest's own arguments go: `--json --outputFile=<file>` are added after it.
set -euo pipefail
if [[ $# -lt 2 || ! "$1" =~ ^(fast|real)$ ]]; then
  echo "usage: scripts/no-skips.sh fast|real <command ...> (the tier was '${1:-}')" >&2
  exit 2
fi
tier="$1"
shift
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
# The summary is printed after a failed run too; the run's own failure then decides the exit.
status=0
"$@" --json --outputFile="$report" || status=$?
[[ -s "$report" ]] || { echo "$tier tier: jest wrote no report (exit $status)" >&2; exit "$(( status ? status : 1 ))"; }
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`jest ${process.argv[2]} on Node ${process.versions.node}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
if (r.numPendingTests) console.error(`${process.argv[2]} tier: ${r.numPendingTests} tests skipped; every tool they need is installed here, so none may skip`);
process.exit(r.numPendingTests ? 1 : 0);
' "$report" "$tier" || status=$(( status ? status : 1 ))
exit "$status"
