import { z } from "zod";
import { Ipv4Range, isPrivate, overlaps, parseCidr } from "../limits/cidr";
import { secretLikeProblem, variableNameProblem } from "../limits/environment";
import {
  CLOUD_RUN, CLOUD_RUN_INVOKERS, CLOUD_RUN_SERVICE, CONNECTOR, connectorNameLength, connectorNameProblem, DIRECT_VPC_EGRESS, GCS_LOCATION, gcsBucketNameProblem,
  IAM_MEMBER, MEMORYSTORE, MEMORYSTORE_DISPLAY_NAME, MEMORYSTORE_NAME, MEMORYSTORE_PERSISTENCE, memorystoreConfigProblem, NOTIFICATION_CHANNEL, PAGERDUTY_KEY_VERSION, privateServiceAccessRangeProblem, PROJECT_ID, PROJECT_NUMBER, REGION, SECRET_ID as GCP_SECRET_ID, SECRET_VERSION, SERVICE_ACCOUNT_ID, WEEKDAYS,
  WORKLOAD_IDENTITY_ID, WORKLOAD_IDENTITY_SUBJECT_MAX,
} from "../limits/gcp";
import { DEFAULT_BRANCH_REF, githubRepositoryProblem, githubSubject } from "../limits/github";
import { DEFAULT_BACKEND_PORT, DEFAULT_HEALTH_PATH, DEFAULT_LIVENESS_PATH, HEALTH_PATH, IMAGE } from "../limits/http";
import { EMAIL, IntLimit, rangeRule, TCP_PORT, TextRule } from "../limits/rule";
import {
  CONTAINER, CONTAINER_SERVICE, CUTOVER_STEPS, importId, LIVE_NAME, objectStorageBucketNameProblem, ObjectStorageRegion, objectStorageRegionProblem, PRINCIPAL, PROJECT_ID_RULE, REDIS,
  redisSettingProblem, redisUserNameProblem, redisVersionProblem, REGIONS, SECRET_ID as SCW_SECRET_ID, SECRET_REVISION, TAG, ZONE,
} from "../limits/scaleway";
import { GCS_STATE_PREFIX, S3_STATE_KEY, STATE } from "../limits/state";
import { connectorName, gcpCiIdentityNames, gcpNames, scopedName, stackName } from "../naming/names";

/**
 * Environment names end up in every resource name. The tightest is the connector's: Google counts
 * each hyphen in it twice, so an environment name counts at most 15 the same way, which keeps
 * `<env>-vac` under Google's 21.
 */
const ENVIRONMENT_MAX_COUNTED = CONNECTOR.maxCountedNameLength - connectorNameLength(connectorName(""));
const environmentName = z
  .string()
  .regex(new RegExp(`^[a-z](?:[a-z0-9-]{0,${ENVIRONMENT_MAX_COUNTED - 2}}[a-z0-9])?$`), `must be 1-${ENVIRONMENT_MAX_COUNTED} lowercase letters, digits or hyphens, starting with a letter`)
  .superRefine(problem((name) => {
    const counted = connectorNameLength(name);
    return counted > ENVIRONMENT_MAX_COUNTED ? `counts ${counted} characters with each hyphen counting two; at most ${ENVIRONMENT_MAX_COUNTED} (it names the VPC Access connector, where Google counts hyphens twice)` : undefined;
  }));

/** A refinement from a function that returns the broken rule, or undefined. */
function problem(rule: (value: string) => string | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const message = rule(value);
    if (message) ctx.addIssue({ code: "custom", input: value, message });
  };
}

/** A string that follows a limit's text rule, worded as the limit words it. */
const text = (rule: TextRule) => z.string().regex(rule.pattern, rule.rule);
/** An integer within a limit, with the limit's default. */
const int = (limit: IntLimit) => bounded(limit).default(limit.default);
function bounded(range: { min: number; max: number }) {
  // z.int() takes safe integers only, so a max of Infinity bounds nothing more.
  return z.int().min(range.min, rangeRule(range)).max(range.max, rangeRule(range));
}
const port = bounded(TCP_PORT).default(DEFAULT_BACKEND_PORT);
const healthPath = text(HEALTH_PATH).default(DEFAULT_HEALTH_PATH);
const livenessPath = text(HEALTH_PATH).default(DEFAULT_LIVENESS_PATH);

/** An image with a tag or digest, as the stacks' backend_image validation wants it. */
const image = text(IMAGE);

/**
 * The application's own plain environment variables, beside the Redis contract's. Names follow the
 * cloud's rule; a value that looks like a secret (or a name that says so) is refused: secrets go in
 * `secrets`, as references.
 */
function applicationEnvironment(reserved: { names?: readonly string[]; prefix?: string }) {
  return z.record(z.string(), z.string()).superRefine((variables, ctx) => {
    for (const [name, value] of Object.entries(variables)) {
      const problem = variableNameProblem(name, reserved) ?? secretLikeProblem(name, value);
      if (problem) ctx.addIssue({ code: "custom", path: [name], input: name, message: `variable ${JSON.stringify(name)} ${problem}` });
    }
  });
}

