import { Construct } from "constructs";
import { Container } from "../../.gen/providers/scaleway/container";
import { ContainerNamespace } from "../../.gen/providers/scaleway/container-namespace";
import { DataScalewaySecretVersion } from "../../.gen/providers/scaleway/data-scaleway-secret-version";
import { Fn } from "cdktf";
import { CONTAINER_SERVICE, SECRET_ID, SECRET_REVISION } from "../../limits/scaleway";
import { DEFAULT_HEALTH_PATH, DEFAULT_LIVENESS_PATH, HEALTH_PATH } from "../../limits/http";
import { IPrivateNetwork } from "./network";
import { addressed, defaultAddress, ImportBlock } from "../addresses";
import { LIVENESS_PROBE, STARTUP_PROBE } from "../health-probes";
import { check, checkApplicationVariables, checkInt, checkText } from "../validate";

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
  readonly privateNetwork: IPrivateNetwork;
  /** Plain environment variables. */
  readonly environmentVariables?: Record<string, string>;
  /** Environment variables that hold secrets: stored encrypted, never shown in the console. */
  readonly secretEnvironmentVariables: Record<string, string>;
  /**
   * The application's own plain variables, beside `environmentVariables`: never a secret (a value
   * or name that looks like one is refused), never a REDIS_ one. @default none
   */
  readonly applicationEnvironment?: Record<string, string>;
  /**
   * The application's secrets, by variable: existing Scaleway Secret Manager secrets
   * (`<region>/<uuid>`) and the revision to read. The plan reads each value (the plan identity
   * needs access) and the container gets it as a secret variable. @default none
   */
  readonly secretReferences?: Record<string, { readonly secret: string; readonly version: string }>;
  /** Request timeout, seconds. @default Scaleway's (300) */
  readonly timeoutSeconds?: number;
  /** Concurrent requests per instance before another starts. @default Scaleway's (50) */
  readonly concurrency?: number;
  /** @default Scaleway's: public */
  readonly privacy?: (typeof CONTAINER_SERVICE.privacy)[number];
  /** @default Scaleway's: http1 */
  readonly protocol?: (typeof CONTAINER_SERVICE.protocols)[number];
  /** The execution environment. @default Scaleway's */
  readonly sandbox?: (typeof CONTAINER_SERVICE.sandboxes)[number];
  /** The container's tags. */
  readonly tags: string[];
  /** The namespace's tags. @default `tags` */
  readonly namespaceTags?: string[];
  /** Live objects imported instead of created, by the IDs the provider imports (`<region>/<uuid>`). */
  readonly importIds?: { readonly namespace?: string; readonly container?: string };
  /** The resources' Terraform address names. @default derived from the construct ID */
  readonly addresses?: BackendContainerAddresses;
}

/** Terraform address names of the container, its namespace and its secret reads. */
export interface BackendContainerAddresses {
  /** @default the construct ID, snake case, then `_namespace` */
  readonly namespace?: string;
  /** @default the construct ID, snake case */
  readonly container?: string;
  /** The read of one application secret, by its variable. @default `<container>_<variable, lower case>` */
  readonly applicationSecret?: (variable: string) => string;
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
    const reserved = { prefix: CONTAINER_SERVICE.reservedPrefix };
    checkApplicationVariables(this, props.applicationEnvironment, Object.keys(props.secretReferences ?? {}), reserved);
    for (const [name, { secret, version }] of Object.entries(props.secretReferences ?? {})) {
      checkText(this, `secretReferences.${name}.secret`, secret, SECRET_ID);
      checkText(this, `secretReferences.${name}.version`, version, SECRET_REVISION);
      check(this, `secretReferences.${name}.secret`, secret, secret.startsWith(`${props.region}/`) ? undefined : `must lie in ${props.region}, the container's region`);
    }
    if (props.timeoutSeconds !== undefined) checkInt(this, "timeoutSeconds", props.timeoutSeconds, CONTAINER_SERVICE.timeoutSeconds);
    if (props.concurrency !== undefined) checkInt(this, "concurrency", props.concurrency, CONTAINER_SERVICE.concurrency);
    const probe = (path: string, p: typeof STARTUP_PROBE | typeof LIVENESS_PROBE) => ({
      http: { path },
      interval: `${p.periodSeconds}s`,
      timeout: `${p.timeoutSeconds}s`,
      failureThreshold: p.failureThreshold,
    });

    const namespace = addressed(new ContainerNamespace(this, "namespace", { name: props.namespaceName, region: props.region, tags: props.namespaceTags ?? props.tags }), props.addresses?.namespace ?? defaultAddress(id, "namespace"));
    // Each referenced secret read once, named for the variable that takes it.
    const secretValues = Object.fromEntries(Object.entries(props.secretReferences ?? {}).map(([name, { secret, version }]) => {
      const read = addressed(new DataScalewaySecretVersion(this, `secret-${name}`, { secretId: secret, revision: version, region: props.region }), props.addresses?.applicationSecret ? props.addresses.applicationSecret(name) : defaultAddress(id, name.toLowerCase()));
      return [name, Fn.base64decode(read.data)];
    }));
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
      privateNetworkId: props.privateNetwork.id,
      environmentVariables: { ...props.applicationEnvironment, ...props.environmentVariables },
      secretEnvironmentVariables: { ...secretValues, ...props.secretEnvironmentVariables },
      timeout: props.timeoutSeconds,
      scalingOption: props.concurrency !== undefined ? [{ concurrentRequestsThreshold: props.concurrency }] : undefined,
      privacy: props.privacy,
      protocol: props.protocol,
      sandbox: props.sandbox,
      httpsConnectionsOnly: true,
      // A deployment whose health (Redis included) fails never takes traffic; a live instance is
      // restarted only for itself, never for Redis. HTTP rather than the provider's TCP: the
      // backend answers the same path as on Cloud Run, and a wedged process still accepts TCP.
      startupProbe: probe(healthPath, STARTUP_PROBE),
      livenessProbe: probe(livenessPath, LIVENESS_PROBE),
      tags: props.tags,
    }), props.addresses?.container ?? defaultAddress(id));
    if (props.importIds?.namespace) new ImportBlock(namespace, props.importIds.namespace);
    if (props.importIds?.container) new ImportBlock(container, props.importIds.container);
    this.url = container.publicEndpoint;
  }
}
