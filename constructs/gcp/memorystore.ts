import { ComputeGlobalAddress } from "../../.gen/providers/google/compute-global-address";
import { RedisInstance } from "../../.gen/providers/google/redis-instance";
import { ServiceNetworkingConnection } from "../../.gen/providers/google/service-networking-connection";
import { Fn, ref, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { Ipv4Range, parseCidr } from "../../limits/cidr";
import {
  MEMORYSTORE, MEMORYSTORE_DISPLAY_NAME, MEMORYSTORE_NAME, MEMORYSTORE_PERSISTENCE, memorystoreConfigProblem, MemorystoreConnectMode, memorystorePort, MemorystoreTier,
  MemorystoreVersion, privateServiceAccessRangeProblem, Weekday, WEEKDAYS,
} from "../../limits/gcp";
import { addressed, defaultAddress, ImportBlock, waitFor } from "../addresses";
import { skipCheckov } from "../checkov";
import { check, checkCidr, checkGcpName, checkInt, checkText } from "../validate";
import { INetwork } from "./network";

/** A weekly hour (UTC) when Google may update the instance; without one, it picks any time. */
export interface MaintenanceWindow {
  readonly day: Weekday;
  /** Start hour, 0-23 UTC; the window lasts one hour. */
  readonly hour: number;
}

/** Terraform address names of a Memorystore's resources. */
export interface MemorystoreAddresses {
  /** `google_redis_instance`. @default the construct ID, snake case */
  readonly instance?: string;
  /**
   * The allocated range and the service networking connection (PRIVATE_SERVICE_ACCESS).
   * @default the construct ID, snake case, then `_psa`
   */
  readonly privateServiceAccess?: string;
}

export interface MemorystoreProps {
  /** Instance name: at most 40 characters. */
  readonly name: string;
  readonly region: string;
  /** The VPC whose clients may connect (the instance peers with it). */
  readonly network: INetwork;
  /**
   * DIRECT_PEERING: the /29 the instance takes its address from. PRIVATE_SERVICE_ACCESS: the range
   * (/24 or larger) allocated to Google's services through the service networking connection.
   */
  readonly reservedIpRange: string;
  /** @default "DIRECT_PEERING" */
  readonly connectMode?: MemorystoreConnectMode;
  /** Name of the allocated range (PRIVATE_SERVICE_ACCESS only). */
  readonly allocatedRangeName?: string;
  /** Project of the network, where the allocated range lives: a Shared VPC host project. */
  readonly networkProject?: string;
  /** @default "BASIC" */
  readonly tier?: MemorystoreTier;
  /** @default 1 */
  readonly memorySizeGb?: number;
  /** @default "REDIS_7_2" */
  readonly redisVersion?: MemorystoreVersion;
  /** TLS with server authentication; clients then need `caCertificate`. Changing it replaces the instance. */
  readonly transitEncryption: boolean;
  /** @default none: Google chooses when to update the instance */
  readonly maintenanceWindow?: MaintenanceWindow;
  /**
   * Redis configurations, e.g. `{ "maxmemory-policy": "allkeys-lru" }`: only the keys Memorystore
   * allows for the version. @default none: Google's defaults (`volatile-lru`: keys without a TTL are
   * never evicted)
   */
  readonly redisConfigs?: Record<string, string>;
  /** RDB snapshots. @default none: Google's (DISABLED) */
  readonly persistence?: { readonly mode: (typeof MEMORYSTORE_PERSISTENCE.modes)[number]; readonly rdbSnapshotPeriod?: (typeof MEMORYSTORE_PERSISTENCE.snapshotPeriods)[number] };
  /** The name the console shows. @default none */
  readonly displayName?: string;
  /**
   * Refuse `terraform destroy` and any plan that would replace the instance (`prevent_destroy`),
   * and any delete at apply (the provider's `deletion_protection`). Without it a replacement
   * deletes the instance first, then creates it: nothing waits on the old one.
   */
  readonly deletionProtection: boolean;
  /**
   * The live instance's ID (`projects/<p>/locations/<r>/instances/<name>`): it is imported instead
   * of created. Changes to `reserved_ip_range` are then ignored: Google never reports it back, so
   * after the import any configured value would plan a replacement. `reservedIpRange` must still
   * be the live range: the firewall rule targets it, and the rehearsal (`npm run rehearse`)
   * compares it with the live instance.
   * @default none: the instance is created
   */
  readonly importId?: string;
  readonly labels?: Record<string, string>;
  /** The resources' Terraform address names. @default derived from the construct ID */
  readonly addresses?: MemorystoreAddresses;
}

/**
 * Memorystore for Redis with AUTH always on. Memorystore lives in a Google-managed network peered
 * with ours; clients reach it through `host`:`port` with `authString`.
 */
export class Memorystore extends Construct {
  /** `projects/<p>/locations/<r>/instances/<name>`, as a reference. */
  readonly id: string;
  /** Private IP of the instance (known after apply). */
  readonly host: string;
  /** The port, from the TLS setting; equal to the instance's `port` attribute. */
  readonly port: number;
  /** The instance's `port` attribute as a string, for consumers that should follow the instance. */
  readonly portAttribute: string;
  /** Redis AUTH string; sensitive. */
  readonly authString: string;
  /** PEM of every server CA clients must trust (one or two); only with transit encryption. */
  readonly caCertificate?: string;
  readonly transitEncryption: boolean;

  constructor(scope: Construct, id: string, props: MemorystoreProps) {
    super(scope, id);
    const memorySizeGb = props.memorySizeGb ?? MEMORYSTORE.memorySizeGb.default;
    const connectMode = props.connectMode ?? MEMORYSTORE.defaultConnectMode;
    const psa = connectMode === "PRIVATE_SERVICE_ACCESS";
    const adopted = props.importId !== undefined;
    checkText(this, "name", props.name, MEMORYSTORE_NAME);
    checkCidr(this, "reservedIpRange", props.reservedIpRange, psa ? undefined : MEMORYSTORE.directPeeringPrefix);
    const range = parseCidr(props.reservedIpRange) as Ipv4Range;
    if (psa) {
      const problem = privateServiceAccessRangeProblem(range.prefix);
      check(this, "reservedIpRange", props.reservedIpRange, problem && `${problem} for PRIVATE_SERVICE_ACCESS`);
      check(this, "allocatedRangeName", props.allocatedRangeName, props.allocatedRangeName !== undefined ? undefined : "is required for PRIVATE_SERVICE_ACCESS");
      checkGcpName(this, "allocatedRangeName", props.allocatedRangeName!); // required, just above
    }
    if (props.maintenanceWindow) {
      const { day, hour } = props.maintenanceWindow;
      check(this, "maintenanceWindow.day", day, (WEEKDAYS as readonly string[]).includes(day) ? undefined : `must be one of ${WEEKDAYS.join(", ")}`);
      checkInt(this, "maintenanceWindow.hour", hour, MEMORYSTORE.maintenanceHour);
    }
    checkInt(this, "memorySizeGb", memorySizeGb, MEMORYSTORE.memorySizeGb);
    const redisVersion = props.redisVersion ?? MEMORYSTORE.defaultVersion;
    check(this, "redisVersion", redisVersion, (MEMORYSTORE.versions as readonly string[]).includes(redisVersion) ? undefined : `must be one of ${MEMORYSTORE.versions.join(", ")}`);
    for (const [key, value] of Object.entries(props.redisConfigs ?? {})) check(this, `redisConfigs.${key}`, value, memorystoreConfigProblem(redisVersion, key, value));
    if (props.displayName !== undefined) checkText(this, "displayName", props.displayName, MEMORYSTORE_DISPLAY_NAME);
    if (props.persistence) {
      const { mode, rdbSnapshotPeriod } = props.persistence;
      check(this, "persistence.mode", mode, (MEMORYSTORE_PERSISTENCE.modes as readonly string[]).includes(mode) ? undefined : `must be one of ${MEMORYSTORE_PERSISTENCE.modes.join(", ")}`);
      if (rdbSnapshotPeriod !== undefined) {
        check(this, "persistence.rdbSnapshotPeriod", rdbSnapshotPeriod, mode !== "RDB" ? "is only for mode RDB" : (MEMORYSTORE_PERSISTENCE.snapshotPeriods as readonly string[]).includes(rdbSnapshotPeriod) ? undefined : `must be one of ${MEMORYSTORE_PERSISTENCE.snapshotPeriods.join(", ")}`);
      }
    }

    let serviceNetworking: ServiceNetworkingConnection | undefined;
    let allocatedRange: ComputeGlobalAddress | undefined;
    if (psa) {
      const psaAddress = props.addresses?.privateServiceAccess ?? defaultAddress(id, "psa");
      const [address, prefixLength] = props.reservedIpRange.split("/");
      allocatedRange = addressed(new ComputeGlobalAddress(this, "allocated-range", {
        name: props.allocatedRangeName!,
        project: props.networkProject,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        address,
        prefixLength: Number(prefixLength),
        network: props.network.id,
      }), psaAddress);
      serviceNetworking = addressed(new ServiceNetworkingConnection(this, "service-networking", {
        network: props.network.id,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [allocatedRange.name],
      }), psaAddress);
    }

    const instance = addressed(new RedisInstance(this, "instance", {
      name: props.name,
      region: props.region,
      tier: props.tier ?? MEMORYSTORE.defaultTier,
      memorySizeGb,
      redisVersion,
      authorizedNetwork: props.network.id,
      connectMode,
      reservedIpRange: allocatedRange ? allocatedRange.name : props.reservedIpRange,
      authEnabled: true,
      transitEncryptionMode: props.transitEncryption ? "SERVER_AUTHENTICATION" : "DISABLED",
      maintenancePolicy: props.maintenanceWindow
        ? { weeklyMaintenanceWindow: [{ day: props.maintenanceWindow.day, startTime: { hours: props.maintenanceWindow.hour, minutes: 0 } }] }
        : undefined,
      redisConfigs: props.redisConfigs,
      persistenceConfig: props.persistence && { persistenceMode: props.persistence.mode, rdbSnapshotPeriod: props.persistence.rdbSnapshotPeriod },
      displayName: props.displayName,
      labels: props.labels,
      deletionProtection: props.deletionProtection,
      lifecycle: props.deletionProtection || adopted
        ? { preventDestroy: props.deletionProtection || undefined, ignoreChanges: adopted ? ["reserved_ip_range"] : undefined }
        : undefined,
    }), props.addresses?.instance ?? defaultAddress(id));
    if (props.importId) new ImportBlock(instance, props.importId);
    // The instance can only be placed once the peering exists; its range name alone does not wait.
    if (serviceNetworking) waitFor(instance, serviceNetworking);
    if (!props.transitEncryption) {
      skipCheckov(instance, "CKV_GCP_97", "transit encryption is off by configuration (redis.transitEncryption = false); policy RN004 refuses that in production");
    }

    this.id = instance.id;
    this.host = instance.host;
    this.port = memorystorePort(props.transitEncryption);
    this.portAttribute = Fn.tostring(instance.port);
    this.authString = instance.authString;
    this.transitEncryption = props.transitEncryption;
    if (props.transitEncryption) {
      // Google adds the next CA before the current one expires: clients must trust every one listed.
      const certs = ref(`${instance.terraformResourceType}.${instance.friendlyUniqueId}.server_ca_certs[*].cert`, TerraformStack.of(this));
      this.caCertificate = Fn.join("\n", Token.asList(certs));
    }
  }
}
