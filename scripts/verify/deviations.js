// Which declarations of reference/deviations.json apply to a stack. A declaration names the stacks
// by what their configuration says, not by name, so a new environment needs one only where it
// deviates in a way no declaration covers yet:
//   "cloud": "gcp" | "scaleway"
//   "when": { "<dotted path>": <value> }   the environment's configuration, defaults applied, has
//                                          each value at each path (null: the path is not set)
const { splitStackName } = require("./fast");

/** The declarations that apply to `stack`, each named for it as applyDeviations matches them. */
function deviationsFor(stack, config, declarations) {
  const { cloud, environment } = splitStackName(stack);
  const at = (dotted) => dotted.split(".").reduce((value, key) => value?.[key], config.environments[environment]) ?? null;
  return declarations
    .filter((d) => d.cloud === cloud && Object.entries(d.when).every(([dotted, value]) => at(dotted) === value))
    .map(({ cloud: _, when: __, ...d }) => ({ ...d, stack }));
}

module.exports = { deviationsFor };
