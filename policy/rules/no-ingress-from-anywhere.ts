import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { asList, finding, ofType } from "../resources";

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
