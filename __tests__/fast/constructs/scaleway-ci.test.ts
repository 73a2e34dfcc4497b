import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { CiApplication, CiApplicationProps } from "../../../constructs/scaleway/ci-application";
import { ObjectStorageStateBucket, ObjectStorageStateBucketProps } from "../../../constructs/scaleway/state-bucket";

// The Scaleway CI and state constructs check their own props: they are reusable outside this app's validated config.
const APP = "application_id:11111111-2222-3333-4444-555555555555";
const USER = "user_id:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const READER = "application_id:99999999-2222-3333-4444-555555555555";

/** The construct's resources by address, and its attributes `expose` names, as Terraform references. */
function built<T>(make: (scope: TerraformStack) => T, expose: (construct: T) => Record<string, string> = () => ({})) {
  const scope = new TerraformStack(Testing.app(), "test");
  const construct = make(scope);
  for (const [name, value] of Object.entries(expose(construct))) new TerraformOutput(scope, name, { value });
  const json = JSON.parse(Testing.synth(scope));
  const resources: Record<string, any> = Object.fromEntries(Object.entries<any>(json.resource).flatMap(([type, byName]) => Object.entries<any>(byName).map(([name, body]) => [`${type}.${name}`, body])));
  const attributes: Record<string, string> = Object.fromEntries(Object.entries<any>(json.output ?? {}).map(([name, output]) => [name, output.value]));
  return { resources, attributes };
}

