import { TerraformStack, Testing } from "cdktf";
import { RedisPathAlerts, RedisPathAlertsProps } from "../../../constructs/gcp/alerts";
import { ServerlessToRedisTest, ServerlessToRedisTestProps } from "../../../constructs/gcp/connectivity-test";
import { ProjectApis, ProjectApisProps } from "../../../constructs/gcp/project-apis";
import { GcsStateBucket, GcsStateBucketProps } from "../../../constructs/gcp/state-bucket";
import { RedisAlerts } from "../../../constructs/scaleway/alerts";
import { Memorystore } from "../../../constructs/gcp/memorystore";
import { Network } from "../../../constructs/gcp/network";
import { RedisSecrets } from "../../../constructs/gcp/redis-secrets";
import { VpcNat } from "../../../constructs/gcp/vpc-nat";
import { PrivateNetwork } from "../../../constructs/scaleway/network";
import { DirectVpcEgress } from "../../../constructs/gcp/direct-vpc-egress";
import { SharedVpcConnectorAccess } from "../../../constructs/gcp/shared-vpc";

// The supporting constructs (APIs, the Connectivity Test, the state bucket, the alerts) check their
// own props, each refusal naming the field and the value (survivors of npm run mutate).

/** The resources of a stack named "test" after `make` adds constructs to it. */
function build(make: (scope: TerraformStack) => unknown): Record<string, Record<string, any>> {
  const scope = new TerraformStack(Testing.app(), "test");
  make(scope);
  return JSON.parse(Testing.synth(scope)).resource;
}

describe("ProjectApis", () => {
  const apis = (props: ProjectApisProps) => build((s) => new ProjectApis(s, "apis", props));

  test("refuses an empty project", () => {
    expect(() => apis({ project: "" })).toThrow('test/apis: project "" must name a project');
  });

  test("by default an API's address is its short name, prefixed host_ only in a Shared VPC host project", () => {
    expect(Object.keys(apis({ project: "netra-staging" }).google_project_service).sort()).toEqual(["cloudresourcemanager", "compute", "iam", "monitoring", "networkmanagement", "redis", "run", "secretmanager", "servicenetworking", "vpcaccess"]);
    const shared = apis({ project: "netra-staging", networkProject: "netra-host" }).google_project_service;
    expect(shared.host_compute).toMatchObject({ project: "netra-host", service: "compute.googleapis.com", disable_on_destroy: false });
    expect(shared.compute).toMatchObject({ project: "netra-staging", service: "compute.googleapis.com" });
    expect(shared.redis.project).toBe("netra-staging");
    expect(Object.keys(shared).filter((address) => address.startsWith("host_")).sort()).toEqual(["host_compute", "host_servicenetworking", "host_vpcaccess"]);
  });
});

describe("ServerlessToRedisTest", () => {
  const props: ServerlessToRedisTestProps = {
    name: "backend-to-redis", project: "netra-staging", region: "us-central1", revision: "projects/p/locations/us-central1/revisions/backend-1",
    redisInstanceId: "projects/p/locations/us-central1/instances/cache", redisHost: "10.9.0.3", redisPort: 6378,
  };
  const connectivity = (overrides: Partial<ServerlessToRedisTestProps>) => build((s) => new ServerlessToRedisTest(s, "reach", { ...props, ...overrides }));

  test.each<[Partial<ServerlessToRedisTestProps>, string]>([
    [{ name: "Backend" }, 'test/reach: name "Backend" must be 1-63 lowercase letters'],
    [{ redisPort: 70000 }, "test/reach: redisPort 70000 must be an integer from 1 to 65535"],
  ])("rejects %j", (overrides, message) => {
    expect(() => connectivity(overrides)).toThrow(message);
  });
});

