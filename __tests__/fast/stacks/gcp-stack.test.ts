import { Testing, TerraformStack } from "cdktf";
import { readFileSync } from "fs";
import path from "path";
import { Network } from "../../../constructs/gcp/network";
import { VpcConnector } from "../../../constructs/gcp/vpc-connector";
import { connectorNameProblem } from "../../../limits/gcp";
import { connectorName, scopedName } from "../../../naming/names";
import { LOGICAL_ID } from "../../../stacks/logical-ids";
import { rawConfig, referencedAddresses, resources, ROOT, strings, Synthesized, synthAll, synthStack } from "../../helpers/helpers";

// Synthesized in a hook, not at load: a synth that throws fails the tests instead of the file.
let stacks: Record<string, Synthesized>;
let staging: Record<string, any>;
let production: Record<string, any>;
beforeAll(() => {
  stacks = synthAll();
  staging = resources(stacks["gcp-staging"]);
  production = resources(stacks["gcp-production"]);
});
const config = rawConfig().environments;

describe("firewall rules", () => {
  let rule: any;
  beforeAll(() => (rule = staging["google_compute_firewall.allow_vpc_connector_to_redis"]));

  test("the Redis rule's source is exactly the connector's range, on the Redis port", () => {
    expect(rule.source_ranges).toEqual([staging["google_compute_subnetwork.connector"].ip_cidr_range]);
    expect(rule.source_ranges).toEqual([config.staging.gcp.connector.cidr]);
    expect(rule.allow).toEqual([{ protocol: "tcp", ports: ["6379"] }]);
    expect(rule.destination_ranges).toEqual([config.staging.gcp.redis.cidr]);
    expect(rule.direction).toBe("INGRESS");
  });

  test("the rule follows the configuration rather than a literal", () => {
    const raw = rawConfig();
    raw.environments.staging.gcp.connector.cidr = "10.9.0.16/28";
    raw.environments.staging.gcp.redis.transitEncryption = true;
    const changed = resources(synthStack("gcp-staging", raw))["google_compute_firewall.allow_vpc_connector_to_redis"];
    expect(changed.source_ranges).toEqual(["10.9.0.16/28"]);
    expect(changed.allow[0].ports).toEqual(["6378"]);
  });

  test("the port follows the TLS setting: 6378 with transit encryption, 6379 without", () => {
    expect(staging["google_compute_firewall.allow_vpc_connector_to_redis"].allow[0].ports).toEqual(["6379"]);
    expect(production["google_compute_firewall.allow_vpc_connector_to_redis"].allow[0].ports).toEqual(["6378"]);
    expect(production["google_redis_instance.main"].transit_encryption_mode).toBe("SERVER_AUTHENTICATION");
  });

  test("the connector waits for the Redis rule, by bare address as depends_on requires", () => {
    for (const stack of [staging, production]) {
      expect(stack["google_vpc_access_connector.connector"].depends_on).toEqual(["google_compute_firewall.allow_vpc_connector_to_redis"]);
    }
  });

  test("both rules log with all metadata", () => {
    for (const name of ["allow_vpc_connector_to_redis", "allow_internal_vpc_communication"]) {
      expect(staging[`google_compute_firewall.${name}`].log_config).toEqual({ metadata: "INCLUDE_ALL_METADATA" });
    }
  });

  test("no rule admits the whole internet", () => {
    for (const stack of [staging, production]) {
      for (const [address, body] of Object.entries(stack)) {
        if (address.startsWith("google_compute_firewall.")) expect(body.source_ranges).not.toContain("0.0.0.0/0");
      }
    }
  });
});

