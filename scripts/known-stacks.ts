// The stacks a tool can be asked about: those the configuration makes (npm run stacks; REDIS_NET_CONFIG
// as for synth). Any other name is refused before anything runs, listing the known ones.
import { loadConfig } from "../config/load";
import { environmentStacks, optionsFromEnvironment } from "../main";

export function knownStack(stack: string): void {
  const known = environmentStacks(loadConfig(optionsFromEnvironment().configFile));
  if (!known.includes(stack)) throw new Error(`stack ${stack}: not one of the configuration's stacks (${known.join(", ")})`);
}
