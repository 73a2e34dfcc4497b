import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { asList, finding, ofType } from "../resources";

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
