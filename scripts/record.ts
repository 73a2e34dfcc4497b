// `npm run record -- <stack> [--live <dir>]`: records what the stack adopts (its synthesized import
// blocks, and the Scaleway secrets its container reads) into live/<stack>/ (or --live), with the
// user's own credentials, in the form gcloud --format=json / scw -o json prints (the kinds of
// scripts/rehearse/recordings.ts), and prints what changed since the previous recording.
// Google: the REST APIs gcloud itself calls (gcloud prints their resources as they are), with
// GOOGLE_OAUTH_ACCESS_TOKEN or `gcloud auth print-access-token`, at REDIS_NET_GOOGLE_API_URL
// (default https://www.googleapis.com / https://redis.googleapis.com).
// Scaleway: the scw CLI itself (scripts/scw.sh builds the pinned one; REDIS_NET_SCW or scw on
// PATH), with the user's keys or scw configuration; SCW_API_URL points it elsewhere (tests).
// Recordings are committed, so no secret is ever written: the AUTH string, secret version data and
// every field the providers mark sensitive are SECRET_PLACEHOLDER.
// Exit 0: recorded (changes printed); 2: nothing written, for the reason printed.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { existingDirectory, projectPath, UserPath, userPath } from "../input/user-path";
import { parseOptions } from "./args";
import { knownStack } from "./known-stacks";
import { synthesizeStack } from "./rehearse";
import { readRecordings, SECRET_PLACEHOLDER } from "./rehearse/recordings";
import { ROOT } from "./root";
import { TerraformJson } from "./verify/reference";

const USAGE = "npm run record -- <stack> [--live <dir>], e.g. npm run record -- gcp-staging";
const RECORDED_KINDS = ["network", "subnets", "redis", "redis-auth", "scw-redis", "scw-namespace", "scw-container", "scw-ipam", "scw-secret"];

/** What the user's environment gives the recording: credentials and API addresses. */
export interface Access {
  readonly env: NodeJS.ProcessEnv;
}

/** One file to write: its name in the live directory and what it holds. */
export interface Recorded {
  readonly file: string;
  readonly json: unknown;
}

/** A request to an API, with the error it should name on failure. */
async function get(url: string, headers: Record<string, string>, what: string, fix: string): Promise<any> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new Error(`${what}: GET ${url} failed (${(error as Error).cause ?? (error as Error).message})`);
  }
  const text = await response.text();
  if (response.status === 404) throw new Error(`${what}: not found (404 from GET ${url}); ${fix}`);
  if (response.status === 401 || response.status === 403) {
    throw new Error(`${what}: the credentials were refused (${response.status} from GET ${url}): not logged in, expired, or without read access to it`);
  }
  if (!response.ok) throw new Error(`${what}: GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: GET ${url} answered something other than JSON: ${text.slice(0, 200)}`);
  }
}

