#!/usr/bin/env bash
# Prints the directory of a Node.js binary of the given major version, installed from the npm
# registry's `node` package (it ships the binary) and cached outside the repo by version. The
# project runs on the major in .nvmrc; CI also tests the others here (Node 20 reached end of life
# in April 2026 and is what these machines have).
#   usage: scripts/node.sh 20|22|24
set -euo pipefail
case "${1:-}" in
  20) version=20.20.2 ;;
  22) version=22.23.3 ;;
  24) version=24.21.0 ;;
  *) echo "usage: scripts/node.sh 20|22|24 (the major version, not '${1:-}')" >&2; exit 2 ;;
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
