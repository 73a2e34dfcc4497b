package main

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	google "github.com/hashicorp/terraform-provider-google/google/provider"
)

const source = "registry.terraform.io/hashicorp/google"

func resources() map[string]*schema.Resource { return google.Provider().ResourcesMap }