/** The Google access token: GOOGLE_OAUTH_ACCESS_TOKEN, else gcloud's. */
function googleToken(env: NodeJS.ProcessEnv): string {
  if (env.GOOGLE_OAUTH_ACCESS_TOKEN) return env.GOOGLE_OAUTH_ACCESS_TOKEN;
  const run = spawnSync("gcloud", ["auth", "print-access-token"], { env, encoding: "utf8", timeout: 60_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error("no Google credentials: GOOGLE_OAUTH_ACCESS_TOKEN is not set and gcloud is not installed (not on PATH); set GOOGLE_OAUTH_ACCESS_TOKEN (e.g. from gcloud auth print-access-token elsewhere) or install gcloud and run gcloud auth login");
  }
  if (run.status !== 0 || !run.stdout.trim()) {
    throw new Error(`no Google credentials: gcloud auth print-access-token failed (${run.error?.message ?? `exit ${run.status}`}${run.stderr.trim() ? `: ${run.stderr.trim().split("\n")[0].replace(/^ERROR: /, "")}` : ""}); run gcloud auth login, or set GOOGLE_OAUTH_ACCESS_TOKEN`);
  }
  return run.stdout.trim();
}

/**
 * The API fields behind every attribute the providers mark sensitive (providers/schema/), by the
 * Terraform type each recording is read as: written as the placeholder, at any depth.
 */
export const SENSITIVE: Record<string, { attributes: string[]; fields: string[] }> = {
  google_compute_network: { attributes: [], fields: [] },
  google_compute_subnetwork: { attributes: [], fields: [] },
  google_redis_instance: { attributes: ["auth_string"], fields: ["authString"] },
  scaleway_redis_cluster: { attributes: ["connection_string", "password"], fields: ["connection_string", "password"] },
  scaleway_container_namespace: { attributes: ["secret_environment_variables"], fields: ["secret_environment_variables"] },
  scaleway_container: { attributes: ["secret_environment_variables"], fields: ["secret_environment_variables"] },
  "data.scaleway_secret_version": { attributes: ["data"], fields: ["data"] },
};
const SENSITIVE_GOOGLE = [...SENSITIVE.google_compute_network.fields, ...SENSITIVE.google_redis_instance.fields];

/** `json` with every field named in `names` (at any depth) replaced by the placeholder. */
export function redact(json: any, names: string[]): any {
  if (Array.isArray(json)) return json.map((item) => redact(item, names));
  if (!json || typeof json !== "object") return json;
  return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, names.includes(key) && value !== null && value !== undefined ? SECRET_PLACEHOLDER : redact(value, names)]));
}

function importIds(stack: TerraformJson, type: string): string[] {
  return ((stack.import ?? []) as { to: string; id: string }[]).filter((block) => block.to.startsWith(`${type}.`)).map((block) => block.id);
}

/** The files that record what a Google stack adopts. */
async function recordGoogle(stack: TerraformJson, env: NodeJS.ProcessEnv): Promise<Recorded[]> {
  const networks = importIds(stack, "google_compute_network");
  const instances = importIds(stack, "google_redis_instance");
  if (!networks.length && !instances.length) return [];
  const token = googleToken(env);
  const headers = { Authorization: `Bearer ${token}` };
  const base = env.REDIS_NET_GOOGLE_API_URL?.replace(/\/$/, "");
  const compute = base ?? "https://compute.googleapis.com";
  const redisApi = base ?? "https://redis.googleapis.com";
  const out: Recorded[] = [];
  for (const id of networks) {
    const match = /^projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(id);
    if (!match) throw new Error(`import id ${id}: not projects/<project>/global/networks/<name>`);
    const [, project, name] = match;
    const fix = `check adopt.network (${name}) and the project (${project})`;
    const network = await get(`${compute}/compute/v1/projects/${project}/global/networks/${name}`, headers, `network ${name}`, fix);
    out.push({ file: `network.${name}.json`, json: redact(network, SENSITIVE_GOOGLE) });
    // What `gcloud compute networks subnets list --network` reads: every region's, filtered by network.
    const subnets: any[] = [];
    let pageToken: string | undefined;
    do {
      const query = new URLSearchParams({ filter: `network eq .*/networks/${name}$`, ...(pageToken ? { pageToken } : {}) });
      const page = await get(`${compute}/compute/v1/projects/${project}/aggregated/subnetworks?${query}`, headers, `subnets of network ${name}`, fix);
      for (const scoped of Object.values<any>(page.items ?? {})) subnets.push(...(scoped.subnetworks ?? []));
      pageToken = page.nextPageToken;
    } while (pageToken);
    // The filter is a regular expression on the link; keep exactly this network's.
    const own = subnets.filter((subnet) => String(subnet.network).split("/").pop() === name);
    out.push({ file: `subnets.${name}.json`, json: redact(own, SENSITIVE_GOOGLE) });
  }
  for (const id of instances) {
    const match = /^projects\/([^/]+)\/locations\/([^/]+)\/instances\/([^/]+)$/.exec(id);
    if (!match) throw new Error(`import id ${id}: not projects/<project>/locations/<region>/instances/<name>`);
    const [, project, region, name] = match;
    const instance = await get(`${redisApi}/redis/v1/${id}`, headers, `Memorystore instance ${name}`, `check adopt.redis (${name}), the region (${region}) and the project (${project})`);
    out.push({ file: `redis.${name}.json`, json: redact(instance, SENSITIVE_GOOGLE) });
    // The provider reads the AUTH string of an instance with AUTH on: recorded as the placeholder,
    // never asked for (gcloud redis instances get-auth-string would print the secret).
    if (instance.authEnabled) out.push({ file: `redis-auth.${name}.json`, json: { authString: SECRET_PLACEHOLDER } });
  }
  return out;
}

