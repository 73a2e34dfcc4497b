// Which declarations of reference/deviations.json apply to a stack. A declaration names the stacks
// by what their configuration says, not by name, so a new environment needs one only where it
// deviates in a way no declaration covers yet:
//   "cloud": "gcp" | "scaleway"
//   "when": { "<dotted path>": <value> }   the environment's configuration, defaults applied, has
//                                          each value at each path (null: the path is not set)
import { Config } from "../../config/schema";
import { Deviation } from "./compare";
import { splitStackName } from "./fast";

/** A declaration as reference/deviations.json writes it. */
export interface DeclaredDeviation extends Omit<Deviation, "stack"> {
  readonly cloud: string;
  readonly when: Record<string, unknown>;
}

/** The declarations that apply to `stack`, each named for it as applyDeviations matches them. */
export function deviationsFor(stack: string, config: Config, declarations: DeclaredDeviation[]): Deviation[] {
  const { cloud, environment } = splitStackName(stack);
  const at = (dotted: string) => dotted.split(".").reduce<any>((value, key) => value?.[key], config.environments[environment]) ?? null;
  return declarations
    .filter((d) => d.cloud === cloud && Object.entries(d.when).every(([dotted, value]) => at(dotted) === value))
    .map(({ cloud: _cloud, when: _when, ...d }) => ({ ...d, stack }));
}
