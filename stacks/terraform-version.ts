import { TerraformStack } from "cdktf";

/**
 * The Terraform (and OpenTofu) versions every stack needs: write-only attributes (`password_wo`)
 * arrived in 1.11. Older CLIs would send the password as a plain attribute or fail mid-apply.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11";

export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
}
