import { Construct } from "constructs";
import { Container } from "../../.gen/providers/scaleway/container";
import { ContainerNamespace } from "../../.gen/providers/scaleway/container-namespace";
import { DEFAULT_HEALTH_PATH, HEALTH_PATH, LIVENESS_PROBE, STARTUP_PROBE } from "../health-probes";
import { check } from "../validate";

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
  /** The path the startup and liveness probes GET. @default "/health" */
  readonly healthPath?: string;
  /** The private network the container's egress joins (one per container). */
  readonly privateNetworkId: string;
  /** Plain environment variables. */
  readonly environmentVariables?: Record<string, string>;
  /** Environment variables that hold secrets: stored encrypted, never shown in the console. */
  readonly secretEnvironmentVariables: Record<string, string>;
  readonly tags: string[];
}

/**
 * The serverless container namespace and the backend container on the private network
 * (`compute.tf`). Private networks attach per container: the namespace-wide
 * `activate_vpc_integration` of older providers no longer exists.
 */
export class BackendContainer extends Construct {
  readonly namespace: ContainerNamespace;
  readonly container: Container;
  /** https URL Scaleway gives the container. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: BackendContainerProps) {
    super(scope, id);
    const healthPath = props.healthPath ?? DEFAULT_HEALTH_PATH;
    check(this, "maxScale", props.maxScale, props.maxScale >= props.minScale, `must be at least minScale (${props.minScale})`);
    check(this, "healthPath", healthPath, HEALTH_PATH.test(healthPath), 'must be an HTTP path starting with "/"');
    const probe = (p: typeof STARTUP_PROBE | typeof LIVENESS_PROBE) => ({
      http: { path: healthPath },
      interval: `${p.periodSeconds}s`,
      timeout: `${p.timeoutSeconds}s`,
      failureThreshold: p.failureThreshold,
    });

    this.namespace = new ContainerNamespace(this, "namespace", { name: props.namespaceName, region: props.region, tags: props.tags });
    this.namespace.overrideLogicalId("main");

    this.container = new Container(this, "container", {
      name: props.containerName,
      namespaceId: this.namespace.id,
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
      // A deployment whose health (Redis included) fails never takes traffic.
      startupProbe: probe(STARTUP_PROBE),
      livenessProbe: probe(LIVENESS_PROBE),
      tags: props.tags,
    });
    this.container.overrideLogicalId("backend");
    this.url = this.container.publicEndpoint;
  }
}
