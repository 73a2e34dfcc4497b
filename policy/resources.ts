import { parseCidr } from "../limits/cidr";
import { Finding, SynthesizedResource } from "./policy";

/** What the rules share: reading synthesized resources as Terraform will see them. */
export const ofType = (resources: SynthesizedResource[], type: string) => resources.filter((r) => r.type === type);
export const finding = (resource: SynthesizedResource, message: string): Finding => ({ resource, message });
/** A block or list as a list: absent and null (an override that removes it) are empty. */
export const asList = (value: unknown): any[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** The range a connector serves from: its own `ip_cidr_range` or that of the subnet it names. */
export function connectorRange(connector: SynthesizedResource, resources: SynthesizedResource[]): string | undefined {
  if (connector.body.ip_cidr_range) return connector.body.ip_cidr_range;
  // Stryker disable next-line StringLiteral: equivalent, any text but a subnet reference matches nothing, as "" does
  const subnetRef = /^\$\{(google_compute_subnetwork\.[\w-]+)\.(name|id|self_link)\}$/.exec(asList(connector.body.subnet)[0]?.name ?? "");
  return resources.find((r) => r.address === subnetRef?.[1])?.body.ip_cidr_range;
}

export function redisRanges(resources: SynthesizedResource[]): string[] {
  // Stryker disable next-line all: equivalent for its one reader (RN002), which looks firewall destinations, always ranges, up in it
  return ofType(resources, "google_redis_instance").map((r) => r.body.reserved_ip_range).filter((v) => typeof parseCidr(v ?? "") !== "string");
}

/** Attributes that name a resource, by type; others use `name`. */
const NAME_ATTRIBUTE: Record<string, string> = {
  google_service_account: "account_id",
  google_secret_manager_secret: "secret_id",
  google_iam_workload_identity_pool: "workload_identity_pool_id",
  google_iam_workload_identity_pool_provider: "workload_identity_pool_provider_id",
  google_project_iam_custom_role: "role_id",
};
const UNNAMED = new Set(["random_password", "google_monitoring_alert_policy", "google_monitoring_uptime_check_config", "google_monitoring_notification_channel", "google_storage_bucket_iam_member", "scaleway_object_bucket_acl", "scaleway_object_bucket_policy", "google_project_service", "google_cloud_run_v2_service_iam_member", "google_secret_manager_secret_version", "google_secret_manager_secret_iam_member", "google_service_networking_connection", "google_project_iam_member", "scaleway_cockpit_alert_manager", "google_service_account_iam_member"]);

/** The resources that carry a name, with the attribute that holds it. */
export function named(resources: SynthesizedResource[]): { resource: SynthesizedResource; attribute: string; value: unknown }[] {
  return resources
    .filter((r) => !UNNAMED.has(r.type))
    .map((resource) => {
      const attribute = NAME_ATTRIBUTE[resource.type] ?? "name";
      return { resource, attribute, value: resource.body[attribute] };
    });
}