describe("NAT", () => {
  test("is created where the environment enables it, with count = 1 to keep the [0] address", () => {
    expect(config.staging.gcp.nat.enabled).toBe(true);
    expect(staging["google_compute_router.router"].count).toBe(1);
    expect(staging["google_compute_router_nat.nat"].count).toBe(1);
  });

  test("is absent where the environment disables it", () => {
    expect(config.production.gcp.nat.enabled).toBe(false);
    expect(Object.keys(production).filter((a) => a.startsWith("google_compute_router"))).toEqual([]);
  });

  test("translates only the connector's subnet", () => {
    const nat = staging["google_compute_router_nat.nat"];
    expect(nat.source_subnetwork_ip_ranges_to_nat).toBe("LIST_OF_SUBNETWORKS");
    expect(nat.subnetwork).toEqual([{ name: "${google_compute_subnetwork.connector.id}", source_ip_ranges_to_nat: ["ALL_IP_RANGES"] }]);
  });
});

describe("dependencies are stated, so Terraform cannot order resources wrongly", () => {
  const edges: [string, string][] = [
    ["google_compute_subnetwork.connector", "google_compute_network.vpc"],
    ["google_vpc_access_connector.connector", "google_compute_subnetwork.connector"],
    ["google_compute_firewall.allow_vpc_connector_to_redis", "google_compute_network.vpc"],
    ["google_compute_firewall.allow_internal_vpc_communication", "google_compute_network.vpc"],
    ["google_compute_router.router", "google_compute_network.vpc"],
    ["google_compute_router_nat.nat", "google_compute_router.router"],
    ["google_compute_router_nat.nat", "google_compute_subnetwork.connector"],
  ];
  test.each(edges)("%s depends on %s", (from, to) => {
    const { "//": _metadata, ...body } = staging[from];
    expect(referencedAddresses(body)).toContain(to);
  });

  test("the NAT names instance [0] of the counted router", () => {
    expect(staging["google_compute_router_nat.nat"].router).toBe("${google_compute_router.router[0].name}");
  });
});

/** The attribute that names a resource, where it has one. */
function nameOf(address: string, body: any): string | undefined {
  if (address.startsWith("google_cloud_run_v2_service_iam_member.")) return undefined; // names its service
  if (address.startsWith("google_service_account.")) return body.account_id;
  if (address.startsWith("google_secret_manager_secret.")) return body.secret_id;
  return body.name;
}

describe("names", () => {
  test.each(["staging", "production"])("every %s name comes from the naming function", (environment) => {
    const stack = resources(stacks[`gcp-${environment}`]);
    const names = Object.entries(stack).flatMap(([address, body]) => nameOf(address, body) ?? []);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(name.startsWith(scopedName(environment, ""))).toBe(true);
    expect(stack["google_compute_network.vpc"].name).toBe(scopedName(environment, "vpc"));
    expect(stack["google_vpc_access_connector.connector"].name).toBe(connectorName(environment));
    expect(stack["google_compute_firewall.allow_vpc_connector_to_redis"].name).toBe(scopedName(environment, "allow-vpc-connector-to-redis"));
  });

  test.each(["abcdefghijklmno", "abcdef-hijklmn", "a1-b2-c3-d4"])("the longest environment names the schema allows (%s) give names Google accepts", (environment) => {
    const raw = rawConfig();
    raw.environments = { [environment]: { gcp: raw.environments.production.gcp } };
    const stack = resources(synthStack(`gcp-${environment}`, raw));
    const name = stack["google_vpc_access_connector.connector"].name;
    expect(connectorNameProblem(name)).toBeUndefined();
    expect(name.length + name.split("-").length - 1).toBeLessThan(21);
  });

  test("nothing in a production stack says staging", () => {
    for (const name of ["gcp-production", "scaleway-production"]) {
      const found = strings(stacks[name]).filter(([, value]) => value.includes("staging"));
      expect(found).toEqual([]);
    }
  });

  test("two environments sharing one project get distinct project-wide names", () => {
    const raw = rawConfig();
    raw.environments.production.gcp.project = raw.environments.staging.gcp.project;
    const both = synthAll(raw);
    const namesOf = (stack: string) => Object.entries(resources(both[stack])).flatMap(([address, body]) => nameOf(address, body) ?? []);
    const shared = namesOf("gcp-staging").filter((name) => namesOf("gcp-production").includes(name));
    expect(shared).toEqual([]);
  });
});

