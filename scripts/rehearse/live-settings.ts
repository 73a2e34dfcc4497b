// No silent change to a live setting: every change a rehearsal's plan makes to an adopted resource
// is either stated by the configuration (the field that sets it is written in
// config/environments.json), or one of the few that adoption may make without being told, each
// printed with its reason (ALLOWED below, the one list of them). Anything else fails the rehearsal,
// naming the resource, the attribute, the live value and the planned value.
import * as fs from "fs";
import * as path from "path";
import { parseJson } from "../../input/json";
import { Plan, ResourceChange } from "../plan-json";
import { ROOT } from "../root";
import { TerraformJson } from "../verify/reference";
import { AttributeDiff, attributeDiffs, diffLine } from "./plan";
import { Recording } from "./recordings";

/** The Redis contract's variables (constructs/redis-environment.ts): the stack owns them. */
const REDIS_VARIABLE = /^REDIS_/;

/**
 * Per resource type, the configuration field (under `environments.<env>.<cloud>`) that states each
 * attribute. A change to an attribute is stated when its field is written in the configuration;
 * `npm run adopt` writes the fields that keep what is live.
 */
export const STATED_BY: Record<string, Record<string, string>> = {
  google_redis_instance: {
    redis_configs: "redis.redisConfigs",
    maintenance_policy: "redis.maintenanceWindow",
    persistence_config: "redis.persistence",
    display_name: "redis.displayName",
    memory_size_gb: "redis.memorySizeGb",
    tier: "redis.tier",
    redis_version: "redis.version",
    transit_encryption_mode: "redis.transitEncryption",
    connect_mode: "redis.connectMode",
  },
  scaleway_redis_cluster: {
    settings: "redis.settings",
    tags: "redis.tags",
    version: "redis.version",
    node_type: "redis.nodeType",
    cluster_size: "redis.clusterSize",
    user_name: "redis.userName",
    // Step "public" keeps the live rules (publicAcl, required); step "private" drops them.
    acl: "adopt.redis.step",
    private_network: "adopt.redis.step",
  },
  scaleway_container_namespace: {
    tags: "container.namespaceTags",
  },
  scaleway_container: {
    environment_variables: "container.environment",
    secret_environment_variables: "container.secrets",
    liveness_probe: "container.livenessPath",
    startup_probe: "container.healthPath",
    timeout: "container.timeoutSeconds",
    privacy: "container.privacy",
    protocol: "container.protocol",
    sandbox: "container.sandbox",
    scaling_option: "container.concurrency",
    min_scale: "container.minScale",
    max_scale: "container.maxScale",
    cpu_limit: "container.cpuLimit",
    memory_limit_bytes: "container.memoryLimitBytes",
    port: "container.port",
    tags: "container.tags",
  },
};

interface Allowance {
  readonly type: RegExp;
  /** The top-level attribute. */
  readonly attribute: RegExp;
  /** Whether the whole attribute's change is allowed (live and planned values, the environment). */
  readonly when?: (live: unknown, planned: unknown, environment: string) => boolean;
  /** Whether one leaf's change is allowed. */
  readonly leaf?: (diff: AttributeDiff, environment: string) => boolean;
  readonly reason: string;
}

const set = (value: unknown) => new Set(Array.isArray(value) ? value.map(String) : []);

/** What adoption may change without the configuration saying so, and why: the one list. */
export const ALLOWED: readonly Allowance[] = [
  {
    type: /^google_redis_instance$/,
    attribute: /^deletion_protection$/,
    reason: "kept by Terraform only: no call to Google",
  },
  {
    type: /^google_/,
    attribute: /^(labels|effective_labels|terraform_labels)$/,
    leaf: (diff, environment) => diff.path.endsWith(".environment") && diff.before === undefined && diff.after === environment,
    reason: "the stack's own environment label, added; Google keeps every other live label (labels are not authoritative)",
  },
  {
    type: /^scaleway_/,
    attribute: /^tags$/,
    when: (live, planned, environment) => {
      const before = set(live);
      const after = set(planned);
      return [...before].every((tag) => after.has(tag)) && [...after].every((tag) => before.has(tag) || tag === environment);
    },
    reason: "the stack's own environment tag, added; every live tag kept",
  },
  {
    type: /^scaleway_container$/,
    attribute: /^image$/,
    reason: "the deploy sets the image (backend_image)",
  },
  {
    type: /^scaleway_container$/,
    attribute: /^private_network_id$/,
    reason: "the container joins the stack's private network: what the cut-over is for",
  },
  {
    type: /^scaleway_container$/,
    attribute: /^environment_variables$/,
    leaf: (diff) => REDIS_VARIABLE.test(diff.path.slice("environment_variables.".length)),
    reason: "the Redis environment contract, which the stack owns (docs/redis-contract.md)",
  },
  {
    type: /^scaleway_container_namespace$/,
    attribute: /^destroy_registry$/,
    reason: "read by Terraform at destroy only: no call to Scaleway",
  },
  {
    type: /^scaleway_redis_cluster$/,
    attribute: /^password_wo_version$/,
    reason: "the adoption sets the stack's generated password on the cluster and in the container in the same apply (docs/cut-over.md)",
  },
];

