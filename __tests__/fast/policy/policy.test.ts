import { App, TerraformStack, Tokenization } from "cdktf";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { parseConfig } from "../../../config/load";
import { addStacks, synthesize } from "../../../main";
import { AnnotationMetadataEntryType } from "cdktf/lib/annotations";
import { annotations, checkPolicy, exemptFromPolicy, policyViolations, writeAsChecked } from "../../../policy/policy";
import { policyRules } from "../../../policy/packs";
import { connectorRange, named, redisRanges } from "../../../policy/resources";
import { CloudRunV2ServiceIamMember } from "../../../.gen/providers/google/cloud-run-v2-service-iam-member";
import { ProjectIamCustomRole } from "../../../.gen/providers/google/project-iam-custom-role";
import { RedisCluster } from "../../../.gen/providers/scaleway/redis-cluster";
import { ComputeSubnetwork } from "../../../.gen/providers/google/compute-subnetwork";
import { ComputeNetwork } from "../../../.gen/providers/google/compute-network";
import { GoogleProvider } from "../../../.gen/providers/google/provider";
import { ComputeFirewall } from "../../../.gen/providers/google/compute-firewall";
import { CloudRunV2Service } from "../../../.gen/providers/google/cloud-run-v2-service";
import { VpcAccessConnector } from "../../../.gen/providers/google/vpc-access-connector";
import { Cloud, stackName } from "../../../naming/names";
import { GcpStack } from "../../../stacks/gcp-stack";
import { ScalewayStack } from "../../../stacks/scaleway-stack";
import { composedStack } from "../../helpers/composed-stack";
import { rawConfig, resourceAt, resources, synthAll, synthWithViolations, tempDir } from "../../helpers/helpers";

type Stacks = { gcp: Record<string, GcpStack>; scaleway: Record<string, ScalewayStack> };

/**
 * Every policy violation of every stack after `change`, one per line ("" if none). Only the
 * environments a test changes are built: a `change` builds those it reaches, a configuration given
 * as `raw` those that differ from the shipped ones (all, if anything outside `environments`
 * differs). The others are the shipped ones, which pass (the first test).
 */
function policyErrors(change?: (stacks: Stacks) => void, raw?: any): string {
  const app = new App({ outdir: tempDir("policy-unused-") });
  const config = parseConfig(raw ?? rawConfig());
  const environments = Object.keys(config.environments);
  const built = new Set<string>();
  const build = (environment: string) => {
    if (built.has(environment)) return;
    built.add(environment);
    addStacks(app, config, [environment]);
  };
  if (!change && !raw) environments.forEach(build);
  if (raw) environments.filter((environment) => differsFromShipped(raw, environment)).forEach(build);
  const stacksOf = (cloud: Cloud) =>
    Object.defineProperties({}, Object.fromEntries(environments.map((environment) => [environment, { get: () => (build(environment), app.node.tryFindChild(stackName(cloud, environment))) }])));
  try {
    change?.({ gcp: stacksOf("gcp"), scaleway: stacksOf("scaleway") });
  } catch (error) {
    return (error as Error).message;
  }
  return policyViolations(app).join("\n");
}

/** The shipped configuration, read once: only compared with, never changed. */
const SHIPPED = rawConfig();

/** Whether a configuration builds an environment differently from the shipped configuration. */
function differsFromShipped(raw: any, environment: string): boolean {
  const outside = (c: any) => JSON.stringify({ ...c, environments: undefined });
  return outside(raw) !== outside(SHIPPED) || JSON.stringify(raw.environments[environment]) !== JSON.stringify(SHIPPED.environments[environment]);
}

test("the shipped environments pass every rule", () => {
  expect(policyErrors()).toBe("");
});

test("every rule has an id and a one-line rationale, and its pack decides where it applies", () => {
  const rules = (production: boolean) => policyRules({ environment: "staging", production });
  expect(rules(true).map((r) => r.id).sort()).toEqual(["RN001", "RN002", "RN003", "RN004", "RN005", "RN006", "RN007", "RN008", "RN009", "RN010", "RN011", "RN012", "RN013"]);
  expect(rules(false).map((r) => r.id).sort()).toEqual(["RN001", "RN002", "RN003", "RN006", "RN007", "RN008", "RN009", "RN010"]);
  for (const rule of rules(true)) expect(rule.rationale).toMatch(/^[^\n]{20,140}$/);
});

