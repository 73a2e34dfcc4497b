# shellcheck shell=bash
# The Terraform providers this project builds from their Go modules (scripts/providers.sh) and
# reads ForceNew from (scripts/force-new.sh), sourced by both.
# name  registry-namespace  version  go-module  module-version
# random: the proxy here serves no tagged release; this pseudo-version is the commit after the
# 3.9.0 changelog with no unreleased change entries, i.e. 3.9.0's code.
# google: the proxy serves no tagged release (the module path lacks /v8), only this commit, two days
# after the 8.0.0 release entry in its changelog. It is labelled 8.0.0; the google bindings are
# generated from its schema and the stacks pin 8.0.0, so what is proven is what deploys.
providers=(
  "google hashicorp 8.0.0 github.com/hashicorp/terraform-provider-google v1.20.1-0.20260828184646-f3721fb45fa3"
  "scaleway scaleway 2.81.0 github.com/scaleway/terraform-provider-scaleway/v2 v2.81.0"
  "random hashicorp 3.9.0 github.com/terraform-providers/terraform-provider-random v1.3.2-0.20260513075824-f8d869dc98d9"
)
