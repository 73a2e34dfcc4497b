import { NetworkManagementConnectivityTest } from "../../.gen/providers/google/network-management-connectivity-test";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { TCP_PORT } from "../../limits/rule";
import { addressed, defaultAddress } from "../addresses";
import { checkGcpName, checkInt } from "../validate";

export interface ServerlessToRedisTestProps {
  /** Test name, project-wide: at most 63 characters. */
  readonly name: string;
  /** The project the test and the Cloud Run service live in. */
  readonly project: string;
  readonly region: string;
  /** The Cloud Run service's `latest_ready_revision`: the revision serving traffic. */
  readonly revision: string;
  /** The Memorystore instance's ID, `projects/<p>/locations/<r>/instances/<name>`. */
  readonly redisInstanceId: string;
  readonly redisHost: string;
  readonly redisPort: number;
  /** Projects the path crosses (a Shared VPC host). */
  readonly relatedProjects?: string[];
  readonly labels?: Record<string, string>;
  /** Terraform address name of the test. @default the construct ID, snake case */
  readonly logicalId?: string;
}

/**
 * A Connectivity Test of the path the backend takes to Redis: from the serving Cloud Run revision,
 * through its connector or Direct VPC egress, to the Memorystore host and port (TCP). Google
 * analyses the configuration (routes, firewall rules, the connector's state) when the test is
 * created or changed (a new serving revision changes its source) and on each rerun
 * (`npm run reachability`, after every apply); it never reruns by itself.
 */
export class ServerlessToRedisTest extends Construct {
  /** The test's ID, `projects/<p>/locations/global/connectivityTests/<name>`, which a rerun names. */
  readonly id: string;

  constructor(scope: Construct, id: string, props: ServerlessToRedisTestProps) {
    super(scope, id);
    checkGcpName(this, "name", props.name);
    checkInt(this, "redisPort", props.redisPort, TCP_PORT);
    const test = addressed(new NetworkManagementConnectivityTest(this, "test", {
      name: props.name,
      project: props.project,
      description: "Cloud Run (serving revision) to Memorystore over the serverless VPC path",
      protocol: "TCP",
      source: {
        // Cloud Run names a revision projects/<p>/locations/<r>/services/<s>/revisions/<rev>;
        // Connectivity Tests take projects/<p>/locations/<r>/revisions/<rev>.
        cloudRunRevision: { uri: `projects/${props.project}/locations/${props.region}/revisions/${Fn.regex("[^/]+$", props.revision)}` },
      },
      destination: { redisInstance: props.redisInstanceId, ipAddress: props.redisHost, port: props.redisPort },
      relatedProjects: props.relatedProjects,
      labels: props.labels,
    }), props.logicalId ?? defaultAddress(id));
    this.id = test.id;
  }
}
