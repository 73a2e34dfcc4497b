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
  work="$(mktemp -d)"
  printf 'module tofubuild\n\ngo 1.24\n\nrequire github.com/opentofu/opentofu %s\n' "$version" > "$work/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/opentofu/opentofu/cmd/tofu"\n' > "$work/tools.go"
  mkdir -p "$cache/bin"
  (cd "$work" && GOFLAGS=-mod=mod go mod tidy && go build -trimpath -o "$bin.tmp" github.com/opentofu/opentofu/cmd/tofu)
  mv "$bin.tmp" "$bin"
  rm -rf "$work"
fi
echo "$bin"
