import { parseStackName, scalewayPlanKeySecrets, stackName, stateStackName } from "../../../naming/names";

// Tools (drift, remote state, the CI stack list) read a stack's cloud and environment from its name.

test("a stack name gives back the cloud and environment it was made from", () => {
  expect(parseStackName(stackName("gcp", "staging"))).toEqual({ bootstrap: false, cloud: "gcp", environment: "staging" });
  expect(parseStackName(stateStackName("scaleway", "qa-2"))).toEqual({ bootstrap: true, cloud: "scaleway", environment: "qa-2" });
});

test.each(["aws-staging", "xgcp-staging", "my-state-gcp-staging", "gcp-staging\nrm", "gcp-", "gcp", ""])("%j is no stack name", (name) => {
  expect(parseStackName(name)).toBeUndefined();
});

test("an environment's Scaleway plan key secrets take its name in capitals, a hyphen as '_' (GitHub secret names have no hyphens)", () => {
  expect(scalewayPlanKeySecrets("qa-eu-2")).toEqual({ accessKey: "SCW_PLAN_ACCESS_KEY_QA_EU_2", secretKey: "SCW_PLAN_SECRET_KEY_QA_EU_2" });
});
