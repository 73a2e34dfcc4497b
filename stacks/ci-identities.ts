import { TerraformOutput, TerraformStack } from "cdktf";
import { Config, GcpConfig } from "../config/schema";
import { CiServiceAccount, CiServiceAccountProps, ProjectGrant } from "../constructs/gcp/ci-service-account";
import { GithubWorkloadIdentity } from "../constructs/gcp/github-workload-identity";
import { CiApplication } from "../constructs/scaleway/ci-application";
import { workloadIdentityProviderName } from "../limits/gcp";
import { DEFAULT_BRANCH_REF, githubSubject } from "../limits/github";
import { CiIdentity, gcpCiIdentityNames, scalewayCiIdentityNames, scalewayPlanKeySecrets, serviceAccountEmail, stackName } from "../naming/names";
import { LOGICAL_ID } from "./logical-ids";

/**
 * Separate power (issue 21): pull requests and the drift check plan with an identity that can read
 * and not write; only the apply job, bound to the environment's GitHub deployment environment
 * (`gcp-<env>`, `scaleway-<env>`, with required reviewers in production), deploys. The identities
 * are made in the environment's bootstrap stack (stacks/state-bucket-stack.ts), applied by hand
 * with an owner's credentials, so no CI job can widen its own access.
 */

/**
 * What `terraform plan` with refresh reads on Google Cloud, by the Read function of each resource
 * type the GCP stack holds (google provider 8.0.0). Viewer roles only: nothing here writes.
 */
export const GCP_PLAN_ROLES: Record<string, string> = {
  "roles/browser": "resourcemanager.projects.get: google_project_service and google_service_networking_connection read the project first",
  "roles/compute.networkViewer": "networks, subnetworks, firewall rules, routers and their NAT, global addresses",
  "roles/vpcaccess.viewer": "the Serverless VPC Access connector",
  "roles/redis.viewer": "the Memorystore instance (its AUTH string: see GCP_PLAN_PERMISSIONS)",
  "roles/run.viewer": "the Cloud Run service",
  "roles/secretmanager.viewer": "the secrets and their versions' metadata; not their payloads (no secretAccessor)",
  "roles/iam.serviceAccountViewer": "the backend's service account",
  "roles/iam.securityReviewer": "the IAM policies the *_iam_member resources read (project, service accounts, secrets, Cloud Run)",
  "roles/monitoring.viewer": "alert policies and the uptime check",
  "roles/networkmanagement.viewer": "the Connectivity Test",
  "roles/serviceusage.serviceUsageViewer": "the enabled APIs (google_project_service)",
};

/**
 * Permissions refresh needs that no viewer role holds: a custom role with exactly these.
 * - `redis.instances.getAuthString`: resourceRedisInstanceRead's decoder (resourceRedisInstanceDecoder)
 *   calls `.../instances/<name>/authString` whenever `authEnabled` is true, as it always is here
 *   (policy RN003), and fails the refresh if refused. The AUTH string is in the state the plan
 *   identity reads anyway (`auth_string`), so this shows it nothing new.
 * - `servicenetworking.services.get`: resourceServiceNetworkingConnectionRead lists the connections
 *   (`services/servicenetworking.googleapis.com/connections`), which needs it; only the
 *   networks admin role holds it among predefined roles.
 */
export const GCP_PLAN_PERMISSIONS: Record<string, string> = {
  "redis.instances.getAuthString": "refresh of google_redis_instance with AUTH on",
  "servicenetworking.services.get": "refresh of google_service_networking_connection (PRIVATE_SERVICE_ACCESS)",
};

/** In a Shared VPC host project: what the plan reads there (the network side of the stack). */
const GCP_HOST_PLAN_ROLES: Record<string, string> = {
  "roles/browser": GCP_PLAN_ROLES["roles/browser"],
  "roles/compute.networkViewer": GCP_PLAN_ROLES["roles/compute.networkViewer"],
  "roles/vpcaccess.viewer": GCP_PLAN_ROLES["roles/vpcaccess.viewer"],
  "roles/iam.securityReviewer": "the host project's IAM policy (the service agent's grants)",
  "roles/serviceusage.serviceUsageViewer": GCP_PLAN_ROLES["roles/serviceusage.serviceUsageViewer"],
};
const GCP_HOST_PLAN_PERMISSIONS: Record<string, string> = {
  "servicenetworking.services.get": GCP_PLAN_PERMISSIONS["servicenetworking.services.get"],
};