/** The application's secret variables, by name: each a reference to an existing secret, never a value. */
function secretReferences<T extends z.ZodType>(reference: T, reserved: { names?: readonly string[]; prefix?: string }) {
  return z.record(z.string(), reference).superRefine((secrets, ctx) => {
    for (const name of Object.keys(secrets)) {
      const problem = variableNameProblem(name, reserved);
      if (problem) ctx.addIssue({ code: "custom", path: [name], input: name, message: `variable ${JSON.stringify(name)} ${problem}` });
    }
  });
}

/** A variable given both as a plain variable and as a secret. */
function bothPlainAndSecret(ctx: z.RefinementCtx, at: string[], environment: Record<string, string> | undefined, secrets: Record<string, unknown> | undefined): void {
  for (const name of Object.keys(secrets ?? {}).filter((n) => environment && n in environment)) {
    ctx.addIssue({ code: "custom", path: [...at, "secrets", name], input: name, message: `variable ${JSON.stringify(name)} is also in environment: give it once` });
  }
}

/** An RFC 1918 IPv4 CIDR, optionally of one exact prefix length. */
function privateCidr(exactPrefix?: number) {
  return z.string().superRefine((text, ctx) => {
    const range = parseCidr(text);
    if (typeof range === "string") return void ctx.addIssue({ code: "custom", message: range });
    if (!isPrivate(range)) ctx.addIssue({ code: "custom", message: "must lie in an RFC 1918 private range (10/8, 172.16/12, 192.168/16)" });
    if (exactPrefix !== undefined && range.prefix !== exactPrefix) {
      ctx.addIssue({ code: "custom", message: `must be a /${exactPrefix} range` });
    }
  });
}

/** The rule a CIDR breaks, or undefined: any IPv4 range (an ACL rule admits public addresses). */
function cidrProblem(text: string): string | undefined {
  const range = parseCidr(text);
  return typeof range === "string" ? range : undefined;
}

/** What the state bootstrap stack needs on both clouds (docs/state.md). */
const stateBootstrap = {
  /** Noncurrent versions of each state object kept for restores. */
  keepVersions: int(STATE.keepVersions),
  /** Where the bootstrap stack's own state is: "local" until the bucket exists, then "bucket". */
  bootstrap: z.enum(STATE.bootstrapModes).default(STATE.defaultBootstrap),
};

