import { App } from "cdktf";
import { parseConfig } from "../../../config/load";
import { addStacks } from "../../../main";
import { annotations, policyViolations } from "../../../policy/policy";
import { AnnotationMetadataEntryType } from "cdktf";
import { rawConfig, resources, synthStack, tempDir } from "../../helpers/helpers";

const { compareStack, referenceFor } = require("../../../scripts/verify/fast");
const { readBeyond } = require("../../../scripts/verify/beyond");

// Opt-in topologies: off in the shipped environments, so each is switched on here.

function directConfig(): any {
  const raw = rawConfig();
  delete raw.environments.staging.gcp.connector;
  raw.environments.staging.gcp.directVpcEgress = { cidr: "10.2.0.0/26" };
  return raw;
}

// Each topology is synthesized in a hook, not at load: a synth that throws fails the tests instead of the file.
describe("Direct VPC egress instead of a connector", () => {
  let stack: Record<string, any>;
  let service: any;
  let rule: any;
  beforeAll(() => {
    stack = resources(synthStack("gcp-staging", directConfig()));
    service = stack["google_cloud_run_v2_service.backend"];
    rule = stack["google_compute_firewall.allow_vpc_connector_to_redis"];
  });

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
    const app = new App({ outdir: tempDir("topology-") });
    addStacks(app, parseConfig(directConfig()), ["staging"]);
    expect(policyViolations(app)).toEqual([]);
    expect(annotations(app, AnnotationMetadataEntryType.WARN)).toEqual([
      expect.stringMatching(/^\[gcp-staging\] nat\.enabled is ignored with directVpcEgress: the service's egress is private-ranges-only, and Google advises against/),
    ]);
  });

  test("with NAT off there is nothing to warn about; the outputs name the Cloud Run subnet where a connector's ID and range would be", () => {
    const raw = directConfig();
    raw.environments.staging.gcp.nat.enabled = false;
    const app = new App({ outdir: tempDir("topology-") });
    addStacks(app, parseConfig(raw), ["staging"]);
    expect(annotations(app, AnnotationMetadataEntryType.WARN)).toEqual([]);
    const { output } = synthStack("gcp-staging", raw);
    expect(Object.keys(output).sort()).toEqual(["backend_url", "cloud_run_subnet", "network_name"]);
    expect(output.cloud_run_subnet).toMatchObject({ value: "${google_compute_subnetwork.cloud_run.name}", description: "Subnet the service's Direct VPC egress uses" });
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
    delete raw.environments.staging.gcp.adopt; // the live staging Redis uses direct peering
    raw.environments.staging.gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS";
    raw.environments.staging.gcp.redis.cidr = "10.166.0.0/24";
    return raw;
  };
  let stack: Record<string, any>;
  beforeAll(() => (stack = resources(synthStack("gcp-staging", psa()))));

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
    const stack = resources(synthStack("gcp-staging", withEgress()));
    expect(stack["google_compute_firewall.deny_all_egress"]).toMatchObject({
      count: 1, direction: "EGRESS", priority: 65534, destination_ranges: ["0.0.0.0/0"], deny: [{ protocol: "all" }],
    });
    expect(stack["google_compute_firewall.allow_vpc_connector_egress_to_redis"]).toMatchObject({
      count: 1, direction: "EGRESS", priority: 1000, target_tags: ["vpc-connector-us-central1-staging-vac"],
      destination_ranges: ["10.166.204.80/29"], allow: [{ protocol: "tcp", ports: ["6379"] }],
    });
    expect(Object.keys(resources(synthStack("gcp-staging"))).filter((a) => a.includes("egress"))).toEqual([]);
  });

  test("matches the hand-written reference, whose default_deny_egress the same configuration sets", async () => {
    const reference = await referenceFor("gcp", "staging", parseConfig(withEgress()));
    expect(Object.keys(reference.resource.google_compute_firewall).sort()).toContain("deny_all_egress");
    const { differences, beyond } = compareStack("gcp-staging", reference, synthStack("gcp-staging", withEgress()), readBeyond());
    expect(differences.map((d: any) => `${d.address} ${d.path}`)).toEqual([]);
    expect(beyond.unlisted).toEqual([]);
  });
});

