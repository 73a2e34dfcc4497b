import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { skipCheckov } from "../checkov";
import { check, checkCidr, checkGcpName } from "../validate";
import { Network } from "./network";

export const MEMORYSTORE_TIERS = ["BASIC", "STANDARD_HA"] as const;

/**
 * The port Memorystore serves on: 6378 with transit encryption, 6379 without. The one place that
 * knows it; the firewall rule and the published port secret both follow from the TLS setting.
 */
export function memorystorePort(transitEncryption: boolean): number {
  return transitEncryption ? 6378 : 6379;
}

export interface MemorystoreProps {
  /** Instance name: at most 40 characters. */
  readonly name: string;
  readonly region: string;
  /** The VPC whose clients may connect (the instance peers with it). */
  readonly network: Network;
  /** The /29 Memorystore takes its address from (DIRECT_PEERING). */
  readonly reservedIpRange: string;
  /** @default "BASIC" */
  readonly tier?: (typeof MEMORYSTORE_TIERS)[number];
  /** @default 1 */
  readonly memorySizeGb?: number;
  /** @default "REDIS_7_2" */
  readonly redisVersion?: string;
  /** TLS with server authentication; clients then need `caCertificate`. Changing it replaces the instance. */
  readonly transitEncryption: boolean;
  /** Refuse `terraform destroy` and any plan that would replace the instance. */
  readonly preventDestroy: boolean;
  readonly labels?: Record<string, string>;
}

/**
 * Memorystore for Redis with AUTH always on. Memorystore lives in a Google-managed network peered
 * with ours; clients reach it through `host`:`port` with `authString`.
 */
export class Memorystore extends Construct {
  readonly instance: RedisInstance;
  /** Private IP of the instance (known after apply). */
  readonly host: string;
  /** The port, from the TLS setting; equal to the instance's `port` attribute. */
  readonly port: number;
  /** The instance's `port` attribute as a string, for consumers that should follow the instance. */
  readonly portAttribute: string;
  /** Redis AUTH string; sensitive. */
  readonly authString: string;
  /** PEM of the server CA clients must trust; only with transit encryption. */
  readonly caCertificate?: string;
  readonly transitEncryption: boolean;

  constructor(scope: Construct, id: string, props: MemorystoreProps) {
    super(scope, id);
    const memorySizeGb = props.memorySizeGb ?? 1;
    checkGcpName(this, "name", props.name, 40);
    checkCidr(this, "reservedIpRange", props.reservedIpRange, 29);
    check(this, "memorySizeGb", memorySizeGb, Number.isInteger(memorySizeGb) && memorySizeGb >= 1 && memorySizeGb <= 300, "must be an integer from 1 to 300");

    this.instance = new RedisInstance(this, "instance", {
      name: props.name,
      region: props.region,
      tier: props.tier ?? "BASIC",
      memorySizeGb,
      redisVersion: props.redisVersion ?? "REDIS_7_2",
      authorizedNetwork: props.network.network.id,
      connectMode: "DIRECT_PEERING",
      reservedIpRange: props.reservedIpRange,
      authEnabled: true,
      transitEncryptionMode: props.transitEncryption ? "SERVER_AUTHENTICATION" : "DISABLED",
      labels: props.labels,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.instance.overrideLogicalId("main");
    if (!props.transitEncryption) {
      skipCheckov(this.instance, "CKV_GCP_97", "transit encryption is off by configuration (redis.transitEncryption = false); policy RN004 refuses that in production");
    }

    this.host = this.instance.host;
    this.port = memorystorePort(props.transitEncryption);
    this.portAttribute = Fn.tostring(this.instance.port);
    this.authString = this.instance.authString;
    this.transitEncryption = props.transitEncryption;
    if (props.transitEncryption) {
      this.caCertificate = Token.asString(this.instance.serverCaCerts.get(0).cert);
    }
  }
}
