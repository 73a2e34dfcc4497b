import { App, TerraformStack } from "cdktf";
import { parseConfig } from "../../../config/load";
import { addStacks } from "../../../main";
import { ciWorkflowIdentities, GCP_DEPLOY_ROLES, GCP_PLAN_ROLES, SCALEWAY_PLAN_PERMISSION_SETS } from "../../../stacks/ci-identities";
import { configProblems, rawConfig, resources, stackNames, Synthesized, synthAll, synthStack, tempDir } from "../../helpers/helpers";

// The CI identities of the bootstrap stacks (issue 21, "Separate power"): a plan identity that
// reads, a deploy identity only the environment's GitHub deployment environment can use.
const REPOSITORY = "netra-systems/redis-private-networking";
const POOL = "projects/412873960154/locations/global/workloadIdentityPools/staging-github";
const principal = (subject: string) => `principal://iam.googleapis.com/${POOL}/subject/${subject}`;

// Synthesized in a hook, not at load: a synth that throws fails the tests instead of the file.
let stacks: Record<string, Synthesized>;
let gcp: Record<string, any>;
let scaleway: Record<string, any>;
beforeAll(() => {
  stacks = synthAll();
  gcp = resources(stacks["state-gcp-staging"]);
  scaleway = resources(stacks["state-scaleway-staging"]);
});
const ofType = (all: Record<string, any>, type: string) => Object.entries(all).filter(([address]) => address.startsWith(`${type}.`));

/** Roles that can change anything: any role but viewers, readers and the custom read role. */
const WRITES = /admin|editor|user|owner|writer|creator|developer|invoker|accessor/i;

describe("Google: Workload Identity for this repository only", () => {
  test("the provider trusts GitHub's issuer and admits only this repository's tokens", () => {
    expect(gcp["google_iam_workload_identity_pool.github"]).toMatchObject({ project: "netra-staging", workload_identity_pool_id: "staging-github" });
    const provider = gcp["google_iam_workload_identity_pool_provider.github"];
    expect(provider).toMatchObject({
      workload_identity_pool_provider_id: "staging-github-actions",
      oidc: { issuer_uri: "https://token.actions.githubusercontent.com" },
      attribute_mapping: { "google.subject": "assertion.sub", "attribute.repository": "assertion.repository" },
    });
    // This repository, and only the subjects the service accounts trust: other jobs get no token.
    expect(provider.attribute_condition).toBe([
      `assertion.repository == "${REPOSITORY}"`,
      `(assertion.sub == "repo:${REPOSITORY}:pull_request" || assertion.sub == "repo:${REPOSITORY}:ref:refs/heads/main" || assertion.sub == "repo:${REPOSITORY}:environment:gcp-staging")`,
    ].join(" && "));
  });

  test("a wrong project number fails the apply: the pool's name must be the one the principals use", () => {
    expect(gcp["google_iam_workload_identity_pool.github"].lifecycle.postcondition).toEqual([
      expect.objectContaining({ condition: `\${self.name == "${POOL}"}` }),
    ]);
  });

  test("deploy is bound only to the environment's deployment environment", () => {
    const bindings = ofType(gcp, "google_service_account_iam_member").filter(([, b]) => b.service_account_id === "${google_service_account.ci_deploy.name}");
    expect(bindings.map(([, b]) => [b.role, b.member])).toEqual([["roles/iam.workloadIdentityUser", principal(`repo:${REPOSITORY}:environment:gcp-staging`)]]);
  });

  test("plan is bound to pull requests and to jobs on main (the drift check)", () => {
    const bindings = ofType(gcp, "google_service_account_iam_member").filter(([, b]) => b.service_account_id === "${google_service_account.ci_plan.name}");
    expect(bindings.map(([, b]) => b.member).sort()).toEqual([principal(`repo:${REPOSITORY}:pull_request`), principal(`repo:${REPOSITORY}:ref:refs/heads/main`)].sort());
  });

  test("plan holds no write role and no secretAccessor; its custom role only reads", () => {
    const planRoles = ofType(gcp, "google_project_iam_member").filter(([, b]) => b.member === "serviceAccount:${google_service_account.ci_plan.email}").map(([, b]) => b.role);
    expect(planRoles).toEqual(expect.arrayContaining(Object.keys(GCP_PLAN_ROLES)));
    expect(planRoles.filter((role) => role.startsWith("roles/") && WRITES.test(role))).toEqual([]);
    expect(planRoles).not.toContain("roles/secretmanager.secretAccessor");
    expect(gcp["google_project_iam_custom_role.ci_plan"]).toMatchObject({ role_id: "staging_ci_plan", permissions: ["redis.instances.getAuthString", "servicenetworking.services.get"] });
    expect(gcp["google_storage_bucket_iam_member.ci_plan_state"]).toMatchObject({ role: "roles/storage.objectViewer", bucket: "${google_storage_bucket.state.name}" });
  });

  test("deploy holds the stack's write roles and object access to the state", () => {
    const deployRoles = ofType(gcp, "google_project_iam_member").filter(([, b]) => b.member === "serviceAccount:${google_service_account.ci_deploy.email}").map(([, b]) => b.role);
    expect(deployRoles.sort()).toEqual(Object.keys(GCP_DEPLOY_ROLES).sort());
    expect(gcp["google_storage_bucket_iam_member.ci_deploy_state"]).toMatchObject({ role: "roles/storage.objectUser" });
  });

  test("the bucket keeps its addresses", () => {
    expect(gcp["google_storage_bucket.state"]).toMatchObject({ name: "netra-staging-tfstate" });
  });

  test("with a Shared VPC both identities get the network side's roles in the host project too", () => {
    const raw = rawConfig();
    raw.environments.production.gcp.sharedVpc = { hostProject: "netra-network-host", serviceProjectNumber: "803156427719" };
    raw.environments.production.gcp.redis.connectMode = "PRIVATE_SERVICE_ACCESS";
    raw.environments.production.gcp.redis.cidr = "10.166.0.0/24";
    const all = resources(synthStack("state-gcp-production", raw));
    expect(all["google_project_iam_member.host_ci_plan_compute_network_viewer"]).toMatchObject({ project: "netra-network-host" });
    expect(all["google_project_iam_custom_role.host_ci_plan"]).toMatchObject({ project: "netra-network-host", permissions: ["servicenetworking.services.get"] });
    expect(all["google_project_iam_member.host_ci_deploy_resourcemanager_project_iam_admin"]).toMatchObject({ project: "netra-network-host" });
  });
});

