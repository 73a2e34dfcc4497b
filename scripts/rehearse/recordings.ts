// Recordings of what is live: exactly what `gcloud ... --format=json` and `scw ... -o json` print,
// one file per command, named for the kind and the object. Each kind says which API paths its file
// answers (read from the recorded object itself) and, for a request nothing answers, which command
// records it. Nothing here invents an answer.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { readJsonFile } from "../../input/json-file";
import { existingDirectory, inside, UserPath } from "../../input/user-path";

/** One recorded file: what `gcloud ... --format=json` or `scw ... -o json` printed. */
export interface Recording {
  readonly kind: string;
  /** The object's name or ID, from the file name. */
  readonly name: string;
  readonly file: string;
  readonly json: any;
}

interface Kind {
  readonly kind: string;
  readonly file: (name: string) => string;
  /** The API request this kind answers; its groups are what `command` records it with. */
  readonly request: RegExp;
  readonly command: (groups: string[]) => [command: string, file: string];
  /** What the command prints, and the command for the object a file is named after. */
  readonly expected: string;
  readonly record: (name: string) => string;
  /** The fields read here and by the checks, in the shape the command prints them. */
  readonly schema: z.ZodType;
  /** The name or ID the recorded object has, which its file must be named after. */
  readonly nameOf?: (json: any) => string;
  /** The API paths the recording answers. */
  readonly paths: (json: any, name: string, all: Recording[]) => string[];
  /** A list command whose items each answer one path. */
  readonly each?: boolean;
  /** How the API wraps what the list command prints. */
  readonly body?: (list: any[]) => unknown;
  /** Paths answered with something else than the recording itself, and their answers. */
  readonly answers?: (json: any, name: string) => [path: string, body: unknown][];
}

/**
 * What the replay answers for a secret's value: recordings never hold one (they are committed), so
 * a plan that reads a secret reads this instead.
 */
export const SECRET_PLACEHOLDER = "recorded-secret-placeholder";

const GOOGLE_LINK = /^https:\/\/(?:www|compute)\.googleapis\.com\/compute\/v1\//;
const link = (rest: string) => new RegExp(`${GOOGLE_LINK.source}projects/[^/]+/${rest}$`);
const last = (name: string) => name.split("/").pop()!;

