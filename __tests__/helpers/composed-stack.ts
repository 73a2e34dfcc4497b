import { GoogleProvider } from "../../.gen/providers/google/provider";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { Memorystore } from "../../constructs/gcp/memorystore";
import { INetwork, Network } from "../../constructs/gcp/network";
import { policyRules } from "../../policy/packs";

/**
 * A stack composed from the constructs outside the app's stacks, as a newcomer would: two Redis
 * instances (a cache and a session store) on one network, which the stack owns or only references.
 * Each construct's addresses follow from its construct ID: no table entry is needed.
 */
export function composedStack(network: "owned" | "referenced"): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "gcp-staging-composed");
  new GoogleProvider(stack, "google", { project: "netra-staging", region: "us-central1" });
  const vpc: INetwork = network === "owned"
    ? new Network(stack, "network", { name: "staging-composed-vpc" })
    : Network.fromName(stack, "network", { name: "staging-shared-vpc", project: "netra-network-host" });
  const redis = { region: "us-central1", network: vpc, transitEncryption: true, deletionProtection: false, labels: { environment: "staging" } };
  new Memorystore(stack, "cache", { ...redis, name: "staging-cache", reservedIpRange: "10.9.0.0/29" });
  new Memorystore(stack, "session-store", { ...redis, name: "staging-sessions", reservedIpRange: "10.9.0.8/29", redisConfigs: { "maxmemory-policy": "noeviction" } });
  for (const rule of policyRules({ environment: "staging", production: false })) Aspects.of(stack).add(rule);
  return { app, stack };
}
