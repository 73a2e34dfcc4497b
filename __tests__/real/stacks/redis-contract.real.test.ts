import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import { readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { REDIS_ENV } from "../../../constructs/redis-environment";
import { Attributes, fill, TERRAFORM_FUNCTIONS } from "../../helpers/terraform-values";
import { freePort, rawConfig, resources, Synthesized, synthAll, tempDir } from "../../helpers/helpers";
import { FIXTURES } from "../../helpers/helpers";

// The contract between the stacks and the backend, proved with real parts: a real redis-server
// (Debian's package; .ci/run installs it) with a password and TLS from a generated CA, and a
// client that reads exactly the variables each synthesized service would be given.
const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
const CLIENT = path.join(FIXTURES, "redis-client.js");
// Every character random_password may generate that means something in a URL.
const PASSWORD = "Ab1!@#$%&*()-_=+[]{}<>:?z";

let dir: string;
const servers: ChildProcess[] = [];
const ports: Record<string, { plain: number; tls: number }> = {};
let ca: string;
let otherCa: string;

const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

/** Starts redis-server and resolves once it accepts connections. */
function startRedis(name: string, auth: string[]): Promise<void> {
  const { plain, tls } = ports[name];
  const server = spawn("redis-server", [
    "--port", String(plain), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir,
    "--tls-port", String(tls), "--tls-cert-file", "server.crt", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.crt", "--tls-auth-clients", "no",
    ...auth,
  ], { cwd: dir });
  servers.push(server);
  return new Promise((resolve, reject) => {
    let log = "";
    server.stdout!.on("data", (chunk) => {
      log += chunk;
      if (log.includes("Ready to accept connections")) resolve();
    });
    server.on("exit", (code) => reject(new Error(`redis-server ${name} exited ${code}:\n${log}`)));
  });
}

(hasRedis ? describe : describe.skip)("the Redis environment contract, against a real redis-server", () => {
  beforeAll(async () => {
    dir = tempDir("contract-");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=redis-net test CA");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.crt", "-days", "1", "-subj", "/CN=another CA");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=redis");
    writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.ext");
    ca = readFileSync(path.join(dir, "ca.crt"), "utf8");
    otherCa = readFileSync(path.join(dir, "other.crt"), "utf8");
    for (const name of ["memorystore", "scaleway"]) ports[name] = { plain: await freePort(), tls: await freePort() };
    // Memorystore: AUTH with the default user. Scaleway: one named user, the default one off.
    await startRedis("memorystore", ["--requirepass", PASSWORD]);
    await startRedis("scaleway", ["--user", "default", "off", "--user", "backend", "on", `>${PASSWORD}`, "~*", "&*", "+@all"]);
  }, 30_000);

  afterAll(() => {
    for (const server of servers) server.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const stacks = synthAll();

  /** What Terraform would know after apply, with Redis at the local server. */
  function state(name: "memorystore" | "scaleway", tls: boolean): Attributes {
    const port = tls ? ports[name].tls : ports[name].plain;
    return {
      google_redis_instance: { main: { host: "127.0.0.1", port, auth_string: PASSWORD, server_ca_certs: [{ cert: ca }] } },
      scaleway_redis_cluster: { main: { private_network: [{ ips: ["127.0.0.1"], port }], public_network: [{ ips: ["127.0.0.1"], port }], certificate: ca } },
      random_password: { redis: { result: PASSWORD } },
    };
  }

  /**
   * The environment Cloud Run gives the service: plain values, each Redis secret at the version the
   * apply wrote, and the application's own secrets from what Secret Manager holds (`existing`).
   */
  function cloudRunEnvironment(stack: Synthesized, values: Attributes, functions = TERRAFORM_FUNCTIONS, existing: Record<string, string> = {}): Record<string, string> {
    const all = resources(stack);
    const env: any[] = all["google_cloud_run_v2_service.backend"].template.containers[0].env;
    return Object.fromEntries(env.map((e) => {
      if (e.value !== undefined) return [e.name, fill(e.value, values, functions)];
      const { secret, version: ref } = e.value_source.secret_key_ref;
      if (secret in existing) return [e.name, existing[secret]];
      const version = /^\$\{(google_secret_manager_secret_version\.\w+)(?:\[0\])?\.version\}$/.exec(ref)![1];
      return [e.name, fill(all[version].secret_data, values, functions)];
    }));
  }

  /** The environment the Scaleway container gets: its variables and secret variables. */
  function containerEnvironment(stack: Synthesized, values: Attributes, functions = TERRAFORM_FUNCTIONS): Record<string, string> {
    const container = resources(stack)["scaleway_container.backend"];
    const variables = { ...container.environment_variables, ...container.secret_environment_variables };
    return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, fill(value as string, values, functions)]));
  }

  /** Runs the client with exactly `env` (and PATH): its stdout, or its error. */
  function client(env: Record<string, string>): { ok: boolean; output: string } {
    const run = spawnSync("node", [CLIENT], { env: { PATH: process.env.PATH!, ...env }, encoding: "utf8", timeout: 20_000 });
    return { ok: run.status === 0, output: (run.status === 0 ? run.stdout : run.stderr).trim() };
  }

  const cases = [
    ["gcp-staging", "memorystore", false, cloudRunEnvironment],
    ["gcp-production", "memorystore", true, cloudRunEnvironment],
    ["scaleway-staging", "scaleway", false, containerEnvironment],
    ["scaleway-production", "scaleway", true, containerEnvironment],
  ] as const;

  test.each(cases)("%s: the service's variables reach %s (TLS %s) and PING", (stack, server, tls, environmentOf) => {
    const env = environmentOf(stacks[stack], state(server, tls));
    const expected = Object.values(REDIS_ENV).filter((name) => (tls || name !== REDIS_ENV.caCert) && (server === "scaleway" || name !== REDIS_ENV.username));
    expect(Object.keys(env).sort()).toEqual(expected.sort());
    expect(env[REDIS_ENV.tls]).toBe(String(tls));
    expect(client(env)).toEqual({ ok: true, output: "PONG PONG" });
  });

  test("with the application's own variables and secrets beside it, the contract holds on both clouds", () => {
    const raw = rawConfig();
    raw.environments.staging.gcp.backend.environment = { LOG_LEVEL: "info", OPENAI_MODEL: "gpt-4o-mini" };
    raw.environments.staging.gcp.backend.secrets = { OPENAI_API_KEY: { secret: "openai-api-key" }, DATABASE_URL: { secret: "database-url", version: "4" } };
    raw.environments.staging.scaleway.container.environment = { LOG_LEVEL: "info", OPENAI_MODEL: "gpt-4o-mini" };
    raw.environments.staging.scaleway.container.secrets = { OPENAI_API_KEY: { secret: "fr-par/5b0e2c71-94d3-4a8f-b6e1-0c7d3f9a2e48" } };
    const withApplication = synthAll(raw);
    const application = { LOG_LEVEL: "info", OPENAI_MODEL: "gpt-4o-mini", OPENAI_API_KEY: "sk-test-key" };
    const contract = (server: "memorystore" | "scaleway") => Object.values(REDIS_ENV).filter((name) => name !== REDIS_ENV.caCert && (server === "scaleway" || name !== REDIS_ENV.username));

    const gcp = cloudRunEnvironment(withApplication["gcp-staging"], state("memorystore", false), TERRAFORM_FUNCTIONS, { "openai-api-key": "sk-test-key", "database-url": "postgres://db" });
    expect(Object.keys(gcp).sort()).toEqual([...contract("memorystore"), ...Object.keys(application), "DATABASE_URL"].sort());
    expect(gcp).toMatchObject({ ...application, DATABASE_URL: "postgres://db" });
    expect(client(gcp)).toEqual({ ok: true, output: "PONG PONG" });

    // What the plan read from Scaleway Secret Manager (the data source's base64 `data`).
    const values = { ...state("scaleway", false), data: { scaleway_secret_version: { app_openai_api_key: { data: Buffer.from("sk-test-key").toString("base64") } } } };
    const scw = containerEnvironment(withApplication["scaleway-staging"], values);
    expect(Object.keys(scw).sort()).toEqual([...contract("scaleway"), ...Object.keys(application)].sort());
    expect(scw).toMatchObject(application);
    expect(client(scw)).toEqual({ ok: true, output: "PONG PONG" });
  });

  test("a renamed variable fails", () => {
    const { [REDIS_ENV.password]: password, ...env } = cloudRunEnvironment(stacks["gcp-staging"], state("memorystore", false));
    expect(client({ ...env, REDIS_AUTH: password })).toEqual({ ok: false, output: "REDIS_PASSWORD is not set" });
  });

  test("a password put into the URL without encoding fails", () => {
    const unencoded = { ...TERRAFORM_FUNCTIONS, urlencode: (s: string) => s };
    const result = client(containerEnvironment(stacks["scaleway-staging"], state("scaleway", false), unencoded));
    expect(result).toEqual({ ok: false, output: expect.stringMatching(/Invalid URL|WRONGPASS/) });
  });

  test("a wrong CA fails", () => {
    const values = state("memorystore", true);
    values.google_redis_instance.main.server_ca_certs = [{ cert: otherCa }];
    const result = client(cloudRunEnvironment(stacks["gcp-production"], values));
    expect(result).toEqual({ ok: false, output: expect.stringMatching(/certificate/i) });
  });

  test("every CA Memorystore lists is trusted: the server's may be the second (Google adds the next before the current expires)", () => {
    const values = state("memorystore", true);
    values.google_redis_instance.main.server_ca_certs = [{ cert: otherCa }, { cert: ca }];
    expect(client(cloudRunEnvironment(stacks["gcp-production"], values))).toEqual({ ok: true, output: "PONG PONG" });
  });

  test("without the user name Scaleway's named user is not reached", () => {
    const { [REDIS_ENV.username]: _user, ...env } = containerEnvironment(stacks["scaleway-staging"], state("scaleway", false));
    expect(client(env).ok).toBe(false);
  });
});
