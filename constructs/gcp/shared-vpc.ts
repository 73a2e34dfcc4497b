import { ProjectIamMember } from "../../.gen/providers/google/project-iam-member";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CONNECTOR_TAG, HEALTH_CHECK_RANGES, PROJECT_NUMBER, SERVERLESS_RANGE } from "../../limits/gcp";
import { addressed, defaultAddress } from "../addresses";
import { checkText } from "../validate";
import { FirewallRules, FirewallRuleSpec } from "./firewall-rules";
import { INetwork } from "./network";

const CONNECTOR_PROTOCOLS = [{ protocol: "tcp", ports: ["667"] }, { protocol: "udp", ports: ["665-666"] }, { protocol: "icmp" }];

/** Terraform address names of the Shared VPC rules and grants. */
export interface SharedVpcConnectorAddresses {
  readonly serverlessToConnector: string;
  readonly connectorToServerless: string;
  readonly connectorHealthChecks: string;
  readonly connectorRequests: string;
  /** The service agent's `roles/vpcaccess.user` in the host project. */
  readonly vpcAccessUser: string;
  /** The service agent's `roles/compute.networkViewer` in the host project. */
  readonly networkViewer: string;
}

/** The rules Google documents for a connector in a Shared VPC host project, under `firewall`'s addresses. */
export const sharedVpcConnectorRules = (firewall: SharedVpcConnectorAddresses): readonly FirewallRuleSpec[] => [
  {
    logicalId: firewall.serverlessToConnector,
    description: "Google's serverless infrastructure to the connector (Shared VPC)",
    direction: "INGRESS",
    sourceRanges: [SERVERLESS_RANGE],
    targetTags: [CONNECTOR_TAG],
    allow: CONNECTOR_PROTOCOLS,
  },
  {
    logicalId: firewall.connectorToServerless,
    description: "The connector back to Google's serverless infrastructure (Shared VPC)",
    direction: "EGRESS",
    destinationRanges: [SERVERLESS_RANGE],
    targetTags: [CONNECTOR_TAG],
    allow: CONNECTOR_PROTOCOLS,
  },
  {
    logicalId: firewall.connectorHealthChecks,
    description: "Google's health checks of the connector (Shared VPC)",
    direction: "INGRESS",
    sourceRanges: HEALTH_CHECK_RANGES,
    targetTags: [CONNECTOR_TAG],
    allow: [{ protocol: "tcp", ports: ["667"] }],
  },
  {
    logicalId: firewall.connectorRequests,
    description: "Requests from the connector into the network (Shared VPC)",
    direction: "INGRESS",
    sourceTags: [CONNECTOR_TAG],
    allow: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
  },
];

export interface SharedVpcConnectorAccessProps {
  /** The host project's network the connector lives in. */
  readonly network: INetwork;
  readonly hostProject: string;
  /** Number of the service project, whose Cloud Run service agent uses the connector. */
  readonly serviceProjectNumber: string;
  /** The name of the rule with this logical ID. Firewall names are project-wide. */
  readonly ruleName: (logicalId: string) => string;
  /**
   * The resources' Terraform address names.
   * @default the construct ID, snake case, then the key in snake case
   */
  readonly addresses?: Partial<SharedVpcConnectorAddresses>;
}

/**
 * What Google requires when the connector lives in a Shared VPC host project and the service in
 * a service project. In a single project Google adds these firewall rules implicitly, so this
 * construct must not be used there: the four rules of `sharedVpcConnectorRules`, and the service
 * project's Cloud Run service agent may use connectors in the host project
 * (`roles/vpcaccess.user`) and see its network (`roles/compute.networkViewer`).
 */
export class SharedVpcConnectorAccess extends Construct {
  /** What the connector waits for: Google's traffic may reach it. */
  readonly rules: ITerraformDependable[];
  /** What the service waits for: its service agent may use the connector. */
  readonly grants: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: SharedVpcConnectorAccessProps) {
    super(scope, id);
    checkText(this, "serviceProjectNumber", props.serviceProjectNumber, PROJECT_NUMBER);
    const keys = ["serverlessToConnector", "connectorToServerless", "connectorHealthChecks", "connectorRequests", "vpcAccessUser", "networkViewer"] as const;
    const addresses = Object.fromEntries(keys.map((key) => [key, props.addresses?.[key] ?? defaultAddress(id, defaultAddress(key))])) as unknown as SharedVpcConnectorAddresses;
    // Unlogged: these carry Google's own traffic (health checks every few seconds), which would fill the logs at a cost and tell nothing.
    const rules = new FirewallRules(this, "rules", { network: props.network, project: props.hostProject, rules: sharedVpcConnectorRules(addresses), ruleName: props.ruleName, logging: false });
    this.rules = Object.values(rules.rules);

    const serviceAgent = `serviceAccount:service-${props.serviceProjectNumber}@serverless-robot-prod.iam.gserviceaccount.com`;
    const roles = [[addresses.vpcAccessUser, "roles/vpcaccess.user"], [addresses.networkViewer, "roles/compute.networkViewer"]];
    this.grants = roles.map(([logicalId, role]) => addressed(new ProjectIamMember(this, logicalId, { project: props.hostProject, role, member: serviceAgent }), logicalId));
  }
}
