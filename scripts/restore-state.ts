// `npm run restore-state -- <stack directory> [--version <id>]`: the stored versions of a stack's
// remote state, newest first; with --version, that version put back as the current state.
// The bucket keeps every version (versioning on, see the state bootstrap stacks), so a bad apply or
// a wrong `terraform state rm` is undone by pushing the version before it. The push is
// `terraform state push -force` in the stack directory: it takes the state lock like an apply.
// Where the state lives is read from the directory's initialised backend (.terraform/):
//   S3 (Scaleway Object Storage): the AWS CLI, with the backend's endpoint and credentials
//     (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set to the Scaleway key pair);
//   GCS: the JSON API, with GOOGLE_OAUTH_ACCESS_TOKEN or `gcloud auth print-access-token`.
// Only the default workspace is handled (the stacks use no others). One run at a time per stack
// directory (scripts/work-lock.ts); every call to a bucket or a CLI is bounded, and a failure names
// the endpoint and why.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { z } from "zod";
import { readJsonFile } from "../input/json-file";
import { existingDirectory, inside, UserPath, userPath } from "../input/user-path";
import { parseOptions } from "./args";
import { installed } from "./verify/terraform";
import { claimDirectory } from "./work-lock";

const USAGE = "npm run restore-state -- <stack directory> [--version <id>]";
/** How long one request to a bucket, or one CLI call, may take. */
const CALL_TIMEOUT_MS = 60_000;
const PUSH_TIMEOUT_MS = 10 * 60_000;

/** A stored version of the state object. */
interface Version {
  readonly id: string;
  readonly time: string;
  readonly size: number;
  readonly latest: boolean;
}

interface StateStore {
  versions(): Version[] | Promise<Version[]>;
  download(id: string, file: string): void | Promise<void>;
}

/** The backend block's settings as `terraform init` recorded them. */
type BackendConfig = Record<string, any>;

function parseArgs(argv: string[]): { dir: UserPath; version?: string } {
  const { values, positionals } = parseOptions({ args: argv, options: { version: { type: "string" } }, allowPositionals: true }, USAGE);
  if (positionals.length !== 1) throw new Error(`usage: ${USAGE}`);
  return { dir: existingDirectory(userPath(positionals[0])), version: values.version };
}

/** What `terraform init` records of the backend in .terraform/terraform.tfstate (the fields read here). */
const INITIALISED = z.looseObject({ backend: z.looseObject({ type: z.string(), config: z.record(z.string(), z.any()) }).nullish() });

/** The backend `terraform init` configured in `dir`: { type, config }. */
function initialisedBackend(dir: UserPath): { type: string; config: BackendConfig } {
  const file = inside(dir, ".terraform", "terraform.tfstate");
  if (!fs.existsSync(file.path)) throw new Error(`${dir.label}: not initialised (it has no ${path.join(".terraform", "terraform.tfstate")}); run terraform init there first`);
  const { backend } = readJsonFile(file, INITIALISED, "the backend terraform init recorded", "run terraform init there again");
  if (!backend || !["s3", "gcs"].includes(backend.type)) throw new Error(`${dir.label}: its state is ${backend?.type ?? "local"}, not in a bucket; only S3 and GCS state have versions`);
  return backend;
}

