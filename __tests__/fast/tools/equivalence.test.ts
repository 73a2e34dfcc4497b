import { readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { parseConfig } from "../../../config/load";
import { copyProject, ROOT, rawConfig, synthAll, synthWithViolations } from "../../helpers/helpers";

const { compareConfigs, configAddresses, applyDeviations } = require("../../../scripts/verify/compare");
const { compareStack, referenceFor, splitStackName } = require("../../../scripts/verify/fast");
const { names, readBeyond } = require("../../../scripts/verify/beyond");

// Synthesizing every stack takes more than jest's 5 s default on a loaded machine.
const SYNTH_ALL_TIMEOUT = 30_000;

/** The shipped configuration, defaults applied, as the proof reads it. */
const shipped = () => parseConfig(rawConfig());

test("alert channels and the PagerDuty key are listed beyond the reference, and only a stack with the channel declares the key", async () => {
  const existing = "projects/netra-production/notificationChannels/1234567890";
  const raw = rawConfig();
  Object.assign(raw.environments.production.gcp.alerts, { pagerDuty: { keyVersion: 2 }, notificationChannels: [existing] });
  const stacks = synthAll(raw);
  expect(Object.keys(stacks["gcp-production"].variable).sort()).toEqual(["alert_pagerduty_service_key", "backend_image"]);
  expect(Object.keys(stacks["gcp-staging"].variable)).toEqual(["backend_image"]);
  const reference = await referenceFor("gcp", "production", parseConfig(raw));
  expect(reference.variable).toEqual({});
  const { differences, beyond } = compareStack("gcp-production", reference, stacks["gcp-production"], readBeyond());
  expect(differences).toEqual([]);
  expect(beyond.unlisted).toEqual([]);
  expect(beyond.beyond).toEqual(expect.arrayContaining(["google_monitoring_notification_channel.pagerduty", "variable.alert_pagerduty_service_key"]));
}, SYNTH_ALL_TIMEOUT);

test("reference/beyond.json names only what the reference lacks and some stack makes", async () => {
  // Every listed feature switched on: alerts with every channel in both environments, an application secret.
  const raw = rawConfig();
  for (const env of ["staging", "production"]) Object.assign(raw.environments[env].gcp, { alerts: { enabled: true, email: "platform-oncall@netrasystems.ai", pagerDuty: {} } });
  raw.environments.staging.gcp.backend.secrets = { OPENAI_API_KEY: { secret: "openai-api-key" } };
  raw.environments.staging.scaleway.alerts = { enabled: true, contactEmails: ["platform-oncall@netrasystems.ai"] };
  const stacks = synthAll(raw);
  const features = readBeyond();
  for (const [stack, json] of Object.entries(stacks).filter(([name]) => !name.startsWith("state-"))) {
    const { cloud, environment } = splitStackName(stack);
    const reference = await referenceFor(cloud, environment, parseConfig(raw));
    const { unlisted, inReference } = compareStack(stack, reference, json, features).beyond;
    expect({ stack, unlisted, inReference }).toEqual({ stack, unlisted: [], inReference: [] });
  }
  const made = Object.entries(stacks).flatMap(([stack, json]) => configAddresses(json).map((address: string) => ({ cloud: splitStackName(stack).cloud, address })));
  const unmade = features.flatMap((f: any) => f.addresses.filter((pattern: string) => !made.some((m) => m.cloud === f.cloud && names(pattern, m.address))));
  expect(unmade).toEqual([]);
}, SYNTH_ALL_TIMEOUT);

test("reference/ holds the hand-written Terraform the mission names and its support files, nothing more", () => {
  const { readdirSync } = jest.requireActual<typeof import("fs")>("fs");
  const files = (dir: string) => readdirSync(path.join(ROOT, "reference", dir)).sort();
  expect(files("")).toEqual(["beyond.json", "deviations.json", "gcp", "scaleway"]);
  // The three GCP files, with the network they attach to; no tfvars: the values are environments.json's.
  expect(files("gcp")).toEqual(["firewall-rules.tf", "network.tf", "variables.tf", "versions.tf", "vpc-connector.tf", "vpc-nat.tf"]);
  expect(files("scaleway")).toEqual(["compute.tf", "db.tf", "network.tf", "outputs.tf", "variables.tf", "versions.tf"]);
});

describe("reference evaluation", () => {
  test("the values come from config/environments.json: a value changed there reaches both sides", async () => {
    const raw = rawConfig();
    raw.environments.production.gcp.connector.maxInstances = 7;
    raw.environments.production.gcp.redis.transitEncryption = false;
    const reference = await referenceFor("gcp", "production", parseConfig(raw));
    expect(reference.resource.google_vpc_access_connector.connector.max_instances).toBe(7);
    expect(reference.resource.google_compute_firewall.allow_vpc_connector_to_redis.allow).toEqual([{ protocol: "tcp", ports: ["6379"] }]);
    // TLS off in production is refused by policy (RN004), yet the stack is still what the reference says.
    const { stacks, violations } = synthWithViolations(raw);
    expect(violations).toEqual([expect.stringContaining("[RN004] google_redis_instance.main: has transit encryption off in production")]);
    const { differences, beyond } = compareStack("gcp-production", reference, stacks["gcp-production"], readBeyond());
    expect(differences).toEqual([]);
    expect(beyond.unlisted).toEqual([]);
  }, SYNTH_ALL_TIMEOUT);

  test("inputs that miss a variable without a default, or give an undeclared one, are errors", async () => {
    const { evaluateReference } = require("../../../scripts/verify/reference");
    const { referenceInputs } = require("../../../scripts/verify/reference-inputs");
    const dir = path.join(ROOT, "reference", "gcp");
    const { region: _region, ...inputs } = referenceInputs("gcp", "staging", shipped().environments.staging);
    await expect(evaluateReference(dir, inputs)).rejects.toThrow("variable region has no default and the inputs give it no value");
    await expect(evaluateReference(dir, { ...inputs, region: "us-central1", redis_tier: "BASIC" })).rejects.toThrow("the inputs give redis_tier, which is not a declared variable");
    const direct = rawConfig();
    delete direct.environments.staging.gcp.connector;
    direct.environments.staging.gcp.directVpcEgress = { cidr: "10.2.0.0/26" };
    expect(() => referenceInputs("gcp", "staging", parseConfig(direct).environments.staging)).toThrow("gcp.directVpcEgress has no counterpart");
  });

  test("count = 0 removes the NAT where the environment disables it", async () => {
    const staging = await referenceFor("gcp", "staging", shipped());
    const production = await referenceFor("gcp", "production", shipped());
    expect(staging.resource.google_compute_router_nat.nat.count).toBe(1);
    expect(production.resource.google_compute_router_nat).toBeUndefined();
  });

  test("template conditionals, locals and variables resolve; resource expressions stay", async () => {
    const prod = await referenceFor("scaleway", "production", shipped());
    const url = prod.resource.scaleway_container.backend.secret_environment_variables.REDIS_URL;
    expect(url).toMatch(/^rediss:\/\/backend:\$\{urlencode\(random_password\.redis\.result\)\}@\$\{element\(/);
    expect(prod.resource.scaleway_container.backend.image).toBe("${var.backend_image}");
  });

  test("what it cannot evaluate is an error, not a guess", async () => {
    const copy = copyProject(["reference"]);
    try {
      const file = path.join(copy, "reference", "gcp", "network.tf");
      writeFileSync(file, readFileSync(file, "utf8").replace('"${var.environment}-vpc"', "upper(var.environment)"));
      await expect(referenceFor("gcp", "staging", shipped(), path.join(copy, "reference"))).rejects.toThrow(
        "google_compute_network.vpc.name: the fast tier cannot evaluate `upper(var.environment)`",
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

test("both tiers leave out only what reference/beyond.json lists; any other address the reference lacks fails", () => {
  const { compareStack } = require("../../../scripts/verify/fast");
  const { summarize, comparePlans, planAddresses, planWithout } = require("../../../scripts/verify/plan");
  const { splitBeyond } = require("../../../scripts/verify/beyond");
  const features = [
    { cloud: "gcp", feature: "alerts", reason: "because", addresses: ["t_alert.a", "output.alert_*"] },
    { cloud: "scaleway", feature: "other cloud", reason: "because", addresses: ["t_new.n"] },
  ];
  const reference = { resource: { t_net: { n: { name: "x" } } } };
  const stack = {
    resource: { t_net: { n: { name: "x" } }, t_alert: { a: { count: 1 } }, t_new: { n: {} } },
    output: { alert_channel: { value: "${t_alert.a.id}" } },
    variable: { key: { type: "string" } },
  };
  const fast = compareStack("gcp-qa", reference, stack, features);
  // Listed for another cloud only, t_new.n is as unlisted as the variable.
  expect(fast.beyond).toEqual({ beyond: ["output.alert_channel", "t_alert.a"], features: ["alerts"], unlisted: ["t_new.n", "variable.key"], inReference: [] });
  expect(fast.differences).toEqual([]);
  // A listed address the reference has is compared as usual, and the entry reported.
  const listed = compareStack("gcp-qa", { resource: { ...reference.resource, t_alert: { a: { count: 2 } } } }, stack, features);
  expect(listed.beyond.inReference).toEqual(["t_alert.a"]);
  expect(listed.differences).toEqual([{ address: "t_alert.a", path: "count", reference: 2, stack: 1 }]);

  const plan = (addresses: string[], outputs: string[] = []) => summarize({
    resource_changes: addresses.map((address) => ({ address, change: { actions: ["create"] } })),
    output_changes: Object.fromEntries(outputs.map((name) => [name, { after: null }])),
    configuration: { root_module: { resources: [] } },
  }, `"t_alert.a" -> "t_net.n"\n"t_new.n" -> "t_net.n"`);
  const referencePlan = plan(["t_net.n"]);
  const stackPlan = plan(["t_net.n", "t_alert.a[0]", "t_new.n"], ["alert_channel"]);
  const split = splitBeyond("gcp", planAddresses(referencePlan), planAddresses(stackPlan), features);
  expect(split).toMatchObject({ beyond: ["output.alert_channel", "t_alert.a"], unlisted: ["t_new.n"] });
  expect(comparePlans(referencePlan, planWithout(stackPlan, [...split.beyond, ...split.unlisted]))).toEqual([]);
  expect(comparePlans(referencePlan, planWithout(stackPlan, split.beyond)).map((d: any) => `${d.address} ${d.path}`)).toEqual(["t_new.n ", "t_new.n waits_for"]);
});

test("declared deviations excuse only what they name, and stale ones are reported", () => {
  const diff = { address: "a.b", path: "x", reference: 1, stack: 2 };
  const declared = { stack: "gcp-staging", tier: "both", address: "a.b", path: "x", reason: "because" };
  const stale = { ...declared, path: "y" };
  const result = applyDeviations("gcp-staging", "plan", [diff, { ...diff, path: "z" }], [declared, stale]);
  expect(result.undeclared.map((d: any) => d.path)).toEqual(["z"]);
  expect(result.declared).toEqual([declared]);
  expect(result.stale).toEqual([stale]);
  expect(compareConfigs({ resource: { t: { n: { a: [{ b: 1 }] } } } }, { resource: { t: { n: { a: { b: 1 } } } } })).toEqual([]);
});

describe("dependency edges from the graph, as Terraform and OpenTofu write it", () => {
  const { summarize } = require("../../../scripts/verify/plan");
  const plan = {
    resource_changes: ["a.x", "b.y", "c.z"].map((address) => ({ address, change: { actions: ["create"] } })),
    configuration: { root_module: { resources: [] } },
  };

  test("Terraform's summary graph", () => {
    const dot = 'digraph G {\n  "c.z" -> "b.y";\n  "b.y" -> "a.x";\n}';
    expect(summarize(plan, dot).waitsFor).toEqual({ "a.x": [], "b.y": ["a.x"], "c.z": ["a.x", "b.y"] });
  });

  test("OpenTofu's full graph: [root] and (expand) dropped, a provider's (close) node kept apart", () => {
    const p = '[root] provider[\\"registry.opentofu.org/hashicorp/x\\"]';
    const dot = [
      `"[root] c.z (expand)" -> "[root] b.y (expand)"`,
      `"[root] b.y (expand)" -> "[root] local.l (expand)"`,
      `"[root] local.l (expand)" -> "[root] a.x (expand)"`,
      `"[root] a.x (expand)" -> "${p}"`,
      `"${p} (close)" -> "[root] c.z (expand)"`,
    ].join("\n");
    expect(summarize(plan, dot).waitsFor).toEqual({ "a.x": [], "b.y": ["a.x"], "c.z": ["a.x", "b.y"] });
  });

  test("a graph naming none of the resources is refused, not compared", () => {
    expect(() => summarize(plan, 'digraph { "[root] other" -> "[root] thing" }')).toThrow("the dependency graph names none of the planned resources");
  });
});

test("the plan comparison sees a changed reference, and skips what one side cannot show", () => {
  const { summarize, comparePlans } = require("../../../scripts/verify/plan");
  const plan = (expressions: any) => ({
    resource_changes: [{ address: "a.x", change: { actions: ["create"] } }, { address: "b.y", change: { actions: ["create"] } }],
    configuration: { root_module: { resources: [{ address: "a.x", expressions }] } },
  });
  const dot = '"a.x" -> "b.y"';
  const reference = summarize(plan({ net: { references: ["b.y.name", "b.y"] }, url: { references: ["local.u"] }, env: [{ v: { references: ["b.y.id", "b.y"] } }] }), dot);
  const same = summarize(plan({ net: { references: ["b.y.name", "b.y"] }, url: { references: ["b.y.id", "b.y"] }, env: [{ v: { references: ["b.y.id", "b.y"] } }, { v: { references: ["b.y.id", "b.y"] } }] }), dot);
  expect(comparePlans(reference, same)).toEqual([]);
  const changed = summarize(plan({ net: { references: ["b.y.self_link", "b.y"] }, url: { references: ["b.y.id", "b.y"] }, env: [{ v: { references: ["b.y.id", "b.y"] } }] }), dot);
  expect(comparePlans(reference, changed)).toEqual([
    { address: "a.x", path: "references.net[1]", reference: "b.y.name", stack: "b.y.self_link" },
  ]);
});

test("every stack requires the Terraform that write-only attributes need, and the proof compares it", async () => {
  const { REQUIRED_TERRAFORM_VERSION } = await import("../../../stacks/terraform-version");
  expect(REQUIRED_TERRAFORM_VERSION).toBe(">= 1.11");
  const { synthAll } = await import("../../helpers/helpers");
  for (const stack of Object.values(synthAll())) expect(stack.terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
  const reference = await referenceFor("scaleway", "staging", shipped());
  expect(reference.terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
  const stack = { ...reference, terraform: { ...reference.terraform, required_version: ">= 1.5" } };
  expect(compareConfigs(reference, stack)).toEqual([{ address: "terraform.required_version", path: "", reference: ">= 1.11", stack: ">= 1.5" }]);
});
