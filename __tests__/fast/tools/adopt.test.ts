import { cpSync, readFileSync, writeFileSync } from "fs";
import path from "path";
import { ConfigError, parseConfig } from "../../../config/load";
import { adoption, written } from "../../../scripts/adopt";
import { setMember } from "../../../scripts/json-edit";
import { userPath } from "../../../input/user-path";
import { readRecordings, routes, SECRET_PLACEHOLDER } from "../../../scripts/rehearse/recordings";
import { CONFIG_FILE, rawConfig, resources, synthAll, tempDir } from "../../helpers/helpers";
import { FIXTURES } from "../../helpers/helpers";

// `npm run adopt`: the configuration that keeps what is live, read from recordings, written into
// config/environments.json without touching the rest of the file; and the fields it writes.
const RUNNING = path.join(FIXTURES, "live-running");

describe("setMember edits one member and leaves every other byte", () => {
  const text = '{\n    "a": 1,\n    "b": { "x": [1, 2] },\n    "c": {\n        "d": "e"\n    }\n}\n';

  test("a new member goes at the end of its object, in the file's indentation", () => {
    expect(setMember(text, ["c", "f"], { g: 1 })).toBe('{\n    "a": 1,\n    "b": { "x": [1, 2] },\n    "c": {\n        "d": "e",\n        "f": {\n            "g": 1\n        }\n    }\n}\n');
  });

  test("a changed member keeps its place; one on a single line stays on it", () => {
    expect(setMember(text, ["a"], 2)).toBe(text.replace('"a": 1', '"a": 2'));
    expect(setMember(text, ["b", "y"], true)).toBe(text.replace('{ "x": [1, 2] }', '{ "x": [1, 2], "y": true }'));
  });

  test("a removed member takes its separator with it", () => {
    expect(setMember(text, ["a"], undefined)).toBe('{\n    "b": { "x": [1, 2] },\n    "c": {\n        "d": "e"\n    }\n}\n');
    expect(setMember(text, ["c", "d"], undefined)).toBe('{\n    "a": 1,\n    "b": { "x": [1, 2] },\n    "c": {}\n}\n');
    expect(JSON.parse(setMember(text, ["b"], undefined))).toEqual({ a: 1, c: { d: "e" } });
  });

  test("a missing object on the way is an error naming it", () => {
    expect(() => setMember(text, ["z", "y"], 1)).toThrow("z: not in the file");
  });
});

test("adopt on the running team's recordings keeps each live setting and writes no secret", () => {
  const raw = rawConfig();
  const scw = adoption("scaleway-staging", raw, readRecordings(userPath(path.join(RUNNING, "scaleway-staging"))));
  const byPath = Object.fromEntries(scw.settings.map((s) => [s.path.join("."), s.value]));
  expect(byPath["redis.settings"]).toEqual({ "maxmemory-policy": "allkeys-lru", "tcp-keepalive": "120" });
  expect(byPath["redis.tags"]).toEqual(["team:genie", "cost-center:ml"]);
  expect(byPath["container.environment"]).toEqual({ LOG_LEVEL: "info", OPENAI_MODEL: "gpt-4o-mini" });
  expect(scw.secretsToCreate).toEqual([expect.stringMatching(/^OPENAI_API_KEY: create a Scaleway secret holding the live value/)]);
  expect(JSON.stringify(scw)).not.toContain("argon2id");

  const gcp = adoption("gcp-staging", raw, readRecordings(userPath(path.join(RUNNING, "gcp-staging"))));
  expect(gcp.settings.map((s) => [s.path.join("."), s.value])).toEqual([
    ["redis.redisConfigs", { "maxmemory-policy": "allkeys-lru", "notify-keyspace-events": "Ex" }],
    ["redis.displayName", "Staging cache"],
    ["redis.maintenanceWindow", { day: "TUESDAY", hour: 2 }],
  ]);
  // What it writes is a valid configuration, and only those fields changed.
  const text = written(readFileSync(CONFIG_FILE, "utf8"), "gcp-staging", gcp.settings);
  const result = JSON.parse(text);
  expect(() => parseConfig(result)).not.toThrow();
  const expected = rawConfig();
  Object.assign(expected.environments.staging.gcp.redis, Object.fromEntries(gcp.settings.map((s) => [s.path[1], s.value])));
  expect(result).toEqual(expected);
});

