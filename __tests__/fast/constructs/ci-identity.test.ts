import { TerraformStack, Testing } from "cdktf";
import { CiServiceAccount, CiServiceAccountProps } from "../../../constructs/gcp/ci-service-account";
import { GithubWorkloadIdentity, GithubWorkloadIdentityProps } from "../../../constructs/gcp/github-workload-identity";

// The CI identity constructs check their own props: they are reusable outside this app's validated config.
const REPO = "netra/redis-net";
const SUBJECT = `repo:${REPO}:environment:gcp-staging`;

function stack() {
  return new TerraformStack(Testing.app(), "test");
}

function resources(scope: TerraformStack): Record<string, any> {
  // The stack's own Terraform, not Testing.synth, which drops the `//` blocks checkov skips live in.
  const json = scope.toTerraform();
  return Object.fromEntries(Object.entries<any>(json.resource).flatMap(([type, byName]) => Object.entries<any>(byName).map(([name, body]) => [`${type}.${name}`, body])));
}

describe("GithubWorkloadIdentity", () => {
  const props: GithubWorkloadIdentityProps = { project: "netra-staging", projectNumber: "412873960154", poolId: "staging-github", providerId: "staging-github-actions", repository: REPO, subjects: [SUBJECT] };
  const identity = (overrides: Partial<GithubWorkloadIdentityProps> = {}, scope = stack()) => new GithubWorkloadIdentity(scope, "github", { ...props, ...overrides });

  test.each([
    [{ project: "Netra" }, 'test/github: project "Netra" must be'],
    [{ projectNumber: "41287x" }, 'test/github: projectNumber "41287x" must be'],
    [{ poolId: "gcp-pool" }, 'test/github: poolId "gcp-pool" must be'],
    [{ providerId: "abc" }, 'test/github: providerId "abc" must be'],
    [{ repository: "no-slash" }, 'test/github: repository "no-slash" '],
    [{ subjects: [] }, "test/github: subjects [] must name at least one token subject"],
    [{ subjects: [SUBJECT, "repo:other/repo:environment:gcp-staging"] }, `test/github: subjects[1] "repo:other/repo:environment:gcp-staging" must be a subject of ${REPO} (repo:${REPO}:...)`],
    [{ subjects: [`repo:${REPO}:${"x".repeat(127 - `repo:${REPO}:`.length + 1)}`] }, "is longer than the 127 bytes Google maps to google.subject"],
  ])("rejects %j", (overrides, message) => {
    expect(() => identity(overrides)).toThrow(message);
  });

  test("a subject of exactly 127 bytes is accepted", () => {
    expect(() => identity({ subjects: [`repo:${REPO}:${"x".repeat(127 - `repo:${REPO}:`.length)}`] })).not.toThrow();
  });

  test("accepts only the repository's tokens with a listed subject, and names principals by subject", () => {
    const scope = stack();
    const built = identity({ subjects: [SUBJECT, `repo:${REPO}:pull_request`] }, scope);
    const all = resources(scope);
    expect(all["google_iam_workload_identity_pool_provider.github"]).toMatchObject({
      attribute_condition: `assertion.repository == "${REPO}" && (assertion.sub == "${SUBJECT}" || assertion.sub == "repo:${REPO}:pull_request")`,
      attribute_mapping: { "google.subject": "assertion.sub", "attribute.repository": "assertion.repository", "attribute.repository_owner": "assertion.repository_owner" },
      oidc: { issuer_uri: "https://token.actions.githubusercontent.com" },
      description: `Tokens of ${REPO} only`,
      display_name: "GitHub Actions OIDC",
    });
    expect(all["google_iam_workload_identity_pool.github"]).toMatchObject({ display_name: "GitHub Actions", description: `Jobs of ${REPO}` });
    expect(built.providerName).toBe("projects/412873960154/locations/global/workloadIdentityPools/staging-github/providers/staging-github-actions");
    expect(built.principal(SUBJECT)).toBe(`principal://iam.googleapis.com/projects/412873960154/locations/global/workloadIdentityPools/staging-github/subject/${SUBJECT}`);
    expect(() => built.principal(`repo:${REPO}:environment:gcp-production`)).toThrow(`test/github: subject "repo:${REPO}:environment:gcp-production" is not one the provider accepts (${SUBJECT}, repo:${REPO}:pull_request)`);
  });

  test("its address defaults to the construct ID in snake case", () => {
    const scope = stack();
    new GithubWorkloadIdentity(scope, "ci-pool", props);
    expect(Object.keys(resources(scope)).sort()).toEqual(["google_iam_workload_identity_pool.ci_pool", "google_iam_workload_identity_pool_provider.ci_pool"]);
  });
});

