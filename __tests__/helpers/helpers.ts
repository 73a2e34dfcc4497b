import { ChildProcess, spawn, spawnSync } from "child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { homedir, tmpdir } from "os";
import { createServer } from "net";
import * as path from "path";
import { ConfigError, parseConfig } from "../../config/load";
import { parseStackName } from "../../naming/names";

// cdktf, the app and its policy load where a test first uses them, not with this file: a test
// file that only reads paths, configuration or files does not pay for loading them.
const cdktf = (): typeof import("cdktf") => require("cdktf");
const main = (): typeof import("../../main") => require("../../main");
const policy = (): typeof import("../../policy/policy") => require("../../policy/policy");

export const ROOT = path.join(__dirname, "..", "..");
/** Recorded inputs the tests share: live recordings, reachability replies, the Redis client. */
export const FIXTURES = path.join(__dirname, "..", "fixtures");
export const CONFIG_FILE = path.join(ROOT, "config", "environments.json");

// One temporary folder per test file, removed when the file is done: tests leave nothing behind.
const FILE_TMP = mkdtempSync(path.join(tmpdir(), "redis-net-test-"));
afterAll(() => rmSync(FILE_TMP, { recursive: true, force: true }));

/** A new directory inside this test file's temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(FILE_TMP, prefix));
}

/** The app's sources, as the build compiles them. */
export const APP_SOURCES: string[] = require("../../scripts/build").appSources;

/** A temporary copy of the named project entries, sharing this checkout's node_modules and .gen. */
export function copyProject(entries: string[]): string {
  const copy = tempDir("copy-");
  for (const entry of entries) cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  for (const entry of ["node_modules", ".gen"]) symlinkSync(path.join(ROOT, entry), path.join(copy, entry));
  return copy;
}

/**
 * The committed schema of a provider of cdktf.json (`scaleway`), as its bindings were generated:
 * `resource_schemas` and `data_source_schemas` by type.
 */
export function providerSchema(name: string): { resource_schemas: Record<string, any>; data_source_schemas: Record<string, any> } {
  const pinned: string[] = JSON.parse(readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).terraformProviders;
  const source = pinned.find((provider) => provider.split("@")[0].split("/")[1] === name);
  if (!source) throw new Error(`cdktf.json pins no provider ${name}`);
  const [address, version] = source.split("@");
  return JSON.parse(readFileSync(path.join(ROOT, "providers", "schema", `${name}@${version}.json`), "utf8")).provider_schemas[`registry.terraform.io/${address}`];
}

/** The shipped configuration as raw data, a fresh copy each call so tests can change it. */
export function rawConfig(): any {
  return JSON.parse(readFileSync(CONFIG_FILE, "utf8"));
}

/**
 * The shipped configuration without its state buckets, written to a file (for REDIS_NET_CONFIG):
 * for tests of local state, and of stacks initialised offline, where a bucket is out of reach.
 */
