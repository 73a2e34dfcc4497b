// `npm run adopt -- <stack> [--live <dir>] [--write]`: the configuration that keeps every live
// setting of what the stack adopts, read from the recordings (live/<stack>/ by default): the
// counterpart of `terraform plan -generate-config-out` and `pulumi import`. It prints each setting
// it would change in config/environments.json, live value first; with --write it writes them there,
// keeping the rest of the file as it is. Secret values are never written (the recordings hold
// none): a live secret variable becomes a reference to a secret, and the command says which to
// create. After it, `npm run rehearse` shows no unstated change to a live setting.
// Exit 0: nothing to change, or written; 1: changes printed (not written), or secrets to create;
// 2: could not run.
import * as fs from "fs";
import * as path from "path";
import { parseJson } from "../input/json";
import { parseConfig } from "../config/load";
import { GcpConfig, ScalewayConfig } from "../config/schema";
import { secretLikeProblem } from "../limits/environment";
import { DEFAULT_HEALTH_PATH, DEFAULT_LIVENESS_PATH } from "../limits/http";
import { parseOptions } from "./args";
import { setMember } from "./json-edit";
import { projectPath, userPath } from "../input/user-path";
import { readRecordings, Recording } from "./rehearse/recordings";
import { ROOT } from "./root";

const USAGE = "npm run adopt -- <stack> [--live <dir>] [--write], e.g. npm run adopt -- scaleway-staging --write";
const REDIS_VARIABLE = /^REDIS_/;

/** One setting to write: its path under `environments.<env>.<cloud>`, and the value (undefined: remove it). */
export interface Setting {
  readonly path: string[];
  readonly value: unknown;
  readonly was: unknown;
}

export interface Adoption {
  readonly settings: Setting[];
  /** What the configuration cannot keep, or keeps only by stating a change: said, never hidden. */
  readonly notes: string[];
  /** Live secret variables without a reference: a secret to create (or name) for each. */
  readonly secretsToCreate: string[];
}

