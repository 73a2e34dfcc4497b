import { ref, TerraformResource, TerraformStack } from "cdktf";

/**
 * A reference to an attribute of instance [0] of a resource created with `count = 1`.
 * cdktf would render `type.name.attr`, which Terraform rejects for counted resources.
 */
export function firstInstance(resource: TerraformResource, attribute: string): string {
  return ref(`${resource.terraformResourceType}.${resource.friendlyUniqueId}[0].${attribute}`, TerraformStack.of(resource)).toString();
}

/**
 * Makes `resource` wait for `dependencies` where no reference between them says so. Set after
 * construction, `dependsOn` must hold bare addresses: `depends_on` takes no `${...}`.
 */
export function waitFor(resource: TerraformResource, ...dependencies: TerraformResource[]): void {
  resource.dependsOn = [
    ...(resource.dependsOn ?? []),
    ...dependencies.map((d) => `${d.terraformResourceType}.${d.friendlyUniqueId}`),
  ];
}
