import { GcsBackend, LocalBackend, S3Backend, TerraformStack } from "cdktf";

/**
 * State in GCS at `<prefix or redis-network/<stack>>`; the local backend when no bucket is set. The
 * GCS backend locks by itself (a lock object created only if absent).
 */
export function gcsOrLocalState(stack: TerraformStack, state?: { bucket: string; prefix?: string }): void {
  if (!state) return localState(stack);
  new GcsBackend(stack, { bucket: state.bucket, prefix: state.prefix ?? `redis-network/${stack.node.id}` });
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
    key: state.key ?? `redis-network/${stack.node.id}.tfstate`,
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
export const LOCAL_STATE_DIR = "redis-net:localStateDir";

/**
 * A relative path (cdktf's default is absolute, which differs from one machine to the next):
 * `<state dir>/<stack>.tfstate`, or beside the stack where no state directory is given.
 */
function localState(stack: TerraformStack): void {
  const dir: string | undefined = stack.node.tryGetContext(LOCAL_STATE_DIR);
  new LocalBackend(stack, { path: dir ? `${dir}/${stack.node.id}.tfstate` : `terraform.${stack.node.id}.tfstate` });
}
