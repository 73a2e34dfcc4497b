import { spawnSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import path from "path";
import { APP_SOURCES, CONFIG_FILE, copyProject, providerMirror, rawConfig, tempDir } from "../../helpers/helpers";
import { FIXTURES } from "../../helpers/helpers";

// Adoption keeps what is live: against recordings of a staging as a running team has it
// (fixtures/live-running: Redis configs, a maintenance window, cluster settings, tags, the
// application's own variables and a secret one), the rehearsal fails naming each setting the plan
// would lose; after `npm run adopt -- <stack> --write` on the same recordings it passes.
const mirror = providerMirror();
const RUNNING = path.join(FIXTURES, "live-running");
// A copy of the project of its own: the rehearsal's work directory (cdktf.out.rehearse/<stack>)
// is then this file's, whatever other test files rehearse at the same time.
let root: string;
beforeAll(() => {
  root = copyProject([...APP_SOURCES, "scripts", "live", "tsconfig.json", "package.json"]);
});

function tool(name: string, args: string[], configFile: string) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), REDIS_NET_CONFIG: configFile };
  delete env.TF_VAR_backend_image;
  const run = spawnSync(process.execPath, [path.join(root, "scripts", "run.js"), name, ...args], { cwd: root, env, encoding: "utf8", timeout: 300_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A copy of the shipped configuration, byte for byte, for adopt to write into. */
function configCopy(): string {
  const file = path.join(tempDir("config-"), "environments.json");
  writeFileSync(file, readFileSync(CONFIG_FILE, "utf8"));
  return file;
}

(mirror ? describe : describe.skip)("adoption keeps every live setting", () => {
  test("gcp-staging: the rehearsal names each Memorystore setting the plan would drop; after adopt --write it passes", () => {
    const config = configCopy();
    const live = path.join(RUNNING, "gcp-staging");
    const before = tool("rehearse", ["gcp-staging", "--live", live], config);
    expect(before.stderr).toContain('google_redis_instance.main: redis_configs.maxmemory-policy: live "allkeys-lru", planned (unset): a change to a live setting the configuration does not state; state it in redis.redisConfigs');
    expect(before.stderr).toContain('google_redis_instance.main: redis_configs.notify-keyspace-events: live "Ex", planned (unset)');
    expect(before.stderr).toMatch(/google_redis_instance\.main: maintenance_policy\[0\]: live \{.*"day":"TUESDAY".*\}, planned \(unset\): .* redis\.maintenanceWindow/);
    expect(before.stderr).toContain('google_redis_instance.main: display_name: live "Staging cache", planned null');
    // What adoption may change unasked is printed with its reason, and is no failure.
    expect(before.stdout).toContain("google_redis_instance.main: deletion_protection: null → true (kept by Terraform only: no call to Google)");
    expect(before.stderr).not.toContain("labels");
    expect(before.status).toBe(1);

    const adopted = tool("adopt", ["gcp-staging", "--live", live, "--write"], config);
    expect(adopted.stdout).toContain('redis.redisConfigs: (not written) → {"maxmemory-policy":"allkeys-lru","notify-keyspace-events":"Ex"}');
    expect(adopted.stdout).toContain('redis.maintenanceWindow: (not written) → {"day":"TUESDAY","hour":2}');
    expect(adopted.status).toBe(0);
    // Only the adopted environment's Redis changed; everything else in the file is as it was.
    const written = JSON.parse(readFileSync(config, "utf8"));
    const shipped = rawConfig();
    expect(written.environments.production).toEqual(shipped.environments.production);
    expect(written.environments.staging.scaleway).toEqual(shipped.environments.staging.scaleway);
    expect(written.environments.staging.gcp.redis).toEqual({
      ...shipped.environments.staging.gcp.redis,
      redisConfigs: { "maxmemory-policy": "allkeys-lru", "notify-keyspace-events": "Ex" },
      displayName: "Staging cache",
      maintenanceWindow: { day: "TUESDAY", hour: 2 },
    });

    const after = tool("rehearse", ["gcp-staging", "--live", live], config);
    expect(after.stderr).toBe("");
    expect(after.stdout).toContain("rehearsal passed");
    expect(after.status).toBe(0);
  }, 300_000);

  test("scaleway-staging: cluster settings, replaced tags and the container's own variables are named; after adopt --write and the secret it asks for, it passes", () => {
    const config = configCopy();
    const live = path.join(RUNNING, "scaleway-staging");
    const before = tool("rehearse", ["scaleway-staging", "--live", live], config);
    expect(before.stderr).toContain('scaleway_redis_cluster.main: settings.maxmemory-policy: live "allkeys-lru", planned (unset): a change to a live setting the configuration does not state; state it in redis.settings');
    expect(before.stderr).toContain('scaleway_redis_cluster.main: settings.tcp-keepalive: live "120", planned (unset)');
    expect(before.stderr).toContain('scaleway_redis_cluster.main: tags[1]: live "cost-center:ml", planned (unset)');
    expect(before.stderr).toContain('scaleway_container.backend: environment_variables.LOG_LEVEL: live "info", planned (unset): a live variable the configuration drops');
    expect(before.stderr).toContain('scaleway_container.backend: environment_variables.OPENAI_MODEL: live "gpt-4o-mini", planned (unset)');
    expect(before.stderr).toContain("scaleway_container.backend: secret_environment_variables.OPENAI_API_KEY: live (set; Scaleway shows a hash), planned (unset): a live secret variable the configuration drops");
    expect(before.stderr).toContain('scaleway_container_namespace.main: tags[0]: live "team:genie", planned "staging"');
    expect(before.status).toBe(1);

    const adopted = tool("adopt", ["scaleway-staging", "--live", live, "--write"], config);
    expect(adopted.stdout).toContain('container.environment: (not written) → {"LOG_LEVEL":"info","OPENAI_MODEL":"gpt-4o-mini"}');
    expect(adopted.stdout).toContain('redis.settings: (not written) → {"maxmemory-policy":"allkeys-lru","tcp-keepalive":"120"}');
    expect(adopted.stdout).toMatch(/secret to create: OPENAI_API_KEY: create a Scaleway secret holding the live value .* add "OPENAI_API_KEY": \{ "secret": "fr-par\/<its id>" \} to container\.secrets/);
    // Written, but the secret is still to be created: not done.
    expect(adopted.status).toBe(1);
    const stillMissing = tool("rehearse", ["scaleway-staging", "--live", live], config);
    expect(stillMissing.stderr).toContain("secret_environment_variables.OPENAI_API_KEY");
    expect(stillMissing.stderr).not.toContain("settings.");
    expect(stillMissing.status).toBe(1);

    // The user creates the secret as adopt said, records it, and names it.
    const written = JSON.parse(readFileSync(config, "utf8"));
    written.environments.staging.scaleway.container.secrets = { OPENAI_API_KEY: { secret: "fr-par/5b0e2c71-94d3-4a8f-b6e1-0c7d3f9a2e48" } };
    writeFileSync(config, JSON.stringify(written, null, 2));
    const after = tool("rehearse", ["scaleway-staging", "--live", live], config);
    expect(after.stderr).toBe("");
    expect(after.stdout).toContain("scaleway_redis_cluster.main: tags[2]: (unset) → \"staging\" (the stack's own environment tag, added; every live tag kept)");
    expect(after.stdout).toContain("rehearsal passed");
    expect(after.status).toBe(0);
  }, 300_000);
});