const KINDS: Kind[] = [
  {
    kind: "network",
    file: (name) => `network.${name}.json`,
    // projects/<project>/global/networks/<name>
    request: /^\/compute\/v1\/projects\/([^/]+)\/global\/networks\/([^/]+)$/,
    command: ([project, name]) => [`gcloud compute networks describe ${name} --project ${project} --format=json`, `network.${name}.json`],
    expected: "a VPC network as gcloud compute networks describe prints it",
    record: (name) => `gcloud compute networks describe ${name} --project <project> --format=json`,
    schema: z.looseObject({ name: z.string(), selfLink: z.string().regex(link("global/networks/[^/]+"), "is not a network's link (https://www.googleapis.com/compute/v1/projects/<project>/global/networks/<name>)") }),
    nameOf: (json) => json.name,
    paths: (json) => [`/compute/v1/${json.selfLink.replace(GOOGLE_LINK, "")}`],
  },
  {
    kind: "subnets",
    file: (network) => `subnets.${network}.json`,
    request: /^\/compute\/v1\/projects\/([^/]+)\/regions\/[^/]+\/subnetworks\/[^/]+$/,
    command: ([project]) => [`gcloud compute networks subnets list --network <network> --project ${project} --format=json`, "subnets.<network>.json"],
    expected: "a network's subnets as gcloud compute networks subnets list prints them",
    record: (network) => `gcloud compute networks subnets list --network ${network} --project <project> --format=json`,
    schema: z.array(z.looseObject({
      name: z.string(),
      selfLink: z.string().regex(link("regions/[^/]+/subnetworks/[^/]+"), "is not a subnet's link (https://www.googleapis.com/compute/v1/projects/<project>/regions/<region>/subnetworks/<name>)"),
      network: z.string(),
      ipCidrRange: z.string(),
      secondaryIpRanges: z.array(z.looseObject({ rangeName: z.string(), ipCidrRange: z.string() })).optional(),
    })),
    paths: (list: { selfLink: string }[]) => list.map((subnet) => `/compute/v1/${subnet.selfLink.replace(GOOGLE_LINK, "")}`),
    each: true,
  },
  {
    kind: "redis",
    file: (name) => `redis.${name}.json`,
    request: /^\/redis\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/instances\/([^/]+)$/,
    command: ([project, region, name]) => [`gcloud redis instances describe ${name} --region ${region} --project ${project} --format=json`, `redis.${name}.json`],
    expected: "a Memorystore instance as gcloud redis instances describe prints it",
    record: (name) => `gcloud redis instances describe ${name} --region <region> --project <project> --format=json`,
    schema: z.looseObject({
      name: z.string().regex(/^projects\/[^/]+\/locations\/[^/]+\/instances\/[^/]+$/, "is not an instance's name (projects/<project>/locations/<region>/instances/<name>)"),
      reservedIpRange: z.string().optional(),
    }),
    nameOf: (json) => last(json.name),
    paths: (json) => [`/redis/v1/${json.name}`],
  },
  {
    kind: "redis-auth",
    file: (name) => `redis-auth.${name}.json`,
    request: /^\/redis\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/instances\/([^/]+)\/authString$/,
    command: ([project, region, name]) => [`gcloud redis instances get-auth-string ${name} --region ${region} --project ${project} --format=json`, `redis-auth.${name}.json`],
    expected: "an AUTH string as gcloud redis instances get-auth-string prints it",
    record: (name) => `gcloud redis instances get-auth-string ${name} --region <region> --project <project> --format=json`,
    schema: z.looseObject({ authString: z.string() }),
    // The command prints only {"authString": ...}: the instance's recording says where it lives.
    paths: (_json, name, all) => {
      const instance = all.find((r) => r.kind === "redis" && r.name === name);
      if (!instance) throw new Error(`redis-auth.${name}.json: record redis.${name}.json too (gcloud redis instances describe ${name} ...), which says where the instance lives`);
      return [`/redis/v1/${instance.json.name}/authString`];
    },
  },
  {
    kind: "scw-redis",
    file: (id) => `scw-redis.${id}.json`,
    request: /^\/redis\/v1\/zones\/([^/]+)\/clusters\/([^/]+)$/,
    command: ([zone, id]) => [`scw redis cluster get ${id} zone=${zone} -o json`, `scw-redis.${id}.json`],
    expected: "a Redis cluster as scw redis cluster get prints it",
    record: (id) => `scw redis cluster get ${id} zone=<zone> -o json`,
    schema: z.looseObject({
      id: z.string(),
      zone: z.string(),
      tls_enabled: z.boolean().optional(),
      endpoints: z.array(z.looseObject({ ips: z.array(z.string()), port: z.number() })).optional(),
    }),
    nameOf: (json) => json.id,
    paths: (json) => [`/redis/v1/zones/${json.zone}/clusters/${json.id}`],
  },
  {
    kind: "scw-namespace",
    file: (id) => `scw-namespace.${id}.json`,
    request: /^\/containers\/v1\/regions\/([^/]+)\/namespaces\/([^/]+)$/,
    command: ([region, id]) => [`scw container namespace get ${id} region=${region} -o json`, `scw-namespace.${id}.json`],
    expected: "a container namespace as scw container namespace get prints it",
    record: (id) => `scw container namespace get ${id} region=<region> -o json`,
    schema: z.looseObject({ id: z.string(), region: z.string() }),
    nameOf: (json) => json.id,
    paths: (json) => [`/containers/v1/regions/${json.region}/namespaces/${json.id}`],
  },
  {
    kind: "scw-container",
    file: (id) => `scw-container.${id}.json`,
    request: /^\/containers\/v1\/regions\/([^/]+)\/containers\/([^/]+)$/,
    command: ([region, id]) => [`scw container container get ${id} region=${region} -o json`, `scw-container.${id}.json`],
    expected: "a container as scw container container get prints it",
    record: (id) => `scw container container get ${id} region=<region> -o json`,
    schema: z.looseObject({ id: z.string(), region: z.string() }),
    nameOf: (json) => json.id,
    paths: (json) => [`/containers/v1/regions/${json.region}/containers/${json.id}`],
  },
  {
    // The provider reads a cluster's private-network IPs from IPAM, by the cluster's ID.
    kind: "scw-ipam",
    file: (id) => `scw-ipam.${id}.json`,
    request: /^\/ipam\/v1\/regions\/([^/]+)\/ips\?resource_id=([^&]+)$/,
    command: ([region, id]) => [`scw ipam ip list resource-id=${id} resource-type=redis_cluster region=${region} -o json`, `scw-ipam.${id}.json`],
    expected: "a cluster's IPs as scw ipam ip list prints them",
    record: (id) => `scw ipam ip list resource-id=${id} resource-type=redis_cluster region=<region> -o json`,
    schema: z.array(z.looseObject({ region: z.string() })),
    // The CLI prints the list; the API wraps it.
    paths: (list: { region: string }[], id) => [...new Set(list.map((ip) => `/ipam/v1/regions/${ip.region}/ips?resource_id=${id}`))],
    body: (list) => ({ ips: list, total_count: list.length }),
  },
  {
    // A Scaleway Secret Manager secret the container reads (container.secrets): its version's
    // metadata only. The provider also reads the value (`/access`), answered with the placeholder.
    kind: "scw-secret",
    file: (id) => `scw-secret.${id}.json`,
    request: /^\/secret-manager\/v1beta1\/regions\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+?)(?:\/access)?$/,
    command: ([region, id, revision]) => [`scw secret version get ${id} revision=${revision} region=${region} -o json`, `scw-secret.${id}.json`],
    expected: "a secret version's metadata as scw secret version get prints it",
    record: (id) => `scw secret version get ${id} revision=latest region=<region> -o json`,
    schema: z.looseObject({ secret_id: z.string(), region: z.string(), revision: z.union([z.number(), z.string()]) }),
    nameOf: (json) => json.secret_id,
    paths: (json) => [`/secret-manager/v1beta1/regions/${json.region}/secrets/${json.secret_id}/versions/${json.revision}`],
    answers: (json) => {
      const base = `/secret-manager/v1beta1/regions/${json.region}/secrets/${json.secret_id}/versions`;
      const access = { secret_id: json.secret_id, revision: json.revision, data: Buffer.from(SECRET_PLACEHOLDER).toString("base64"), data_crc32: null, type: "opaque" };
      // The command records `revision=latest`: what "latest" and "latest_enabled" resolve to.
      const revisions = [String(json.revision), ...(json.latest ? ["latest", "latest_enabled"] : [])];
      return revisions.flatMap((revision) => [[`${base}/${revision}/access`, access], ...(revision === String(json.revision) ? [] : [[`${base}/${revision}`, json] as [string, unknown]])]);
    },
  },
];

