#!/usr/bin/env bash
# Refreshes providers/schema/ from the real providers: builds them into the local mirror, asks
# Terraform for each one's schema (`terraform providers schema -json`, what `cdktf get` reads), and
# keeps only the resource types this project uses, so the committed schemas stay small and
# reviewable. `cdktf get` itself would also generate bindings for every type of the provider
# (google has over a thousand), so the schema is read directly.
set -euo pipefail
cd "$(dirname "$0")/.."

export TF_CLI_CONFIG_FILE="$(scripts/providers.sh | tail -n 1)"
export CHECKPOINT_DISABLE=1
cli="$(scripts/terraform.sh)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for constraint in $(node -p 'require("./cdktf.json").terraformProviders.join(" ")'); do
  source="${constraint%@*}"; name="${source#*/}"; version="${constraint#*@}"
  dir="$work/init-$name"
  mkdir -p "$dir"
  printf '{"terraform":{"required_providers":{"%s":{"source":"%s","version":"%s"}}}}\n' "$name" "$source" "$version" > "$dir/main.tf.json"
  (cd "$dir" && "$cli" init -input=false -backend=false >/dev/null && "$cli" providers schema -json > schema.json)
  # The file name and provider_versions are what cdktf's schema cache holds (see scripts/get.sh);
  # OpenTofu names its own registry, which the bindings do not care about.
  node -e '
    const [file, out, source, version] = process.argv.slice(1);
    const schema = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const rename = (key) => key.replace(/^registry\.opentofu\.org\//, "registry.terraform.io/");
    schema.provider_schemas = Object.fromEntries(Object.entries(schema.provider_schemas).map(([k, v]) => [rename(k), v]));
    schema.provider_versions = { [`registry.terraform.io/${source}`]: version };
    require("fs").writeFileSync(out, JSON.stringify(schema));
  ' "$dir/schema.json" "$work/$name@$version.json" "$source" "$version"
done

node scripts/filter-schema.js "$work" providers/schema