const gcpSchema = z
  .strictObject({
    /** GCP project ID the stack deploys into. */
    project: text(PROJECT_ID),
    /**
     * The project's number (`gcloud projects describe <project> --format='value(projectNumber)'`).
     * Required with `ci` and `state`: Workload Identity principals name the project by number.
     */
    projectNumber: text(PROJECT_NUMBER).optional(),
    /** Region of the subnet, connector, router and NAT, e.g. us-central1. */
    region: text(REGION),
    /** Serverless VPC Access: Cloud Run reaches the VPC through a connector. Or `directVpcEgress`. */
    connector: z
      .strictObject({
        /** The connector's dedicated /28 subnet (Serverless VPC Access requires exactly /28). */
        cidr: privateCidr(CONNECTOR.prefix),
        minInstances: int(CONNECTOR.minInstances),
        maxInstances: int(CONNECTOR.maxInstances),
        machineType: z.enum(CONNECTOR.machineTypes).default(CONNECTOR.defaultMachineType),
      })
      .optional(),
    /** Direct VPC egress, Google's recommended alternative: Cloud Run joins a subnet of ours. */
    directVpcEgress: z
      .strictObject({
        /** The Cloud Run subnet; Google asks for at least a /26. */
        cidr: privateCidr().refine((cidr) => { const r = parseCidr(cidr); return typeof r === "string" || r.prefix <= DIRECT_VPC_EGRESS.maxPrefix; }, `must be a /${DIRECT_VPC_EGRESS.maxPrefix} or larger`),
      })
      .optional(),
    redis: z.strictObject({
      /** The /29 Memorystore reserves for the instance; the firewall rule targets it. */
      cidr: privateCidr(),
      tier: z.enum(MEMORYSTORE.tiers).default(MEMORYSTORE.defaultTier),
      memorySizeGb: int(MEMORYSTORE.memorySizeGb),
      version: z.enum(MEMORYSTORE.versions).default(MEMORYSTORE.defaultVersion),
      /** TLS (SERVER_AUTHENTICATION); Memorystore then serves on 6378 instead of 6379. */
      transitEncryption: z.boolean(),
      /**
       * DIRECT_PEERING: `cidr` is the instance's /29. PRIVATE_SERVICE_ACCESS (what Shared VPC
       * needs): `cidr` is the range allocated to Google's services, /24 or larger.
       */
      connectMode: z.enum(MEMORYSTORE.connectModes).default(MEMORYSTORE.defaultConnectMode),
      /** When Google may update the instance (one hour, UTC); required in production (policy RN011). */
      maintenanceWindow: z.strictObject({ day: z.enum(WEEKDAYS), hour: bounded(MEMORYSTORE.maintenanceHour) }).optional(),
      /**
       * Redis configurations (`maxmemory-policy`, `notify-keyspace-events`, ...): only the keys
       * Memorystore allows for `version`. Unset keys take Google's defaults (`volatile-lru`).
       */
      redisConfigs: z.record(z.string(), z.string()).optional(),
      /** RDB snapshots, or none. @default Google's: DISABLED */
      persistence: z
        .strictObject({ mode: z.enum(MEMORYSTORE_PERSISTENCE.modes), rdbSnapshotPeriod: z.enum(MEMORYSTORE_PERSISTENCE.snapshotPeriods).optional() })
        .optional(),
      /** The instance's display name in the console. */
      displayName: text(MEMORYSTORE_DISPLAY_NAME).optional(),
    }),
    /** The Cloud Run backend service. */
    backend: z
      .strictObject({
        /** Service name; the environment is added by the naming function. */
        name: text(CLOUD_RUN.name).default(CLOUD_RUN.defaultName),
        port,
        /** What the startup probe GETs; the seeds' backend answers it with Redis's status. */
        healthPath,
        /** What the liveness probe GETs: the process alone answers it, never Redis (policy RN013). */
        livenessPath,
        minInstances: int(CLOUD_RUN.minInstances),
        maxInstances: int(CLOUD_RUN.maxInstances),
        /**
         * Who may call it: `allUsers` (a public invoker binding, what the seeds' public API
         * needs), `invokerIamDisabled` (no invoker check), or `authenticated` (grants made elsewhere).
         */
        invoker: z.enum(CLOUD_RUN_INVOKERS).default(CLOUD_RUN.defaultInvoker),
        /** Default of the backend_image variable; a deploy's -var or TF_VAR_backend_image wins. */
        image: image.optional(),
        /** The application's own plain variables (the Redis ones are the stack's); no secrets. */
        environment: applicationEnvironment({ names: CLOUD_RUN_SERVICE.reservedVariables }).optional(),
        /**
         * The application's secrets, by variable: each an existing Secret Manager secret of the
         * project (its ID) and the version to read; the stack grants the service account access.
         */
        secrets: secretReferences(
          z.strictObject({ secret: text(GCP_SECRET_ID), version: text(SECRET_VERSION).default("latest") }),
          { names: CLOUD_RUN_SERVICE.reservedVariables },
        ).optional(),
        /** Request timeout, seconds. @default Cloud Run's: 300 */
        timeoutSeconds: bounded(CLOUD_RUN_SERVICE.timeoutSeconds).optional(),
        /** Requests one instance serves at once. @default Cloud Run's: 80 */
        concurrency: bounded(CLOUD_RUN_SERVICE.concurrency).optional(),
        /** Where requests may come from. */
        ingress: z.enum(CLOUD_RUN_SERVICE.ingress).default(CLOUD_RUN_SERVICE.defaultIngress),
        /** GEN1 or GEN2. @default Cloud Run's choice */
        executionEnvironment: z.enum(CLOUD_RUN_SERVICE.executionEnvironments).optional(),
        /** What Cloud Run speaks to the container: http1 or h2c. @default http1 */
        protocol: z.enum(CLOUD_RUN_SERVICE.protocols).optional(),
      })
      .prefault({}),
    nat: z.strictObject({ enabled: z.boolean() }),
    /**
     * Shared VPC: the network, connector and firewall rules live in `hostProject`; Redis, secrets
     * and the service in `project`. Needs a connector and Memorystore PRIVATE_SERVICE_ACCESS.
     */
    sharedVpc: z
      .strictObject({
        hostProject: text(PROJECT_ID),
        /** The service project's number (its Cloud Run service agent is granted use of the connector). */
        serviceProjectNumber: text(PROJECT_NUMBER),
      })
      .optional(),
    /** Egress rules for a network whose egress is denied by default. */
    firewall: z.strictObject({ defaultDenyEgress: z.boolean().default(false) }).prefault({}),
    /**
     * Alerts on the Redis path; on by default in production (`enabled` overrides), where they must
     * notify someone.
     */
    alerts: z
      .strictObject({
        enabled: z.boolean().optional(),
        /** Existing Cloud Monitoring channels the alerts go to, by ID. */
        notificationChannels: z.array(text(NOTIFICATION_CHANNEL)).default([]),
        /** An email channel the stack creates for this address: a team list, not a person. */
        email: text(EMAIL).optional(),
        /**
         * A PagerDuty channel the stack creates. Its service key is the apply's
         * TF_VAR_alert_pagerduty_service_key, write-only; bump `keyVersion` to send a new one.
         */
        pagerDuty: z.strictObject({ keyVersion: int(PAGERDUTY_KEY_VERSION) }).optional(),
      })
      .prefault({}),
    /** Remote state in GCS; the local backend is used when absent. */
    state: z
      .strictObject({
        bucket: z.string().superRefine(problem(gcsBucketNameProblem)),
        /** Where in the bucket the environment's stack keeps its state. @default redis-network/<stack> */
        prefix: text(GCS_STATE_PREFIX).optional(),
        /** Bucket location. @default the region */
        location: text(GCS_LOCATION).optional(),
        /** IAM members that deploy; they get object access to the bucket (roles/storage.objectUser). */
        writers: z.array(text(IAM_MEMBER)).default([]),
        ...stateBootstrap,
      })
      .optional(),
    /**
     * Enable the Google APIs the stack uses (google_project_service, never disabled on destroy),
     * and make every resource wait for them. Off: enable them once by hand (docs/operations.md, "Plan and deploy").
     */
    enableApis: z.boolean().default(false),
    /**
     * Live resources this stack takes over instead of creating (Terraform `import` blocks): the
     * network, which must carry the stack's name `<env>-vpc`, and the Memorystore instance, whose
     * live name the stack then keeps (a rename would replace it and lose its data).
     */
    adopt: z
      .strictObject({
        network: z.string().optional(),
        redis: z.string().regex(MEMORYSTORE_NAME.pattern, "must be a Memorystore instance name: at most 40 lowercase letters, digits or hyphens").optional(),
      })
      .optional(),
  })
  .superRefine((gcp, ctx) => {
    if (!gcp.connector === !gcp.directVpcEgress) {
      ctx.addIssue({ code: "custom", path: ["connector"], input: gcp.connector, message: "configure exactly one of connector (Serverless VPC Access) and directVpcEgress" });
    }
    if (gcp.connector && gcp.connector.minInstances >= gcp.connector.maxInstances) {
      ctx.addIssue({ code: "custom", path: ["connector", "maxInstances"], input: gcp.connector.maxInstances, message: `must be greater than connector.minInstances (${gcp.connector.minInstances})` });
    }
    if (gcp.sharedVpc) {
      if (gcp.sharedVpc.hostProject === gcp.project) ctx.addIssue({ code: "custom", path: ["sharedVpc", "hostProject"], input: gcp.sharedVpc.hostProject, message: "must differ from project (the service project)" });
      if (!gcp.connector) ctx.addIssue({ code: "custom", path: ["sharedVpc"], input: gcp.sharedVpc, message: "is supported with a connector, not directVpcEgress" });
      if (gcp.redis.connectMode !== "PRIVATE_SERVICE_ACCESS") ctx.addIssue({ code: "custom", path: ["redis", "connectMode"], input: gcp.redis.connectMode, message: "must be PRIVATE_SERVICE_ACCESS with sharedVpc (Memorystore cannot peer directly with a host project's network)" });
    }
    // A malformed range already has its error; a prefix rule on it would be a second, false one.
    const redisRange = parseCidr(gcp.redis.cidr);
    const redisPrefix = typeof redisRange === "string" ? undefined : redisRange.prefix;
    if (redisPrefix !== undefined && gcp.redis.connectMode === "DIRECT_PEERING" && redisPrefix !== MEMORYSTORE.directPeeringPrefix) {
      ctx.addIssue({ code: "custom", path: ["redis", "cidr"], input: gcp.redis.cidr, message: `must be a /${MEMORYSTORE.directPeeringPrefix} range with connectMode DIRECT_PEERING` });
    }
    const psaProblem = redisPrefix !== undefined && gcp.redis.connectMode === "PRIVATE_SERVICE_ACCESS" ? privateServiceAccessRangeProblem(redisPrefix) : undefined;
    if (psaProblem) {
      ctx.addIssue({ code: "custom", path: ["redis", "cidr"], input: gcp.redis.cidr, message: `${psaProblem} with connectMode PRIVATE_SERVICE_ACCESS (it is allocated to Google's services)` });
    }
    for (const [key, value] of Object.entries(gcp.redis.redisConfigs ?? {})) {
      const broken = memorystoreConfigProblem(gcp.redis.version, key, value);
      if (broken) ctx.addIssue({ code: "custom", path: ["redis", "redisConfigs", key], input: value, message: `${JSON.stringify(key)} ${broken}` });
    }
    bothPlainAndSecret(ctx, ["backend"], gcp.backend.environment, gcp.backend.secrets);
    if (gcp.backend.minInstances > gcp.backend.maxInstances) {
      ctx.addIssue({ code: "custom", path: ["backend", "minInstances"], input: gcp.backend.minInstances, message: `must not exceed backend.maxInstances (${gcp.backend.maxInstances})` });
    }
    disjoint(ctx, { "connector.cidr": gcp.connector?.cidr, "directVpcEgress.cidr": gcp.directVpcEgress?.cidr, "redis.cidr": gcp.redis.cidr });
  })
  // The refinement above admits exactly one serverless path: the type says so too.
  .transform((gcp) => gcp as ServerlessPath<typeof gcp>);