describe("Scaleway: an IAM application per identity, scoped to the environment's project", () => {
  const policy = (identity: string) => scaleway[`scaleway_iam_policy.ci_${identity}`];

  test("plan's policy grants only read-only permission sets, in the environment's project only", () => {
    expect(scaleway["scaleway_iam_application.ci_plan"]).toMatchObject({ name: "staging-ci-plan" });
    const { rule } = policy("plan");
    expect(rule).toHaveLength(1);
    expect(rule[0].project_ids).toEqual([rawConfig().environments.staging.scaleway.projectId]);
    expect(rule[0].organization_id).toBeUndefined();
    expect(rule[0].permission_set_names).toEqual(Object.keys(SCALEWAY_PLAN_PERMISSION_SETS));
    expect(rule[0].permission_set_names.filter((set: string) => !set.endsWith("ReadOnly"))).toEqual([]);
    expect(policy("plan").application_id).toBe("${scaleway_iam_application.ci_plan.id}");
  });

  test("deploy's policy is scoped to the configured project when one is given", () => {
    const raw = rawConfig();
    raw.environments.production.scaleway.projectId = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    const all = resources(synthStack("state-scaleway-production", raw));
    expect(all["scaleway_iam_policy.ci_deploy"].rule).toEqual([expect.objectContaining({ project_ids: ["0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"] })]);
    expect(all["scaleway_iam_policy.ci_deploy"].rule[0].permission_set_names).toContain("RedisFullAccess");
  });

  test("no API key is created: its secret would sit in state", () => {
    expect(Object.keys(scaleway).filter((address) => address.startsWith("scaleway_iam_api_key."))).toEqual([]);
  });

  test("where a bucket policy exists, deploy writes and plan only reads through it", () => {
    const raw = rawConfig();
    raw.environments.staging.scaleway.state.owners = ["user_id:8d3a6f10-4c2b-4e7a-b915-0f6e2c8d1a47"];
    const statements = JSON.parse(resources(synthStack("state-scaleway-staging", raw))["scaleway_object_bucket_policy.state"].policy).Statement;
    expect(statements.find((s: any) => s.Sid === "Deployers").Principal.SCW).toEqual(["application_id:${scaleway_iam_application.ci_deploy.id}"]);
    expect(statements.find((s: any) => s.Sid === "Planners")).toMatchObject({ Principal: { SCW: ["application_id:${scaleway_iam_application.ci_plan.id}"] }, Action: ["s3:ListBucket", "s3:GetObject"] });
  });

  test("without owners no bucket policy is made: it would lock out whoever bootstraps", () => {
    expect(Object.keys(scaleway).filter((address) => address.startsWith("scaleway_object_bucket_policy."))).toEqual([]);
  });
});

