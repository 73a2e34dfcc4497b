import { Fn, TerraformStack, TerraformVariable } from "cdktf";
import { IMAGE_PATTERN } from "../limits/http";

/** Where a deploy takes the image from, for the error a missing image gets. */
const BACKEND_IMAGE_SOURCES = "-var backend_image=<image>, TF_VAR_backend_image, or the environment's image in config/environments.json";

/**
 * The backend image, a deploy-time input: it changes with every release, so it usually comes
 * from the deploy (`-var`, `TF_VAR_backend_image`), or as a default from configuration. It always
 * has a default, "" when none is configured: a variable without one makes Terraform prompt, and
 * `cdktf deploy` without a terminal then waits forever. "" fails the validation at once instead.
 * The image must name a tag or digest, never an implicit `latest`.
 */
export function backendImage(stack: TerraformStack, example: string, configured?: string): string {
  const image = new TerraformVariable(stack, "backend_image", {
    type: "string",
    default: configured ?? "",
    description: `Backend image with an explicit tag or digest, e.g. ${example}`,
  });
  image.addValidation({
    condition: Fn.can(Fn.regex(IMAGE_PATTERN, image.stringValue)),
    errorMessage: `backend_image must name an image with a tag or a sha256 digest (no implicit latest); set it with ${BACKEND_IMAGE_SOURCES}.`,
  });
  return image.stringValue;
}
