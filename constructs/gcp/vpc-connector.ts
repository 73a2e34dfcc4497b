import { VpcAccessConnector } from "../../.gen/providers/google/vpc-access-connector";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CONNECTOR, ConnectorMachineType, connectorNameProblem, connectorNetworkTag } from "../../limits/gcp";
import { addressed, defaultAddress, waitFor } from "../addresses";
import { check, checkCidr, checkGcpName, checkInt } from "../validate";
import { INetwork } from "./network";
import { serverlessSubnet } from "./serverless-subnet";

/** Terraform address names of the connector and its subnet. */
export interface VpcConnectorAddresses {
  /** `google_compute_subnetwork`. @default the construct ID, snake case, then `_subnet` */
  readonly subnet?: string;
  /** `google_vpc_access_connector`. @default the construct ID, snake case */
  readonly connector?: string;
}

export interface VpcConnectorProps {
  readonly network: INetwork;
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
  readonly machineType?: ConnectorMachineType;
  /** Project the resources live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
  /** The resources' Terraform address names. @default derived from the construct ID */
  readonly addresses?: VpcConnectorAddresses;
}

/**
 * Serverless VPC Access connector on a dedicated /28 subnet (`vpc-connector.tf`). The subnet is
 * ours rather than one Google creates from `ip_cidr_range`, so NAT and firewall rules can name it.
 */
export class VpcConnector extends Construct {
  /** The connector's ID, what Cloud Run's `vpc_access.connector` takes. */
  readonly id: string;
  readonly name: string;
  /** The subnet's ID, for NAT. */
  readonly subnetId: string;
  /** The connector's source range, for rules that must match it exactly. */
  readonly ipCidrRange: string;
  /** Network tag Google puts on this connector's instances. */
  readonly networkTag: string;
  private readonly connector: VpcAccessConnector;

  constructor(scope: Construct, id: string, props: VpcConnectorProps) {
    super(scope, id);
    const minInstances = props.minInstances ?? CONNECTOR.minInstances.default;
    const maxInstances = props.maxInstances ?? CONNECTOR.maxInstances.default;
    check(this, "name", props.name, connectorNameProblem(props.name));
    checkGcpName(this, "subnetName", props.subnetName);
    checkCidr(this, "ipCidrRange", props.ipCidrRange, CONNECTOR.prefix);
    checkInt(this, "minInstances", minInstances, CONNECTOR.minInstances);
    checkInt(this, "maxInstances", maxInstances, { min: Math.max(CONNECTOR.maxInstances.min, minInstances + 1), max: CONNECTOR.maxInstances.max });

    const subnet = serverlessSubnet(this, "subnet", {
      name: props.subnetName,
      project: props.project,
      network: props.network,
      region: props.region,
      ipCidrRange: props.ipCidrRange,
      logicalId: props.addresses?.subnet ?? defaultAddress(id, "subnet"),
    });

    this.connector = addressed(new VpcAccessConnector(this, "connector", {
      name: props.name,
      project: props.project,
      region: props.region,
      // A subnet of a Shared VPC host project is named together with its project.
      subnet: { name: subnet.name, projectId: props.project },
      minInstances,
      maxInstances,
      machineType: props.machineType ?? CONNECTOR.defaultMachineType,
    }), props.addresses?.connector ?? defaultAddress(id));

    this.id = this.connector.id;
    this.name = props.name;
    this.subnetId = subnet.id;
    this.ipCidrRange = props.ipCidrRange;
    this.networkTag = connectorNetworkTag(props.region, props.name);
  }

  /** Creates the connector only after `dependencies`: serverless traffic flows the moment it is up. */
  waitFor(...dependencies: ITerraformDependable[]): void {
    waitFor(this.connector, ...dependencies);
  }
}
