import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { finding, ofType } from "../resources";

export class InvocationAsDeclared extends PolicyRule {
  readonly id = "RN010";
  readonly rationale = "Public invocation is a decision per environment: undeclared it is an open API, missing it is a 403 on every request.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    const services = ofType(resources, "google_cloud_run_v2_service");
    const publicBindings = ofType(resources, "google_cloud_run_v2_service_iam_member").filter((r) => r.body.member === "allUsers" && r.body.role === "roles/run.invoker");
    const declared = this.context.invoker;
    return [
      ...publicBindings.filter(() => declared !== "allUsers").map((r) => finding(r, `lets allUsers invoke the service, but the environment declares backend.invoker ${JSON.stringify(declared ?? "(none)")}; declare "allUsers" or remove the binding`)),
      ...services.filter((r) => r.body.invoker_iam_disabled === true && declared !== "invokerIamDisabled").map((r) => finding(r, `disables the invoker check, but the environment declares backend.invoker ${JSON.stringify(declared ?? "(none)")}; declare "invokerIamDisabled" or remove invoker_iam_disabled`)),
      ...services.filter(() => declared === "allUsers" && publicBindings.length === 0).map((r) => finding(r, 'has no allUsers invoker binding although backend.invoker is "allUsers": every request would get 403')),
      ...services.filter((r) => declared === "invokerIamDisabled" && r.body.invoker_iam_disabled !== true).map((r) => finding(r, 'keeps the invoker check although backend.invoker is "invokerIamDisabled": every request would get 403')),
    ];
  }
}
