#!/usr/bin/env bash
# Plans one synthesized stack when its cloud's credentials are present, and skips cleanly
# (exit 0) when they are not, so pull requests from forks still pass.
#   usage: scripts/plan.sh <stack>        after npm run synth
# GCP: GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS, and GCP_BACKEND_IMAGE (the image to
# plan the Cloud Run service with). Scaleway: SCW_ACCESS_KEY and SCW_SECRET_KEY, and BACKEND_IMAGE
# (the image to plan the container with).
set -euo pipefail
stack="${1:?usage: scripts/plan.sh <stack>}"
dir="cdktf.out/stacks/$stack"
if [[ ! -f "$dir/cdk.tf.json" ]]; then
  echo "cdktf.out has no stack $stack: run npm run synth first" >&2
  exit 2
fi

vars=()
case "$stack" in
  gcp-*)
    credentials="${GOOGLE_CREDENTIALS:-${GOOGLE_APPLICATION_CREDENTIALS:-}}"
    vars=(-var "backend_image=${GCP_BACKEND_IMAGE:-}")
    ;;
  scaleway-*)
    credentials="${SCW_ACCESS_KEY:+${SCW_SECRET_KEY:-}}"
    vars=(-var "backend_image=${BACKEND_IMAGE:-}")
    ;;
  *)
    echo "stack $stack names no known cloud (gcp-*, scaleway-*)" >&2
    exit 2
    ;;
esac
if [[ -z "$credentials" ]]; then
  echo "skipped plan of $stack: no credentials for its cloud"
  exit 0
fi

cd "$dir"
terraform init -input=false
terraform plan -input=false -lock=false "${vars[@]}"