export function localStateConfigFile(): string {
  const raw = rawConfig();
  for (const clouds of Object.values<any>(raw.environments)) {
    for (const cloud of [clouds.gcp, clouds.scaleway]) if (cloud) delete cloud.state;
  }
  const file = path.join(tempDir("local-state-"), "environments.json");
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

/** The problems a changed copy of the shipped configuration is rejected with; fails if it is accepted. */
export function configProblems(change: (raw: any) => void): string[] {
  const raw = rawConfig();
  change(raw);
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("configuration was accepted");
}

/** The stacks of a configuration, as CI plans them (`npm run stacks`): what tests enumerate. */
export function stackNames(raw: unknown = rawConfig()): string[] {
  return main().environmentStacks(parseConfig(raw));
}

export type Synthesized = { [block: string]: any };

/**
 * Synthesizes every stack of a configuration; returns each stack's Terraform JSON by stack name.
 * Throws on any policy violation, as `npm run synth` fails: a test that wants the violations of a
 * configuration asks `synthWithViolations`.
 */
export function synthAll(raw: unknown = rawConfig(), environments?: string[]): Record<string, Synthesized> {
  const { stacks, violations } = synthWithViolations(raw, environments);
  if (violations.length) throw new Error(`policy violations:\n${violations.join("\n")}`);
  return stacks;
}

/**
 * One stack's Terraform JSON (`gcp-staging`, `state-scaleway-production`), synthesized with the
 * rest of its environment only, as `npm run synth` with REDIS_NET_ENVIRONMENTS does; throws on
 * any policy violation there, as `synthAll`.
 */
export function synthStack(name: string, raw: unknown = rawConfig()): Synthesized {
  const environment = parseStackName(name)?.environment;
  if (!environment) throw new Error(`${name}: not a stack name`);
  const stack = synthAll(raw, [environment])[name];
  if (!stack) throw new Error(`${name}: the configuration makes no such stack`);
  return stack;
}

/** Every stack's Terraform JSON by stack name, and the policy violations synth would refuse them with. */
export function synthWithViolations(raw: unknown = rawConfig(), environments?: string[]): { stacks: Record<string, Synthesized>; violations: string[] } {
  const app = cdktf().Testing.app();
  main().addStacks(app, parseConfig(raw), environments);
  // As synth does: each stack resolved once for all its policy rules, and that JSON is the stack's.
  const { violations, synthesized } = policy().checkPolicy(app);
  const stacks = Object.fromEntries([...synthesized].map(([stack, json]) => [stack.node.id, asTestingSynth(json)]));
  return { stacks, violations };
}

/** Testing.synth's JSON of a resolved stack: keys in code-unit order, cdktf's metadata ("//") left out. */
function asTestingSynth(value: any): any {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : asTestingSynth(item)));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value).filter((key) => key !== "//" && value[key] !== undefined).sort();
  return Object.fromEntries(keys.map((key) => [key, asTestingSynth(value[key])]));
}

/** Every resource as `type.name` → its body. */
export function resources(stack: Synthesized): Record<string, any> {
  return Object.fromEntries(
    Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName as Record<string, any>).map(([name, body]) => [`${type}.${name}`, body]),
    ),
  );
}

/** Addresses of the resources a resource body refers to, through references or depends_on. */
export function referencedAddresses(body: unknown): string[] {
  const found = new Set<string>();
  for (const match of JSON.stringify(body).matchAll(/\b([a-z0-9]+(?:_[a-z0-9]+)+)\.([a-z_][a-z0-9_-]*)(?=[.[\]}"])/g)) {
    found.add(`${match[1]}.${match[2]}`);
  }
  return [...found];
}

/** Every string anywhere in a value, with the key path it sits at. */
export function strings(value: unknown, at = ""): [string, string][] {
  if (typeof value === "string") return [[at, value]];
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => strings(inner, at ? `${at}.${key}` : key));
  }
  return [];
}

/** Where the install scripts keep what they build, by version (REDIS_NET_CACHE, as they read it). */
function installCache(): string {
  return process.env.REDIS_NET_CACHE ?? path.join(homedir(), ".cache", "redis-net");
}

/** The value of `<name>=` in one of scripts/, such as the version an install script pins. */
function scriptSetting(script: string, name = "version"): string {
  return new RegExp(`^${name}=(\\S+)$`, "m").exec(readFileSync(path.join(ROOT, "scripts", script), "utf8"))![1];
}

/**
 * The CLI config serving the providers built from their Go modules, or undefined before
 * `npm run providers`. Tests that need it skip without it; .ci/run builds it and refuses skips.
 */
export function providerMirror(): string | undefined {
  const cache = installCache();
  const built = ["google_v8.0.0", "scaleway_v2.81.0", "random_v3.9.0"].every((p) => existsSync(path.join(cache, "bin", `terraform-provider-${p}`)));
  return built && existsSync(path.join(cache, "cli.tfrc")) ? path.join(cache, "cli.tfrc") : undefined;
}

/**
 * The storage servers of the state drills (scripts/storage-servers.sh): moto's S3 server and the
 * AWS CLI in a venv, and fake-gcs-server; undefined before that script ran. .ci/run runs it.
 */
