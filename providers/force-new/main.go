// Command force-new prints, for the resource types of one provider listed in
// providers/used-types.json, the attribute paths whose change makes Terraform replace the resource
// (ForceNew in the provider's SDKv2 schemas), as JSON. Types the provider's SDKv2 map lacks
// (plugin-framework resources) are listed under "unknown", so the synth diff says "replacement
// unknown" for them instead of calling a change an update.
//
// scripts/force-new.sh builds it once per provider, with that provider's file (google.go,
// scaleway.go: its registry source and resources), in a throwaway module that requires only the
// provider: the module graph of the provider's own build, whose compiled packages Go reuses.
//
//	usage: force-new <used-types.json>
package main

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

func main() {
	var used map[string]struct{ Resources []string }
	text, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(text, &used); err != nil {
		panic(err)
	}
	schemas := resources()

	out := struct {
		Resources map[string][]string `json:"resources"`
		Unknown   []string            `json:"unknown"`
	}{Resources: map[string][]string{}, Unknown: []string{}}
	for _, name := range used[source].Resources {
		resource, ok := schemas[name]
		if !ok {
			out.Unknown = append(out.Unknown, name)
			continue
		}
		paths := forceNew(resource.SchemaMap(), "")
		sort.Strings(paths)
		out.Resources[name] = paths
	}
	sort.Strings(out.Unknown)
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(out); err != nil {
		panic(err)
	}
}

// forceNew lists ForceNew attributes, descending into nested blocks as "block.attribute".
func forceNew(attributes map[string]*schema.Schema, prefix string) []string {
	paths := []string{}
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
