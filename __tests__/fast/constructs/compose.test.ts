import { TerraformStack, Testing } from "cdktf";
import { Network } from "../../../constructs/gcp/network";
import { BackendContainer } from "../../../constructs/scaleway/compute";
import { RedisDatabase } from "../../../constructs/scaleway/db";
import { PrivateNetwork } from "../../../constructs/scaleway/network";
import { ScalewayOutputs } from "../../../constructs/scaleway/outputs";
import { policyViolations } from "../../../policy/policy";
import { composedStack } from "../../helpers/composed-stack";

// Constructs compose: the stack chooses construct IDs, and the addresses follow from them.

test("two Memorystore instances in one stack get distinct addresses and pass the policy", () => {
  const { app, stack } = composedStack("owned");
  expect(policyViolations(app)).toEqual([]);
  const synthesized = JSON.parse(Testing.synth(stack));
  expect(Object.keys(synthesized.resource.google_redis_instance).sort()).toEqual(["cache", "session_store"]);
  expect(synthesized.resource.google_redis_instance.session_store.authorized_network).toBe("${google_compute_network.network.id}");
  expect(Object.keys(synthesized.resource.google_compute_network)).toEqual(["network"]);
});

test("a referenced network creates no google_compute_network, and Redis peers with it by ID", () => {
  const { app, stack } = composedStack("referenced");
  expect(policyViolations(app)).toEqual([]);
  const synthesized = JSON.parse(Testing.synth(stack));
  expect(synthesized.resource.google_compute_network).toBeUndefined();
  expect(synthesized.data).toBeUndefined();
  expect(synthesized.resource.google_redis_instance.cache.authorized_network).toBe("projects/netra-network-host/global/networks/staging-shared-vpc");
});

test("Network.fromName checks the name and project it is given", () => {
  const { stack } = composedStack("owned");
  expect(() => Network.fromName(stack, "bad", { name: "Bad_Name", project: "netra-staging" })).toThrow('gcp-staging-composed/bad: name "Bad_Name" must be 1-63 lowercase letters');
  expect(() => Network.fromName(stack, "short", { name: "vpc", project: "p-1" })).toThrow('gcp-staging-composed/short: project "p-1" must be a GCP project ID');
});

test("a referenced network gives the ID and self link the Compute API gives, and a new one checks its name", () => {
  const { stack } = composedStack("owned");
  expect(Network.fromName(stack, "shared", { name: "staging-shared-vpc", project: "netra-network-host" })).toEqual({
    name: "staging-shared-vpc",
    id: "projects/netra-network-host/global/networks/staging-shared-vpc",
    selfLink: "https://www.googleapis.com/compute/v1/projects/netra-network-host/global/networks/staging-shared-vpc",
  });
  expect(() => new Network(stack, "new", { name: "Staging_VPC", project: "netra-staging" })).toThrow('gcp-staging-composed/new: name "Staging_VPC" must be 1-63 lowercase letters');
});

test("a Scaleway Redis attaches to a private network the stack only references, by ID", () => {
  const stack = new TerraformStack(Testing.app(), "scaleway-staging-composed");
  const privateNetwork = PrivateNetwork.fromId(stack, "network", { id: "fr-par/11111111-2222-3333-4444-555555555555" });
  new RedisDatabase(stack, "cache", { name: "staging-cache", zone: "fr-par-1", version: "7.2.11", nodeType: "RED1-MICRO", userName: "backend", tls: true, privateNetwork, tags: [] });
  const synthesized = JSON.parse(Testing.synth(stack));
  expect(synthesized.resource.scaleway_vpc_private_network).toBeUndefined();
  expect(synthesized.resource.scaleway_redis_cluster.cache.private_network).toEqual([{ id: "fr-par/11111111-2222-3333-4444-555555555555" }]);
  expect(() => PrivateNetwork.fromId(stack, "bad", { id: "main" })).toThrow('scaleway-staging-composed/bad: id "main" must be a private network ID');
});

test("outputs.tf's outputs keep one shape over a referenced network and Redis without TLS: what is not known is empty (found by npm run mutate)", () => {
  const stack = new TerraformStack(Testing.app(), "scaleway-staging-composed");
  const privateNetwork = PrivateNetwork.fromId(stack, "network", { id: "fr-par/11111111-2222-3333-4444-555555555555" });
  const redis = new RedisDatabase(stack, "cache", { name: "staging-cache", zone: "fr-par-1", version: "7.2.11", nodeType: "RED1-MICRO", userName: "backend", tls: false, privateNetwork, tags: [] });
  const backend = new BackendContainer(stack, "backend", {
    namespaceName: "staging-backend", containerName: "backend", region: "fr-par", image: "rg.fr-par.scw.cloud/r/backend:1", port: 8080,
    minScale: 1, maxScale: 2, cpuLimit: 560, memoryLimitBytes: 1073741824, privateNetwork, secretEnvironmentVariables: {}, tags: [],
  });
  new ScalewayOutputs(stack, "outputs", { network: privateNetwork, redis, backend });
  const { output } = JSON.parse(Testing.synth(stack));
  expect(output.private_network_details.value).toStrictEqual({ id: "fr-par/11111111-2222-3333-4444-555555555555", name: "", subnet: "", vpc_id: "" });
  expect(output.redis_connection_info.value.ca_certificate).toBe("");
});
