#!/usr/bin/env bash
# Builds the scw CLI from its Go module (the version the apply workflow pins), cached outside the
# repo by version like scripts/providers.sh's providers: a warm run costs a second.
#   usage: scripts/scw.sh            prints the binary's path on the last line
set -euo pipefail

cache="${REDIS_NET_CACHE:-$HOME/.cache/redis-net}"
version="v2.60.0"
module="github.com/scaleway/scaleway-cli/v2"
bin="$cache/bin/scw_${version}"
if [[ ! -x "$bin" ]]; then
  echo "building scw $version from $module@$version" >&2
  mkdir -p "$cache/bin"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # A throwaway module that requires the CLI (go install pkg@version would ask the proxy for the
  # module's version list).
  printf 'module scwbuild\n\ngo 1.24\n\nrequire %s %s\n' "$module" "$version" > "$work/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s/cmd/scw"\n' "$module" > "$work/tools.go"
  (cd "$work" && GOFLAGS=-mod=mod go mod tidy && go build -trimpath -o "$bin.tmp.$$" "$module/cmd/scw")
  mv "$bin.tmp.$$" "$bin"
fi
echo "$bin"