/** What production gets by default, alerting on the Redis path, and the channel its configuration adds. */
const PRODUCTION_ALERTS = [
  "google_monitoring_alert_policy.backend_health",
  "google_monitoring_alert_policy.connector_down",
  "google_monitoring_alert_policy.connector_saturated",
  "google_monitoring_alert_policy.redis_memory",
  "google_monitoring_alert_policy.redis_rejected_connections",
  "google_monitoring_notification_channel.email",
  "google_monitoring_uptime_check_config.backend_health",
];

describe("production readiness", () => {
  test("replaced secret versions are abandoned, not deleted, and nothing is create_before_destroy (Terraform would force it onto the fixed-name Redis: 409 at apply)", () => {
    const versions = Object.entries(production).filter(([address]) => address.startsWith("google_secret_manager_secret_version."));
    expect(versions.length).toBe(5);
    for (const [, version] of versions) expect(version.deletion_policy).toBe("ABANDON");
    for (const stack of [staging, production]) {
      for (const [address, body] of Object.entries(stack)) expect([address, body.lifecycle?.create_before_destroy]).toEqual([address, undefined]);
    }
  });

  test("production Memorystore has its maintenance window; staging leaves it to Google", () => {
    expect(production["google_redis_instance.main"].maintenance_policy).toEqual({ weekly_maintenance_window: [{ day: "SUNDAY", start_time: { hours: 3, minutes: 0 } }] });
    expect(staging["google_redis_instance.main"]).not.toHaveProperty("maintenance_policy");
  });

  test("the internal rule admits the network's ranges to the serverless path only", () => {
    expect(staging["google_compute_firewall.allow_internal_vpc_communication"].target_tags).toEqual(["vpc-connector-us-central1-staging-vac"]);
  });

  test.each([
    ["allUsers", true, undefined],
    ["invokerIamDisabled", false, true],
    ["authenticated", false, undefined],
  ])("invoker %s: public binding %s, invoker_iam_disabled %s", (invoker, binding, disabled) => {
    const raw = rawConfig();
    raw.environments.staging.gcp.backend = { invoker };
    const stack = resources(synthStack("gcp-staging", raw));
    const member = stack["google_cloud_run_v2_service_iam_member.backend_public_invoker"];
    expect(member !== undefined).toBe(binding);
    if (binding) expect(member).toMatchObject({ count: 1, role: "roles/run.invoker", member: "allUsers", name: "${google_cloud_run_v2_service.backend.name}" });
    expect(stack["google_cloud_run_v2_service.backend"].invoker_iam_disabled).toBe(disabled);
  });
});