/**
 * How Cloud Run reaches the VPC, one or the other: a Serverless VPC Access `connector`, or
 * `directVpcEgress` (the diagram's two paths). `if (gcp.connector)` narrows to one of them.
 */
type ServerlessPath<T extends { connector?: unknown; directVpcEgress?: unknown }> =
  | (Omit<T, "connector" | "directVpcEgress"> & { connector: NonNullable<T["connector"]>; directVpcEgress?: undefined })
  | (Omit<T, "connector" | "directVpcEgress"> & { connector?: undefined; directVpcEgress: NonNullable<T["directVpcEgress"]> });

/** A live object the stack takes over: the ID the provider imports and the live name it keeps. */
function scalewayAdopted(locality: "zone" | "region", example: string) {
  return z.strictObject({
    id: text(importId(locality, example)),
    /** The live name: renaming replaces the resource. */
    name: text(LIVE_NAME),
  });
}

const scalewaySchema = z
  .strictObject({
    /**
     * The Scaleway project the stack deploys into. Required: without it the stack deploys wherever
     * the credentials point, and two environments end up in one project.
     */
    projectId: z.uuid(PROJECT_ID_RULE),
    /** Consent to share `projectId` with another environment; both must say so. */
    sharedProject: z.boolean().default(false),
    region: z.enum(REGIONS),
    /** Redis is zonal: the zone must lie in `region`, where the private network lives. */
    zone: text(ZONE),
    privateNetwork: z.strictObject({ cidr: privateCidr() }),
    redis: z.strictObject({
      version: z.string().superRefine(problem(redisVersionProblem)),
      nodeType: text(REDIS.nodeType),
      /** 1: standalone; 2: high availability (a main node and a standby); 3 or more: cluster mode. */
      clusterSize: int(REDIS.clusterSize),
      userName: z.string().superRefine(problem(redisUserNameProblem)),
      tls: z.boolean(),
      /** Bump to rotate the password: a new one is generated, written to Redis and to REDIS_URL. */
      passwordVersion: int(REDIS.passwordVersion),
      /** Cluster settings (`maxmemory-policy`, `tcp-keepalive`, ...): only those Managed Redis lets a user set. */
      settings: z
        .record(z.string(), z.string())
        .superRefine((settings, ctx) => {
          for (const [name, value] of Object.entries(settings)) {
            const broken = redisSettingProblem(name, value);
            if (broken) ctx.addIssue({ code: "custom", path: [name], input: value, message: `${JSON.stringify(name)} ${broken}` });
          }
        })
        .optional(),
      /** Tags besides the environment's own (an adopted cluster keeps its live ones). */
      tags: z.array(text(TAG)).optional(),
      /** Refused with its reason, since it is the setting people reach for first. */
      acl: z
        .undefined({ error: "is not supported: ACLs guard only a public endpoint, and Redis here has only its private-network endpoint (the provider's acl conflicts with private_network)" })
        .optional(),
    }),
    container: z.strictObject({
      /** Name of the backend container; the environment is added by the naming function. */
      name: text(CONTAINER.name),
      port,
      /** What the startup probe GETs; the seeds' backend answers it with Redis's status. */
      healthPath,
      /** What the liveness probe GETs: the process alone answers it, never Redis (policy RN013). */
      livenessPath,
      minScale: int(CONTAINER.minScale),
      maxScale: int(CONTAINER.maxScale),
      cpuLimit: int(CONTAINER.cpuLimit),
      memoryLimitBytes: int(CONTAINER.memoryLimitBytes),
      /** Default of the backend_image variable; a deploy's -var or TF_VAR_backend_image wins. */
      image: image.optional(),
      /** The application's own plain variables (the Redis ones are the stack's); no secrets. */
      environment: applicationEnvironment({ prefix: CONTAINER_SERVICE.reservedPrefix }).optional(),
      /**
       * The application's secrets, by variable: each an existing Scaleway Secret Manager secret
       * (`<region>/<uuid>`) and the revision to read; the container gets its value as a secret
       * environment variable. The plan reads it, so the plan identity needs access to it.
       */
      secrets: secretReferences(
        z.strictObject({ secret: text(SCW_SECRET_ID), version: text(SECRET_REVISION).default("latest") }),
        { prefix: CONTAINER_SERVICE.reservedPrefix },
      ).optional(),
      /** Request timeout, seconds. @default Scaleway's: 300 */
      timeoutSeconds: bounded(CONTAINER_SERVICE.timeoutSeconds).optional(),
      /** Concurrent requests per instance before another starts. @default Scaleway's: 50 */
      concurrency: bounded(CONTAINER_SERVICE.concurrency).optional(),
      /** public, or private (callers need a token). @default public */
      privacy: z.enum(CONTAINER_SERVICE.privacy).optional(),
      /** http1 or h2c. @default http1 */
      protocol: z.enum(CONTAINER_SERVICE.protocols).optional(),
      /** The execution environment, v1 or v2. @default Scaleway's */
      sandbox: z.enum(CONTAINER_SERVICE.sandboxes).optional(),
      /** Tags of the container besides the environment's own. */
      tags: z.array(text(TAG)).optional(),
      /** Tags of its namespace besides the environment's own. */
      namespaceTags: z.array(text(TAG)).optional(),
    }),
    /**
     * Cockpit's Redis alerts; on by default in production (`enabled` overrides), where they must
     * notify someone.
     */
    alerts: z
      .strictObject({
        enabled: z.boolean().optional(),
        /** Addresses the alerts go to (Cockpit contact points); none: Cockpit's Grafana only. */
        contactEmails: z.array(text(EMAIL)).default([]),
      })
      .prefault({}),
    /** Remote state in Scaleway Object Storage through the S3 backend; local when absent. */
    state: z
      .strictObject({
        bucket: z.string().superRefine(problem(objectStorageBucketNameProblem)),
        /** The object the environment's stack keeps its state in. @default redis-network/<stack>.tfstate */
        key: text(S3_STATE_KEY).optional(),
        /** Object Storage region of the bucket. @default the region */
        region: z
          .string()
          .superRefine(problem(objectStorageRegionProblem))
          .transform((region) => region as ObjectStorageRegion)
          .optional(),
        /** Principals that deploy (application_id:<uuid>); the bucket policy gives them object access. */
        writers: z.array(text(PRINCIPAL)).default([]),
        /** Principals that keep full access once a bucket policy exists (whoever bootstraps it). */
        owners: z.array(text(PRINCIPAL)).default([]),
        ...stateBootstrap,
      })
      .superRefine((state, ctx) => {
        if (state.writers.length && !state.owners.length) {
          ctx.addIssue({ code: "custom", path: ["owners"], input: state.owners, message: "is required with writers: a bucket policy applies to everyone, and without an owner whoever bootstraps the bucket locks themselves out" });
        }
      })
      .optional(),
    /**
     * Encrypt the state and plans with OpenTofu's state encryption (the Scaleway team runs
     * OpenTofu; Terraform refuses such a stack). The passphrase is given at deploy time.
     */
    encryptState: z.boolean().default(false),
    /** Live resources the stack takes over (import blocks) instead of creating. */
    adopt: z
      .strictObject({
        redis: scalewayAdopted("zone", "fr-par-1").extend({
          /**
           * "public": the cluster keeps its public endpoint behind `publicAcl` (the live rules) and
           * the backend still reaches it there; "private": its endpoint moves to the private network.
           */
          step: z.enum(CUTOVER_STEPS),
          publicAcl: z.array(z.strictObject({ ip: z.string().superRefine(problem(cidrProblem)), description: z.string() })).min(1).optional(),
        }).optional(),
        namespace: scalewayAdopted("region", "fr-par").optional(),
        container: scalewayAdopted("region", "fr-par").optional(),
      })
      .optional(),
  })
  .superRefine((scw, ctx) => {
    const { adopt } = scw;
    for (const [key, locality] of [["redis", scw.zone], ["namespace", scw.region], ["container", scw.region]] as const) {
      const id = adopt?.[key]?.id;
      if (id && !id.startsWith(`${locality}/`)) ctx.addIssue({ code: "custom", path: ["adopt", key, "id"], input: id, message: `must lie in ${locality}, where the stack puts it` });
    }
    if (adopt?.redis?.step === "public" && !adopt.redis.publicAcl) {
      ctx.addIssue({ code: "custom", path: ["adopt", "redis", "publicAcl"], input: undefined, message: 'is required with step "public": the live ACL rules, which the apply would otherwise replace' });
    }
    if (adopt?.redis?.step === "private" && adopt.redis.publicAcl) {
      ctx.addIssue({ code: "custom", path: ["adopt", "redis", "publicAcl"], input: adopt.redis.publicAcl, message: 'must be removed with step "private": the endpoint moves to the private network, and ACLs guard only a public one' });
    }
    if (!scw.zone.startsWith(`${scw.region}-`)) {
      ctx.addIssue({ code: "custom", path: ["zone"], input: scw.zone, message: `must lie in region ${scw.region} (Redis is zonal, the private network regional)` });
    }
    for (const [name, { secret }] of Object.entries(scw.container.secrets ?? {})) {
      if (!secret.startsWith(`${scw.region}/`)) ctx.addIssue({ code: "custom", path: ["container", "secrets", name, "secret"], input: secret, message: `must lie in ${scw.region}, the container's region` });
    }
    bothPlainAndSecret(ctx, ["container"], scw.container.environment, scw.container.secrets);
    if (scw.container.minScale > scw.container.maxScale) {
      ctx.addIssue({ code: "custom", path: ["container", "minScale"], input: scw.container.minScale, message: `must not exceed container.maxScale (${scw.container.maxScale})` });
    }
  });

