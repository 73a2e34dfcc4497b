import { RandomProvider } from "../.gen/providers/random/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ScalewayProvider } from "../.gen/providers/scaleway/provider";
import { ScalewayConfig } from "../config/schema";
import { BackendContainer } from "../constructs/scaleway/compute";
import { RedisDatabase } from "../constructs/scaleway/db";
import { PrivateNetwork } from "../constructs/scaleway/network";
import { REDIS_ENV } from "../constructs/redis-environment";
import { ScalewayOutputs } from "../constructs/scaleway/outputs";
import { RedisAlerts } from "../constructs/scaleway/alerts";
import { backendImage } from "./image-variable";
import { LOGICAL_ID } from "./logical-ids";
import { requireTerraformVersion } from "./terraform-version";
import { scalewayNames, stackName } from "../naming/names";
import { encryptState, scalewayOrLocalState } from "./state-backend";

export interface ScalewayStackProps {
  readonly environment: string;
  readonly config: ScalewayConfig;
  /** Alerts on by default. */
  readonly production: boolean;
}

/** One environment's backend container and Redis, joined only by a private network. */
export class ScalewayStack extends TerraformStack {
  readonly network: PrivateNetwork;
  readonly redis: RedisDatabase;
  readonly backend: BackendContainer;
  /** Cockpit's Redis alerts, where enabled (production by default). */
  readonly alerts?: RedisAlerts;

  constructor(scope: Construct, props: ScalewayStackProps) {
    super(scope, stackName("scaleway", props.environment));
    const { config, environment } = props;
    const names = scalewayNames(environment, config.container.name);
    const tags = [environment];
    const ids = LOGICAL_ID.scaleway;

    new ScalewayProvider(this, "scaleway", { region: config.region, zone: config.zone, projectId: config.projectId });
    new RandomProvider(this, "random");
    scalewayOrLocalState(this, config.state?.region ?? config.region, config.state);
    if (config.encryptState) encryptState(this);
    requireTerraformVersion(this);

    const image = backendImage(this, "rg.fr-par.scw.cloud/<registry>/backend:1.4.2", config.container.image);

    this.network = new PrivateNetwork(this, "network", {
      vpcName: names.vpc,
      privateNetworkName: names.privateNetwork,
      region: config.region,
      cidr: config.privateNetwork.cidr,
      tags,
      addresses: { vpc: ids.vpc, privateNetwork: ids.privateNetwork },
    });
    const { adopt } = config;
    this.redis = new RedisDatabase(this, "db", {
      // Adopted resources keep their live names: renaming replaces them.
      name: adopt?.redis?.name ?? names.redis,
      zone: config.zone,
      version: config.redis.version,
      nodeType: config.redis.nodeType,
      clusterSize: config.redis.clusterSize,
      userName: config.redis.userName,
      tls: config.redis.tls,
      passwordVersion: config.redis.passwordVersion,
      privateNetwork: this.network,
      publicAcl: adopt?.redis?.step === "public" ? adopt.redis.publicAcl : undefined,
      importId: adopt?.redis?.id,
      settings: config.redis.settings,
      // An adopted cluster keeps its live tags (configured), and gets the environment's.
      tags: withEnvironment(config.redis.tags, environment),
      addresses: { cluster: ids.redis, password: ids.redisPassword },
    });
    this.backend = new BackendContainer(this, "compute", {
      namespaceName: adopt?.namespace?.name ?? names.namespace,
      containerName: adopt?.container?.name ?? names.container,
      region: config.region,
      image,
      port: config.container.port,
      minScale: config.container.minScale,
      maxScale: config.container.maxScale,
      cpuLimit: config.container.cpuLimit,
      memoryLimitBytes: config.container.memoryLimitBytes,
      healthPath: config.container.healthPath,
      livenessPath: config.container.livenessPath,
      privateNetwork: this.network,
      environmentVariables: {
        [REDIS_ENV.host]: this.redis.host,
        [REDIS_ENV.port]: this.redis.port,
        [REDIS_ENV.username]: this.redis.userName,
        [REDIS_ENV.tls]: String(config.redis.tls),
      },
      secretEnvironmentVariables: {
        [REDIS_ENV.password]: this.redis.password,
        [REDIS_ENV.url]: this.redis.url,
        ...(this.redis.caCertificate ? { [REDIS_ENV.caCert]: this.redis.caCertificate } : {}),
      },
      applicationEnvironment: config.container.environment,
      secretReferences: config.container.secrets,
      timeoutSeconds: config.container.timeoutSeconds,
      concurrency: config.container.concurrency,
      privacy: config.container.privacy,
      protocol: config.container.protocol,
      sandbox: config.container.sandbox,
      tags: withEnvironment(config.container.tags, environment),
      namespaceTags: withEnvironment(config.container.namespaceTags, environment),
      importIds: { namespace: adopt?.namespace?.id, container: adopt?.container?.id },
      addresses: { namespace: ids.namespace, container: ids.container, applicationSecret: ids.applicationSecret },
    });
    new ScalewayOutputs(this, "outputs", { network: this.network, redis: this.redis, backend: this.backend });
    if (config.alerts.enabled) {
      this.alerts = new RedisAlerts(this, "alerts", { region: config.region, contactEmails: config.alerts.contactEmails, logicalId: ids.alertManager });
    }
  }
}

/** The configured tags, then the environment's own (once). */
function withEnvironment(configured: string[] | undefined, environment: string): string[] {
  return [...(configured ?? []).filter((tag) => tag !== environment), environment];
}
