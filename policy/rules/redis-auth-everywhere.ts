import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { finding, ofType } from "../resources";

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