describe("resource addresses", () => {
  test("match the hand-written files", () => {
    expect(Object.keys(staging).sort()).toEqual([
      "google_cloud_run_v2_service.backend",
      "google_cloud_run_v2_service_iam_member.backend_public_invoker",
      "google_compute_firewall.allow_internal_vpc_communication",
      "google_compute_firewall.allow_vpc_connector_to_redis",
      "google_compute_network.vpc",
      "google_compute_router.router",
      "google_compute_router_nat.nat",
      "google_compute_subnetwork.connector",
      "google_network_management_connectivity_test.serverless_to_redis",
      "google_redis_instance.main",
      "google_secret_manager_secret.redis_auth",
      "google_secret_manager_secret.redis_host",
      "google_secret_manager_secret.redis_port",
      "google_secret_manager_secret.redis_url",
      "google_secret_manager_secret_iam_member.backend_redis_auth",
      "google_secret_manager_secret_iam_member.backend_redis_host",
      "google_secret_manager_secret_iam_member.backend_redis_port",
      "google_secret_manager_secret_iam_member.backend_redis_url",
      "google_secret_manager_secret_version.redis_auth",
      "google_secret_manager_secret_version.redis_host",
      "google_secret_manager_secret_version.redis_port",
      "google_secret_manager_secret_version.redis_url",
      "google_service_account.backend",
      "google_vpc_access_connector.connector",
    ]);
    // Production only: the TLS CA and the alerts (on by default in production).
    const productionOnly = Object.keys(production).filter((address) => !(address in staging)).sort();
    expect(productionOnly).toEqual([
      ...PRODUCTION_ALERTS,
      "google_secret_manager_secret.redis_ca_cert",
      "google_secret_manager_secret_iam_member.backend_redis_ca_cert",
      "google_secret_manager_secret_version.redis_ca_cert",
    ]);
  });

  test("are the ones the stack gives, whatever the construct ids", () => {
    const stack = new TerraformStack(Testing.app(), "renamed");
    const network = new Network(stack, "some-other-id", { name: "test-vpc", logicalId: LOGICAL_ID.gcp.network });
    const addresses = { subnet: LOGICAL_ID.gcp.connectorSubnet, connector: LOGICAL_ID.gcp.connector };
    new VpcConnector(stack, "yet-another-id", { network, region: "europe-west1", name: "test-connector", subnetName: "test-subnet", ipCidrRange: "10.8.0.0/28", addresses });
    const synthesized = Object.keys(resources(JSON.parse(Testing.synth(stack))));
    expect(synthesized.sort()).toEqual(["google_compute_network.vpc", "google_compute_subnetwork.connector", "google_vpc_access_connector.connector"]);
  });

  test("follow from the construct ids where the stack gives none", () => {
    const stack = new TerraformStack(Testing.app(), "renamed");
    const network = new Network(stack, "some-other-id", { name: "test-vpc" });
    new VpcConnector(stack, "yet-another-id", { network, region: "europe-west1", name: "test-connector", subnetName: "test-subnet", ipCidrRange: "10.8.0.0/28" });
    const synthesized = Object.keys(resources(JSON.parse(Testing.synth(stack))));
    expect(synthesized.sort()).toEqual(["google_compute_network.some_other_id", "google_compute_subnetwork.yet_another_id_subnet", "google_vpc_access_connector.yet_another_id"]);
  });
});

