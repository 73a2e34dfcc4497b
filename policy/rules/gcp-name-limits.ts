import { CLOUD_RUN_NAME, connectorNameProblem, CUSTOM_ROLE_ID, gcpName, MEMORYSTORE_NAME, SECRET_ID, SERVICE_ACCOUNT_ID, WORKLOAD_IDENTITY_ID } from "../../limits/gcp";
import { textProblem, TextRule } from "../../limits/rule";
import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { finding, named } from "../resources";

/** Google's name limits by type; others follow RFC 1035 (63 characters). */
const GCP_NAME_RULES: Record<string, TextRule> = {
  google_redis_instance: MEMORYSTORE_NAME,
  google_cloud_run_v2_service: CLOUD_RUN_NAME,
  google_service_account: SERVICE_ACCOUNT_ID,
  google_secret_manager_secret: SECRET_ID,
  google_iam_workload_identity_pool: WORKLOAD_IDENTITY_ID,
  google_iam_workload_identity_pool_provider: WORKLOAD_IDENTITY_ID,
  google_project_iam_custom_role: CUSTOM_ROLE_ID,
};

export class GcpNameLimits extends PolicyRule {
  readonly id = "RN008";
  readonly rationale = "A name Google rejects fails the apply halfway; check it at synth instead.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    return named(resources)
      .filter(({ resource }) => resource.type.startsWith("google_"))
      .flatMap(({ resource, attribute, value }) => {
        if (typeof value !== "string") return [];
        const problem = resource.type === "google_vpc_access_connector" ? connectorNameProblem(value) : textProblem(GCP_NAME_RULES[resource.type] ?? gcpName(), value);
        return problem ? [finding(resource, `${attribute} ${JSON.stringify(value)} breaks Google's limit: ${problem}`)] : [];
      });
  }
}