/**
 * Runs `scw <args> -o json` with the user's environment (their keys or ~/.config/scw), and returns
 * what it printed; its refusals as errors that say which object and why.
 */
function scwRunner(env: NodeJS.ProcessEnv) {
  const cli = env.REDIS_NET_SCW || "scw";
  return (args: string[], what: string, fix: string): any => {
    const command = `scw ${args.join(" ")} -o json`;
    const run = spawnSync(cli, [...args, "-o", "json"], { env, encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
      throw new Error(`the scw CLI is not installed (${cli} is not on PATH): scripts/scw.sh builds the pinned v2.60.0 and prints its path; put it on PATH as scw, or set REDIS_NET_SCW to it`);
    }
    if (run.error) throw new Error(`${what}: ${command} did not finish (${run.error.message})`);
    if (run.status !== 0) {
      let message = run.stderr.trim() || run.stdout.trim();
      let details = "";
      try {
        const parsed = JSON.parse(message);
        message = parsed.message ?? message;
        details = String(parsed.details ?? "").split("\n")[0];
      } catch {
        // not JSON: said as printed
      }
      if (/not found|cannot find resource/i.test(message)) throw new Error(`${what}: not found (${command}: ${message}); ${fix}`);
      if (/credential|organization ID is required|denied|permission|authenticat|unauthori[sz]ed/i.test(message)) {
        throw new Error(`no Scaleway credentials that can read ${what}: ${command}: ${message}${details ? ` (${details})` : ""}; set SCW_ACCESS_KEY, SCW_SECRET_KEY and SCW_DEFAULT_ORGANIZATION_ID to a key that can read the project (the plan key), or run scw init`);
      }
      throw new Error(`${what}: ${command} failed (exit ${run.status}): ${message}`);
    }
    try {
      return JSON.parse(run.stdout);
    } catch {
      throw new Error(`${what}: ${command} printed something other than JSON: ${run.stdout.slice(0, 200)}`);
    }
  };
}

/** The files that record what a Scaleway stack adopts, and the secrets its container reads. */
async function recordScaleway(stack: TerraformJson, env: NodeJS.ProcessEnv): Promise<Recorded[]> {
  const clusters = importIds(stack, "scaleway_redis_cluster");
  const namespaces = importIds(stack, "scaleway_container_namespace");
  const containers = importIds(stack, "scaleway_container");
  const secrets = Object.values<any>(stack.data?.scaleway_secret_version ?? {});
  if (!clusters.length && !namespaces.length && !containers.length && !secrets.length) return [];
  const scw = scwRunner(env);
  const split = (id: string, what: string) => {
    const match = /^([a-z]{2}-[a-z]{3}(?:-\d)?)\/([0-9a-f-]{36})$/.exec(id);
    if (!match) throw new Error(`import id ${id}: not <${what}>/<uuid>`);
    return [match[1], match[2]];
  };
  // Secret variables' values (hashes) are sensitive to the provider: the placeholder, by name
  // (the rehearsal compares them by name).
  const cliShape = (json: any, type: string): any => {
    if (Array.isArray(json)) return json.map((item) => cliShape(item, type));
    const copy = { ...json };
    if (Array.isArray(copy.secret_environment_variables)) copy.secret_environment_variables = Object.fromEntries(copy.secret_environment_variables.map((v: { key: string }) => [v.key, SECRET_PLACEHOLDER]));
    else if (copy.secret_environment_variables && typeof copy.secret_environment_variables === "object") copy.secret_environment_variables = Object.fromEntries(Object.keys(copy.secret_environment_variables).map((k) => [k, SECRET_PLACEHOLDER]));
    return redact(copy, SENSITIVE[type].fields.filter((f) => f !== "secret_environment_variables"));
  };
  const out: Recorded[] = [];
  for (const id of clusters) {
    const [zone, uuid] = split(id, "zone");
    const cluster = scw(["redis", "cluster", "get", uuid, `zone=${zone}`], `Redis cluster ${id}`, `check adopt.redis.id (${id})`);
    out.push({ file: `scw-redis.${uuid}.json`, json: cliShape(cluster, "scaleway_redis_cluster") });
    const region = zone.replace(/-\d$/, "");
    const ips = scw(["ipam", "ip", "list", `resource-id=${uuid}`, "resource-type=redis_cluster", `region=${region}`], `IPs of Redis cluster ${id}`, "");
    if ((ips ?? []).length) out.push({ file: `scw-ipam.${uuid}.json`, json: cliShape(ips, "scaleway_redis_cluster") });
  }
  for (const id of namespaces) {
    const [region, uuid] = split(id, "region");
    out.push({ file: `scw-namespace.${uuid}.json`, json: cliShape(scw(["container", "namespace", "get", uuid, `region=${region}`], `container namespace ${id}`, `check adopt.namespace.id (${id})`), "scaleway_container_namespace") });
  }
  for (const id of containers) {
    const [region, uuid] = split(id, "region");
    out.push({ file: `scw-container.${uuid}.json`, json: cliShape(scw(["container", "container", "get", uuid, `region=${region}`], `container ${id}`, `check adopt.container.id (${id})`), "scaleway_container") });
  }
  for (const secret of secrets) {
    const given = String(secret.secret_id);
    const [region, uuid] = given.includes("/") ? split(given, "region") : [secret.region, given];
    const revision = secret.revision ?? "latest";
    // The version's metadata only (never `scw secret version access`, which prints the value).
    const version = scw(["secret", "version", "get", uuid, `revision=${revision}`, `region=${region}`], `secret ${region}/${uuid} revision ${revision}`, "check the secret named in container.secrets");
    out.push({ file: `scw-secret.${uuid}.json`, json: cliShape({ ...version, region: version.region ?? region }, "data.scaleway_secret_version") });
  }
  return out;
}

/** The recordings of what `stack` (synthesized) adopts. */
export async function recordStack(cloud: string, stack: TerraformJson, env: NodeJS.ProcessEnv): Promise<Recorded[]> {
  return cloud === "gcp" ? recordGoogle(stack, env) : recordScaleway(stack, env);
}

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/** What changed from `before` to `after` (file -> JSON), one line per file and field. */
export function changes(before: Map<string, unknown>, after: Map<string, unknown>): string[] {
  const lines: string[] = [];
  for (const file of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(file);
    const now = after.get(file);
    if (old === undefined) {
      lines.push(`${file}: added`);
      continue;
    }
    if (now === undefined) {
      lines.push(`${file}: removed (no longer adopted)`);
      continue;
    }
    if (JSON.stringify(old) === JSON.stringify(now)) continue;
    if (Array.isArray(old) || Array.isArray(now)) {
      const key = (item: any) => item?.name ?? item?.id ?? item?.address ?? JSON.stringify(item);
      const olds = new Map((Array.isArray(old) ? old : []).map((item) => [key(item), item]));
      const nows = new Map((Array.isArray(now) ? now : []).map((item) => [key(item), item]));
      const parts = [
        ...[...nows.keys()].filter((k) => !olds.has(k)).map((k) => `added ${k}`),
        ...[...olds.keys()].filter((k) => !nows.has(k)).map((k) => `removed ${k}`),
        ...[...nows.keys()].filter((k) => olds.has(k) && JSON.stringify(olds.get(k)) !== JSON.stringify(nows.get(k))).map((k) => `changed ${k}`),
      ];
      lines.push(`${file}: ${parts.join(", ") || "changed"}`);
      continue;
    }
    const o = old as Record<string, unknown>;
    const n = now as Record<string, unknown>;
    for (const field of [...new Set([...Object.keys(o), ...Object.keys(n)])].sort()) {
      const secret = o[field] === SECRET_PLACEHOLDER || n[field] === SECRET_PLACEHOLDER;
      if (!(field in o)) lines.push(`${file}: ${field} added${secret ? "" : `: ${show(n[field])}`}`);
      else if (!(field in n)) lines.push(`${file}: ${field} removed${secret ? "" : ` (was ${show(o[field])})`}`);
      else if (JSON.stringify(o[field]) !== JSON.stringify(n[field])) lines.push(`${file}: ${field} changed${secret ? "" : `: ${show(o[field])} -> ${show(n[field])}`}`);
    }
  }
  return lines;
}

const RECORDING_FILE = new RegExp(`^(?:${RECORDED_KINDS.join("|")})\\..+\\.json$`);

/**
 * Writes `recorded` into `dir`, replacing the recordings there that no longer belong (other files
 * stay), after checking every file is what its kind says. Returns what changed.
 */
export function writeRecordings(dir: UserPath, recorded: Recorded[]): string[] {
  const before = new Map<string, unknown>();
  if (fs.existsSync(dir.path)) {
    for (const file of fs.readdirSync(dir.path).filter((f) => RECORDING_FILE.test(f))) {
      try {
        before.set(file, JSON.parse(fs.readFileSync(path.join(dir.path, file), "utf8")));
      } catch {
        before.set(file, null);
      }
    }
  }
  // Checked in a scratch directory first: a file its kind refuses means nothing is written.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-record-"));
  try {
    for (const { file, json } of recorded) fs.writeFileSync(path.join(scratch, file), `${JSON.stringify(json, null, 2)}\n`);
    readRecordings(projectPath(scratch));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  fs.mkdirSync(dir.path, { recursive: true });
  for (const file of before.keys()) if (!recorded.some((r) => r.file === file)) fs.rmSync(path.join(dir.path, file));
  for (const { file, json } of recorded) fs.writeFileSync(path.join(dir.path, file), `${JSON.stringify(json, null, 2)}\n`);
  return changes(before, new Map(recorded.map((r) => [r.file, JSON.parse(JSON.stringify(r.json))])));
}

/** Exit 0: recorded; 2: nothing written. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseOptions({ args: argv, options: { live: { type: "string" } }, allowPositionals: true }, USAGE);
    if (positionals.length !== 1) throw new Error(positionals.length ? `one stack at a time (got ${positionals.join(" and ")})` : `usage: ${USAGE}`);
    const [stackName] = positionals;
    knownStack(stackName);
    const live = values.live === undefined ? projectPath(path.join(ROOT, "live", stackName)) : existingDirectory(userPath(values.live, "--live"));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-record-synth-"));
    let cloud: string;
    let stack: TerraformJson;
    try {
      // Inside `work`: synth keeps its generations beside its output directory (`<outdir>.gen`).
      ({ cloud, json: stack } = synthesizeStack(stackName, path.join(work, "synth")));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    const recorded = await recordStack(cloud, stack, process.env);
    if (!recorded.length) {
      console.log(`${stackName}: adopts nothing; nothing to record`);
      return 0;
    }
    const changed = writeRecordings(live, recorded);
    console.log(`recorded ${recorded.length} file(s) of ${stackName} into ${live.label}`);
    console.log(changed.length ? `changed since the previous recording:\n${changed.map((l) => `  ${l}`).join("\n")}` : "nothing changed since the previous recording");
    return 0;
  } catch (error) {
    console.error(`record: ${(error as Error).message}`);
    return 2;
  }
}
