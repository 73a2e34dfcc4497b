import { Ipv4Range, overlaps, parseCidr } from "../config/cidr";
import { connectorNameProblem } from "../constructs/gcp/vpc-connector";
import { Finding, PolicyContext, PolicyRule, SynthesizedResource } from "./policy";

const ofType = (resources: SynthesizedResource[], type: string) => resources.filter((r) => r.type === type);
const finding = (resource: SynthesizedResource, message: string): Finding => ({ resource, message });
const asList = (value: unknown): any[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The range a connector serves from: its own `ip_cidr_range` or that of the subnet it names. */
function connectorRange(connector: SynthesizedResource, resources: SynthesizedResource[]): string | undefined {
  if (connector.body.ip_cidr_range) return connector.body.ip_cidr_range;
  const subnetRef = /^\$\{(google_compute_subnetwork\.[\w-]+)\.(name|id|self_link)\}$/.exec(asList(connector.body.subnet)[0]?.name ?? "");
  return resources.find((r) => r.address === subnetRef?.[1])?.body.ip_cidr_range;
}

function redisRanges(resources: SynthesizedResource[]): string[] {
  return ofType(resources, "google_redis_instance").map((r) => r.body.reserved_ip_range).filter((v) => typeof parseCidr(v ?? "") !== "string");
}

export class NoIngressFromAnywhere extends PolicyRule {
  readonly id = "RN001";
  readonly rationale = "Redis and the connector serve only private clients; nothing admits the internet.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return ofType(resources, "google_compute_firewall")
      .filter((r) => (r.body.direction ?? "INGRESS") === "INGRESS")
      .filter((r) => asList(r.body.source_ranges).some((range) => range === "0.0.0.0/0" || range === "::/0"))
      .map((r) => finding(r, "admits ingress from anywhere (0.0.0.0/0 or ::/0); list the private source ranges instead"));
  }
}

export class RedisRuleSourceIsConnector extends PolicyRule {
  readonly id = "RN002";
  readonly rationale = "Only serverless traffic may reach Redis; a wider source is the allow-list the seeds regretted.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    const connectors = ofType(resources, "google_vpc_access_connector");
    const ranges = connectors.map((c) => connectorRange(c, resources));
    // Google tags every connector's VMs vpc-connector-REGION-NAME; Direct VPC egress carries its own tags.
    const tags = [
      ...connectors.map((c) => `vpc-connector-${c.body.region}-${c.body.name}`),
      ...ofType(resources, "google_cloud_run_v2_service").flatMap((r) => asList(asList(asList(r.body.template)[0]?.vpc_access)[0]?.network_interfaces).flatMap((n) => asList(n.tags))),
    ];
    const redis = redisRanges(resources);
    return ofType(resources, "google_compute_firewall")
      .filter((r) => (r.body.direction ?? "INGRESS") === "INGRESS" && asList(r.body.destination_ranges).some((d) => redis.includes(d)))
      .filter((r) => {
        const sourceRanges = asList(r.body.source_ranges);
        const sourceTags = asList(r.body.source_tags);
        const rangesOk = sourceRanges.length === 0 || (sourceRanges.length === 1 && ranges.includes(sourceRanges[0]));
        const tagsOk = sourceTags.every((t) => tags.includes(t));
        return !(rangesOk && tagsOk && sourceRanges.length + sourceTags.length > 0);
      })
      .map((r) => finding(r, `takes traffic to Redis from ranges ${JSON.stringify(asList(r.body.source_ranges))} and tags ${JSON.stringify(asList(r.body.source_tags))}; its source must be exactly the serverless path: the connector's range (${ranges.join(", ") || "no connector"}) or its tags (${tags.join(", ") || "none"})`));
  }
}

export class RedisAuthEverywhere extends PolicyRule {
  readonly id = "RN003";
  readonly rationale = "A Redis without AUTH is one firewall mistake from an open database.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return [
      ...ofType(resources, "google_redis_instance").filter((r) => r.body.auth_enabled !== true).map((r) => finding(r, "has AUTH off; set auth_enabled = true")),
      ...ofType(resources, "scaleway_redis_cluster").filter((r) => !r.body.password && !r.body.password_wo).map((r) => finding(r, "has no password; set password_wo from a generated secret")),
    ];
  }
}

export class RedisTlsInProduction extends PolicyRule {
  readonly id = "RN004";
  readonly rationale = "Production Redis traffic, AUTH string included, must not cross the network in clear text.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    if (!this.context.production) return [];
    return [
      ...ofType(resources, "google_redis_instance").filter((r) => r.body.transit_encryption_mode !== "SERVER_AUTHENTICATION").map((r) => finding(r, "has transit encryption off in production; set redis.transitEncryption = true")),
      ...ofType(resources, "scaleway_redis_cluster").filter((r) => r.body.tls_enabled !== true).map((r) => finding(r, "has TLS off in production; set redis.tls = true")),
    ];
  }
}

