#!/usr/bin/env bash
# Prints the path of the Terraform CLI the proof runs: `terraform` on PATH, or, where there is none,
# OpenTofu built from its Go module (the Terraform Registry and HashiCorp's downloads are out of
# reach here), cached outside the repo by version.
set -euo pipefail
if command -v terraform >/dev/null 2>&1; then
  command -v terraform
  exit 0
fi
version=v1.12.6
cache="${REDIS_NET_CACHE:-$HOME/.cache/redis-net}"
bin="$cache/bin/tofu_$version"
if [[ ! -x "$bin" ]]; then
  echo "no terraform on PATH: building OpenTofu $version from github.com/opentofu/opentofu" >&2
  # Built as the main module, from a copy of its source: OpenTofu's go.mod replaces hcl with its
  # fork, and a replace only applies in the main module.
  src="$(go mod download -json "github.com/opentofu/opentofu@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  work="$(mktemp -d)"
  cp -r "$src/." "$work"
  chmod -R u+w "$work"
  mkdir -p "$cache/bin"
  (cd "$work" && GOFLAGS=-mod=mod go build -trimpath -o "$bin.tmp.$$" ./cmd/tofu)
  mv "$bin.tmp.$$" "$bin"
  rm -rf "$work"
fi
echo "$bin"
