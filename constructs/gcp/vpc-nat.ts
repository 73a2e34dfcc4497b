import { ComputeRouter } from "../../.gen/providers/google/compute-router";
import { ComputeRouterNat } from "../../.gen/providers/google/compute-router-nat";
import { ComputeSubnetwork } from "../../.gen/providers/google/compute-subnetwork";
import { Construct } from "constructs";
import { firstInstance } from "../addresses";
import { checkGcpName } from "../validate";
import { Network } from "./network";

export interface VpcNatProps {
  readonly network: Network;
  readonly region: string;
  readonly routerName: string;
  readonly natName: string;
  /** The only subnet whose traffic is translated (the connector's). */
  readonly subnetwork: ComputeSubnetwork;
  /** Project the resources live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
}

/**
 * Cloud Router and Cloud NAT for the connector's subnet (`vpc-nat.tf`). Create this construct only
 * where NAT is wanted. Both resources carry `count = 1`: the hand-written file made them conditional
 * with `count`, so their state lives at `[0]` and keeping that address avoids any state move.
 * The NAT takes its router and subnet by reference, which is what orders it after both.
 */
export class VpcNat extends Construct {
  readonly router: ComputeRouter;
  readonly nat: ComputeRouterNat;

  constructor(scope: Construct, id: string, props: VpcNatProps) {
    super(scope, id);
    checkGcpName(this, "routerName", props.routerName);
    checkGcpName(this, "natName", props.natName);

    this.router = new ComputeRouter(this, "router", {
      count: 1,
      name: props.routerName,
      project: props.project,
      region: props.region,
      network: props.network.selfLink,
    });
    this.router.overrideLogicalId("router");

    this.nat = new ComputeRouterNat(this, "nat", {
      count: 1,
      name: props.natName,
      project: props.project,
      region: props.region,
      router: firstInstance(this.router, "name"),
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: [{ name: props.subnetwork.id, sourceIpRangesToNat: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });
    this.nat.overrideLogicalId("nat");
  }
}
