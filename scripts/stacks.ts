// `npm run stacks [-- --identities]`: the stacks CI plans and applies, as a JSON list read from the
// configuration (REDIS_NET_CONFIG and REDIS_NET_ENVIRONMENTS as for synth); the workflows'
// matrices come from it. With --identities, per stack, what its jobs authenticate as (the CI
// identities its environment's bootstrap stack makes, stacks/ci-identities.ts), as a JSON object:
// GCP `workloadIdentityProvider`, `planServiceAccount`, `deployServiceAccount`; Scaleway the names
// of the repository secrets holding the plan key, `planAccessKeySecret` and `planSecretKeySecret`
// (the deploy key is a secret of the stack's GitHub environment, under the usual names).
import { loadConfig } from "../config/load";
import { Config } from "../config/schema";
import { environmentStacks, optionsFromEnvironment, printStacks } from "../main";
import { parseStackName } from "../naming/names";
import { ciWorkflowIdentities } from "../stacks/ci-identities";
import { parseOptions } from "./args";

export function main(argv: string[]): number {
  let identities: boolean | undefined;
  try {
    identities = parseOptions({ args: argv, options: { identities: { type: "boolean" } } }, "npm run stacks [-- --identities]").values.identities;
  } catch (error) {
    console.error(`stacks: ${(error as Error).message}`);
    return 2;
  }
  if (!identities) {
    printStacks();
    return 0;
  }
  try {
    const { configFile, environments } = optionsFromEnvironment();
    console.log(JSON.stringify(stackIdentities(loadConfig(configFile), environments)));
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

type StackIdentity =
  | { workloadIdentityProvider: string; planServiceAccount: string; deployServiceAccount: string }
  | { planAccessKeySecret: string; planSecretKeySecret: string };

/** Each stack's CI identities; a stack whose environment makes none (no `ci` or no `state`) is absent. */
export function stackIdentities(config: Config, environments?: string[]): Record<string, StackIdentity> {
  const result: Record<string, StackIdentity> = {};
  for (const stack of environmentStacks(config, environments)) {
    const { cloud, environment } = parseStackName(stack)!;
    const { gcp, scaleway } = ciWorkflowIdentities(config, environment);
    if (cloud === "gcp" && gcp) result[stack] = { workloadIdentityProvider: gcp.workloadIdentityProvider, planServiceAccount: gcp.planServiceAccount, deployServiceAccount: gcp.deployServiceAccount };
    if (cloud === "scaleway" && scaleway) result[stack] = { planAccessKeySecret: scaleway.planKeySecrets.accessKey, planSecretKeySecret: scaleway.planKeySecrets.secretKey };
  }
  return result;
}
