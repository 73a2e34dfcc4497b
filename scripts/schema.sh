#!/usr/bin/env bash
# Refreshes providers/schema/ from the real provider: builds it into the local mirror, lets
# `cdktf get` read its schema through `terraform init` (a schema-cache miss), then keeps only the
# resource types this project uses, so the committed schema stays small and reviewable.
set -euo pipefail
cd "$(dirname "$0")/.."

export TF_CLI_CONFIG_FILE="$(scripts/providers.sh | tail -n 1)"
export CHECKPOINT_DISABLE=1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npx cdktf get --experimental-provider-schema-cache-path "$work" --output "$work/gen" >/dev/null

node scripts/filter-schema.js "$work" providers/schema
