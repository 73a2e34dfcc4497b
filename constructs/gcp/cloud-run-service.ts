import { CloudRunV2Service } from "../../.gen/providers/google/cloud-run-v2-service";
import { CloudRunV2ServiceIamMember } from "../../.gen/providers/google/cloud-run-v2-service-iam-member";
import { SecretManagerSecretIamMember } from "../../.gen/providers/google/secret-manager-secret-iam-member";
import { ServiceAccount } from "../../.gen/providers/google/service-account";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import {
  CLOUD_RUN, CLOUD_RUN_NAME, CLOUD_RUN_SERVICE, CloudRunExecutionEnvironment, CloudRunIngress, CloudRunInvoker, SECRET_ID, SECRET_VERSION, SERVICE_ACCOUNT_ID, ServiceProtocol,
} from "../../limits/gcp";
import { DEFAULT_BACKEND_PORT, DEFAULT_HEALTH_PATH, DEFAULT_LIVENESS_PATH, HEALTH_PATH } from "../../limits/http";
import { addressed, defaultAddress, waitFor } from "../addresses";
import { LIVENESS_PROBE, STARTUP_PROBE } from "../health-probes";
import { checkApplicationVariables, checkInt, checkText } from "../validate";
import { PublishedSecret } from "./redis-secrets";
import { DirectVpcEgress } from "./direct-vpc-egress";
import { VpcConnector } from "./vpc-connector";

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
  /** Plain environment variables of the Redis contract (REDIS_TLS). */
  readonly environment?: Record<string, string>;
  /**
   * The application's own plain variables: never a secret (a value or name that looks like one is
   * refused), never a REDIS_ one. @default none
   */
  readonly applicationEnvironment?: Record<string, string>;
  /**
   * The application's secrets, by variable: existing Secret Manager secrets of the project, by ID,
   * and the version each revision reads (`latest` or a number). The service account is granted
   * access to each. @default none
   */
  readonly secretReferences?: Record<string, { readonly secret: string; readonly version: string }>;
  /** Request timeout, seconds. @default Cloud Run's (300) */
  readonly timeoutSeconds?: number;
  /** Requests one instance serves at once. @default Cloud Run's (80) */
  readonly concurrency?: number;
  /** @default "INGRESS_TRAFFIC_ALL" */
  readonly ingress?: CloudRunIngress;
  /** @default Cloud Run's choice */
  readonly executionEnvironment?: CloudRunExecutionEnvironment;
  /** What Cloud Run speaks to the container. @default http1 */
  readonly protocol?: ServiceProtocol;
  /** @default 8080 */
  readonly port?: number;
  /** @default 0 */
  readonly minInstances?: number;
  /** @default 3 */
  readonly maxInstances?: number;
  /** Who may invoke the service. */
  readonly invoker: CloudRunInvoker;
  /** The path the startup probe GETs, which checks Redis. @default "/health" */
  readonly healthPath?: string;
  /** The path the liveness probe GETs, which checks only the process. @default "/healthz" */
  readonly livenessPath?: string;
  /** Refuse to delete the service. */
  readonly deletionProtection: boolean;
  readonly labels?: Record<string, string>;
  /** The resources' Terraform address names. @default derived from the construct ID */
  readonly addresses?: CloudRunServiceAddresses;
}

/** Terraform address names of a Cloud Run service's resources. */
export interface CloudRunServiceAddresses {
  /** The service and its service account. @default the construct ID, snake case */
  readonly service?: string;
  /** The account's access to one secret, by the secret's logical ID. @default `<service>_<secret>` */
  readonly secretAccess?: (secret: string) => string;
  /** The account's access to one of the application's secrets, by its ID. @default `<service>_app_<secret>` */
  readonly applicationSecretAccess?: (secretId: string) => string;
  /** The public invoker binding. @default `<service>_public_invoker` */
  readonly publicInvoker?: string;
}

/**
 * The backend as a Cloud Run (v2) service on the VPC (connector or Direct VPC egress), with its own service account that
 * may read exactly the secrets it is given. The service waits for those grants, so its first
 * revision never starts without access to its Redis settings.
 */
export class CloudRunService extends Construct {
  /** The service's https URL. */
  readonly url: string;
  readonly name: string;
  /** The service account the revisions run as. */
  readonly serviceAccountEmail: string;
  /** The revision serving traffic, as a reference (`.../services/<s>/revisions/<rev>`). */
  readonly latestReadyRevision: string;
  private readonly service: CloudRunV2Service;