describe("Shared VPC: connector in the host project, service in the service project", () => {
  const shared = () => {
    const raw = rawConfig();
    const gcp = raw.environments.production.gcp;
    gcp.sharedVpc = { hostProject: "netra-network-host", serviceProjectNumber: "123456789012" };
    gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS";
    gcp.redis.cidr = "10.166.0.0/24";
    return raw;
  };
  let stack: Record<string, any>;
  beforeAll(() => (stack = resources(synthStack("gcp-production", shared()))));

  test("the network, connector, firewall rules and allocated range live in the host project", () => {
    for (const address of ["google_compute_network.vpc", "google_compute_subnetwork.connector", "google_vpc_access_connector.connector", "google_compute_firewall.allow_vpc_connector_to_redis", "google_compute_global_address.redis_psa"]) {
      expect([address, stack[address].project]).toEqual([address, "netra-network-host"]);
    }
    expect(stack["google_vpc_access_connector.connector"].subnet).toEqual({ name: "${google_compute_subnetwork.connector.name}", project_id: "netra-network-host" });
    for (const address of ["google_redis_instance.main", "google_cloud_run_v2_service.backend", "google_service_account.backend"]) {
      expect(stack[address]).not.toHaveProperty("project");
    }
  });

  test("Google's four connector rules, with its ranges and ports, and the connector waits for them", () => {
    const rule = (name: string) => stack[`google_compute_firewall.${name}`];
    expect(rule("serverless_to_vpc_connector")).toMatchObject({
      name: "production-serverless-to-vpc-connector", project: "netra-network-host", direction: "INGRESS", source_ranges: ["35.199.224.0/19"], target_tags: ["vpc-connector"],
      allow: [{ protocol: "tcp", ports: ["667"] }, { protocol: "udp", ports: ["665-666"] }, { protocol: "icmp" }],
    });
    expect(rule("vpc_connector_to_serverless")).toMatchObject({ direction: "EGRESS", destination_ranges: ["35.199.224.0/19"], target_tags: ["vpc-connector"] });
    expect(rule("vpc_connector_health_checks")).toMatchObject({ direction: "INGRESS", source_ranges: ["35.191.0.0/16", "35.191.192.0/18", "130.211.0.0/22"], target_tags: ["vpc-connector"] });
    expect(rule("vpc_connector_requests")).toMatchObject({ direction: "INGRESS", source_tags: ["vpc-connector"] });
    // Exactly what Google documents each rule to allow: toMatchObject would accept an entry with extra ports.
    const connectorProtocols = [{ protocol: "tcp", ports: ["667"] }, { protocol: "udp", ports: ["665-666"] }, { protocol: "icmp" }];
    expect(Object.fromEntries(["serverless_to_vpc_connector", "vpc_connector_to_serverless", "vpc_connector_health_checks", "vpc_connector_requests"].map((name) => [name, [rule(name).allow, rule(name).deny]]))).toEqual({
      serverless_to_vpc_connector: [connectorProtocols, undefined],
      vpc_connector_to_serverless: [connectorProtocols, undefined],
      vpc_connector_health_checks: [[{ protocol: "tcp", ports: ["667"] }], undefined],
      vpc_connector_requests: [[{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }], undefined],
    });
    expect(stack["google_vpc_access_connector.connector"].depends_on).toEqual(expect.arrayContaining([
      "google_compute_firewall.serverless_to_vpc_connector", "google_compute_firewall.vpc_connector_health_checks",
    ]));
  });

  test("the Connectivity Test of the path to Redis lives in the service project and may cross into the host", () => {
    expect(stack["google_network_management_connectivity_test.serverless_to_redis"]).toMatchObject({ project: "netra-production", related_projects: ["netra-network-host"] });
  });

  test("the service project's Cloud Run agent may use the host's connectors, and the service waits for it", () => {
    const agent = "serviceAccount:service-123456789012@serverless-robot-prod.iam.gserviceaccount.com";
    expect(stack["google_project_iam_member.cloud_run_vpcaccess_user"]).toMatchObject({ project: "netra-network-host", role: "roles/vpcaccess.user", member: agent });
    expect(stack["google_project_iam_member.cloud_run_network_viewer"]).toMatchObject({ project: "netra-network-host", role: "roles/compute.networkViewer", member: agent });
    expect(stack["google_cloud_run_v2_service.backend"].depends_on).toEqual(expect.arrayContaining(["google_project_iam_member.cloud_run_vpcaccess_user"]));
  });

  test("in a single project none of this is created: Google adds the connector rules itself", () => {
    const single = resources(synthStack("gcp-production"));
    expect(Object.keys(single).filter((a) => /serverless_to_vpc|to_serverless|health_checks|requests|project_iam/.test(a))).toEqual([]);
  });

  test("the schema asks for what Shared VPC needs", () => {
    const direct = shared();
    direct.environments.production.gcp.redis.connectMode = "DIRECT_PEERING";
    direct.environments.production.gcp.redis.cidr = "10.166.205.80/29";
    expect(() => parseConfig(direct)).toThrow("environments.production.gcp.redis.connectMode: must be PRIVATE_SERVICE_ACCESS with sharedVpc");
    const same = shared();
    same.environments.production.gcp.sharedVpc.hostProject = "netra-production";
    expect(() => parseConfig(same)).toThrow("environments.production.gcp.sharedVpc.hostProject: must differ from project (the service project)");
  });
});

