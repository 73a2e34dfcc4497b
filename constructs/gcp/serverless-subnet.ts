import { ComputeSubnetwork } from "../../.gen/providers/google/compute-subnetwork";
import { Construct } from "constructs";
import { addressed } from "../addresses";
import { INetwork } from "./network";

export interface ServerlessSubnetProps {
  readonly name: string;
  readonly network: INetwork;
  readonly region: string;
  readonly ipCidrRange: string;
  /** Terraform address name: `google_compute_subnetwork.<logicalId>`. */
  readonly logicalId: string;
  readonly project?: string;
}

/** What consumers of a subnet get: references, never the resource. */
export interface SubnetAttributes {
  readonly name: string;
  readonly id: string;
}

/**
 * A subnet for serverless egress (a connector's or Cloud Run's): Private Google Access on, and
 * flow logs at full metadata, so a dropped Redis connection can be traced to its source.
 */
export function serverlessSubnet(scope: Construct, id: string, props: ServerlessSubnetProps): SubnetAttributes {
  const subnet = addressed(new ComputeSubnetwork(scope, id, {
    name: props.name,
    project: props.project,
    network: props.network.selfLink,
    region: props.region,
    ipCidrRange: props.ipCidrRange,
    privateIpGoogleAccess: true,
    logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
  }), props.logicalId);
  return { name: subnet.name, id: subnet.id };
}
