import { Fn, TerraformStack, TerraformVariable } from "cdktf";

/**
 * The backend image, a deploy-time input: it changes with every release, so it is not
 * configuration. It must name a tag or digest, never an implicit `latest`.
 */
export function backendImage(stack: TerraformStack, example: string): string {
  const image = new TerraformVariable(stack, "backend_image", {
    type: "string",
    description: `Backend image with an explicit tag or digest, e.g. ${example}`,
  });
  image.addValidation({
    condition: Fn.can(Fn.regex("^[^ :@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", image.stringValue)),
    errorMessage: "backend_image must name a tag or a sha256 digest (no implicit latest).",
  });
  return image.stringValue;
}
