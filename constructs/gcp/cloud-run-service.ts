import { CloudRunV2Service } from "../../.gen/providers/google/cloud-run-v2-service";
import { CloudRunV2ServiceIamMember } from "../../.gen/providers/google/cloud-run-v2-service-iam-member";
import { SecretManagerSecretIamMember } from "../../.gen/providers/google/secret-manager-secret-iam-member";
import { ServiceAccount } from "../../.gen/providers/google/service-account";
import { Construct } from "constructs";
import { waitFor } from "../addresses";
import { DEFAULT_HEALTH_PATH, HEALTH_PATH, LIVENESS_PROBE, STARTUP_PROBE } from "../health-probes";
import { check, checkGcpName } from "../validate";
import { PublishedSecret } from "./redis-secrets";
import { DirectVpcEgress } from "./direct-vpc-egress";
import { VpcConnector } from "./vpc-connector";

/**
 * Who may invoke the service. Ingress is open to all traffic, so without one of the first two
 * every request is refused with 403:
 * - `allUsers`: an IAM binding of roles/run.invoker to allUsers (an organisation's domain
 *   restricted sharing policy refuses it);
 * - `invokerIamDisabled`: the service skips the invoker check (`invoker_iam_disabled`);
 * - `authenticated`: callers need roles/run.invoker, granted outside this stack.
 */
export const CLOUD_RUN_INVOKERS = ["allUsers", "invokerIamDisabled", "authenticated"] as const;
export type CloudRunInvoker = (typeof CLOUD_RUN_INVOKERS)[number];

export interface CloudRunServiceProps {
  /** Service name: at most 49 characters. */
  readonly name: string;
  readonly region: string;
  /** Service account ID: 6-30 characters. */
  readonly serviceAccountId: string;
  /** Image with a tag or digest. */
  readonly image: string;
  /**
   * How the service reaches the VPC: a connector, or Direct VPC egress. Either way only traffic to
   * private ranges enters the VPC; public traffic leaves directly.
   */
  readonly vpcAccess: { readonly connector: VpcConnector } | { readonly direct: DirectVpcEgress };
  /** Environment variables read from Secret Manager; the service may read these and no other. */
  readonly secretEnvironment: Record<string, PublishedSecret>;
  /** Plain environment variables. */
  readonly environment?: Record<string, string>;
  /** @default 8080 */
  readonly port?: number;
  /** @default 0 */
  readonly minInstances?: number;
  /** @default 3 */
  readonly maxInstances?: number;
  /** Who may invoke the service. */
  readonly invoker: CloudRunInvoker;
  /** The path the startup and liveness probes GET. @default "/health" */
  readonly healthPath?: string;
  /** Refuse to delete the service. */
  readonly deletionProtection: boolean;
  readonly labels?: Record<string, string>;
}

/**
 * The backend as a Cloud Run (v2) service on the VPC (connector or Direct VPC egress), with its own service account that
 * may read exactly the secrets it is given. The service waits for those grants, so its first
 * revision never starts without access to its Redis settings.
 */
export class CloudRunService extends Construct {
  readonly serviceAccount: ServiceAccount;
  readonly service: CloudRunV2Service;
  readonly accessGrants: SecretManagerSecretIamMember[] = [];
  /** The allUsers invoker binding, where `invoker` is `allUsers`. */
  readonly publicInvoker?: CloudRunV2ServiceIamMember;
  /** The service's https URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CloudRunServiceProps) {
    super(scope, id);
    const minInstances = props.minInstances ?? 0;
    const maxInstances = props.maxInstances ?? 3;
    const healthPath = props.healthPath ?? DEFAULT_HEALTH_PATH;
    checkGcpName(this, "name", props.name, 49);
    check(this, "healthPath", healthPath, HEALTH_PATH.test(healthPath), 'must be an HTTP path starting with "/"');
    check(this, "serviceAccountId", props.serviceAccountId, /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/.test(props.serviceAccountId), "must be 6-30 lowercase letters, digits or hyphens, starting with a letter");
    check(this, "maxInstances", maxInstances, Number.isInteger(maxInstances) && maxInstances >= Math.max(1, minInstances), `must be an integer of at least 1 and minInstances (${minInstances})`);

    this.serviceAccount = new ServiceAccount(this, "service-account", {
      accountId: props.serviceAccountId,
      displayName: `Cloud Run service ${props.name}`,
    });
    this.serviceAccount.overrideLogicalId("backend");

    for (const secret of Object.values(props.secretEnvironment)) {
      const grant = new SecretManagerSecretIamMember(this, `access-${secret.secret.friendlyUniqueId}`, {
        count: secret.counted ? 1 : undefined,
        secretId: secret.id,
        role: "roles/secretmanager.secretAccessor",
        member: this.serviceAccount.member,
      });
      // Named for the secret, not the variable: a renamed variable must not replace the grant.
      grant.overrideLogicalId(`backend_${secret.secret.friendlyUniqueId}`);
      this.accessGrants.push(grant);
    }

    const env = [
      ...Object.entries(props.environment ?? {}).map(([name, value]) => ({ name, value })),
      ...Object.entries(props.secretEnvironment).map(([name, { secretId, version }]) => ({
        name,
        // The version the apply wrote, not "latest": a changed value rolls out a new revision.
        valueSource: { secretKeyRef: { secret: secretId, version } },
      })),
    ];
    this.service = new CloudRunV2Service(this, "service", {
      name: props.name,
      location: props.region,
      ingress: "INGRESS_TRAFFIC_ALL",
      invokerIamDisabled: props.invoker === "invokerIamDisabled" ? true : undefined,
      deletionProtection: props.deletionProtection,
      labels: props.labels,
      template: {
        serviceAccount: this.serviceAccount.email,
        vpcAccess: {
          ...("connector" in props.vpcAccess
            ? { connector: props.vpcAccess.connector.connector.id }
            : { networkInterfaces: [props.vpcAccess.direct.networkInterface] }),
          egress: "PRIVATE_RANGES_ONLY",
        },
        scaling: { minInstanceCount: minInstances, maxInstanceCount: maxInstances },
        containers: [{
          image: props.image,
          ports: { containerPort: props.port ?? 8080 },
          env,
          // A revision whose health (Redis included) fails never takes traffic.
          startupProbe: { httpGet: { path: healthPath }, ...STARTUP_PROBE },
          livenessProbe: { httpGet: { path: healthPath }, ...LIVENESS_PROBE },
        }],
      },
    });
    this.service.overrideLogicalId("backend");
    waitFor(this.service, ...this.accessGrants);
    if (props.invoker === "allUsers") {
      // count = 1, as the reference's conditional binding, so both have the address [0].
      this.publicInvoker = new CloudRunV2ServiceIamMember(this, "public-invoker", {
        count: 1,
        project: this.service.project,
        location: this.service.location,
        name: this.service.name,
        role: "roles/run.invoker",
        member: "allUsers",
      });
      this.publicInvoker.overrideLogicalId("backend_public_invoker");
    }
    this.url = this.service.uri;
  }
}