describe("each rule fails with a message naming the resource and the fix", () => {
  test("RN001 no ingress from anywhere", () => {
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_compute_firewall.allow_internal_vpc_communication").addOverride("source_ranges", ["0.0.0.0/0"]))).toContain(
      "[RN001] google_compute_firewall.allow_internal_vpc_communication: admits ingress from anywhere (0.0.0.0/0 or ::/0); list the private source ranges instead",
    );
    // A rule without a direction is an ingress rule (Google's default); an egress rule to anywhere is not this rule's.
    const withDirection = (direction?: string) => policyErrors(({ gcp }) => {
      const rule = resourceAt(gcp.staging, "google_compute_firewall.allow_internal_vpc_communication");
      rule.addOverride("source_ranges", ["::/0"]);
      rule.addOverride("direction", direction);
    });
    expect(withDirection(undefined)).toContain("[RN001] google_compute_firewall.allow_internal_vpc_communication: admits ingress from anywhere");
    expect(withDirection("EGRESS")).not.toContain("[RN001]");
  });

  test("RN002 the Redis rule's source is exactly the connector range", () => {
    // addOverride appends to a list: the connector range plus a wider one.
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_compute_firewall.allow_vpc_connector_to_redis").addOverride("source_ranges", ["10.0.0.0/8"]))).toContain(
      '[RN002] google_compute_firewall.allow_vpc_connector_to_redis: takes traffic to Redis from ranges ["10.2.0.16/28","10.0.0.0/8"] and tags ["vpc-connector-us-central1-staging-vac"]; its source must be exactly the serverless path: the connector\'s range (10.2.0.16/28) or its tags (vpc-connector-us-central1-staging-vac)',
    );
  });

  test("RN002 also refuses a source tag that is not the serverless path's", () => {
    // Without a direction the rule is ingress (Google's default), and still checked.
    expect(policyErrors(({ gcp }) => {
      const rule = resourceAt(gcp.staging, "google_compute_firewall.allow_vpc_connector_to_redis");
      rule.addOverride("source_tags", ["bastion"]);
      rule.addOverride("direction", undefined);
    })).toContain('[RN002] google_compute_firewall.allow_vpc_connector_to_redis: takes traffic to Redis from ranges ["10.2.0.16/28"]');
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_compute_firewall.allow_vpc_connector_to_redis").addOverride("source_tags", ["bastion"]))).toContain(
      '[RN002] google_compute_firewall.allow_vpc_connector_to_redis: takes traffic to Redis from ranges ["10.2.0.16/28"] and tags ["vpc-connector-us-central1-staging-vac","bastion"]',
    );
  });

  test("RN003 Redis AUTH everywhere", () => {
    const errors = policyErrors(({ gcp, scaleway }) => {
      resourceAt(gcp.staging, "google_redis_instance.main").authEnabled = false;
      resourceAt(scaleway.staging, "scaleway_redis_cluster.main").resetPasswordWo();
    });
    expect(errors).toContain("[RN003] google_redis_instance.main: has AUTH off; set auth_enabled = true");
    expect(errors).toContain("[RN003] scaleway_redis_cluster.main: has no password; set password_wo from a generated secret");
  });

  test("RN004 TLS in production, from configuration, and nothing is written", () => {
    const raw = rawConfig();
    raw.environments.production.gcp.redis.transitEncryption = false;
    raw.environments.production.scaleway.redis.tls = false;
    const dir = tempDir("policy-");
    const configFile = path.join(dir, "environments.json");
    const outdir = path.join(dir, "out");
    writeFileSync(configFile, JSON.stringify(raw));
    try {
      expect(() => synthesize({ configFile, outdir })).toThrow(
        /^policy violations:\n[\s\S]*\[RN004\] google_redis_instance\.main: has transit encryption off in production; set redis\.transitEncryption = true[\s\S]*\[RN004\] scaleway_redis_cluster\.main: has TLS off in production; set redis\.tls = true/,
      );
      expect(existsSync(outdir)).toBe(false);
      // The generation it began is removed; only the marked folder of generations stays.
      expect(readdirSync(`${outdir}.gen`).filter((name) => name.startsWith("g-"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Tests get the violation too, not a stack: synthAll refuses what synth refuses.
    expect(() => synthAll(raw)).toThrow(/\[RN004\] google_redis_instance\.main: has transit encryption off in production/);
    expect(synthWithViolations(raw).violations).toContain(
      "[gcp-production/memorystore/instance] [RN004] google_redis_instance.main: has transit encryption off in production; set redis.transitEncryption = true",
    );
    // The same settings are a choice in staging.
    const staging = rawConfig();
    staging.environments.staging.scaleway.redis.tls = false;
    expect(policyErrors(undefined, staging)).toBe("");
  });

  test("RN005 no public Redis in production", () => {
    const errors = policyErrors(({ gcp, scaleway }) => {
      resourceAt(scaleway.production, "scaleway_redis_cluster.main").addOverride("acl", [{ ip: "203.0.113.0/24" }]);
      resourceAt(gcp.production, "google_redis_instance.main").resetAuthorizedNetwork();
    });
    expect(errors).toContain("[RN005] scaleway_redis_cluster.main: has a public endpoint in production; give it only a private_network block");
    expect(errors).toContain("[RN005] google_redis_instance.main: names no authorized_network (it would join the default network); set it to the environment's VPC");
  });

  test("RN006 every name carries its environment", () => {
    expect(policyErrors(({ scaleway }) => (resourceAt(scaleway.staging, "scaleway_vpc.main").name = "shared-vpc"))).toContain(
      '[RN006] scaleway_vpc.main: name "shared-vpc" does not start with "staging-"; derive it with scopedName()',
    );
  });

  test("RN007 the connector range is a /28 that overlaps nothing", () => {
    expect(policyErrors(({ gcp }) => (resourceAt(gcp.production, "google_compute_subnetwork.connector").ipCidrRange = "10.166.205.80/28"))).toContain(
      "[RN007] google_vpc_access_connector.connector: serves from 10.166.205.80/28, which overlaps google_redis_instance.main (10.166.205.80/29); choose a disjoint /28",
    );
    expect(policyErrors(({ gcp }) => (resourceAt(gcp.staging, "google_compute_subnetwork.connector").ipCidrRange = "10.2.0.0/27"))).toContain(
      "[RN007] google_vpc_access_connector.connector: serves from 10.2.0.0/27, not a /28; Serverless VPC Access requires exactly /28",
    );
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_compute_subnetwork.connector").addOverride("ip_cidr_range", "${var.connector_range}"))).toContain(
      '[RN007] google_vpc_access_connector.connector: has no literal range to check ("${var.connector_range}"); give its subnet a literal /28',
    );
    // Another subnet of the stack overlapping the connector's range.
    const overlapping = policyErrors(({ gcp }) => {
      const connector = resourceAt(gcp.staging, "google_compute_subnetwork.connector") as ComputeSubnetwork;
      new ComputeSubnetwork(gcp.staging, "workers", { name: "staging-workers", region: "us-central1", network: connector.network, ipCidrRange: "10.2.0.0/24" });
    });
    expect(overlapping).toContain("[RN007] google_vpc_access_connector.connector: serves from 10.2.0.16/28, which overlaps google_compute_subnetwork.workers (10.2.0.0/24); choose a disjoint /28");
  });

  test("RN008 Google's name limits, before Terraform", () => {
    expect(policyErrors(({ gcp }) => (resourceAt(gcp.staging, "google_vpc_access_connector.connector").name = "production-connector"))).toContain(
      '[RN008] google_vpc_access_connector.connector: name "production-connector" breaks Google\'s limit: counts 21 characters (each hyphen counts two); Google requires fewer than 21',
    );
    // Memorystore instance IDs: at most 40 characters (Google's CreateInstance reference).
    const redisNamed = (name: string) => policyErrors(({ gcp }) => (resourceAt(gcp.staging, "google_redis_instance.main").name = name));
    expect(redisNamed(`staging-${"r".repeat(32)}`)).toBe("");
    expect(redisNamed(`staging-${"r".repeat(33)}`)).toContain(`[RN008] google_redis_instance.main: name "staging-${"r".repeat(33)}" breaks Google's limit: must be 1-40 lowercase letters`);
  });

  test("RN010 public invocation only where the environment declares it, and never a service nobody may call", () => {
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_cloud_run_v2_service.backend").addOverride("invoker_iam_disabled", true))).toContain(
      '[RN010] google_cloud_run_v2_service.backend: disables the invoker check, but the environment declares backend.invoker "allUsers"; declare "invokerIamDisabled" or remove invoker_iam_disabled',
    );
    expect(policyErrors(({ gcp }) => gcp.staging.backend.node.tryRemoveChild("public-invoker"))).toContain(
      '[RN010] google_cloud_run_v2_service.backend: has no allUsers invoker binding although backend.invoker is "allUsers": every request would get 403',
    );
    const authenticated = rawConfig();
    authenticated.environments.staging.gcp.backend = { invoker: "authenticated" };
    expect(policyErrors(() => {}, authenticated)).toBe("");
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_cloud_run_v2_service.backend").addOverride("invoker_iam_disabled", true), authenticated)).toContain("[RN010] google_cloud_run_v2_service.backend: disables the invoker check, but the environment declares backend.invoker \"authenticated\"");
    const disabled = rawConfig();
    disabled.environments.staging.gcp.backend = { invoker: "invokerIamDisabled" };
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_cloud_run_v2_service.backend").addOverride("invoker_iam_disabled", false), disabled)).toContain(
      '[RN010] google_cloud_run_v2_service.backend: keeps the invoker check although backend.invoker is "invokerIamDisabled": every request would get 403',
    );
  });

  test("RN010 an allUsers binding where none is declared", () => {
    const authenticated = rawConfig();
    authenticated.environments.staging.gcp.backend = { invoker: "authenticated" };
    const app = new App({ outdir: tempDir("policy-unused-") });
    addStacks(app, parseConfig(authenticated));
    const stack = app.node.findChild("gcp-staging") as GcpStack;
    new CloudRunV2ServiceIamMember(stack, "extra", { location: "us-central1", name: "staging-backend", role: "roles/run.invoker", member: "allUsers" });
    expect(policyViolations(app).join("\n")).toContain('[RN010] google_cloud_run_v2_service_iam_member.extra: lets allUsers invoke the service, but the environment declares backend.invoker "authenticated"');
  });

  test("RN010 a binding for someone, or of another role to allUsers, is not public invocation", () => {
    const authenticated = rawConfig();
    authenticated.environments.staging.gcp.backend = { invoker: "authenticated" };
    const app = new App({ outdir: tempDir("policy-unused-") });
    addStacks(app, parseConfig(authenticated), ["staging"]);
    const stack = app.node.findChild("gcp-staging") as GcpStack;
    new CloudRunV2ServiceIamMember(stack, "team", { location: "us-central1", name: "staging-backend", role: "roles/run.invoker", member: "group:platform@netrasystems.ai" });
    new CloudRunV2ServiceIamMember(stack, "viewers", { location: "us-central1", name: "staging-backend", role: "roles/run.viewer", member: "allUsers" });
    expect(policyViolations(app).filter((v) => v.includes("[RN010]"))).toEqual([]);
  });

  test("RN011 production Memorystore declares a maintenance window", () => {
    const raw = rawConfig();
    delete raw.environments.production.gcp.redis.maintenanceWindow;
    expect(policyErrors(() => {}, raw)).toBe(
      "[gcp-production/memorystore/instance] [RN011] google_redis_instance.main: has no maintenance window in production; set redis.maintenanceWindow (day and UTC hour)",
    );
    delete raw.environments.staging.gcp.redis.maintenanceWindow;
    expect(policyErrors(() => {}, raw)).not.toContain("gcp-staging");
  });

  test("RN012 a production service takes traffic only behind an HTTP startup probe", () => {
    expect(policyErrors(({ gcp }) => resourceAt(gcp.production, "google_cloud_run_v2_service.backend").addOverride("template.containers.0.startup_probe", null))).toBe(
      "[gcp-production/cloud-run/service] [RN012] google_cloud_run_v2_service.backend: has no HTTP startup probe in production; set gcp.backend.healthPath",
    );
    expect(policyErrors(({ scaleway }) => resourceAt(scaleway.production, "scaleway_container.backend").addOverride("startup_probe", null))).toBe(
      "[scaleway-production/compute/container] [RN012] scaleway_container.backend: has no HTTP startup probe in production; set scaleway.container.healthPath",
    );
    expect(policyErrors(({ scaleway }) => resourceAt(scaleway.staging, "scaleway_container.backend").addOverride("startup_probe", null))).toBe("");
  });

  test("RN013 a production liveness probe is not on the startup probe's (Redis-checking) path", () => {
    const samePath = rawConfig();
    samePath.environments.production.gcp.backend.livenessPath = "/health";
    samePath.environments.production.scaleway.container.livenessPath = "/health";
    samePath.environments.staging.gcp.backend.livenessPath = "/health";
    samePath.environments.staging.scaleway.container.livenessPath = "/health";
    expect(policyErrors(() => {}, samePath)).toBe([
      "[gcp-production/cloud-run/service] [RN013] google_cloud_run_v2_service.backend: has its liveness probe on the startup probe's path /health in production: that path checks Redis, so a Redis outage would restart every instance; set gcp.backend.livenessPath to a path that checks only the process",
      "[scaleway-production/compute/container] [RN013] scaleway_container.backend: has its liveness probe on the startup probe's path /health in production: that path checks Redis, so a Redis outage would restart every instance; set scaleway.container.livenessPath to a path that checks only the process",
    ].join("\n"));
    // A TCP liveness probe checks only the process.
    expect(policyErrors(({ scaleway }) => resourceAt(scaleway.production, "scaleway_container.backend").addOverride("liveness_probe", { tcp: true, interval: "30s", timeout: "5s", failure_threshold: 3 }))).toBe("");
  });

  test("RN009 the Cloud Run service sends private traffic into the VPC", () => {
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_cloud_run_v2_service.backend").addOverride("template.vpc_access.egress", "ALL_TRAFFIC_VIA_NOWHERE"))).toContain(
      "[RN009] google_cloud_run_v2_service.backend: does not send private traffic into the VPC; set template.vpc_access with the connector and egress PRIVATE_RANGES_ONLY",
    );
  });
});

