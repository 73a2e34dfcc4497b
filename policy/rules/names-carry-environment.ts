import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { finding, named } from "../resources";

export class NamesCarryEnvironment extends PolicyRule {
  readonly id = "RN006";
  readonly rationale = "A name without its environment is how `staging-vpc` ended up in production.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    const prefix = `${this.context.environment}-`;
    // An adopted (imported) resource keeps its live name: renaming it would replace it.
    return named(resources)
      .filter(({ resource }) => !resource.imported)
      .filter(({ value }) => !(typeof value === "string" && value.startsWith(prefix)))
      .map(({ resource, attribute, value }) => finding(resource, `${attribute} ${JSON.stringify(value)} does not start with "${prefix}"; derive it with scopedName()`));
  }
}
