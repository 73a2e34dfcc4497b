#!/usr/bin/env bash
# Prints the path of OpenTofu, built from its Go module (its downloads are out of reach here) and
# cached outside the repo by version: the CLI the Scaleway team runs, and the only one that reads
# state encryption. Built as the main module, from a copy of its source: OpenTofu's go.mod
# replaces hcl with its fork, and a replace only applies in the main module.
set -euo pipefail
version=v1.12.6
cache="${REDIS_NET_CACHE:-$HOME/.cache/redis-net}"
bin="$cache/bin/tofu_$version"
if [[ ! -x "$bin" ]]; then
  echo "building OpenTofu $version from github.com/opentofu/opentofu" >&2
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
