import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { asList, finding, ofType } from "../resources";

export class NoPublicRedisInProduction extends PolicyRule {
  readonly id = "RN005";
  readonly rationale = "Production Redis is reachable from its private network only, never on a public IP behind an allow-list.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return [
      ...ofType(resources, "scaleway_redis_cluster")
        .filter((r) => asList(r.body.private_network).length === 0 || r.body.acl !== undefined || r.body.public_network !== undefined)
        .map((r) => finding(r, "has a public endpoint in production; give it only a private_network block")),
      ...ofType(resources, "google_redis_instance").filter((r) => !r.body.authorized_network).map((r) => finding(r, "names no authorized_network (it would join the default network); set it to the environment's VPC")),
    ];
  }
}
