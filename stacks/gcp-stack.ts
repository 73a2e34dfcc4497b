import { GoogleProvider } from "../.gen/providers/google/provider";
import { Annotations, TerraformOutput, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { GcpConfig } from "../config/schema";
import { waitFor } from "../constructs/addresses";
import { CloudRunService } from "../constructs/gcp/cloud-run-service";
import { SharedVpcConnectorAccess } from "../constructs/gcp/shared-vpc";
import { DirectVpcEgress } from "../constructs/gcp/direct-vpc-egress";
import { defaultDenyEgressRules, FirewallRules, redisPathRules, ServerlessSource } from "../constructs/gcp/firewall-rules";
import { Memorystore } from "../constructs/gcp/memorystore";
import { Network } from "../constructs/gcp/network";
import { RedisSecrets } from "../constructs/gcp/redis-secrets";
import { VpcConnector } from "../constructs/gcp/vpc-connector";
import { VpcNat } from "../constructs/gcp/vpc-nat";
import { ProjectApis } from "../constructs/gcp/project-apis";
import { RedisPathAlerts } from "../constructs/gcp/alerts";
import { ServerlessToRedisTest } from "../constructs/gcp/connectivity-test";
import { REDIS_ENV } from "../constructs/redis-environment";
import { firewallRuleName, gcpNames, stackName } from "../naming/names";
import { backendImage } from "./image-variable";
import { LOGICAL_ID } from "./logical-ids";
import { pagerDutyServiceKey } from "./alert-secrets";
import { requireTerraformVersion } from "./terraform-version";
import { gcsOrLocalState } from "./state-backend";

export interface GcpStackProps {
  readonly environment: string;
  readonly config: GcpConfig;
  /** Deletion protection on Redis and the service. */
  readonly production: boolean;
}

/** One environment's network path from Cloud Run to Memorystore. */
export class GcpStack extends TerraformStack {
  readonly network: Network;
  /** Serverless VPC Access, where the environment configures `connector`. */
  readonly connector?: VpcConnector;
  /** Direct VPC egress, where the environment configures `directVpcEgress`. */
  readonly directVpcEgress?: DirectVpcEgress;
  readonly firewallRules: FirewallRules;
  /** Absent where the environment disables NAT, and with Direct VPC egress. */
  readonly nat?: VpcNat;
  readonly redis: Memorystore;
  readonly redisSecrets: RedisSecrets;
  readonly backend: CloudRunService;
  /** The APIs the stack enables, where the environment sets `enableApis`. */
  readonly apis?: ProjectApis;
  /** The connector's rules and grants in a Shared VPC host project. */
  readonly sharedVpc?: SharedVpcConnectorAccess;
  /** Whether the serving revision reaches Redis, per Google's analysis (`npm run reachability`). */
  readonly reachability: ServerlessToRedisTest;

  constructor(scope: Construct, props: GcpStackProps) {
    super(scope, stackName("gcp", props.environment));
    const { config } = props;
    // With Shared VPC the network and everything on it belong to the host project.
    const at: Context = {
      stack: this, props, config, names: gcpNames(props.environment, config.backend.name), labels: { environment: props.environment },
      ids: LOGICAL_ID.gcp, networkProject: config.sharedVpc?.hostProject,
    };
    new GoogleProvider(this, "google", { project: config.project, region: config.region });
    gcsOrLocalState(this, config.state);
    requireTerraformVersion(this);

    this.network = new Network(this, "network", {
      name: at.names.network,
      project: at.networkProject,
      importId: config.adopt?.network && `projects/${at.networkProject ?? config.project}/global/networks/${config.adopt.network}`,
      logicalId: at.ids.network,
    });
    const path = serverlessPath(at, this.network);
    this.connector = path.connector;
    this.directVpcEgress = path.directVpcEgress;
    this.redis = memorystore(at, this.network);
    const rules = networkRules(at, this.network, path, this.redis);
    this.firewallRules = rules.firewallRules;
    this.sharedVpc = rules.sharedVpc;
    this.nat = natFor(at, this.network, path);
    this.redisSecrets = new RedisSecrets(this, "redis-secrets", { prefix: at.names.redisSecretPrefix, redis: this.redis, labels: at.labels, address: at.ids.redisSecret });
    this.backend = backendService(at, path, this.redisSecrets);
    orderServerlessTraffic(at, path, rules, this.backend);
    this.reachability = observability(at, path, this.redis, this.backend);
    this.apis = config.enableApis ? enableApis(at) : undefined;
    outputs(at, this.network, path, this.backend);
  }
}

/** What every piece of one GCP stack reads. */
interface Context {
  readonly stack: TerraformStack;
  readonly props: GcpStackProps;
  readonly config: GcpConfig;
  readonly names: ReturnType<typeof gcpNames>;
  readonly labels: Record<string, string>;
  readonly ids: typeof LOGICAL_ID.gcp;
  /** The Shared VPC host project, where the network lives in one. */
  readonly networkProject?: string;
}

/** How Cloud Run reaches the VPC: a connector or Direct VPC egress, and what the rules select it by. */
interface ServerlessPathPieces {
  readonly connector?: VpcConnector;
  readonly directVpcEgress?: DirectVpcEgress;
  readonly source: ServerlessSource;
  /** The range serverless traffic comes from inside the network. */
  readonly range: string;
  readonly vpcAccess: ConstructorParameters<typeof CloudRunService>[2]["vpcAccess"];
}

function serverlessPath({ stack, config, names, ids, networkProject }: Context, network: Network): ServerlessPathPieces {
  if (config.connector) {
    const connector = new VpcConnector(stack, "vpc-connector", {
      network,
      region: config.region,
      name: names.connector,
      subnetName: names.connectorSubnet,
      ipCidrRange: config.connector.cidr,
      minInstances: config.connector.minInstances,
      maxInstances: config.connector.maxInstances,
      machineType: config.connector.machineType,
      project: networkProject,
      addresses: { subnet: ids.connectorSubnet, connector: ids.connector },
    });
    const source = { ranges: [connector.ipCidrRange], tags: [connector.networkTag], description: "Serverless VPC Access connector" };
    return { connector, source, range: connector.ipCidrRange, vpcAccess: { connector } };
  }
  const direct = new DirectVpcEgress(stack, "direct-vpc-egress", {
    network,
    region: config.region,
    subnetName: names.cloudRunSubnet,
    ipCidrRange: config.directVpcEgress.cidr,
    networkTag: names.cloudRunTag,
    subnetLogicalId: ids.cloudRunSubnet,
  });
  const source = { tags: [direct.networkTag], description: "Cloud Run (Direct VPC egress)" };
  return { directVpcEgress: direct, source, range: direct.ipCidrRange, vpcAccess: { direct } };
}

function memorystore({ stack, props, config, names, labels, ids, networkProject }: Context, network: Network): Memorystore {
  return new Memorystore(stack, "memorystore", {
    // An adopted instance keeps its live name: renaming it would replace it and lose its data.
    name: config.adopt?.redis ?? names.redis,
    region: config.region,
    network,
    reservedIpRange: config.redis.cidr,
    connectMode: config.redis.connectMode,
    allocatedRangeName: names.redisAllocatedRange,
    networkProject,
    tier: config.redis.tier,
    memorySizeGb: config.redis.memorySizeGb,
    redisVersion: config.redis.version,
    transitEncryption: config.redis.transitEncryption,
    maintenanceWindow: config.redis.maintenanceWindow,
    redisConfigs: config.redis.redisConfigs,
    persistence: config.redis.persistence,
    displayName: config.redis.displayName,
    // What holds live data is never deleted by a plan: production's, and an adopted one anywhere.
    deletionProtection: props.production || config.adopt?.redis !== undefined,
    importId: config.adopt?.redis && `projects/${config.project}/locations/${config.region}/instances/${config.adopt.redis}`,
    labels,
    addresses: { instance: ids.redis, privateServiceAccess: ids.redisPrivateServiceAccess },
  });
}

/** The Redis path's firewall rules, and in a Shared VPC host project the connector's rules and grants. */
function networkRules({ stack, props, config, ids, networkProject }: Context, network: Network, path: ServerlessPathPieces, redis: Memorystore) {
  const ruleName = (logicalId: string) => firewallRuleName(props.environment, logicalId);
  const redisPath = { source: path.source, redisCidr: config.redis.cidr, redisPort: redis.port };
  const firewallRules = new FirewallRules(stack, "firewall-rules", {
    network,
    project: networkProject,
    ruleName,
    rules: [
      ...redisPathRules({ ...redisPath, internalRanges: [path.range], logicalIds: ids.firewall }),
      ...(config.firewall.defaultDenyEgress ? defaultDenyEgressRules({ ...redisPath, logicalIds: ids.firewall }) : []),
    ],
  });
  const sharedVpc = config.sharedVpc && new SharedVpcConnectorAccess(stack, "shared-vpc", {
    network,
    hostProject: config.sharedVpc.hostProject,
    serviceProjectNumber: config.sharedVpc.serviceProjectNumber,
    ruleName,
    addresses: { ...ids.firewall, ...ids.sharedVpcGrant },
  });
  return { firewallRules, sharedVpc };
}

function natFor({ stack, config, names, ids, networkProject }: Context, network: Network, path: ServerlessPathPieces): VpcNat | undefined {
  if (config.nat.enabled && path.connector) {
    return new VpcNat(stack, "vpc-nat", {
      network,
      region: config.region,
      routerName: names.router,
      natName: names.nat,
      subnetworkId: path.connector.subnetId,
      project: networkProject,
      addresses: { router: ids.router, nat: ids.nat },
    });
  }
  if (config.nat.enabled) {
    Annotations.of(stack).addWarning(
      "nat.enabled is ignored with directVpcEgress: the service's egress is private-ranges-only, and Google advises against attaching Cloud NAT to a Cloud Run subnet then (public traffic leaves through Cloud Run's own path)",
    );
  }
  return undefined;
}

function backendService({ stack, props, config, names, labels, ids }: Context, path: ServerlessPathPieces, secrets: RedisSecrets): CloudRunService {
  return new CloudRunService(stack, "cloud-run", {
    name: names.backend,
    region: config.region,
    serviceAccountId: names.backend,
    image: backendImage(stack, "us-central1-docker.pkg.dev/<project>/<repository>/backend:1.4.2", config.backend.image),
    vpcAccess: path.vpcAccess,
    secretEnvironment: secrets.byVariable,
    environment: { [REDIS_ENV.tls]: String(config.redis.transitEncryption) },
    applicationEnvironment: config.backend.environment,
    secretReferences: config.backend.secrets,
    timeoutSeconds: config.backend.timeoutSeconds,
    concurrency: config.backend.concurrency,
    ingress: config.backend.ingress,
    executionEnvironment: config.backend.executionEnvironment,
    protocol: config.backend.protocol,
    port: config.backend.port,
    minInstances: config.backend.minInstances,
    maxInstances: config.backend.maxInstances,
    invoker: config.backend.invoker,
    healthPath: config.backend.healthPath,
    livenessPath: config.backend.livenessPath,
    deletionProtection: props.production,
    labels,
    addresses: {
      service: ids.backend,
      secretAccess: ids.backendSecretAccess,
      applicationSecretAccess: ids.backendApplicationSecretAccess,
      publicInvoker: ids.backendPublicInvoker,
    },
  });
}

/**
 * Serverless traffic flows the moment its path is up: the Redis rule must already exist (its
 * absence was the seeds' outage), and no reference between them says so.
 */
function orderServerlessTraffic({ ids }: Context, path: ServerlessPathPieces, rules: ReturnType<typeof networkRules>, backend: CloudRunService): void {
  const redisRule = rules.firewallRules.rules[ids.firewall.redis];
  if (path.connector) path.connector.waitFor(redisRule);
  else backend.waitFor(redisRule);
  if (rules.sharedVpc && path.connector) {
    // In a host project the connector is healthy only once Google's traffic may reach it, and the
    // service may use it only once its service agent is granted.
    path.connector.waitFor(...rules.sharedVpc.rules);
    backend.waitFor(...rules.sharedVpc.grants);
  }
}

/** Whether the path works: Google's Connectivity Test, and the alerts where they are enabled. */
function observability({ stack, props, config, names, labels, ids, networkProject }: Context, path: ServerlessPathPieces, redis: Memorystore, backend: CloudRunService): ServerlessToRedisTest {
  const reachability = new ServerlessToRedisTest(stack, "reachability", {
    name: names.connectivityTest,
    project: config.project,
    region: config.region,
    revision: backend.latestReadyRevision,
    redisInstanceId: redis.id,
    redisHost: redis.host,
    redisPort: redis.port,
    relatedProjects: networkProject ? [networkProject] : undefined,
    labels,
    logicalId: ids.connectivityTest,
  });
  if (config.alerts.enabled) {
    new RedisPathAlerts(stack, "alerts", {
      project: config.project,
      displayPrefix: props.environment,
      redisInstanceId: redis.id,
      connector: path.connector && config.connector ? { name: path.connector.name, maxInstances: config.connector.maxInstances } : undefined,
      // An uptime check cannot authenticate: only a publicly invocable backend is checked.
      backend: config.backend.invoker !== "authenticated" ? { url: backend.url, healthPath: config.backend.healthPath } : undefined,
      notificationChannels: config.alerts.notificationChannels,
      email: config.alerts.email,
      pagerDuty: config.alerts.pagerDuty && { serviceKey: pagerDutyServiceKey(stack), keyVersion: config.alerts.pagerDuty.keyVersion },
      addresses: { ...ids.alert, backendHealthCheck: ids.backendHealthCheck, emailChannel: ids.alertChannel.email, pagerDutyChannel: ids.alertChannel.pagerDuty },
    });
  }
  return reachability;
}

/** Enables the APIs, and makes every call wait for its API first: no reference says so. */
function enableApis({ stack, config, ids, networkProject }: Context): ProjectApis {
  const apis = new ProjectApis(stack, "apis", { project: config.project, networkProject, address: ids.api });
  for (const resource of stack.node.findAll()) {
    if (resource instanceof TerraformResource && !resource.node.scopes.includes(apis)) waitFor(resource, ...apis.services);
  }
  return apis;
}

function outputs({ stack }: Context, network: Network, path: ServerlessPathPieces, backend: CloudRunService): void {
  output(stack, "network_name", network.name, "VPC network the serverless traffic and firewall rules use");
  if (path.connector) {
    output(stack, "vpc_connector_id", path.connector.id, "Pass to Cloud Run as --vpc-connector");
    output(stack, "vpc_connector_cidr", path.connector.ipCidrRange, "Source range of connector traffic");
  } else if (path.directVpcEgress) {
    output(stack, "cloud_run_subnet", path.directVpcEgress.subnetName, "Subnet the service's Direct VPC egress uses");
  }
  output(stack, "backend_url", backend.url, "URL of the Cloud Run backend");
}

function output(stack: TerraformStack, id: string, value: string, description: string): void {
  new TerraformOutput(stack, id, { value, description });
}
