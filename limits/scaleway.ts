import { IntLimit, IntRange, TextRule } from "./rule";

/** Scaleway's limits and the project's defaults on Scaleway, each written once. */

export const REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;
export type Region = (typeof REGIONS)[number];
const REGION_PATTERN = `(${REGIONS.join("|")})`;
const ZONE_PATTERN = `${REGION_PATTERN}-[1-3]`;
export const ZONE: TextRule = { pattern: new RegExp(`^${ZONE_PATTERN}$`), rule: "must be a Scaleway zone such as fr-par-1" };
export const PROJECT_ID_RULE = "must be a Scaleway project ID (a UUID)";

/** The regions Scaleway Object Storage serves. */
export const OBJECT_STORAGE_REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;
export type ObjectStorageRegion = (typeof OBJECT_STORAGE_REGIONS)[number];

/** The rule an Object Storage region breaks, or undefined. */
export function objectStorageRegionProblem(region: string): string | undefined {
  return (OBJECT_STORAGE_REGIONS as readonly string[]).includes(region) ? undefined : `must be a region Scaleway Object Storage serves: ${OBJECT_STORAGE_REGIONS.join(", ")}`;
}

/** The rule a Scaleway Object Storage bucket name breaks, or undefined. */
export function objectStorageBucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "must be 3-63 characters";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "must be lowercase letters, digits, '-' or '.', starting and ending with a letter or digit";
  if (/\.\.|\.-|-\./.test(name)) return "must not have two dots, or a dot next to a hyphen, in a row";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not be an IP address";
  return undefined;
}

