import { IntLimit, IntRange, TextRule } from "./rule";

/**
 * Google Cloud's limits and the project's defaults on Google Cloud, each written once: the
 * configuration schema, the constructs and the policy rules all read them from here.
 */

/** GCP resource names (RFC 1035) of at most `maxLength`: lowercase letters, digits and hyphens, starting with a letter. */
export function gcpName(maxLength = 63): TextRule {
  return {
    pattern: new RegExp(`^[a-z](?:[-a-z0-9]{0,${maxLength - 2}}[a-z0-9])?$`),
    rule: `must be 1-${maxLength} lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen`,
  };
}

export const PROJECT_ID: TextRule = { pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, rule: "must be a GCP project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter" };
export const PROJECT_NUMBER: TextRule = { pattern: /^\d{6,20}$/, rule: "must be a GCP project number (digits)" };
/** us-central1, europe-west10, northamerica-northeast2, ... */
export const REGION: TextRule = { pattern: /^[a-z]+-[a-z]+[1-9][0-9]*$/, rule: "must be a GCP region such as us-central1 or europe-west10" };
/** The backend's service account ID, which is also its Cloud Run service name. */
export const SERVICE_ACCOUNT_ID: TextRule = { pattern: /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, rule: "must be 6-30 lowercase letters, digits or hyphens, starting with a letter" };
export const SECRET_ID: TextRule = { pattern: /^[A-Za-z0-9_-]{1,255}$/, rule: "must be at most 255 letters, digits, '_' or '-'" };
export const MEMORYSTORE_NAME = gcpName(40);
export const CLOUD_RUN_NAME = gcpName(49);
/** An existing Cloud Monitoring notification channel. */
/** Bumped to send a new PagerDuty service key: the key is write-only, so nothing else tells Terraform it changed. */
export const PAGERDUTY_KEY_VERSION: IntLimit = { min: 1, max: Infinity, default: 1 };
export const NOTIFICATION_CHANNEL: TextRule = { pattern: /^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/notificationChannels\/\d+$/, rule: "must be a notification channel, projects/<project>/notificationChannels/<id>" };
/** IAM members that may be granted access: `serviceAccount:...`, `group:...`, `user:...`. */
export const IAM_MEMBER: TextRule = { pattern: /^(serviceAccount|user|group|principal|principalSet):\S+$/, rule: "must be an IAM member such as serviceAccount:deploy@<project>.iam.gserviceaccount.com" };
/** A Workload Identity pool's or provider's ID: 4-32 of [a-z0-9-]; Google keeps the prefix `gcp-`. */
export const WORKLOAD_IDENTITY_ID: TextRule = { pattern: /^(?!gcp-)[a-z0-9-]{4,32}$/, rule: "must be 4-32 lowercase letters, digits or hyphens, not starting with gcp- (Google's rule for Workload Identity pool and provider IDs)" };
/** A Workload Identity pool's resource name, as principals and the token exchange name it. */
export function workloadIdentityPoolName(projectNumber: string, poolId: string): string {
  return `projects/${projectNumber}/locations/global/workloadIdentityPools/${poolId}`;
}
/** A pool provider's resource name: what google-github-actions/auth takes as workload_identity_provider. */
export function workloadIdentityProviderName(projectNumber: string, poolId: string, providerId: string): string {
  return `${workloadIdentityPoolName(projectNumber, poolId)}/providers/${providerId}`;
}
/** The `google.subject` a Workload Identity provider maps a token to: at most 127 bytes. */
export const WORKLOAD_IDENTITY_SUBJECT_MAX = 127;
/** A project-level custom role's ID: no hyphens. */
export const CUSTOM_ROLE_ID: TextRule = { pattern: /^[a-zA-Z0-9_.]{3,64}$/, rule: "must be 3-64 letters, digits, '_' or '.' (Google's rule for custom role IDs)" };
/** A predefined role (`roles/...`) or a project's custom role (`projects/<p>/roles/<id>`). */
export const IAM_ROLE: TextRule = { pattern: /^(roles\/[a-zA-Z0-9_.]+|projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/roles\/[a-zA-Z0-9_.]{3,64})$/, rule: "must be a role, roles/<name> or projects/<project>/roles/<id>" };
/** A region, a multi-region, or a predefined dual-region (ASIA1, EUR4, NAM4...), in one case. */
export const GCS_LOCATION: TextRule = { pattern: /^([a-z]+(-[a-z]+[0-9]+)?|asia1|eur[4578]|nam4)$|^([A-Z]+(-[A-Z]+[0-9]+)?|ASIA1|EUR[4578]|NAM4)$/, rule: "must be a GCS location such as us-central1, US, EU or the dual-region NAM4" };