describe("Memorystore, secrets and the Cloud Run service", () => {
  let service: any;
  let container: any;
  beforeAll(() => {
    service = production["google_cloud_run_v2_service.backend"];
    container = service.template.containers[0];
  });
  const secretEnv = (name: string) => container.env.find((e: any) => e.name === name)?.value_source.secret_key_ref;

  test("Redis has AUTH on, lives on the environment's VPC, and is protected from deletion in production and wherever it is adopted", () => {
    for (const stack of [staging, production]) {
      expect(stack["google_redis_instance.main"].auth_enabled).toBe(true);
      expect(stack["google_redis_instance.main"].authorized_network).toBe("${google_compute_network.vpc.id}");
      expect(stack["google_redis_instance.main"]).toMatchObject({ lifecycle: { prevent_destroy: true }, deletion_protection: true, reserved_ip_range: stack === staging ? "10.166.204.80/29" : "10.166.205.80/29" });
    }
    const raw = rawConfig();
    delete raw.environments.staging.gcp.adopt;
    const fresh = resources(synthStack("gcp-staging", raw))["google_redis_instance.main"];
    expect(fresh).not.toHaveProperty("lifecycle");
    expect(fresh.deletion_protection).toBe(false);
    // Google never reports reserved_ip_range back: after the import, a change to it would replace it.
    expect(staging["google_redis_instance.main"].lifecycle.ignore_changes).toEqual(["reserved_ip_range"]);
    expect(production["google_redis_instance.main"].lifecycle).not.toHaveProperty("ignore_changes");
    expect(staging["google_redis_instance.main"].transit_encryption_mode).toBe("DISABLED");
  });

  test("every secret's value comes from the instance, none from a literal", () => {
    expect(production["google_secret_manager_secret_version.redis_host"].secret_data).toBe("${google_redis_instance.main.host}");
    expect(production["google_secret_manager_secret_version.redis_port"].secret_data).toBe("${tostring(google_redis_instance.main.port)}");
    expect(production["google_secret_manager_secret_version.redis_auth"].secret_data).toBe("${google_redis_instance.main.auth_string}");
    expect(production["google_secret_manager_secret_version.redis_ca_cert"].secret_data).toBe('${join("\\n", google_redis_instance.main.server_ca_certs[*].cert)}');
  });

  test("the service is on the connector, private ranges only, and reads Redis settings from those secrets", () => {
    expect(service.template.vpc_access).toEqual({ connector: "${google_vpc_access_connector.connector.id}", egress: "PRIVATE_RANGES_ONLY" });
    expect(secretEnv("REDIS_HOST")).toEqual({ secret: "${google_secret_manager_secret.redis_host.secret_id}", version: "${google_secret_manager_secret_version.redis_host.version}" });
    expect(secretEnv("REDIS_PASSWORD")?.secret).toBe("${google_secret_manager_secret.redis_auth.secret_id}");
    expect(secretEnv("REDIS_URL")?.secret).toBe("${google_secret_manager_secret.redis_url.secret_id}");
    expect(container.env.map((e: any) => e.name).sort()).toEqual(["REDIS_CA_CERT", "REDIS_HOST", "REDIS_PASSWORD", "REDIS_PORT", "REDIS_TLS", "REDIS_URL"]);
    expect(secretEnv("REDIS_CA_CERT")?.secret).toBe("${google_secret_manager_secret.redis_ca_cert[0].secret_id}");
    expect(container.env.find((e: any) => e.name === "REDIS_TLS").value).toBe("true");
    expect(service.deletion_protection).toBe(true);
    expect(staging["google_cloud_run_v2_service.backend"].deletion_protection).toBe(false);
  });

  test("its service account may read exactly the Redis secrets, and the service waits for that", () => {
    const grants = Object.entries(production).filter(([address]) => address.startsWith("google_secret_manager_secret_iam_member."));
    expect(grants.map(([, g]) => g.secret_id).sort()).toEqual([
      "${google_secret_manager_secret.redis_auth.id}",
      "${google_secret_manager_secret.redis_ca_cert[0].id}",
      "${google_secret_manager_secret.redis_host.id}",
      "${google_secret_manager_secret.redis_port.id}",
      "${google_secret_manager_secret.redis_url.id}",
    ]);
    for (const [, grant] of grants) {
      expect(grant.role).toBe("roles/secretmanager.secretAccessor");
      expect(grant.member).toBe("${google_service_account.backend.member}");
    }
    const iamTypes = Object.keys(production).filter((a) => /iam|project_iam/.test(a) && !a.startsWith("google_secret_manager_secret_iam_member."));
    expect(iamTypes).toEqual(["google_cloud_run_v2_service_iam_member.backend_public_invoker"]);
    expect(service.depends_on.sort()).toEqual(grants.map(([address]) => address).sort());
    expect(service.template.service_account).toBe("${google_service_account.backend.email}");
  });

  test.each(["staging", "production"])("%s scales within its configured instance bounds", (environment) => {
    const { minInstances, maxInstances } = rawConfig().environments[environment].gcp.backend;
    const service = (environment === "staging" ? staging : production)["google_cloud_run_v2_service.backend"];
    expect(service.template.scaling).toEqual({ min_instance_count: minInstances, max_instance_count: maxInstances });
    expect([minInstances, maxInstances]).toEqual(environment === "staging" ? [0, 3] : [1, 10]);
  });

  test("the image is a deploy-time variable that refuses an implicit latest", () => {
    expect(container.image).toBe("${var.backend_image}");
    expect(stacks["gcp-production"].variable.backend_image.validation[0].error_message).toMatch(/no implicit latest/);
  });
});

