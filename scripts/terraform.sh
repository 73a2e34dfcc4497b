#!/usr/bin/env bash
# Prints the path of the Terraform CLI the proof runs: `terraform` on PATH, or, where there is none,
# OpenTofu built from its Go module (scripts/tofu.sh; the Terraform Registry and HashiCorp's
# downloads are out of reach here).
set -euo pipefail
if command -v terraform >/dev/null 2>&1; then
  command -v terraform
  exit 0
fi
exec "$(dirname "$0")/tofu.sh"