test("without ci no identity is made", () => {
  const raw = rawConfig();
  delete raw.ci;
  const all = resources(synthStack("state-gcp-staging", raw));
  expect(Object.keys(all).sort()).toEqual(["google_storage_bucket.state"]);
});

test("ciWorkflowIdentities gives a workflow the provider and the accounts the stacks make", () => {
  const config = parseConfig(rawConfig());
  expect(ciWorkflowIdentities(config, "production")).toEqual({
    gcp: {
      workloadIdentityProvider: "projects/803156427719/locations/global/workloadIdentityPools/production-github/providers/production-github-actions",
      planServiceAccount: "production-ci-plan@netra-production.iam.gserviceaccount.com",
      deployServiceAccount: "production-ci-deploy@netra-production.iam.gserviceaccount.com",
      deployEnvironment: "gcp-production",
    },
    scaleway: {
      planApplication: "production-ci-plan",
      planKeySecrets: { accessKey: "SCW_PLAN_ACCESS_KEY_PRODUCTION", secretKey: "SCW_PLAN_SECRET_KEY_PRODUCTION" },
      deployApplication: "production-ci-deploy",
      deployEnvironment: "scaleway-production",
    },
  });
  const provider = resources(stacks["state-gcp-staging"]);
  const staging = ciWorkflowIdentities(config, "staging").gcp!;
  expect(staging.workloadIdentityProvider).toBe(`${POOL}/providers/${provider["google_iam_workload_identity_pool_provider.github"].workload_identity_pool_provider_id}`);
  expect(stacks["state-gcp-staging"].output.workload_identity_provider.value).toBe(staging.workloadIdentityProvider);
  expect(() => ciWorkflowIdentities(config, "nonexistent")).toThrow('environment "nonexistent": is not configured');
});

describe("bad ci settings are refused with the field, the value and the rule", () => {
  const problems = configProblems;

  test.each([
    ["no owner", "redis-private-networking", 'ci.repository: must be a GitHub repository as <owner>/<repo>, e.g. netra-systems/redis-private-networking (got "redis-private-networking")'],
    ["a URL", "https://github.com/netra-systems/redis-private-networking", "ci.repository: must be a GitHub repository as <owner>/<repo>"],
    ["an owner ending in a hyphen", "netra-/redis", "ci.repository: must have an owner of 1-39 letters, digits or single hyphens, not starting or ending with a hyphen (GitHub's rule) (got \"netra-/redis\")"],
    ["two hyphens in an owner", "netra--systems/redis", "ci.repository: must have an owner of 1-39 letters"],
    ["a space in the name", "netra-systems/redis net", "ci.repository: must have a repository name of 1-100 letters, digits, '.', '_' or '-' (GitHub's rule) (got \"netra-systems/redis net\")"],
    ["a .git suffix", "netra-systems/redis.git", 'ci.repository: must have a repository name other than "." or "..", not ending in ".git"'],
  ])("a repository with %s", (_, repository, message) => {
    expect(problems((raw) => (raw.ci.repository = repository)).join("\n")).toContain(message);
  });

  test.each([
    ["letters", "netra-staging", 'environments.staging.gcp.projectNumber: must be a GCP project number (digits) (got "netra-staging")'],
    ["a number", 412873960154, "environments.staging.gcp.projectNumber: Invalid input: expected string, received number"],
  ])("a project number of %s", (_, projectNumber, message) => {
    expect(problems((raw) => (raw.environments.staging.gcp.projectNumber = projectNumber)).join("\n")).toContain(message);
  });

  test("no project number where the identities are made", () => {
    expect(problems((raw) => delete raw.environments.staging.gcp.projectNumber)).toEqual([
      "environments.staging.gcp.projectNumber: is required with ci and state: the bootstrap stack binds the CI service accounts to Workload Identity principals, which name the project by number (missing)",
    ]);
  });

  test("a subject longer than Google maps", () => {
    const long = `netra-systems/${"r".repeat(100)}`;
    expect(problems((raw) => (raw.ci.repository = long)).join("\n")).toContain("ci.repository: gives the token subject \"repo:netra-systems/rrrr");
  });

  test("an environment whose pool ID Google reserves", () => {
    expect(problems((raw) => {
      raw.environments.gcp = raw.environments.staging;
      delete raw.environments.staging;
    }).join("\n")).toContain('environments.gcp: gives the Workload Identity pool ID "gcp-github", which must be 4-32 lowercase letters, digits or hyphens, not starting with gcp-');
  });
});

