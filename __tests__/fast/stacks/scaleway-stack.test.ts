import path from "path";
import { scopedName } from "../../../naming/names";
import { projectMismatches } from "../../../scripts/rehearse/live-checks";
import { readRecordings } from "../../../scripts/rehearse/recordings";
import { userPath } from "../../../input/user-path";
import { providerSchema, rawConfig, referencedAddresses, resources, ROOT, strings, Synthesized, synthAll, synthStack } from "../../helpers/helpers";

/** The Scaleway provider's resource schemas, as the bindings were generated from them. */
const SCALEWAY_RESOURCES: Record<string, { block: { attributes: Record<string, unknown> } }> = providerSchema("scaleway").resource_schemas;

/** Terraform's meta-arguments, which no provider schema lists. */
const META_ARGUMENTS = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"]);

/** The shipped configuration with staging creating everything, as a new environment does. */
function fresh(): any {
  const raw = rawConfig();
  delete raw.environments.staging.scaleway.adopt;
  return raw;
}

// Synthesized in a hook, not at load: a synth that throws fails the tests instead of the file.
let stacks: Record<string, Synthesized>;
beforeAll(() => (stacks = synthAll(fresh())));
const config = rawConfig().environments;

describe.each(["staging", "production"])("scaleway-%s (created, not adopted)", (environment) => {
  let stack: Synthesized;
  let all: Record<string, any>;
  let cluster: any;
  let container: any;
  beforeAll(() => {
    stack = stacks[`scaleway-${environment}`];
    all = resources(stack);
    cluster = all["scaleway_redis_cluster.main"];
    container = all["scaleway_container.backend"];
  });
  const tls = config[environment].scaleway.redis.tls;

  test("has the addresses of the hand-written files", () => {
    expect(Object.keys(all).sort()).toEqual([
      "random_password.redis",
      // Cockpit's Redis alerts: on by default in production.
      ...(environment === "production" ? ["scaleway_cockpit_alert_manager.main"] : []),
      "scaleway_container.backend",
      "scaleway_container_namespace.main",
      "scaleway_redis_cluster.main",
      "scaleway_vpc.main",
      "scaleway_vpc_private_network.main",
    ]);
  });

  test("the private network has the configured range and the environment's tag", () => {
    const network = all["scaleway_vpc_private_network.main"];
    expect(network.ipv4_subnet).toEqual({ subnet: "172.16.0.0/22" });
    expect(network.vpc_id).toBe("${scaleway_vpc.main.id}");
  });

  test("the container takes HTTPS only and scales within the configured bounds", () => {
    const { minScale, maxScale } = config[environment].scaleway.container;
    expect([container.https_connections_only, container.min_scale, container.max_scale]).toEqual([true, minScale, maxScale]);
    expect(minScale).toBeLessThan(maxScale);
  });

  test("every resource whose type takes tags carries the environment's tag", () => {
    const taggable = Object.keys(all).filter((address) => "tags" in (SCALEWAY_RESOURCES[address.split(".")[0]]?.block.attributes ?? {}));
    expect(taggable.length).toBeGreaterThanOrEqual(5);
    expect(taggable.filter((address) => !all[address].tags?.includes(environment))).toEqual([]);
  });

  test("Redis has only a private endpoint, on that network, and no ACL", () => {
    expect(cluster.private_network).toEqual([{ id: "${scaleway_vpc_private_network.main.id}" }]);
    expect(cluster).not.toHaveProperty("acl");
    expect(cluster).not.toHaveProperty("public_network");
    expect(cluster.tls_enabled).toBe(tls);
  });

  test("the password is generated, never a literal", () => {
    expect(cluster).not.toHaveProperty("password");
    expect(cluster.password_wo).toBe("${random_password.redis.result}");
    expect(cluster.password_wo_version).toBe(1);
    expect(stack.resource.random_password.redis.keepers).toEqual({ version: "1" });
    const attribute = (at: string) => at.split(".").slice(3).join(".");
    const secretish = strings(stack).filter(([at]) => at.startsWith("resource.") && /password|secret|token/i.test(attribute(at)));
    expect(secretish.length).toBeGreaterThan(0);
    for (const [at, value] of secretish) expect([at, value]).toEqual([at, expect.stringMatching(/\$\{/)]);
  });

  test("REDIS_URL is a secret built from the cluster's private endpoint", () => {
    const endpoint = "tolist(scaleway_redis_cluster.main.private_network).0";
    expect(container.environment_variables).toEqual({
      REDIS_HOST: `\${element(${endpoint}.ips, 0)}`,
      REDIS_PORT: `\${tostring(${endpoint}.port)}`,
      REDIS_USERNAME: "backend",
      REDIS_TLS: String(tls),
    });
    expect(Object.keys(container.secret_environment_variables).sort()).toEqual(tls ? ["REDIS_CA_CERT", "REDIS_PASSWORD", "REDIS_URL"] : ["REDIS_PASSWORD", "REDIS_URL"]);
    if (tls) expect(container.secret_environment_variables.REDIS_CA_CERT).toBe("${scaleway_redis_cluster.main.certificate}");
    const url: string = container.secret_environment_variables.REDIS_URL;
    expect(url).toBe(
      `${tls ? "rediss" : "redis"}://backend:\${urlencode(random_password.redis.result)}` +
        `@\${element(${endpoint}.ips, 0)}:\${tostring(${endpoint}.port)}`,
    );
  });

  test("the container joins the private network and depends on Redis through REDIS_URL", () => {
    expect(container.private_network_id).toBe("${scaleway_vpc_private_network.main.id}");
    const { "//": _metadata, ...body } = container;
    expect(referencedAddresses(body)).toEqual(
      expect.arrayContaining(["scaleway_container_namespace.main", "scaleway_vpc_private_network.main", "scaleway_redis_cluster.main", "random_password.redis"]),
    );
    expect(container.image).toBe("${var.backend_image}");
  });

  test("names come from the naming function", () => {
    expect(cluster.name).toBe(scopedName(environment, "redis"));
    expect(container.name).toBe(scopedName(environment, "backend"));
    expect(all["scaleway_vpc_private_network.main"].name).toBe(scopedName(environment, "private-network"));
  });

  test("exposes the outputs of outputs.tf, the connection info as sensitive", () => {
    expect(Object.keys(stack.output).sort()).toEqual(["backend_url", "private_network_details", "redis_connection_info", "redis_private_endpoint"]);
    expect(stack.output.redis_connection_info.sensitive).toBe(true);
    expect(stack.output.redis_connection_info.value.url).toBe(container.secret_environment_variables.REDIS_URL);
    expect(stack.output.backend_url.value).toBe("${scaleway_container.backend.public_endpoint}");
    expect(stack.output.redis_connection_info.value.ca_certificate).toBe(tls ? "${scaleway_redis_cluster.main.certificate}" : "");
  });
});

test("bumping passwordVersion replaces the password and re-sends it to the cluster", () => {
  const raw = fresh();
  raw.environments.staging.scaleway.redis.passwordVersion = 2;
  const stack = synthStack("scaleway-staging", raw);
  expect(stack.resource.random_password.redis.keepers).toEqual({ version: "2" });
  expect(stack.resource.scaleway_redis_cluster.main.password_wo_version).toBe(2);
});

test("TLS changes the scheme and publishes the CA certificate", () => {
  const raw = fresh();
  raw.environments.staging.scaleway.redis.tls = true;
  const output = synthStack("scaleway-staging", raw).output.redis_connection_info.value;
  expect(output.url.startsWith("rediss://")).toBe(true);
  expect(output.ca_certificate).toBe("${scaleway_redis_cluster.main.certificate}");
});

describe("Scaleway as documented", () => {
  let all: Record<string, Synthesized>;
  beforeAll(() => (all = synthAll()));

  test("every attribute set is one the provider has and has not deprecated (activate_vpc_integration is gone from it)", () => {
    const unknownOrDeprecated = (address: string, body: Record<string, unknown>) => {
      const block = SCALEWAY_RESOURCES[address.split(".")[0]].block as any;
      return Object.keys(body)
        .filter((key) => !META_ARGUMENTS.has(key))
        .filter((key) => !(block.attributes[key] && !block.attributes[key].deprecated) && !block.block_types?.[key])
        .map((key) => `${address}.${key}`);
    };
    const scaleway = ["scaleway-staging", "scaleway-production"].flatMap((name) => Object.entries(resources(all[name]))).filter(([address]) => address.startsWith("scaleway_"));
    expect(scaleway.length).toBeGreaterThanOrEqual(10);
    expect(scaleway.flatMap(([address, body]) => unknownOrDeprecated(address, body))).toEqual([]);
    // The check sees the attribute the hand-written network.tf set on the namespace.
    const namespace = resources(all["scaleway-staging"])["scaleway_container_namespace.main"];
    expect(unknownOrDeprecated("scaleway_container_namespace.main", { ...namespace, activate_vpc_integration: true })).toEqual(["scaleway_container_namespace.main.activate_vpc_integration"]);
  });

  test("acl with private_network is refused at synth, with the reason", () => {
    const raw = rawConfig();
    raw.environments.production.scaleway.redis.acl = [{ ip: "203.0.113.0/24" }];
    expect(() => synthAll(raw)).toThrow("environments.production.scaleway.redis.acl: is not supported: ACLs guard only a public endpoint");
  });

  test("the Redis zone must lie in the private network's region", () => {
    const raw = rawConfig();
    raw.environments.staging.scaleway.zone = "nl-ams-1";
    expect(() => synthAll(raw)).toThrow('environments.staging.scaleway.zone: must lie in region fr-par (Redis is zonal, the private network regional) (got "nl-ams-1")');
  });
});

test("an image in configuration becomes the default of backend_image; without one the default is \"\" (never a prompt)", () => {
  const raw = rawConfig();
  raw.environments.staging.scaleway.container.image = "rg.fr-par.scw.cloud/x/backend:1.2.3";
  expect(synthStack("scaleway-staging", raw).variable.backend_image.default).toBe("rg.fr-par.scw.cloud/x/backend:1.2.3");
  expect(synthStack("scaleway-staging").variable.backend_image.default).toBe("");
});

describe("adopting the live Redis, namespace and container (seed 004)", () => {
  const adopt = rawConfig().environments.staging.scaleway.adopt;
  const atStep = (step: "public" | "private") => {
    const raw = rawConfig();
    const redis = raw.environments.staging.scaleway.adopt.redis;
    redis.step = step;
    if (step === "private") delete redis.publicAcl;
    return synthStack("scaleway-staging", raw);
  };

  test("import blocks with the IDs the provider imports, and the live names kept", () => {
    const stack = atStep("public");
    expect(stack.import).toEqual([
      { to: "scaleway_redis_cluster.main", id: adopt.redis.id },
      { to: "scaleway_container_namespace.main", id: adopt.namespace.id },
      { to: "scaleway_container.backend", id: adopt.container.id },
    ]);
    const all = resources(stack);
    expect([all["scaleway_redis_cluster.main"].name, all["scaleway_container_namespace.main"].name, all["scaleway_container.backend"].name])
      .toEqual(["gift-genie-redis", "gift-genie", "gift-genie-backend"]);
    // tls_enabled is never read back: after the import any value would replace the cluster.
    expect(all["scaleway_redis_cluster.main"].lifecycle).toEqual({ ignore_changes: ["tls_enabled"] });
  });

  test("step public: the cluster keeps its public endpoint and live ACL, the backend still uses it, and joins the private network", () => {
    const all = resources(atStep("public"));
    const cluster = all["scaleway_redis_cluster.main"];
    expect(cluster).not.toHaveProperty("private_network");
    expect(cluster.acl).toEqual(adopt.redis.publicAcl);
    const container = all["scaleway_container.backend"];
    expect(container.environment_variables.REDIS_HOST).toBe("${element(scaleway_redis_cluster.main.public_network[0].ips, 0)}");
    expect(container.private_network_id).toBe("${scaleway_vpc_private_network.main.id}");
  });

  test("step private: the endpoint moves to the private network and REDIS_URL follows it, in one apply", () => {
    const all = resources(atStep("private"));
    const cluster = all["scaleway_redis_cluster.main"];
    expect(cluster.private_network).toEqual([{ id: "${scaleway_vpc_private_network.main.id}" }]);
    expect(cluster).not.toHaveProperty("acl");
    expect(all["scaleway_container.backend"].secret_environment_variables.REDIS_URL).toContain("tolist(scaleway_redis_cluster.main.private_network).0");
  });

  test("the steps are checked: public needs the live ACL, private refuses one, IDs are <zone|region>/<uuid> where the stack puts them", () => {
    const raw = rawConfig();
    delete raw.environments.staging.scaleway.adopt.redis.publicAcl;
    expect(() => synthAll(raw)).toThrow('environments.staging.scaleway.adopt.redis.publicAcl: is required with step "public"');
    const wrong = rawConfig();
    wrong.environments.staging.scaleway.adopt.container.id = "fr-par-1/9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86";
    expect(() => synthAll(wrong)).toThrow("environments.staging.scaleway.adopt.container.id: must be the ID the provider imports, <region>/<uuid>");
    const elsewhere = rawConfig();
    elsewhere.environments.staging.scaleway.adopt.redis.id = "fr-par-2/6a1d0c52-8e0b-4c3f-9d7e-2f4b1c9a7e31";
    expect(() => synthAll(elsewhere)).toThrow("environments.staging.scaleway.adopt.redis.id: must lie in fr-par-1, where the stack puts it");
  });
});

test("a container deployment takes traffic only once its health path answers; liveness GETs its own path, so a Redis outage restarts nothing", () => {
  for (const environment of ["staging", "production"]) {
    const container = resources(synthStack(`scaleway-${environment}`))["scaleway_container.backend"];
    expect(container.startup_probe).toEqual({ http: { path: "/health" }, interval: "5s", timeout: "3s", failure_threshold: 24 });
    expect(container.liveness_probe).toEqual({ http: { path: "/healthz" }, interval: "30s", timeout: "5s", failure_threshold: 3 });
  }
  const raw = rawConfig();
  raw.environments.production.scaleway.container.healthPath = "/ready";
  raw.environments.production.scaleway.container.livenessPath = "/alive";
  const container = resources(synthStack("scaleway-production", raw))["scaleway_container.backend"];
  expect([container.startup_probe.http.path, container.liveness_probe.http.path]).toEqual(["/ready", "/alive"]);
  raw.environments.production.scaleway.container.livenessPath = "alive";
  expect(() => synthAll(raw)).toThrow('environments.production.scaleway.container.livenessPath: must be an HTTP path starting with "/" (got "alive")');
});

describe("Cockpit's Redis alerts (on by default in production)", () => {
  const alertManager = (stack: any) => resources(stack)["scaleway_cockpit_alert_manager.main"];

  test("production: the preconfigured Managed Redis alerts (memory, CPU) in its region, sent to the team; staging: none", () => {
    const stacks = synthAll();
    expect(alertManager(stacks["scaleway-production"])).toEqual({
      count: 1,
      region: "fr-par",
      preconfigured_alert_ids: ["3c5b3a41-69de-43ed-9217-e3002d687c53", "f5e3c109-91b3-4586-b580-9f86529c1df8"],
      contact_points: [{ email: "platform-oncall@netrasystems.ai" }],
    });
    expect(alertManager(stacks["scaleway-staging"])).toBeUndefined();
  });

  test("opt-in elsewhere, to the configured addresses, off where disabled; addresses are checked", () => {
    const raw = rawConfig();
    raw.environments.staging.scaleway.alerts = { enabled: true, contactEmails: ["oncall@netra.example"] };
    raw.environments.production.scaleway.alerts = { enabled: false };
    const stacks = synthAll(raw);
    expect(alertManager(stacks["scaleway-staging"]).contact_points).toEqual([{ email: "oncall@netra.example" }]);
    expect(alertManager(stacks["scaleway-production"])).toBeUndefined();
    raw.environments.staging.scaleway.alerts.contactEmails = ["oncall"];
    expect(() => synthAll(raw)).toThrow('environments.staging.scaleway.alerts.contactEmails.0: must be an email address (got "oncall")');
  });

  test("one alert manager per project and region: two environments alerting in one shared project are refused", () => {
    const raw = rawConfig();
    const project = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
    for (const environment of ["staging", "production"]) Object.assign(raw.environments[environment].scaleway, { projectId: project, sharedProject: true });
    expect(() => synthAll(raw)).not.toThrow();
    raw.environments.staging.scaleway.alerts = { enabled: true };
    expect(() => synthAll(raw)).toThrow(`environments.production.scaleway.alerts.enabled: environment staging already alerts in project ${project} (fr-par), which has one Cockpit alert manager; enable alerts in one of them`);
  });
});

describe("a Scaleway project per environment", () => {
  test("each stack's provider deploys into its environment's own project", () => {
    const stacks = synthAll();
    const projects = ["staging", "production"].map((environment) => stacks[`scaleway-${environment}`].provider.scaleway[0].project_id);
    expect(projects).toEqual(["4b7d2e91-3a6c-4f0e-8d15-7c9a2b6e1f03", "8f3c1a64-2d5e-4b97-a0c8-6e1f9b2d7c45"]);
  });

  test("without a projectId the stack would deploy wherever the credentials point: refused", () => {
    const raw = rawConfig();
    delete raw.environments.production.scaleway.projectId;
    expect(() => synthAll(raw)).toThrow("environments.production.scaleway.projectId: is required (string)");
  });

  test("two environments in one project are refused, naming both, unless both share it explicitly", () => {
    const raw = rawConfig();
    const staging = raw.environments.staging.scaleway;
    raw.environments.production.scaleway.projectId = staging.projectId;
    const refused = `environments.production.scaleway.projectId: is also environment staging's project: give staging and production a Scaleway project each, or set scaleway.sharedProject: true in both to share it (got "${staging.projectId}")`;
    expect(() => synthAll(raw)).toThrow(refused);
    staging.sharedProject = true;
    expect(() => synthAll(raw)).toThrow(refused);
    raw.environments.production.scaleway.sharedProject = true;
    expect(synthStack("scaleway-production", raw).provider.scaleway[0].project_id).toBe(staging.projectId);
  });

  test("the rehearsal refuses adopting objects from another project than staging's projectId", () => {
    const recordings = readRecordings(userPath(path.join(ROOT, "live", "scaleway-staging")));
    expect(projectMismatches(synthStack("scaleway-staging"), recordings)).toEqual([]);
    const raw = rawConfig();
    raw.environments.staging.scaleway.projectId = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
    expect(projectMismatches(synthStack("scaleway-staging", raw), recordings)).toEqual(["scaleway_redis_cluster.main", "scaleway_container_namespace.main"].map((to) =>
      `${to}: lives in project 4b7d2e91-3a6c-4f0e-8d15-7c9a2b6e1f03, but scaleway.projectId is 0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9; the private network and everything else the stack creates would land in another project than the objects it adopts`));
  });
});

test("configured tags come first, then the environment's own, once", () => {
  const raw = rawConfig();
  const scaleway = raw.environments.production.scaleway;
  scaleway.redis.tags = ["team-cache", "production"];
  scaleway.container.tags = ["production", "web"];
  scaleway.container.namespaceTags = ["team-web"];
  const all = resources(synthStack("scaleway-production", raw));
  const tagsOf = (type: string) => Object.entries(all).filter(([address]) => address.startsWith(`${type}.`)).map(([, body]) => body.tags);
  expect(tagsOf("scaleway_redis_cluster")).toEqual([["team-cache", "production"]]);
  expect(tagsOf("scaleway_container")).toEqual([["web", "production"]]);
  expect(tagsOf("scaleway_container_namespace")).toEqual([["team-web", "production"]]);
});