test("the rules are cdktf Aspects: a synth of the app alone runs them, and policyViolations' check is not run again by the synth after it", () => {
  const raw = rawConfig();
  raw.environments.production.gcp.redis.transitEncryption = false;
  const tlsOff = (app: App) => annotations(app, AnnotationMetadataEntryType.ERROR).filter((error) => error.includes("[RN004] google_redis_instance.main"));
  const alone = new App({ outdir: tempDir("policy-aspects-") });
  addStacks(alone, parseConfig(raw));
  expect(() => alone.synth()).toThrow();
  expect(tlsOff(alone)).toHaveLength(1);
  const checkedFirst = new App({ outdir: tempDir("policy-aspects-") });
  addStacks(checkedFirst, parseConfig(raw));
  expect(policyViolations(checkedFirst).filter((error) => error.includes("[RN004] google_redis_instance.main"))).toHaveLength(1);
  expect(() => checkedFirst.synth()).toThrow();
  expect(tlsOff(checkedFirst)).toHaveLength(1);
});

test("an exemption declared next to the resource, with its reason, excuses that rule there only", () => {
  const errors = policyErrors(({ gcp }) => {
    resourceAt(gcp.staging, "google_compute_firewall.allow_internal_vpc_communication").addOverride("source_ranges", ["0.0.0.0/0"]);
    exemptFromPolicy(resourceAt(gcp.staging, "google_compute_firewall.allow_internal_vpc_communication"), "RN001", "health checks from a load balancer (test)");
    resourceAt(gcp.staging, "google_compute_firewall.allow_vpc_connector_to_redis").addOverride("source_ranges", ["0.0.0.0/0"]);
  });
  expect(errors).not.toContain("allow_internal_vpc_communication");
  expect(errors).toContain("[RN001] google_compute_firewall.allow_vpc_connector_to_redis");
  // ...and only that rule: an exemption from another rule leaves RN001 in force (found by npm run mutate).
  expect(policyErrors(({ gcp }) => {
    resourceAt(gcp.staging, "google_compute_firewall.allow_internal_vpc_communication").addOverride("source_ranges", ["0.0.0.0/0"]);
    exemptFromPolicy(resourceAt(gcp.staging, "google_compute_firewall.allow_internal_vpc_communication"), "RN006", "another rule (test)");
  })).toContain("[RN001] google_compute_firewall.allow_internal_vpc_communication");
  expect(policyErrors(({ gcp }) => exemptFromPolicy(resourceAt(gcp.staging, "google_compute_firewall.allow_internal_vpc_communication"), "RN001", " "))).toBe(
    "gcp-staging/firewall-rules/allow_internal_vpc_communication: an exemption from RN001 needs a reason",
  );
});