/** What the apply creates, changes and deletes on Google Cloud: the GCP stack's resource types. */
export const GCP_DEPLOY_ROLES: Record<string, string> = {
  "roles/browser": GCP_PLAN_ROLES["roles/browser"],
  "roles/compute.networkAdmin": "the network, subnetworks, router, NAT and the range allocated to Google's services",
  "roles/compute.securityAdmin": "the firewall rules (networkAdmin excludes them)",
  "roles/vpcaccess.admin": "the Serverless VPC Access connector",
  "roles/servicenetworking.networksAdmin": "the private services access connection",
  "roles/redis.admin": "the Memorystore instance",
  "roles/secretmanager.admin": "the Redis secrets, their versions and who may read them",
  "roles/iam.serviceAccountAdmin": "the backend's service account",
  "roles/iam.serviceAccountUser": "deploying Cloud Run as the backend's service account (actAs)",
  "roles/run.admin": "the Cloud Run service and its invoker binding",
  "roles/monitoring.alertPolicyEditor": "the alert policies",
  "roles/monitoring.uptimeCheckConfigEditor": "the backend's uptime check",
  "roles/networkmanagement.admin": "the Connectivity Test",
  "roles/serviceusage.serviceUsageAdmin": "enabling the APIs (enableApis)",
};
const GCP_HOST_DEPLOY_ROLES: Record<string, string> = {
  "roles/browser": GCP_PLAN_ROLES["roles/browser"],
  "roles/compute.networkAdmin": GCP_DEPLOY_ROLES["roles/compute.networkAdmin"],
  "roles/compute.securityAdmin": GCP_DEPLOY_ROLES["roles/compute.securityAdmin"],
  "roles/vpcaccess.admin": GCP_DEPLOY_ROLES["roles/vpcaccess.admin"],
  "roles/servicenetworking.networksAdmin": GCP_DEPLOY_ROLES["roles/servicenetworking.networksAdmin"],
  "roles/resourcemanager.projectIamAdmin": "the service agent's grants in the host project (google_project_iam_member)",
  "roles/serviceusage.serviceUsageAdmin": GCP_DEPLOY_ROLES["roles/serviceusage.serviceUsageAdmin"],
};

/**
 * Checkov's IAM checks object to what a deploy identity is: it holds the admin role of each
 * product the stack manages (CKV_GCP_42), and deploys Cloud Run as the backend's service account,
 * which it creates (CKV_GCP_41, CKV_GCP_49). The answer is who may use it (one reviewed job) and
 * where (this project), not fewer roles.
 */
function deployCheckovSkips(roles: Record<string, string>): Record<string, Record<string, string>> {
  const admin = "deploy creates, changes and deletes the stack's resources of this product; only the apply job in the environment's GitHub environment can act as it";
  const actAs = "deploy runs Cloud Run as the backend's service account, which it creates; only the apply job in the environment's GitHub environment can act as it";
  return Object.fromEntries(Object.keys(roles).flatMap((role): [string, Record<string, string>][] => {
    if (role === "roles/iam.serviceAccountUser") return [[role, { CKV_GCP_41: actAs, CKV_GCP_49: actAs }]];
    if (role === "roles/iam.serviceAccountAdmin") return [[role, { CKV_GCP_42: admin, CKV_GCP_49: actAs }]];
    return /admin/i.test(role) ? [[role, { CKV_GCP_42: admin }]] : [];
  }));
}

/** The state: read without the lock (plans run with -lock=false), or read and written with it. */
const GCP_STATE_ROLE: Record<CiIdentity, string> = { plan: "roles/storage.objectViewer", deploy: "roles/storage.objectUser" };

/**
 * Scaleway permission sets (Scaleway's "Permission sets" page) for the Scaleway stack's resource
 * types: the VPC and private network, the Redis cluster (whose Read also lists its private IPs
 * from IPAM, or its `private_ips` go missing), the containers, Cockpit's alert manager, and the
 * state objects. The plan's are read-only.
 */
export const SCALEWAY_PLAN_PERMISSION_SETS: Record<string, string> = {
  VPCReadOnly: "the VPC",
  PrivateNetworksReadOnly: "the private network",
  IPAMReadOnly: "the Redis endpoint's private IPs",
  RedisReadOnly: "the Redis cluster",
  ContainersReadOnly: "the namespace and the container",
  ObservabilityReadOnly: "Cockpit's alert manager",
  ObjectStorageReadOnly: "the state, read without the lock",
};
export const SCALEWAY_DEPLOY_PERMISSION_SETS: Record<string, string> = {
  VPCFullAccess: "the VPC",
  PrivateNetworksFullAccess: "the private network",
  IPAMFullAccess: "the private IPs the Redis endpoint takes",
  RedisFullAccess: "the Redis cluster",
  ContainersFullAccess: "the namespace and the container",
  ObservabilityFullAccess: "Cockpit's alert manager",
  ObjectStorageBucketsRead: "the state bucket",
  ObjectStorageObjectsRead: "the state",
  ObjectStorageObjectsWrite: "the state and its lock file",
  ObjectStorageObjectsDelete: "the lock file, removed after each apply",
};

