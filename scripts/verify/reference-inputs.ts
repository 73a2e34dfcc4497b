// The hand-written reference's variables for one environment, from config/environments.json as the
// stacks read it (config/load.ts, the schema's defaults applied): the one source of each value, so
// an environment is added or changed there alone. Names and ports are written out here, not taken
// from naming/ or limits/: the reference states them independently of the code it checks.
import { EnvironmentConfig } from "../../config/schema";

/** reference/gcp/variables.tf */
export interface GcpReferenceInputs {
  environment: string;
  project: string;
  region: string;
  connector_cidr: string;
  connector_min_instances: number;
  connector_max_instances: number;
  connector_machine_type: string;
  redis_cidr: string;
  redis_port: number;
  default_deny_egress: boolean;
  nat_enabled: boolean;
}

/** reference/scaleway/variables.tf (backend_image is the deploy's, not the environment's) */
export interface ScalewayReferenceInputs {
  environment: string;
  project_id: string;
  region: string;
  zone: string;
  private_network_cidr: string;
  redis_name: string;
  redis_public: boolean;
  redis_public_acl: { ip: string; description: string }[];
  namespace_name: string;
  redis_version: string;
  redis_node_type: string;
  redis_cluster_size: number;
  redis_user_name: string;
  redis_tls: boolean;
  redis_password_version: number;
  container_name: string;
  container_health_path: string;
  container_liveness_path: string;
  container_port: number;
  container_min_scale: number;
  container_max_scale: number;
  container_cpu_limit: number;
  container_memory_limit_bytes: number;
  container_timeout_seconds?: number;
  container_concurrency?: number;
  container_privacy?: string;
  container_protocol?: string;
  container_sandbox?: string;
}

/** The reference's inputs for `cloud` in `environment`; refused where the reference has no counterpart. */
export function referenceInputs(cloud: string, environment: string, config: EnvironmentConfig): GcpReferenceInputs | ScalewayReferenceInputs {
  const { gcp, scaleway } = config;
  if (cloud === "gcp" && gcp) {
    if (!gcp.connector) throw new Error(`environment ${environment}: the reference has a Serverless VPC Access connector only, and gcp.directVpcEgress has no counterpart in it`);
    return {
      environment,
      project: gcp.project,
      region: gcp.region,
      connector_cidr: gcp.connector.cidr,
      connector_min_instances: gcp.connector.minInstances,
      connector_max_instances: gcp.connector.maxInstances,
      connector_machine_type: gcp.connector.machineType,
      redis_cidr: gcp.redis.cidr,
      // Memorystore serves TLS on 6378 and plain Redis on 6379.
      redis_port: gcp.redis.transitEncryption ? 6378 : 6379,
      default_deny_egress: gcp.firewall.defaultDenyEgress,
      nat_enabled: gcp.nat.enabled,
    };
  }
  if (cloud === "scaleway" && scaleway) {
    const { adopt, redis, container } = scaleway;
    return {
      environment,
      project_id: scaleway.projectId,
      region: scaleway.region,
      zone: scaleway.zone,
      private_network_cidr: scaleway.privateNetwork.cidr,
      // An adopted resource keeps its live name; a created one is named <environment>-<part>.
      redis_name: adopt?.redis?.name ?? `${environment}-redis`,
      redis_public: adopt?.redis?.step === "public",
      redis_public_acl: adopt?.redis?.publicAcl ?? [],
      namespace_name: adopt?.namespace?.name ?? `${environment}-containers`,
      redis_version: redis.version,
      redis_node_type: redis.nodeType,
      redis_cluster_size: redis.clusterSize,
      redis_user_name: redis.userName,
      redis_tls: redis.tls,
      redis_password_version: redis.passwordVersion,
      container_name: adopt?.container?.name ?? `${environment}-${container.name}`,
      container_health_path: container.healthPath,
      container_liveness_path: container.livenessPath,
      container_port: container.port,
      container_min_scale: container.minScale,
      container_max_scale: container.maxScale,
      container_cpu_limit: container.cpuLimit,
      container_memory_limit_bytes: container.memoryLimitBytes,
      container_timeout_seconds: container.timeoutSeconds,
      container_concurrency: container.concurrency,
      container_privacy: container.privacy,
      container_protocol: container.protocol,
      container_sandbox: container.sandbox,
    };
  }
  throw new Error(`environment ${environment} configures no ${cloud}`);
}
