#!/usr/bin/env bash
# Lints .github/workflows with actionlint, built from its Go module once and cached by version.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.7.12
bin="${REDIS_NET_CACHE:-$HOME/.cache/redis-net}/bin/actionlint-$version"
if [[ ! -x "$bin" ]]; then
  tmp="$(mktemp -d)"
  GOBIN="$tmp" go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
  mkdir -p "$(dirname "$bin")" && mv "$tmp/actionlint" "$bin" && rm -rf "$tmp"
fi
"$bin" .github/workflows/*.yml
echo "workflows lint clean (actionlint $version)"
