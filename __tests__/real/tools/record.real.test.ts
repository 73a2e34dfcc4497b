import { spawn, spawnSync } from "child_process";
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import path from "path";
import { projectPath } from "../../../input/user-path";
import { readRecordings, SECRET_PLACEHOLDER } from "../../../scripts/rehearse/recordings";
import { finished, rawConfig, ROOT, Run, tempDir, FIXTURES } from "../../helpers/helpers";

// `npm run record`: the tool, run as the user runs it, against a local server answering the Google
// and Scaleway REST APIs with replies that hold secrets. What it writes must be recordings the
// rehearsal reads, and must hold none of those secrets.
const RUNNING = path.join(FIXTURES, "live-running");
const fixture = (stack: string, file: string) => JSON.parse(readFileSync(path.join(RUNNING, stack, file), "utf8"));

const AUTH_STRING = "9f2c41d7-live-auth-string-b83e0a61c5d4";
const SECRET_VALUE = "postgres://app:Tr0ub4dor-live-s3cret@db.internal:5432/app";
const SECRET_HASH = "$argon2id$v=19$m=65536,t=1,p=2$bGl2ZXNhbHQ$bGl2ZS1oYXNoLW9mLXRoZS1zZWNyZXQ";
const TOKEN = "ya29.test-token-for-the-local-server";
const SCW_KEY = "22222222-2222-2222-2222-222222222222";
const SECRET_ID = "5b0e2c71-94d3-4a8f-b6e1-0c7d3f9a2e48";
const SECRETS = [AUTH_STRING, SECRET_VALUE, Buffer.from(SECRET_VALUE).toString("base64"), SECRET_HASH];

/** The API replies, by path (and the query where it matters), as the real APIs give them. */
function apiReplies(): Map<string, any> {
  const g = "gcp-staging";
  const s = "scaleway-staging";
  const redis = { ...fixture(g, "redis.staging-redis-f1adc35c.json"), authString: AUTH_STRING };
  const container = fixture(s, "scw-container.9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86.json");
  // The API gives secret variables' hashes, by name.
  container.secret_environment_variables = { DATABASE_URL: SECRET_HASH };
  const version = { ...fixture(s, `scw-secret.${SECRET_ID}.json`), data: Buffer.from(SECRET_VALUE).toString("base64") };
  return new Map<string, any>([
    ["/compute/v1/projects/netra-staging/global/networks/staging-vpc", fixture(g, "network.staging-vpc.json")],
    ["/compute/v1/projects/netra-staging/aggregated/subnetworks", { items: { "regions/us-central1": { subnetworks: fixture(g, "subnets.staging-vpc.json") }, "regions/europe-west1": { warning: { code: "NO_RESULTS_ON_PAGE" } } } }],
    ["/redis/v1/projects/netra-staging/locations/us-central1/instances/staging-redis-f1adc35c", redis],
    ["/redis/v1/projects/netra-staging/locations/us-central1/instances/staging-redis-f1adc35c/authString", { authString: AUTH_STRING }],
    ["/redis/v1/zones/fr-par-1/clusters/6a1d0c52-8e0b-4c3f-9d7e-2f4b1c9a7e31", fixture(s, "scw-redis.6a1d0c52-8e0b-4c3f-9d7e-2f4b1c9a7e31.json")],
    ["/ipam/v1/regions/fr-par/ips", { ips: [], total_count: 0 }],
    ["/containers/v1/regions/fr-par/namespaces/3c8e9b20-5f41-4d7a-a6c2-8b0e1f2d4a59", fixture(s, "scw-namespace.3c8e9b20-5f41-4d7a-a6c2-8b0e1f2d4a59.json")],
    ["/containers/v1/regions/fr-par/containers/9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86", container],
    [`/secret-manager/v1beta1/regions/fr-par/secrets/${SECRET_ID}/versions/latest`, version],
    [`/secret-manager/v1beta1/regions/fr-par/secrets/${SECRET_ID}/versions/latest/access`, { secret_id: SECRET_ID, revision: 1, data: Buffer.from(SECRET_VALUE).toString("base64") }],
  ]);
}

interface Api {
  url: string;
  replies: Map<string, any>;
  requests: string[];
  agents: string[];
  close(): Promise<void>;
}