test("the rules read a connector's range from its own ip_cidr_range or its subnet, and skip a Redis without a range (found by npm run mutate)", () => {
  const resource = (address: string, body: Record<string, unknown>) => ({ address, type: address.split(".")[0], body }) as any;
  const subnet = resource("google_compute_subnetwork.connector", { ip_cidr_range: "10.2.0.16/28" });
  expect(connectorRange(resource("google_vpc_access_connector.a", { ip_cidr_range: "10.8.0.0/28", subnet: { name: "${google_compute_subnetwork.connector.name}" } }), [subnet])).toBe("10.8.0.0/28");
  expect(connectorRange(resource("google_vpc_access_connector.b", { subnet: { name: "${google_compute_subnetwork.connector.name}" } }), [subnet])).toBe("10.2.0.16/28");
  // Only a whole reference names the subnet; a connector with neither range nor subnet has no range.
  for (const name of ["x${google_compute_subnetwork.connector.name}", "${google_compute_subnetwork.connector.name}x", "google_compute_subnetwork.connector.name"]) {
    expect([name, connectorRange(resource("google_vpc_access_connector.c", { subnet: { name } }), [subnet])]).toEqual([name, undefined]);
  }
  expect(connectorRange(resource("google_vpc_access_connector.d", {}), [subnet])).toBeUndefined();
  expect(redisRanges([resource("google_redis_instance.a", { reserved_ip_range: "10.9.0.0/29" }), resource("google_redis_instance.b", {})])).toEqual(["10.9.0.0/29"]);
});

