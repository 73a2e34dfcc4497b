#!/usr/bin/env bash
# Prints the directory of a Node.js binary of the given major version (22 or 24), installed from the
# npm registry's `node` package (it ships the binary) and cached outside the repo by version: the
# machines here run Node 20, which reached end of life in April 2026.
#   usage: scripts/node.sh 22|24
set -euo pipefail
case "${1:-}" in
  22) version=22.23.3 ;;
  24) version=24.21.0 ;;
  *) echo "usage: scripts/node.sh 22|24" >&2; exit 2 ;;
esac
dir="${REDIS_NET_CACHE:-$HOME/.cache/redis-net}/node-$version"
if [[ ! -x "$dir/node_modules/node/bin/node" ]]; then
  echo "installing Node.js $version from the npm registry into $dir" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error "node@$version" >&2)
fi
"$dir/node_modules/node/bin/node" --version >/dev/null
echo "$dir/node_modules/node/bin"
