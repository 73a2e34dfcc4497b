import { Finding, PolicyRule, SynthesizedResource } from "../policy";
import { finding, named } from "../resources";

export class NamesCarryEnvironment extends PolicyRule {
  readonly id = "RN006";
  readonly rationale = "A name without its environment is how `staging-vpc` ended up in production.";
  protected check(resources: SynthesizedResource[]): Finding[] {
    const { environment } = this.context;
    // Custom role IDs allow no hyphen: there the environment's hyphens are underscores.
    const prefix = (type: string) => (type === "google_project_iam_custom_role" ? `${environment.replace(/-/g, "_")}_` : `${environment}-`);
    // An adopted (imported) resource keeps its live name: renaming it would replace it.
    return named(resources)
      .filter(({ resource }) => !resource.imported)
      .filter(({ resource, value }) => !(typeof value === "string" && value.startsWith(prefix(resource.type))))
      .map(({ resource, attribute, value }) => finding(resource, `${attribute} ${JSON.stringify(value)} does not start with "${prefix(resource.type)}"; derive it with scopedName()`));
  }
}
