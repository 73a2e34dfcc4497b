import { Construct } from "constructs";
import { defaultAddress } from "../addresses";
import { checkCidr, checkGcpName } from "../validate";
import { INetwork } from "./network";
import { serverlessSubnet } from "./serverless-subnet";

export interface DirectVpcEgressProps {
  readonly network: INetwork;
  readonly region: string;
  /** Name of the subnet Cloud Run instances take their addresses from. */
  readonly subnetName: string;
  /** Its range: Google asks for at least a /26 (instances scale into it). */
  readonly ipCidrRange: string;
  /** Network tag Cloud Run puts on the instances; firewall rules select them by it. */
  readonly networkTag: string;
  /** Terraform address name of the subnet. @default the construct ID, snake case, then `_subnet` */
  readonly subnetLogicalId?: string;
}

/**
 * Direct VPC egress, Google's recommended alternative to a connector: Cloud Run instances join a
 * subnet of ours directly, so there are no connector VMs to size, pay for or lose. Their addresses
 * are not fixed, so firewall rules follow the network tag rather than a range.
 */
export class DirectVpcEgress extends Construct {
  readonly subnetName: string;
  readonly ipCidrRange: string;
  readonly networkTag: string;
  /** What Cloud Run's `vpc_access.network_interfaces` takes. */
  readonly networkInterface: { readonly network: string; readonly subnetwork: string; readonly tags: string[] };

  constructor(scope: Construct, id: string, props: DirectVpcEgressProps) {
    super(scope, id);
    checkGcpName(this, "subnetName", props.subnetName);
    checkGcpName(this, "networkTag", props.networkTag);
    checkCidr(this, "ipCidrRange", props.ipCidrRange);

    const subnet = serverlessSubnet(this, "subnet", {
      name: props.subnetName,
      network: props.network,
      region: props.region,
      ipCidrRange: props.ipCidrRange,
      logicalId: props.subnetLogicalId ?? defaultAddress(id, "subnet"),
    });
    this.subnetName = subnet.name;
    this.ipCidrRange = props.ipCidrRange;
    this.networkTag = props.networkTag;
    this.networkInterface = { network: props.network.name, subnetwork: subnet.name, tags: [props.networkTag] };
  }
}
