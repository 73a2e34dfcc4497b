#!/usr/bin/env bash
# Installs checkov from PyPI into a virtualenv cached outside the repo by version; a warm run costs
# nothing. Prints the checkov executable's path on the last line.
set -euo pipefail
version=3.3.30
venv="${REDIS_NET_CACHE:-$HOME/.cache/redis-net}/checkov-$version"
# The marker is written last, so an interrupted install is redone rather than trusted.
if [[ ! -f "$venv/.installed" ]]; then
  echo "installing checkov $version into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$version" >&2
  touch "$venv/.installed"
fi
echo "$venv/bin/checkov"