export interface GcpCiIdentitiesProps {
  readonly environment: string;
  readonly config: GcpConfig & { readonly projectNumber: string };
  /** `<owner>/<repo>` (`ci.repository`). */
  readonly repository: string;
  /** The state bucket's name (a reference to the bucket the stack makes). */
  readonly stateBucket: string;
}

/**
 * The Workload Identity pool for the repository and the plan and deploy service accounts:
 * plan ← pull requests and jobs on main (the drift check); deploy ← only the environment's
 * deployment environment `gcp-<env>`.
 */
export function gcpCiIdentities(scope: TerraformStack, props: GcpCiIdentitiesProps): void {
  const { config, repository } = props;
  const names = gcpCiIdentityNames(props.environment);
  const subjects = {
    pullRequest: githubSubject.pullRequest(repository),
    main: githubSubject.ref(repository, DEFAULT_BRANCH_REF),
    deploy: githubSubject.environment(repository, stackName("gcp", props.environment)),
  };
  const github = new GithubWorkloadIdentity(scope, "github", {
    project: config.project,
    projectNumber: config.projectNumber,
    poolId: names.pool,
    providerId: names.provider,
    repository,
    subjects: Object.values(subjects),
    logicalId: LOGICAL_ID.gcp.ciPool,
  });
  const host = config.sharedVpc?.hostProject;
  const inHost = (grant: Omit<ProjectGrant, "project">): ProjectGrant[] => (host ? [{ project: host, ...grant }] : []);
  const plan = new CiServiceAccount(scope, "ci-plan", {
    project: config.project,
    name: "plan",
    accountId: names.serviceAccount.plan,
    description: `Plans ${props.environment} for pull requests and the drift check: reads only`,
    grants: [
      { project: config.project, roles: GCP_PLAN_ROLES, permissions: GCP_PLAN_PERMISSIONS },
      ...inHost({ roles: GCP_HOST_PLAN_ROLES, permissions: GCP_HOST_PLAN_PERMISSIONS }),
    ],
    customRoleId: names.planRole,
    stateBucket: { name: props.stateBucket, role: GCP_STATE_ROLE.plan },
    impersonators: { pull_request: github.principal(subjects.pullRequest), main: github.principal(subjects.main) },
    ...ciAddresses("plan"),
  });
  const deploy = new CiServiceAccount(scope, "ci-deploy", {
    project: config.project,
    name: "deploy",
    accountId: names.serviceAccount.deploy,
    description: `Applies ${props.environment} from its GitHub environment ${stackName("gcp", props.environment)}`,
    grants: [
      { project: config.project, roles: GCP_DEPLOY_ROLES, checkovSkips: deployCheckovSkips(GCP_DEPLOY_ROLES) },
      ...inHost({ roles: GCP_HOST_DEPLOY_ROLES, checkovSkips: deployCheckovSkips(GCP_HOST_DEPLOY_ROLES) }),
    ],
    stateBucket: { name: props.stateBucket, role: GCP_STATE_ROLE.deploy },
    impersonators: { environment: github.principal(subjects.deploy) },
    ...ciAddresses("deploy"),
  });
  output(scope, "workload_identity_provider", github.providerName, "workload_identity_provider for google-github-actions/auth");
  output(scope, "plan_service_account", plan.email, "Service account of pull requests and the drift check (reads only)");
  output(scope, "deploy_service_account", deploy.email, `Service account of the apply job in the GitHub environment ${stackName("gcp", props.environment)}`);
}

export interface ScalewayCiIdentitiesProps {
  readonly environment: string;
  /** The project the policies apply in. */
  readonly projectId: string;
}

