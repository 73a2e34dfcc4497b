import { existsSync, writeFileSync } from "fs";
import * as path from "path";
import { ConfigError, parseConfig, selectEnvironments } from "../../../config/load";
import { synthesize } from "../../../main";
import { configProblems, rawConfig, tempDir } from "../../helpers/helpers";

/** The problems a copy of the shipped configuration with changed environments is rejected with. */
const problems = (change: (environments: any) => void): string[] => configProblems((raw) => change(raw.environments));

test.each(["europe-west10", "europe-west12", "northamerica-northeast2"])("region %s is accepted", (region) => {
  const raw = rawConfig();
  raw.environments.staging.gcp.region = region;
  expect(parseConfig(raw).environments.staging.gcp?.region).toBe(region);
});

test("an environment name of 15 characters is accepted, and counts its hyphens twice", () => {
  const raw = { environments: { abcdefghijklmno: { gcp: rawConfig().environments.staging.gcp } } };
  delete raw.environments.abcdefghijklmno.gcp.adopt;
  expect(Object.keys(parseConfig(raw).environments)).toEqual(["abcdefghijklmno"]);
});

test("the shipped configuration is valid and gets the schema's defaults", () => {
  const raw = rawConfig();
  delete raw.environments.staging.gcp.connector.machineType;
  expect(parseConfig(raw).environments.staging.gcp?.connector?.machineType).toBe("e2-micro");
});

test("the liveness probe gets its own path by default, apart from the Redis-checking health path", () => {
  const { staging } = parseConfig(rawConfig()).environments;
  expect([staging.gcp?.backend.healthPath, staging.gcp?.backend.livenessPath]).toEqual(["/health", "/healthz"]);
  expect([staging.scaleway?.container.healthPath, staging.scaleway?.container.livenessPath]).toEqual(["/health", "/healthz"]);
  expect(problems((e) => (e.staging.gcp.backend.livenessPath = "healthz"))).toEqual(['environments.staging.gcp.backend.livenessPath: must be an HTTP path starting with "/" (got "healthz")']);
  expect(problems((e) => (e.staging.scaleway.container.livenessPath = "/ health"))).toEqual(['environments.staging.scaleway.container.livenessPath: must be an HTTP path starting with "/" (got "/ health")']);
});

