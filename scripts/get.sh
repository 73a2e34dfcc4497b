#!/usr/bin/env bash
# Generates the typed provider bindings in .gen/ with `cdktf get`, reading the provider schemas
# committed in providers/schema/ instead of running `terraform init`: offline and reproducible.
set -euo pipefail
cd "$(dirname "$0")/.."

for constraint in $(node -p 'require("./cdktf.json").terraformProviders.join(" ")'); do
  name="${constraint#*/}"; name="${name%@*}"; version="${constraint#*@}"
  if [[ ! -f "providers/schema/$name@$version.json" ]]; then
    echo "providers/schema/$name@$version.json is missing for $constraint in cdktf.json: run npm run schema" >&2
    exit 1
  fi
done

# No provider is installed here; an empty CLI config keeps a missing ~/.terraformrc from warning.
TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 npx cdktf get --force --silent --experimental-provider-schema-cache-path providers/schema