const environmentSchema = z
  .strictObject({
    /** Production stacks get deletion protection and the stricter policy rules (TLS, no public Redis). */
    production: z.boolean().default(false),
    gcp: gcpSchema.optional(),
    scaleway: scalewaySchema.optional(),
  })
  .refine((env) => env.gcp || env.scaleway, "must configure at least one cloud (gcp or scaleway)")
  .superRefine((env, ctx) => {
    // An alert nobody receives is an outage found by the customers first.
    if (!env.production) return;
    const gcp = env.gcp?.alerts;
    if (gcp && (gcp.enabled ?? true) && !gcp.email && !gcp.pagerDuty && !gcp.notificationChannels.length) {
      ctx.addIssue({ code: "custom", path: ["gcp", "alerts"], input: gcp, message: "production alerts notify no one: add alerts.email (a team address), alerts.pagerDuty or alerts.notificationChannels" });
    }
    const scw = env.scaleway?.alerts;
    if (scw && (scw.enabled ?? true) && !scw.contactEmails.length) {
      ctx.addIssue({ code: "custom", path: ["scaleway", "alerts"], input: scw, message: "production alerts notify no one: add alerts.contactEmails (a team address)" });
    }
  })
  // Defaults that depend on `production` are resolved here, once: stacks read `alerts.enabled` as is.
  .transform((env) => ({
    ...env,
    ...(env.gcp && { gcp: { ...env.gcp, alerts: { ...env.gcp.alerts, enabled: env.gcp.alerts.enabled ?? env.production } } }),
    ...(env.scaleway && { scaleway: { ...env.scaleway, alerts: { ...env.scaleway.alerts, enabled: env.scaleway.alerts.enabled ?? env.production } } }),
  }));