describe("ObjectStorageStateBucket", () => {
  const props: ObjectStorageStateBucketProps = { name: "netra-state", region: "fr-par", writers: [APP], owners: [USER], tags: { team: "platform" } };
  const bucket = (overrides: Partial<ObjectStorageStateBucketProps> = {}) =>
    built((scope) => new ObjectStorageStateBucket(scope, "state-bucket", { ...props, ...overrides }), (b) => ({ bucketName: b.bucketName, projectId: b.projectId }));
  const policy = (resources: Record<string, any>) => JSON.parse(resources["scaleway_object_bucket_policy.state_bucket"].policy);

  test.each([
    [{ name: "ab" }, 'test/state-bucket: name "ab" must be 3-63 characters'],
    [{ region: "us-east-1" as any }, 'test/state-bucket: region "us-east-1" must be a region Scaleway Object Storage serves'],
    [{ keepVersions: 0 }, "test/state-bucket: keepVersions 0 "],
    [{ writers: ["application_id:nope"] }, 'test/state-bucket: writers[0] "application_id:nope" must be a Scaleway principal'],
    [{ readers: [READER, "bob"] }, 'test/state-bucket: readers[1] "bob" must be a Scaleway principal'],
    [{ owners: [USER, "user_id:x"] }, 'test/state-bucket: owners[1] "user_id:x" must be a Scaleway principal'],
    [{ owners: [] }, "test/state-bucket: owners [] is required with writers or readers: a bucket policy applies to everyone"],
    [{ owners: [], writers: [], readers: [READER] }, "test/state-bucket: owners [] is required with writers or readers"],
  ])("rejects %j", (overrides, message) => {
    expect(() => bucket(overrides)).toThrow(message);
  });

  test("is versioned, keeps 10 old versions by default, private, tagged and never destroyed by Terraform", () => {
    const { resources, attributes } = bucket();
    expect(resources["scaleway_object_bucket.state_bucket"]).toMatchObject({
      name: "netra-state",
      region: "fr-par",
      versioning: { enabled: true },
      lifecycle_rule: [{ enabled: true, noncurrent_version_expiration: { newer_noncurrent_versions: 10, noncurrent_days: 1 } }],
      tags: { team: "platform" },
      lifecycle: { prevent_destroy: true },
    });
    expect(resources["scaleway_object_bucket_acl.state_bucket"]).toEqual({ bucket: "${scaleway_object_bucket.state_bucket.id}", region: "fr-par", acl: "private" });
    expect(attributes).toEqual({ bucketName: "${scaleway_object_bucket.state_bucket.name}", projectId: "${scaleway_object_bucket.state_bucket.project_id}" });
    expect(bucket({ keepVersions: 3 }).resources["scaleway_object_bucket.state_bucket"].lifecycle_rule[0].noncurrent_version_expiration.newer_noncurrent_versions).toBe(3);
  });

  test("its policy gives owners everything, deployers state objects and versions, planners read only", () => {
    const { resources } = bucket({ readers: [READER] });
    expect(resources["scaleway_object_bucket_policy.state_bucket"]).toMatchObject({ bucket: "${scaleway_object_bucket.state_bucket.id}", region: "fr-par" });
    const resource = ["netra-state", "netra-state/*"];
    expect(policy(resources)).toEqual({
      Version: "2023-04-17",
      Id: "redis-network-state",
      Statement: [
        { Sid: "Owners", Effect: "Allow", Principal: { SCW: [USER] }, Action: ["s3:*"], Resource: resource },
        { Sid: "Deployers", Effect: "Allow", Principal: { SCW: [APP] }, Action: ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"], Resource: resource },
        { Sid: "Planners", Effect: "Allow", Principal: { SCW: [READER] }, Action: ["s3:ListBucket", "s3:GetObject"], Resource: resource },
      ],
    });
  });

  test("a statement exists only for principals given, and no policy at all without any", () => {
    // toStrictEqual: toEqual would take ["Owners", undefined], a statement that is not one, as ["Owners"].
    expect(policy(bucket({ writers: [] }).resources).Statement.map((s: any) => s.Sid)).toStrictEqual(["Owners"]);
    expect(policy(bucket({ readers: [READER], writers: [] }).resources).Statement.map((s: any) => s.Sid)).toStrictEqual(["Owners", "Planners"]);
    expect(bucket({ writers: [], owners: [] }).resources["scaleway_object_bucket_policy.state_bucket"]).toBeUndefined();
    expect(bucket({ logicalId: "state" }).resources["scaleway_object_bucket_policy.state"]).toBeDefined();
  });
});

describe("CiApplication", () => {
  const props: CiApplicationProps = { name: "deploy", applicationName: "staging-ci-deploy", description: "Deploys", projectId: "proj", permissionSets: { RedisFullAccess: "creates Redis" } };
  const application = (overrides: Partial<CiApplicationProps> = {}) =>
    built((scope) => new CiApplication(scope, "ci-deploy", { ...props, ...overrides }), (a) => ({ applicationId: a.applicationId }));

  test.each([
    [{ name: "Deploy" }, `test/ci-deploy: name "Deploy" must be lowercase letters, digits or '_' (it is part of Terraform addresses)`],
    [{ name: "deploy-x" }, 'test/ci-deploy: name "deploy-x" must be lowercase'],
    [{ name: "_deploy" }, 'test/ci-deploy: name "_deploy" must be lowercase'],
    [{ applicationName: "Staging" }, 'test/ci-deploy: applicationName "Staging" must be 2-64 lowercase letters'],
    [{ permissionSets: {} }, "test/ci-deploy: permissionSets {} must name at least one permission set"],
    [{ permissionSets: { RedisFullAccess: "" } }, 'test/ci-deploy: permissionSets.RedisFullAccess "" must say why it is granted'],
    [{ permissionSets: { RedisFullAccess: "x", redis: "y" } }, 'test/ci-deploy: permissionSets "redis" must be a Scaleway permission set name'],
  ])("rejects %j", (overrides, message) => {
    expect(() => application(overrides)).toThrow(message);
  });

  test("one policy grants its permission sets in one project, tagged like the application", () => {
    const { resources, attributes } = application({ permissionSets: { RedisFullAccess: "x", VPCFullAccess: "y" }, tags: ["ci"] });
    expect(resources["scaleway_iam_application.ci_deploy"]).toEqual({ name: "staging-ci-deploy", description: "Deploys", tags: ["ci"] });
    expect(resources["scaleway_iam_policy.ci_deploy"]).toEqual({
      name: "staging-ci-deploy",
      description: "Deploys",
      application_id: "${scaleway_iam_application.ci_deploy.id}",
      rule: [{ project_ids: ["proj"], permission_set_names: ["RedisFullAccess", "VPCFullAccess"] }],
      tags: ["ci"],
    });
    expect(attributes.applicationId).toBe("${scaleway_iam_application.ci_deploy.id}");
    expect(application().resources["scaleway_iam_application.ci_deploy"].tags).toBeUndefined();
  });
});
