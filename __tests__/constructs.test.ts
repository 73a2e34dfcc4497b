import "cdktf/lib/testing/adapters/jest";
import { TerraformStack, Testing } from "cdktf";
import { FirewallRules } from "../constructs/gcp/firewall-rules";
import { Network } from "../constructs/gcp/network";
import { VpcConnector, VpcConnectorProps } from "../constructs/gcp/vpc-connector";
import { RedisDatabase } from "../constructs/scaleway/db";

// Constructs check their own props too: they are reusable outside this app's validated config.
function gcpStack() {
  const stack = new TerraformStack(Testing.app(), "test");
  return { stack, network: new Network(stack, "network", { name: "test-vpc" }) };
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
    [{ minInstances: 1 }, "test/connector: minInstances 1 must be an integer from 2 to 9"],
    [{ minInstances: 4, maxInstances: 4 }, "test/connector: maxInstances 4 must be an integer above minInstances (4) and at most 10"],
  ])("rejects %j", (overrides, message) => {
    expect(() => connector(overrides)).toThrow(message);
  });

  test("exposes its range and Google's network tag", () => {
    const built = connector();
    expect(built.ipCidrRange).toBe("10.8.0.0/28");
    expect(built.networkTag).toBe("vpc-connector-us-central1-test-connector");
  });
});

test("FirewallRules rejects a port that is not a TCP port", () => {
  const { stack, network } = gcpStack();
  const source = new VpcConnector(stack, "connector", { network, region: "us-central1", name: "c", subnetName: "s", ipCidrRange: "10.8.0.0/28" });
  const props = { network, source: { ranges: [source.ipCidrRange], tags: [source.networkTag], description: "connector" }, redisRuleName: "r", internalRuleName: "i", redisCidr: "10.9.0.0/29", internalRanges: ["10.8.0.0/28"] };
  expect(() => new FirewallRules(stack, "rules", { ...props, redisPort: 70000 })).toThrow("test/rules: redisPort 70000 must be a TCP port (1-65535)");
});

test("RedisDatabase takes two nodes (high availability), rejects none and a user name that would break the URL", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const props = { name: "r", zone: "fr-par-1", version: "7.2.11", nodeType: "RED1-MICRO", userName: "backend", tls: true, privateNetworkId: "pn", tags: [] };
  expect(new RedisDatabase(stack, "two", { ...props, clusterSize: 2 }).cluster.clusterSizeInput).toBe(2);
  expect(() => new RedisDatabase(stack, "none", { ...props, clusterSize: 0 })).toThrow("test/none: clusterSize 0 must be 1 (standalone), 2 (high availability) or at least 3 (cluster mode)");
  expect(() => new RedisDatabase(stack, "user", { ...props, userName: "me@host" })).toThrow('test/user: userName "me@host" must be 1-63 letters');
});
