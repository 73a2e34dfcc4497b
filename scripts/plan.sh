#!/usr/bin/env bash
# Plans one synthesized stack when its cloud's credentials are present, and skips cleanly
# (exit 0) when they are not, so pull requests from forks still pass.
#   usage: scripts/plan.sh <stack> [--apply]     after npm run synth
# PLAN_TEXT=<file> also writes the plan as text there (sensitive values are shown as such), for the
# pull-request comment. --apply applies the plan it made (the apply workflow, on merge).
# GCP: GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS, and GCP_BACKEND_IMAGE (the image to
# plan the Cloud Run service with). Scaleway: SCW_ACCESS_KEY and SCW_SECRET_KEY, and BACKEND_IMAGE
# (the image to plan the container with).
set -euo pipefail
stack="${1:?usage: scripts/plan.sh <stack> [--apply]}"
apply="${2:-}"
if [[ -n "$apply" && "$apply" != "--apply" ]]; then
  echo "usage: scripts/plan.sh <stack> [--apply]" >&2
  exit 2
fi
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

text="${PLAN_TEXT:+$(realpath -m "$PLAN_TEXT")}"
cd "$dir"
terraform init -input=false
if [[ -n "$apply" ]]; then
  # The lock is taken: an apply never runs beside another one.
  terraform plan -input=false -out=plan.bin "${vars[@]}"
  terraform apply -input=false plan.bin
  exit 0
fi
terraform plan -input=false -lock=false -out=plan.bin "${vars[@]}"
if [[ -n "$text" ]]; then terraform show -no-color plan.bin > "$text"; fi