export const configSchema = z
  .strictObject({
    /**
     * The GitHub repository whose workflows plan and deploy. With it, each environment's bootstrap
     * stacks (`state`) create the CI identities: a read-only plan identity and a deploy identity.
     */
    ci: z.strictObject({ repository: z.string().superRefine(problem(githubRepositoryProblem)) }).optional(),
    environments: z.record(environmentName, environmentSchema).refine((envs) => Object.keys(envs).length > 0, "must define at least one environment"),
  })
  .superRefine((config, ctx) => {
    for (const [environment, { gcp }] of Object.entries(config.environments)) {
      if (gcp) composedGcpNames(ctx, environment, gcp);
      if (gcp?.state && config.ci) gcpCiIdentities(ctx, environment, gcp);
    }
    oneEnvironmentPerProject(ctx, config.environments);
    const withGcpIdentities = Object.entries(config.environments).filter(([, { gcp }]) => gcp?.state).map(([environment]) => environment);
    if (config.ci && withGcpIdentities.length) gcpCiSubjects(ctx, config.ci.repository, withGcpIdentities);
    oneAlertManagerPerProject(ctx, config.environments);
  });

export type Config = z.output<typeof configSchema>;
export type EnvironmentConfig = Config["environments"][string];
export type GcpConfig = NonNullable<EnvironmentConfig["gcp"]>;
export type ScalewayConfig = NonNullable<EnvironmentConfig["scaleway"]>;