/** A bucket policy principal in Scaleway's form. */
export const PRINCIPAL: TextRule = { pattern: /^(application_id|user_id):[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/, rule: "must be a Scaleway principal, application_id:<uuid> or user_id:<uuid>" };

const UUID = "[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}";
/** The ID the provider imports a live object by: `<zone>/<uuid>` or `<region>/<uuid>`. */
export function importId(locality: "zone" | "region", example: string): TextRule {
  const where = locality === "zone" ? ZONE_PATTERN : REGION_PATTERN;
  return { pattern: new RegExp(`^${where}/${UUID}$`), rule: `must be the ID the provider imports, <${locality}>/<uuid>, e.g. ${example}/11111111-2222-3333-4444-555555555555` };
}
/** A live object's name, kept when it is adopted. */
export const LIVE_NAME: TextRule = { pattern: /^[a-z0-9][a-z0-9-]{0,62}$/, rule: "must be the live name: lowercase letters, digits or hyphens" };

/** Managed Redis. */
export const REDIS = {
  /** The versions Scaleway's managed Redis offers, by major.minor (the patch level is Scaleway's). */
  minors: ["6.2", "7.0", "7.2"] as const,
  version: { pattern: /^\d+\.\d+\.\d+$/, rule: "must be a full Redis version such as 7.2.11" } satisfies TextRule,
  nodeType: { pattern: /^RED1-[A-Z0-9-]+$/, rule: "must be a Scaleway Redis node type such as RED1-MICRO" } satisfies TextRule,
  /** 1: standalone; 2: high availability (a main node and a standby); 3 or more: cluster mode. */
  clusterSize: { min: 1, max: Infinity, default: 1 } satisfies IntLimit,
  /** Bump to rotate the password. */
  passwordVersion: { min: 1, max: Infinity, default: 1 } satisfies IntLimit,
  /** The user name goes unencoded into REDIS_URL, so only URL-safe characters. */
  userName: { pattern: /^[A-Za-z][A-Za-z0-9_-]{0,62}$/, rule: "must be 1-63 letters, digits, '_' or '-', starting with a letter" } satisfies TextRule,
  /** Names Scaleway keeps for itself. */
  reservedUserNames: ["scalewayadmin", "metrics"],
};

/** The rule a Redis version breaks, or undefined. */
export function redisVersionProblem(version: string): string | undefined {
  if (!REDIS.version.pattern.test(version)) return REDIS.version.rule;
  if (!REDIS.minors.some((minor) => version.startsWith(`${minor}.`))) return `must be a version Scaleway offers: ${REDIS.minors.map((m) => `${m}.x`).join(", ")}`;
  return undefined;
}

/** The rule a Redis user name breaks, or undefined. */
export function redisUserNameProblem(name: string): string | undefined {
  if (!REDIS.userName.pattern.test(name)) return REDIS.userName.rule;
  if (REDIS.reservedUserNames.includes(name.toLowerCase())) return `is reserved by Scaleway (${REDIS.reservedUserNames.join(", ")})`;
  return undefined;
}

/** The backend serverless container. */
export const CONTAINER = {
  /** The configured name, before the environment is added. */
  name: { pattern: /^[a-z][a-z0-9-]{0,24}[a-z0-9]$/, rule: "must be 2-26 lowercase letters, digits or hyphens" } satisfies TextRule,
  minScale: { min: 0, max: Infinity, default: 1 } satisfies IntLimit,
  maxScale: { min: 1, max: Infinity, default: 5 } satisfies IntLimit,
  /** mvCPU. */
  cpuLimit: { min: 70, max: Infinity, default: 1000 } satisfies IntLimit,
  memoryLimitBytes: { min: 128 * 1024 * 1024, max: Infinity, default: 2 * 1024 ** 3 } satisfies IntLimit,
};

/** Where the cut-over of an adopted Redis stands (docs/cut-over.md, "Scaleway"). */
export const CUTOVER_STEPS = ["public", "private"] as const;


/** An IAM permission set (Scaleway's "Permission sets" page), e.g. RedisReadOnly. */
export const PERMISSION_SET: TextRule = { pattern: /^[A-Z][A-Za-z0-9]+$/, rule: "must be a Scaleway permission set name such as RedisReadOnly" };
/** An IAM application's or policy's name as the project makes them. */
export const IAM_NAME: TextRule = { pattern: /^[a-z][a-z0-9-]{0,62}[a-z0-9]$/, rule: "must be 2-64 lowercase letters, digits or hyphens, starting with a letter" };

const EVICTION_POLICIES = ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"];
const YES_NO: TextRule = { pattern: /^(yes|no)$/, rule: 'must be "yes" or "no"' };
const WHOLE: TextRule = { pattern: /^(0|[1-9]\d{0,9})$/, rule: "must be a whole number" };

/**
 * The cluster settings Managed Redis lets a user set (the provider's `settings`; the API lists them
 * per version as `available_settings`, `scw redis version list`), and each value's rule.
 */
export const REDIS_SETTINGS: Record<string, TextRule> = {
  maxclients: WHOLE,
  "tcp-keepalive": WHOLE,
  timeout: WHOLE,
  "maxmemory-policy": { pattern: new RegExp(`^(${EVICTION_POLICIES.join("|")})$`), rule: `must be one of ${EVICTION_POLICIES.join(", ")}` },
  "notify-keyspace-events": { pattern: /^[KEg$lshzxeAtmnd]*$/, rule: "must be keyspace event classes, letters of KEg$lshzxeAtmnd" },
  "lazyfree-lazy-eviction": YES_NO,
  "lazyfree-lazy-expire": YES_NO,
  "lazyfree-lazy-server-del": YES_NO,
  "lazyfree-lazy-user-del": YES_NO,
  "lfu-decay-time": WHOLE,
  "lfu-log-factor": WHOLE,
  activedefrag: YES_NO,
};

/** The rule a cluster setting breaks, or undefined. */
export function redisSettingProblem(name: string, value: string): string | undefined {
  const rule = Object.prototype.hasOwnProperty.call(REDIS_SETTINGS, name) ? REDIS_SETTINGS[name] : undefined;
  if (!rule) return `is not a setting Managed Redis lets you set (${Object.keys(REDIS_SETTINGS).join(", ")})`;
  return rule.pattern.test(value) ? undefined : `${JSON.stringify(value)} ${rule.rule}`;
}

/** A tag on a Scaleway resource: the console and API take free text without commas. */
export const TAG: TextRule = { pattern: /^[^,\s][^,]{0,127}$/, rule: "must be 1-128 characters without a comma, not starting with a space" };

/** Serverless Containers service settings (the provider's schema). */
export const CONTAINER_SERVICE = {
  /** Request timeout, seconds (Scaleway's default 300). */
  timeoutSeconds: { min: 10, max: 3600 } satisfies IntRange,
  /** Requests one instance serves before another starts (`scaling_option.concurrent_requests_threshold`). */
  concurrency: { min: 1, max: 80 } satisfies IntRange,
  privacy: ["public", "private"] as const,
  protocols: ["http1", "h2c"] as const,
  sandboxes: ["v1", "v2"] as const,
  /** Scaleway keeps its own variables' prefix. */
  reservedPrefix: "SCW_",
};
/** A Scaleway Secret Manager secret's ID, `<region>/<uuid>`. */
export const SECRET_ID: TextRule = { pattern: new RegExp(`^${REGION_PATTERN}/${UUID}$`), rule: "must be a Scaleway Secret Manager secret ID, <region>/<uuid>" };
/** A secret's revision as the provider reads it: a number, `latest` or `latest_enabled`. */
export const SECRET_REVISION: TextRule = { pattern: /^(latest|latest_enabled|[1-9]\d*)$/, rule: 'must be "latest", "latest_enabled" or a revision number' };
