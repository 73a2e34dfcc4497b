import { TerraformStack, Testing } from "cdktf";
import { skipCheckov } from "../../../constructs/checkov";
import { FirewallRules, redisPathRules } from "../../../constructs/gcp/firewall-rules";
import { Network } from "../../../constructs/gcp/network";
import { VpcConnector, VpcConnectorProps } from "../../../constructs/gcp/vpc-connector";
import { VpcNat } from "../../../constructs/gcp/vpc-nat";
import { RedisDatabase } from "../../../constructs/scaleway/db";
import { resourceAt } from "../../helpers/helpers";

// Constructs check their own props too: they are reusable outside this app's validated config.
function gcpStack() {
  const stack = new TerraformStack(Testing.app(), "test");
  return { stack, network: new Network(stack, "network", { name: "test-vpc", logicalId: "vpc" }) };
}

function connector(overrides: Partial<VpcConnectorProps> = {}) {
  const { stack, network } = gcpStack();
  const props = { network, region: "us-central1", name: "test-connector", subnetName: "test-subnet", ipCidrRange: "10.8.0.0/28", ...overrides };
  return new VpcConnector(stack, "connector", props);
}

describe("VpcConnector", () => {
  test.each([
    [{ ipCidrRange: "10.8.0.0/24" }, 'test/connector: ipCidrRange "10.8.0.0/24" must be a valid /28 range'],
    [{ ipCidrRange: "10.8.0.3/28" }, 'test/connector: ipCidrRange "10.8.0.3/28" must be a valid /28 range'],
    [{ name: "production-connector" }, 'test/connector: name "production-connector" counts 21 characters (each hyphen counts two); Google requires fewer than 21'],
    [{ name: "a-b-c-d-e-f-g-h-i-j-k" }, 'test/connector: name "a-b-c-d-e-f-g-h-i-j-k" counts 31 characters'],
    [{ name: "Connector" }, 'test/connector: name "Connector" must be lowercase letters, digits or hyphens'],
    [{ name: "connector-" }, 'test/connector: name "connector-" must be lowercase letters'],
    [{ subnetName: "Subnet" }, 'test/connector: subnetName "Subnet" must be 1-63 lowercase letters'],
    [{ minInstances: 1 }, "test/connector: minInstances 1 must be an integer from 2 to 9"],
    [{ minInstances: 4, maxInstances: 4 }, "test/connector: maxInstances 4 must be an integer from 5 to 10"],
  ])("rejects %j", (overrides, message) => {
    expect(() => connector(overrides)).toThrow(message);
  });

  test("exposes its range and Google's network tag", () => {
    const built = connector();
    expect(built.ipCidrRange).toBe("10.8.0.0/28");
    expect(built.networkTag).toBe("vpc-connector-us-central1-test-connector");
  });
});

test("VpcNat names the field whose name Google would refuse (found by npm run mutate)", () => {
  const nat = (names: { routerName: string; natName: string }) => {
    const { stack, network } = gcpStack();
    return new VpcNat(stack, "nat", { network, region: "us-central1", subnetworkId: "subnet", ...names });
  };
  expect(() => nat({ routerName: "Router", natName: "test-nat" })).toThrow('test/nat: routerName "Router" must be 1-63 lowercase letters');
  expect(() => nat({ routerName: "test-router", natName: "nat-" })).toThrow('test/nat: natName "nat-" must be 1-63 lowercase letters');
});

