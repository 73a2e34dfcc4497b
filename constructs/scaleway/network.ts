import { Construct } from "constructs";
import { Vpc } from "../../.gen/providers/scaleway/vpc";
import { VpcPrivateNetwork } from "../../.gen/providers/scaleway/vpc-private-network";
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
  readonly vpc: Vpc;
  readonly privateNetwork: VpcPrivateNetwork;
  /** The private network's ID, as a reference so attached resources are ordered after it. */
  readonly id: string;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    checkCidr(this, "cidr", props.cidr);

    this.vpc = new Vpc(this, "vpc", { name: props.vpcName, region: props.region, tags: props.tags });
    this.vpc.overrideLogicalId("main");

    this.privateNetwork = new VpcPrivateNetwork(this, "private-network", {
      name: props.privateNetworkName,
      region: props.region,
      vpcId: this.vpc.id,
      ipv4Subnet: { subnet: props.cidr },
      tags: props.tags,
    });
    this.privateNetwork.overrideLogicalId("main");
    this.id = this.privateNetwork.id;
  }
}