const valueAt = (value: any, at: string[]) => at.reduce<any>((v, key) => (v && typeof v === "object" ? v[key] : undefined), value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const nonEmpty = <T extends object>(value: T | undefined): T | undefined => (value && Object.keys(value).length ? value : undefined);

/** Collects the settings whose configured value differs from the live one. */
class Collector {
  readonly settings: Setting[] = [];
  constructor(private readonly raw: unknown, private readonly parsed: unknown) {}

  /**
   * Keeps `live` at `at`: written when the configuration gives another value (its default
   * included), or, with `explicit`, when it does not write the field itself (the rehearsal then
   * counts the change as stated). A live value that is absent removes a written field.
   */
  keep(at: string[], live: unknown, explicit = false): void {
    const written = valueAt(this.raw, at);
    if (live === undefined) {
      if (written !== undefined) this.settings.push({ path: at, value: undefined, was: written });
      return;
    }
    if (!same(valueAt(this.parsed, at), live) || (explicit && written === undefined)) this.settings.push({ path: at, value: live, was: written });
  }
}

function recording(recordings: Recording[], kind: string, match: (json: any) => boolean, what: string): any {
  const found = recordings.find((r) => r.kind === kind && match(r.json));
  if (!found) throw new Error(`${what}: no recording of it (docs/rehearsal.md, lists the commands; npm run record -- <stack> runs them)`);
  return found.json;
}

/** The settings that keep a live Memorystore instance. */
function adoptGcp(gcp: GcpConfig, raw: unknown, recordings: Recording[]): Adoption {
  const keep = new Collector(raw, gcp);
  const notes: string[] = [];
  if (gcp.adopt?.redis) {
    const redis = recording(recordings, "redis", (json) => json.name?.endsWith(`/instances/${gcp.adopt!.redis}`), `Memorystore ${gcp.adopt.redis}`);
    keep.keep(["redis", "tier"], redis.tier);
    keep.keep(["redis", "memorySizeGb"], redis.memorySizeGb);
    keep.keep(["redis", "version"], redis.redisVersion);
    keep.keep(["redis", "transitEncryption"], (redis.transitEncryptionMode ?? "DISABLED") !== "DISABLED");
    keep.keep(["redis", "connectMode"], redis.connectMode ?? "DIRECT_PEERING");
    keep.keep(["redis", "cidr"], redis.reservedIpRange);
    keep.keep(["redis", "redisConfigs"], nonEmpty(redis.redisConfigs));
    keep.keep(["redis", "displayName"], redis.displayName || undefined);
    const windows: any[] = redis.maintenancePolicy?.weeklyMaintenanceWindow ?? [];
    const window = windows[0];
    keep.keep(["redis", "maintenanceWindow"], window && { day: window.day, hour: window.startTime?.hours ?? 0 });
    if (windows.length > 1 || window?.startTime?.minutes) {
      notes.push(`redis.maintenanceWindow: the live policy (${JSON.stringify(windows)}) has more than one window or starts off the hour; the configuration keeps one window on the hour`);
    }
    const persistence = redis.persistenceConfig;
    if (persistence?.persistenceMode === "RDB" || valueAt(raw, ["redis", "persistence"]) !== undefined) {
      keep.keep(["redis", "persistence"], persistence && { mode: persistence.persistenceMode, ...(persistence.rdbSnapshotPeriod ? { rdbSnapshotPeriod: persistence.rdbSnapshotPeriod } : {}) });
    }
    if (!redis.authEnabled) notes.push("the live instance has AUTH off: the stack turns it on (clients need REDIS_PASSWORD), which no field can keep");
  }
  return { settings: keep.settings, notes, secretsToCreate: [] };
}

/** Scaleway reports durations as "300.000000000s". */
const seconds = (duration: string | undefined) => (duration === undefined ? undefined : Math.round(Number(duration.replace(/s$/, ""))));
const ownTags = (tags: string[] | undefined, environment: string) => {
  const kept = (tags ?? []).filter((tag) => tag !== environment);
  return kept.length ? kept : undefined;
};

/** The settings that keep a live cluster, namespace and container. */
function adoptScaleway(scw: ScalewayConfig, raw: unknown, recordings: Recording[], environment: string, liveDir: string): Adoption {
  const keep = new Collector(raw, scw);
  const notes: string[] = [];
  const secretsToCreate: string[] = [];
  const { adopt } = scw;
  if (adopt?.redis) {
    const cluster = recording(recordings, "scw-redis", (json) => `${json.zone}/${json.id}` === adopt.redis!.id, `Redis cluster ${adopt.redis.id}`);
    keep.keep(["redis", "version"], cluster.version);
    keep.keep(["redis", "nodeType"], cluster.node_type);
    keep.keep(["redis", "clusterSize"], cluster.cluster_size);
    keep.keep(["redis", "userName"], cluster.user_name);
    keep.keep(["redis", "tls"], cluster.tls_enabled ?? false);
    keep.keep(["redis", "settings"], nonEmpty(Object.fromEntries((cluster.cluster_settings ?? []).map((s: { name: string; value: string }) => [s.name, s.value]))));
    keep.keep(["redis", "tags"], ownTags(cluster.tags, environment));
    if (adopt.redis.step === "public") keep.keep(["adopt", "redis", "publicAcl"], (cluster.acl_rules ?? []).map((rule: { ip_cidr: string; description: string }) => ({ ip: rule.ip_cidr, description: rule.description })));
  }
  if (adopt?.namespace) {
    const namespace = recording(recordings, "scw-namespace", (json) => `${json.region}/${json.id}` === adopt.namespace!.id, `container namespace ${adopt.namespace.id}`);
    keep.keep(["container", "namespaceTags"], ownTags(namespace.tags, environment));
    const inherited = [...Object.keys(namespace.environment_variables ?? {}), ...Object.keys(namespace.secret_environment_variables ?? {})];
    if (inherited.length) notes.push(`the namespace gives its containers ${inherited.join(", ")}: the stack sets no namespace variables, so the apply removes them; move them to container.environment or container.secrets by hand`);
  }
  if (adopt?.container) {
    const container = recording(recordings, "scw-container", (json) => `${json.region}/${json.id}` === adopt.container!.id, `container ${adopt.container.id}`);
    keep.keep(["container", "port"], container.port);
    keep.keep(["container", "minScale"], container.min_scale);
    keep.keep(["container", "maxScale"], container.max_scale);
    keep.keep(["container", "cpuLimit"], container.mvcpu_limit);
    keep.keep(["container", "memoryLimitBytes"], container.memory_limit_bytes);
    keep.keep(["container", "timeoutSeconds"], seconds(container.timeout), true);
    keep.keep(["container", "concurrency"], container.scaling_option?.concurrent_requests_threshold ?? undefined, true);
    keep.keep(["container", "privacy"], container.privacy, true);
    keep.keep(["container", "protocol"], container.protocol, true);
    keep.keep(["container", "sandbox"], container.sandbox, true);
    keep.keep(["container", "tags"], ownTags(container.tags, environment));

    // Plain variables, except the Redis contract's and any that looks like a secret (never written).
    const plain: Record<string, string> = {};
    const secretNames = new Set(Object.keys(container.secret_environment_variables ?? {}).filter((name) => !REDIS_VARIABLE.test(name)));
    for (const [name, value] of Object.entries<string>(container.environment_variables ?? {})) {
      if (REDIS_VARIABLE.test(name)) continue;
      if (secretLikeProblem(name, value)) {
        secretNames.add(name);
        notes.push(`${name} is a plain variable on the live container but looks like a secret: it is not written (its value never is); keep it as a secret instead`);
      } else plain[name] = value;
    }
    keep.keep(["container", "environment"], nonEmpty(plain));
    const referenced = scw.container.secrets ?? {};
    for (const name of [...secretNames].sort()) {
      if (referenced[name]) continue;
      secretsToCreate.push(
        `${name}: create a Scaleway secret holding the live value (scw secret secret create name=${adopt.container.name}-${name.toLowerCase().replace(/_/g, "-")} region=${scw.region}, then scw secret version create <its id> data=<the value> region=${scw.region}) and add "${name}": { "secret": "${scw.region}/<its id>" } to container.secrets; record it for the rehearsal with scw secret version get <its id> revision=latest region=${scw.region} -o json > ${liveDir}/scw-secret.<its id>.json`,
      );
    }
    // The stack's probes are HTTP on healthPath and livenessPath: stated, so the change is seen.
    const probe = (p: any) => (!p ? "none" : p.http ? `HTTP GET ${p.http.path}` : "TCP") + (p ? ` every ${seconds(p.interval)}s, ${p.failure_threshold} failures` : "");
    keep.keep(["container", "healthPath"], scw.container.healthPath ?? DEFAULT_HEALTH_PATH, true);
    keep.keep(["container", "livenessPath"], scw.container.livenessPath ?? DEFAULT_LIVENESS_PATH, true);
    notes.push(`the live probes (startup: ${probe(container.startup_probe)}; liveness: ${probe(container.liveness_probe)}) become the stack's HTTP probes on ${scw.container.healthPath} and ${scw.container.livenessPath}: the backend must answer both before the apply (written, so the change is stated)`);
  }
  return { settings: keep.settings, notes, secretsToCreate };
}

/** What keeps every live setting of `stack`, from the configuration `raw` and the recordings. */
export function adoption(stack: string, raw: unknown, recordings: Recording[], liveDir = `live/${stack}`): Adoption {
  const match = /^(gcp|scaleway)-(.+)$/.exec(stack);
  if (!match) throw new Error(`${stack}: not a stack name (<gcp|scaleway>-<environment>, e.g. gcp-staging)`);
  const [, cloud, environment] = match;
  const config = parseConfig(raw).environments[environment];
  if (!config) throw new Error(`${stack}: environment ${environment} is not configured`);
  const cloudRaw = valueAt(raw, ["environments", environment, cloud]);
  if (cloud === "gcp") {
    if (!config.gcp?.adopt) throw new Error(`${stack}: adopts nothing (gcp.adopt is not set)`);
    return adoptGcp(config.gcp, cloudRaw, recordings);
  }
  if (!config.scaleway?.adopt) throw new Error(`${stack}: adopts nothing (scaleway.adopt is not set)`);
  return adoptScaleway(config.scaleway, cloudRaw, recordings, environment, liveDir);
}

/** `text` with every setting written under `environments.<env>.<cloud>`. */
export function written(text: string, stack: string, settings: Setting[]): string {
  const [, cloud, environment] = /^(gcp|scaleway)-(.+)$/.exec(stack)!;
  return settings.reduce((out, { path: at, value }) => setMember(out, ["environments", environment, cloud, ...at], value), text);
}

/** Exit 0: nothing to change, or written; 1: changes printed only, or secrets to create; 2: could not run. */
export function main(argv: string[]): number {
  try {
    const { values, positionals } = parseOptions({ args: argv, options: { live: { type: "string" }, write: { type: "boolean" } }, allowPositionals: true }, USAGE);
    if (positionals.length !== 1) throw new Error(`usage: ${USAGE}`);
    const [stack] = positionals;
    const file = process.env.REDIS_NET_CONFIG || path.join(ROOT, "config", "environments.json");
    const text = fs.readFileSync(file, "utf8");
    const raw = parseJson(text, file);
    const live = values.live !== undefined ? userPath(values.live, "--live") : projectPath(path.join(ROOT, "live", stack));
    const { settings, notes, secretsToCreate } = adoption(stack, raw, readRecordings(live), live.given);
    const [, cloud, environment] = /^(gcp|scaleway)-(.+)$/.exec(stack)!;
    const at = `environments.${environment}.${cloud}`;
    console.log(settings.length ? `${settings.length} setting(s) of ${at} keep what is live:` : `${at} already keeps every live setting the configuration can state`);
    for (const { path: p, value, was } of settings) {
      console.log(`  ${p.join(".")}: ${was === undefined ? "(not written)" : JSON.stringify(was)} → ${value === undefined ? "(removed: nothing live)" : JSON.stringify(value)}`);
    }
    for (const note of notes) console.log(`note: ${note}`);
    for (const secret of secretsToCreate) console.log(`secret to create: ${secret}`);
    if (!settings.length) return secretsToCreate.length ? 1 : 0;
    const updated = written(text, stack, settings);
    // The result must be a valid configuration: otherwise nothing is written.
    try {
      parseConfig(parseJson(updated, file));
    } catch (error) {
      throw new Error(`the configuration it would write is invalid, nothing written:\n${(error as Error).message}`);
    }
    if (!values.write) {
      console.log(`\nthe configuration that keeps them (${at}):\n${JSON.stringify(valueAt(JSON.parse(updated), at.split(".")), null, 2)}`);
      console.log(`\nwrite it with: npm run adopt -- ${stack}${values.live ? ` --live ${values.live}` : ""} --write`);
      return 1;
    }
    fs.writeFileSync(file, updated);
    console.log(`wrote ${path.relative(process.cwd(), file) || file}; rehearse it: npm run rehearse -- ${stack}${values.live ? ` --live ${values.live}` : ""}`);
    return secretsToCreate.length ? 1 : 0;
  } catch (error) {
    console.error(`adopt: ${(error as Error).message}`);
    return 2;
  }
}
