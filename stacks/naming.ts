/**
 * The one place environment-scoped names are made: every GCP and Scaleway resource name and every
 * stack name goes through here, so no name can say "staging" unless the environment is staging.
 */
export function scopedName(environment: string, part: string): string {
  return `${environment}-${part}`;
}

export type Cloud = "gcp" | "scaleway";

/** Stack names: `gcp-staging`, `scaleway-production`, ... (`cdktf deploy <stack>`). */
export function stackName(cloud: Cloud, environment: string): string {
  return scopedName(cloud, environment);
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

/** The stack that creates an environment's state bucket: `state-gcp-staging`, ... */
export function stateStackName(cloud: Cloud, environment: string): string {
  return scopedName("state", stackName(cloud, environment));
}
