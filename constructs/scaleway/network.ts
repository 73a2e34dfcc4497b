import { Construct } from "constructs";
import { Vpc } from "../../.gen/providers/scaleway/vpc";
import { VpcPrivateNetwork } from "../../.gen/providers/scaleway/vpc-private-network";
import { addressed } from "../addresses";
import { LOGICAL_ID } from "../logical-ids";
import { checkCidr } from "../validate";

export interface PrivateNetworkProps {
  readonly vpcName: string;
  readonly privateNetworkName: string;
  readonly region: string;
  /** IPv4 subnet of the private network, e.g. 172.16.0.0/22 (IPAM hands out addresses from it). */
  readonly cidr: string;
  readonly tags: string[];
}

/** The VPC and the regional private network Redis and the containers share (`network.tf`). */
export class PrivateNetwork extends Construct {
  /** The private network's ID, as a reference so attached resources are ordered after it. */
  readonly id: string;
  readonly name: string;
  /** Its IPv4 subnet, as Scaleway reports it. */
  readonly subnet: string;
  readonly vpcId: string;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    checkCidr(this, "cidr", props.cidr);

    const vpc = addressed(new Vpc(this, "vpc", { name: props.vpcName, region: props.region, tags: props.tags }), LOGICAL_ID.scaleway.vpc);
    const privateNetwork = addressed(new VpcPrivateNetwork(this, "private-network", {
      name: props.privateNetworkName,
      region: props.region,
      vpcId: vpc.id,
      ipv4Subnet: { subnet: props.cidr },
      tags: props.tags,
    }), LOGICAL_ID.scaleway.privateNetwork);
    this.id = privateNetwork.id;
    this.name = privateNetwork.name;
    this.subnet = privateNetwork.ipv4Subnet.subnet;
    this.vpcId = vpc.id;
  }
}
