import { TerraformResource } from "cdktf";

/**
 * Declares that checkov check `checkId` does not apply to `resource`, with the reason, next to the
 * resource. It is written into the resource's `//` comment block, which Terraform ignores and
 * `npm run verify` reads: a failed check is excused only by a declaration on its own resource.
 */
export function skipCheckov(resource: TerraformResource, checkId: string, reason: string): void {
  if (!/^CKV2?_[A-Z0-9]+_\d+$/.test(checkId)) throw new Error(`${resource.node.path}: ${JSON.stringify(checkId)} is not a checkov check ID such as CKV_GCP_97`);
  if (!reason.trim()) throw new Error(`${resource.node.path}: skipping ${checkId} needs a reason`);
  resource.addOverride(`//.checkov_skip.${checkId}`, reason);
}
