import { App } from "cdktf";
import { readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { parseConfig } from "../config/load";
import { addStacks } from "../main";
import { annotations, policyViolations } from "../policy/policy";
import { AnnotationMetadataEntryType } from "cdktf";
import { copyProject, rawConfig, resources, synthAll } from "./helpers";

const { evaluateReference } = require("../scripts/verify/reference");
const { compareConfigs } = require("../scripts/verify/compare");

// Opt-in topologies: off in the shipped environments, so each is switched on here.

function directConfig(): any {
  const raw = rawConfig();
  delete raw.environments.staging.gcp.connector;
  raw.environments.staging.gcp.directVpcEgress = { cidr: "10.2.0.0/26" };
  return raw;
}

describe("Direct VPC egress instead of a connector", () => {
  const stack = resources(synthAll(directConfig())["gcp-staging"]);
  const service = stack["google_cloud_run_v2_service.backend"];
  const rule = stack["google_compute_firewall.allow_vpc_connector_to_redis"];

  test("Cloud Run joins a subnet of ours with a network tag; there is no connector", () => {
    expect(Object.keys(stack).filter((a) => a.includes("vpc_access_connector") || a.endsWith(".connector"))).toEqual([]);
    expect(stack["google_compute_subnetwork.cloud_run"]).toMatchObject({ name: "staging-cloud-run-subnet", ip_cidr_range: "10.2.0.0/26" });
    expect(service.template.vpc_access).toEqual({
      network_interfaces: [{ network: "${google_compute_network.vpc.name}", subnetwork: "${google_compute_subnetwork.cloud_run.name}", tags: ["staging-cloud-run"] }],
      egress: "PRIVATE_RANGES_ONLY",
    });
  });

  test("the Redis rule follows the workload's tag, not a range, and the service waits for it", () => {
    expect(rule.source_tags).toEqual(["staging-cloud-run"]);
    expect(rule).not.toHaveProperty("source_ranges");
    expect(rule.description).toBe("Cloud Run (Direct VPC egress) to Redis");
    expect(service.depends_on).toContain("google_compute_firewall.allow_vpc_connector_to_redis");
  });

  test("Cloud NAT is not attached to the Cloud Run subnet, with a warning at synth", () => {
    expect(Object.keys(stack).filter((a) => a.startsWith("google_compute_router"))).toEqual([]);
    const app = new App();
    addStacks(app, parseConfig(directConfig()), ["staging"]);
    expect(policyViolations(app)).toEqual([]);
    expect(annotations(app, AnnotationMetadataEntryType.WARN)).toEqual([
      expect.stringMatching(/^\[gcp-staging\] nat\.enabled is ignored with directVpcEgress: the service's egress is private-ranges-only, and Google advises against/),
    ]);
  });

  test("the schema wants exactly one of connector and directVpcEgress, and a /26 or larger", () => {
    const both = directConfig();
    both.environments.staging.gcp.connector = rawConfig().environments.staging.gcp.connector;
    expect(() => parseConfig(both)).toThrow("environments.staging.gcp.connector: configure exactly one of connector (Serverless VPC Access) and directVpcEgress");
    const small = directConfig();
    small.environments.staging.gcp.directVpcEgress.cidr = "10.2.0.0/28";
    expect(() => parseConfig(small)).toThrow('environments.staging.gcp.directVpcEgress.cidr: must be a /26 or larger (got "10.2.0.0/28")');
  });
});

describe("Memorystore through private services access", () => {
  const psa = () => {
    const raw = rawConfig();
    raw.environments.staging.gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS";
    raw.environments.staging.gcp.redis.cidr = "10.166.0.0/24";
    return raw;
  };
  const stack = resources(synthAll(psa())["gcp-staging"]);

  test("the allocated range and the service networking connection exist before the instance", () => {
    expect(stack["google_compute_global_address.redis_psa"]).toMatchObject({
      name: "staging-redis-psa", purpose: "VPC_PEERING", address_type: "INTERNAL", address: "10.166.0.0", prefix_length: 24,
      network: "${google_compute_network.vpc.id}",
    });
    expect(stack["google_service_networking_connection.redis_psa"]).toMatchObject({
      service: "servicenetworking.googleapis.com", reserved_peering_ranges: ["${google_compute_global_address.redis_psa.name}"],
    });
    const redis = stack["google_redis_instance.main"];
    expect(redis).toMatchObject({ connect_mode: "PRIVATE_SERVICE_ACCESS", reserved_ip_range: "${google_compute_global_address.redis_psa.name}" });
    expect(redis.depends_on).toEqual(["google_service_networking_connection.redis_psa"]);
  });

  test("the range sizes follow the mode", () => {
    const small = psa();
    small.environments.staging.gcp.redis.cidr = "10.166.0.0/29";
    expect(() => parseConfig(small)).toThrow("environments.staging.gcp.redis.cidr: must be a /24 or larger with connectMode PRIVATE_SERVICE_ACCESS");
    const peering = rawConfig();
    peering.environments.staging.gcp.redis.cidr = "10.166.0.0/24";
    expect(() => parseConfig(peering)).toThrow("environments.staging.gcp.redis.cidr: must be a /29 range with connectMode DIRECT_PEERING");
  });
});

describe("default-deny egress", () => {
  const withEgress = () => {
    const raw = rawConfig();
    raw.environments.staging.gcp.firewall = { defaultDenyEgress: true };
    return raw;
  };

  test("adds a lowest-priority deny-all and the connector's egress to Redis on the instance's port", () => {
    const stack = resources(synthAll(withEgress())["gcp-staging"]);
    expect(stack["google_compute_firewall.deny_all_egress"]).toMatchObject({
      count: 1, direction: "EGRESS", priority: 65534, destination_ranges: ["0.0.0.0/0"], deny: [{ protocol: "all" }],
    });
    expect(stack["google_compute_firewall.allow_vpc_connector_egress_to_redis"]).toMatchObject({
      count: 1, direction: "EGRESS", priority: 1000, target_tags: ["vpc-connector-us-central1-staging-connector"],
      destination_ranges: ["10.166.204.80/29"], allow: [{ protocol: "tcp", ports: ["6379"] }],
    });
    expect(Object.keys(resources(synthAll()["gcp-staging"])).filter((a) => a.includes("egress"))).toEqual([]);
  });

  test("matches the hand-written reference with default_deny_egress = true", async () => {
    const copy = copyProject(["reference"]);
    try {
      const tfvars = path.join(copy, "reference", "gcp", "staging.tfvars");
      writeFileSync(tfvars, `${readFileSync(tfvars, "utf8")}default_deny_egress = true\n`);
      const reference = await evaluateReference(path.join(copy, "reference", "gcp"), "staging");
      expect(Object.keys(reference.resource.google_compute_firewall).sort()).toContain("deny_all_egress");
      const differences = compareConfigs(reference, synthAll(withEgress())["gcp-staging"]);
      // The one difference reference/deviations.json declares for staging.
      expect(differences.map((d: any) => `${d.address} ${d.path}`)).toEqual(["google_redis_instance.main lifecycle"]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
