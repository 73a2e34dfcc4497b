import { overlaps, parseCidr } from "../../limits/cidr";
import { CONNECTOR } from "../../limits/gcp";
import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { connectorRange, finding, ofType } from "../resources";

export class ConnectorRange extends PolicyRule {
  readonly id = "RN007";
  readonly rationale = `Serverless VPC Access takes exactly a /${CONNECTOR.prefix}, and an overlapping range breaks routing to Redis.`;
  protected check(resources: SynthesizedResource[]): Finding[] {
    return ofType(resources, "google_vpc_access_connector").flatMap((connector) => {
      const text = connectorRange(connector, resources);
      // Stryker disable next-line StringLiteral: equivalent, any text that is not CIDR gives the same finding
      const range = parseCidr(text ?? "");
      if (typeof range === "string") return [finding(connector, `has no literal range to check (${JSON.stringify(text)}); give its subnet a literal /${CONNECTOR.prefix}`)];
      if (range.prefix !== CONNECTOR.prefix) return [finding(connector, `serves from ${text}, not a /${CONNECTOR.prefix}; Serverless VPC Access requires exactly /${CONNECTOR.prefix}`)];
      const others = [
        ...ofType(resources, "google_compute_subnetwork").filter((s) => s.body.ip_cidr_range !== text).map((s) => [s.address, s.body.ip_cidr_range]),
        ...ofType(resources, "google_redis_instance").map((s) => [s.address, s.body.reserved_ip_range]),
      ];
      return others
        // Stryker disable next-line StringLiteral: equivalent, any text that is not CIDR parses to a problem, as "" does
        .map(([address, other]) => ({ address, other, parsed: parseCidr(other ?? "") }))
        // Stryker disable next-line ConditionalExpression: equivalent, a range that does not parse overlaps nothing (its base is undefined)
        .filter(({ parsed }) => typeof parsed !== "string" && overlaps(range, parsed))
        .map(({ address, other }) => finding(connector, `serves from ${text}, which overlaps ${address} (${other}); choose a disjoint /${CONNECTOR.prefix}`));
    });
  }
}