test("the name rules read a name from every resource that has one, and skip the types that have none (found by npm run mutate)", () => {
  const raw = rawConfig();
  // A bucket policy comes with owners (the shipped configuration has none).
  raw.environments.staging.scaleway.state.owners = ["user_id:8d3a6f10-4c2b-4e7a-b915-0f6e2c8d1a47"];
  const all = Object.values(synthAll(raw)).flatMap((stack) => Object.entries(resources(stack)).map(([address, body]) => ({ address, type: address.split(".")[0], body }) as any));
  expect(all.length).toBeGreaterThan(40);
  for (const { resource, attribute, value } of named(all)) {
    expect([resource.address, attribute, typeof value]).toEqual([resource.address, attribute, "string"]);
  }
});

test("RN008 reads a Workload Identity pool's and provider's IDs from their own attributes (found by npm run mutate)", () => {
  const app = new App({ outdir: tempDir("policy-unused-") });
  addStacks(app, parseConfig(rawConfig()));
  const state = app.node.findChild("state-gcp-staging");
  resourceAt(state, "google_iam_workload_identity_pool.github").workloadIdentityPoolId = "gcp-github";
  resourceAt(state, "google_iam_workload_identity_pool_provider.github").workloadIdentityPoolProviderId = "gcp-actions";
  const errors = policyViolations(app).join("\n");
  expect(errors).toContain('[RN008] google_iam_workload_identity_pool.github: workload_identity_pool_id "gcp-github" breaks Google\'s limit: must be 4-32 lowercase letters, digits or hyphens, not starting with gcp-');
  expect(errors).toContain('[RN008] google_iam_workload_identity_pool_provider.github: workload_identity_pool_provider_id "gcp-actions" breaks Google\'s limit');
});

