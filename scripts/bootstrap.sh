#!/usr/bin/env bash
# The first apply of an environment's bootstrap stack (state-<cloud>-<env>: its state bucket and its
# CI identities), from a laptop with an owner's credentials, before any CI run. Its own state
# cannot start in the bucket it creates: it is applied with local state first, then moved into the
# bucket (`terraform init -migrate-state`). Last, it initialises the environment stack
# (<cloud>-<env>) with the same owner's credentials: the backend writes a new stack's first, empty
# state at init, which the plan identity of pull requests, reading the bucket only, cannot.
# Run again, it sees the state in the bucket and only does that last step.
#   usage: scripts/bootstrap.sh <state stack> [-auto-approve]     after npm run synth
# The stack must be synthesized with `state.bootstrap: "bucket"` (the shipped configuration).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
stack="${1:-}"
approve="${2:-}"
if [[ ! "$stack" =~ ^state-(gcp|scaleway)-[a-z][a-z0-9-]*$ || ( -n "$approve" && "$approve" != "-auto-approve" ) ]]; then
  echo "usage: scripts/bootstrap.sh <state stack, e.g. state-gcp-staging> [-auto-approve]" >&2
  exit 2
fi
dir="cdktf.out/stacks/$stack"
if [[ ! -f "$dir/cdk.tf.json" ]]; then
  echo "cdktf.out has no stack $stack: set state for that cloud of the environment, then run npm run synth" >&2
  exit 2
fi
backend="$(node -e 'const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).terraform?.backend ?? {}; console.log(Object.keys(b)[0] ?? "local")' "$dir/cdk.tf.json")"
if [[ "$backend" == local ]]; then
  echo "$stack keeps its state local (state.bootstrap is \"local\"): set it to \"bucket\" in config/environments.json, run npm run synth, and run this again" >&2
  exit 2
fi

state_dir="${REDIS_NET_STATE_DIR:-$root/terraform-state}"
local_state="$state_dir/$stack.bootstrap.tfstate"
environment_stack="${stack#state-}"
environment_state() {
  if [[ ! -f "../$environment_stack/cdk.tf.json" ]]; then
    echo "$environment_stack is not synthesized: give its environment that cloud, run npm run synth and this again before its first pull request" >&2
    return 0
  fi
  (cd "../$environment_stack" && terraform init -input=false >/dev/null)
  echo "$environment_stack: its state is initialised in the bucket; pull requests can plan it."
}
cd "$dir"
# Already bootstrapped: the bucket exists and holds this stack's state.
if terraform init -input=false -reconfigure >/dev/null 2>&1 && [[ -n "$(terraform state list 2>/dev/null)" ]]; then
  echo "$stack is already bootstrapped: its state is in its bucket. Plan and apply it as any stack."
  environment_state
  exit 0
fi
mkdir -p "$state_dir"
trap 'rm -f bootstrap_override.tf.json' EXIT
printf '{"terraform":{"backend":{"local":{"path":"%s"}}}}\n' "$local_state" > bootstrap_override.tf.json
terraform init -input=false -reconfigure
terraform apply -input=false ${approve:+"$approve"}
rm -f bootstrap_override.tf.json
terraform init -input=false -migrate-state -force-copy
echo "$stack: its state is now in the bucket it created. The local copy $local_state is no longer used; keep it until you have checked the bucket, then delete it."
environment_state
