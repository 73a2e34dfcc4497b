import { App, TerraformStack } from "cdktf";
import { rawConfig, synthAll, tempDir } from "../../helpers/helpers";
import { readFileSync } from "fs";
import * as path from "path";
import { gcsOrLocalState, LOCAL_STATE_DIR, scalewayOrLocalState } from "../../../stacks/state-backend";

// Testing.synth drops the backend block, so these synthesize for real into a temporary directory.
function backendOf(configure: (stack: TerraformStack) => void, context: Record<string, string> = {}): any {
  const outdir = tempDir("backend-");
  const app = new App({ outdir, context });
  configure(new TerraformStack(app, "gcp-qa"));
  app.synth();
  return JSON.parse(readFileSync(path.join(outdir, "stacks", "gcp-qa", "cdk.tf.json"), "utf8")).terraform.backend;
}

test("no bucket configured: local state at a relative, per-stack path", () => {
  expect(backendOf((s) => gcsOrLocalState(s))).toEqual({ local: { path: "terraform.gcp-qa.tfstate" } });
  expect(backendOf((s) => scalewayOrLocalState(s, "fr-par"))).toEqual({ local: { path: "terraform.gcp-qa.tfstate" } });
});

test("local state inside the state directory synth names, outside the output", () => {
  const context = { [LOCAL_STATE_DIR]: "../../../terraform-state" };
  expect(backendOf((s) => gcsOrLocalState(s), context)).toEqual({ local: { path: "../../../terraform-state/gcp-qa.tfstate" } });
  expect(backendOf((s) => scalewayOrLocalState(s, "fr-par"), context)).toEqual({ local: { path: "../../../terraform-state/gcp-qa.tfstate" } });
});

test("GCS state, prefixed per stack unless a prefix is given", () => {
  expect(backendOf((s) => gcsOrLocalState(s, { bucket: "tf-state" }))).toEqual({ gcs: { bucket: "tf-state", prefix: "redis-network/gcp-qa" } });
  expect(backendOf((s) => gcsOrLocalState(s, { bucket: "tf-state", prefix: "x" })).gcs.prefix).toBe("x");
});

test("Scaleway Object Storage through the S3 backend, without AWS-only calls, locked by a lock file", () => {
  expect(backendOf((s) => scalewayOrLocalState(s, "nl-ams", { bucket: "tf-state" }))).toEqual({
    s3: {
      bucket: "tf-state",
      key: "redis-network/gcp-qa.tfstate",
      region: "nl-ams",
      endpoints: { s3: "https://s3.nl-ams.scw.cloud" },
      skip_credentials_validation: true,
      skip_region_validation: true,
      skip_requesting_account_id: true,
      skip_s3_checksum: true,
      use_lockfile: true,
    },
  });
  expect(backendOf((s) => scalewayOrLocalState(s, "fr-par", { bucket: "tf-state", key: "custom.tfstate" })).s3.key).toBe("custom.tfstate");
});

test("encryptState: every state and plan encrypted and enforced, from a sensitive passphrase given at deploy time", () => {
  const raw = rawConfig();
  raw.environments.staging.scaleway.encryptState = true;
  const stacks = synthAll(raw);
  const encrypted = stacks["scaleway-staging"];
  expect(encrypted.terraform.encryption).toEqual({
    key_provider: { pbkdf2: { state: { passphrase: "${var.state_passphrase}" } } },
    method: { aes_gcm: { state: { keys: "${key_provider.pbkdf2.state}" } } },
    state: { method: "method.aes_gcm.state", enforced: true },
    plan: { method: "method.aes_gcm.state", enforced: true },
  });
  expect(encrypted.variable.state_passphrase).toMatchObject({ type: "string", default: "", sensitive: true });
  expect(encrypted.variable.state_passphrase.description).toBe("Passphrase the state and plans are encrypted with (at least 16 characters); set TF_VAR_state_passphrase (or -var state_passphrase=...)");
  // Only where asked: production's Scaleway stack stays readable by Terraform.
  expect(stacks["scaleway-production"].terraform).not.toHaveProperty("encryption");
  expect(stacks["scaleway-production"].variable ?? {}).not.toHaveProperty("state_passphrase");
});
