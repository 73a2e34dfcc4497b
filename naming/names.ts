/**
 * The one place names are made: every GCP and Scaleway resource name and every stack name goes
 * through here, so no name can say "staging" unless the environment is staging. The configuration
 * schema checks the composed names against the clouds' limits before any construct sees them.
 */
export function scopedName(environment: string, part: string): string {
  return `${environment}-${part}`;
}

export type Cloud = "gcp" | "scaleway";

/** Stack names: `gcp-staging`, `scaleway-production`, ... (`cdktf deploy <stack>`). */
export function stackName(cloud: Cloud, environment: string): string {
  return scopedName(cloud, environment);
}

/** The stack that creates an environment's state bucket: `state-gcp-staging`, ... */
export function stateStackName(cloud: Cloud, environment: string): string {
  return scopedName("state", stackName(cloud, environment));
}

/**
 * The connector's name: `<env>-vac` (VPC Access connector). Google counts each hyphen twice and
 * wants fewer than 21, so the suffix is short enough for any environment name the schema allows.
 */
export function connectorName(environment: string): string {
  return scopedName(environment, "vac");
}

/** The backend's service account ID (6-30 characters), also the Cloud Run service name. */
export function backendName(environment: string, backend: string): string {
  return scopedName(environment, backend);
}

/** Every name of one environment's GCP stack. */
export function gcpNames(environment: string, backend: string) {
  const name = (part: string) => scopedName(environment, part);
  return {
    network: name("vpc"),
    connector: connectorName(environment),
    connectorSubnet: name("connector-subnet"),
    cloudRunSubnet: name("cloud-run-subnet"),
    cloudRunTag: name("cloud-run"),
    redis: name("redis"),
    redisAllocatedRange: name("redis-psa"),
    /** Secret IDs are `<prefix>-host`, `-port`, `-auth`, `-url`, `-ca-cert`. */
    redisSecretPrefix: name("redis"),
    router: name("router"),
    nat: name("nat"),
    backend: backendName(environment, backend),
    /** The Connectivity Test of the path from the serving revision to Redis. */
    connectivityTest: name("serverless-to-redis"),
  };
}
export type GcpNames = ReturnType<typeof gcpNames>;

/**
 * A firewall rule's name, from its Terraform address name (`allow_vpc_connector_to_redis` →
 * `<env>-allow-vpc-connector-to-redis`). Firewall names are project-wide: the environment keeps
 * two environments sharing one project from colliding (the hand-written names carried none).
 */
export function firewallRuleName(environment: string, logicalId: string): string {
  return scopedName(environment, logicalId.replace(/_/g, "-"));
}

/** Every name of one environment's Scaleway stack (adopted resources keep their live names). */
export function scalewayNames(environment: string, container: string) {
  const name = (part: string) => scopedName(environment, part);
  return {
    vpc: name("vpc"),
    privateNetwork: name("private-network"),
    redis: name("redis"),
    namespace: name("containers"),
    container: name(container),
  };
}

/** Where each stack's state lives inside its bucket. */
export function stateKey(stack: string): string {
  return `redis-network/${stack}`;
}

/** The cloud and environment a stack name (`gcp-staging`, `state-scaleway-qa`) stands for. */
export function parseStackName(stack: string): { cloud: Cloud; environment: string; bootstrap: boolean } | undefined {
  const match = /^(state-)?(gcp|scaleway)-(.+)$/.exec(stack);
  return match ? { bootstrap: Boolean(match[1]), cloud: match[2] as Cloud, environment: match[3] } : undefined;
}

/** The two CI identities of an environment: plan (read-only) and deploy. */
export type CiIdentity = "plan" | "deploy";

/**
 * The names of an environment's GitHub CI identities on Google Cloud: the Workload Identity pool
 * and provider (4-32 characters), the plan and deploy service accounts (6-30), and the plan
 * identity's custom role (no hyphens: the environment's hyphens become underscores).
 */
export function gcpCiIdentityNames(environment: string) {
  const name = (part: string) => scopedName(environment, part);
  return {
    pool: name("github"),
    provider: name("github-actions"),
    serviceAccount: { plan: name("ci-plan"), deploy: name("ci-deploy") } satisfies Record<CiIdentity, string>,
    planRole: `${environment.replace(/-/g, "_")}_ci_plan`,
  };
}

/** The names of an environment's CI identities on Scaleway: an IAM application and its policy each. */
export function scalewayCiIdentityNames(environment: string): Record<CiIdentity, string> {
  return { plan: scopedName(environment, "ci-plan"), deploy: scopedName(environment, "ci-deploy") };
}

/** A service account's email, from its ID and project. */
export function serviceAccountEmail(accountId: string, project: string): string {
  return `${accountId}@${project}.iam.gserviceaccount.com`;
}

/**
 * The repository secrets holding an environment's Scaleway plan API key (one per environment, as
 * the plan application is): `SCW_PLAN_ACCESS_KEY_<ENV>`, `SCW_PLAN_SECRET_KEY_<ENV>`. GitHub
 * secret names take letters, digits and underscores only.
 */
export function scalewayPlanKeySecrets(environment: string): { accessKey: string; secretKey: string } {
  const suffix = environment.toUpperCase().replace(/-/g, "_");
  return { accessKey: `SCW_PLAN_ACCESS_KEY_${suffix}`, secretKey: `SCW_PLAN_SECRET_KEY_${suffix}` };
}
