import { LOGICAL_ID } from "../../../stacks/logical-ids";
import { rawConfig, resources, stackNames, Synthesized, synthAll, synthStack } from "../../helpers/helpers";
import { ROOT } from "../../helpers/helpers";

// Every resource's Terraform address comes from the one table of logical IDs, in every topology:
// a resource added without an entry, or an entry renamed, fails here before it reaches state.

/** Table entries whose names are free-form (an API's short name), and the one resource type each may name. */
const FREE_FORM: Record<string, string> = { "gcp.api": "google_project_service" };

/** Every name the table allows, as patterns (the table's functions called with wildcards), with the entry's path. */
function allowedNames(table: unknown, at: string): { pattern: RegExp; at: string }[] {
  if (typeof table === "string") return [{ pattern: new RegExp(`^${table}$`), at }];
  if (typeof table === "function") return [true, false].map((flag) => ({ pattern: new RegExp(`^${table("[a-z0-9_]+", flag)}$`), at }));
  return Object.entries(table as object).flatMap(([key, value]) => allowedNames(value, `${at}.${key}`));
}

/** The addresses of a synthesized stack that no entry of the table allows. */
function unlisted(stack: Synthesized): string[] {
  const cloud = Object.keys(stack.resource).some((type) => type.startsWith("scaleway_")) ? "scaleway" : "gcp";
  const allowed = allowedNames(LOGICAL_ID[cloud], cloud);
  return Object.keys(resources(stack)).filter((address) => {
    const [type, name] = address.split(".");
    return !allowed.some(({ pattern, at }) => pattern.test(name) && (FREE_FORM[at] ?? type) === type);
  });
}

function everyTopology() {
  const raw = rawConfig();
  const { staging, production } = raw.environments;
  staging.gcp.enableApis = true;
  staging.gcp.firewall = { defaultDenyEgress: true };
  staging.gcp.alerts = { enabled: true, email: "platform-oncall@netrasystems.ai", pagerDuty: {} };
  production.gcp.sharedVpc = { hostProject: "netra-network-host", serviceProjectNumber: "123456789012" };
  production.gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS";
  production.gcp.redis.cidr = "10.166.0.0/24";
  const direct = rawConfig();
  delete direct.environments.staging.gcp.connector;
  direct.environments.staging.gcp.directVpcEgress = { cidr: "10.2.4.0/26" };
  return { ...synthAll(raw), "gcp-staging (direct VPC egress)": synthStack("gcp-staging", direct) };
}

// Synthesized in a hook, not at load: a synth that throws fails the tests instead of the file.
let topologies: Record<string, Synthesized>;
beforeAll(() => (topologies = everyTopology()));
const TOPOLOGIES = [...stackNames(), ...stackNames().map((stack) => `state-${stack}`), "gcp-staging (direct VPC egress)"];

test("every topology is checked", () => {
  expect(Object.keys(topologies).sort()).toEqual([...TOPOLOGIES].sort());
});

test.each(TOPOLOGIES)("%s: every address is in stacks/logical-ids.ts", (name) => {
  expect(unlisted(topologies[name])).toEqual([]);
});

test("an address outside the table is found, even one an API's free-form entry would match by name", () => {
  const stack = synthStack("gcp-staging");
  stack.resource.google_compute_router_nat.not_in_the_table = stack.resource.google_compute_router_nat.nat;
  expect(unlisted(stack)).toEqual(["google_compute_router_nat.not_in_the_table"]);
});

test("the table holds the addresses the hand-written reference/ and live state use", () => {
  const staging = resources(synthStack("gcp-staging"));
  expect(Object.keys(staging)).toEqual(expect.arrayContaining([
    `google_compute_network.${LOGICAL_ID.gcp.network}`,
    `google_vpc_access_connector.${LOGICAL_ID.gcp.connector}`,
    `google_compute_firewall.${LOGICAL_ID.gcp.firewall.redis}`,
    `google_redis_instance.${LOGICAL_ID.gcp.redis}`,
    `google_cloud_run_v2_service.${LOGICAL_ID.gcp.backend}`,
  ]));
  expect(LOGICAL_ID.gcp.firewall.redis).toBe("allow_vpc_connector_to_redis");
  expect(LOGICAL_ID.gcp.network).toBe("vpc");
});

test("constructs/ never reads the table: a construct's addresses come through its props", () => {
  const { readdirSync, readFileSync, statSync } = jest.requireActual<typeof import("fs")>("fs");
  const path = jest.requireActual<typeof import("path")>("path");
  const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? files(file) : name.endsWith(".ts") ? [file] : [];
  });
  const offending = files(path.join(ROOT, "constructs")).filter((file) => /logical-ids"|\bLOGICAL_ID\b/.test(readFileSync(file, "utf8")));
  expect(offending).toEqual([]);
});
