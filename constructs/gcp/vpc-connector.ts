import { ComputeSubnetwork } from "../../.gen/providers/google/compute-subnetwork";
import { VpcAccessConnector } from "../../.gen/providers/google/vpc-access-connector";
import { Construct } from "constructs";
import { check, checkCidr, checkGcpName } from "../validate";
import { Network } from "./network";
import { serverlessSubnet } from "./serverless-subnet";

/** A name's length as Google counts it for connectors: each hyphen counts two. */
export function connectorNameLength(name: string): number {
  return name.length + (name.match(/-/g) ?? []).length;
}

/**
 * Google's connector name rule: lowercase letters, digits and hyphens, starting with a letter and
 * not ending with a hyphen, fewer than 21 characters where each hyphen counts as two
 * (`production-connector` counts 21 and is refused). Returns the broken rule, or undefined.
 */
export function connectorNameProblem(name: string): string | undefined {
  const counted = connectorNameLength(name);
  if (!/^[a-z](?:[-a-z0-9]*[a-z0-9])?$/.test(name)) return "must be lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen";
  if (counted > 20) return `counts ${counted} characters (each hyphen counts two); Google requires fewer than 21`;
  return undefined;
}

/** The machine types Serverless VPC Access offers. */
export const CONNECTOR_MACHINE_TYPES = ["f1-micro", "e2-micro", "e2-standard-4"] as const;

export interface VpcConnectorProps {
  readonly network: Network;
  readonly region: string;
  /** Connector name: fewer than 21 characters, each hyphen counting two (`connectorNameProblem`). */
  readonly name: string;
  /** Name of the connector's dedicated subnet. */
  readonly subnetName: string;
  /** The connector's /28 range; Serverless VPC Access accepts nothing else. */
  readonly ipCidrRange: string;
  /** @default 2 */
  readonly minInstances?: number;
  /** @default 3 */
  readonly maxInstances?: number;
  /** @default "e2-micro" */
  readonly machineType?: (typeof CONNECTOR_MACHINE_TYPES)[number];
  /** Project the resources live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
}

/**
 * Serverless VPC Access connector on a dedicated /28 subnet (`vpc-connector.tf`). The subnet is
 * ours rather than one Google creates from `ip_cidr_range`, so NAT and firewall rules can name it.
 */
export class VpcConnector extends Construct {
  readonly subnet: ComputeSubnetwork;
  readonly connector: VpcAccessConnector;
  /** The connector's source range, for rules that must match it exactly. */
  readonly ipCidrRange: string;
  /** Network tag Google puts on this connector's instances. */
  readonly networkTag: string;

  constructor(scope: Construct, id: string, props: VpcConnectorProps) {
    super(scope, id);
    const minInstances = props.minInstances ?? 2;
    const maxInstances = props.maxInstances ?? 3;
    const nameProblem = connectorNameProblem(props.name);
    check(this, "name", props.name, nameProblem === undefined, nameProblem ?? "");
    checkGcpName(this, "subnetName", props.subnetName);
    checkCidr(this, "ipCidrRange", props.ipCidrRange, 28);
    check(this, "minInstances", minInstances, Number.isInteger(minInstances) && minInstances >= 2 && minInstances <= 9, "must be an integer from 2 to 9");
    check(this, "maxInstances", maxInstances, Number.isInteger(maxInstances) && maxInstances > minInstances && maxInstances <= 10, `must be an integer above minInstances (${minInstances}) and at most 10`);

    this.subnet = serverlessSubnet(this, "subnet", {
      name: props.subnetName,
      project: props.project,
      network: props.network,
      region: props.region,
      ipCidrRange: props.ipCidrRange,
      logicalId: "connector",
    });

    this.connector = new VpcAccessConnector(this, "connector", {
      name: props.name,
      project: props.project,
      region: props.region,
      // A subnet of a Shared VPC host project is named together with its project.
      subnet: { name: this.subnet.name, projectId: props.project },
      minInstances,
      maxInstances,
      machineType: props.machineType ?? "e2-micro",
    });
    this.connector.overrideLogicalId("connector");

    this.ipCidrRange = props.ipCidrRange;
    this.networkTag = `vpc-connector-${props.region}-${props.name}`;
  }
}
