#!/usr/bin/env bash
# Installs the storage servers the state drills run against, cached outside the repo by version:
# moto's S3 server (it honours If-None-Match, which Terraform's S3 lock file needs, as Scaleway
# Object Storage does) with the AWS CLI the restore procedure uses, from PyPI; and fake-gcs-server
# (object generations and preconditions, as GCS) built from its Go module.
# Prints two lines: the venv's bin directory, then the fake-gcs-server binary.
set -euo pipefail
cache="${REDIS_NET_CACHE:-$HOME/.cache/redis-net}"
moto=5.2.5
awscli=1.46.2
fakegcs=v1.56.1

venv="$cache/s3-drill-moto-$moto-awscli-$awscli"
# The marker is written last, so an interrupted install is redone rather than trusted.
if [[ ! -f "$venv/.installed" ]]; then
  echo "installing moto $moto and awscli $awscli into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto" "awscli==$awscli" >&2
  touch "$venv/.installed"
fi

bin="$cache/bin/fake-gcs-server_$fakegcs"
if [[ ! -x "$bin" ]]; then
  echo "building fake-gcs-server $fakegcs from its Go module" >&2
  work="$(mktemp -d)"
  printf 'module drillbuild\n\ngo 1.24\n\nrequire github.com/fsouza/fake-gcs-server %s\n' "$fakegcs" > "$work/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/fsouza/fake-gcs-server"\n' > "$work/tools.go"
  mkdir -p "$cache/bin"
  (cd "$work" && GOFLAGS=-mod=mod go mod tidy && go build -trimpath -o "$bin.tmp.$$" github.com/fsouza/fake-gcs-server)
  mv "$bin.tmp.$$" "$bin"
  rm -rf "$work"
fi
echo "$venv/bin"
echo "$bin"