/** The key a request is answered by: its path, and for IPAM the resource it asks about. */
export function requestKey(url: URL): string {
  if (!/^\/ipam\/v1\/regions\/[^/]+\/ips$/.test(url.pathname)) return url.pathname;
  return `${url.pathname}?resource_id=${url.searchParams.get("resource_id") ?? ""}`;
}

/**
 * Every recording in `dir`: [{ kind, name, file, json }]. A file that matches no kind, or that is
 * not what its kind's command prints, is an error naming the file, what it should hold and what it
 * holds: a typo or a wrong file must not go unread.
 */
export function readRecordings(dir: UserPath): Recording[] {
  try {
    existingDirectory(dir);
  } catch (error) {
    throw new Error(`${(error as Error).message}; record the live project into it (docs/rehearsal.md)`);
  }
  const found: Recording[] = [];
  for (const file of fs.readdirSync(dir.path).sort()) {
    if (file === "README.md") continue;
    const at = inside(dir, file);
    const kind = KINDS.find((k) => file.startsWith(`${k.kind}.`) && file.endsWith(".json"));
    if (!kind) throw new Error(`${at.label}: not a recording (expected ${KINDS.map((k) => k.file("<name>")).join(", ")})`);
    const name = file.slice(kind.kind.length + 1, -".json".length);
    const json = readJsonFile(at, kind.schema, kind.expected, `record it again with: ${kind.record(name)} > ${at.label}`);
    const own = kind.nameOf?.(json);
    if (own !== undefined && own !== name) throw new Error(`${at.label}: holds ${own}, not ${name}; name the file ${kind.file(own)}`);
    if (kind.kind === "subnets") {
      const other = (json as { name: string; network: string }[]).find((subnet) => last(subnet.network) !== name);
      if (other) throw new Error(`${at.label}: subnet ${other.name} is in network ${last(other.network)}, not ${name}; record each network's subnets into subnets.<network>.json`);
    }
    found.push({ kind: kind.kind, name, file: at.path, json });
  }
  return found;
}

/** path -> the JSON body that answers GET path. */
export function routes(recordings: Recording[]): Map<string, unknown> {
  const byPath = new Map<string, unknown>();
  for (const recording of recordings) {
    const kind = KINDS.find((k) => k.kind === recording.kind)!;
    const paths = kind.paths(recording.json, recording.name, recordings);
    paths.forEach((p, i) => byPath.set(p, kind.each ? recording.json[i] : kind.body ? kind.body(recording.json) : recording.json));
    for (const [p, body] of kind.answers?.(recording.json, recording.name) ?? []) byPath.set(p, body);
  }
  return byPath;
}

/** How to record the answer to a GET nothing answered: "command > file", or undefined. */
export function howToRecord(requestPath: string, liveDir: string): string | undefined {
  for (const kind of KINDS) {
    const match = kind.request.exec(requestPath);
    if (!match) continue;
    const [command, file] = kind.command(match.slice(1).map(decodeURIComponent));
    return `${command} > ${path.join(liveDir, file)}`;
  }
  return undefined;
}
