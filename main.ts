import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { loadConfig, selectEnvironments } from "./config/load";
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

export interface SynthOptions {
  readonly configFile: string;
  /** Only these environments; all when absent. */
  readonly environments?: string[];
  /** @default cdktf's (cdktf.out, or what the CLI passes) */
  readonly outdir?: string;
}

/**
 * Validates the configuration, then builds every stack (constructs validate their props), and
 * writes only when all of it is valid. cdktf's App creates its output directory up front; a run
 * that fails removes the directory again if it did not exist before.
 */
export function synthesize(options: SynthOptions): void {
  const config = loadConfig(options.configFile);
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const existed = fs.existsSync(outdir);
  try {
    const app = new App({ outdir });
    addStacks(app, config, options.environments);
    app.synth();
  } catch (error) {
    if (!existed) fs.rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

export function main(): void {
  try {
    synthesize({
      configFile: process.env.REDIS_NET_CONFIG ?? path.resolve("config", "environments.json"),
      environments: process.env.REDIS_NET_ENVIRONMENTS?.split(",").map((name) => name.trim()).filter(Boolean),
    });
  } catch (error) {
    // Configuration and prop errors are written for people: their message, not a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
}

if (require.main === module) main();