test("a live plain variable that looks like a secret is neither written nor printed: it becomes a secret to create", () => {
  const live = tempDir("live-");
  cpSync(path.join(RUNNING, "scaleway-staging"), live, { recursive: true });
  const file = path.join(live, "scw-container.9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86.json");
  const container = JSON.parse(readFileSync(file, "utf8"));
  const password = "hunter2-Zq81xPw0";
  container.environment_variables.DATABASE_URL = `postgres://app:${password}@10.0.0.5:5432/app`;
  writeFileSync(file, JSON.stringify(container));
  const result = adoption("scaleway-staging", rawConfig(), readRecordings(userPath(live)));
  expect(JSON.stringify(result)).not.toContain(password);
  expect(result.settings.find((s) => s.path.join(".") === "container.environment")!.value).toEqual({ LOG_LEVEL: "info", OPENAI_MODEL: "gpt-4o-mini" });
  expect(result.secretsToCreate.map((s) => s.split(":")[0])).toEqual(["DATABASE_URL", "OPENAI_API_KEY"]);
});

test("the replay answers a recorded Scaleway secret's value with the placeholder, never a recorded one", () => {
  const answers = routes(readRecordings(userPath(path.join(RUNNING, "scaleway-staging"))));
  const base = "/secret-manager/v1beta1/regions/fr-par/secrets/5b0e2c71-94d3-4a8f-b6e1-0c7d3f9a2e48/versions";
  for (const revision of ["1", "latest"]) {
    expect(answers.get(`${base}/${revision}/access`)).toMatchObject({ revision: 1, data: Buffer.from(SECRET_PLACEHOLDER).toString("base64") });
  }
  expect(answers.get(`${base}/1`)).toMatchObject({ revision: 1, status: "enabled" });
});