test("RN006 a custom role ID carries its environment, with an underscore for the hyphen it may not hold (found by npm run mutate)", () => {
  const app = new App({ outdir: tempDir("policy-unused-") });
  addStacks(app, parseConfig(rawConfig()), ["staging"]);
  (resourceAt(app.node.findChild("state-gcp-staging"), "google_project_iam_custom_role.ci_plan") as ProjectIamCustomRole).roleId = "ci_plan";
  expect(policyViolations(app)).toEqual([
    '[state-gcp-staging/ci-plan/netra-staging-custom-role] [RN006] google_project_iam_custom_role.ci_plan: role_id "ci_plan" does not start with "staging_"; derive it with scopedName()',
  ]);
});

test("RN008 applies Google's limits to Google's resources only (found by npm run mutate)", () => {
  expect(policyErrors(({ scaleway }) => (resourceAt(scaleway.staging, "scaleway_vpc.main").name = `staging-Main_VPC-${"v".repeat(60)}`))).toBe("");
});

test("the rules report a Cloud Run service without a template or containers instead of failing on it (found by npm run mutate)", () => {
  const rn009 = "[gcp-production/cloud-run/service] [RN009] google_cloud_run_v2_service.backend: does not send private traffic into the VPC; set template.vpc_access with the connector and egress PRIVATE_RANGES_ONLY";
  const rn012 = "[gcp-production/cloud-run/service] [RN012] google_cloud_run_v2_service.backend: has no HTTP startup probe in production; set gcp.backend.healthPath";
  expect(policyErrors(({ gcp }) => resourceAt(gcp.production, "google_cloud_run_v2_service.backend").addOverride("template", null)).split("\n")).toEqual([rn009, rn012]);
  expect(policyErrors(({ gcp }) => resourceAt(gcp.production, "google_cloud_run_v2_service.backend").addOverride("template.containers", null))).toBe(rn012);
});

