// Opt-in topologies no shipped environment uses, so the equivalence proof never plans them:
// `npm run verify` synthesizes these variants of the shipped configuration and validates and plans
// them with the real provider too.
/** The configuration file's JSON (config/environments.json), before the schema reads it. */
type RawConfig = { ci?: unknown; environments: Record<string, any> };

export const VARIANTS: Record<string, { description: string; apply(config: RawConfig): RawConfig }> = {
  "direct-psa-deny-egress": {
    description: "directVpcEgress, Memorystore PRIVATE_SERVICE_ACCESS, defaultDenyEgress",
    apply(config) {
      const gcp = config.environments.staging.gcp;
      delete gcp.adopt; // the live staging Redis uses direct peering
      delete gcp.connector;
      gcp.directVpcEgress = { cidr: "10.2.0.0/26" };
      gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS";
      gcp.redis.cidr = "10.166.0.0/24";
      gcp.firewall = { defaultDenyEgress: true };
      gcp.nat = { enabled: false };
      return { environments: { staging: { ...config.environments.staging, scaleway: undefined } } };
    },
  },
  "shared-vpc": {
    description: "connector in a Shared VPC host project, Memorystore PRIVATE_SERVICE_ACCESS, APIs enabled by the stack",
    apply(config) {
      const gcp = config.environments.production.gcp;
      gcp.enableApis = true;
      gcp.sharedVpc = { hostProject: "netra-network-host", serviceProjectNumber: "123456789012" };
      gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS";
      gcp.redis.cidr = "10.166.0.0/24";
      return { environments: { production: { ...config.environments.production, scaleway: undefined } } };
    },
  },
  "state-buckets": {
    description: "remote state for both clouds, with the bootstrap stacks that create the versioned buckets, their deployers' access and the CI identities (in the bucket policy)",
    apply(config) {
      const { staging } = config.environments;
      staging.gcp.state = { bucket: "netra-staging-tfstate", writers: ["serviceAccount:deploy@netra-staging.iam.gserviceaccount.com"] };
      staging.scaleway.state = {
        bucket: "gift-genie-tfstate",
        writers: ["application_id:5f2c1e8a-0b7d-4c3e-9a61-2d8f4b7e0c19"],
        owners: ["user_id:8d3a6f10-4c2b-4e7a-b915-0f6e2c8d1a47"],
      };
      return { ci: config.ci, environments: { staging } };
    },
  },
};
