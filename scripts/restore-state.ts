// `npm run restore-state -- <stack directory> [--version <id>]`: the stored versions of a stack's
// remote state, newest first; with --version, that version put back as the current state.
// The bucket keeps every version (versioning on, see the state bootstrap stacks), so a bad apply or
// a wrong `terraform state rm` is undone by pushing the version before it. The push is
// `terraform state push -force` in the stack directory: it takes the state lock like an apply.
// Where the state lives is read from the directory's initialised backend (.terraform/):
//   S3 (Scaleway Object Storage): the AWS CLI, with the backend's endpoint and credentials
//     (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set to the Scaleway key pair);
//   GCS: the JSON API, with GOOGLE_OAUTH_ACCESS_TOKEN or `gcloud auth print-access-token`.
// Only the default workspace is handled (the stacks use no others).
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseOptions } from "./args";
import { installed } from "./verify/terraform";

const USAGE = "npm run restore-state -- <stack directory> [--version <id>]";

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

function parseArgs(argv: string[]): { dir: string; version?: string } {
  const { values, positionals } = parseOptions({ args: argv, options: { version: { type: "string" } }, allowPositionals: true }, USAGE);
  if (positionals.length !== 1) throw new Error(`usage: ${USAGE}`);
  return { dir: path.resolve(positionals[0]), version: values.version };
}

/** The backend `terraform init` configured in `dir`: { type, config }. */
function initialisedBackend(dir: string): { type: string; config: BackendConfig } {
  const file = path.join(dir, ".terraform", "terraform.tfstate");
  if (!fs.existsSync(file)) throw new Error(`${dir}: not initialised; run terraform init there first`);
  const { backend } = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!backend || !["s3", "gcs"].includes(backend.type)) throw new Error(`${dir}: its state is ${backend?.type ?? "local"}, not in a bucket; only S3 and GCS state have versions`);
  return backend;
}

/** S3: [{ id, time, size, latest }] and a download, through the AWS CLI. */
function s3(config: BackendConfig): StateStore {
  const endpoint = config.endpoints?.s3 ?? config.endpoint;
  const env = { ...process.env };
  if (config.access_key) env.AWS_ACCESS_KEY_ID = config.access_key;
  if (config.secret_key) env.AWS_SECRET_ACCESS_KEY = config.secret_key;
  const aws = (...args: string[]) => execFileSync("aws", ["s3api", ...args, ...(endpoint ? ["--endpoint-url", endpoint] : []), "--region", config.region, "--output", "json"], { env, encoding: "utf8" });
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
  const token = config.access_token ?? process.env.GOOGLE_OAUTH_ACCESS_TOKEN ?? execFileSync("gcloud", ["auth", "print-access-token"], { encoding: "utf8" }).trim();
  const get = async (url: string) => {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    return response;
  };
  const objectUrl = `${base}b/${encodeURIComponent(config.bucket)}/o`;
  return {
    async versions() {
      const listed = await (await get(`${objectUrl}?prefix=${encodeURIComponent(object)}&versions=true`)).json();
      const items: { name: string; generation: string; updated: string; size: string }[] = (listed.items ?? []).filter((o: { name: string }) => o.name === object);
      const newest = Math.max(...items.map((o) => Number(o.generation)));
      return items.map((o) => ({ id: o.generation, time: o.updated, size: Number(o.size), latest: Number(o.generation) === newest }));
    },
    async download(id: string, file: string) {
      fs.writeFileSync(file, Buffer.from(await (await get(`${objectUrl}/${encodeURIComponent(object)}?alt=media&generation=${id}`)).arrayBuffer()));
    },
  };
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
  const backend = initialisedBackend(dir);
  const store = backend.type === "s3" ? s3(backend.config) : gcs(backend.config);
  const versions = (await store.versions()).sort((a, b) => String(b.time).localeCompare(String(a.time)));
  if (!version) {
    for (const v of versions) console.log(`${v.id}  ${v.time}  ${v.size} bytes${v.latest ? "  (current)" : ""}`);
    return;
  }
  if (!versions.some((v) => String(v.id) === version)) throw new Error(`--version ${version}: no such version of this state (have ${versions.map((v) => v.id).join(", ")})`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-restore-")), "previous.tfstate");
  try {
    await store.download(version, file);
    const cli = process.env.REDIS_NET_TERRAFORM ?? installed("terraform.sh");
    const push = spawnSync(cli, ["state", "push", "-force", file], { cwd: dir, encoding: "utf8", stdio: ["ignore", "inherit", "inherit"] });
    if (push.status !== 0) throw new Error(`terraform state push failed (exit ${push.status})`);
    console.log(`restored version ${version} as the current state of ${path.relative(process.cwd(), dir) || "."}`);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
