#!/usr/bin/env bash
# Regenerates providers/force-new.json: the attributes whose change makes Terraform replace a
# resource, read from the providers' own Go schemas (ForceNew) by providers/force-new/main.go, for
# the types in providers/used-types.json; types it cannot read are listed as unknown.
# The synth diff (npm run diff) uses it to flag replacements.
set -euo pipefail
cd "$(dirname "$0")/../providers/force-new"
bin="$(mktemp -d)/force-new"
go build -o "$bin" .
versions="$(go list -m -f '{{.Path}}@{{.Version}}' github.com/hashicorp/terraform-provider-google github.com/scaleway/terraform-provider-scaleway/v2 | paste -sd ' ')"
"$bin" ../used-types.json | node -e '
  let input = ""; process.stdin.on("data", (d) => (input += d)).on("end", () => {
    const { resources, unknown } = JSON.parse(input);
    const sorted = Object.fromEntries(Object.keys(resources).sort().map((k) => [k, resources[k]]));
    console.log(JSON.stringify({ generatedFrom: process.argv[1].split(" "), resources: sorted, unknown }, null, 2));
  });' "$versions" > ../force-new.json
rm -rf "$(dirname "$bin")"
echo "wrote providers/force-new.json"
