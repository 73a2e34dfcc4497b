package main

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	scaleway "github.com/scaleway/terraform-provider-scaleway/v2/provider"
)

const source = "registry.terraform.io/scaleway/scaleway"

func resources() map[string]*schema.Resource {
	return scaleway.SDKProvider(scaleway.DefaultConfig())().ResourcesMap
}
