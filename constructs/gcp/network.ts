import { ComputeNetwork } from "../../.gen/providers/google/compute-network";
import { Construct } from "constructs";
import { checkGcpName } from "../validate";

export interface NetworkProps {
  /** Name of the VPC network. */
  readonly name: string;
  /** Project the resources live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
}

/**
 * The custom-mode VPC network every other GCP piece references (`google_compute_network.vpc`).
 * Subnets are created by the pieces that own them, so no range is ever auto-allocated.
 */
export class Network extends Construct {
  readonly network: ComputeNetwork;
  /** The network's name, as a reference so consumers are ordered after it. */
  readonly name: string;
  /** The network's self link, as a reference. */
  readonly selfLink: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    checkGcpName(this, "name", props.name);

    this.network = new ComputeNetwork(this, "vpc", {
      name: props.name,
      project: props.project,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
    });
    this.network.overrideLogicalId("vpc");

    this.name = this.network.name;
    this.selfLink = this.network.selfLink;
  }
}
