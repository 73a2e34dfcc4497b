import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { asList, finding, ofType } from "../resources";

/** The path an HTTP probe GETs, or undefined (no probe, or TCP). */
const httpPath = (probe: unknown, request: string): string | undefined => asList((asList(probe)[0] as any)?.[request])[0]?.path;

export class LivenessApartFromStartup extends PolicyRule {
  readonly id = "RN013";
  readonly rationale = "A liveness probe on the Redis-checking health path restarts every production instance during a Redis failover.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    const sharedPath = (startup: unknown, liveness: unknown, request: string) => {
      // Without an HTTP startup probe both are undefined, and so is the answer.
      const path = httpPath(startup, request);
      return path === httpPath(liveness, request) ? path : undefined;
    };
    const message = (path: string, field: string) =>
      `has its liveness probe on the startup probe's path ${path} in production: that path checks Redis, so a Redis outage would restart every instance; set ${field} to a path that checks only the process`;
    return [
      ...ofType(resources, "google_cloud_run_v2_service").flatMap((r) => {
        const container = asList(asList(r.body.template)[0]?.containers)[0] as any;
        const path = sharedPath(container?.startup_probe, container?.liveness_probe, "http_get");
        return path === undefined ? [] : [finding(r, message(path, "gcp.backend.livenessPath"))];
      }),
      ...ofType(resources, "scaleway_container").flatMap((r) => {
        const path = sharedPath(r.body.startup_probe, r.body.liveness_probe, "http");
        return path === undefined ? [] : [finding(r, message(path, "scaleway.container.livenessPath"))];
      }),
    ];
  }
}