/** The rule a GCS bucket name breaks (Google's bucket naming page), or undefined. */
export function gcsBucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name)) return "must be lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  if (name.length < 3 || name.length > 222) return "must be 3-63 characters (up to 222 with dots)";
  if (!name.includes(".") && name.length > 63) return "must be 3-63 characters without dots";
  if (name.split(".").some((part) => part.length > 63)) return "must have each dot-separated part at most 63 characters";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not be an IP address";
  if (name.startsWith("goog") || /g(o|0)(o|0)gle/.test(name)) return 'must not start with "goog" or contain "google" (Google reserves them)';
  return undefined;
}

/** Serverless VPC Access. */
export const CONNECTOR = {
  /** The connector's subnet: exactly a /28, nothing else is accepted. */
  prefix: 28,
  minInstances: { min: 2, max: 9, default: 2 } satisfies IntLimit,
  maxInstances: { min: 3, max: 10, default: 3 } satisfies IntLimit,
  machineTypes: ["f1-micro", "e2-micro", "e2-standard-4"] as const,
  defaultMachineType: "e2-micro" as const,
  /** Google counts each hyphen of a connector name twice and wants fewer than 21. */
  maxCountedNameLength: 20,
};
export type ConnectorMachineType = (typeof CONNECTOR.machineTypes)[number];

/** A name's length as Google counts it for connectors: each hyphen counts two. */
export function connectorNameLength(name: string): number {
  return name.length + (name.match(/-/g) ?? []).length;
}

/**
 * Google's connector name rule: lowercase letters, digits and hyphens, starting with a letter and
 * not ending with a hyphen, fewer than 21 characters where each hyphen counts as two
 * (`production-connector` counts 21 and is refused). Returns the broken rule, or undefined.
 */
export function connectorNameProblem(name: string): string | undefined {
  const counted = connectorNameLength(name);
  if (!/^[a-z](?:[-a-z0-9]*[a-z0-9])?$/.test(name)) return "must be lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen";
  if (counted > CONNECTOR.maxCountedNameLength) return `counts ${counted} characters (each hyphen counts two); Google requires fewer than 21`;
  return undefined;
}

/** The network tag Google puts on a connector's instances. */
export function connectorNetworkTag(region: string, name: string): string {
  return `vpc-connector-${region}-${name}`;
}

/** Direct VPC egress: Google asks for a Cloud Run subnet of at least a /26. */
export const DIRECT_VPC_EGRESS = { maxPrefix: 26 };

export const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;

/** Memorystore for Redis. */
export const MEMORYSTORE = {
  tiers: ["BASIC", "STANDARD_HA"] as const,
  /** The versions Memorystore for Redis offers (Google's "supported versions" page). */
  versions: ["REDIS_3_2", "REDIS_4_0", "REDIS_5_0", "REDIS_6_X", "REDIS_7_0", "REDIS_7_2"] as const,
  connectModes: ["DIRECT_PEERING", "PRIVATE_SERVICE_ACCESS"] as const,
  defaultTier: "BASIC" as const,
  defaultVersion: "REDIS_7_2" as const,
  defaultConnectMode: "DIRECT_PEERING" as const,
  memorySizeGb: { min: 1, max: 300, default: 1 } satisfies IntLimit,
  /** DIRECT_PEERING: the instance's own /29. */
  directPeeringPrefix: 29,
  /** PRIVATE_SERVICE_ACCESS: the range allocated to Google's services, /24 or larger. */
  privateServiceAccessMaxPrefix: 24,
  /** Maintenance window start, UTC. */
  maintenanceHour: { min: 0, max: 23 } satisfies IntRange,
};
/**
 * The PRIVATE_SERVICE_ACCESS rule on the range allocated to Google's services: what is wrong with
 * a range of this prefix length, or undefined. The schema and the Memorystore construct both ask here.
 */