export interface LiveSettingsReport {
  /** "address: path: live → planned (reason)", for each change adoption makes without being told. */
  readonly allowed: string[];
  /** Each change to a live setting the configuration does not state. */
  readonly silent: string[];
}

/** The configuration the rehearsal synthesized from: REDIS_NET_CONFIG or the shipped one. */
function configFile(): string {
  return process.env.REDIS_NET_CONFIG || path.join(ROOT, "config", "environments.json");
}

/** Whether `field` (`redis.settings`) is written for the stack's cloud in the configuration. */
function statedIn(raw: any, environment: string, cloud: string): (field: string) => boolean {
  const base = raw?.environments?.[environment]?.[cloud === "gcp" ? "gcp" : "scaleway"];
  return (field) => field.split(".").reduce<any>((at, key) => (at && typeof at === "object" ? at[key] : undefined), base) !== undefined;
}

const top = (attributePath: string) => attributePath.split(/[.[]/)[0];

/** The recording of an adopted Scaleway container, by its import ID `<region>/<uuid>`. */
function liveContainer(recordings: Recording[], importId: string): any {
  return recordings.find((r) => r.kind === "scw-container" && `${r.json.region}/${r.json.id}` === importId)?.json;
}

/**
 * Judges every change `plan` makes to the resources the stack adopts. `stackName` is
 * `<cloud>-<environment>`; `stack` its Terraform JSON.
 */
export function liveSettingChanges(stackName: string, stack: TerraformJson, plan: Plan, recordings: Recording[], raw: unknown = parseJson(fs.readFileSync(configFile(), "utf8"), configFile())): LiveSettingsReport {
  const [, cloud, environment] = /^(gcp|scaleway)-(.+)$/.exec(stackName) ?? [];
  const stated = statedIn(raw, environment, cloud);
  const report: LiveSettingsReport = { allowed: [], silent: [] };
  const imports = new Map<string, string>((stack.import ?? []).map((block: { to: string; id: string }) => [block.to, block.id]));
  for (const change of plan.resource_changes ?? []) {
    if (!imports.has(change.address) && !change.change.importing) continue;
    if (change.change.actions.includes("delete")) continue; // a replacement or destroy fails the rehearsal on its own
    const type = change.address.split(".")[0];
    const byAttribute = new Map<string, AttributeDiff[]>();
    for (const diff of attributeDiffs(change)) byAttribute.set(top(diff.path), [...(byAttribute.get(top(diff.path)) ?? []), diff]);
    for (const [attribute, diffs] of byAttribute) {
      const rules = ALLOWED.filter((rule) => rule.type.test(type) && rule.attribute.test(attribute));
      const whole = rules.find((rule) => !rule.leaf && (!rule.when || rule.when(beforeOf(change, attribute), afterOf(change, attribute), environment)));
      if (whole) {
        report.allowed.push(...diffs.map((diff) => `${change.address}: ${diffLine(diff)} (${whole.reason})`));
        continue;
      }
      const field = STATED_BY[type]?.[attribute];
      if (type === "scaleway_container" && attribute === "environment_variables" && diffs.some((diff) => diff.path === attribute && diff.unknown)) {
        // The whole map is known only after apply (REDIS_HOST of an endpoint to come): its names
        // are compared with the recording instead.
        const planned = new Set([...plannedVariables(stack, change.address), ...plannedSecretVariables(stack, change.address)]);
        const lost = Object.keys((beforeOf(change, attribute) as Record<string, string>) ?? {}).filter((name) => !REDIS_VARIABLE.test(name) && !planned.has(name));
        if (lost.length) report.silent.push(...lost.map((name) => `${change.address}: environment_variables.${name}: live ${JSON.stringify((beforeOf(change, attribute) as any)[name])}, planned (unset): a live variable the configuration drops; keep it in ${field}, or move it to container.secrets`));
        else report.allowed.push(`${change.address}: ${diffs.map(diffLine).join("; ")} (every live variable kept; the Redis contract's values are known after apply)`);
        continue;
      }
      if (type === "scaleway_container" && attribute === "environment_variables") {
        // A live variable is never dropped by leaving it out: only by moving it to the secrets.
        const secrets = plannedSecretVariables(stack, change.address);
        const dropped = diffs.filter((diff) => diff.before !== undefined && diff.after === undefined && !diff.unknown && !secrets.has(variableOf(diff)) && !REDIS_VARIABLE.test(variableOf(diff)));
        report.silent.push(...dropped.map((diff) => `${change.address}: ${liveToPlanned(diff)}: a live variable the configuration drops; keep it in ${field}, or move it to container.secrets`));
        if (field && stated(field)) continue;
        diffs.splice(0, diffs.length, ...diffs.filter((diff) => !dropped.includes(diff)));
      }
      if (field && stated(field)) continue;
      for (const diff of diffs) {
        const leaf = rules.find((rule) => rule.leaf?.(diff, environment));
        if (leaf) report.allowed.push(`${change.address}: ${diffLine(diff)} (${leaf.reason})`);
        else if (type === "scaleway_container" && attribute === "secret_environment_variables") continue; // compared by name below
        else report.silent.push(silent(change, diff, field, stackName));
      }
    }
    if (type === "scaleway_container") report.silent.push(...secretVariableLosses(change, stack, recordings, imports.get(change.address), stackName));
  }
  return report;
}

function beforeOf(change: ResourceChange, attribute: string): unknown {
  return (change.change.before as any)?.[attribute];
}

function afterOf(change: ResourceChange, attribute: string): unknown {
  return (change.change.after as any)?.[attribute];
}

const variableOf = (diff: AttributeDiff) => diff.path.slice(diff.path.indexOf(".") + 1);

/** The plain variables the stack gives an adopted container, by name. */
function plannedVariables(stack: TerraformJson, address: string): string[] {
  const [, name] = address.split(".");
  return Object.keys(stack.resource?.scaleway_container?.[name]?.environment_variables ?? {});
}

/** The secret variables the stack gives an adopted container, by name. */
function plannedSecretVariables(stack: TerraformJson, address: string): Set<string> {
  const [, name] = address.split(".");
  return new Set(Object.keys(stack.resource?.scaleway_container?.[name]?.secret_environment_variables ?? {}));
}

/** "path: live <value>, planned <value>". */
function liveToPlanned(diff: AttributeDiff): string {
  return diffLine(diff).replace(": ", ": live ").replace(" → ", ", planned ");
}

function silent(change: ResourceChange, diff: AttributeDiff, field: string | undefined, stackName: string): string {
  const how = field
    ? `state it in ${field} (npm run adopt -- ${stackName} prints what keeps the live value)`
    : "no configuration field sets it: the stack always does; change it by hand first, or leave the resource unadopted";
  return `${change.address}: ${liveToPlanned(diff)}: a change to a live setting the configuration does not state; ${how}`;
}

/**
 * Scaleway reads back only a hash of each secret environment variable, so the plan shows them as
 * one sensitive value: the names are compared with the recording instead. A live one the stack
 * would drop always fails: leaving it out of `container.secrets` does not state its removal.
 */
function secretVariableLosses(change: ResourceChange, stack: TerraformJson, recordings: Recording[], importId: string | undefined, stackName: string): string[] {
  if (!importId) return [];
  const live = liveContainer(recordings, importId);
  const planned = plannedSecretVariables(stack, change.address);
  return Object.keys(live?.secret_environment_variables ?? {})
    .filter((variable) => !REDIS_VARIABLE.test(variable) && !planned.has(variable))
    .map((variable) => `${change.address}: secret_environment_variables.${variable}: live (set; Scaleway shows a hash), planned (unset): a live secret variable the configuration drops; reference the secret holding it in container.secrets (npm run adopt -- ${stackName} says how)`);
}
