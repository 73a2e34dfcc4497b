import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { finding, ofType } from "../resources";

export class RedisTlsInProduction extends PolicyRule {
  readonly id = "RN004";
  readonly rationale = "Production Redis traffic, AUTH string included, must not cross the network in clear text.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return [
      ...ofType(resources, "google_redis_instance").filter((r) => r.body.transit_encryption_mode !== "SERVER_AUTHENTICATION").map((r) => finding(r, "has transit encryption off in production; set redis.transitEncryption = true")),
      ...ofType(resources, "scaleway_redis_cluster").filter((r) => r.body.tls_enabled !== true).map((r) => finding(r, "has TLS off in production; set redis.tls = true")),
    ];
  }
}
