import { Construct } from "constructs";
import { Vpc } from "../../.gen/providers/scaleway/vpc";
import { VpcPrivateNetwork } from "../../.gen/providers/scaleway/vpc-private-network";
import { addressed, defaultAddress } from "../addresses";
import { check, checkCidr } from "../validate";

/**
 * A private network as the constructs that attach to it see it: one this stack creates
 * (`PrivateNetwork`) or one it only references (`PrivateNetwork.fromId`).
 */
export interface IPrivateNetwork {
  /** The private network's ID (`<region>/<uuid>`, or a reference). */
  readonly id: string;
  /** Its name, where known. */
  readonly name?: string;
  /** Its IPv4 subnet, where known. */
  readonly subnet?: string;
  /** The VPC it belongs to, where known. */
  readonly vpcId?: string;
}

export interface PrivateNetworkProps {
  readonly vpcName: string;
  readonly privateNetworkName: string;
  readonly region: string;
  /** IPv4 subnet of the private network, e.g. 172.16.0.0/22 (IPAM hands out addresses from it). */
  readonly cidr: string;
  readonly tags: string[];
  /** Terraform address names of the VPC and the private network. @default the construct ID, snake case (and `_vpc`) */
  readonly addresses?: { readonly vpc?: string; readonly privateNetwork?: string };
}

/** A private network another stack owns: its ID, and what else the caller knows of it. */
export interface PrivateNetworkReferenceProps {
  /** `<region>/<uuid>` or a bare UUID. */
  readonly id: string;
  readonly name?: string;
  readonly subnet?: string;
  readonly vpcId?: string;
}

/** The VPC and the regional private network Redis and the containers share (`network.tf`). */
export class PrivateNetwork extends Construct implements IPrivateNetwork {
  /** A private network this stack does not own, by ID: creates no resource. */
  static fromId(scope: Construct, id: string, props: PrivateNetworkReferenceProps): IPrivateNetwork {
    const reference = new Construct(scope, id);
    check(reference, "id", props.id, /^([a-z]{2}-[a-z]{3}(-\d)?\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(props.id) ? undefined : "must be a private network ID: <region>/<uuid> or <uuid>");
    if (props.subnet !== undefined) checkCidr(reference, "subnet", props.subnet);
    return { id: props.id, name: props.name, subnet: props.subnet, vpcId: props.vpcId };
  }

  /** The private network's ID, as a reference so attached resources are ordered after it. */
  readonly id: string;
  readonly name: string;
  /** Its IPv4 subnet, as Scaleway reports it. */
  readonly subnet: string;
  readonly vpcId: string;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    checkCidr(this, "cidr", props.cidr);

    const vpc = addressed(new Vpc(this, "vpc", { name: props.vpcName, region: props.region, tags: props.tags }), props.addresses?.vpc ?? defaultAddress(id, "vpc"));
    const privateNetwork = addressed(new VpcPrivateNetwork(this, "private-network", {
      name: props.privateNetworkName,
      region: props.region,
      vpcId: vpc.id,
      ipv4Subnet: { subnet: props.cidr },
      tags: props.tags,
    }), props.addresses?.privateNetwork ?? defaultAddress(id));
    this.id = privateNetwork.id;
    this.name = privateNetwork.name;
    this.subnet = privateNetwork.ipv4Subnet.subnet;
    this.vpcId = vpc.id;
  }
}