/** A local server answering `replies` to requests with the test's credentials, 401 otherwise. */
function startApi(): Promise<Api> {
  const replies = apiReplies();
  const requests: string[] = [];
  const agents: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url!, "http://127.0.0.1");
    requests.push(`${request.method} ${url.pathname}`);
    agents.push(request.headers["user-agent"] ?? "");
    const authorized = request.headers.authorization === `Bearer ${TOKEN}` || request.headers["x-auth-token"] === SCW_KEY;
    const body = replies.get(url.pathname);
    // Google's error shape, or Scaleway's (what scw reads).
    const google = /^\/(compute|redis\/v1\/projects)\//.test(url.pathname);
    const [status, reply] = !authorized
      ? [401, google ? { error: { code: 401, message: "Request had invalid authentication credentials." } } : { message: "authentication is denied", method: "api_key", reason: "invalid_argument", type: "denied_authentication" }]
      : body === undefined
        ? [404, google ? { error: { code: 404, message: "not found" } } : { message: "resource is not found", resource: url.pathname.split("/").at(-2), resource_id: url.pathname.split("/").at(-1), type: "not_found" }]
        : [200, body];
    const text = JSON.stringify(reply);
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(text);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    replies,
    requests,
    agents,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  })));
}

/** The configuration with the Scaleway container reading one secret. */
function configFile(change: (raw: any) => void = () => {}): string {
  const raw = rawConfig();
  raw.environments.staging.scaleway.container.secrets = { DATABASE_URL: { secret: `fr-par/${SECRET_ID}` } };
  change(raw);
  const file = path.join(tempDir("config-"), "environments.json");
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

/** Runs `npm run record` (as run.js), not blocking this process: the server answers from here. */
function record(stack: string, live: string, env: Record<string, string | undefined>): Promise<Run> {
  return finished(spawn(process.execPath, [path.join(ROOT, "scripts", "run.js"), "record", stack, "--live", live], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as NodeJS.ProcessEnv,
  }));
}

const allText = (dir: string) => readdirSync(dir).map((file) => readFileSync(path.join(dir, file), "utf8")).join("\n");

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const gcpEnv = (config: string) => ({ GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, REDIS_NET_GOOGLE_API_URL: api.url, REDIS_NET_CONFIG: config });
// The real scw CLI (scripts/scw.sh, built once and cached), on PATH as scw, with its own empty HOME.
const scwBin = tempDir("scw-bin-");
beforeAll(() => {
  const built = spawnSync(path.join(ROOT, "scripts", "scw.sh"), { encoding: "utf8", timeout: 1_200_000 });
  expect([built.status, built.stderr]).toEqual([0, expect.any(String)]);
  symlinkSync(built.stdout.trim().split("\n").pop()!, path.join(scwBin, "scw"));
}, 1_200_000);
const scwEnv = (config: string) => ({
  PATH: `${scwBin}:${process.env.PATH}`,
  HOME: tempDir("home-"),
  SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX",
  SCW_SECRET_KEY: SCW_KEY,
  SCW_DEFAULT_ORGANIZATION_ID: "4b7d2e91-3a6c-4f0e-8d15-7c9a2b6e1f03",
  SCW_API_URL: api.url,
  REDIS_NET_CONFIG: config,
});