/**
 * Names made of two fields, each valid alone: reported on the config fields that make them, before
 * any construct sees them.
 */
function composedGcpNames(ctx: z.RefinementCtx, environment: string, gcp: GcpConfig): void {
  const at = ["environments", environment, "gcp"];
  const names = gcpNames(environment, gcp.backend.name);
  const connector = names.connector;
  // Stryker disable all: a guard; the environment-name rule keeps every valid environment's connector name within Google's limit
  const connectorProblem = gcp.connector && connectorNameProblem(connector);
  if (connectorProblem) {
    ctx.addIssue({ code: "custom", path: ["environments", environment], input: environment, message: `gives the connector name ${JSON.stringify(connector)}, which ${connectorProblem}` });
  }
  // Stryker restore all

  if (gcp.adopt?.network !== undefined && gcp.adopt.network !== names.network) {
    ctx.addIssue({ code: "custom", path: [...at, "adopt", "network"], input: gcp.adopt.network, message: `must be the stack's network name ${JSON.stringify(names.network)}: a network is renamed only by replacing it` });
  }
  if (gcp.adopt?.redis !== undefined && !gcp.adopt.redis.startsWith(scopedName(environment, ""))) {
    ctx.addIssue({ code: "custom", path: [...at, "adopt", "redis"], input: gcp.adopt.redis, message: `must start with "${scopedName(environment, "")}": every name carries its environment` });
  }
  const account = names.backend;
  if (!SERVICE_ACCOUNT_ID.pattern.test(account)) {
    ctx.addIssue({
      code: "custom",
      path: [...at, "backend", "name"],
      input: gcp.backend.name,
      message: `with environment ${JSON.stringify(environment)} gives the service account ID ${JSON.stringify(account)} (${account.length} characters); the environment name, "-" and gcp.backend.name together must be 6-30 characters`,
    });
  }
}

/**
 * Each environment in its own Scaleway project: shared, one environment's IAM, quotas and Cockpit
 * reach the other's. Two may share one only where both say so (`sharedProject`).
 */