describe("APIs enabled by the stack (enableApis)", () => {
  test("off by default: no google_project_service", () => {
    expect(Object.keys(resources(synthStack("gcp-staging"))).filter((a) => a.startsWith("google_project_service."))).toEqual([]);
  });

  test("on: every API the stack calls, servicenetworking and cloudresourcemanager included, never disabled on destroy, and every resource waits for them", () => {
    const raw = rawConfig();
    raw.environments.staging.gcp.enableApis = true;
    const stack = resources(synthStack("gcp-staging", raw));
    const services = Object.entries(stack).filter(([a]) => a.startsWith("google_project_service."));
    expect(services.map(([, s]) => s.service).sort()).toEqual([
      "cloudresourcemanager.googleapis.com", "compute.googleapis.com", "iam.googleapis.com", "monitoring.googleapis.com", "networkmanagement.googleapis.com", "redis.googleapis.com",
      "run.googleapis.com", "secretmanager.googleapis.com", "servicenetworking.googleapis.com", "vpcaccess.googleapis.com",
    ]);
    for (const [, service] of services) expect(service).toMatchObject({ project: "netra-staging", disable_on_destroy: false });
    for (const [address, body] of Object.entries(stack)) {
      if (address.startsWith("google_project_service.")) continue;
      expect(body.depends_on).toEqual(expect.arrayContaining(services.map(([a]) => a)));
    }
  });

  test("with Shared VPC the network's APIs are enabled on the host project", () => {
    const raw = rawConfig();
    const gcp = raw.environments.production.gcp;
    Object.assign(gcp, { enableApis: true, sharedVpc: { hostProject: "netra-network-host", serviceProjectNumber: "123456789012" } });
    gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS";
    gcp.redis.cidr = "10.166.0.0/24";
    const stack = resources(synthStack("gcp-production", raw));
    expect(stack["google_project_service.host_vpcaccess"]).toMatchObject({ project: "netra-network-host", service: "vpcaccess.googleapis.com" });
    expect(stack["google_project_service.compute"]).toMatchObject({ project: "netra-production" });
  });
});
