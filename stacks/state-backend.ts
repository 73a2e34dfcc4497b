import { stateKey } from "../naming/names";
import { GcsBackend, LocalBackend, S3Backend, TerraformStack, TerraformVariable } from "cdktf";

/**
 * State in GCS at `<prefix or redis-network/<stack>>`; the local backend when no bucket is set. The
 * GCS backend locks by itself (a lock object created only if absent).
 */
export function gcsOrLocalState(stack: TerraformStack, state?: { bucket: string; prefix?: string }): void {
  if (!state) return localState(stack);
  new GcsBackend(stack, { bucket: state.bucket, prefix: state.prefix ?? stateKey(stack.node.id) });
}

/**
 * State in Scaleway Object Storage through Terraform's S3 backend; the local backend when no bucket
 * is set. Scaleway is not AWS: the skips stop the backend from calling AWS STS and IAM, and from
 * sending the checksum headers Scaleway's S3 API does not accept. The lock is a lock file written
 * with If-None-Match (use_lockfile, Terraform and OpenTofu >= 1.10), which Scaleway honours: a
 * second apply fails at once instead of writing over the first one's state.
 */
export function scalewayOrLocalState(stack: TerraformStack, region: string, state?: { bucket: string; key?: string }): void {
  if (!state) return localState(stack);
  new S3Backend(stack, {
    bucket: state.bucket,
    key: state.key ?? `${stateKey(stack.node.id)}.tfstate`,
    region,
    endpoints: { s3: `https://s3.${region}.scw.cloud` },
    skipCredentialsValidation: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
  });
  stack.addOverride("terraform.backend.s3.skip_s3_checksum", true);
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

/**
 * App context: the state directory as seen from a stack directory. Synth sets it to a directory
 * outside the output (`terraform-state/` by default), so cleaning the output cannot delete state.
 */
// Stryker disable next-line StringLiteral: every reader and writer of the key takes it from this constant; its text is not observable
export const LOCAL_STATE_DIR = "redis-net:localStateDir";

/**
 * A relative path (cdktf's default is absolute, which differs from one machine to the next):
 * `<state dir>/<stack>.tfstate`, or beside the stack where no state directory is given.
 */
function localState(stack: TerraformStack): void {
  const dir: string | undefined = stack.node.tryGetContext(LOCAL_STATE_DIR);
  new LocalBackend(stack, { path: dir ? `${dir}/${stack.node.id}.tfstate` : `terraform.${stack.node.id}.tfstate` });
}

/** Where the state passphrase comes from; never from the repository. */
const PASSPHRASE_SOURCE = "TF_VAR_state_passphrase (or -var state_passphrase=...)";

/**
 * OpenTofu state and plan encryption (AES-GCM, key derived by PBKDF2 from a passphrase): the state
 * holds the Redis password, and whoever reads the bucket reads the state. The passphrase is a
 * sensitive variable given at deploy time. Its default "" makes every command, `init` included,
 * fail at once with OpenTofu's "no passphrase provided" (a variable without a default would make
 * it prompt); PBKDF2 refuses one under 16 characters. Only OpenTofu (>= 1.8) reads this block;
 * Terraform refuses the stack.
 */
export function encryptState(stack: TerraformStack): void {
  new TerraformVariable(stack, "state_passphrase", {
    type: "string",
    default: "",
    sensitive: true,
    description: `Passphrase the state and plans are encrypted with (at least 16 characters); set ${PASSPHRASE_SOURCE}`,
  });
  // A static reference, which JSON syntax writes bare (like depends_on).
  const method = "method.aes_gcm.state";
  stack.addOverride("terraform.encryption", {
    key_provider: { pbkdf2: { state: { passphrase: "${var.state_passphrase}" } } },
    method: { aes_gcm: { state: { keys: "${key_provider.pbkdf2.state}" } } },
    // enforced: an unencrypted state or plan is refused, never written or read silently.
    state: { method, enforced: true },
    plan: { method, enforced: true },
  });
}
