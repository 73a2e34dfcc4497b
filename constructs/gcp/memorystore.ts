import { ComputeGlobalAddress } from "../../.gen/providers/google/compute-global-address";
import { RedisInstance } from "../../.gen/providers/google/redis-instance";
import { ServiceNetworkingConnection } from "../../.gen/providers/google/service-networking-connection";
import { Fn, ref, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { Ipv4Range, parseCidr } from "../../config/cidr";
import { waitFor } from "../addresses";
import { skipCheckov } from "../checkov";
import { check, checkCidr, checkGcpName } from "../validate";
import { Network } from "./network";

export const MEMORYSTORE_TIERS = ["BASIC", "STANDARD_HA"] as const;
/** The versions Memorystore for Redis offers (Google's "supported versions" page). */
export const MEMORYSTORE_VERSIONS = ["REDIS_3_2", "REDIS_4_0", "REDIS_5_0", "REDIS_6_X", "REDIS_7_0", "REDIS_7_2"] as const;
export const MEMORYSTORE_CONNECT_MODES = ["DIRECT_PEERING", "PRIVATE_SERVICE_ACCESS"] as const;

/**
 * The port Memorystore serves on: 6378 with transit encryption, 6379 without. The one place that
 * knows it; the firewall rule and the published port secret both follow from the TLS setting.
 */
export function memorystorePort(transitEncryption: boolean): number {
  return transitEncryption ? 6378 : 6379;
}

export const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;

/** A weekly hour (UTC) when Google may update the instance; without one, it picks any time. */
export interface MaintenanceWindow {
  readonly day: (typeof WEEKDAYS)[number];
  /** Start hour, 0-23 UTC; the window lasts one hour. */
  readonly hour: number;
}

export interface MemorystoreProps {
  /** Instance name: at most 40 characters. */
  readonly name: string;
  readonly region: string;
  /** The VPC whose clients may connect (the instance peers with it). */
  readonly network: Network;
  /**
   * DIRECT_PEERING: the /29 the instance takes its address from. PRIVATE_SERVICE_ACCESS: the range
   * (/24 or larger) allocated to Google's services through the service networking connection.
   */
  readonly reservedIpRange: string;
  /** @default "DIRECT_PEERING" */
  readonly connectMode?: (typeof MEMORYSTORE_CONNECT_MODES)[number];
  /** Name of the allocated range (PRIVATE_SERVICE_ACCESS only). */
  readonly allocatedRangeName?: string;
  /** Project of the network, where the allocated range lives: a Shared VPC host project. */
  readonly networkProject?: string;
  /** @default "BASIC" */
  readonly tier?: (typeof MEMORYSTORE_TIERS)[number];
  /** @default 1 */
  readonly memorySizeGb?: number;
  /** @default "REDIS_7_2" */
  readonly redisVersion?: string;
  /** TLS with server authentication; clients then need `caCertificate`. Changing it replaces the instance. */
  readonly transitEncryption: boolean;
  /** @default none: Google chooses when to update the instance */
  readonly maintenanceWindow?: MaintenanceWindow;
  /**
   * Refuse `terraform destroy` and any plan that would replace the instance (`prevent_destroy`),
   * and any delete at apply (the provider's `deletion_protection`). Without it a replacement
   * deletes the instance first, then creates it: nothing waits on the old one.
   */
  readonly deletionProtection: boolean;
  /**
   * The instance exists and is imported. Changes to `reserved_ip_range` are then ignored: Google
   * never reports it back, so after the import any configured value would plan a replacement.
   * `reservedIpRange` must still be the live range: the firewall rule targets it, and the
   * rehearsal (`npm run rehearse`) compares it with the live instance.
   * @default false
   */
  readonly adopted?: boolean;
  readonly labels?: Record<string, string>;
}

/**
 * Memorystore for Redis with AUTH always on. Memorystore lives in a Google-managed network peered
 * with ours; clients reach it through `host`:`port` with `authString`.
 */
export class Memorystore extends Construct {
  readonly instance: RedisInstance;
  /** PRIVATE_SERVICE_ACCESS only: the allocated range and the peering that serves it. */
  readonly allocatedRange?: ComputeGlobalAddress;
  readonly serviceNetworking?: ServiceNetworkingConnection;
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
    const memorySizeGb = props.memorySizeGb ?? 1;
    const connectMode = props.connectMode ?? "DIRECT_PEERING";
    const psa = connectMode === "PRIVATE_SERVICE_ACCESS";
    checkGcpName(this, "name", props.name, 40);
    checkCidr(this, "reservedIpRange", props.reservedIpRange, psa ? undefined : 29);
    const range = parseCidr(props.reservedIpRange) as Ipv4Range;
    if (psa) {
      check(this, "reservedIpRange", props.reservedIpRange, range.prefix <= 24, "must be a /24 or larger for PRIVATE_SERVICE_ACCESS");
      check(this, "allocatedRangeName", props.allocatedRangeName, props.allocatedRangeName !== undefined, "is required for PRIVATE_SERVICE_ACCESS");
      checkGcpName(this, "allocatedRangeName", props.allocatedRangeName ?? "");
    }
    if (props.maintenanceWindow) {
      const { day, hour } = props.maintenanceWindow;
      check(this, "maintenanceWindow.day", day, (WEEKDAYS as readonly string[]).includes(day), `must be one of ${WEEKDAYS.join(", ")}`);
      check(this, "maintenanceWindow.hour", hour, Number.isInteger(hour) && hour >= 0 && hour <= 23, "must be an hour from 0 to 23 (UTC)");
    }
    check(this, "memorySizeGb", memorySizeGb, Number.isInteger(memorySizeGb) && memorySizeGb >= 1 && memorySizeGb <= 300, "must be an integer from 1 to 300");

    if (psa) {
      const [address, prefixLength] = props.reservedIpRange.split("/");
      this.allocatedRange = new ComputeGlobalAddress(this, "allocated-range", {
        name: props.allocatedRangeName!,
        project: props.networkProject,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        address,
        prefixLength: Number(prefixLength),
        network: props.network.network.id,
      });
      this.allocatedRange.overrideLogicalId("redis_psa");
      this.serviceNetworking = new ServiceNetworkingConnection(this, "service-networking", {
        network: props.network.network.id,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [this.allocatedRange.name],
      });
      this.serviceNetworking.overrideLogicalId("redis_psa");
    }

    this.instance = new RedisInstance(this, "instance", {
      name: props.name,
      region: props.region,
      tier: props.tier ?? "BASIC",
      memorySizeGb,
      redisVersion: props.redisVersion ?? "REDIS_7_2",
      authorizedNetwork: props.network.network.id,
      connectMode,
      reservedIpRange: psa ? this.allocatedRange!.name : props.reservedIpRange,
      authEnabled: true,
      transitEncryptionMode: props.transitEncryption ? "SERVER_AUTHENTICATION" : "DISABLED",
      maintenancePolicy: props.maintenanceWindow
        ? { weeklyMaintenanceWindow: [{ day: props.maintenanceWindow.day, startTime: { hours: props.maintenanceWindow.hour, minutes: 0 } }] }
        : undefined,
      labels: props.labels,
      deletionProtection: props.deletionProtection,
      lifecycle: props.deletionProtection || props.adopted
        ? { preventDestroy: props.deletionProtection || undefined, ignoreChanges: props.adopted ? ["reserved_ip_range"] : undefined }
        : undefined,
    });
    this.instance.overrideLogicalId("main");
    // The instance can only be placed once the peering exists; its range name alone does not wait.
    if (this.serviceNetworking) waitFor(this.instance, this.serviceNetworking);
    if (!props.transitEncryption) {
      skipCheckov(this.instance, "CKV_GCP_97", "transit encryption is off by configuration (redis.transitEncryption = false); policy RN004 refuses that in production");
    }

    this.host = this.instance.host;
    this.port = memorystorePort(props.transitEncryption);
    this.portAttribute = Fn.tostring(this.instance.port);
    this.authString = this.instance.authString;
    this.transitEncryption = props.transitEncryption;
    if (props.transitEncryption) {
      // Google adds the next CA before the current one expires: clients must trust every one listed.
      const certs = ref(`${this.instance.terraformResourceType}.${this.instance.friendlyUniqueId}.server_ca_certs[*].cert`, TerraformStack.of(this));
      this.caCertificate = Fn.join("\n", Token.asList(certs));
    }
  }
}
