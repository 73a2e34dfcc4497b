import { readFileSync, realpathSync, writeFileSync } from "fs";
import path from "path";
import { Testing } from "cdktf";
import { parseConfig } from "../../../config/load";
import { synthesize } from "../../../main";
import { StateBucketStack } from "../../../stacks/state-bucket-stack";
import { rawConfig, resources, ROOT, synthAll, synthStack, tempDir } from "../../helpers/helpers";

// The bootstrap stacks that create the state buckets (stacks/state-bucket-stack.ts).
const DEPLOYER = "serviceAccount:deploy@netra-staging.iam.gserviceaccount.com";
const APP = "application_id:5f2c1e8a-0b7d-4c3e-9a61-2d8f4b7e0c19";
const OWNER = "user_id:8d3a6f10-4c2b-4e7a-b915-0f6e2c8d1a47";

/** The buckets alone: the CI identities the stacks add with `ci` are tested in ci-identities.test.ts. */
function withState(gcp: any = { bucket: "netra-staging-tfstate", writers: [DEPLOYER] }, scaleway: any = { bucket: "gift-genie-tfstate", writers: [APP], owners: [OWNER] }) {
  const raw = rawConfig();
  delete raw.ci;
  raw.environments.staging.gcp.state = gcp;
  raw.environments.staging.scaleway.state = scaleway;
  return raw;
}

test("a bootstrap stack for each cloud of each environment that keeps its state in a bucket, none without", () => {
  const bootstrap = (raw: any) => Object.keys(synthAll(raw)).filter((name) => name.startsWith("state-")).sort();
  const withState = Object.entries<any>(rawConfig().environments).flatMap(([env, clouds]) => ["gcp", "scaleway"].filter((cloud) => clouds[cloud]?.state).map((cloud) => `state-${cloud}-${env}`));
  expect(withState).toContain("state-gcp-staging");
  expect(bootstrap(rawConfig())).toEqual(withState.sort());
  const local = rawConfig();
  for (const clouds of Object.values<any>(local.environments)) for (const cloud of Object.values<any>(clouds)) if (typeof cloud === "object") delete cloud.state;
  expect(bootstrap(local)).toEqual([]);
});

test("GCS: versioned, a bounded number of old versions, uniform access, never public, never destroyed; deployers get object access only", () => {
  const all = resources(synthStack("state-gcp-staging", withState()));
  expect(all["google_storage_bucket.state"]).toMatchObject({
    name: "netra-staging-tfstate",
    project: "netra-staging",
    location: "us-central1",
    versioning: { enabled: true },
    lifecycle_rule: [{ action: { type: "Delete" }, condition: { num_newer_versions: 10, with_state: "ARCHIVED" } }],
    uniform_bucket_level_access: true,
    public_access_prevention: "enforced",
    lifecycle: { prevent_destroy: true },
  });
  expect(all["google_storage_bucket_iam_member.state_writer_0"]).toMatchObject({ bucket: "${google_storage_bucket.state.name}", role: "roles/storage.objectUser", member: DEPLOYER });
  expect(Object.keys(all).sort()).toEqual(["google_storage_bucket.state", "google_storage_bucket_iam_member.state_writer_0"]);
});

test("Scaleway: versioned, old versions bounded, private, and a bucket policy: owners keep full access, deployers object access only", () => {
  const all = resources(synthStack("state-scaleway-staging", withState()));
  expect(all["scaleway_object_bucket.state"]).toMatchObject({
    name: "gift-genie-tfstate",
    region: "fr-par",
    versioning: { enabled: true },
    lifecycle_rule: [{ enabled: true, noncurrent_version_expiration: { newer_noncurrent_versions: 10, noncurrent_days: 1 } }],
    lifecycle: { prevent_destroy: true },
  });
  expect(all["scaleway_object_bucket_acl.state"]).toMatchObject({ acl: "private" });
  const policy = JSON.parse(all["scaleway_object_bucket_policy.state"].policy);
  expect(policy.Statement).toEqual([
    { Sid: "Owners", Effect: "Allow", Principal: { SCW: [OWNER] }, Action: ["s3:*"], Resource: ["gift-genie-tfstate", "gift-genie-tfstate/*"] },
    {
      Sid: "Deployers", Effect: "Allow", Principal: { SCW: [APP] },
      Action: ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"],
      Resource: ["gift-genie-tfstate", "gift-genie-tfstate/*"],
    },
  ]);
});

