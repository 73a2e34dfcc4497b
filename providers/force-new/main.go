// Command force-new prints, for the resource types this project uses, the attribute paths whose
// change makes Terraform replace the resource (ForceNew in the providers' SDKv2 schemas), as JSON.
// scripts/force-new.sh runs it; the synth diff reads its output from providers/force-new.json.
package main

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-provider-google/google/services/compute"
	"github.com/hashicorp/terraform-provider-google/google/services/vpcaccess"
	scaleway "github.com/scaleway/terraform-provider-scaleway/v2/provider"
)

func main() {
	scw := scaleway.SDKProvider(scaleway.DefaultConfig())().ResourcesMap
	resources := map[string]*schema.Resource{
		"google_compute_network":      compute.ResourceComputeNetwork(),
		"google_compute_subnetwork":   compute.ResourceComputeSubnetwork(),
		"google_compute_firewall":     compute.ResourceComputeFirewall(),
		"google_compute_router":       compute.ResourceComputeRouter(),
		"google_compute_router_nat":   compute.ResourceComputeRouterNat(),
		"google_vpc_access_connector": vpcaccess.ResourceVPCAccessConnector(),
	}
	for _, name := range []string{"scaleway_vpc", "scaleway_vpc_private_network", "scaleway_redis_cluster", "scaleway_container_namespace", "scaleway_container"} {
		resources[name] = scw[name]
	}

	out := map[string][]string{}
	for name, resource := range resources {
		paths := forceNew(resource.SchemaMap(), "")
		sort.Strings(paths)
		out[name] = paths
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(out); err != nil {
		panic(err)
	}
}

// forceNew lists ForceNew attributes, descending into nested blocks as "block.attribute".
func forceNew(attributes map[string]*schema.Schema, prefix string) []string {
	var paths []string
	for name, attribute := range attributes {
		if attribute.ForceNew {
			paths = append(paths, prefix+name)
		}
		if block, ok := attribute.Elem.(*schema.Resource); ok {
			paths = append(paths, forceNew(block.SchemaMap(), prefix+name+".")...)
		}
	}
	return paths
}