describe("the backend's runtime contract in the configuration", () => {
  const problems = (change: (raw: any) => void) => {
    const raw = rawConfig();
    change(raw);
    try {
      parseConfig(raw);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  test("the application's variables and secrets reach the service and the container beside the Redis ones", () => {
    const raw = rawConfig();
    Object.assign(raw.environments.staging.gcp.backend, {
      environment: { LOG_LEVEL: "info" },
      secrets: { OPENAI_API_KEY: { secret: "openai-api-key" } },
      timeoutSeconds: 120, concurrency: 40, ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2", protocol: "h2c",
    });
    Object.assign(raw.environments.staging.scaleway.container, { environment: { LOG_LEVEL: "info" }, secrets: { OPENAI_API_KEY: { secret: "fr-par/5b0e2c71-94d3-4a8f-b6e1-0c7d3f9a2e48", version: "3" } } });
    const stacks = synthAll(raw);
    const gcp = resources(stacks["gcp-staging"]);
    const service = gcp["google_cloud_run_v2_service.backend"];
    const env = service.template.containers[0].env;
    expect(env).toContainEqual({ name: "LOG_LEVEL", value: "info" });
    expect(env).toContainEqual({ name: "OPENAI_API_KEY", value_source: { secret_key_ref: { secret: "openai-api-key", version: "latest" } } });
    expect(env.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(["REDIS_HOST", "REDIS_PASSWORD", "REDIS_URL", "REDIS_TLS"]));
    expect(service.template).toMatchObject({ timeout: "120s", max_instance_request_concurrency: 40, execution_environment: "EXECUTION_ENVIRONMENT_GEN2" });
    expect(service.template.containers[0].ports).toEqual({ container_port: 8080, name: "h2c" });
    expect(service.ingress).toBe("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    // The account may read the secret, and the service waits for that grant.
    const grant = gcp["google_secret_manager_secret_iam_member.backend_app_openai-api-key"];
    expect(grant).toMatchObject({ secret_id: "openai-api-key", role: "roles/secretmanager.secretAccessor" });
    expect(service.depends_on).toContain("google_secret_manager_secret_iam_member.backend_app_openai-api-key");

    const scw = stacks["scaleway-staging"];
    const container = resources(scw)["scaleway_container.backend"];
    expect(container.environment_variables).toMatchObject({ LOG_LEVEL: "info", REDIS_TLS: "false" });
    expect(container.secret_environment_variables.OPENAI_API_KEY).toBe("${base64decode(data.scaleway_secret_version.app_openai_api_key.data)}");
    expect(scw.data.scaleway_secret_version.app_openai_api_key).toMatchObject({ secret_id: "fr-par/5b0e2c71-94d3-4a8f-b6e1-0c7d3f9a2e48", revision: "3", region: "fr-par" });
  });

  test("a secret in a plain variable is refused, naming the field and never printing the value", () => {
    const found = problems((raw) => {
      raw.environments.staging.gcp.backend.environment = { DATABASE_URL: "postgres://app:s3cr3t-Pw@db:5432/app", STRIPE_API_KEY: "x" };
      raw.environments.staging.scaleway.container.environment = { OPENAI: "sk-proj-abcdefghijklmnopqrstuvwx" };
    });
    expect(found).toEqual([
      expect.stringMatching(/^environments\.staging\.gcp\.backend\.environment\.DATABASE_URL: variable "DATABASE_URL" looks like a URL with a password in it; give it as a secret reference \(secrets\)/),
      expect.stringMatching(/^environments\.staging\.gcp\.backend\.environment\.STRIPE_API_KEY: variable "STRIPE_API_KEY" is named like a secret/),
      expect.stringMatching(/^environments\.staging\.scaleway\.container\.environment\.OPENAI: variable "OPENAI" looks like an API key/),
    ]);
    expect(found.join("\n")).not.toMatch(/s3cr3t|abcdefghijkl/);
  });

  test("Redis's own variables, reserved names, another region and unknown settings are refused with the rule", () => {
    const found = problems((raw) => {
      raw.environments.staging.gcp.backend.environment = { REDIS_HOST: "10.0.0.1", PORT: "80" };
      raw.environments.staging.gcp.redis.redisConfigs = { "maxmemory-policy": "allkeys-lru", "maxmemory-clients": "10%", "save": "900 1" };
      raw.environments.staging.gcp.redis.version = "REDIS_6_X";
      raw.environments.staging.scaleway.redis.settings = { "maxmemory-policy": "all-lru" };
      raw.environments.staging.scaleway.container.secrets = { SCW_TOKEN: { secret: "nl-ams/5b0e2c71-94d3-4a8f-b6e1-0c7d3f9a2e48" } };
    });
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/backend\.environment\.REDIS_HOST: variable "REDIS_HOST" is the Redis contract's/),
      expect.stringMatching(/backend\.environment\.PORT: variable "PORT" is set by the platform itself/),
      expect.stringMatching(/redis\.redisConfigs\.maxmemory-clients: "maxmemory-clients" needs REDIS_7_0 or later \(the instance runs REDIS_6_X\)/),
      expect.stringMatching(/redis\.redisConfigs\.save: "save" is not a configuration Memorystore lets you set/),
      expect.stringMatching(/scaleway\.redis\.settings\.maxmemory-policy: "maxmemory-policy" "all-lru" must be one of/),
      expect.stringMatching(/container\.secrets\.SCW_TOKEN: variable "SCW_TOKEN" starts with SCW_/),
      expect.stringMatching(/container\.secrets\.SCW_TOKEN\.secret: must lie in fr-par, the container's region/),
    ]));
    expect(found).toHaveLength(7);
  });
});

describe("the live-settings rule on plans the rehearsal cannot show leaf by leaf", () => {
  const { liveSettingChanges } = require("../../../scripts/rehearse/live-settings");
  const stack = (variables: Record<string, string>) => ({
    import: [{ to: "scaleway_container.backend", id: "fr-par/9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86" }],
    resource: { scaleway_container: { backend: { environment_variables: variables, secret_environment_variables: { REDIS_URL: "x" } } } },
  });
  // The cut-over's step "private": REDIS_HOST is of an endpoint to come, so the whole map is unknown.
  const plan = {
    resource_changes: [{
      address: "scaleway_container.backend",
      change: { actions: ["update"], importing: {}, before: { environment_variables: { REDIS_HOST: "51.159.74.212", LOG_LEVEL: "info" } }, after: {}, after_unknown: { environment_variables: true } },
    }],
  };
  const raw = { environments: { staging: { scaleway: { container: { environment: { LOG_LEVEL: "info" } } } } } };

  test("a live variable the stack keeps passes, with the reason printed", () => {
    const report = liveSettingChanges("scaleway-staging", stack({ REDIS_HOST: "${x}", LOG_LEVEL: "info" }), plan, [], raw);
    expect(report.silent).toEqual([]);
    expect(report.allowed).toEqual([expect.stringContaining("(every live variable kept; the Redis contract's values are known after apply)")]);
  });

  test("a live variable the stack drops fails, even with container.environment written", () => {
    const report = liveSettingChanges("scaleway-staging", stack({ REDIS_HOST: "${x}" }), plan, [], raw);
    expect(report.silent).toEqual(['scaleway_container.backend: environment_variables.LOG_LEVEL: live "info", planned (unset): a live variable the configuration drops; keep it in container.environment, or move it to container.secrets']);
  });
});