test("RN005 each way a production Scaleway Redis gets a public endpoint: no private network, an ACL, a public network (found by npm run mutate)", () => {
  const changes: ((redis: RedisCluster) => void)[] = [(r) => r.resetPrivateNetwork(), (r) => r.addOverride("private_network", null), (r) => r.addOverride("acl", [{ ip: "203.0.113.0/24" }]), (r) => r.addOverride("public_network", [{}])];
  for (const change of changes) {
    const errors = policyErrors(({ scaleway }) => change(resourceAt(scaleway.production, "scaleway_redis_cluster.main") as RedisCluster)).split("\n");
    expect(errors.filter((e) => e.includes("[RN005]"))).toEqual(["[scaleway-production/db/cluster] [RN005] scaleway_redis_cluster.main: has a public endpoint in production; give it only a private_network block"]);
  }
});

describe("what the rules accept and refuse at their edges (found by npm run mutate)", () => {
  const redisRule = "google_compute_firewall.allow_vpc_connector_to_redis";

  test("RN002 a Redis rule without any source is refused: Google takes it as from anywhere", () => {
    const errors = policyErrors(({ gcp }) => {
      resourceAt(gcp.staging, redisRule).addOverride("source_ranges", null);
      resourceAt(gcp.staging, redisRule).addOverride("source_tags", null);
    });
    expect(errors).toContain(`[RN002] ${redisRule}: takes traffic to Redis from ranges [] and tags []; its source must be exactly the serverless path`);
  });

  test("RN002 says so when there is no connector, and no tag either", () => {
    const raw = rawConfig();
    delete raw.environments.staging.gcp.connector;
    raw.environments.staging.gcp.directVpcEgress = { cidr: "10.2.0.0/26" };
    const errors = policyErrors(({ gcp }) => {
      resourceAt(gcp.staging, redisRule).addOverride("source_ranges", ["10.0.0.0/8"]);
      resourceAt(gcp.staging, "google_cloud_run_v2_service.backend").addOverride("template.vpc_access.network_interfaces", null);
    }, raw);
    expect(errors).toContain("the connector's range (no connector) or its tags (none)");
  });

  test("RN009 takes all traffic through the VPC as private too, and refuses a VPC access with neither connector nor interfaces", () => {
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_cloud_run_v2_service.backend").addOverride("template.vpc_access.egress", "ALL_TRAFFIC"))).toBe("");
    expect(policyErrors(({ gcp }) => resourceAt(gcp.staging, "google_cloud_run_v2_service.backend").addOverride("template.vpc_access.connector", null))).toContain(
      "[RN009] google_cloud_run_v2_service.backend: does not send private traffic into the VPC",
    );
  });
});

test("RN002 names every connector's range and every connector's tag the source may be (found by npm run mutate)", () => {
  const { app, stack } = composedStack("owned");
  for (const [id, range] of [["a", "10.8.0.0/28"], ["b", "10.8.0.16/28"]]) {
    new VpcAccessConnector(stack, id, { name: `staging-${id}`, region: "us-central1", network: "staging-composed-vpc", ipCidrRange: range });
  }
  new ComputeFirewall(stack, "redis-from-office", { name: "staging-redis-from-office", network: "staging-composed-vpc", sourceRanges: ["10.0.0.0/8"], destinationRanges: ["10.9.0.0/29"], allow: [{ protocol: "tcp", ports: ["6379"] }] });
  expect(policyViolations(app)).toContainEqual(expect.stringContaining(
    "the connector's range (10.8.0.0/28, 10.8.0.16/28) or its tags (vpc-connector-us-central1-staging-a, vpc-connector-us-central1-staging-b)",
  ));
});

