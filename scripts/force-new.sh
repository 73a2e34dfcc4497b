#!/usr/bin/env bash
# Regenerates providers/force-new.json: the attributes whose change makes Terraform replace a
# resource, read from the providers' own Go schemas (ForceNew) by providers/force-new/main.go, for
# the types in providers/used-types.json; types it cannot read are listed as unknown.
# The synth diff (npm run diff) uses it to flag replacements.
# It is built once per provider, in a throwaway module that requires only that provider at the
# version scripts/providers.sh builds (scripts/provider-modules.sh): the same module graph, so Go's
# build cache serves the provider's compiled packages. One module for both providers selected
# other versions of their shared dependencies and compiled the google provider again (250 s cold).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/provider-modules.sh
source "$root/scripts/provider-modules.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

built=()
for entry in "${providers[@]}"; do
  read -r name namespace _ module modversion <<<"$entry"
  # A provider without a file here has no SDKv2 schema to read (random: plugin framework).
  [[ -f "$root/providers/force-new/$name.go" ]] || continue
  dir="$work/$name"
  mkdir -p "$dir"
  printf 'module forcenew\n\ngo 1.24\n\nrequire %s %s\n' "$module" "$modversion" > "$dir/go.mod"
  cp "$root/providers/force-new/main.go" "$root/providers/force-new/$name.go" "$dir/"
  (cd "$dir" && GOFLAGS=-mod=mod go mod tidy && go build -trimpath -o force-new .)
  "$dir/force-new" "$root/providers/used-types.json" > "$dir/report.json"
  built+=("registry.terraform.io/$namespace/$name $module@$modversion $dir/report.json")
done

# One table: each provider's report, and every type of a provider not read listed as unknown.
node -e '
  const fs = require("fs");
  const used = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const built = process.argv.slice(2).map((line) => line.split(" "));
  const resources = {};
  const unknown = [];
  for (const [, , report] of built) {
    const read = JSON.parse(fs.readFileSync(report, "utf8"));
    Object.assign(resources, read.resources);
    unknown.push(...read.unknown);
  }
  for (const [source, { resources: types }] of Object.entries(used)) if (!built.some(([s]) => s === source)) unknown.push(...types);
  const sorted = Object.fromEntries(Object.keys(resources).sort().map((k) => [k, resources[k]]));
  console.log(JSON.stringify({ generatedFrom: built.map(([, version]) => version), resources: sorted, unknown: unknown.sort() }, null, 2));
' "$root/providers/used-types.json" "${built[@]}" > "$work/force-new.json"
mv "$work/force-new.json" "$root/providers/force-new.json"
echo "wrote providers/force-new.json"
