import { ComputeRouter } from "../../.gen/providers/google/compute-router";
import { ComputeRouterNat } from "../../.gen/providers/google/compute-router-nat";
import { Construct } from "constructs";
import { addressed, defaultAddress, firstInstance } from "../addresses";
import { checkGcpName } from "../validate";
import { INetwork } from "./network";

/** Terraform address names of the router and its NAT. */
export interface VpcNatAddresses {
  /** `google_compute_router`. @default the construct ID, snake case, then `_router` */
  readonly router?: string;
  /** `google_compute_router_nat`. @default the construct ID, snake case */
  readonly nat?: string;
}

export interface VpcNatProps {
  readonly network: INetwork;
  readonly region: string;
  readonly routerName: string;
  readonly natName: string;
  /** ID of the only subnet whose traffic is translated (the connector's). */
  readonly subnetworkId: string;
  /** Project the resources live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
  /** The resources' Terraform address names. @default derived from the construct ID */
  readonly addresses?: VpcNatAddresses;
}

/**
 * Cloud Router and Cloud NAT for the connector's subnet (`vpc-nat.tf`). Create this construct only
 * where NAT is wanted. Both resources carry `count = 1`: the hand-written file made them conditional
 * with `count`, so their state lives at `[0]` and keeping that address avoids any state move.
 * The NAT takes its router and subnet by reference, which is what orders it after both.
 */
export class VpcNat extends Construct {
  readonly routerName: string;
  readonly natName: string;

  constructor(scope: Construct, id: string, props: VpcNatProps) {
    super(scope, id);
    checkGcpName(this, "routerName", props.routerName);
    checkGcpName(this, "natName", props.natName);

    const router = addressed(new ComputeRouter(this, "router", {
      count: 1,
      name: props.routerName,
      project: props.project,
      region: props.region,
      network: props.network.selfLink,
    }), props.addresses?.router ?? defaultAddress(id, "router"));
    addressed(new ComputeRouterNat(this, "nat", {
      count: 1,
      name: props.natName,
      project: props.project,
      region: props.region,
      router: firstInstance(router, "name"),
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: [{ name: props.subnetworkId, sourceIpRangesToNat: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    }), props.addresses?.nat ?? defaultAddress(id));
    this.routerName = props.routerName;
    this.natName = props.natName;
  }
}
