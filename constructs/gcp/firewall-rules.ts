import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { Construct } from "constructs";
import { check, checkCidr, checkGcpName } from "../validate";
import { Network } from "./network";
import { VpcConnector } from "./vpc-connector";

export interface FirewallRulesProps {
  readonly network: Network;
  /** Source of the Redis rule: its range is used as given, never retyped. */
  readonly connector: VpcConnector;
  /** Name of the rule letting the connector reach Redis. Firewall names are project-wide. */
  readonly redisRuleName: string;
  /** Name of the rule allowing traffic between the network's own ranges. */
  readonly internalRuleName: string;
  /** The range Redis is served from. */
  readonly redisCidr: string;
  readonly redisPort: number;
  /** Every range inside the network that may talk to every other. */
  readonly internalRanges: string[];
}

/**
 * The two ingress rules of `firewall-rules.tf`, both logging with full metadata so a dropped
 * Redis connection shows up in Firewall Rules Logging instead of as a client timeout.
 */
export class FirewallRules extends Construct {
  readonly redis: ComputeFirewall;
  readonly internal: ComputeFirewall;

  constructor(scope: Construct, id: string, props: FirewallRulesProps) {
    super(scope, id);
    checkGcpName(this, "redisRuleName", props.redisRuleName);
    checkGcpName(this, "internalRuleName", props.internalRuleName);
    check(this, "redisPort", props.redisPort, Number.isInteger(props.redisPort) && props.redisPort > 0 && props.redisPort < 65536, "must be a TCP port (1-65535)");
    checkCidr(this, "redisCidr", props.redisCidr);
    props.internalRanges.forEach((range, i) => checkCidr(this, `internalRanges[${i}]`, range));
    check(this, "internalRanges", props.internalRanges, props.internalRanges.length > 0, "must name at least one range");
    const logConfig = { metadata: "INCLUDE_ALL_METADATA" };

    this.redis = new ComputeFirewall(this, "redis", {
      name: props.redisRuleName,
      description: "Serverless VPC Access connector to Redis",
      network: props.network.name,
      direction: "INGRESS",
      priority: 1000,
      sourceRanges: [props.connector.ipCidrRange],
      destinationRanges: [props.redisCidr],
      allow: [{ protocol: "tcp", ports: [String(props.redisPort)] }],
      logConfig,
    });
    this.redis.overrideLogicalId("allow_vpc_connector_to_redis");

    this.internal = new ComputeFirewall(this, "internal", {
      name: props.internalRuleName,
      description: "Traffic between the network's own ranges",
      network: props.network.name,
      direction: "INGRESS",
      priority: 65534,
      sourceRanges: props.internalRanges,
      allow: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
      logConfig,
    });
    this.internal.overrideLogicalId("allow_internal_vpc_communication");
  }
}
