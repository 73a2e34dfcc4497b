import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { asList, connectorRange, finding, ofType, redisRanges } from "../resources";

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