test("the bootstrap stack's own state is local first, then in its bucket under its own key", () => {
  let stackDir = "";
  const backend = (stack: string, raw: any) => {
    const dir = tempDir("bootstrap-");
    const configFile = path.join(dir, "environments.json");
    writeFileSync(configFile, JSON.stringify(raw));
    synthesize({ configFile, outdir: path.join(dir, "out"), environments: ["staging"] });
    stackDir = path.join(dir, "out", "stacks", stack);
    return JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).terraform.backend;
  };
  expect(Object.keys(backend("state-gcp-staging", withState()))).toEqual(["local"]);
  // Terraform resolves the path from the stack's real directory: the project's terraform-state/.
  expect(path.resolve(realpathSync(stackDir), backend("state-gcp-staging", withState()).local.path)).toBe(path.join(ROOT, "terraform-state", "state-gcp-staging.tfstate"));
  expect(Object.keys(backend("state-scaleway-staging", withState()))).toEqual(["local"]);
  const inBucket = withState({ bucket: "netra-staging-tfstate", bootstrap: "bucket" }, { bucket: "gift-genie-tfstate", bootstrap: "bucket", region: "nl-ams" });
  expect(backend("state-gcp-staging", inBucket)).toEqual({ gcs: { bucket: "netra-staging-tfstate", prefix: "redis-network/state-gcp-staging" } });
  expect(backend("state-scaleway-staging", inBucket).s3).toMatchObject({ bucket: "gift-genie-tfstate", key: "redis-network/state-scaleway-staging.tfstate", region: "nl-ams", use_lockfile: true });
  // The environment's own stack keeps its state in the same bucket and region.
  expect(backend("scaleway-staging", inBucket).s3).toMatchObject({ bucket: "gift-genie-tfstate", region: "nl-ams", endpoints: { s3: "https://s3.nl-ams.scw.cloud" } });
});

test.each([
  ["gcp", { bucket: "Netra_State" }, "environments.staging.gcp.state.bucket: must be lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit (got \"Netra_State\")"],
  ["gcp", { bucket: "google-state" }, "environments.staging.gcp.state.bucket: must not start with \"goog\" or contain \"google\" (Google reserves them) (got \"google-state\")"],
  ["gcp", { bucket: "ab" }, "environments.staging.gcp.state.bucket: must be 3-63 characters (up to 222 with dots) (got \"ab\")"],
  ["gcp", { bucket: "netra-state", writers: ["deploy@netra.iam.gserviceaccount.com"] }, "environments.staging.gcp.state.writers.0: must be an IAM member such as serviceAccount:deploy@<project>.iam.gserviceaccount.com"],
  ["scaleway", { bucket: "gift_genie_state" }, "environments.staging.scaleway.state.bucket: must be lowercase letters, digits, '-' or '.', starting and ending with a letter or digit (got \"gift_genie_state\")"],
  ["scaleway", { bucket: "gift-genie-state", region: "de-fra" }, "environments.staging.scaleway.state.region: must be a region Scaleway Object Storage serves: fr-par, nl-ams, pl-waw"],
  ["scaleway", { bucket: "gift-genie-state", writers: [APP] }, "environments.staging.scaleway.state.owners: is required with writers: a bucket policy applies to everyone"],
])("a %s state bucket %j is refused with the field named", (cloud, state, message) => {
  const raw = rawConfig();
  raw.environments.staging[cloud].state = state;
  expect(() => synthAll(raw)).toThrow(message);
});

test("the state bucket stack itself refuses CI identities without the project number the principals need", () => {
  const config = parseConfig(rawConfig()).environments.staging.gcp!;
  const { projectNumber, ...withoutNumber } = config;
  expect(projectNumber).toBeDefined();
  const build = () => new StateBucketStack(Testing.app(), { cloud: "gcp", environment: "staging", config: withoutNumber as any, repository: "netra-systems/redis-private-networking" });
  expect(build).toThrow("state-gcp-staging: gcp.projectNumber is required with ci: the Workload Identity principals name the project by number");
});
