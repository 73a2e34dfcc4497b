import { ComputeFirewall, ComputeFirewallConfig } from "../../.gen/providers/google/compute-firewall";
import { ProjectIamMember } from "../../.gen/providers/google/project-iam-member";
import { Construct } from "constructs";
import { check, checkGcpName } from "../validate";
import { Network } from "./network";

/** Google's ranges for Serverless VPC Access in a Shared VPC (current as of 2026-11). */
export const SERVERLESS_RANGE = "35.199.224.0/19";
export const HEALTH_CHECK_RANGES = ["35.191.0.0/16", "35.191.192.0/18", "130.211.0.0/22"];
/** Every connector's VMs carry this tag (and `vpc-connector-REGION-NAME`). */
const CONNECTOR_TAG = "vpc-connector";
const CONNECTOR_PROTOCOLS = [{ protocol: "tcp", ports: ["667"] }, { protocol: "udp", ports: ["665-666"] }, { protocol: "icmp" }];

export interface SharedVpcConnectorAccessProps {
  /** The host project's network the connector lives in. */
  readonly network: Network;
  readonly hostProject: string;
  /** Number of the service project, whose Cloud Run service agent uses the connector. */
  readonly serviceProjectNumber: string;
  /** Prefix of the rule names (firewall names are per project). */
  readonly namePrefix: string;
}

/**
 * What Google requires when the connector lives in a Shared VPC host project and the service in
 * a service project. In a single project Google adds these firewall rules implicitly, so this
 * construct must not be used there. The four rules are the ones Google documents:
 * - serverless-to-vpc-connector: Google's serverless infrastructure to the connector
 * - vpc-connector-to-serverless: the way back
 * - vpc-connector-health-checks: Google's health checks
 * - vpc-connector-requests: the connector into the network
 * The service project's Cloud Run service agent may also use connectors in the host project
 * (`roles/vpcaccess.user`) and see its network (`roles/compute.networkViewer`).
 */
export class SharedVpcConnectorAccess extends Construct {
  readonly rules: ComputeFirewall[] = [];
  readonly grants: ProjectIamMember[] = [];

  constructor(scope: Construct, id: string, props: SharedVpcConnectorAccessProps) {
    super(scope, id);
    check(this, "serviceProjectNumber", props.serviceProjectNumber, /^\d{6,20}$/.test(props.serviceProjectNumber), "must be a GCP project number (digits)");
    const rule = (logicalId: string, part: string, config: Omit<ComputeFirewallConfig, "name" | "network" | "project">) => {
      const name = `${props.namePrefix}-${part}`;
      checkGcpName(this, `${part} rule name`, name);
      const firewall = new ComputeFirewall(this, part, { name, network: props.network.name, project: props.hostProject, priority: 1000, ...config });
      firewall.overrideLogicalId(logicalId);
      this.rules.push(firewall);
    };
    rule("serverless_to_vpc_connector", "serverless-to-vpc-connector", {
      description: "Google's serverless infrastructure to the connector (Shared VPC)",
      direction: "INGRESS",
      sourceRanges: [SERVERLESS_RANGE],
      targetTags: [CONNECTOR_TAG],
      allow: CONNECTOR_PROTOCOLS,
    });
    rule("vpc_connector_to_serverless", "vpc-connector-to-serverless", {
      description: "The connector back to Google's serverless infrastructure (Shared VPC)",
      direction: "EGRESS",
      destinationRanges: [SERVERLESS_RANGE],
      targetTags: [CONNECTOR_TAG],
      allow: CONNECTOR_PROTOCOLS,
    });
    rule("vpc_connector_health_checks", "vpc-connector-health-checks", {
      description: "Google's health checks of the connector (Shared VPC)",
      direction: "INGRESS",
      sourceRanges: HEALTH_CHECK_RANGES,
      targetTags: [CONNECTOR_TAG],
      allow: [{ protocol: "tcp", ports: ["667"] }],
    });
    rule("vpc_connector_requests", "vpc-connector-requests", {
      description: "Requests from the connector into the network (Shared VPC)",
      direction: "INGRESS",
      sourceTags: [CONNECTOR_TAG],
      allow: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
    });

    const serviceAgent = `serviceAccount:service-${props.serviceProjectNumber}@serverless-robot-prod.iam.gserviceaccount.com`;
    for (const [logicalId, role] of [["cloud_run_vpcaccess_user", "roles/vpcaccess.user"], ["cloud_run_network_viewer", "roles/compute.networkViewer"]]) {
      const grant = new ProjectIamMember(this, logicalId, { project: props.hostProject, role, member: serviceAgent });
      grant.overrideLogicalId(logicalId);
      this.grants.push(grant);
    }
  }
}
