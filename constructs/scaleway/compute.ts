import { Construct } from "constructs";
import { Container } from "../../.gen/providers/scaleway/container";
import { ContainerNamespace } from "../../.gen/providers/scaleway/container-namespace";
import { DEFAULT_HEALTH_PATH, DEFAULT_LIVENESS_PATH, HEALTH_PATH } from "../../limits/http";
import { addressed, ImportBlock } from "../addresses";
import { LIVENESS_PROBE, STARTUP_PROBE } from "../health-probes";
import { LOGICAL_ID } from "../logical-ids";
import { checkInt, checkText } from "../validate";

export interface BackendContainerProps {
  readonly namespaceName: string;
  readonly containerName: string;
  readonly region: string;
  /** Image reference, e.g. rg.fr-par.scw.cloud/<registry>/<image>:<tag>. */
  readonly image: string;
  readonly port: number;
  readonly minScale: number;
  readonly maxScale: number;
  /** vCPU thousandths. */
  readonly cpuLimit: number;
  readonly memoryLimitBytes: number;
  /** The path the startup probe GETs, which checks Redis. @default "/health" */
  readonly healthPath?: string;
  /** The path the liveness probe GETs, which checks only the process. @default "/healthz" */
  readonly livenessPath?: string;
  /** The private network the container's egress joins (one per container). */
  readonly privateNetworkId: string;
  /** Plain environment variables. */
  readonly environmentVariables?: Record<string, string>;
  /** Environment variables that hold secrets: stored encrypted, never shown in the console. */
  readonly secretEnvironmentVariables: Record<string, string>;
  readonly tags: string[];
  /** Live objects imported instead of created, by the IDs the provider imports (`<region>/<uuid>`). */
  readonly importIds?: { readonly namespace?: string; readonly container?: string };
}

/**
 * The serverless container namespace and the backend container on the private network
 * (`compute.tf`). Private networks attach per container: the namespace-wide
 * `activate_vpc_integration` of older providers no longer exists.
 */
export class BackendContainer extends Construct {
  /** https URL Scaleway gives the container. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: BackendContainerProps) {
    super(scope, id);
    const healthPath = props.healthPath ?? DEFAULT_HEALTH_PATH;
    const livenessPath = props.livenessPath ?? DEFAULT_LIVENESS_PATH;
    checkInt(this, "maxScale", props.maxScale, { min: Math.max(1, props.minScale), max: Infinity });
    checkText(this, "healthPath", healthPath, HEALTH_PATH);
    checkText(this, "livenessPath", livenessPath, HEALTH_PATH);
    const probe = (path: string, p: typeof STARTUP_PROBE | typeof LIVENESS_PROBE) => ({
      http: { path },
      interval: `${p.periodSeconds}s`,
      timeout: `${p.timeoutSeconds}s`,
      failureThreshold: p.failureThreshold,
    });

    const namespace = addressed(new ContainerNamespace(this, "namespace", { name: props.namespaceName, region: props.region, tags: props.tags }), LOGICAL_ID.scaleway.namespace);
    const container = addressed(new Container(this, "container", {
      name: props.containerName,
      namespaceId: namespace.id,
      region: props.region,
      image: props.image,
      port: props.port,
      minScale: props.minScale,
      maxScale: props.maxScale,
      cpuLimit: props.cpuLimit,
      memoryLimitBytes: props.memoryLimitBytes,
      privateNetworkId: props.privateNetworkId,
      environmentVariables: props.environmentVariables,
      secretEnvironmentVariables: props.secretEnvironmentVariables,
      httpsConnectionsOnly: true,
      // A deployment whose health (Redis included) fails never takes traffic; a live instance is
      // restarted only for itself, never for Redis. HTTP rather than the provider's TCP: the
      // backend answers the same path as on Cloud Run, and a wedged process still accepts TCP.
      startupProbe: probe(healthPath, STARTUP_PROBE),
      livenessProbe: probe(livenessPath, LIVENESS_PROBE),
      tags: props.tags,
    }), LOGICAL_ID.scaleway.container);
    if (props.importIds?.namespace) new ImportBlock(namespace, props.importIds.namespace);
    if (props.importIds?.container) new ImportBlock(container, props.importIds.container);
    this.url = container.publicEndpoint;
  }
}