test("records a Google stack's network, subnets and instance, the AUTH string never written, and reports what changed", async () => {
  const live = tempDir("live-");
  const config = configFile();
  // Its own temporary folder, to see that the tool leaves nothing there (it once left synth's
  // generations folder, `<its work folder>.gen`, on every run).
  const tmp = tempDir("tmp-");
  const first = await record("gcp-staging", live, { ...gcpEnv(config), TMPDIR: tmp });
  expect(first.stderr).toBe("");
  expect(first.status).toBe(0);
  expect(readdirSync(tmp)).toEqual([]);
  expect(readdirSync(live).sort()).toEqual(["network.staging-vpc.json", "redis-auth.staging-redis-f1adc35c.json", "redis.staging-redis-f1adc35c.json", "subnets.staging-vpc.json"]);
  const recordings = readRecordings(projectPath(live));
  expect(recordings.map((r) => r.kind).sort()).toEqual(["network", "redis", "redis-auth", "subnets"]);
  for (const secret of SECRETS) expect(allText(live)).not.toContain(secret);
  expect(recordings.find((r) => r.kind === "redis")!.json.authString).toBe(SECRET_PLACEHOLDER);
  expect(recordings.find((r) => r.kind === "redis-auth")!.json).toEqual({ authString: SECRET_PLACEHOLDER });
  // What gcloud prints: the resource as the API gives it, every other field kept.
  expect(recordings.find((r) => r.kind === "network")!.json).toEqual(api.replies.get("/compute/v1/projects/netra-staging/global/networks/staging-vpc"));
  expect(recordings.find((r) => r.kind === "subnets")!.json).toHaveLength(fixture("gcp-staging", "subnets.staging-vpc.json").length);
  expect(api.requests.some((r) => r.includes("/authString"))).toBe(false);
  expect(first.stdout).toMatch(/redis\.staging-redis-f1adc35c\.json: added/);
  // What was recorded is what adopt keeps and the rehearsal plans against, every read answered.
  const tool = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "scripts", "run.js"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 300_000, env: { ...process.env, REDIS_NET_CONFIG: config, TF_VAR_backend_image: undefined } });
  const adopted = tool("adopt", "gcp-staging", "--live", live, "--write");
  expect([adopted.status, adopted.stderr]).toEqual([0, ""]);
  const rehearsal = tool("rehearse", "gcp-staging", "--live", live);
  expect([rehearsal.status, rehearsal.stderr]).toEqual([0, ""]);
  expect(rehearsal.stdout).toContain("rehearsal passed");
  expect(rehearsal.stdout).toMatch(/[1-9]\d* API read\(s\) answered from the recording/);

  // Memorystore changed outside: the second recording names the field, with its values.
  const redisPath = "/redis/v1/projects/netra-staging/locations/us-central1/instances/staging-redis-f1adc35c";
  const before = api.replies.get(redisPath);
  const { maintenanceVersion: _dropped, ...rest } = before;
  api.replies.set(redisPath, { ...rest, memorySizeGb: 5, authString: "another-live-auth-string-0c9d", labels: { team: "data" }, replicaCount: 2 });
  try {
    const second = await record("gcp-staging", live, gcpEnv(config));
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("redis.staging-redis-f1adc35c.json: memorySizeGb changed: 1 -> 5");
    expect(second.stdout).toContain('redis.staging-redis-f1adc35c.json: labels changed: {"team":"genie","cost-center":"ml"} -> {"team":"data"}');
    expect(second.stdout).toContain('redis.staging-redis-f1adc35c.json: replicaCount added: 2');
    expect(second.stdout).toContain('redis.staging-redis-f1adc35c.json: maintenanceVersion removed (was "20250806_00_00")');
    expect(second.stdout).not.toMatch(/authString|network\.staging-vpc\.json/);
    expect(allText(live)).not.toContain("another-live-auth-string-0c9d");
    const third = await record("gcp-staging", live, gcpEnv(config));
    expect(third.stdout).toContain("nothing changed since the previous recording");
  } finally {
    api.replies.set(redisPath, before);
  }
}, 180_000);

test("records a Scaleway stack's cluster, namespace, container and secret, no secret value or hash written", async () => {
  const live = tempDir("live-");
  const config = configFile();
  const run = await record("scaleway-staging", live, scwEnv(config));
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const recordings = readRecordings(projectPath(live));
  expect(recordings.map((r) => r.kind).sort()).toEqual(["scw-container", "scw-namespace", "scw-redis", "scw-secret"]);
  for (const secret of SECRETS) expect(allText(live)).not.toContain(secret);
  expect(recordings.find((r) => r.kind === "scw-container")!.json.secret_environment_variables).toEqual({ DATABASE_URL: SECRET_PLACEHOLDER });
  const version = recordings.find((r) => r.kind === "scw-secret")!.json;
  expect(version).toMatchObject({ secret_id: SECRET_ID, revision: 1, region: "fr-par" });
  expect([undefined, SECRET_PLACEHOLDER]).toContain(version.data);
  // Recorded through the CLI (its user agent), never asking for a secret's value.
  expect(api.requests.filter((r) => r.includes("/clusters/"))).toEqual(["GET /redis/v1/zones/fr-par-1/clusters/6a1d0c52-8e0b-4c3f-9d7e-2f4b1c9a7e31"]);
  expect(api.agents.some((agent) => /scaleway-cli\/2\.60\.0/.test(agent))).toBe(true);
  expect(api.requests.some((r) => /\/access\b/.test(r))).toBe(false);
  // What was recorded is what adopt keeps and the rehearsal plans against, every read answered.
  const tool = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "scripts", "run.js"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 300_000, env: { ...process.env, REDIS_NET_CONFIG: config, TF_VAR_backend_image: undefined } });
  const adopted = tool("adopt", "scaleway-staging", "--live", live, "--write");
  expect([adopted.status, adopted.stderr]).toEqual([0, ""]);
  const rehearsal = tool("rehearse", "scaleway-staging", "--live", live);
  expect([rehearsal.status, rehearsal.stderr]).toEqual([0, ""]);
  expect(rehearsal.stdout).toContain("rehearsal passed");
  expect(rehearsal.stdout).toMatch(/[1-9]\d* API read\(s\) answered from the recording/);
}, 180_000);

