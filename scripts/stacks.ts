// `npm run stacks`: the stacks CI plans and applies, as a JSON list read from the configuration
// (REDIS_NET_CONFIG and REDIS_NET_ENVIRONMENTS as for synth); the workflows' matrices come from it.
import { printStacks } from "../main";
import { parseOptions } from "./args";

export function main(argv: string[]): number {
  try {
    parseOptions({ args: argv, options: {} }, "npm run stacks");
  } catch (error) {
    console.error(`stacks: ${(error as Error).message}`);
    return 2;
  }
  printStacks();
  return 0;
}
