import "cdktf/lib/testing/adapters/jest";
import { scopedName } from "../stacks/naming";
import { rawConfig, referencedAddresses, resources, strings, synthAll } from "./helpers";

const stacks = synthAll();
const config = rawConfig().environments;

describe.each(["staging", "production"])("scaleway-%s", (environment) => {
  const stack = stacks[`scaleway-${environment}`];
  const all = resources(stack);
  const cluster = all["scaleway_redis_cluster.main"];
  const container = all["scaleway_container.backend"];
  const tls = config[environment].scaleway.redis.tls;

  test("has the addresses of the hand-written files", () => {
    expect(Object.keys(all).sort()).toEqual([
      "random_password.redis",
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
    for (const body of Object.values(all)) if ("tags" in body) expect(body.tags).toContain(environment);
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
  const raw = rawConfig();
  raw.environments.staging.scaleway.redis.passwordVersion = 2;
  const stack = synthAll(raw)["scaleway-staging"];
  expect(stack.resource.random_password.redis.keepers).toEqual({ version: "2" });
  expect(stack.resource.scaleway_redis_cluster.main.password_wo_version).toBe(2);
});

test("TLS changes the scheme and publishes the CA certificate", () => {
  const raw = rawConfig();
  raw.environments.staging.scaleway.redis.tls = true;
  const output = synthAll(raw)["scaleway-staging"].output.redis_connection_info.value;
  expect(output.url.startsWith("rediss://")).toBe(true);
  expect(output.ca_certificate).toBe("${scaleway_redis_cluster.main.certificate}");
});

describe("Scaleway as documented", () => {
  const all = synthAll();

  test("activate_vpc_integration, gone from current providers, is never emitted", () => {
    for (const name of ["scaleway-staging", "scaleway-production"]) expect(JSON.stringify(all[name])).not.toContain("activate_vpc_integration");
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
  expect(synthAll(raw)["scaleway-staging"].variable.backend_image.default).toBe("rg.fr-par.scw.cloud/x/backend:1.2.3");
  expect(synthAll()["scaleway-staging"].variable.backend_image.default).toBe("");
});
