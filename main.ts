import { AnnotationMetadataEntryType, App, Aspects } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, loadConfig, selectEnvironments } from "./config/load";
import { Config } from "./config/schema";
import { annotations, policyViolations } from "./policy/policy";
import { policyRules } from "./policy/rules";
import { GcpStack } from "./stacks/gcp-stack";
import { ScalewayStack } from "./stacks/scaleway-stack";

/** Adds one stack per cloud each selected environment configures. */
export function addStacks(app: App, config: Config, environments?: string[]): void {
  for (const [environment, clouds] of selectEnvironments(config, environments)) {
    const stacks = [
      clouds.gcp && new GcpStack(app, { environment, config: clouds.gcp, production: clouds.production }),
      clouds.scaleway && new ScalewayStack(app, { environment, config: clouds.scaleway }),
    ];
    for (const stack of stacks) {
      if (!stack) continue;
      for (const rule of policyRules({ environment, production: clouds.production, invoker: clouds.gcp?.backend.invoker })) Aspects.of(stack).add(rule);
    }
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
 * Validates the configuration, builds every stack (constructs validate their props), checks the
 * policy rules, and writes only when all of it passed: cdktf writes stack by stack, so it writes
 * into a scratch directory that is copied over the output only after the last stack succeeded.
 * Copying, not replacing, keeps what `cdktf deploy` left in the stack directories.
 */
export function synthesize(options: SynthOptions): void {
  const config = loadConfig(options.configFile);
  const outdir = path.resolve(options.outdir ?? setting("CDKTF_OUTDIR", "a directory such as cdktf.out") ?? "cdktf.out");
  const scratch = `${outdir}.partial-${process.pid}`;
  try {
    const app = new App({ outdir: scratch });
    addStacks(app, config, options.environments);
    const violations = policyViolations(app);
    if (violations.length) throw new Error(`policy violations:\n${violations.join("\n")}`);
    for (const warning of annotations(app, AnnotationMetadataEntryType.WARN)) console.warn(`warning: ${warning}`);
    app.synth();
    fs.cpSync(scratch, outdir, { recursive: true });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Which configuration and environments to synthesize, from REDIS_NET_CONFIG / REDIS_NET_ENVIRONMENTS. */
export function optionsFromEnvironment(): SynthOptions {
  const environments = setting("REDIS_NET_ENVIRONMENTS", "environment names separated by commas, e.g. staging,production")?.split(",").map((name) => name.trim());
  if (environments?.some((name) => name === "")) {
    throw new ConfigError([`REDIS_NET_ENVIRONMENTS ${JSON.stringify(process.env.REDIS_NET_ENVIRONMENTS)}: has an empty name; give environment names separated by commas, e.g. staging,production`]);
  }
  return {
    configFile: setting("REDIS_NET_CONFIG", "a configuration file such as config/environments.json") ?? path.resolve("config", "environments.json"),
    environments,
  };
}

/**
 * An environment variable that is unset (undefined) or has a value: set but empty is an error,
 * never a path or an empty list (an empty CDKTF_OUTDIR would write into the source tree).
 */
function setting(name: string, expected: string): string | undefined {
  const value = process.env[name];
  if (value !== undefined && value.trim() === "") throw new ConfigError([`${name} is set but empty: unset it, or set it to ${expected}`]);
  return value;
}

export function main(options: Partial<SynthOptions> = {}): void {
  try {
    synthesize({ ...optionsFromEnvironment(), ...options });
  } catch (error) {
    // Configuration and prop errors are written for people: their message, not a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
}

if (require.main === module) main();
