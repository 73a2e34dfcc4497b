import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { asList, finding, ofType } from "../resources";

export class MaintenanceWindowInProduction extends PolicyRule {
  readonly id = "RN011";
  readonly rationale = "Without a window Google may restart production Redis at peak time; a declared hour is a planned failover.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return ofType(resources, "google_redis_instance")
      .filter((r) => asList(asList(r.body.maintenance_policy)[0]?.weekly_maintenance_window).length === 0)
      .map((r) => finding(r, "has no maintenance window in production; set redis.maintenanceWindow (day and UTC hour)"));
  }
}