/** The plan and deploy IAM applications, each with a policy scoped to the environment's project. */
export function scalewayCiIdentities(scope: TerraformStack, props: ScalewayCiIdentitiesProps): Record<CiIdentity, CiApplication> {
  const names = scalewayCiIdentityNames(props.environment);
  const tags = [`environment:${props.environment}`];
  const applications = {
    plan: new CiApplication(scope, "ci-plan", {
      name: "plan",
      applicationName: names.plan,
      description: `Plans ${props.environment} for pull requests and the drift check: reads only`,
      projectId: props.projectId,
      permissionSets: SCALEWAY_PLAN_PERMISSION_SETS,
      tags,
      logicalId: LOGICAL_ID.scaleway.ci("plan"),
    }),
    deploy: new CiApplication(scope, "ci-deploy", {
      name: "deploy",
      applicationName: names.deploy,
      description: `Applies ${props.environment} from its GitHub environment ${stackName("scaleway", props.environment)}`,
      projectId: props.projectId,
      permissionSets: SCALEWAY_DEPLOY_PERMISSION_SETS,
      tags,
      logicalId: LOGICAL_ID.scaleway.ci("deploy"),
    }),
  };
  // Each application's API key is made by hand (docs/ci-identities.md), from these IDs.
  output(scope, "plan_application_id", applications.plan.applicationId, "IAM application of pull requests and the drift check (reads only)");
  output(scope, "deploy_application_id", applications.deploy.applicationId, `IAM application of the apply job in the GitHub environment ${stackName("scaleway", props.environment)}`);
  return applications;
}

function output(stack: TerraformStack, id: string, value: string, description: string): void {
  new TerraformOutput(stack, id, { value, description });
}

/** What a GitHub workflow needs to act as an environment's GCP CI identities. */
export interface GcpWorkflowIdentities {
  /** `workload_identity_provider` of google-github-actions/auth. */
  readonly workloadIdentityProvider: string;
  /** For pull requests and jobs on main (plans, the drift check). */
  readonly planServiceAccount: string;
  /** For the apply job, which must run in `deployEnvironment`. */
  readonly deployServiceAccount: string;
  /** The GitHub deployment environment whose jobs alone may deploy: `gcp-<env>`. */
  readonly deployEnvironment: string;
}

/** An environment's Scaleway CI identities: API keys are made by hand, so only names are known. */
export interface ScalewayWorkflowIdentities {
  /** Its API key goes into repository secrets, for pull requests and the drift check. */
  readonly planApplication: string;
  /** The names of those repository secrets. */
  readonly planKeySecrets: { readonly accessKey: string; readonly secretKey: string };
  /** Its API key goes into the secrets of `deployEnvironment` only. */
  readonly deployApplication: string;
  readonly deployEnvironment: string;
}

export interface CiWorkflowIdentities {
  /** Where the environment has GCP with `state` and the configuration has `ci`. */
  readonly gcp?: GcpWorkflowIdentities;
  /** Where the environment has Scaleway with `state` and the configuration has `ci`. */
  readonly scaleway?: ScalewayWorkflowIdentities;
}

/**
 * The strings a GitHub workflow needs to plan or deploy `environment` as the identities its
 * bootstrap stacks create, from the same names: none for a cloud without them.
 */
export function ciWorkflowIdentities(config: Config, environment: string): CiWorkflowIdentities {
  const clouds = config.environments[environment];
  if (!clouds) throw new Error(`environment ${JSON.stringify(environment)}: is not configured (configured: ${Object.keys(config.environments).join(", ")})`);
  if (!config.ci) return {};
  const { gcp, scaleway } = clouds;
  const result: { gcp?: GcpWorkflowIdentities; scaleway?: ScalewayWorkflowIdentities } = {};
  if (gcp?.state) {
    // The schema requires projectNumber wherever these identities are made.
    const names = gcpCiIdentityNames(environment);
    result.gcp = {
      workloadIdentityProvider: workloadIdentityProviderName(gcp.projectNumber!, names.pool, names.provider),
      planServiceAccount: serviceAccountEmail(names.serviceAccount.plan, gcp.project),
      deployServiceAccount: serviceAccountEmail(names.serviceAccount.deploy, gcp.project),
      deployEnvironment: stackName("gcp", environment),
    };
  }
  if (scaleway?.state) {
    const names = scalewayCiIdentityNames(environment);
    result.scaleway = {
      planApplication: names.plan,
      planKeySecrets: scalewayPlanKeySecrets(environment),
      deployApplication: names.deploy,
      deployEnvironment: stackName("scaleway", environment),
    };
  }
  return result;
}

/** A CI service account's addresses from the table: `ci_<name>...`, `host_ci_<name>...` in a host project. */
function ciAddresses(name: string): Pick<CiServiceAccountProps, "address" | "grantAddress"> {
  return {
    address: (part) => LOGICAL_ID.gcp.ci(`${name}${part}`),
    grantAddress: (part, inHostProject) => LOGICAL_ID.gcp.ciGrant(`${name}${part}`, inHostProject),
  };
}