describe("CiServiceAccount", () => {
  const props: CiServiceAccountProps = {
    project: "netra-staging",
    name: "plan",
    accountId: "staging-ci-plan",
    description: "Plans",
    grants: [{ project: "netra-staging", roles: { "roles/compute.networkViewer": "reads the network" } }],
    stateBucket: { name: "state", role: "roles/storage.objectViewer" },
    impersonators: { pull_request: "principal://iam.googleapis.com/pool/subject/x" },
  };
  const account = (overrides: Partial<CiServiceAccountProps> = {}, scope = stack()) => new CiServiceAccount(scope, "ci-plan", { ...props, ...overrides });
  const withPermissions = [{ project: "netra-staging", roles: {}, permissions: { "compute.networks.get": "reads one network" } }];

  test.each([
    [{ project: "Netra" }, 'test/ci-plan: project "Netra" must be'],
    [{ accountId: "ci" }, 'test/ci-plan: accountId "ci" must be'],
    [{ name: "Plan" }, `test/ci-plan: name "Plan" must be lowercase letters, digits or '_' (it is part of Terraform addresses)`],
    [{ name: "plan-x" }, `test/ci-plan: name "plan-x" must be lowercase`],
    [{ name: "1plan" }, `test/ci-plan: name "1plan" must be lowercase`],
    [{ grants: withPermissions }, 'test/ci-plan: customRoleId undefined is required when a grant has permissions'],
    [{ grants: [{ project: "netra-host", roles: {} }, ...withPermissions] }, 'test/ci-plan: customRoleId undefined is required when a grant has permissions'],
    [{ grants: withPermissions, customRoleId: "ci-plan" }, 'test/ci-plan: customRoleId "ci-plan" '],
    [{ grants: [{ project: "Host", roles: {} }] }, 'test/ci-plan: grants[0].project "Host" must be'],
    [{ grants: [{ project: "netra-staging", roles: { "compute.admin": "x" } }] }, 'test/ci-plan: grants[0].roles "compute.admin" '],
    [{ grants: [{ project: "netra-staging", roles: {}, checkovSkips: { "roles/owner": { CKV_GCP_41: "x" } } }] }, 'test/ci-plan: grants[0].checkovSkips "roles/owner" must name a role of the grant'],
    [{ grants: [{ project: "netra-staging", roles: { "roles/browser": " " } }] }, 'test/ci-plan: grants[0].roles.roles/browser " " must say why it is granted'],
    [{ grants: [{ project: "netra-staging", roles: {}, permissions: { "compute.networks.get": "" } }], customRoleId: "ciPlan" }, 'test/ci-plan: grants[0].permissions.compute.networks.get "" must say why it is granted'],
    [{ stateBucket: { name: "state", role: "storage.admin" } }, 'test/ci-plan: stateBucket.role "storage.admin" '],
    [{ impersonators: { push: "someone" } }, 'test/ci-plan: impersonators.push "someone" '],
  ])("rejects %j", (overrides, message) => {
    expect(() => account(overrides)).toThrow(message);
  });

  test("grants roles by slug, single permissions through a custom role, host grants prefixed, and one role on the state bucket", () => {
    const scope = stack();
    account({
      grants: [
        { project: "netra-staging", roles: { "roles/compute.networkViewer": "x" }, permissions: { "compute.networks.get": "y" }, checkovSkips: { "roles/compute.networkViewer": { CKV_GCP_49: "why" } } },
        { project: "netra-host", roles: { "roles/vpcaccess.admin": "z" } },
      ],
      customRoleId: "ciPlan",
    }, scope);
    const all = resources(scope);
    const member = "serviceAccount:${google_service_account.ci_plan.email}";
    expect(Object.keys(all).sort()).toEqual([
      "google_project_iam_custom_role.ci_plan",
      "google_project_iam_member.ci_plan_compute_network_viewer",
      "google_project_iam_member.ci_plan_custom",
      "google_project_iam_member.host_ci_plan_vpcaccess_admin",
      "google_service_account.ci_plan",
      "google_service_account_iam_member.ci_plan_pull_request",
      "google_storage_bucket_iam_member.ci_plan_state",
    ]);
    expect(all["google_service_account.ci_plan"]).toMatchObject({ project: "netra-staging", account_id: "staging-ci-plan", display_name: "CI plan", description: "Plans" });
    expect(all["google_project_iam_member.ci_plan_compute_network_viewer"]).toMatchObject({ project: "netra-staging", role: "roles/compute.networkViewer", member });
    expect(all["google_project_iam_member.ci_plan_compute_network_viewer"]["//"].checkov_skip).toEqual({ CKV_GCP_49: "why" });
    expect(all["google_project_iam_member.host_ci_plan_vpcaccess_admin"]["//"]?.checkov_skip).toBeUndefined();
    expect(all["google_project_iam_member.host_ci_plan_vpcaccess_admin"]).toMatchObject({ project: "netra-host", role: "roles/vpcaccess.admin", member });
    expect(all["google_project_iam_custom_role.ci_plan"]).toMatchObject({ project: "netra-staging", role_id: "ciPlan", title: "CI plan: single permissions", description: "Plans: permissions no predefined role of its grants holds", permissions: ["compute.networks.get"] });
    expect(all["google_project_iam_member.ci_plan_custom"]).toMatchObject({ role: "${google_project_iam_custom_role.ci_plan.name}", member });
    expect(all["google_storage_bucket_iam_member.ci_plan_state"]).toEqual(expect.objectContaining({ bucket: "state", role: "roles/storage.objectViewer", member }));
    expect(all["google_service_account_iam_member.ci_plan_pull_request"]).toMatchObject({ service_account_id: "${google_service_account.ci_plan.name}", role: "roles/iam.workloadIdentityUser", member: props.impersonators.pull_request });
  });

  test("a custom role of a project is granted at an address Terraform takes", () => {
    const scope = stack();
    account({ grants: [{ project: "netra-host", roles: { "projects/netra-host/roles/redisReader": "reads Redis" } }] }, scope);
    expect(resources(scope)["google_project_iam_member.host_ci_plan_netra-host_redis_reader"]).toMatchObject({ project: "netra-host", role: "projects/netra-host/roles/redisReader" });
  });

  test("grantAddress names the grants when given, told whether each is in another project", () => {
    const scope = stack();
    const seen: [string, boolean][] = [];
    account({
      grants: [{ project: "netra-staging", roles: { "roles/run.developer": "x" } }, { project: "netra-host", roles: { "roles/compute.networkUser": "y" } }],
      grantAddress: (part, inHost) => { seen.push([part, inHost]); return `g${inHost ? "_host" : ""}${part}`; },
    }, scope);
    expect(seen).toEqual([["_run_developer", false], ["_compute_network_user", true]]);
    expect(Object.keys(resources(scope)).filter((a) => a.startsWith("google_project_iam_member.")).sort()).toEqual(["google_project_iam_member.g_host_compute_network_user", "google_project_iam_member.g_run_developer"]);
  });
});