describe("GcsStateBucket", () => {
  const props: GcsStateBucketProps = { name: "netra-tf-state", project: "netra-staging", location: "US", writers: ["serviceAccount:ci@netra-staging.iam.gserviceaccount.com"] };
  const bucket = (overrides: Partial<GcsStateBucketProps>) => build((s) => new GcsStateBucket(s, "state", { ...props, ...overrides }));

  test.each<[Partial<GcsStateBucketProps>, string]>([
    [{ name: "Netra_State" }, 'test/state: name "Netra_State" '],
    [{ keepVersions: 0 }, "test/state: keepVersions 0 must be an integer"],
    [{ writers: ["serviceAccount:ci@netra-staging.iam.gserviceaccount.com", "ci"] }, 'test/state: writers[1] "ci" '],
  ])("rejects %j", (overrides, message) => {
    expect(() => bucket(overrides)).toThrow(message);
  });

  test("each writer's grant sits at <id>_writer_<i> by default", () => {
    const resource = bucket({ writers: ["group:a@netra.example", "group:b@netra.example"] });
    expect(Object.keys(resource.google_storage_bucket_iam_member)).toEqual(["state_writer_0", "state_writer_1"]);
    expect(resource.google_storage_bucket_iam_member.state_writer_1).toMatchObject({ role: "roles/storage.objectUser", member: "group:b@netra.example" });
  });
});

describe("RedisPathAlerts", () => {
  const props: RedisPathAlertsProps = { project: "netra-staging", displayPrefix: "staging", redisInstanceId: "projects/p/locations/us-central1/instances/cache" };
  const alerts = (overrides: Partial<RedisPathAlertsProps>) => build((s) => new RedisPathAlerts(s, "alerts", { ...props, ...overrides }));

  test.each<[Partial<RedisPathAlertsProps>, string]>([
    [{ notificationChannels: ["projects/netra-staging/notificationChannels/1", "channel-2"] }, 'test/alerts: notificationChannels[1] "channel-2" '],
    [{ email: "oncall" }, 'test/alerts: email "oncall" '],
  ])("rejects %j", (overrides, message) => {
    expect(() => alerts(overrides)).toThrow(message);
  });
});

describe("RedisAlerts (Scaleway)", () => {
  test("names the contact email it refuses", () => {
    const make = () => build((s) => new RedisAlerts(s, "alerts", { region: "fr-par", contactEmails: ["oncall@netra.example", "oncall"] }));
    expect(make).toThrow('test/alerts: contactEmails[1] "oncall" ');
  });

  test("without contact emails, Cockpit's alerts go to no contact point (found by npm run mutate)", () => {
    const manager = build((s) => new RedisAlerts(s, "alerts", { region: "fr-par" })).scaleway_cockpit_alert_manager;
    expect(Object.values<any>(manager).map((m) => m.contact_points)).toStrictEqual([undefined]);
  });
});

