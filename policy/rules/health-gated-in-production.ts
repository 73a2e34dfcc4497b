import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { asList, finding, ofType } from "../resources";

export class HealthGatedInProduction extends PolicyRule {
  readonly id = "RN012";
  readonly rationale = "A production revision that cannot reach Redis must never take traffic: its health path gates it.";
  protected check(resources: SynthesizedResource[]): Finding[] {
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