export class NoPublicRedisInProduction extends PolicyRule {
  readonly id = "RN005";
  readonly rationale = "Production Redis is reachable from its private network only, never on a public IP behind an allow-list.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    if (!this.context.production) return [];
    return [
      ...ofType(resources, "scaleway_redis_cluster")
        .filter((r) => asList(r.body.private_network).length === 0 || r.body.acl !== undefined || r.body.public_network !== undefined)
        .map((r) => finding(r, "has a public endpoint in production; give it only a private_network block")),
      ...ofType(resources, "google_redis_instance").filter((r) => !r.body.authorized_network).map((r) => finding(r, "names no authorized_network (it would join the default network); set it to the environment's VPC")),
    ];
  }
}

/** Attributes that name a resource, by type; others use `name`. */
const NAME_ATTRIBUTE: Record<string, string> = { google_service_account: "account_id", google_secret_manager_secret: "secret_id" };
const UNNAMED = new Set(["random_password", "google_monitoring_alert_policy", "google_monitoring_uptime_check_config", "google_storage_bucket_iam_member", "scaleway_object_bucket_acl", "scaleway_object_bucket_policy", "google_project_service", "google_cloud_run_v2_service_iam_member", "google_secret_manager_secret_version", "google_secret_manager_secret_iam_member", "google_service_networking_connection", "google_project_iam_member", "scaleway_cockpit_alert_manager"]);

/** The resources that carry a name, with the attribute that holds it. */
function named(resources: SynthesizedResource[]): { resource: SynthesizedResource; attribute: string; value: unknown }[] {
  return resources
    .filter((r) => !UNNAMED.has(r.type))
    .map((resource) => {
      const attribute = NAME_ATTRIBUTE[resource.type] ?? "name";
      return { resource, attribute, value: resource.body[attribute] };
    });
}

export class NamesCarryEnvironment extends PolicyRule {
  readonly id = "RN006";
  readonly rationale = "A name without its environment is how `staging-vpc` ended up in production.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    const prefix = `${this.context.environment}-`;
    return named(resources)
      .filter(({ value }) => !(typeof value === "string" && value.startsWith(prefix)))
      .map(({ resource, attribute, value }) => finding(resource, `${attribute} ${JSON.stringify(value)} does not start with "${prefix}"; derive it with scopedName()`));
  }
}

export class ConnectorRange extends PolicyRule {
  readonly id = "RN007";
  readonly rationale = "Serverless VPC Access takes exactly a /28, and an overlapping range breaks routing to Redis.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return ofType(resources, "google_vpc_access_connector").flatMap((connector) => {
      const text = connectorRange(connector, resources);
      const range = parseCidr(text ?? "");
      if (typeof range === "string") return [finding(connector, `has no literal range to check (${JSON.stringify(text)}); give its subnet a literal /28`)];
      if (range.prefix !== 28) return [finding(connector, `serves from ${text}, not a /28; Serverless VPC Access requires exactly /28`)];
      const others = [
        ...ofType(resources, "google_compute_subnetwork").filter((s) => s.body.ip_cidr_range !== text).map((s) => [s.address, s.body.ip_cidr_range]),
        ...ofType(resources, "google_redis_instance").map((s) => [s.address, s.body.reserved_ip_range]),
      ];
      return others
        .filter(([, other]) => typeof parseCidr(other ?? "") !== "string" && overlaps(range, parseCidr(other) as Ipv4Range))
        .map(([address, other]) => finding(connector, `serves from ${text}, which overlaps ${address} (${other}); choose a disjoint /28`));
    });
  }
}

/** Google's name limits, checked before Terraform or the API would reject them. */
const GCP_NAME_RULES: Record<string, { pattern: RegExp; rule: string }> = {
  google_redis_instance: { pattern: /^[a-z][-a-z0-9]{0,38}[a-z0-9]$/, rule: "at most 40 lowercase letters, digits or hyphens, starting with a letter" },
  google_cloud_run_v2_service: { pattern: /^[a-z][-a-z0-9]{0,47}[a-z0-9]$/, rule: "at most 49 lowercase letters, digits or hyphens, starting with a letter" },
  google_service_account: { pattern: /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, rule: "6-30 lowercase letters, digits or hyphens, starting with a letter" },
  google_secret_manager_secret: { pattern: /^[A-Za-z0-9_-]{1,255}$/, rule: "at most 255 letters, digits, '_' or '-'" },
};
const RFC1035 = { pattern: /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/, rule: "at most 63 lowercase letters, digits or hyphens, starting with a letter (RFC 1035)" };

