import { App } from "cdktf";
import * as path from "path";
import { ConfigError, loadConfig, selectEnvironments } from "./config/load";
import { Config } from "./config/schema";
import { GcpStack } from "./stacks/gcp-stack";
import { ScalewayStack } from "./stacks/scaleway-stack";

/** Adds one stack per cloud each selected environment configures. */
export function addStacks(app: App, config: Config, environments?: string[]): void {
  for (const [environment, clouds] of selectEnvironments(config, environments)) {
    if (clouds.gcp) new GcpStack(app, { environment, config: clouds.gcp });
    if (clouds.scaleway) new ScalewayStack(app, { environment, config: clouds.scaleway });
  }
}

function main(): void {
  const configFile = process.env.REDIS_NET_CONFIG ?? path.resolve("config", "environments.json");
  const selected = process.env.REDIS_NET_ENVIRONMENTS?.split(",").map((name) => name.trim()).filter(Boolean);
  const app = new App();
  try {
    addStacks(app, loadConfig(configFile), selected);
  } catch (error) {
    // Nothing has been written yet: report and stop before synth.
    console.error(error instanceof ConfigError ? error.message : String((error as Error).stack ?? error));
    process.exit(1);
  }
  app.synth();
}

if (require.main === module) main();