/** Runs a CLI for its output, bounded; a failure names the command, and `where` it was talking to. */
function cli(command: string, args: string[], env: NodeJS.ProcessEnv, where: string, install: string): string {
  try {
    return execFileSync(command, args, { env, encoding: "utf8", timeout: CALL_TIMEOUT_MS, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { status?: number | null; stderr?: string };
    const call = `${command} ${args.slice(0, 2).join(" ")}`;
    if (e.code === "ENOENT") throw new Error(`${command} is not installed (not on PATH); ${install}`);
    if (e.code === "ETIMEDOUT") throw new Error(`${call} (${where}) did not finish within ${CALL_TIMEOUT_MS / 1000} s`);
    throw new Error(`${call} (${where}) failed (exit ${e.status}): ${String(e.stderr ?? "").trim() || "printing nothing"}`);
  }
}

/** S3: [{ id, time, size, latest }] and a download, through the AWS CLI. */
function s3(config: BackendConfig): StateStore {
  const endpoint = config.endpoints?.s3 ?? config.endpoint;
  const env = { ...process.env };
  if (config.access_key) env.AWS_ACCESS_KEY_ID = config.access_key;
  if (config.secret_key) env.AWS_SECRET_ACCESS_KEY = config.secret_key;
  const where = `bucket ${config.bucket} at ${endpoint ?? "AWS S3"}`;
  const aws = (...args: string[]) => cli("aws", ["s3api", ...args, ...(endpoint ? ["--endpoint-url", endpoint] : []), "--region", config.region, "--output", "json", "--cli-connect-timeout", "10"], env, where, "install the AWS CLI (pip install awscli)");
  return {
    versions() {
      const listed = JSON.parse(aws("list-object-versions", "--bucket", config.bucket, "--prefix", config.key) || "{}");
      return (listed.Versions ?? []).filter((v: { Key: string }) => v.Key === config.key)
        .map((v: { VersionId: string; LastModified: string; Size: number; IsLatest: boolean }) => ({ id: v.VersionId, time: v.LastModified, size: v.Size, latest: v.IsLatest }));
    },
    download(id: string, file: string) {
      aws("get-object", "--bucket", config.bucket, "--key", config.key, "--version-id", id, file);
    },
  };
}

/** GCS: the same through the JSON API (object generations). */
function gcs(config: BackendConfig): StateStore {
  const base = config.storage_custom_endpoint ?? "https://storage.googleapis.com/storage/v1/";
  const object = `${config.prefix ? `${config.prefix.replace(/\/$/, "")}/` : ""}default.tfstate`;
  const token = config.access_token ?? process.env.GOOGLE_OAUTH_ACCESS_TOKEN
    ?? cli("gcloud", ["auth", "print-access-token"], process.env, "Google's login", "set GOOGLE_OAUTH_ACCESS_TOKEN, or install gcloud and log in").trim();
  const get = async (url: string) => {
    let response: Response;
    try {
      response = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    } catch (error) {
      throw new Error(`GET ${url}: ${unreachable(url, error as Error)}`);
    }
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${(await response.text()).trim()}`);
    return response;
  };
  const objectUrl = `${base}b/${encodeURIComponent(config.bucket)}/o`;
  return {
    async versions() {
      const url = `${objectUrl}?prefix=${encodeURIComponent(object)}&versions=true`;
      const text = await (await get(url)).text();
      let listed;
      try {
        listed = JSON.parse(text);
      } catch {
        throw new Error(`GET ${url}: the answer is not JSON, so ${base} is no GCS JSON API (it starts with ${JSON.stringify(text.slice(0, 60))})`);
      }
      const items: { name: string; generation: string; updated: string; size: string }[] = (listed.items ?? []).filter((o: { name: string }) => o.name === object);
      const newest = Math.max(...items.map((o) => Number(o.generation)));
      return items.map((o) => ({ id: o.generation, time: o.updated, size: Number(o.size), latest: Number(o.generation) === newest }));
    },
    async download(id: string, file: string) {
      fs.writeFileSync(file, Buffer.from(await (await get(`${objectUrl}/${encodeURIComponent(object)}?alt=media&generation=${id}`)).arrayBuffer()));
    },
  };
}

/** Why a request got no answer, naming the host: refused, unresolved, timed out, or the system's reason. */
function unreachable(url: string, error: Error): string {
  const host = new URL(url).host;
  if (error.name === "TimeoutError") return `${host} did not answer within ${CALL_TIMEOUT_MS / 1000} s`;
  const cause = (error as Error & { cause?: NodeJS.ErrnoException }).cause;
  switch (cause?.code) {
    case "ECONNREFUSED": return `nothing listens at ${host} (connection refused)`;
    case "ENOTFOUND": case "EAI_AGAIN": return `${host} does not resolve (${cause.code}: no DNS answer)`;
    case "ENETUNREACH": case "EHOSTUNREACH": return `${host} is unreachable (${cause.code}: no route)`;
    default: return `cannot reach ${host} (${cause?.code ?? cause?.message ?? error.message})`;
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    await restoreState(argv);
    return 0;
  } catch (error) {
    console.error(`restore-state: ${(error as Error).message}`);
    return 1;
  }
}

async function restoreState(argv: string[]): Promise<void> {
  const { dir, version } = parseArgs(argv);
  claimDirectory(dir.path, dir.label);
  const backend = initialisedBackend(dir);
  const store = backend.type === "s3" ? s3(backend.config) : gcs(backend.config);
  const versions = (await store.versions()).sort((a, b) => String(b.time).localeCompare(String(a.time)));
  if (!version) {
    if (!versions.length) console.log(`no stored version of this state in bucket ${backend.config.bucket}`);
    for (const v of versions) console.log(`${v.id}  ${v.time}  ${v.size} bytes${v.latest ? "  (current)" : ""}`);
    return;
  }
  if (!versions.some((v) => String(v.id) === version)) throw new Error(`--version ${version}: no such version of this state (have ${versions.map((v) => v.id).join(", ")})`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-restore-")), "previous.tfstate");
  try {
    await store.download(version, file);
    const terraform = process.env.REDIS_NET_TERRAFORM ?? installed("terraform.sh");
    const push = spawnSync(terraform, ["state", "push", "-force", file], { cwd: dir.path, encoding: "utf8", stdio: ["ignore", "inherit", "inherit"], timeout: PUSH_TIMEOUT_MS });
    if ((push.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT") throw new Error(`terraform state push did not finish within ${PUSH_TIMEOUT_MS / 60_000} min (bucket ${backend.config.bucket})`);
    if (push.error) throw new Error(`${terraform} could not start (${(push.error as NodeJS.ErrnoException).code})`);
    if (push.status !== 0) throw new Error(`terraform state push failed (exit ${push.status})`);
    console.log(`restored version ${version} as the current state of ${dir.label}`);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