describe("networks and secrets, by default address", () => {
  test("the NAT's router and the Scaleway VPC sit at <id>_router and <id>_vpc", () => {
    const nat = build((s) => {
      const network = new Network(s, "network", { name: "test-vpc", logicalId: "vpc" });
      new VpcNat(s, "egress", { network, region: "us-central1", routerName: "test-router", natName: "test-nat", subnetworkId: "projects/p/regions/us-central1/subnetworks/s" });
    });
    expect(Object.keys(nat.google_compute_router)).toEqual(["egress_router"]);
    const scaleway = build((s) => new PrivateNetwork(s, "shared", { vpcName: "test-vpc", privateNetworkName: "test-pn", region: "fr-par", cidr: "10.0.0.0/24", tags: [] }));
    expect(Object.keys(scaleway.scaleway_vpc)).toEqual(["shared_vpc"]);
  });

  test("a referenced private network's ID is <region or zone>/<uuid> or a bare uuid, whole", () => {
    const uuid = "11111111-2222-3333-4444-555555555555";
    const reference = (id: string) => () => build((s) => PrivateNetwork.fromId(s, "ref", { id }));
    for (const id of [`fr-par/${uuid}`, `fr-par-1/${uuid}`, uuid]) expect(reference(id)).not.toThrow();
    for (const id of [`x${uuid}`, `${uuid}0`, `fr-par-x/${uuid}`, `/${uuid}`]) {
      expect(reference(id)).toThrow(`test/ref: id ${JSON.stringify(id)} must be a private network ID: <region>/<uuid> or <uuid>`);
    }
  });

  test("a private network's range is named as cidr when refused", () => {
    expect(() => build((s) => new PrivateNetwork(s, "pn", { vpcName: "test-vpc", privateNetworkName: "test-pn", region: "fr-par", cidr: "10.0.0.1/24", tags: [] }))).toThrow('test/pn: cidr "10.0.0.1/24"');
  });

  test("a referenced private network's subnet is checked", () => {
    const make = () => build((s) => PrivateNetwork.fromId(s, "ref", { id: "fr-par/11111111-2222-3333-4444-555555555555", subnet: "10.0.0.0/33" }));
    expect(make).toThrow('test/ref: subnet "10.0.0.0/33" must be a valid IPv4 CIDR');
  });

  test("the Redis secrets' prefix is a Secret Manager ID", () => {
    const make = () => build((s) => {
      const network = new Network(s, "network", { name: "test-vpc", logicalId: "vpc" });
      const redis = new Memorystore(s, "cache", { name: "test-cache", region: "us-central1", network, reservedIpRange: "10.9.0.0/29", transitEncryption: true, deletionProtection: true });
      new RedisSecrets(s, "secrets", { prefix: "staging redis", redis });
    });
    expect(make).toThrow(`test/secrets: prefix "staging redis" must be 1-240 letters, digits, '_' or '-' (Secret Manager IDs)`);
  });
});

describe("Direct VPC egress and Shared VPC connector access", () => {
  const network = (s: TerraformStack) => new Network(s, "network", { name: "test-vpc", logicalId: "vpc" });
  const direct = (overrides: Record<string, string>) => () =>
    build((s) => new DirectVpcEgress(s, "direct", { network: network(s), region: "us-central1", subnetName: "test-run", ipCidrRange: "10.8.0.0/26", networkTag: "run", ...overrides }));

  test.each([
    [{ subnetName: "Test-Run" }, 'test/direct: subnetName "Test-Run" must be'],
    [{ networkTag: "Run" }, 'test/direct: networkTag "Run" must be'],
    [{ ipCidrRange: "10.8.0.1/26" }, 'test/direct: ipCidrRange "10.8.0.1/26"'],
  ])("Direct VPC egress refuses %j, naming the field", (overrides, message) => {
    expect(direct(overrides)).toThrow(message);
  });

  const shared = (serviceProjectNumber: string) =>
    build((s) => new SharedVpcConnectorAccess(s, "shared", { network: network(s), hostProject: "netra-host", serviceProjectNumber, ruleName: (id) => `test-${id.replace(/_/g, "-")}` }));

  test("Shared VPC access refuses a service project number that is not one, naming the field", () => {
    expect(() => shared("netra")).toThrow('test/shared: serviceProjectNumber "netra" must be a GCP project number');
  });

  test("each of Google's Shared VPC connector rules says what it lets through", () => {
    const firewall = Object.values<any>(shared("123456789012").google_compute_firewall);
    // Google's own traffic is not logged (found by npm run mutate).
    expect(firewall.map((rule) => rule.log_config)).toStrictEqual([undefined, undefined, undefined, undefined]);
    const rules = firewall.map((rule) => rule.description).sort();
    expect(rules).toEqual([
      "Google's health checks of the connector (Shared VPC)",
      "Google's serverless infrastructure to the connector (Shared VPC)",
      "Requests from the connector into the network (Shared VPC)",
      "The connector back to Google's serverless infrastructure (Shared VPC)",
    ]);
  });
});