export class GcpNameLimits extends PolicyRule {
  readonly id = "RN008";
  readonly rationale = "A name Google rejects fails the apply halfway; check it at synth instead.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return named(resources)
      .filter(({ resource }) => resource.type.startsWith("google_"))
      .flatMap(({ resource, attribute, value }) => {
        if (typeof value !== "string") return [];
        const { pattern, rule } = GCP_NAME_RULES[resource.type] ?? RFC1035;
        const problem = resource.type === "google_vpc_access_connector" ? connectorNameProblem(value) : pattern.test(value) ? undefined : rule;
        return problem ? [finding(resource, `${attribute} ${JSON.stringify(value)} breaks Google's limit: ${problem}`)] : [];
      });
  }
}

export class ServerlessOnPrivateNetwork extends PolicyRule {
  readonly id = "RN009";
  readonly rationale = "A Cloud Run service off the VPC cannot reach Redis: the seeds' service had no connector.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return ofType(resources, "google_cloud_run_v2_service")
      .filter((r) => {
        const access = asList(asList(r.body.template)[0]?.vpc_access)[0];
        return !access || (!access.connector && !access.network_interfaces) || !["PRIVATE_RANGES_ONLY", "ALL_TRAFFIC"].includes(access.egress);
      })
      .map((r) => finding(r, "does not send private traffic into the VPC; set template.vpc_access with the connector and egress PRIVATE_RANGES_ONLY"));
  }
}

export class InvocationAsDeclared extends PolicyRule {
  readonly id = "RN010";
  readonly rationale = "Public invocation is a decision per environment: undeclared it is an open API, missing it is a 403 on every request.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    const services = ofType(resources, "google_cloud_run_v2_service");
    const publicBindings = ofType(resources, "google_cloud_run_v2_service_iam_member").filter((r) => r.body.member === "allUsers" && r.body.role === "roles/run.invoker");
    const declared = this.context.invoker;
    return [
      ...publicBindings.filter(() => declared !== "allUsers").map((r) => finding(r, `lets allUsers invoke the service, but the environment declares backend.invoker ${JSON.stringify(declared ?? "(none)")}; declare "allUsers" or remove the binding`)),
      ...services.filter((r) => r.body.invoker_iam_disabled === true && declared !== "invokerIamDisabled").map((r) => finding(r, `disables the invoker check, but the environment declares backend.invoker ${JSON.stringify(declared ?? "(none)")}; declare "invokerIamDisabled" or remove invoker_iam_disabled`)),
      ...services.filter(() => declared === "allUsers" && publicBindings.length === 0).map((r) => finding(r, 'has no allUsers invoker binding although backend.invoker is "allUsers": every request would get 403')),
      ...services.filter((r) => declared === "invokerIamDisabled" && r.body.invoker_iam_disabled !== true).map((r) => finding(r, 'keeps the invoker check although backend.invoker is "invokerIamDisabled": every request would get 403')),
    ];
  }
}

export class MaintenanceWindowInProduction extends PolicyRule {
  readonly id = "RN011";
  readonly rationale = "Without a window Google may restart production Redis at peak time; a declared hour is a planned failover.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    if (!this.context.production) return [];
    return ofType(resources, "google_redis_instance")
      .filter((r) => asList(asList(r.body.maintenance_policy)[0]?.weekly_maintenance_window).length === 0)
      .map((r) => finding(r, "has no maintenance window in production; set redis.maintenanceWindow (day and UTC hour)"));
  }
}

export class HealthGatedInProduction extends PolicyRule {
  readonly id = "RN012";
  readonly rationale = "A production revision that cannot reach Redis must never take traffic: its health path gates it.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    if (!this.context.production) return [];
    const httpProbe = (probe: unknown, request: string) => asList((asList(probe)[0] as any)?.[request]).length > 0;
    return [
      ...ofType(resources, "google_cloud_run_v2_service")
        .filter((r) => !httpProbe((asList(asList(r.body.template)[0]?.containers)[0] as any)?.startup_probe, "http_get"))
        .map((r) => finding(r, "has no HTTP startup probe in production; set gcp.backend.healthPath")),
      ...ofType(resources, "scaleway_container")
        .filter((r) => !httpProbe(r.body.startup_probe, "http"))
        .map((r) => finding(r, "has no HTTP startup probe in production; set scaleway.container.healthPath")),
    ];
  }
}

/** Every rule, for one stack. */
export function policyRules(context: PolicyContext): PolicyRule[] {
  return [
    new NoIngressFromAnywhere(context),
    new RedisRuleSourceIsConnector(context),
    new RedisAuthEverywhere(context),
    new RedisTlsInProduction(context),
    new NoPublicRedisInProduction(context),
    new NamesCarryEnvironment(context),
    new ConnectorRange(context),
    new GcpNameLimits(context),
    new ServerlessOnPrivateNetwork(context),
    new InvocationAsDeclared(context),
    new MaintenanceWindowInProduction(context),
    new HealthGatedInProduction(context),
  ];
}