export function storageServers(): { bin: string; fakeGcs: string } | undefined {
  const cache = installCache();
  const version = (name: string) => scriptSetting("storage-servers.sh", name);
  const venv = path.join(cache, `s3-drill-moto-${version("moto")}-awscli-${version("awscli")}`);
  const fakeGcs = path.join(cache, "bin", `fake-gcs-server_${version("fakegcs")}`);
  return existsSync(path.join(venv, ".installed")) && existsSync(fakeGcs) ? { bin: path.join(venv, "bin"), fakeGcs } : undefined;
}

/** OpenTofu as scripts/tofu.sh builds it, or undefined before that script ran. .ci/run runs it. */
export function tofuCli(): string | undefined {
  const cache = installCache();
  const version = scriptSetting("tofu.sh");
  const bin = path.join(cache, "bin", `tofu_${version}`);
  return existsSync(bin) ? bin : undefined;
}

/** checkov as scripts/checkov.sh installs it, or undefined before that script ran. .ci/run runs it. */
export function checkovCli(): string | undefined {
  const cache = installCache();
  const version = scriptSetting("checkov.sh");
  const venv = path.join(cache, `checkov-${version}`);
  return existsSync(path.join(venv, ".installed")) ? path.join(venv, "bin", "checkov") : undefined;
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The CLI verify runs (scripts/terraform.sh): terraform on PATH, else OpenTofu built here. */
export function terraformCli(): string {
  const run = spawnSync("bash", [path.join(ROOT, "scripts", "terraform.sh")], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`scripts/terraform.sh failed:\n${run.stderr}`);
  return run.stdout.trim().split("\n").pop()!;
}

/**
 * The resource at a Terraform address (`type.name`) in a stack, for tests that change one the
 * way a careless edit would: constructs hand out attributes, never their resources.
 */
export function resourceAt(stack: import("constructs").IConstruct, address: string): any {
  const { TerraformResource } = cdktf();
  const found = stack.node.findAll().find((c) => TerraformResource.isTerraformResource(c) && `${c.terraformResourceType}.${c.friendlyUniqueId}` === address);
  if (!found) throw new Error(`${stack.node.path}: no resource ${address}`);
  return found;
}

/**
 * Whether `unshare` can make the given namespaces here (`--net`, `--mount`): as root, or as any
 * user where the kernel allows user namespaces. Tests that need one skip without; .ci/run refuses skips.
 */
export function canUnshare(...namespaces: string[]): boolean {
  return spawnSync("unshare", ["--map-root-user", ...namespaces, "true"], { stdio: "ignore" }).status === 0;
}

/** Every entry under `dir` (links not followed) with its type, size and modification time. */
export function snapshot(dir: string): Record<string, string> {
  const { lstatSync, readdirSync } = require("fs") as typeof import("fs");
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const stat = lstatSync(path.join(dir, rel));
    out[rel || "."] = `${stat.isDirectory() ? "dir" : stat.isSymbolicLink() ? "link" : "file"} ${stat.size} ${stat.mtimeMs}`;
    if (stat.isDirectory()) for (const entry of readdirSync(path.join(dir, rel))) walk(path.join(rel, entry));
  };
  walk("");
  return out;
}

/** A finished process: its exit status, what it printed, and how long it ran. */
export interface Run { status: number | null; stdout: string; stderr: string; ms: number }

/** Waits for a started process (stdout and stderr piped) to close. */
export function finished(child: ChildProcess): Promise<Run> {
  const began = Date.now();
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr, ms: Date.now() - began })));
}

/** Resolves once `condition` holds, polling every 100 ms; fails after `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** fake-gcs-server (storageServers().fakeGcs) on 127.0.0.1:`port`, in memory. */
export function startFakeGcs(bin: string, port: number): ChildProcess {
  return spawn(bin, ["-scheme", "http", "-host", "127.0.0.1", "-port", String(port), "-backend", "memory", "-public-host", `127.0.0.1:${port}`, "-log-level", "error"], { stdio: "ignore" });
}

/** Makes a versioned bucket on the fake-gcs-server at `url`; resolves once the server answers. */
export async function createGcsBucket(url: string, bucket: string): Promise<void> {
  const create = () => fetch(`${url}/storage/v1/b?project=drill`, { method: "POST", body: JSON.stringify({ name: bucket, versioning: { enabled: true } }) }).catch(() => undefined);
  await until(async () => (await create())?.ok === true);
}