describe("bad configuration is rejected with the field, the value and the rule", () => {
  test.each([
    ["a malformed CIDR", (e: any) => (e.staging.gcp.connector.cidr = "10.2.0.300/28"), 'environments.staging.gcp.connector.cidr: has an octet above 255 (got "10.2.0.300/28")'],
    ["a CIDR that is not CIDR", (e: any) => (e.staging.scaleway.privateNetwork.cidr = "172.16.0.0"), 'environments.staging.scaleway.privateNetwork.cidr: must be IPv4 CIDR notation a.b.c.d/n (got "172.16.0.0")'],
    ["host bits set", (e: any) => (e.staging.gcp.connector.cidr = "10.2.0.1/28"), 'environments.staging.gcp.connector.cidr: has host bits set; the network is 10.2.0.0/28 (got "10.2.0.1/28")'],
    ["a connector range that is not /28", (e: any) => (e.production.gcp.connector.cidr = "10.3.0.0/24"), 'environments.production.gcp.connector.cidr: must be a /28 range (got "10.3.0.0/24")'],
    ["a public range", (e: any) => (e.staging.gcp.redis.cidr = "8.8.8.0/29"), 'environments.staging.gcp.redis.cidr: must lie in an RFC 1918 private range (10/8, 172.16/12, 192.168/16) (got "8.8.8.0/29")'],
    ["overlapping ranges", (e: any) => (e.staging.gcp.redis.cidr = "10.2.0.24/29"), 'environments.staging.gcp.redis.cidr: overlaps connector.cidr (10.2.0.16/28) (got "10.2.0.24/29")'],
    ["a missing project", (e: any) => delete e.staging.gcp.project, "environments.staging.gcp.project: is required (string)"],
    ["a missing region", (e: any) => delete e.production.gcp.region, "environments.production.gcp.region: is required (string)"],
    ["a missing Scaleway region", (e: any) => delete e.staging.scaleway.region, "environments.staging.scaleway.region:"],
    ["a malformed project", (e: any) => (e.staging.gcp.project = "Netra_Staging"), 'environments.staging.gcp.project: must be a GCP project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter (got "Netra_Staging")'],
    ["a zone outside the region", (e: any) => (e.staging.scaleway.zone = "nl-ams-1"), 'environments.staging.scaleway.zone: must lie in region fr-par (Redis is zonal, the private network regional) (got "nl-ams-1")'],
    ["min instances not below max", (e: any) => (e.staging.gcp.connector.minInstances = 9) && (e.staging.gcp.connector.maxInstances = 9), "environments.staging.gcp.connector.maxInstances: must be greater than connector.minInstances (9) (got 9)"],
    ["a Redis cluster of no nodes", (e: any) => (e.staging.scaleway.redis.clusterSize = 0), "environments.staging.scaleway.redis.clusterSize:"],
    ["a maintenance hour past 23", (e: any) => (e.production.gcp.redis.maintenanceWindow.hour = 24), "environments.production.gcp.redis.maintenanceWindow.hour:"],
    ["a maintenance day that is no weekday", (e: any) => (e.production.gcp.redis.maintenanceWindow.day = "SUNDAYS"), 'environments.production.gcp.redis.maintenanceWindow.day: must be one of "MONDAY"'],
    ["an image without a tag", (e: any) => (e.staging.scaleway.container.image = "rg.fr-par.scw.cloud/x/backend"), 'environments.staging.scaleway.container.image: must name an image with a tag or a sha256 digest (no implicit latest) (got "rg.fr-par.scw.cloud/x/backend")'],
    ["an unknown invoker", (e: any) => (e.staging.gcp.backend.invoker = "everyone"), 'environments.staging.gcp.backend.invoker: must be one of "allUsers", "invokerIamDisabled", "authenticated" (got "everyone")'],
    ["an unknown setting", (e: any) => (e.staging.gcp.nat.enable = true), "environments.staging.gcp.nat.enable: is not a known setting; did you mean \"enabled\"? (got true)"],
    ["a Redis ACL", (e: any) => (e.production.scaleway.redis.acl = [{ ip: "0.0.0.0/0" }]), 'environments.production.scaleway.redis.acl: is not supported: ACLs guard only a public endpoint, and Redis here has only its private-network endpoint (the provider\'s acl conflicts with private_network) (got [{"ip":"0.0.0.0/0"}])'],
    ["an environment name that cannot be a resource name", (e: any) => (e.Staging = e.staging), 'environments.Staging: environment name "Staging" must be 1-15 lowercase letters, digits or hyphens, starting with a letter'],
    ["an environment without a cloud", (e: any) => (e.qa = {}), "environments.qa: must configure at least one cloud (gcp or scaleway)"],
    ["an environment name whose hyphens make the connector name too long", (e: any) => (e["a-b-c-d-e-f-g-h"] = e.staging), 'environments.a-b-c-d-e-f-g-h: environment name "a-b-c-d-e-f-g-h" counts 22 characters with each hyphen counting two; at most 15'],
    ["a service account ID from two valid fields that is too long", (e: any) => (e.production.gcp.backend = { name: "a-very-long-backend-nam" }), 'environments.production.gcp.backend.name: with environment "production" gives the service account ID "production-a-very-long-backend-nam" (34 characters); the environment name, "-" and gcp.backend.name together must be 6-30 characters (got "a-very-long-backend-nam")'],
    ["a service account ID too short", (e: any) => (e.qa = { gcp: { ...e.staging.gcp, backend: { name: "be" } } }), 'environments.qa.gcp.backend.name: with environment "qa" gives the service account ID "qa-be" (5 characters)'],
    ["a Redis user name Scaleway reserves", (e: any) => (e.staging.scaleway.redis.userName = "metrics"), 'environments.staging.scaleway.redis.userName: is reserved by Scaleway (scalewayadmin, metrics) (got "metrics")'],
    ["an adopted Memorystore name over 40 characters", (e: any) => (e.staging.gcp.adopt.redis = `staging-${"r".repeat(33)}`), `environments.staging.gcp.adopt.redis: must be a Memorystore instance name: at most 40 lowercase letters, digits or hyphens (got "staging-${"r".repeat(33)}")`],
    ["a region that is not a GCP region", (e: any) => (e.staging.gcp.region = "europe-west"), 'environments.staging.gcp.region: must be a GCP region such as us-central1 or europe-west10 (got "europe-west")'],
    // Rules across fields (found by npm run mutate: no test reached them).
    ["a Cloud Run variable both plain and secret", (e: any) => Object.assign(e.staging.gcp.backend, { environment: { API_KEY_ID: "k1" }, secrets: { API_KEY_ID: { secret: "api-key" } } }), 'environments.staging.gcp.backend.secrets.API_KEY_ID: variable "API_KEY_ID" is also in environment: give it once (got "API_KEY_ID")'],
    ["a container variable both plain and secret", (e: any) => Object.assign(e.staging.scaleway.container, { environment: { API_KEY_ID: "k1" }, secrets: { API_KEY_ID: { secret: "fr-par/11111111-2222-3333-4444-555555555555" } } }), 'environments.staging.scaleway.container.secrets.API_KEY_ID: variable "API_KEY_ID" is also in environment: give it once'],
    ["Shared VPC with Direct VPC egress", (e: any) => { e.staging.gcp.sharedVpc = { hostProject: "netra-network-host", serviceProjectNumber: "412873960154" }; e.staging.gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS"; e.staging.gcp.redis.cidr = "10.166.0.0/24"; delete e.staging.gcp.connector; e.staging.gcp.directVpcEgress = { cidr: "10.2.4.0/26" }; }, "environments.staging.gcp.sharedVpc: is supported with a connector, not directVpcEgress"],
    ["a private services access range under /24", (e: any) => (e.staging.gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS"), 'environments.staging.gcp.redis.cidr: must be a /24 or larger with connectMode PRIVATE_SERVICE_ACCESS (it is allocated to Google\'s services) (got "10.166.204.80/29")'],
    ["more minimum Cloud Run instances than maximum", (e: any) => (e.production.gcp.backend.minInstances = 11), "environments.production.gcp.backend.minInstances: must not exceed backend.maxInstances (10) (got 11)"],
    ["more minimum containers than maximum", (e: any) => (e.production.scaleway.container.minScale = 11), "environments.production.scaleway.container.minScale: must not exceed container.maxScale (10) (got 11)"],
    ["an ACL kept at the private step", (e: any) => (e.staging.scaleway.adopt.redis.step = "private"), 'environments.staging.scaleway.adopt.redis.publicAcl: must be removed with step "private": the endpoint moves to the private network, and ACLs guard only a public one'],
    ["production Scaleway alerts to no one", (e: any) => (e.production.scaleway.alerts.contactEmails = []), "environments.production.scaleway.alerts: production alerts notify no one: add alerts.contactEmails (a team address)"],
    ["an environment name of 16 characters (15 keep the connector's name under Google's 21)", (e: any) => (e.abcdefghijklmnop = e.staging), 'environments.abcdefghijklmnop: environment name "abcdefghijklmnop" must be 1-15 lowercase letters, digits or hyphens, starting with a letter'],
    ["a Cloud Run secret in a variable the platform sets", (e: any) => (e.staging.gcp.backend.secrets = { PORT: { secret: "port" } }), 'environments.staging.gcp.backend.secrets.PORT: variable "PORT" is set by the platform itself (got "PORT")'],
    ["an integer above its range", (e: any) => (e.staging.gcp.connector.minInstances = 10), "environments.staging.gcp.connector.minInstances: must be an integer from 2 to 9 (got 10)"],
    // Found by npm run mutate.
    ["a container variable with the platform's prefix", (e: any) => (e.staging.scaleway.container.environment = { SCW_REGION: "fr-par" }), "environments.staging.scaleway.container.environment.SCW_REGION: "],
    ["an environment whose Workload Identity pool ID would start with gcp-", (e: any) => (e["gcp-qa"] = e.staging), "environments.gcp-qa: gives the Workload Identity pool ID"],
    ["an environment whose Workload Identity provider ID would start with gcp-", (e: any) => (e["gcp-qa"] = e.staging), "environments.gcp-qa: gives the Workload Identity provider ID"],
    ["a third environment in a project two share", (e: any) => {
      Object.assign(e.staging.scaleway, { sharedProject: true });
      Object.assign(e.production.scaleway, { projectId: e.staging.scaleway.projectId, sharedProject: true });
      e.qa = { scaleway: { ...e.staging.scaleway, sharedProject: false, adopt: undefined } };
    }, "environments.qa.scaleway.projectId: is also environment staging's project"],
    ["two environments alerting in one shared project", (e: any) => {
      Object.assign(e.staging.scaleway, { sharedProject: true, alerts: { enabled: true } });
      Object.assign(e.production.scaleway, { projectId: e.staging.scaleway.projectId, sharedProject: true });
    }, "environments.production.scaleway.alerts.enabled: environment staging already alerts in project 4b7d2e91-3a6c-4f0e-8d15-7c9a2b6e1f03 (fr-par), which has one Cockpit alert manager; enable alerts in one of them (got true)"],
    ["an adopted Redis ID without its zone", (e: any) => (e.staging.scaleway.adopt.redis.id = "6a1d0c52-8e0b-4c3f-9d7e-2f4b1c9a7e31"), "must be the ID the provider imports, <zone>/<uuid>, e.g. fr-par-1/11111111-2222-3333-4444-555555555555"],
    ["an adopted namespace ID without its region", (e: any) => (e.staging.scaleway.adopt.namespace.id = "x"), "must be the ID the provider imports, <region>/<uuid>, e.g. fr-par/11111111-2222-3333-4444-555555555555"],
    ["an adopted container ID without its region", (e: any) => (e.staging.scaleway.adopt.container = { id: "x", name: "gift-genie-backend" }), "environments.staging.scaleway.adopt.container.id: must be the ID the provider imports, <region>/<uuid>, e.g. fr-par/"],
  ])("%s", (_case, change, expected) => {
    expect(problems(change)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  test("every problem is reported at once", () => {
    const found = problems((e) => {
      delete e.staging.gcp.project;
      e.production.gcp.connector.cidr = "10.3.0.0/27";
    });
    expect(found).toHaveLength(2);
  });
});

test("a state prefix or key is where the environment's stack keeps its state in the bucket, a path of plain segments (found by npm run mutate)", () => {
  const raw = rawConfig();
  raw.environments.staging.gcp.state.prefix = "teams/platform/redis-staging";
  raw.environments.staging.scaleway.state.key = "teams/platform/redis-staging.tfstate";
  const { staging } = parseConfig(raw).environments;
  expect([staging.gcp?.state?.prefix, staging.scaleway?.state?.key]).toEqual(["teams/platform/redis-staging", "teams/platform/redis-staging.tfstate"]);
  const segments = "segments of letters, digits, '.', '_' or '-', none starting with '.', joined by single '/'";
  for (const path of ["", "/redis", "redis/", "teams//redis", "teams/../redis", ".hidden", "a b"]) {
    expect(problems((e) => (e.staging.gcp.state.prefix = path))).toEqual([`environments.staging.gcp.state.prefix: must be a path in the bucket: ${segments} (got ${JSON.stringify(path)})`]);
    expect(problems((e) => (e.staging.scaleway.state.key = path))).toEqual([`environments.staging.scaleway.state.key: must be an object key: ${segments} (got ${JSON.stringify(path)})`]);
  }
});

test("defaults and accepted values: a Redis setting Scaleway allows, no contact emails outside production, the latest secret revision (found by npm run mutate)", () => {
  const raw = rawConfig();
  const scaleway = raw.environments.staging.scaleway;
  scaleway.redis.settings = { "maxmemory-policy": "allkeys-lru" };
  scaleway.container.secrets = { API_KEY: { secret: "fr-par/11111111-2222-3333-4444-555555555555" } };
  const parsed = parseConfig(raw).environments.staging.scaleway;
  expect(parsed?.redis.settings).toEqual({ "maxmemory-policy": "allkeys-lru" });
  expect(parsed?.alerts.contactEmails).toEqual([]);
  expect(parsed?.container.secrets).toEqual({ API_KEY: { secret: "fr-par/11111111-2222-3333-4444-555555555555", version: "latest" } });
});

test("a token subject of exactly Google's 127 bytes is accepted, one more byte refused (found by npm run mutate)", () => {
  // The longest subject the CI identities trust: repo:<repository>:environment:gcp-production.
  const repository = (length: number) => `o/${"n".repeat(length - 2)}`;
  const exact = 127 - "repo::environment:gcp-production".length;
  const raw = rawConfig();
  raw.ci.repository = repository(exact);
  expect(parseConfig(raw).ci?.repository).toBe(repository(exact));
  // An environment without state has no CI identities, so no subject: its longer name is no matter.
  const { state, adopt, ...withoutState } = raw.environments.staging.gcp;
  raw.environments.abcdefghijklmno = { gcp: { ...withoutState, project: "netra-sandbox" } };
  expect(Object.keys(parseConfig(raw).environments)).toContain("abcdefghijklmno");
  expect(configProblems((raw) => (raw.ci.repository = repository(exact + 1)))).toEqual([
    `ci.repository: gives the token subject "repo:${repository(exact + 1)}:environment:gcp-production" (128 bytes); Google maps subjects of at most 127 bytes (got "${repository(exact + 1)}")`,
  ]);
});

test("a configuration without environments is refused", () => {
  expect(configProblems((raw) => (raw.environments = {}))).toEqual(["environments: must define at least one environment (got {})"]);
});

test("as many minimum instances as maximum is a fixed size, accepted", () => {
  const raw = rawConfig();
  raw.environments.production.gcp.backend.minInstances = 10;
  raw.environments.production.scaleway.container.minScale = 10;
  const { production } = parseConfig(raw).environments;
  expect([production.gcp?.backend.minInstances, production.scaleway?.container.minScale]).toEqual([10, 10]);
});

test("production alerts switched off need no one to notify; outside production none are required", () => {
  const raw = rawConfig();
  raw.environments.production.gcp.alerts = { enabled: false };
  raw.environments.production.scaleway.alerts = { enabled: false };
  raw.environments.staging.gcp.alerts = { enabled: true };
  raw.environments.staging.scaleway.alerts = { enabled: true };
  const { production, staging } = parseConfig(raw).environments;
  expect([production.gcp?.alerts.enabled, production.scaleway?.alerts.enabled, staging.gcp?.alerts.enabled, staging.scaleway?.alerts.enabled]).toEqual([false, false, true, true]);
});

test("a configuration error that escapes (a stack trace, a library caller) prints as one, with every problem", () => {
  expect(String(new ConfigError(["a: must be b", "c: must be d"]))).toBe("ConfigError: invalid configuration:\n  - a: must be b\n  - c: must be d");
});

test("an unknown environment is rejected, naming the configured ones", () => {
  const config = parseConfig(rawConfig());
  expect(() => selectEnvironments(config, ["nonexistent"])).toThrow(`environment "nonexistent": is not configured (configured: ${Object.keys(config.environments).join(", ")})`);
  expect(selectEnvironments(config, ["production"]).map(([name]) => name)).toEqual(["production"]);
});

describe("synthesize", () => {
  const dir = tempDir("config-");

  function writeConfig(raw: unknown): string {
    const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(raw));
    return file;
  }

  test("writes nothing when the configuration is bad", () => {
    const raw = rawConfig();
    raw.environments.staging.gcp.connector.cidr = "10.2.0.0/24";
    const outdir = path.join(dir, "out-bad");
    expect(() => synthesize({ configFile: writeConfig(raw), outdir })).toThrow("must be a /28 range");
    expect(existsSync(outdir)).toBe(false);
  });

  test("writes nothing when an unknown environment is asked for", () => {
    const outdir = path.join(dir, "out-unknown");
    expect(() => synthesize({ configFile: writeConfig(rawConfig()), outdir, environments: ["nonexistent"] })).toThrow("is not configured");
    expect(existsSync(outdir)).toBe(false);
  });

  test("writes only the selected environment's stacks", () => {
    const outdir = path.join(dir, "out-good");
    synthesize({ configFile: writeConfig(rawConfig()), outdir, environments: ["staging"] });
    expect(existsSync(path.join(outdir, "stacks", "gcp-staging", "cdk.tf.json"))).toBe(true);
    expect(existsSync(path.join(outdir, "stacks", "scaleway-staging", "cdk.tf.json"))).toBe(true);
    expect(existsSync(path.join(outdir, "stacks", "gcp-production"))).toBe(false);
  });
});