export function privateServiceAccessRangeProblem(prefix: number): string | undefined {
  const max = MEMORYSTORE.privateServiceAccessMaxPrefix;
  return prefix <= max ? undefined : `must be a /${max} or larger`;
}

export type MemorystoreTier = (typeof MEMORYSTORE.tiers)[number];
export type MemorystoreVersion = (typeof MEMORYSTORE.versions)[number];
export type MemorystoreConnectMode = (typeof MEMORYSTORE.connectModes)[number];
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The port Memorystore serves on: 6378 with transit encryption, 6379 without. The one place that
 * knows it; the firewall rule and the published port secret both follow from the TLS setting.
 */
export function memorystorePort(transitEncryption: boolean): number {
  return transitEncryption ? 6378 : 6379;
}

/**
 * Who may invoke the service. Ingress is open to all traffic, so without one of the first two
 * every request is refused with 403:
 * - `allUsers`: an IAM binding of roles/run.invoker to allUsers (an organisation's domain
 *   restricted sharing policy refuses it);
 * - `invokerIamDisabled`: the service skips the invoker check (`invoker_iam_disabled`);
 * - `authenticated`: callers need roles/run.invoker, granted outside this stack.
 */
export const CLOUD_RUN_INVOKERS = ["allUsers", "invokerIamDisabled", "authenticated"] as const;
export type CloudRunInvoker = (typeof CLOUD_RUN_INVOKERS)[number];

/** The Cloud Run backend. */
export const CLOUD_RUN = {
  /** The configured name, before the environment is added. */
  name: { pattern: /^[a-z][a-z0-9-]{0,20}[a-z0-9]$/, rule: "must be 2-22 lowercase letters, digits or hyphens" } satisfies TextRule,
  defaultName: "backend",
  minInstances: { min: 0, max: 100, default: 0 } satisfies IntLimit,
  maxInstances: { min: 1, max: 1000, default: 3 } satisfies IntLimit,
  defaultInvoker: "allUsers" as const,
};

/** Google's ranges for Serverless VPC Access in a Shared VPC (current as of 2026-11). */
export const SERVERLESS_RANGE = "35.199.224.0/19";
export const HEALTH_CHECK_RANGES = ["35.191.0.0/16", "35.191.192.0/18", "130.211.0.0/22"];
/** Every connector's VMs carry this tag (and `vpc-connector-REGION-NAME`). */
export const CONNECTOR_TAG = "vpc-connector";

/** Memorystore's `redis_configs` values: Google's "Supported Redis configurations" page. */
const EVICTION_POLICIES = ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"] as const;
const YES_NO: TextRule = { pattern: /^(yes|no)$/, rule: 'must be "yes" or "no"' };
const WHOLE: TextRule = { pattern: /^(0|[1-9]\d{0,9})$/, rule: "must be a whole number" };
/** Keyspace notification classes Redis knows (`notify-keyspace-events`); "" turns them off. */
export const KEYSPACE_EVENTS: TextRule = { pattern: /^[KEg$lshzxeAtmnd]*$/, rule: "must be keyspace event classes, letters of KEg$lshzxeAtmnd (\"\" turns them off)" };

/**
 * Each Redis configuration Memorystore for Redis lets a user set, the first version that has it,
 * and the rule of its value (Google's "Supported Redis configurations" page). Any other key is
 * refused by Google's API at apply; the configuration refuses it first.
 */
