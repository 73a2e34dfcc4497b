#!/usr/bin/env bash
# Plans one synthesized stack when its cloud's credentials are present, and skips cleanly
# (exit 0) when they are not, so pull requests from forks still pass.
#   usage: scripts/plan.sh <stack> [--apply]     after npm run synth
# PLAN_TEXT=<file> also writes the plan as text there (sensitive values are shown as such), and
# PLAN_DIGEST=<file> the digest of its changes (scripts/review/digest.ts), for the pull request.
# --apply (the apply on merge) needs REVIEWED_PLAN_DIGEST, the digest of the plan reviewed on the
# pull request (npm run reviewed-plan): it plans under the state lock, and applies that plan only
# if its changes have the same digest; otherwise it stops and applies nothing. Without credentials
# --apply fails: a merge must never pass as deployed when it deployed nothing.
# Under CI (the CI variable set), a stack with local state is refused before terraform init: the
# runner's disk, and the state with it, is gone when the job ends.
# GCP: GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS, and GCP_BACKEND_IMAGE (the image to
# plan the Cloud Run service with). Scaleway: SCW_ACCESS_KEY and SCW_SECRET_KEY, and BACKEND_IMAGE
# (the image to plan the container with).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
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
  if [[ -n "$apply" ]]; then
    echo "apply of $stack: no credentials for its cloud; give the GitHub environment $stack its deploy identity (README, \"CI identities\")" >&2
    exit 1
  fi
  echo "skipped plan of $stack: no credentials for its cloud"
  exit 0
fi
reviewed="${REVIEWED_PLAN_DIGEST:-}"
if [[ -n "$apply" && -z "$reviewed" ]]; then
  echo "apply of $stack: no reviewed plan (REVIEWED_PLAN_DIGEST is empty); apply runs only the plan reviewed on its pull request (npm run reviewed-plan)" >&2
  exit 1
fi
if [[ -n "${CI:-}" ]]; then node "$root/scripts/run.js" remote-state "$PWD/$dir"; fi

text="${PLAN_TEXT:+$(realpath -m "$PLAN_TEXT")}"
digest_file="${PLAN_DIGEST:+$(realpath -m "$PLAN_DIGEST")}"
cd "$dir"
# The plan in JSON holds sensitive values in clear: it lives only as long as its digest takes.
digest() {
  local json
  json="$(mktemp)"
  terraform show -json plan.bin > "$json"
  node "$root/scripts/run.js" plan-digest "$json" || { rm -f "$json"; return 1; }
  rm -f "$json"
}

terraform init -input=false
if [[ -n "$apply" ]]; then
  # The lock is taken: an apply never runs beside another one, and the state cannot move between
  # this plan and its apply (Terraform also refuses a saved plan whose state went stale).
  terraform plan -input=false -out=plan.bin "${vars[@]}"
  planned="$(digest)"
  if [[ "$planned" != "$reviewed" ]]; then
    terraform show -no-color plan.bin | grep -E '^(Plan:|No changes)' >&2 || true
    echo "refused: the plan of $stack at this commit ($planned) is not the plan reviewed on its pull request ($reviewed): the state, the live resources or the code moved since the review. Nothing was applied. Run the plan again on a new pull request, review it, and merge." >&2
    exit 1
  fi
  terraform apply -input=false plan.bin
  exit 0
fi
terraform plan -input=false -lock=false -out=plan.bin "${vars[@]}"
if [[ -n "$text" ]]; then terraform show -no-color plan.bin > "$text"; fi
planned="$(digest)"
echo "plan digest of $stack: $planned"
if [[ -n "$digest_file" ]]; then echo "$planned" > "$digest_file"; fi
