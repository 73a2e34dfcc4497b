import { ComputeFirewall } from "../../.gen/providers/google/compute-firewall";
import { Construct } from "constructs";
import { check, checkCidr, checkGcpName } from "../validate";
import { Network } from "./network";

/**
 * Where serverless traffic comes from: a connector's range and its network tag, or, with Direct
 * VPC egress, the workload's network tags (its addresses are not fixed, so no range).
 */
export interface ServerlessSource {
  readonly ranges?: string[];
  readonly tags: string[];
  /** What it is, for the rules' descriptions. */
  readonly description: string;
}

export interface FirewallRulesProps {
  readonly network: Network;
  /** Source of the Redis rule: taken as given from the connector or the workload, never retyped. */
  readonly source: ServerlessSource;
  /** Name of the rule letting serverless traffic reach Redis. Firewall names are project-wide. */
  readonly redisRuleName: string;
  /** Name of the rule allowing traffic between the network's own ranges. */
  readonly internalRuleName: string;
  /** The range Redis is served from. */
  readonly redisCidr: string;
  readonly redisPort: number;
  /** Every range inside the network that may talk to the serverless source (the rule's targets are its tags). */
  readonly internalRanges: string[];
  /**
   * For a network whose egress is denied by default: the rule names of a lowest-priority deny-all
   * egress rule and of the egress allow from the serverless source to Redis. Absent: no egress rules.
   */
  readonly defaultDenyEgress?: { readonly denyRuleName: string; readonly allowRuleName: string };
  /** Project the resources live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
}

/**
 * The two ingress rules of `firewall-rules.tf`, both logging with full metadata so a dropped
 * Redis connection shows up in Firewall Rules Logging instead of as a client timeout.
 *
 * Memorystore sits in a Google-managed network peered with ours, and ingress rules in our VPC do
 * not filter traffic into a peered network: the Redis rule documents intent and scopes the path
 * to the serverless source (range and network tag), but what actually guards Redis is AUTH, TLS
 * and, where egress is denied by default, the egress allow below.
 */
export class FirewallRules extends Construct {
  readonly redis: ComputeFirewall;
  readonly internal: ComputeFirewall;
  readonly denyAllEgress?: ComputeFirewall;
  readonly redisEgress?: ComputeFirewall;

  constructor(scope: Construct, id: string, props: FirewallRulesProps) {
    super(scope, id);
    checkGcpName(this, "redisRuleName", props.redisRuleName);
    checkGcpName(this, "internalRuleName", props.internalRuleName);
    check(this, "redisPort", props.redisPort, Number.isInteger(props.redisPort) && props.redisPort > 0 && props.redisPort < 65536, "must be a TCP port (1-65535)");
    checkCidr(this, "redisCidr", props.redisCidr);
    props.internalRanges.forEach((range, i) => checkCidr(this, `internalRanges[${i}]`, range));
    (props.source.ranges ?? []).forEach((range, i) => checkCidr(this, `source.ranges[${i}]`, range));
    check(this, "internalRanges", props.internalRanges, props.internalRanges.length > 0, "must name at least one range");
    check(this, "source.tags", props.source.tags, props.source.tags.length > 0, "must name the serverless source's network tag");
    const logConfig = { metadata: "INCLUDE_ALL_METADATA" };
    const redisPort = [{ protocol: "tcp", ports: [String(props.redisPort)] }];

    this.redis = new ComputeFirewall(this, "redis", {
      name: props.redisRuleName,
      description: `${props.source.description} to Redis`,
      network: props.network.name,
      project: props.project,
      direction: "INGRESS",
      priority: 1000,
      sourceRanges: props.source.ranges,
      sourceTags: props.source.tags,
      destinationRanges: [props.redisCidr],
      allow: redisPort,
      logConfig,
    });
    this.redis.overrideLogicalId("allow_vpc_connector_to_redis");

    this.internal = new ComputeFirewall(this, "internal", {
      name: props.internalRuleName,
      description: "Traffic between the network's own ranges",
      network: props.network.name,
      project: props.project,
      direction: "INGRESS",
      priority: 65534,
      sourceRanges: props.internalRanges,
      // Only the serverless path's instances: a VM added to the network later is not opened to it.
      targetTags: props.source.tags,
      allow: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
      logConfig,
    });
    this.internal.overrideLogicalId("allow_internal_vpc_communication");

    if (props.defaultDenyEgress) {
      const { denyRuleName, allowRuleName } = props.defaultDenyEgress;
      checkGcpName(this, "defaultDenyEgress.denyRuleName", denyRuleName);
      checkGcpName(this, "defaultDenyEgress.allowRuleName", allowRuleName);
      // count = 1, like the reference's conditional rules, so the address is the same in both.
      this.denyAllEgress = new ComputeFirewall(this, "deny-all-egress", {
        count: 1,
        name: denyRuleName,
        description: "Default-deny egress; what may leave is allowed explicitly",
        network: props.network.name,
        project: props.project,
        direction: "EGRESS",
        priority: 65534,
        destinationRanges: ["0.0.0.0/0"],
        deny: [{ protocol: "all" }],
        logConfig,
      });
      this.denyAllEgress.overrideLogicalId("deny_all_egress");
      this.redisEgress = new ComputeFirewall(this, "redis-egress", {
        count: 1,
        name: allowRuleName,
        description: `${props.source.description} to Redis, through default-deny egress`,
        network: props.network.name,
        project: props.project,
        direction: "EGRESS",
        priority: 1000,
        targetTags: props.source.tags,
        destinationRanges: [props.redisCidr],
        allow: redisPort,
        logConfig,
      });
      this.redisEgress.overrideLogicalId("allow_vpc_connector_egress_to_redis");
    }
  }
}