export const MEMORYSTORE_CONFIGS: Record<string, { since: MemorystoreVersion; rule: TextRule }> = {
  "maxmemory-gb": { since: "REDIS_3_2", rule: { pattern: /^\d+(\.\d+)?$/, rule: "must be a number of GB" } },
  "maxmemory-policy": { since: "REDIS_3_2", rule: { pattern: new RegExp(`^(${EVICTION_POLICIES.join("|")})$`), rule: `must be one of ${EVICTION_POLICIES.join(", ")}` } },
  "notify-keyspace-events": { since: "REDIS_3_2", rule: KEYSPACE_EVENTS },
  timeout: { since: "REDIS_3_2", rule: WHOLE },
  activedefrag: { since: "REDIS_4_0", rule: YES_NO },
  "lfu-decay-time": { since: "REDIS_4_0", rule: WHOLE },
  "lfu-log-factor": { since: "REDIS_4_0", rule: WHOLE },
  "stream-node-max-bytes": { since: "REDIS_5_0", rule: WHOLE },
  "stream-node-max-entries": { since: "REDIS_5_0", rule: WHOLE },
  "maxmemory-clients": { since: "REDIS_7_0", rule: { pattern: /^(\d+|\d{1,3}%)$/, rule: "must be a whole number of bytes or a percentage such as 10%" } },
};

/** The rule a `redis_configs` entry breaks for `version`, or undefined. */
export function memorystoreConfigProblem(version: MemorystoreVersion, key: string, value: string): string | undefined {
  const known = Object.prototype.hasOwnProperty.call(MEMORYSTORE_CONFIGS, key) ? MEMORYSTORE_CONFIGS[key] : undefined;
  if (!known) return `is not a configuration Memorystore lets you set (${Object.keys(MEMORYSTORE_CONFIGS).join(", ")})`;
  if (MEMORYSTORE.versions.indexOf(known.since) > MEMORYSTORE.versions.indexOf(version)) return `needs ${known.since} or later (the instance runs ${version})`;
  if (key === "maxmemory-policy" && /lfu$/.test(value) && MEMORYSTORE.versions.indexOf(version) < MEMORYSTORE.versions.indexOf("REDIS_4_0")) return "LFU policies need REDIS_4_0 or later";
  return known.rule.pattern.test(value) ? undefined : `${JSON.stringify(value)} ${known.rule.rule}`;
}

/** Memorystore persistence (the provider's `persistence_config`). */
export const MEMORYSTORE_PERSISTENCE = {
  modes: ["DISABLED", "RDB"] as const,
  snapshotPeriods: ["ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS"] as const,
};
/** A Memorystore instance's display name. */
export const MEMORYSTORE_DISPLAY_NAME: TextRule = { pattern: /^.{1,80}$/, rule: "must be 1-80 characters" };

/** Cloud Run service settings (the provider's schema and Cloud Run's limits). */
export const CLOUD_RUN_SERVICE = {
  /** Request timeout, seconds: Cloud Run allows up to 60 minutes. */
  timeoutSeconds: { min: 1, max: 3600 } satisfies IntRange,
  /** Requests one instance serves at once (`max_instance_request_concurrency`). */
  concurrency: { min: 1, max: 1000 } satisfies IntRange,
  ingress: ["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"] as const,
  defaultIngress: "INGRESS_TRAFFIC_ALL" as const,
  executionEnvironments: ["EXECUTION_ENVIRONMENT_GEN1", "EXECUTION_ENVIRONMENT_GEN2"] as const,
  /** The container port's name: which protocol Cloud Run speaks to it. */
  protocols: ["http1", "h2c"] as const,
  /** Variables Cloud Run sets itself, which a service may not. */
  reservedVariables: ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"],
};
export type CloudRunIngress = (typeof CLOUD_RUN_SERVICE.ingress)[number];
export type CloudRunExecutionEnvironment = (typeof CLOUD_RUN_SERVICE.executionEnvironments)[number];
export type ServiceProtocol = (typeof CLOUD_RUN_SERVICE.protocols)[number];
/** A Secret Manager secret's version as Cloud Run takes it: a number or `latest`. */
export const SECRET_VERSION: TextRule = { pattern: /^(latest|[1-9]\d*)$/, rule: 'must be "latest" or a version number' };
