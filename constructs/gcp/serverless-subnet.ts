import { ComputeSubnetwork } from "../../.gen/providers/google/compute-subnetwork";
import { Construct } from "constructs";
import { Network } from "./network";

export interface ServerlessSubnetProps {
  readonly name: string;
  readonly network: Network;
  readonly region: string;
  readonly ipCidrRange: string;
  /** Terraform address name: `google_compute_subnetwork.<logicalId>`. */
  readonly logicalId: string;
  readonly project?: string;
}

/**
 * A subnet for serverless egress (a connector's or Cloud Run's): Private Google Access on, and
 * flow logs at full metadata, so a dropped Redis connection can be traced to its source.
 */
export function serverlessSubnet(scope: Construct, id: string, props: ServerlessSubnetProps): ComputeSubnetwork {
  const subnet = new ComputeSubnetwork(scope, id, {
    name: props.name,
    project: props.project,
    network: props.network.selfLink,
    region: props.region,
    ipCidrRange: props.ipCidrRange,
    privateIpGoogleAccess: true,
    logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
  });
  subnet.overrideLogicalId(props.logicalId);
  return subnet;
}
