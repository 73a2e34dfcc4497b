// Opt-in topologies no shipped environment uses, so the equivalence proof never plans them:
// `npm run verify` synthesizes these variants of the shipped configuration and validates and plans
// them with the real provider too.
const VARIANTS = {
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
};

module.exports = { VARIANTS };