describe("FirewallRules", () => {
  const rules = (redisPort: number, internalRanges = ["10.8.0.0/28"]) =>
    redisPathRules({ source: { ranges: ["10.8.0.0/28"], tags: ["t"], description: "connector" }, redisCidr: "10.9.0.0/29", redisPort, internalRanges, logicalIds: { redis: "allow_vpc_connector_to_redis", internal: "allow_internal_vpc_communication" } });

  test("rejects a port that is not a TCP port", () => {
    const { stack, network } = gcpStack();
    expect(() => new FirewallRules(stack, "rules", { network, rules: rules(70000), ruleName: (id) => id.replace(/_/g, "-") })).toThrow('test/rules: allow_vpc_connector_to_redis.allow[0].ports[0] "70000" must be a TCP/UDP port or range within 1-65535');
  });

  test("rejects an ingress rule without a source, which Google would open to every address", () => {
    const { stack, network } = gcpStack();
    expect(() => new FirewallRules(stack, "rules", { network, rules: rules(6379, []), ruleName: (id) => id.replace(/_/g, "-") })).toThrow("test/rules: allow_internal_vpc_communication.sourceRanges [] must name a source");
  });

  test("fills network, project, priority and logging into every spec, under its logical ID", () => {
    const { stack, network } = gcpStack();
    new FirewallRules(stack, "rules", { network, project: "host", rules: rules(6379), ruleName: (id) => id.replace(/_/g, "-") });
    const synthesized = JSON.parse(Testing.synth(stack)).resource.google_compute_firewall;
    expect(Object.keys(synthesized).sort()).toEqual(["allow_internal_vpc_communication", "allow_vpc_connector_to_redis"]);
    for (const rule of Object.values<any>(synthesized)) {
      expect(rule).toMatchObject({ network: "${google_compute_network.vpc.name}", project: "host", log_config: { metadata: "INCLUDE_ALL_METADATA" } });
    }
    expect(synthesized.allow_vpc_connector_to_redis.priority).toBe(1000);
  });

  test("logging: false leaves Firewall Rules Logging off", () => {
    const { stack, network } = gcpStack();
    new FirewallRules(stack, "rules", { network, logging: false, rules: rules(6379), ruleName: (id) => id.replace(/_/g, "-") });
    const synthesized = JSON.parse(Testing.synth(stack)).resource.google_compute_firewall;
    expect(Object.values<any>(synthesized).map((rule) => rule.log_config)).toEqual([undefined, undefined]);
  });

  test("a port is a whole number or an ascending range within 1-65535, in allow and deny alike", () => {
    const refused = (ports: string[], field: "allow" | "deny" = "allow") => {
      const { stack, network } = gcpStack();
      const spec = { logicalId: "r", description: "d", direction: "EGRESS" as const, destinationRanges: ["10.9.0.0/29"], [field]: [{ protocol: "tcp", ports }] };
      try {
        new FirewallRules(stack, "rules", { network, rules: [spec], ruleName: () => "r" });
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    };
    for (const ok of ["1", "6379", "65535", "665-666", "443-443"]) expect([ok, refused([ok])]).toEqual([ok, undefined]);
    for (const bad of ["0", "65536", "0-80", "80-65536", "a6379", "6379x", "666-665", "1-2-3", "-80", ""]) {
      expect([bad, refused([bad])]).toEqual([bad, `test/rules: r.allow[0].ports[0] "${bad}" must be a TCP/UDP port or range within 1-65535`]);
    }
    expect(refused(["80", "x"], "deny")).toBe('test/rules: r.deny[0].ports[1] "x" must be a TCP/UDP port or range within 1-65535');
  });

  test("names, source and destination ranges are checked under the rule's logical ID", () => {
    const { stack, network } = gcpStack();
    const spec = (change: object) => [{ logicalId: "r", description: "d", direction: "INGRESS" as const, sourceRanges: ["10.8.0.0/28"], ...change }];
    const make = (id: string, change: object, name = "r") => () => new FirewallRules(stack, id, { network, rules: spec(change), ruleName: () => name });
    expect(make("a", {}, "R")).toThrow('test/a: r.name "R" must be 1-63 lowercase letters');
    expect(make("b", { sourceRanges: ["10.8.0.0/28", "10.8.0.0"] })).toThrow('test/b: r.sourceRanges[1] "10.8.0.0"');
    expect(make("c", { destinationRanges: ["300.0.0.0/8"] })).toThrow('test/c: r.destinationRanges[0] "300.0.0.0/8"');
    expect(make("d", { sourceRanges: undefined, sourceTags: ["t"] })).not.toThrow();
    expect(make("e", { sourceRanges: undefined })).toThrow("test/e: r.sourceRanges [] must name a source (with no source range or tag, Google admits every address)");
  });

  test("the Redis path rules need the serverless source's network tag", () => {
    expect(() => rules(6379).length).not.toThrow();
    expect(() => redisPathRules({ source: { ranges: ["10.8.0.0/28"], tags: [], description: "connector" }, redisCidr: "10.9.0.0/29", redisPort: 6379, internalRanges: [], logicalIds: { redis: "a", internal: "b" } })).toThrow(
      "redis path rules: source.tags [] must name the serverless source's network tag",
    );
  });
});

test("skipCheckov writes the skip and its reason into the resource's comment block, and refuses a bad check ID or a blank reason", () => {
  const { stack, network } = gcpStack();
  const vpc = resourceAt(network, "google_compute_network.vpc");
  skipCheckov(vpc, "CKV2_GCP_18", "firewall rules are scoped by tags");
  // Testing.synth drops `//` blocks; the stack's own Terraform keeps them, as synth writes them.
  expect(stack.toTerraform().resource.google_compute_network.vpc["//"].checkov_skip).toEqual({ CKV2_GCP_18: "firewall rules are scoped by tags" });
  for (const id of ["CKV_GCP", "xCKV_GCP_97", "CKV_GCP_97x", "ckv_gcp_97"]) {
    expect(() => skipCheckov(vpc, id, "r")).toThrow(`test/network/vpc: ${JSON.stringify(id)} is not a checkov check ID such as CKV_GCP_97`);
  }
  expect(() => skipCheckov(vpc, "CKV_GCP_97", " ")).toThrow("test/network/vpc: skipping CKV_GCP_97 needs a reason");
});

test("RedisDatabase takes two nodes (high availability), rejects none and a user name that would break the URL", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const props = { name: "r", zone: "fr-par-1", version: "7.2.11", nodeType: "RED1-MICRO", userName: "backend", tls: true, privateNetwork: { id: "pn" }, tags: [] };
  expect(resourceAt(new RedisDatabase(stack, "two", { ...props, clusterSize: 2 }), "scaleway_redis_cluster.two").clusterSizeInput).toBe(2);
  expect(() => new RedisDatabase(stack, "none", { ...props, clusterSize: 0 })).toThrow("test/none: clusterSize 0 must be 1 (standalone), 2 (high availability) or at least 3 (cluster mode)");
  expect(() => new RedisDatabase(stack, "user", { ...props, userName: "me@host" })).toThrow('test/user: userName "me@host" must be 1-63 letters');
});
