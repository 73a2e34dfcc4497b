import { ComputeNetwork } from "../../.gen/providers/google/compute-network";
import { Construct } from "constructs";
import { addressed, defaultAddress, ImportBlock } from "../addresses";
import { PROJECT_ID } from "../../limits/gcp";
import { checkGcpName, checkText } from "../validate";

/**
 * A VPC network as the constructs that attach to it see it: one this stack creates (`Network`) or
 * one it only references (`Network.fromName`).
 */
export interface INetwork {
  /** The network's name (a reference when the stack creates it, so consumers are ordered after it). */
  readonly name: string;
  /** The network's self link. */
  readonly selfLink: string;
  /** `projects/<p>/global/networks/<name>`. */
  readonly id: string;
}

export interface NetworkProps {
  /** Name of the VPC network. */
  readonly name: string;
  /** Project the resources live in: a Shared VPC host project. @default the provider's project */
  readonly project?: string;
  /** The live network's ID (`projects/<p>/global/networks/<name>`): imported instead of created. */
  readonly importId?: string;
  /** Terraform address name of the `google_compute_network`. @default the construct ID, snake case */
  readonly logicalId?: string;
}

/** A network another stack or team owns, by name: nothing is created. */
export interface NetworkReferenceProps {
  /** Name of the existing VPC network. */
  readonly name: string;
  /** The project that holds it (a Shared VPC host project, say). */
  readonly project: string;
}

/**
 * The custom-mode VPC network every other GCP piece references (`google_compute_network.vpc`).
 * Subnets are created by the pieces that own them, so no range is ever auto-allocated.
 */
export class Network extends Construct implements INetwork {
  /**
   * A network this stack does not own, by name and project: creates no resource, so nothing in
   * this stack can change or destroy it. Its attributes are plain strings, not references.
   */
  static fromName(scope: Construct, id: string, props: NetworkReferenceProps): INetwork {
    const reference = new Construct(scope, id);
    checkGcpName(reference, "name", props.name);
    checkText(reference, "project", props.project, PROJECT_ID);
    const path = `projects/${props.project}/global/networks/${props.name}`;
    return { name: props.name, id: path, selfLink: `https://www.googleapis.com/compute/v1/${path}` };
  }

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
    }), props.logicalId ?? defaultAddress(id));
    if (props.importId) new ImportBlock(network, props.importId);

    this.name = network.name;
    this.selfLink = network.selfLink;
    this.id = network.id;
  }
}
