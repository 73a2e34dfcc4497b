/**
 * Terraform addresses are an API: live state and the hand-written `reference/` know each resource
 * as `<type>.<logical id>`, and renaming one destroys and recreates the resource. Every construct
 * takes its logical IDs through its props, and the stacks pass them from this table (constructs/
 * never import it); whatever the TypeScript names,
 * `__tests__/fast/stacks/logical-ids.test.ts` pins the table against the synthesized stacks.
 */
export const LOGICAL_ID = {
  gcp: {
    network: "vpc",
    connectorSubnet: "connector",
    connector: "connector",
    cloudRunSubnet: "cloud_run",
    router: "router",
    nat: "nat",
    redis: "main",
    /** The allocated range and the service networking connection (PRIVATE_SERVICE_ACCESS). */
    redisPrivateServiceAccess: "redis_psa",
    /** A secret and its version: `redis_host`, `redis_port`, `redis_auth`, `redis_url`, `redis_ca_cert`. */
    redisSecret: (part: string) => `redis_${part}`,
    backend: "backend",
    /** The backend's access to one secret, named for the secret: a renamed variable keeps the grant. */
    backendSecretAccess: (secret: string) => `backend_${secret}`,
    /** The backend's access to one of the application's own secrets, by its Secret Manager ID. */
    backendApplicationSecretAccess: (secretId: string) => `backend_app_${secretId}`,
    backendPublicInvoker: "backend_public_invoker",
    /** The uptime check of the backend's health path, and the alert policies on it and on Redis. */
    backendHealthCheck: "backend_health",
    alert: {
      redisRejectedConnections: "redis_rejected_connections",
      redisMemory: "redis_memory",
      connectorDown: "connector_down",
      connectorSaturated: "connector_saturated",
      backendHealth: "backend_health",
    },
    /** The notification channels the alerts create (`google_monitoring_notification_channel`). */
    alertChannel: { email: "email", pagerDuty: "pagerduty" },
    firewall: {
      redis: "allow_vpc_connector_to_redis",
      internal: "allow_internal_vpc_communication",
      denyAllEgress: "deny_all_egress",
      redisEgress: "allow_vpc_connector_egress_to_redis",
      serverlessToConnector: "serverless_to_vpc_connector",
      connectorToServerless: "vpc_connector_to_serverless",
      connectorHealthChecks: "vpc_connector_health_checks",
      connectorRequests: "vpc_connector_requests",
    },
    sharedVpcGrant: { vpcAccessUser: "cloud_run_vpcaccess_user", networkViewer: "cloud_run_network_viewer" },
    /** An enabled API, by its short name (`compute`); `host_` in a Shared VPC host project. */
    api: (short: string, inHostProject: boolean) => (inHostProject ? `host_${short}` : short),
    /** The Connectivity Test from the serving revision to Redis (`npm run reachability`). */
    connectivityTest: "serverless_to_redis",
    stateBucket: "state",
    stateWriter: (index: number) => `state_writer_${index}`,
    /** The GitHub Workload Identity pool and its OIDC provider. */
    ciPool: "github",
    /**
     * A CI service account (`ci_plan`, `ci_deploy`), its state bucket access (`ci_plan_state`) and
     * each kind of job that may act as it (`ci_plan_pull_request`).
     */
    ci: (part: string) => `ci_${part}`,
    /**
     * A CI service account's role in a project (`ci_plan_compute_network_viewer`), its custom role
     * (`ci_plan`) and that role's grant (`ci_plan_custom`); `host_` in a Shared VPC host project.
     */
    ciGrant: (part: string, inHostProject: boolean) => (inHostProject ? `host_ci_${part}` : `ci_${part}`),
  },
  scaleway: {
    vpc: "main",
    privateNetwork: "main",
    redis: "main",
    redisPassword: "redis",
    namespace: "main",
    container: "backend",
    /** The read of one of the application's secrets (a data source), by its variable, lower case. */
    applicationSecret: (variable: string) => `app_${variable.toLowerCase()}`,
    /** Cockpit's alert manager (one per project and region). */
    alertManager: "main",
    stateBucket: "state",
    /** A CI identity's IAM application and its policy (`ci_plan`, `ci_deploy`). */
    ci: (identity: string) => `ci_${identity}`,
  },
} as const;
