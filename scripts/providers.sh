#!/usr/bin/env bash
# Builds the Terraform providers this project uses from their Go modules (the Terraform Registry is
# unreachable here), lays them out as a filesystem mirror and writes a CLI config that serves only
# that mirror. Binaries are cached outside the repo by version: a warm run costs a second.
#   usage: scripts/providers.sh            prints the CLI config path on the last line
set -euo pipefail

cache="${REDIS_NET_CACHE:-$HOME/.cache/redis-net}"
mirror="$cache/mirror"
platform="$(go env GOOS)_$(go env GOARCH)"

# The providers, their versions and Go modules: one table, which scripts/force-new.sh reads too.
# shellcheck source=scripts/provider-modules.sh
source "$(dirname "$0")/provider-modules.sh"

build() {
  local name="$1" namespace="$2" version="$3" module="$4" modversion="$5"
  local bin="$cache/bin/terraform-provider-${name}_v${version}"
  if [[ ! -x "$bin" ]]; then
    echo "building $namespace/$name $version from $module@$modversion" >&2
    local work
    work="$(mktemp -d)"
    # A throwaway module that requires the provider: `go install pkg@version` would also ask the
    # proxy for the module's version list, which this proxy refuses.
    printf 'module providerbuild\n\ngo 1.24\n\nrequire %s %s\n' "$module" "$modversion" > "$work/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$module" > "$work/tools.go"
    (cd "$work" && GOFLAGS=-mod=mod go mod tidy && go build -trimpath -o "$bin.tmp.$$" "$module")
    mv "$bin.tmp.$$" "$bin"
    rm -rf "$work"
  fi
  # Under both registries' names: OpenTofu (scripts/terraform.sh) resolves sources to its own.
  for registry in registry.terraform.io registry.opentofu.org; do
    local dir="$mirror/$registry/$namespace/$name/$version/$platform"
    mkdir -p "$dir"
    # A terraform running beside this script (two rehearsals at once) must never see the link
    # missing (`ln -sf` unlinks first) nor a stray file in the package directory it hashes: the
    # link is changed only when wrong, made outside that directory and renamed into place.
    local link="$dir/terraform-provider-${name}_v${version}"
    if [[ "$(readlink "$link" 2>/dev/null)" != "$bin" ]]; then
      ln -sfn "$bin" "$mirror/.link.$$" && mv -Tf "$mirror/.link.$$" "$link"
    fi
  done
}

mkdir -p "$cache/bin" "$mirror"
for entry in "${providers[@]}"; do
  # shellcheck disable=SC2086
  build $entry
done

# Written aside and renamed into place, for the same reason: a truncated config read by a running
# terraform means no mirror, and terraform then asks the unreachable registry.
cat > "$cache/cli.tfrc.$$" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*", "registry.opentofu.org/*/*"]
  }
}
TFRC
mv -f "$cache/cli.tfrc.$$" "$cache/cli.tfrc"
echo "$cache/cli.tfrc"
