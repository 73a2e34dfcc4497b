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
    const names = gcpNames(props.environment, config.backend.name);
    const labels = { environment: props.environment };
    const ids = LOGICAL_ID.gcp;

    new GoogleProvider(this, "google", { project: config.project, region: config.region });
    gcsOrLocalState(this, config.state);
    requireTerraformVersion(this);

    // With Shared VPC the network and everything on it belong to the host project.
    const networkProject = config.sharedVpc?.hostProject;
    this.network = new Network(this, "network", {
      name: names.network,
      project: networkProject,
      importId: config.adopt?.network && `projects/${networkProject ?? config.project}/global/networks/${config.adopt.network}`,
      logicalId: ids.network,
    });
    let source: ServerlessSource;
    if (config.connector) {
      this.connector = new VpcConnector(this, "vpc-connector", {
        network: this.network,
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
      source = { ranges: [this.connector.ipCidrRange], tags: [this.connector.networkTag], description: "Serverless VPC Access connector" };
    } else {
      this.directVpcEgress = new DirectVpcEgress(this, "direct-vpc-egress", {
        network: this.network,
        region: config.region,
        subnetName: names.cloudRunSubnet,
        ipCidrRange: config.directVpcEgress!.cidr,
        networkTag: names.cloudRunTag,
        subnetLogicalId: ids.cloudRunSubnet,
      });
      source = { tags: [this.directVpcEgress.networkTag], description: "Cloud Run (Direct VPC egress)" };
    }
    const serverlessRange = this.connector?.ipCidrRange ?? this.directVpcEgress!.ipCidrRange;

    this.redis = new Memorystore(this, "memorystore", {
      // An adopted instance keeps its live name: renaming it would replace it and lose its data.
      name: config.adopt?.redis ?? names.redis,
      region: config.region,
      network: this.network,
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
    const ruleName = (logicalId: string) => firewallRuleName(props.environment, logicalId);
    const redisPath = { source, redisCidr: config.redis.cidr, redisPort: this.redis.port };
    this.firewallRules = new FirewallRules(this, "firewall-rules", {
      network: this.network,
      project: networkProject,
      ruleName,
      rules: [
        ...redisPathRules({ ...redisPath, internalRanges: [serverlessRange], logicalIds: ids.firewall }),
        ...(config.firewall.defaultDenyEgress ? defaultDenyEgressRules({ ...redisPath, logicalIds: ids.firewall }) : []),
      ],
    });
    if (config.sharedVpc) {
      this.sharedVpc = new SharedVpcConnectorAccess(this, "shared-vpc", {
        network: this.network,
        hostProject: config.sharedVpc.hostProject,
        serviceProjectNumber: config.sharedVpc.serviceProjectNumber,
        ruleName,
        addresses: { ...ids.firewall, ...ids.sharedVpcGrant },
      });
    }
    if (config.nat.enabled && this.connector) {
      this.nat = new VpcNat(this, "vpc-nat", {
        network: this.network,
        region: config.region,
        routerName: names.router,
        natName: names.nat,
        subnetworkId: this.connector.subnetId,
        project: networkProject,
        addresses: { router: ids.router, nat: ids.nat },
      });
    } else if (config.nat.enabled) {
      Annotations.of(this).addWarning(
        "nat.enabled is ignored with directVpcEgress: the service's egress is private-ranges-only, and Google advises against attaching Cloud NAT to a Cloud Run subnet then (public traffic leaves through Cloud Run's own path)",
      );
    }

    this.redisSecrets = new RedisSecrets(this, "redis-secrets", { prefix: names.redisSecretPrefix, redis: this.redis, labels, address: ids.redisSecret });
    this.backend = new CloudRunService(this, "cloud-run", {
      name: names.backend,
      region: config.region,
      serviceAccountId: names.backend,
      image: backendImage(this, "us-central1-docker.pkg.dev/<project>/<repository>/backend:1.4.2", config.backend.image),
      vpcAccess: this.connector ? { connector: this.connector } : { direct: this.directVpcEgress! },
      secretEnvironment: this.redisSecrets.byVariable,
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
    // Serverless traffic flows the moment its path is up: the Redis rule must already exist (its
    // absence was the seeds' outage), and no reference between them says so.
    const redisRule = this.firewallRules.rules[ids.firewall.redis];
    if (this.connector) this.connector.waitFor(redisRule);
    else this.backend.waitFor(redisRule);
    if (this.sharedVpc && this.connector) {
      // In a host project the connector is healthy only once Google's traffic may reach it, and the
      // service may use it only once its service agent is granted.
      this.connector.waitFor(...this.sharedVpc.rules);
      this.backend.waitFor(...this.sharedVpc.grants);
    }

    this.reachability = new ServerlessToRedisTest(this, "reachability", {
      name: names.connectivityTest,
      project: config.project,
      region: config.region,
      revision: this.backend.latestReadyRevision,
      redisInstanceId: this.redis.id,
      redisHost: this.redis.host,
      redisPort: this.redis.port,
      relatedProjects: networkProject ? [networkProject] : undefined,
      labels,
      logicalId: ids.connectivityTest,
    });

    if (config.alerts.enabled) {
      new RedisPathAlerts(this, "alerts", {
        project: config.project,
        displayPrefix: props.environment,
        redisInstanceId: this.redis.id,
        connector: this.connector && config.connector ? { name: this.connector.name, maxInstances: config.connector.maxInstances } : undefined,
        // An uptime check cannot authenticate: only a publicly invocable backend is checked.
        backend: config.backend.invoker !== "authenticated" ? { url: this.backend.url, healthPath: config.backend.healthPath } : undefined,
        notificationChannels: config.alerts.notificationChannels,
        email: config.alerts.email,
        pagerDuty: config.alerts.pagerDuty && { serviceKey: pagerDutyServiceKey(this), keyVersion: config.alerts.pagerDuty.keyVersion },
        addresses: { ...ids.alert, backendHealthCheck: ids.backendHealthCheck, emailChannel: ids.alertChannel.email, pagerDutyChannel: ids.alertChannel.pagerDuty },
      });
    }

    if (config.enableApis) {
      const apis = new ProjectApis(this, "apis", { project: config.project, networkProject, address: ids.api });
      this.apis = apis;
      // Every call needs its API first, and no reference says so.
      for (const resource of this.node.findAll()) {
        if (resource instanceof TerraformResource && !resource.node.scopes.includes(apis)) waitFor(resource, ...apis.services);
      }
    }

    output(this, "network_name", this.network.name, "VPC network the serverless traffic and firewall rules use");
    if (this.connector) {
      output(this, "vpc_connector_id", this.connector.id, "Pass to Cloud Run as --vpc-connector");
      output(this, "vpc_connector_cidr", this.connector.ipCidrRange, "Source range of connector traffic");
    } else {
      output(this, "cloud_run_subnet", this.directVpcEgress!.subnetName, "Subnet the service's Direct VPC egress uses");
    }
    output(this, "backend_url", this.backend.url, "URL of the Cloud Run backend");
  }
}

function output(stack: TerraformStack, id: string, value: string, description: string): void {
  new TerraformOutput(stack, id, { value, description });
}
