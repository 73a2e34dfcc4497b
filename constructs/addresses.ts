import { dependable, ITerraformDependable, ref, TerraformElement, TerraformResource, TerraformStack } from "cdktf";

/**
 * A reference to an attribute of instance [0] of a resource created with `count = 1`.
 * cdktf would render `type.name.attr`, which Terraform rejects for counted resources.
 */
export function firstInstance(resource: TerraformResource, attribute: string): string {
  return ref(`${resource.terraformResourceType}.${resource.friendlyUniqueId}[0].${attribute}`, TerraformStack.of(resource)).toString();
}

/** Makes `resource` wait for `dependencies` where no reference between them says so. */
export function waitFor(resource: TerraformResource, ...dependencies: ITerraformDependable[]): void {
  resource.dependsOn = [...(resource.dependsOn ?? []), ...dependencies.map(dependable)];
}

/**
 * Sets a resource's Terraform address name and returns it. Constructs take their address names
 * through props (the stacks' table is `stacks/logical-ids.ts`); without one, `defaultAddress`.
 */
export function addressed<T extends TerraformElement>(element: T, logicalId: string): T {
  element.overrideLogicalId(logicalId);
  return element;
}

/**
 * An `import` block: Terraform takes over the live object `id` as `resource` instead of creating
 * it. cdktf's own `importFrom` also runs `terraform version` at every synth to check for 1.5, which
 * fails where no terraform is installed (OpenTofu only, or none); the stacks' required_version
 * (>= 1.11) already demands it of whatever CLI applies them.
 */
export class ImportBlock extends TerraformElement {
  constructor(private readonly resource: TerraformResource, private readonly id: string) {
    super(resource, "import");
  }

  private get address(): string {
    return `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`;
  }

  toTerraform(): any {
    return { import: [{ to: this.address, id: this.id }] };
  }

  toHclTerraform(): any {
    return {
      import: [{
        to: { value: this.address, type: "simple", storageClassType: "reference" },
        id: { value: this.id, type: "simple", storageClassType: "string" },
      }],
    };
  }
}

/**
 * A construct's default Terraform address name: its construct ID in snake case (`session-store`
 * becomes `session_store`), with `suffix` appended. Two constructs of one kind in a stack thus
 * get distinct addresses without a table entry.
 */
export function defaultAddress(constructId: string, suffix?: string): string {
  const base = constructId.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "").toLowerCase();
  return suffix ? `${base}_${suffix}` : base;
}
