import { ComputeFirewall } from "../../.gen/providers/google/compute-firewall";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { TCP_PORT } from "../../limits/rule";
import { addressed } from "../addresses";
import { check, checkCidr, checkGcpName } from "../validate";
import { INetwork } from "./network";

/** A protocol a rule allows or denies, with its ports ("443", "665-666"); none: every port. */
export interface FirewallProtocol {
  readonly protocol: string;
  readonly ports?: string[];
}

/** One firewall rule as data: `FirewallRules` adds its name, network, project, logging and address. */
export interface FirewallRuleSpec {
  /** Terraform address name; the rule's name follows from it. */
  readonly logicalId: string;
  readonly description: string;
  readonly direction: "INGRESS" | "EGRESS";
  /** @default 1000 */
  readonly priority?: number;
  readonly sourceRanges?: string[];
  readonly sourceTags?: string[];
  readonly destinationRanges?: string[];
  readonly targetTags?: string[];
  readonly allow?: FirewallProtocol[];
  readonly deny?: FirewallProtocol[];
  /** Created with `count = 1`, as the reference's conditional rules are, so both address `[0]`. */
  readonly counted?: boolean;
}

export interface FirewallRulesProps {
  readonly network: INetwork;
  readonly rules: readonly FirewallRuleSpec[];
  /** The name of the rule with this logical ID. Firewall names are project-wide. */
  readonly ruleName: (logicalId: string) => string;
  /** Firewall Rules Logging with full metadata, so a dropped connection shows up as a log line. @default true */
  readonly logging?: boolean;
  /** Project the rules live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
}

const PORTS = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** A list of firewall rules on one network, each checked before Google would refuse it. */
export class FirewallRules extends Construct {
  /** Each rule by its logical ID, for resources that must wait for it. */
  readonly rules: Readonly<Record<string, ITerraformDependable>>;

  constructor(scope: Construct, id: string, props: FirewallRulesProps) {
    super(scope, id);
    const logConfig = props.logging === false ? undefined : { metadata: "INCLUDE_ALL_METADATA" };
    const rules: Record<string, ITerraformDependable> = {};
    for (const spec of props.rules) {
      const name = props.ruleName(spec.logicalId);
      this.checkSpec(spec, name);
      const { logicalId, counted, priority, ...rule } = spec;
      rules[logicalId] = addressed(new ComputeFirewall(this, logicalId, {
        ...rule,
        name,
        count: counted ? 1 : undefined,
        network: props.network.name,
        project: props.project,
        priority: priority ?? 1000,
        logConfig,
      }), logicalId);
    }
    this.rules = rules;
  }

  private checkSpec(spec: FirewallRuleSpec, name: string): void {
    const at = spec.logicalId;
    checkGcpName(this, `${at}.name`, name);
    for (const field of ["sourceRanges", "destinationRanges"] as const) {
      (spec[field] ?? []).forEach((range, i) => checkCidr(this, `${at}.${field}[${i}]`, range));
    }
    for (const field of ["allow", "deny"] as const) {
      (spec[field] ?? []).forEach(({ ports }, i) => ports?.forEach((port, j) => {
        // No match leaves `from` undefined, and Number(undefined) is NaN, which fails every bound.
        // Stryker disable next-line ArrayDeclaration: an equivalent mutant, any array without a second entry leaves `from` undefined
        const [, from, to] = PORTS.exec(port) ?? [];
        const ok = [from, to ?? from].every((p) => Number(p) >= TCP_PORT.min && Number(p) <= TCP_PORT.max) && Number(from) <= Number(to ?? from);
        check(this, `${at}.${field}[${i}].ports[${j}]`, port, ok ? undefined : "must be a TCP/UDP port or range within 1-65535");
      }));
    }
    // Google reads an ingress rule without a source as 0.0.0.0/0.
    const sources = (spec.sourceRanges?.length ?? 0) + (spec.sourceTags?.length ?? 0);
    if (spec.direction === "INGRESS") check(this, `${at}.sourceRanges`, spec.sourceRanges ?? [], sources > 0 ? undefined : "must name a source (with no source range or tag, Google admits every address)");
  }
}

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

export interface RedisPathRulesProps {
  /** Source of the Redis rule: taken as given from the connector or the workload, never retyped. */
  readonly source: ServerlessSource;
  /** The range Redis is served from. */
  readonly redisCidr: string;
  readonly redisPort: number;
  /** Every range inside the network that may talk to the serverless source (the rule's targets are its tags). */
  readonly internalRanges: string[];
  /** Terraform address names of the Redis rule and the internal rule. */
  readonly logicalIds: { readonly redis: string; readonly internal: string };
}

/**
 * The two ingress rules of `firewall-rules.tf`. Memorystore sits in a Google-managed network
 * peered with ours, and ingress rules in our VPC do not filter traffic into a peered network: the
 * Redis rule documents intent and scopes the path to the serverless source (range and network
 * tag), but what actually guards Redis is AUTH, TLS and, where egress is denied by default, the
 * egress allow of `defaultDenyEgressRules`.
 */
export function redisPathRules(props: RedisPathRulesProps): FirewallRuleSpec[] {
  if (props.source.tags.length === 0) throw new Error(`redis path rules: source.tags [] must name the serverless source's network tag`);
  return [
    {
      logicalId: props.logicalIds.redis,
      description: `${props.source.description} to Redis`,
      direction: "INGRESS",
      sourceRanges: props.source.ranges,
      sourceTags: props.source.tags,
      destinationRanges: [props.redisCidr],
      allow: [{ protocol: "tcp", ports: [String(props.redisPort)] }],
    },
    {
      logicalId: props.logicalIds.internal,
      description: "Traffic between the network's own ranges",
      direction: "INGRESS",
      priority: 65534,
      sourceRanges: props.internalRanges,
      // Only the serverless path's instances: a VM added to the network later is not opened to it.
      targetTags: props.source.tags,
      allow: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
    },
  ];
}

export interface DefaultDenyEgressRulesProps {
  readonly source: ServerlessSource;
  readonly redisCidr: string;
  readonly redisPort: number;
  /** Terraform address names of the deny and the egress allow to Redis. */
  readonly logicalIds: { readonly denyAllEgress: string; readonly redisEgress: string };
}

/** For a network whose egress is denied by default: the lowest-priority deny and the way to Redis. */
export function defaultDenyEgressRules(props: DefaultDenyEgressRulesProps): FirewallRuleSpec[] {
  return [
    {
      logicalId: props.logicalIds.denyAllEgress,
      description: "Default-deny egress; what may leave is allowed explicitly",
      direction: "EGRESS",
      priority: 65534,
      destinationRanges: ["0.0.0.0/0"],
      deny: [{ protocol: "all" }],
      counted: true,
    },
    {
      logicalId: props.logicalIds.redisEgress,
      description: `${props.source.description} to Redis, through default-deny egress`,
      direction: "EGRESS",
      targetTags: props.source.tags,
      destinationRanges: [props.redisCidr],
      allow: [{ protocol: "tcp", ports: [String(props.redisPort)] }],
      counted: true,
    },
  ];
}