test("RN002 and RN010 in a stack composed without a serverless path or a declared invoker say so (found by npm run mutate)", () => {
  const { app, stack } = composedStack("owned");
  new ComputeFirewall(stack, "redis-from-office", { name: "staging-redis-from-office", network: "staging-composed-vpc", sourceRanges: ["10.0.0.0/8"], destinationRanges: ["10.9.0.0/29"], allow: [{ protocol: "tcp", ports: ["6379"] }] });
  new CloudRunV2Service(stack, "api", { name: "staging-api", location: "us-central1", invokerIamDisabled: true, template: { containers: [{ image: "us-docker.pkg.dev/p/r/api:1" }] } });
  new CloudRunV2ServiceIamMember(stack, "public", { location: "us-central1", name: "staging-api", role: "roles/run.invoker", member: "allUsers" });
  expect(policyViolations(app)).toEqual(
    expect.arrayContaining([
      expect.stringContaining(`[RN002] google_compute_firewall.redis-from-office: takes traffic to Redis from ranges ["10.0.0.0/8"] and tags []; its source must be exactly the serverless path: the connector's range (no connector) or its tags (none)`),
      expect.stringContaining('[RN010] google_cloud_run_v2_service.api: disables the invoker check, but the environment declares backend.invoker "(none)"'),
      expect.stringContaining('[RN010] google_cloud_run_v2_service_iam_member.public: lets allUsers invoke the service, but the environment declares backend.invoker "(none)"'),
    ]),
  );
});

test("synth writes the JSON the policy checked, and refuses a stack that changed after the check", () => {
  const checkedApp = () => {
    const app = new App({ outdir: tempDir("policy-checked-") });
    addStacks(app, parseConfig(rawConfig()), ["staging"]);
    const { synthesized } = checkPolicy(app);
    writeAsChecked(synthesized);
    return { app, synthesized, stack: app.node.findChild("gcp-staging") as GcpStack };
  };
  const { app, synthesized, stack } = checkedApp();
  app.synth();
  const written = JSON.parse(readFileSync(path.join(app.outdir, "stacks", "gcp-staging", "cdk.tf.json"), "utf8"));
  expect(written).toEqual(JSON.parse(JSON.stringify(synthesized.get(stack))));

  const changed = checkedApp();
  new CloudRunV2ServiceIamMember(changed.stack, "late", { location: "us-central1", name: "staging-backend", role: "roles/run.invoker", member: "allUsers" });
  expect(() => changed.app.synth()).toThrow("gcp-staging: changed after the policy checked it (1 constructs added), so its JSON would not be the one checked");
});

test("the synth resolves each stack once, in the check: cdktf's prepareStack does not resolve it again", () => {
  const app = new App({ outdir: tempDir("policy-prepared-") });
  addStacks(app, parseConfig(rawConfig()), ["staging"]);
  const resolve = Tokenization.resolve;
  writeAsChecked(checkPolicy(app).synthesized);
  expect(Tokenization.resolve).toBe(resolve); // resolving as preparing ends with the check
  const network = (app.node.findChild("gcp-staging") as GcpStack).node.findAll().find((c) => c instanceof ComputeNetwork) as ComputeNetwork;
  const resolved = jest.spyOn(network, "toTerraform");
  app.synth();
  expect(resolved).not.toHaveBeenCalled();
});

test("a reference to another stack's resource is written as cdktf writes it: an output, a remote state, a local backend each", () => {
  const build = () => {
    const app = new App({ outdir: tempDir("policy-cross-stack-") });
    const producer = new TerraformStack(app, "producer");
    new GoogleProvider(producer, "google", { project: "producer-project" });
    const network = new ComputeNetwork(producer, "vpc", { name: "vpc", autoCreateSubnetworks: false });
    const consumer = new TerraformStack(app, "consumer");
    new GoogleProvider(consumer, "google", { project: "consumer-project" });
    new ComputeSubnetwork(consumer, "subnet", { name: "subnet", network: network.id, ipCidrRange: "10.0.0.0/24", region: "europe-west1" });
    return app;
  };
  const written = (app: App, stack: string) => JSON.parse(readFileSync(path.join(app.outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const byCdktf = build();
  byCdktf.synth();
  const checked = build();
  writeAsChecked(checkPolicy(checked).synthesized);
  checked.synth();
  for (const stack of ["producer", "consumer"]) expect(written(checked, stack)).toEqual(written(byCdktf, stack));
  expect(Object.keys(written(checked, "consumer").data.terraform_remote_state)).toHaveLength(1);
  expect(Object.keys(written(checked, "producer").output)).toHaveLength(1);
});