function oneEnvironmentPerProject(ctx: z.RefinementCtx, environments: Config["environments"]): void {
  const owners = new Map<string, { environment: string; shared: boolean }>();
  for (const [environment, { scaleway }] of Object.entries(environments)) {
    if (!scaleway) continue;
    const owner = owners.get(scaleway.projectId);
    if (owner && !(owner.shared && scaleway.sharedProject)) {
      ctx.addIssue({
        code: "custom",
        path: ["environments", environment, "scaleway", "projectId"],
        input: scaleway.projectId,
        message: `is also environment ${owner.environment}'s project: give ${owner.environment} and ${environment} a Scaleway project each, or set scaleway.sharedProject: true in both to share it`,
      });
    }
    if (!owner) owners.set(scaleway.projectId, { environment, shared: scaleway.sharedProject });
  }
}

/**
 * What the GCP CI identities need: the project number their principals name, IDs within Google's
 * limits, and subjects Google accepts. Made in the bootstrap stack, so checked where `state` is.
 */
function gcpCiIdentities(ctx: z.RefinementCtx, environment: string, gcp: GcpConfig): void {
  const at = ["environments", environment, "gcp"];
  if (gcp.projectNumber === undefined) {
    ctx.addIssue({ code: "custom", path: [...at, "projectNumber"], input: undefined, message: "is required with ci and state: the bootstrap stack binds the CI service accounts to Workload Identity principals, which name the project by number" });
  }
  const names = gcpCiIdentityNames(environment);
  for (const [what, id] of [["Workload Identity pool", names.pool], ["Workload Identity provider", names.provider]]) {
    if (!WORKLOAD_IDENTITY_ID.pattern.test(id)) ctx.addIssue({ code: "custom", path: ["environments", environment], input: environment, message: `gives the ${what} ID ${JSON.stringify(id)}, which ${WORKLOAD_IDENTITY_ID.rule}` });
  }
  // Stryker disable next-line BlockStatement: the guard below never fires (see there)
  for (const account of Object.values(names.serviceAccount)) {
    // Stryker disable next-line all: a guard; an environment name of at most 15 characters keeps both account IDs within Google's 6-30
    if (!SERVICE_ACCOUNT_ID.pattern.test(account)) ctx.addIssue({ code: "custom", path: ["environments", environment], input: environment, message: `gives the CI service account ID ${JSON.stringify(account)}, which ${SERVICE_ACCOUNT_ID.rule}` });
  }
}

/** The token subjects the GCP CI identities trust must fit Google's `google.subject`. */
function gcpCiSubjects(ctx: z.RefinementCtx, repository: string, environments: string[]): void {
  const subjects = [githubSubject.pullRequest(repository), githubSubject.ref(repository, DEFAULT_BRANCH_REF), ...environments.map((env) => githubSubject.environment(repository, stackName("gcp", env)))];
  for (const subject of subjects.filter((s) => Buffer.byteLength(s) > WORKLOAD_IDENTITY_SUBJECT_MAX)) {
    ctx.addIssue({ code: "custom", path: ["ci", "repository"], input: repository, message: `gives the token subject ${JSON.stringify(subject)} (${Buffer.byteLength(subject)} bytes); Google maps subjects of at most ${WORKLOAD_IDENTITY_SUBJECT_MAX} bytes` });
  }
}

/**
 * Cockpit has one alert manager per project and region: two stacks managing it would overwrite
 * each other's contacts, and destroying one would disable it for both. Only environments that
 * share a project (`sharedProject`) can meet here.
 */
function oneAlertManagerPerProject(ctx: z.RefinementCtx, environments: Config["environments"]): void {
  const owners = new Map<string, string>();
  for (const [environment, { scaleway }] of Object.entries(environments)) {
    if (!scaleway || !scaleway.alerts.enabled) continue;
    const key = `${scaleway.projectId}/${scaleway.region}`;
    const owner = owners.get(key);
    if (owner) {
      ctx.addIssue({ code: "custom", path: ["environments", environment, "scaleway", "alerts", "enabled"], input: true, message: `environment ${owner} already alerts in project ${scaleway.projectId} (${scaleway.region}), which has one Cockpit alert manager; enable alerts in one of them` });
    }
    owners.set(key, owner ?? environment);
  }
}

/** Reports every pair of the named ranges that overlap, on the second range of the pair. */
function disjoint(ctx: z.RefinementCtx, named: Record<string, string | undefined>): void {
  const ranges = Object.entries(named).flatMap(([name, text]) => {
    if (text === undefined) return [];
    const range = parseCidr(text);
    return typeof range === "string" ? [] : [{ name, text, range }];
  });
  ranges.forEach((b, i) =>
    ranges.slice(0, i).forEach((a) => {
      if (overlaps(a.range as Ipv4Range, b.range)) {
        ctx.addIssue({ code: "custom", path: b.name.split("."), input: b.text, message: `overlaps ${a.name} (${a.text})` });
      }
    }),
  );
}
