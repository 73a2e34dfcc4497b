import { ComputeNetwork } from "../../.gen/providers/google/compute-network";
import { Construct } from "constructs";
import { addressed, ImportBlock } from "../addresses";
import { LOGICAL_ID } from "../logical-ids";
import { checkGcpName } from "../validate";

export interface NetworkProps {
  /** Name of the VPC network. */
  readonly name: string;
  /** Project the resources live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
  /** The live network's ID (`projects/<p>/global/networks/<name>`): imported instead of created. */
  readonly importId?: string;
}

/**
 * The custom-mode VPC network every other GCP piece references (`google_compute_network.vpc`).
 * Subnets are created by the pieces that own them, so no range is ever auto-allocated.
 */
export class Network extends Construct {
  /** The network's name, as a reference so consumers are ordered after it. */
  readonly name: string;
  /** The network's self link, as a reference. */
  readonly selfLink: string;
  /** `projects/<p>/global/networks/<name>`, as a reference. */
  readonly id: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    checkGcpName(this, "name", props.name);

    const network = addressed(new ComputeNetwork(this, "vpc", {
      name: props.name,
      project: props.project,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
    }), LOGICAL_ID.gcp.network);
    if (props.importId) new ImportBlock(network, props.importId);

    this.name = network.name;
    this.selfLink = network.selfLink;
    this.id = network.id;
  }
}