test("npm run stacks -- --identities gives each stack's jobs their identities: GCP principals from the bootstrap's names, Scaleway plan keys by environment", () => {
  const { stackIdentities } = require("../../../scripts/stacks") as typeof import("../../../scripts/stacks");
  const config = parseConfig(rawConfig());
  const identities = stackIdentities(config);
  expect(Object.keys(identities).sort()).toEqual(stackNames().sort());
  const staging = ciWorkflowIdentities(config, "staging").gcp!;
  expect(identities["gcp-staging"]).toEqual({ workloadIdentityProvider: staging.workloadIdentityProvider, planServiceAccount: staging.planServiceAccount, deployServiceAccount: staging.deployServiceAccount });
  expect(identities["gcp-staging"]).toEqual({
    workloadIdentityProvider: "projects/412873960154/locations/global/workloadIdentityPools/staging-github/providers/staging-github-actions",
    planServiceAccount: "staging-ci-plan@netra-staging.iam.gserviceaccount.com",
    deployServiceAccount: "staging-ci-deploy@netra-staging.iam.gserviceaccount.com",
  });
  expect(identities["scaleway-production"]).toEqual({ planAccessKeySecret: "SCW_PLAN_ACCESS_KEY_PRODUCTION", planSecretKeySecret: "SCW_PLAN_SECRET_KEY_PRODUCTION" });
  // Without ci, no identities: the workflows' auth steps then get nothing to act as.
  const { ci, ...withoutCi } = rawConfig();
  expect(ci).toBeDefined();
  expect(stackIdentities(parseConfig(withoutCi))).toEqual({});
});

test("deploy's admin roles carry checkov's skips with their reason, acting as the backend its own; plan's none (found by npm run mutate)", () => {
  // The skips are cdktf metadata ("//"), which the synthesized JSON the other tests read leaves out.
  const app = new App({ outdir: tempDir("ci-checkov-") });
  addStacks(app, parseConfig(rawConfig()), ["staging"]);
  const members = (app.node.findChild("state-gcp-staging") as TerraformStack).toTerraform().resource.google_project_iam_member;
  const skips = Object.fromEntries(Object.values<any>(members).map((m) => [`${m.member.includes("ci_deploy") ? "deploy" : "plan"} ${m.role}`, Object.keys(m["//"]?.checkov_skip ?? {}).sort()]));
  expect(skips["deploy roles/iam.serviceAccountUser"]).toEqual(["CKV_GCP_41", "CKV_GCP_49"]);
  expect(skips["deploy roles/iam.serviceAccountAdmin"]).toEqual(["CKV_GCP_42", "CKV_GCP_49"]);
  expect(skips["deploy roles/redis.admin"]).toEqual(["CKV_GCP_42"]);
  expect(skips["deploy roles/monitoring.alertPolicyEditor"]).toEqual([]);
  expect(Object.entries(skips).filter(([key]) => key.startsWith("plan ")).flatMap(([, ids]) => ids)).toEqual([]);
  expect(Object.values<any>(members).find((m) => m.role === "roles/redis.admin")["//"].checkov_skip.CKV_GCP_42).toMatch(/^deploy creates, changes and deletes the stack's resources/);
});

test("the workflows' identities: an unknown environment names the configured ones; no Scaleway identities without Scaleway state (found by npm run mutate)", () => {
  expect(() => ciWorkflowIdentities(parseConfig(rawConfig()), "qa")).toThrow('environment "qa": is not configured (configured: staging, production)');
  const raw = rawConfig();
  delete raw.environments.staging.scaleway.state;
  const identities = ciWorkflowIdentities(parseConfig(raw), "staging");
  expect([identities.gcp?.deployEnvironment, identities.scaleway]).toEqual(["gcp-staging", undefined]);
});
