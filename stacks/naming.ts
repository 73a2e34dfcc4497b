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