describe("cut-over: the live staging resources are adopted, not collided with", () => {
  test("import blocks take over the network and the Redis instance, which keeps its live name", () => {
    expect(stacks["gcp-staging"].import).toEqual([
      { to: "google_compute_network.vpc", id: "projects/netra-staging/global/networks/staging-vpc" },
      { to: "google_redis_instance.main", id: "projects/netra-staging/locations/us-central1/instances/staging-redis-f1adc35c" },
    ]);
    expect(staging["google_redis_instance.main"].name).toBe("staging-redis-f1adc35c");
    expect(staging["google_compute_network.vpc"].name).toBe("staging-vpc");
    expect(stacks["gcp-production"]).not.toHaveProperty("import");
  });

  test("what stays live beside the stack gets a name that cannot collide, and docs/cut-over.md names what is created", () => {
    const cutOver = readFileSync(path.join(ROOT, "docs", "cut-over.md"), "utf8");
    const quoted = (text: string) => [...text.matchAll(/`([a-z][a-z0-9-]*)`/g)].map((m) => m[1]);
    const created = quoted(cutOver.match(/\*\*Created beside the live ones\*\*([\s\S]*?)\n- \*\*/)![1]).filter((name) => !/^10\./.test(name));
    const deletedByHand = quoted(cutOver.match(/only\s+then delete ([^.]*)/)![1]);
    const liveSubnets = JSON.parse(readFileSync(path.join(ROOT, "live", "gcp-staging", "subnets.staging-vpc.json"), "utf8")).map((subnet: { name: string }) => subnet.name);
    const namesInStack = Object.values(staging).map((body: any) => body.name).filter((name) => typeof name === "string");
    expect(created).toEqual(["staging-vac", "staging-connector-subnet", "vpc-connector-subnet", "staging-allow-vpc-connector-to-redis", "staging-allow-internal-vpc-communication", "staging-backend"]);
    expect(created.filter((name) => name !== "vpc-connector-subnet").filter((name) => !namesInStack.includes(name))).toEqual([]);
    expect(deletedByHand).toEqual(["netra-backend-staging", "staging-connector"]);
    const live = [...deletedByHand, ...liveSubnets.filter((name: string) => name !== "staging-vpc"), "allow-vpc-connector-to-redis", "allow-internal-vpc-communication"]; // seed 000's rules
    expect(namesInStack.filter((name) => live.includes(name))).toEqual([]);
  });

  test("adopting a network under another name, or a Redis of another environment, is refused", () => {
    const raw = rawConfig();
    raw.environments.staging.gcp.adopt = { network: "vpc", redis: "production-redis" };
    expect(() => synthAll(raw)).toThrow(/environments\.staging\.gcp\.adopt\.network: must be the stack's network name "staging-vpc": a network is renamed only by replacing it \(got "vpc"\)[\s\S]*environments\.staging\.gcp\.adopt\.redis: must start with "staging-"/);
  });
});

test("a revision takes traffic only once its health path answers; liveness GETs its own path, so a Redis outage restarts nothing", () => {
  for (const stack of [staging, production]) {
    const container = stack["google_cloud_run_v2_service.backend"].template.containers[0];
    expect(container.startup_probe).toEqual({ http_get: { path: "/health" }, period_seconds: 5, timeout_seconds: 3, failure_threshold: 24 });
    expect(container.liveness_probe).toEqual({ http_get: { path: "/healthz" }, period_seconds: 30, timeout_seconds: 5, failure_threshold: 3 });
  }
  const raw = rawConfig();
  raw.environments.staging.gcp.backend.healthPath = "/ready";
  raw.environments.staging.gcp.backend.livenessPath = "/alive";
  const container = resources(synthStack("gcp-staging", raw))["google_cloud_run_v2_service.backend"].template.containers[0];
  expect([container.startup_probe.http_get.path, container.liveness_probe.http_get.path]).toEqual(["/ready", "/alive"]);
  raw.environments.staging.gcp.backend.healthPath = "health";
  raw.environments.staging.gcp.backend.livenessPath = "/alive?deep=1";
  expect(() => synthAll(raw)).toThrow(/environments\.staging\.gcp\.backend\.healthPath: must be an HTTP path starting with "\/" \(got "health"\)[\s\S]*environments\.staging\.gcp\.backend\.livenessPath: must be an HTTP path starting with "\/" \(got "\/alive\?deep=1"\)/);
});

describe("alerts on the Redis path (on by default in production)", () => {
  const policies = (stack: Record<string, any>) => Object.keys(stack).filter((a) => a.startsWith("google_monitoring_")).sort();

  test("production: Redis refusing connections or near full, the connector down or saturated, the backend's health failing", () => {
    expect(policies(production)).toEqual(PRODUCTION_ALERTS);
    expect(policies(staging)).toEqual([]);
    const rejected = production["google_monitoring_alert_policy.redis_rejected_connections"];
    expect(rejected.conditions[0].condition_threshold.filter).toBe(
      'resource.type = "redis_instance" AND resource.label.instance_id = "${google_redis_instance.main.id}" AND metric.type = "redis.googleapis.com/stats/reject_connections_count"',
    );
    expect(production["google_monitoring_alert_policy.connector_saturated"].conditions[0].condition_threshold.threshold_value).toBe(9);
    expect(production["google_monitoring_uptime_check_config.backend_health"].http_check).toEqual({ path: "/health", port: 443, use_ssl: true, validate_ssl: true });
  });

  test("production's alerts go to the team's email channel, which the stack creates", () => {
    expect(production["google_monitoring_notification_channel.email"]).toEqual({
      count: 1, project: "netra-production", display_name: "production: on-call email", type: "email", labels: { email_address: "platform-oncall@netrasystems.ai" },
    });
    for (const address of policies(production).filter((a) => a.includes("alert_policy"))) {
      expect(production[address].notification_channels).toEqual(["${google_monitoring_notification_channel.email[0].name}"]);
    }
  });

  test("a PagerDuty channel takes its key from the apply, write-only: in no configuration, plan or state", () => {
    const raw = rawConfig();
    const existing = "projects/netra-production/notificationChannels/1234567890";
    Object.assign(raw.environments.production.gcp.alerts, { pagerDuty: { keyVersion: 2 }, notificationChannels: [existing] });
    const synthesized = synthStack("gcp-production", raw);
    const stack = resources(synthesized);
    expect(stack["google_monitoring_notification_channel.pagerduty"]).toEqual({
      count: 1, project: "netra-production", display_name: "production: PagerDuty", type: "pagerduty",
      sensitive_labels: { service_key_wo: "${var.alert_pagerduty_service_key}", service_key_wo_version: "2" },
    });
    expect(stack["google_monitoring_alert_policy.redis_memory"].notification_channels).toEqual([existing, ...["email", "pagerduty"].map((c) => `\${google_monitoring_notification_channel.${c}[0].name}`)]);
    // A plan without the key (a pull request's) passes; an apply without it is refused.
    expect(synthesized.variable.alert_pagerduty_service_key).toEqual({
      type: "string", default: "", sensitive: true, ephemeral: true, description: "Integration key of the PagerDuty service the alerts page",
      validation: [{
        condition: '${!terraform.applying || var.alert_pagerduty_service_key != ""}',
        error_message: "alert_pagerduty_service_key is empty: the apply must give the PagerDuty service's integration key as TF_VAR_alert_pagerduty_service_key (a secret: never in config/environments.json).",
      }],
    });
    // Where there is no such channel there is no key to give.
    expect(Object.keys(stacks["gcp-production"].variable)).toEqual(["backend_image"]);
    raw.environments.production.gcp.alerts.pagerDuty = { keyVersion: 0 };
    expect(() => synthAll(raw)).toThrow("environments.production.gcp.alerts.pagerDuty.keyVersion: must be an integer of at least 1 (got 0)");
  });

  test("production alerts that notify no one are refused, naming the field; elsewhere, and with alerts off, they may", () => {
    const raw = rawConfig();
    delete raw.environments.production.gcp.alerts;
    raw.environments.production.scaleway.alerts.contactEmails = [];
    expect(() => synthAll(raw)).toThrow(
      /environments\.production\.gcp\.alerts: production alerts notify no one: add alerts\.email \(a team address\), alerts\.pagerDuty or alerts\.notificationChannels \(got .*\)\n\s+- environments\.production\.scaleway\.alerts: production alerts notify no one: add alerts\.contactEmails \(a team address\)/,
    );
    raw.environments.production.gcp.alerts = { enabled: false };
    raw.environments.production.scaleway.alerts.enabled = false;
    expect(() => synthAll(raw)).not.toThrow();
    raw.environments.staging.gcp.alerts = { enabled: true };
    expect(() => synthAll(raw)).not.toThrow();
  });

  test("opt-in elsewhere, to the configured channels; no uptime check where the backend needs authentication", () => {
    const raw = rawConfig();
    const channel = "projects/netra-staging/notificationChannels/1234567890";
    raw.environments.staging.gcp.alerts = { enabled: true, notificationChannels: [channel] };
    raw.environments.staging.gcp.backend.invoker = "authenticated";
    const stack = resources(synthStack("gcp-staging", raw));
    expect(policies(stack)).toHaveLength(4);
    for (const address of policies(stack)) expect(stack[address].notification_channels).toEqual([channel]);
    raw.environments.staging.gcp.alerts.notificationChannels = ["alerts@netra.example"];
    expect(() => synthAll(raw)).toThrow("environments.staging.gcp.alerts.notificationChannels.0: must be a notification channel, projects/<project>/notificationChannels/<id>");
    raw.environments.staging.gcp.alerts = { enabled: true, email: "oncall" };
    expect(() => synthAll(raw)).toThrow('environments.staging.gcp.alerts.email: must be an email address (got "oncall")');
    const off = rawConfig();
    off.environments.production.gcp.alerts = { enabled: false };
    expect(policies(resources(synthStack("gcp-production", off)))).toEqual([]);
  });
});

describe("post-deploy reachability: a Connectivity Test from the serving revision to Redis", () => {
  test("from the revision serving traffic, over its VPC path, to the Memorystore host on its port", () => {
    for (const [stack, environment, port] of [[staging, "staging", 6379], [production, "production", 6378]] as const) {
      expect(stack["google_network_management_connectivity_test.serverless_to_redis"]).toMatchObject({
        name: `${environment}-serverless-to-redis`,
        project: `netra-${environment}`,
        protocol: "TCP",
        source: { cloud_run_revision: { uri: `projects/netra-${environment}/locations/us-central1/revisions/\${regex("[^/]+$", google_cloud_run_v2_service.backend.latest_ready_revision)}` } },
        destination: { redis_instance: "${google_redis_instance.main.id}", ip_address: "${google_redis_instance.main.host}", port },
        labels: { environment },
      });
    }
  });

  test("with Direct VPC egress the test is the same: the revision's own path is what Google traces", () => {
    const raw = rawConfig();
    delete raw.environments.production.gcp.connector;
    raw.environments.production.gcp.directVpcEgress = { cidr: "10.3.0.0/26" };
    const stack = resources(synthStack("gcp-production", raw));
    expect(stack["google_network_management_connectivity_test.serverless_to_redis"].source).toEqual(production["google_network_management_connectivity_test.serverless_to_redis"].source);
  });
});