  constructor(scope: Construct, id: string, props: CloudRunServiceProps) {
    super(scope, id);
    const minInstances = props.minInstances ?? CLOUD_RUN.minInstances.default;
    const maxInstances = props.maxInstances ?? CLOUD_RUN.maxInstances.default;
    const healthPath = props.healthPath ?? DEFAULT_HEALTH_PATH;
    const livenessPath = props.livenessPath ?? DEFAULT_LIVENESS_PATH;
    checkText(this, "name", props.name, CLOUD_RUN_NAME);
    checkText(this, "healthPath", healthPath, HEALTH_PATH);
    checkText(this, "livenessPath", livenessPath, HEALTH_PATH);
    checkText(this, "serviceAccountId", props.serviceAccountId, SERVICE_ACCOUNT_ID);
    checkInt(this, "minInstances", minInstances, CLOUD_RUN.minInstances);
    checkInt(this, "maxInstances", maxInstances, { min: Math.max(CLOUD_RUN.maxInstances.min, minInstances), max: CLOUD_RUN.maxInstances.max });
    const reserved = { names: CLOUD_RUN_SERVICE.reservedVariables };
    checkApplicationVariables(this, props.applicationEnvironment, Object.keys(props.secretReferences ?? {}), reserved);
    for (const [name, { secret, version }] of Object.entries(props.secretReferences ?? {})) {
      checkText(this, `secretReferences.${name}.secret`, secret, SECRET_ID);
      checkText(this, `secretReferences.${name}.version`, version, SECRET_VERSION);
    }
    if (props.timeoutSeconds !== undefined) checkInt(this, "timeoutSeconds", props.timeoutSeconds, CLOUD_RUN_SERVICE.timeoutSeconds);
    if (props.concurrency !== undefined) checkInt(this, "concurrency", props.concurrency, CLOUD_RUN_SERVICE.concurrency);

    const serviceAddress = props.addresses?.service ?? defaultAddress(id);
    const account = addressed(new ServiceAccount(this, "service-account", {
      accountId: props.serviceAccountId,
      displayName: `Cloud Run service ${props.name}`,
    }), serviceAddress);

    const accessGrants = Object.values(props.secretEnvironment).map((secret) =>
      // Named for the secret, not the variable: a renamed variable must not replace the grant.
      addressed(new SecretManagerSecretIamMember(this, `access-${secret.logicalId}`, {
        count: secret.counted ? 1 : undefined,
        secretId: secret.id,
        role: "roles/secretmanager.secretAccessor",
        member: account.member,
      }), (props.addresses?.secretAccess ?? ((s: string) => `${serviceAddress}_${s}`))(secret.logicalId)),
    );

    // The application's secrets exist already: the account is granted each, once per secret.
    const referenced = [...new Set(Object.values(props.secretReferences ?? {}).map(({ secret }) => secret))];
    accessGrants.push(...referenced.map((secret) =>
      addressed(new SecretManagerSecretIamMember(this, `access-app-${secret}`, {
        secretId: secret,
        role: "roles/secretmanager.secretAccessor",
        member: account.member,
      }), (props.addresses?.applicationSecretAccess ?? ((s: string) => `${serviceAddress}_app_${s}`))(secret)),
    ));

    const env = [
      ...Object.entries(props.environment ?? {}).map(([name, value]) => ({ name, value })),
      ...Object.entries(props.applicationEnvironment ?? {}).map(([name, value]) => ({ name, value })),
      ...Object.entries(props.secretReferences ?? {}).map(([name, { secret, version }]) => ({ name, valueSource: { secretKeyRef: { secret, version } } })),
      ...Object.entries(props.secretEnvironment).map(([name, { secretId, version }]) => ({
        name,
        // The version the apply wrote, not "latest": a changed value rolls out a new revision.
        valueSource: { secretKeyRef: { secret: secretId, version } },
      })),
    ];
    this.service = addressed(new CloudRunV2Service(this, "service", {
      name: props.name,
      location: props.region,
      ingress: props.ingress ?? CLOUD_RUN_SERVICE.defaultIngress,
      invokerIamDisabled: props.invoker === "invokerIamDisabled" ? true : undefined,
      deletionProtection: props.deletionProtection,
      labels: props.labels,
      template: {
        serviceAccount: account.email,
        vpcAccess: {
          ...("connector" in props.vpcAccess
            ? { connector: props.vpcAccess.connector.id }
            : { networkInterfaces: [props.vpcAccess.direct.networkInterface] }),
          egress: "PRIVATE_RANGES_ONLY",
        },
        scaling: { minInstanceCount: minInstances, maxInstanceCount: maxInstances },
        timeout: props.timeoutSeconds !== undefined ? `${props.timeoutSeconds}s` : undefined,
        maxInstanceRequestConcurrency: props.concurrency,
        executionEnvironment: props.executionEnvironment,
        containers: [{
          image: props.image,
          ports: { containerPort: props.port ?? DEFAULT_BACKEND_PORT, name: props.protocol },
          env,
          // A revision whose health (Redis included) fails never takes traffic; a live instance is
          // restarted only for itself, never for Redis (Cloud Run's liveness probe has no TCP).
          startupProbe: { httpGet: { path: healthPath }, ...STARTUP_PROBE },
          livenessProbe: { httpGet: { path: livenessPath }, ...LIVENESS_PROBE },
        }],
      },
    }), serviceAddress);
    waitFor(this.service, ...accessGrants);
    if (props.invoker === "allUsers") {
      // count = 1, as the reference's conditional binding, so both have the address [0].
      addressed(new CloudRunV2ServiceIamMember(this, "public-invoker", {
        count: 1,
        project: this.service.project,
        location: this.service.location,
        name: this.service.name,
        role: "roles/run.invoker",
        member: "allUsers",
      }), props.addresses?.publicInvoker ?? `${serviceAddress}_public_invoker`);
    }
    this.url = this.service.uri;
    this.name = props.name;
    this.serviceAccountEmail = account.email;
    this.latestReadyRevision = this.service.latestReadyRevision;
  }

  /** Deploys the service only after `dependencies`: its first revision takes traffic at once. */
  waitFor(...dependencies: ITerraformDependable[]): void {
    waitFor(this.service, ...dependencies);
  }
}