test("clear errors, nothing written: no credentials, refused credentials, not found", async () => {
  const live = tempDir("live-");
  writeFileSync(path.join(live, "README.md"), "kept\n");
  const config = configFile();
  // No token and no gcloud on PATH (node runs by its full path).
  const none = await record("gcp-staging", live, { PATH: tempDir("empty-path-"), REDIS_NET_GOOGLE_API_URL: api.url, REDIS_NET_CONFIG: config, GOOGLE_OAUTH_ACCESS_TOKEN: undefined });
  expect(none.status).toBe(2);
  expect(none.stderr).toContain("no Google credentials: GOOGLE_OAUTH_ACCESS_TOKEN is not set and gcloud is not installed");
  // gcloud installed but logged in nowhere (its own empty configuration): said so, with gcloud's reason.
  if (spawnSync("gcloud", ["--version"]).status === 0) {
    const notLoggedIn = await record("gcp-staging", live, { REDIS_NET_GOOGLE_API_URL: api.url, REDIS_NET_CONFIG: config, CLOUDSDK_CONFIG: tempDir("gcloud-config-") });
    expect(notLoggedIn.status).toBe(2);
    expect(notLoggedIn.stderr).toContain("no Google credentials: gcloud auth print-access-token failed (exit 1: (gcloud.auth.print-access-token) You do not currently have an active account selected.); run gcloud auth login, or set GOOGLE_OAUTH_ACCESS_TOKEN");
  }
  const noScw = await record("scaleway-staging", live, { ...scwEnv(config), PATH: tempDir("empty-path-") });
  expect(noScw.status).toBe(2);
  expect(noScw.stderr).toContain("the scw CLI is not installed (scw is not on PATH): scripts/scw.sh builds the pinned v2.60.0");
  const scwNone = await record("scaleway-staging", live, { ...scwEnv(config), SCW_ACCESS_KEY: undefined, SCW_SECRET_KEY: undefined });
  expect(scwNone.status).toBe(2);
  expect(scwNone.stderr).toContain("no Scaleway credentials that can read Redis cluster fr-par-1/6a1d0c52-8e0b-4c3f-9d7e-2f4b1c9a7e31: scw redis cluster get 6a1d0c52-8e0b-4c3f-9d7e-2f4b1c9a7e31 zone=fr-par-1 -o json: no credentials provided");
  const scwRefused = await record("scaleway-staging", live, { ...scwEnv(config), SCW_SECRET_KEY: "33333333-3333-3333-3333-333333333333" });
  expect(scwRefused.status).toBe(2);
  expect(scwRefused.stderr).toContain("no Scaleway credentials that can read Redis cluster fr-par-1/6a1d0c52-8e0b-4c3f-9d7e-2f4b1c9a7e31");
  const scwGone = await record("scaleway-staging", live, scwEnv(configFile((raw) => (raw.environments.staging.scaleway.adopt.container.id = "fr-par/00000000-0000-4000-8000-000000000000"))));
  expect(scwGone.status).toBe(2);
  expect(scwGone.stderr).toContain("container fr-par/00000000-0000-4000-8000-000000000000: not found (scw container container get 00000000-0000-4000-8000-000000000000 region=fr-par -o json:");
  expect(scwGone.stderr).toContain("check adopt.container.id (fr-par/00000000-0000-4000-8000-000000000000)");
  const refused = await record("gcp-staging", live, { ...gcpEnv(config), GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.expired" });
  expect(refused.status).toBe(2);
  expect(refused.stderr).toMatch(/network staging-vpc: the credentials were refused \(401 from GET http:\/\/127\.0\.0\.1:\d+\/compute\/v1\/projects\/netra-staging\/global\/networks\/staging-vpc\)/);
  const gone = await record("gcp-staging", live, gcpEnv(configFile((raw) => (raw.environments.staging.gcp.adopt.redis = "staging-redis-typo"))));
  expect(gone.status).toBe(2);
  expect(gone.stderr).toContain("Memorystore instance staging-redis-typo: not found (404 from GET");
  expect(gone.stderr).toContain("check adopt.redis (staging-redis-typo)");
  expect(readdirSync(live)).toEqual(["README.md"]);
  expect(existsSync(path.join(live, "network.staging-vpc.json"))).toBe(false);
}, 240_000);
