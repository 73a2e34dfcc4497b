import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ProjectService } from "../../.gen/providers/google/project-service";
import { addressed } from "../addresses";
import { check } from "../validate";

/**
 * The Google APIs the GCP stack calls, by the project they must be on: the network project (the
 * Shared VPC host, or the service project itself) and the service project. Service networking is
 * what Memorystore's peering and private services access use; Cloud Resource Manager is what
 * project-level IAM and the provider's project lookups use.
 */
export const NETWORK_APIS = ["compute.googleapis.com", "vpcaccess.googleapis.com", "servicenetworking.googleapis.com"] as const;
export const SERVICE_APIS = [
  "cloudresourcemanager.googleapis.com",
  "iam.googleapis.com",
  // The alert policies and the backend's uptime check.
  "monitoring.googleapis.com",
  // The Connectivity Test of the path to Redis (npm run reachability).
  "networkmanagement.googleapis.com",
  "redis.googleapis.com",
  "run.googleapis.com",
  "secretmanager.googleapis.com",
] as const;

export interface ProjectApisProps {
  /** The project the workloads (Redis, secrets, Cloud Run) live in. */
  readonly project: string;
  /** The project the network lives in, where different (Shared VPC host). @default project */
  readonly networkProject?: string;
  /**
   * Terraform address name of an enabled API, by its short name (`compute`).
   * @default the short name, prefixed `host_` in a Shared VPC host project
   */
  readonly address?: (short: string, inHostProject: boolean) => string;
}

/**
 * Enables the APIs the stack needs (`google_project_service`), so a fresh project works on the
 * first apply. They are never disabled on destroy: other workloads in the project use them too.
 */
export class ProjectApis extends Construct {
  /** What every other resource waits for: no reference says a call needs its API. */
  readonly services: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ProjectApisProps) {
    super(scope, id);
    check(this, "project", props.project, props.project.length > 0 ? undefined : "must name a project");
    const networkProject = props.networkProject ?? props.project;
    const wanted = [
      ...NETWORK_APIS.map((api) => [networkProject, api] as const),
      ...SERVICE_APIS.map((api) => [props.project, api] as const),
      // The service project needs compute too for the connector's and peering's lookups.
      ...(networkProject !== props.project ? [[props.project, "compute.googleapis.com"] as const] : []),
    ];
    for (const [project, api] of wanted) {
      const short = api.split(".")[0];
      const inHostProject = networkProject !== props.project && project === networkProject;
      this.services.push(addressed(new ProjectService(this, `${project}-${short}`, { project, service: api, disableOnDestroy: false }), (props.address ?? ((s: string, host: boolean) => (host ? `host_${s}` : s)))(short, inHostProject)));
    }
  }
}
